import type { TrackingStatus } from '../port.ts';

/**
 * What Melhor Envio's order statuses and webhook events mean for the order. Source: Melhor Envio's
 * developer docs (docs.melhorenvio.com.br), "Webhooks" (events `order.created`, `order.pending`,
 * `order.released`, `order.generated`, `order.received`, `order.posted`, `order.delivered`,
 * `order.cancelled`, `order.undelivered`, `order.paused`, `order.suspended`) and the order's `status` field
 * of "Rastreio de envios" (pending, released, generated, posted, delivered, canceled, undelivered, …).
 * Pure: the table is the rule; null means the event is about the purchase, not about the parcel's way.
 */
const table: Readonly<Record<string, TrackingStatus | null>> = {
  created: null,
  pending: null,
  released: null,
  generated: null,
  paused: null,
  suspended: null,
  expired: null,
  received: 'in_transit',
  posted: 'posted',
  delivered: 'delivered',
  undelivered: 'delivery_failed',
  canceled: 'cancelled',
  cancelled: 'cancelled',
};

/** The status of `order.posted` or of an order's `status` "posted"; null for the purchase's own steps. */
export function melhorEnvioStatus(eventOrStatus: string): TrackingStatus | null {
  const name = eventOrStatus
    .trim()
    .toLowerCase()
    .replace(/^order\./, '');
  return table[name] ?? null;
}

/** Portuguese words for the order's timeline, Melhor Envio's panel terms. */
export const melhorEnvioWords: Readonly<Record<TrackingStatus, string>> = {
  posted: 'Envio postado',
  in_transit: 'Envio recebido no centro de distribuição',
  out_for_delivery: 'Saiu para entrega',
  delivered: 'Envio entregue',
  delivery_failed: 'Envio não entregue',
  returning: 'Envio em devolução',
  cancelled: 'Envio cancelado',
};

/** Stable across webhook retries and repeated polls: the status, the order and the time it happened. */
export function melhorEnvioEventId(orderId: string, status: TrackingStatus, at: string): string {
  return `melhor_envio:${orderId}:${status}:${at}`;
}

/** Which timestamp of an order says when it reached a status. */
export const timestampOf: Readonly<Partial<Record<TrackingStatus, string>>> = {
  posted: 'posted_at',
  delivered: 'delivered_at',
  cancelled: 'canceled_at',
};
