import type { Db } from '../../platform/db/index.ts';
import { recordTicket } from '../../platform/tickets/service.ts';
import { systemOf } from '../domain.ts';

/** How Omnihub reaches a VTEX account's OMS: the base URL and the app key and token of its calls. */
export interface VtexAccess {
  networkId: string;
  baseUrl: string;
  appKey: string;
  appToken: string;
}

/** What a call answered: `status` null when VTEX was not reached (down, timeout, refused connection). */
export interface VtexAnswer {
  status: number | null;
  body: string;
  error: string | null;
}

/** The ticket kind of every call Omnihub makes to VTEX (the inbound order's is `vtex.order`). */
export const VTEX_CALL_TICKET = 'vtex.call';

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Down, overloaded or throttled: worth trying again later. */
export const isTransient = (status: number | null) => status === null || status === 429 || status >= 500;

/**
 * One call to VTEX's OMS with the account's credentials, recorded as a ticket (direction out, system
 * `vtex`) whatever happened: `method` is the documented route (`GET /api/oms/pvt/orders/{orderId}`), the
 * URL the concrete one. Never throws: a failure is the answer's status and error.
 */
export async function callVtex(
  db: Db,
  access: VtexAccess,
  call: {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT';
    route: string;
    path: string;
    body?: unknown;
    orderId?: string | null;
    reference: string;
    kind?: string;
    timeoutMs?: number;
  },
): Promise<VtexAnswer> {
  const url = `${access.baseUrl.replace(/\/+$/, '')}${call.path}`;
  const request = call.body === undefined ? null : JSON.stringify(call.body);
  const startedAt = new Date();
  const started = performance.now();
  let answer: VtexAnswer;
  try {
    const res = await fetch(url, {
      method: call.method,
      headers: {
        accept: 'application/json',
        ...(request ? { 'content-type': 'application/json' } : {}),
        'x-vtex-api-appkey': access.appKey,
        'x-vtex-api-apptoken': access.appToken,
      },
      body: request ?? undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(call.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    const body = await res.text();
    answer = {
      status: res.status,
      body,
      error: res.ok ? null : `VTEX respondeu ${res.status}: ${body.slice(0, 300)}`,
    };
  } catch (error) {
    const e = error as Error;
    const reason =
      e.name === 'TimeoutError' ? 'tempo esgotado' : ((e.cause as Error | undefined)?.message ?? e.message);
    answer = { status: null, body: '', error: `VTEX inacessível: ${reason}` };
  }
  await recordTicket(db, {
    networkId: access.networkId,
    direction: 'out',
    system: systemOf.vtex,
    method: call.route,
    kind: call.kind ?? VTEX_CALL_TICKET,
    status: answer.status !== null && answer.status >= 200 && answer.status < 300 ? 'processed' : 'failed',
    orderId: call.orderId ?? null,
    reference: call.reference,
    url,
    httpStatus: answer.status,
    latencyMs: performance.now() - started,
    request,
    response: answer.body || null,
    error: answer.error,
    startedAt,
  });
  return answer;
}
