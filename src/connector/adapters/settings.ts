import {
  builtSources,
  type InterfaceAdapter,
  type InterfaceDirection,
  type InterfaceSource,
  interfaceSources,
} from '../domain.ts';

/**
 * What each generic adapter's settings must say, per direction (issue 16 §1). Pure: the file drop's
 * directory is checked on disk by `file-drop.ts`. A setting that would silently do nothing is refused here,
 * at configuration time, with a field error — never discovered at the first run.
 */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}

export type HttpJsonSettings = {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  source?: InterfaceSource;
  timeoutMs?: number;
};
export type FileDropSettings = {
  directory: string;
  pattern?: string;
  format: 'csv' | 'xml';
  source?: InterfaceSource;
};
export type NatsSettings = { subject: string; source: InterfaceSource };

export type SettingsCheck =
  | { ok: true; settings: Record<string, unknown> }
  | { ok: false; errors: FieldError[] };

const err = (key: string, code: string, message: string): FieldError => ({
  path: `/adapterSettings/${key}`,
  code: `CONNECTOR.${code}`,
  message,
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The dataset an outbound interface sends: required, and one Omnihub can build. */
function sourceErrors(settings: Record<string, unknown>): FieldError[] {
  const source = settings.source;
  if (!(interfaceSources as readonly unknown[]).includes(source))
    return [
      err('source', 'SOURCE_REQUIRED', `is required for an outbound interface: ${builtSources.join(' or ')}`),
    ];
  if (!builtSources.includes(source as InterfaceSource))
    return [
      err(
        'source',
        'SOURCE_NOT_SUPPORTED',
        `"${String(source)}" is not built yet: ${builtSources.join(' or ')}`,
      ),
    ];
  return [];
}

const allowedKeys: Record<Exclude<InterfaceAdapter, 'none'>, string[]> = {
  http_json: ['url', 'method', 'headers', 'source', 'timeoutMs'],
  file_drop: ['directory', 'pattern', 'format', 'source'],
  nats: ['subject', 'source'],
};

export function checkSettings(
  adapter: InterfaceAdapter,
  direction: InterfaceDirection,
  settings: Record<string, unknown>,
): SettingsCheck {
  if (adapter === 'none') return { ok: true, settings: {} };
  const errors: FieldError[] = Object.keys(settings)
    .filter((k) => !allowedKeys[adapter].includes(k))
    .map((k) => err(k, 'UNKNOWN_SETTING', `is not a setting of the ${adapter} adapter`));
  if (direction === 'out') errors.push(...sourceErrors(settings));
  if (adapter === 'http_json') errors.push(...httpJsonErrors(direction, settings));
  if (adapter === 'file_drop') errors.push(...fileDropErrors(settings));
  if (adapter === 'nats') errors.push(...natsErrors(direction, settings));
  return errors.length ? { ok: false, errors } : { ok: true, settings };
}

function httpJsonErrors(direction: InterfaceDirection, s: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  let url: URL | undefined;
  try {
    url = typeof s.url === 'string' ? new URL(s.url) : undefined;
  } catch {}
  if (!url || !['http:', 'https:'].includes(url.protocol))
    errors.push(err('url', 'URL_INVALID', 'must be an http:// or https:// URL'));
  const expected = direction === 'in' ? 'GET' : 'POST';
  if (s.method !== expected)
    errors.push(
      err(
        'method',
        'METHOD_INVALID',
        `an ${direction === 'in' ? 'inbound' : 'outbound'} interface uses ${expected}`,
      ),
    );
  if (
    s.headers !== undefined &&
    !(isRecord(s.headers) && Object.values(s.headers).every((v) => typeof v === 'string'))
  )
    errors.push(err('headers', 'HEADERS_INVALID', 'must be an object of header names to text values'));
  if (
    s.timeoutMs !== undefined &&
    !(Number.isInteger(s.timeoutMs) && (s.timeoutMs as number) >= 100 && (s.timeoutMs as number) <= 60_000)
  )
    errors.push(err('timeoutMs', 'TIMEOUT_INVALID', 'must be between 100 and 60000 milliseconds'));
  return errors;
}

function fileDropErrors(s: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof s.directory !== 'string' || !s.directory.startsWith('/'))
    errors.push(err('directory', 'DIRECTORY_INVALID', 'must be an absolute path'));
  if (s.format !== 'csv' && s.format !== 'xml')
    errors.push(err('format', 'FORMAT_INVALID', 'must be csv or xml'));
  if (s.pattern !== undefined && !(typeof s.pattern === 'string' && /^[^/\\]{1,120}$/.test(s.pattern)))
    errors.push(err('pattern', 'PATTERN_INVALID', 'must be a file name pattern such as *.csv'));
  return errors;
}

function natsErrors(direction: InterfaceDirection, s: Record<string, unknown>): FieldError[] {
  if (direction === 'in') return [err('subject', 'NATS_INBOUND', 'entrada por NATS não suportada')];
  if (typeof s.subject !== 'string' || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(s.subject))
    return [err('subject', 'SUBJECT_INVALID', 'must be a NATS subject such as omnihub.stock (no wildcards)')];
  return [];
}

/** A file name pattern with `*` and `?` as a regular expression matching whole names. */
export function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}
