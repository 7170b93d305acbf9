/**
 * The scan conference's counting rules (seeds 003, Conferência: "A contagem é iniciada a partir do primeiro
 * item bipado. O pedido só poderá ter uma contagem e só será finalizada quando todos os itens tiverem sido
 * contados"). Pure: the lines as the order and the catalogue give them, the counts as stored.
 */

/** A count record: in progress, finished, or closed by a manager's restart (kept for the record). */
export const conferenceRecordStatuses = ['counting', 'finished', 'restarted'] as const;
export type ConferenceRecordStatus = (typeof conferenceRecordStatuses)[number];

/** What the API says of an order's conference. */
export const conferenceStatuses = ['not_started', 'counting', 'finished'] as const;
export type ConferenceStatus = (typeof conferenceStatuses)[number];

export interface ConferenceLine {
  line: number;
  sku: string;
  ean: string;
  description: string;
  expected: number;
  counted: number;
}

/** What a scanner or a clerk sends: exactly one of them. */
export type ScanCode = { ean: string; sku?: undefined } | { sku: string; ean?: undefined };

/**
 * A barcode as the catalogue keeps it (EAN-13): scanners configured for GTIN-14 add a leading zero, and
 * UPC-A readers drop the EAN-13's leading zero.
 */
export function normaliseEan(code: string): string {
  const digits = code.trim();
  if (digits.length === 14 && digits.startsWith('0')) return digits.slice(1);
  if (digits.length === 12) return `0${digits}`;
  return digits;
}

export const sameSku = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();

/** The order line a code names, if any. */
export function lineOf(lines: readonly ConferenceLine[], code: ScanCode): ConferenceLine | undefined {
  if (code.ean !== undefined) {
    const ean = normaliseEan(code.ean);
    return lines.find((l) => l.ean === ean);
  }
  return lines.find((l) => sameSku(l.sku, code.sku));
}

export type ScanOutcome =
  | { ok: true; line: ConferenceLine; counted: number }
  | { ok: false; reason: 'not_in_order' }
  | { ok: false; reason: 'over_quantity'; line: ConferenceLine; remaining: number };

/** Counts `quantity` units of the line the code names, or says why nothing is counted. */
export function scan(lines: readonly ConferenceLine[], code: ScanCode, quantity: number): ScanOutcome {
  const line = lineOf(lines, code);
  if (!line) return { ok: false, reason: 'not_in_order' };
  const remaining = line.expected - line.counted;
  if (quantity > remaining) return { ok: false, reason: 'over_quantity', line, remaining };
  return { ok: true, line, counted: line.counted + quantity };
}

export interface MissingLine {
  line: number;
  sku: string;
  ean: string;
  description: string;
  expected: number;
  counted: number;
  missing: number;
}

/** The lines not fully counted yet, with how many units each still lacks. */
export const missingOf = (lines: readonly ConferenceLine[]): MissingLine[] =>
  lines.filter((l) => l.counted < l.expected).map((l) => ({ ...l, missing: l.expected - l.counted }));

export const isComplete = (lines: readonly ConferenceLine[]) => missingOf(lines).length === 0;

export const totalsOf = (lines: readonly ConferenceLine[]) => ({
  expected: lines.reduce((s, l) => s + l.expected, 0),
  counted: lines.reduce((s, l) => s + l.counted, 0),
});
