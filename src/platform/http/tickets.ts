import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TicketRecorder } from '../tickets/service.ts';

/**
 * Connector tickets of inbound HTTP exchanges (issue 16 §3): a route that declares
 * `config: { ticket: { system, kind } }` gets one ticket per request it answered, with the request body, the
 * answer, the HTTP status, the latency and the principal's network. The ticket is written after the answer
 * has gone (onResponse), never awaited by the request, through a recorder that never throws: recording an
 * exchange costs the caller no round trip and cannot break it.
 */
export interface TicketRoute {
  /** The satellite system: `platform-api`, `pos`, or one read from the request (the carrier code). */
  system: string | ((request: FastifyRequest) => string);
  kind: string;
  /** Default: the method and the route's pattern, `POST /api/v1/orders/{id}/cancel` (never the concrete URL). */
  method?: string;
  /** The partner's own reference (an inbound order's externalId). */
  reference?: (request: FastifyRequest) => string | null;
  /** The order the exchange was about; default: the `:id` of an `/orders/:id/...` route. */
  orderId?: (request: FastifyRequest, answer: unknown) => string | null;
  /** Only API clients' calls are exchanges with a system outside; a back-office user's are not recorded. */
  clientsOnly?: boolean;
}

/** What a handler knows that the route's declaration cannot: a public route's network, the raw body. */
export interface TicketNotes {
  networkId?: string;
  request?: string;
  orderId?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    ticket?: TicketRoute;
  }
  interface FastifyInstance {
    inboundTickets: InboundTickets;
  }
}

const notes = new WeakMap<FastifyRequest, TicketNotes>();
const answers = new WeakMap<FastifyRequest, string>();

/** Adds to what the ticket of this request will say (only routes that declare `ticket` record one). */
export function noteTicket(request: FastifyRequest, facts: TicketNotes) {
  notes.set(request, { ...notes.get(request), ...facts });
}

/** An answer that is an order: its `id`. */
export function answerId(_request: FastifyRequest, answer: unknown): string | null {
  const id = (answer as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

export interface InboundTickets {
  /** Resolves once every ticket of the requests answered so far is written (tests, shutdown). */
  settled(): Promise<void>;
}

/**
 * Registers the hooks; routes declared afterwards are covered. A request that failed authentication has no
 * network to file its ticket under (and must not let anyone write rows): it is not recorded, nor is a public
 * route's request whose handler noted no network (a carrier event whose signature nobody verifies).
 */
export function registerInboundTickets(app: FastifyInstance, recorder: TicketRecorder): InboundTickets {
  const writing = new Set<Promise<unknown>>();

  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.routeOptions.config.ticket) {
      const text =
        typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : null;
      if (text !== null) answers.set(request, text);
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.config.ticket;
    if (!route) return;
    if (route.clientsOnly && request.principal?.kind !== 'client') return;
    const noted = notes.get(request) ?? {};
    const networkId = request.principal?.networkId ?? noted.networkId;
    if (!networkId) return;
    const write = recorder.record(ticketOf(route, request, reply, networkId, noted));
    writing.add(write);
    void write.finally(() => writing.delete(write));
  });

  const inboundTickets = {
    async settled() {
      await Promise.all([...writing]);
    },
  };
  app.addHook('onClose', inboundTickets.settled);
  app.decorate('inboundTickets', inboundTickets);
  return inboundTickets;
}

function ticketOf(
  route: TicketRoute,
  request: FastifyRequest,
  reply: FastifyReply,
  networkId: string,
  noted: TicketNotes,
) {
  const response = answers.get(request) ?? null;
  const status = reply.statusCode;
  const failed = status >= 400;
  const answer = parsed(response);
  const orderId = noted.orderId ?? (route.orderId ?? orderIdParam)(request, answer);
  const principal = request.principal;
  return {
    networkId,
    direction: 'in' as const,
    system: typeof route.system === 'function' ? route.system(request) : route.system,
    method: route.method ?? `${request.method} ${request.routeOptions.url?.replace(/:(\w+)/g, '{$1}')}`,
    kind: route.kind,
    status: failed ? ('failed' as const) : ('processed' as const),
    orderId: orderId && UUID.test(orderId) ? orderId : null,
    clientId: principal?.kind === 'client' ? principal.id : null,
    reference: route.reference?.(request) ?? null,
    url: request.url,
    httpStatus: status,
    latencyMs: reply.elapsedTime,
    request: noted.request ?? bodyText(request.body),
    response,
    error: failed ? problemOf(answer, status) : null,
    startedAt: new Date(Date.now() - reply.elapsedTime),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function orderIdParam(request: FastifyRequest): string | null {
  if (!request.routeOptions.url?.includes('/orders/:id')) return null;
  const id = (request.params as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : null;
}

function bodyText(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString();
  return JSON.stringify(body);
}

function parsed(text: string | null): unknown {
  if (!text || (text[0] !== '{' && text[0] !== '[')) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A problem's `code: detail`, what the tickets screen lists as the error. */
function problemOf(answer: unknown, status: number): string {
  const p = answer as { code?: unknown; detail?: unknown } | null;
  const code = typeof p?.code === 'string' ? p.code : `HTTP ${status}`;
  // A detail may quote the input, NUL included (the reason it was refused): PostgreSQL text cannot hold it.
  return (typeof p?.detail === 'string' ? `${code}: ${p.detail}` : code).replaceAll('\u0000', '');
}
