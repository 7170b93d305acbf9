import type { TicketRecorder } from '../../platform/tickets/service.ts';
import { systemOf } from '../domain.ts';

/**
 * Nuvemshop's REST API v1 (`{baseUrl}/{store_id}/…`): its own auth header (`Authentication: bearer …`, not
 * `Authorization`) and a User-Agent naming the app and a contact e-mail, without which it answers 400.
 * Every call is a ticket (kind `nuvemshop.call`).
 */

export const NUVEMSHOP_CALL_TICKET = 'nuvemshop.call';
export const DEFAULT_BASE_URL = 'https://api.nuvemshop.com.br/v1';

export interface NuvemshopAccount {
  networkId: string;
  baseUrl: string;
  storeId: string;
  accessToken: string;
  userAgent: string;
}

export interface CallAnswer {
  /** The HTTP status, or null when no answer came (refused, timed out). */
  status: number | null;
  /** The answer parsed as JSON, when it was JSON. */
  json: unknown;
  error: string | null;
  url: string;
}

/** Worth trying again later: no answer, rate limited, or the platform's own fault. */
export const isTransient = (a: CallAnswer) => a.status === null || a.status === 429 || a.status >= 500;
export const isSuccess = (a: CallAnswer) => a.status !== null && a.status >= 200 && a.status < 300;

export interface CallOptions {
  tickets: TicketRecorder;
  timeoutMs?: number;
  orderId?: string | null;
  /** The Nuvemshop order id the call is about. */
  reference?: string | null;
  reprocessOf?: string | null;
}

export async function callNuvemshop(
  account: NuvemshopAccount,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  opts: CallOptions,
): Promise<CallAnswer> {
  const url = `${account.baseUrl.replace(/\/+$/, '')}/${account.storeId}${path}`;
  const request = body === undefined ? null : JSON.stringify(body);
  const startedAt = new Date();
  const t0 = performance.now();
  let answer: CallAnswer;
  let text: string | null = null;
  try {
    const res = await fetch(url, {
      method,
      headers: {
        authentication: `bearer ${account.accessToken}`,
        'user-agent': account.userAgent,
        accept: 'application/json',
        ...(request === null ? {} : { 'content-type': 'application/json' }),
      },
      body: request ?? undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const ok = res.status >= 200 && res.status < 300;
    answer = {
      status: res.status,
      json,
      url,
      error: ok ? null : `HTTP ${res.status}${describeBody(json, text)}`,
    };
  } catch (error) {
    answer = { status: null, json: undefined, url, error: describe(error) };
  }
  await opts.tickets.record({
    networkId: account.networkId,
    direction: 'out',
    system: systemOf.nuvemshop,
    method: `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`,
    kind: NUVEMSHOP_CALL_TICKET,
    status: isSuccess(answer) ? 'processed' : 'failed',
    orderId: opts.orderId ?? null,
    reference: opts.reference ?? null,
    url,
    httpStatus: answer.status,
    latencyMs: performance.now() - t0,
    request,
    response: text,
    error: answer.error,
    startedAt,
    reprocessOf: opts.reprocessOf ?? null,
  });
  return answer;
}

/** Nuvemshop's errors are `{code, message, description}`: the message says what was wrong. */
function describeBody(json: unknown, text: string | null): string {
  const j = json as { message?: unknown; description?: unknown } | undefined;
  const said = [j?.message, j?.description].filter((s) => typeof s === 'string' && s).join(': ');
  if (said) return `: ${said}`.slice(0, 300);
  return text ? `: ${text.slice(0, 200)}` : '';
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return 'timeout: Nuvemshop did not answer in time';
  const cause = e?.cause;
  return (
    cause?.message ? `${cause.code ? `${cause.code}: ` : ''}${cause.message}` : `${e?.message ?? error}`
  ).slice(0, 500);
}
