/**
 * Connector tickets (seed 000 §5.3, `ticket` / `conteudoticket`): one row per exchange with a system outside
 * Omnihub, in either direction, whoever made it — inbound orders, outbound webhooks, platform adapters
 * (VTEX, Nuvemshop), POS requests, carrier and SEFAZ calls, scheduled interfaces. Pure: no db, no http.
 */

export const ticketDirections = ['in', 'out'] as const;
export type TicketDirection = (typeof ticketDirections)[number];

/** `pending`: received and queued (a hook whose order is still being fetched); then processed or failed. */
export const ticketStatuses = ['pending', 'processed', 'failed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/**
 * What a ticket was, which decides how it is reprocessed. Open-ended: a context that records a new kind
 * registers its reprocess handler (`ReprocessHandlers`) at composition; a kind without one is shown as
 * not reprocessable.
 */
export type TicketKind = string;

/** The most of a payload a ticket keeps, per side; longer ones are cut and marked truncated. */
export const CONTENT_CAP_CHARS = 64 * 1024;

export interface TicketInput {
  networkId: string | null;
  direction: TicketDirection;
  /** The satellite system: `vtex`, `nuvemshop`, `platform-api`, `pos`, `webhook`, `correios`, `sefaz-SP`, … */
  system: string;
  /** What was called or received: `GET /api/oms/pvt/orders/{id}`, `orders.hook`, `NFeAutorizacao4`, … */
  method: string;
  kind: TicketKind;
  /** The interface's code (seed 000 §5.3's `tipomodulo`) when the exchange belongs to one. */
  moduleCode?: number | null;
  status: TicketStatus;
  attempts?: number;
  orderId?: string | null;
  /** The API client an inbound request came from (who an `order.ingest` is re-run as). */
  clientId?: string | null;
  /** The partner's own reference: a platform's order id, a delivery id, an access key. */
  reference?: string | null;
  url?: string | null;
  httpStatus?: number | null;
  latencyMs: number;
  request?: string | null;
  response?: string | null;
  error?: string | null;
  startedAt: Date;
  /** The ticket this one re-runs, when it comes from a reprocess. */
  reprocessOf?: string | null;
  /** Why it was re-run, as the person who asked for it wrote it. */
  reprocessReason?: string | null;
}

/** A stored ticket as handlers see it when reprocessing. */
export interface StoredTicket {
  id: string;
  networkId: string | null;
  direction: TicketDirection;
  system: string;
  method: string;
  kind: TicketKind;
  moduleCode: number | null;
  status: TicketStatus;
  orderId: string | null;
  clientId: string | null;
  reference: string | null;
  request: string | null;
}

export type ReprocessOutcome = { ok: true; orderId?: string | null } | { ok: false; error: string };

/**
 * Re-runs one ticket's exchange. It must be idempotent (an inbound order reprocessed twice is still one
 * order) and records its own new ticket with `reprocessOf` set to the original's id.
 */
export type ReprocessHandler<D = unknown> = (
  db: D,
  ticket: StoredTicket,
  reason: string,
) => Promise<ReprocessOutcome>;
export type ReprocessHandlers<D = unknown> = Readonly<Record<TicketKind, ReprocessHandler<D>>>;

/** A payload as kept: cut at the cap (on a character boundary) and whether it was cut. */
export function capped(text: string | null | undefined): { text: string | null; truncated: boolean } {
  if (text == null) return { text: null, truncated: false };
  if (text.length <= CONTENT_CAP_CHARS) return { text, truncated: false };
  return { text: text.slice(0, CONTENT_CAP_CHARS), truncated: true };
}

export function byteLength(text: string | null | undefined): number {
  return text == null ? 0 : Buffer.byteLength(text, 'utf8');
}

/** One line of the consumption report (seed 000's "Consumo Connector"): a system's method on one day. */
export interface ConsumptionFigures {
  day: string;
  system: string;
  method: string;
  calls: number;
  succeeded: number;
  failed: number;
  p95LatencyMs: number | null;
  bytesIn: number;
  bytesOut: number;
}
