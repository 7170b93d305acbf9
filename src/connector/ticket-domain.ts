/**
 * Reading connector tickets (issue 16 §3–5): what an admin may see of a payload, the consumption report's
 * CSV, and the reprocess job's payload and result. Pure: no db, no http.
 */

import type { ConsumptionFigures } from '../platform/tickets/domain.ts';

/** The most tickets one reprocess request may queue: a bigger selection is narrowed by the filter first. */
export const REPROCESS_MAX = 1000;

/** The queue of reprocess requests (one job per request, holding its tickets until it ends). */
export const REPROCESS_QUEUE = 'connector.reprocess';

export interface ReprocessJobPayload {
  networkId: string;
  ticketIds: string[];
  reason: string;
  /** Who asked, as the audit log names them. */
  requestedBy: string;
}

export interface ReprocessJobResult {
  done: number;
  failed: { ticketId: string; error: string }[];
}

// ---------------------------------------------------------------------------------------------------------
// Masking personal data and credentials in the screens (LGPD): the stored payload stays as it came, so a
// reprocess sends the real data; only what is shown is masked.

export const MASK = '***';

const normalise = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Keys whose values are credentials: never shown, not even in part. */
const credentialKeys = new Set(
  [
    'token',
    'appToken',
    'appKey',
    'accessToken',
    'refreshToken',
    'apiKey',
    'secret',
    'clientSecret',
    'password',
    'senha',
    'authorization',
    'cookie',
    'x-vtex-api-apptoken',
    'x-vtex-api-appkey',
  ].map(normalise),
);

/** Keys whose values identify a person or where they live: shown in part. */
const personalKeys = new Set(
  [
    'name',
    'firstName',
    'lastName',
    'fullName',
    'receiverName',
    'corporateName',
    'nome',
    'xNome',
    'email',
    'phone',
    'telefone',
    'fone',
    'cellphone',
    'document',
    'documento',
    'cpf',
    'cnpj',
    'ie',
    'street',
    'logradouro',
    'xLgr',
    'number',
    'numero',
    'nro',
    'complement',
    'complemento',
    'xCpl',
    'postalCode',
    'zipCode',
    'cep',
    'neighborhood',
    'bairro',
    'xBairro',
  ].map(normalise),
);

export const isCredentialKey = (key: string) => credentialKeys.has(normalise(key));
export const isPersonalKey = (key: string) => personalKeys.has(normalise(key));

/** Every digit but the last two becomes `*`; the punctuation stays, so a CPF still reads as one. */
export function maskDigits(value: string): string {
  const total = value.replace(/\D/g, '').length;
  let seen = 0;
  return value.replace(/\d/g, (d) => (++seen > total - 2 ? d : '*'));
}

/** `joao.silva@dominio.com.br` → `j***@d***.com.br`: the first letters and the top-level domain stay. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return MASK;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.indexOf('.');
  const host = dot < 0 ? domain : domain.slice(0, dot);
  const tld = dot < 0 ? '' : domain.slice(dot);
  return `${local[0]}***@${host[0] ?? ''}***${tld}`;
}

/** `Maria da Silva` → `M*** d*** S***`: enough to tell two customers apart on a screen, not to name one. */
function maskWords(value: string): string {
  return value
    .split(/(\s+)/)
    .map((w) => (/^\s*$/.test(w) ? w : `${w[0]}***`))
    .join('');
}

// Each pattern starts only where a run starts (a lookbehind) and its repeats are bounded, so a 64 KiB
// payload of one long word is scanned in linear time, not retried from every character.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}/g;
const CNPJ = /\b\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}\b/g;
const CPF = /\b\d{3}\.\d{3}\.\d{3}-\d{2}\b/g;
/** Phones as Brazilians write them: +55, a DDD in brackets or not, 8 or 9 digits with or without a dash. */
const PHONE = /(?:\+55\s?)?\(?\b\d{2}\)?[\s-]?9?\d{4}-\d{4}\b|\+55\s?\d{10,11}\b/g;
/** Bare CPF (11) and CNPJ (14) digit runs; longer runs (access keys, EANs' 13) are left alone. */
const BARE_DOCUMENT = /(?<![\d.])(?:\d{11}|\d{14})(?![\d.])/g;

/** Personal data found anywhere in free text: e-mails, CPFs and CNPJs, phone numbers. */
export function maskFreeText(text: string): string {
  return text
    .replace(EMAIL, maskEmail)
    .replace(CNPJ, maskDigits)
    .replace(CPF, maskDigits)
    .replace(PHONE, maskDigits)
    .replace(BARE_DOCUMENT, maskDigits);
}

/** The value of a personal key, masked by what it looks like. */
function maskPersonal(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return value;
  if (typeof value === 'number') return MASK;
  if (typeof value !== 'string') return maskJson(value);
  if (value.includes('@')) return maskEmail(value);
  if (/\d/.test(value) && !/[A-Za-z]/.test(value)) return maskDigits(value);
  return maskWords(value);
}

function maskJson(value: unknown): unknown {
  if (typeof value === 'string') return maskFreeText(value);
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        isCredentialKey(k) && v !== null ? MASK : isPersonalKey(k) ? maskPersonal(v) : maskJson(v),
      ]),
    );
  }
  return value;
}

const XML_ELEMENT = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(\s[^>]*)?>([^<]*)<\/\1?\2>/g;
/** `key: value` and `key=value` pairs in headers, query strings and form bodies. */
const PAIR = /(?<![\w-])([A-Za-z][\w-]{0,60})(\s*[:=]\s*)("?)([^"&\s,;]+)\3/g;

/**
 * A payload as the screens show it: JSON with the values of personal keys masked and credentials hidden,
 * XML with the same elements masked, anything else by what its text looks like. Never fails: a payload cut
 * at the cap (no longer valid JSON) is masked as text.
 */
export function maskPayload(text: string | null): string | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(maskJson(JSON.parse(trimmed)), null, 2);
    } catch {
      // Cut or not JSON after all: masked as text below.
    }
  }
  const elements = text.replace(XML_ELEMENT, (whole, prefix, name, attrs, content) => {
    if (isCredentialKey(name))
      return `<${prefix ?? ''}${name}${attrs ?? ''}>${MASK}</${prefix ?? ''}${name}>`;
    if (!isPersonalKey(name)) return whole;
    return `<${prefix ?? ''}${name}${attrs ?? ''}>${maskPersonal(content)}</${prefix ?? ''}${name}>`;
  });
  // An Authorization header's scheme and credentials go as one, before the other pairs.
  const pairs = elements
    .replace(/(authorization\s*:\s*)(?:(?:bearer|basic)\s+)?\S+/gi, `$1${MASK}`)
    .replace(PAIR, (whole, key, sep, quote) =>
      isCredentialKey(key) ? `${key}${sep}${quote}${MASK}${quote}` : whole,
    );
  return maskFreeText(pairs);
}

/** A URL as shown: credentials in its query string hidden, personal data in it masked. */
export function maskUrl(url: string | null): string | null {
  if (url === null) return null;
  return maskFreeText(
    url.replace(/([?&])([^=&#]+)=([^&#]*)/g, (whole, sep, key) =>
      isCredentialKey(decodeURIComponent(key)) ? `${sep}${key}=${MASK}` : whole,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// The consumption report's CSV: the audit export's conventions (UTF-8 with BOM, comma-separated, CRLF,
// RFC 4180 quoting, a leading formula character neutralised).

export type ConsumptionRow = ConsumptionFigures;

export const CONSUMPTION_CSV_HEADER = [
  'day',
  'system',
  'method',
  'calls',
  'succeeded',
  'failed',
  'p95_latency_ms',
  'bytes_in',
  'bytes_out',
];

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export function consumptionCsv(rows: readonly ConsumptionRow[]): string {
  const lines = [`\uFEFF${CONSUMPTION_CSV_HEADER.join(',')}`];
  for (const r of rows) {
    lines.push(
      [r.day, r.system, r.method, r.calls, r.succeeded, r.failed, r.p95LatencyMs, r.bytesIn, r.bytesOut]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
