/**
 * A dataset (a list of flat records) written as CSV or XML for a file drop. Pure.
 * CSV: RFC 4180 (comma, CRLF, fields quoted when they hold a comma, quote or line break), the first
 * record's keys as the header. XML: `<dataset source=".." interface="..">` with one `<item>` per record and
 * one element per key; keys that are not XML names are refused by the datasets, which use camelCase.
 */
export type DatasetRecord = Record<string, string | number | boolean | null>;

const csvField = (v: DatasetRecord[string]): string => {
  const text = v === null ? '' : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function toCsv(records: readonly DatasetRecord[]): string {
  const keys = Object.keys(records[0] ?? {});
  const lines = [keys.join(','), ...records.map((r) => keys.map((k) => csvField(r[k] ?? null)).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

const xmlText = (v: string): string =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function toXml(
  records: readonly DatasetRecord[],
  attrs: { source: string; interface: number },
): string {
  const items = records.map(
    (r) =>
      `  <item>${Object.entries(r)
        .map(([k, v]) => (v === null ? `<${k}/>` : `<${k}>${xmlText(String(v))}</${k}>`))
        .join('')}</item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<dataset source="${xmlText(attrs.source)}" interface="${attrs.interface}">\n${items.join('\n')}${items.length ? '\n' : ''}</dataset>\n`;
}

/** How many items a JSON answer carries: an array's length, else one. */
export const jsonItems = (value: unknown): number => (Array.isArray(value) ? value.length : 1);
