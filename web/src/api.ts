/**
 * The one way the back office talks to Omnihub: the public API with the session token, answers parsed,
 * RFC 9457 problems turned into ApiError. A 401 on any call means the session is over (expired or
 * revoked): the shell hears it through `onSessionLost` and sends the user to sign in again.
 */

import type { components } from './api/schema';

/** One invalid field of a 422: where, a code with its parameters, and the server's English sentence. */
export type FieldError = NonNullable<components['schemas']['Problem']['errors']>[number];

/** The problem document, loosened for the failures the browser makes itself (no connection: status 0). */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.problem = problem;
  }
  get status() {
    return this.problem.status;
  }
  get code() {
    return this.problem.code;
  }
}

const TOKEN_KEY = 'omnihub.session';

export interface Session {
  token: string;
  expiresAt: string;
}

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(TOKEN_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return new Date(s.expiresAt).getTime() > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null) {
  if (s) localStorage.setItem(TOKEN_KEY, JSON.stringify(s));
  else localStorage.removeItem(TOKEN_KEY);
}

let sessionLost: (() => void) | undefined;
export function onSessionLost(fn: (() => void) | undefined) {
  sessionLost = fn;
}

export function authHeader(): Record<string, string> {
  const s = loadSession();
  return s ? { authorization: `Bearer ${s.token}` } : {};
}

async function problemOf(res: Response): Promise<Problem> {
  try {
    const body = (await res.json()) as Problem;
    return { ...body, status: res.status };
  } catch {
    return { status: res.status, title: res.statusText };
  }
}

export async function request(
  method: string,
  path: string,
  opts: { body?: unknown; signal?: AbortSignal; idempotent?: boolean } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...authHeader(), accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  // A retried click must not act twice: every change carries its own Idempotency-Key.
  if (method !== 'GET' && opts.idempotent !== false) headers['idempotency-key'] = crypto.randomUUID();
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
    throw new ApiError({ status: 0, code: 'NETWORK.UNREACHABLE' });
  }
  if (res.status === 401 && !path.endsWith('/auth/login')) {
    saveSession(null);
    sessionLost?.();
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  return res;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const res = await request(method, path, { body, signal });
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Query strings with repeated keys (`status=open&status=picking`), skipping empty values. */
export function query(params: Record<string, string | number | boolean | (string | number)[] | undefined>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Fetches a PDF with the session and opens it in a new tab (a plain link could not carry the token). */
export async function openPdf(path: string, target?: Window | null): Promise<void> {
  const res = await request('GET', path);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  if (target) target.location.href = url;
  else window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Fetches a file with the session and saves it under the name the server gives (content-disposition). */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const res = await request('GET', path);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
