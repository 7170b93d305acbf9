import { performance } from 'node:perf_hooks';
import type { TicketRecorder } from '../../platform/tickets/service.ts';
import { CarrierFault } from './port.ts';

/**
 * One HTTP exchange with a carrier, shared by the adapters: JSON in and out, a deadline on the whole
 * exchange, and every way it can go wrong turned into a `CarrierFault` of the right kind. A 4xx that is the
 * carrier's answer about the request (a CEP it does not serve) is returned to the adapter with its body, which
 * decides whether it is a refusal; 401/403 and 5xx are faults here.
 */
export interface CarrierRequest {
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly timeoutMs: number;
  /** Answer these statuses to the adapter instead of faulting (its refusals, "not ready yet"). */
  readonly passStatuses?: readonly number[];
  /** Where the exchange is recorded as a connector ticket (`carrier.call`); nowhere without it. */
  readonly ticket?: CarrierTicketing;
}

/** An adapter's options for recording its calls: the recorder, and the network of the account calling. */
export interface CarrierTicketOptions {
  readonly tickets?: TicketRecorder;
  readonly networkId?: string | null;
}

export function ticketingOf(system: string, options: CarrierTicketOptions): CarrierTicketing | undefined {
  return options.tickets
    ? { tickets: options.tickets, system, networkId: options.networkId ?? null }
    : undefined;
}

/** Who records a carrier's calls, and under which system and network they are filed. */
export interface CarrierTicketing {
  readonly tickets: TicketRecorder;
  /** `correios`, `melhor-envio`. */
  readonly system: string;
  readonly networkId: string | null;
}

export interface CarrierResponse {
  readonly status: number;
  /** The parsed JSON body; undefined for an empty body. */
  readonly json: unknown;
}

export async function carrierRequest(req: CarrierRequest): Promise<CarrierResponse> {
  if (!req.ticket) return exchange(req);
  const startedAt = new Date();
  const t0 = performance.now();
  const seen: Seen = { status: null, text: null };
  let fault: CarrierFault | null = null;
  try {
    return await exchange(req, seen);
  } catch (error) {
    if (error instanceof CarrierFault) fault = error;
    throw error;
  } finally {
    await req.ticket.tickets.record({
      ...callTicket(req.ticket, req.method, req.url, startedAt, t0),
      status: fault || (seen.status ?? 0) >= 400 ? 'failed' : 'processed',
      httpStatus: seen.status,
      request: req.body === undefined ? null : JSON.stringify(masked(req.body)),
      response: seen.text === null ? null : maskedText(seen.text),
      error: fault ? `${fault.kind}: ${fault.message}` : null,
    });
  }
}

/** What came back, for the ticket (the adapter gets the parsed answer or the fault). */
interface Seen {
  status: number | null;
  text: string | null;
}

function callTicket(t: CarrierTicketing, method: string, url: string, startedAt: Date, t0: number) {
  return {
    networkId: t.networkId,
    direction: 'out' as const,
    system: t.system,
    // The path names the service (and the id it is about); the query (CEPs, codes) stays in the url.
    method: `${method} ${new URL(url).pathname}`,
    kind: 'carrier.call',
    url,
    latencyMs: performance.now() - t0,
    startedAt,
  };
}

/** Credentials never reach a ticket: a token, a secret, a password or an access code is replaced. */
const CREDENTIAL = /token|secret|password|senha|access_?code|authorization/i;

function masked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(masked);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, CREDENTIAL.test(k) && v !== null ? '***' : masked(v)]),
  );
}

function maskedText(text: string): string {
  try {
    return JSON.stringify(masked(JSON.parse(text)));
  } catch {
    return text;
  }
}

async function exchange(req: CarrierRequest, seen?: Seen): Promise<CarrierResponse> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(req.url, {
      method: req.method,
      headers: {
        accept: 'application/json',
        ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...req.headers,
      },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(req.timeoutMs),
      redirect: 'manual',
    });
    text = await response.text();
    if (seen) {
      seen.status = response.status;
      seen.text = text;
    }
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new CarrierFault('timeout', req.operation, `No answer within ${req.timeoutMs} ms`, {
        cause: error,
      });
    throw new CarrierFault('unreachable', req.operation, `Could not reach ${new URL(req.url).host}`, {
      cause: error,
    });
  }
  if (response.status === 401 || response.status === 403)
    throw new CarrierFault('unauthorized', req.operation, `The carrier refused the credentials`, {
      httpStatus: response.status,
    });
  const passed = req.passStatuses?.includes(response.status) ?? false;
  if (!passed && (response.status < 200 || response.status > 299))
    throw new CarrierFault('http_status', req.operation, `HTTP ${response.status}: ${excerpt(text)}`, {
      httpStatus: response.status,
    });
  if (text.trim() === '') return { status: response.status, json: undefined };
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch (error) {
    throw new CarrierFault('unexpected_body', req.operation, `Not JSON: ${excerpt(text)}`, {
      httpStatus: response.status,
      cause: error,
    });
  }
}

/** Downloads a file (a label PDF) the carrier points at. */
export async function carrierDownload(req: {
  operation: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  ticket?: CarrierTicketing;
}): Promise<Buffer> {
  if (!req.ticket) return download(req);
  const startedAt = new Date();
  const t0 = performance.now();
  const seen: Seen = { status: null, text: null };
  let size: number | null = null;
  let fault: CarrierFault | null = null;
  try {
    const body = await download(req, seen);
    size = body.length;
    return body;
  } catch (error) {
    if (error instanceof CarrierFault) fault = error;
    throw error;
  } finally {
    await req.ticket.tickets.record({
      ...callTicket(req.ticket, 'GET', req.url, startedAt, t0),
      status: fault ? 'failed' : 'processed',
      httpStatus: seen.status,
      // A file is not kept: its size says what came.
      response: size === null ? null : `(${size} bytes)`,
      error: fault ? `${fault.kind}: ${fault.message}` : null,
    });
  }
}

async function download(
  req: {
    operation: string;
    url: string;
    headers: Readonly<Record<string, string>>;
    timeoutMs: number;
  },
  seen?: Seen,
): Promise<Buffer> {
  let response: Response;
  let body: Buffer;
  try {
    response = await fetch(req.url, { headers: req.headers, signal: AbortSignal.timeout(req.timeoutMs) });
    body = Buffer.from(await response.arrayBuffer());
    if (seen) seen.status = response.status;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new CarrierFault('timeout', req.operation, `No answer within ${req.timeoutMs} ms`, {
        cause: error,
      });
    throw new CarrierFault('unreachable', req.operation, `Could not reach ${new URL(req.url).host}`, {
      cause: error,
    });
  }
  if (response.status === 401 || response.status === 403)
    throw new CarrierFault('unauthorized', req.operation, 'The carrier refused the credentials', {
      httpStatus: response.status,
    });
  if (response.status < 200 || response.status > 299)
    throw new CarrierFault('http_status', req.operation, `HTTP ${response.status}`, {
      httpStatus: response.status,
    });
  return body;
}

/** A label is a PDF: anything else (an HTML error page, a JSON message) is not the carrier's label. */
export function assertPdf(operation: string, body: Buffer): Buffer {
  if (body.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new CarrierFault('unexpected_body', operation, 'The label is not a PDF');
  return body;
}

export function unexpected(operation: string, what: string): CarrierFault {
  return new CarrierFault('unexpected_body', operation, `Not the documented answer: ${what}`);
}

const excerpt = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/** A JSON object, or a fault naming what was expected. */
export function objectOf(operation: string, value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw unexpected(operation, what);
  return value as Record<string, unknown>;
}

/** The money string ("25.50") of a carrier's amount: "25,50", "1.025,50" (Correios) or "25.50" (Melhor Envio). */
export function moneyOfCarrier(text: string, decimalComma: boolean): string | null {
  const t = text.trim();
  const m = decimalComma
    ? /^(\d{1,3}(?:\.\d{3})*|\d+)(?:,(\d{1,2}))?$/.exec(t)
    : /^(\d+)(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const int = m[1]!.replaceAll('.', '').replace(/^0+(?=\d)/, '');
  return `${int}.${(m[2] ?? '').padEnd(2, '0')}`;
}
