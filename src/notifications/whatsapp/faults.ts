/**
 * What a Cloud API error means for the outbox: send again later, or never. The codes are those of
 * Meta's "WhatsApp error codes" page (Cloud API, Graph API errors); Meta asks clients to decide on
 * `error.code`, not on the HTTP status or the message's title. Pure.
 */

/**
 * How a failure is shown and handled: `recipient` (the number cannot get the message), `template` (not
 * approved, paused, parameters wrong), `configuration` (token, permissions, account: an admin acts),
 * `request` (a parameter the API refuses, 100), `rate_limit` and `unavailable` (retried with backoff), `protocol` (an answer that is not the API's).
 */
export const faultKinds = [
  'recipient',
  'template',
  'configuration',
  'request',
  'rate_limit',
  'unavailable',
  'protocol',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/** The error object of a Graph API answer: `{error: {message, type, code, error_subcode, fbtrace_id}}`. */
export interface GraphError {
  readonly message: string;
  readonly type: string | null;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly details: string | null;
  readonly fbtraceId: string | null;
}

export interface Classified {
  readonly kind: FaultKind;
  readonly permanent: boolean;
}

/** Throughput, spam and pair rate limits, and Graph's own call limits: the same message may go later. */
const RATE_LIMITS = new Set([4, 80007, 130429, 131048, 131056]);
/** 1 API unknown, 2 API service (downtime), 131000 something went wrong, 131016 service unavailable, 133004 server temporarily unavailable. */
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);
/**
 * 0 / 190 the token is expired or revoked, 3 / 10 / 200–299 a permission is missing, 33 the business
 * number was deleted, 368 blocked for policy, 131031 account locked, 131042 payment issue, 131045
 * certificate, 133010 number not registered: nothing changes until an admin acts.
 */
const CONFIGURATION = new Set([0, 3, 10, 33, 190, 368, 131031, 131042, 131045, 133010]);
/** 131021 sender is the recipient, 131026 undeliverable (no WhatsApp, old version, terms not accepted), 131047 outside the 24-hour window, 131049 held back by Meta for engagement. */
const RECIPIENT = new Set([131021, 131026, 131047, 131049, 131050]);
/** 132000 parameter count, 132001 template does not exist, 132005 text too long, 132007 format policy, 132012 parameter format, 132015 paused, 132016 disabled, 132068/132069 flows. */
const TEMPLATE = new Set([132000, 132001, 132005, 132007, 132012, 132015, 132016, 132068, 132069]);

/** The outbox's decision for an error answered with HTTP `status` and, when it parsed, Graph's error. */
export function classify(status: number, error: GraphError | null): Classified {
  const code = error?.code ?? null;
  if (code !== null) {
    if (RATE_LIMITS.has(code)) return { kind: 'rate_limit', permanent: false };
    if (TRANSIENT.has(code)) return { kind: 'unavailable', permanent: false };
    // 100 with subcode 33: the phone number id names no object the token may use.
    if (CONFIGURATION.has(code) || (code >= 200 && code <= 299) || (code === 100 && error?.subcode === 33))
      return { kind: 'configuration', permanent: true };
    if (RECIPIENT.has(code)) return { kind: 'recipient', permanent: true };
    if (TEMPLATE.has(code)) return { kind: 'template', permanent: true };
  }
  if (status === 429) return { kind: 'rate_limit', permanent: false };
  if (status >= 500 || status === 408) return { kind: 'unavailable', permanent: false };
  if (status === 401 || status === 403) return { kind: 'configuration', permanent: true };
  // 100 invalid parameter and any other 4xx with a code the page documents as a request error: sending
  // the same request again gets the same answer.
  if (status >= 400 && code !== null) return { kind: 'request', permanent: true };
  return { kind: 'protocol', permanent: false };
}

/** Graph's error object from a parsed answer, or null when the body is not one. */
export function graphErrorOf(body: unknown): GraphError | null {
  if (body === null || typeof body !== 'object') return null;
  const error = (body as { error?: unknown }).error;
  if (error === null || typeof error !== 'object') return null;
  const e = error as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const data = e.error_data !== null && typeof e.error_data === 'object' ? e.error_data : {};
  return {
    message: str(e.message) ?? 'no message',
    type: str(e.type),
    code: num(e.code),
    subcode: num(e.error_subcode),
    details: str((data as Record<string, unknown>).details),
    fbtraceId: str(e.fbtrace_id),
  };
}
