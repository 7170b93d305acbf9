import * as fiscal from '../../fiscal/service.ts';
import type { Claimed, EventSender, Outcome } from '../../integration/service.ts';
import * as orders from '../../orders/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { type TicketRecorder, ticketRecorder } from '../../platform/tickets/service.ts';
import { findConnectionByClient, openConnection } from '../service.ts';
import { type CallAnswer, callNuvemshop } from './client.ts';
import { accountOf } from './connection.ts';
import { nuvemshopIdOf } from './mapping.ts';

/**
 * What Omnihub tells Nuvemshop of its orders (the sender of endpoint kind `nuvemshop`, run by the webhook
 * delivery worker, so each order's events go in order and a Nuvemshop outage is retried with backoff):
 * invoiced → the NF-e's access key as an order metafield; tracking known or in transit → the order
 * fulfilled with it; cancelled in Omnihub → cancelled there. Every other event sends nothing (204).
 */

export const NFE_METAFIELD = { namespace: 'omnihub', key: 'nfe_key' } as const;

export interface SenderDeps {
  secretKey: Buffer;
  timeoutMs?: number;
  tickets?: TicketRecorder;
}

interface EventBody {
  event: string;
  orderId: string;
  externalId: string;
  status?: string;
  shipment?: { trackingCode?: string | null; trackingUrl?: string | null };
}

export function nuvemshopSender(db: Db, deps: SenderDeps): EventSender {
  const tickets = deps.tickets ?? ticketRecorder(db);
  return async (claim: Claimed): Promise<Outcome> => {
    const startedAt = new Date();
    const t0 = performance.now();
    const outcome = (responseStatus: number | null, error: string | null, url = claim.url): Outcome => ({
      startedAt,
      url,
      responseStatus,
      latencyMs: Math.round(performance.now() - t0),
      error,
      responseExcerpt: null,
    });
    /** Nothing to send for this event: delivered, as the worker counts a 204 without an error. */
    const nothing = () => outcome(204, null);
    const row = await findConnectionByClient(db, claim.clientId);
    if (!row) return outcome(null, 'the Nuvemshop connection is gone');
    const connection = openConnection(row, deps.secretKey);
    const body = JSON.parse(claim.body) as EventBody;
    const nuvemshopId = nuvemshopIdOf(body.externalId);
    if (!nuvemshopId) return nothing();
    const account = accountOf(connection);
    const call = (path: string, payload: unknown) =>
      callNuvemshop(account, 'POST', path, payload, {
        tickets,
        timeoutMs: deps.timeoutMs,
        orderId: body.orderId,
        reference: nuvemshopId,
      });

    if (body.event === orders.ORDER_SHIPMENT_CHANGED) {
      if (!body.shipment?.trackingCode) return nothing();
      return answered(await call(`/orders/${nuvemshopId}/fulfill`, fulfilment(body.shipment)), outcome);
    }
    if (body.event !== 'order.status_changed') return nothing();
    if (body.status === 'invoiced') {
      const documents = await fiscal.documentsFor(db, orders.ORDER_REFERENCE, body.orderId);
      const authorised = documents
        .filter((d) => d.status === 'authorised')
        .sort((a, b) => b.model - a.model)[0];
      if (!authorised) return nothing();
      return answered(
        await call('/metafields', {
          ...NFE_METAFIELD,
          value: authorised.accessKey,
          description: authorised.model === 55 ? 'Chave de acesso da NF-e' : 'Chave de acesso da NFC-e',
          owner_resource: 'Order',
          owner_id: Number(nuvemshopId),
        }),
        outcome,
      );
    }
    if (body.status === 'in_transit') {
      const shipment = await orders.shipmentOf(db, body.orderId);
      return answered(await call(`/orders/${nuvemshopId}/fulfill`, fulfilment(shipment ?? {})), outcome);
    }
    if (body.status === 'cancelled') {
      // A cancellation Nuvemshop asked for is not sent back to it.
      const order = await orders.getOrder(db, orders.systemCaller('nuvemshop'), body.orderId);
      const last = order.ok ? order.value.history.at(-1) : undefined;
      if (last?.to === 'cancelled' && last.actor.id === connection.clientId) return nothing();
      return answered(
        await call(`/orders/${nuvemshopId}/cancel`, { reason: 'other', email: false }),
        outcome,
      );
    }
    return nothing();
  };
}

function fulfilment(s: { trackingCode?: string | null; trackingUrl?: string | null }) {
  return {
    shipping_tracking_number: s.trackingCode ?? null,
    shipping_tracking_url: s.trackingUrl ?? null,
    notify_customer: true,
  };
}

/**
 * Nuvemshop's answer as the delivery worker's outcome. No answer, 5xx, 429 and an auth refusal (401/403,
 * fixed by correcting the connection) are retried; any other 4xx will not change on a retry and would hold
 * the order's later events behind it, so it counts as sent — the call's failed ticket says what was refused.
 */
function answered(a: CallAnswer, outcome: (s: number | null, e: string | null, url?: string) => Outcome) {
  if (a.status !== null && a.status >= 400 && a.status < 500 && ![401, 403, 429].includes(a.status))
    return outcome(204, `given up: ${a.error}`, a.url);
  return outcome(a.status, a.error, a.url);
}
