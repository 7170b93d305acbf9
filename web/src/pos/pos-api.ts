/**
 * How the POS client talks to Omnihub: the public API with the store's POS key (kept by the pairing page),
 * never a user session. Problems become the back office's ApiError, so its Portuguese messages serve here
 * too; a failed fetch is status 0 (the offline banner), a 401 means the key was revoked (pair again).
 */
import { ApiError, type Problem } from '../api.ts';

/** Where a paired POS keeps its key on this computer (written by the pairing page). */
export const POS_KEY = 'omnihub.posKey';

export const posKey = (): string | null => localStorage.getItem(POS_KEY);

type Listener = (reachable: boolean) => void;
const reachability = new Set<Listener>();
let keyLost: (() => void) | undefined;

/** Hears whether the last call reached the server (true) or failed to connect (false). */
export function onReachability(fn: Listener): () => void {
  reachability.add(fn);
  return () => reachability.delete(fn);
}

/** Called when the server refuses the key (revoked or unknown): the client goes back to pairing. */
export function onKeyLost(fn: (() => void) | undefined) {
  keyLost = fn;
}

function tell(reachable: boolean) {
  for (const fn of reachability) fn(reachable);
}

export function posHeaders(): Record<string, string> {
  const key = posKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

async function problemOf(res: Response): Promise<Problem> {
  try {
    return { ...((await res.json()) as Problem), status: res.status };
  } catch {
    return { status: res.status, title: res.statusText };
  }
}

export async function posRequest(
  method: 'GET' | 'POST',
  path: string,
  opts: {
    body?: unknown;
    signal?: AbortSignal;
    accept?: string;
    idempotencyKey?: string;
    /** Extra headers (the offline sync's terminal id and queued uploads). */
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    ...opts.headers,
    ...posHeaders(),
    accept: opts.accept ?? 'application/json',
  };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  // A retried tap (or a retry after the connection came back) must not act twice.
  if (method !== 'GET') headers['idempotency-key'] = opts.idempotencyKey ?? crypto.randomUUID();
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    tell(false);
    throw new ApiError({ status: 0, code: 'NETWORK.UNREACHABLE' });
  }
  tell(true);
  if (res.status === 401) {
    localStorage.removeItem(POS_KEY);
    keyLost?.();
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  return res;
}

export async function posApi<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: { signal?: AbortSignal; idempotencyKey?: string } = {},
): Promise<T> {
  const res = await posRequest(method, path, { body, ...opts });
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/**
 * A PDF (the NFC-e receipt, the delivery receipt) fetched with the key (a plain link could not carry it),
 * shown from a blob URL in a window the tap opened, and its print dialog raised. `target` is opened
 * synchronously by the caller, so the popup blocker lets it through.
 */
export async function printPdf(path: string, target: Window | null): Promise<void> {
  let res: Response;
  try {
    res = await posRequest('GET', path, { accept: 'application/pdf' });
  } catch (error) {
    target?.close();
    throw error;
  }
  const url = URL.createObjectURL(await res.blob());
  if (target) {
    target.location.href = url;
    target.addEventListener('load', () => target.print(), { once: true });
  } else window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 120_000);
}
