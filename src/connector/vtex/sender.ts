import * as fiscal from '../../fiscal/service.ts';
import * as integration from '../../integration/service.ts';
import * as orders from '../../orders/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { openConnection } from '../connections.ts';
import { findConnectionByClient } from '../store.ts';
import { callVtex, isTransient, type VtexAnswer } from './client.ts';
import { type VtexConnection, vtexConnectionOf } from './connection.ts';
import { cancelledByVtex, fetchVtexOrder } from './intake.ts';
import { type InvoiceFacts, invoiceNotification } from './mapping.ts';

/** The event body the outbox carries (integration's orderStatusChangedBody / orderEventBody). */
interface EventBody {
  event: string;
  orderId: string;
  externalId: string;
  status?: string;
  shipment?: { carrier: string; trackingCode: string | null; trackingUrl: string | null } | null;
  at: string;
}

const reader = orders.systemCaller('vtex');

/**
 * The order's authorised sale document of one of `models`, the last one when it was issued again: the NF-e
 * (55) of a ship order, or the NFC-e (65) the counter issues for a pickup order.
 */
async function authorisedInvoice(db: Db, orderId: string, models: readonly number[] = [55]) {
  const docs = await fiscal.documentViewsFor(db, orders.ORDER_REFERENCE, orderId);
  const authorised = docs.filter((d) => models.includes(d.model) && d.status === 'authorised');
  return authorised.filter((d) => d.model === 55).at(-1) ?? authorised.at(-1);
}

const nothingToSend = (startedAt: Date, url: string): integration.Outcome => ({
  startedAt,
  url,
  responseStatus: 204,
  latencyMs: 0,
  error: null,
  responseExcerpt: null,
});

/**
 * What VTEX's answer means for the outbox: a 2xx is delivered; down, throttled or a credential refused
 * (fixable by the admin) is retried with backoff; any other refusal (VTEX's 4xx: the order's state there
 * does not allow the call) would be refused forever and hold the order's later events behind it, so it
 * counts as delivered with VTEX's error kept on the attempt and on the call's ticket.
 */
function outcomeOf(answer: VtexAnswer, startedAt: Date, url: string): integration.Outcome {
  const retried = isTransient(answer.status) || answer.status === 401 || answer.status === 403;
  const delivered = answer.status !== null && answer.status >= 200 && answer.status < 300;
  return {
    startedAt,
    url,
    responseStatus: delivered || retried ? answer.status : 204,
    latencyMs: Date.now() - startedAt.getTime(),
    error: delivered ? null : retried ? answer.error : `${answer.error} (não reenviado)`,
    responseExcerpt: answer.body ? answer.body.slice(0, 500) : null,
  };
}

/**
 * The sender of endpoint kind `vtex` (issue 16 §6): an Omnihub order's events become VTEX's OMS calls —
 * accepted → start-handling; invoiced → the invoice notification with the authorised NF-e; a shipment
 * after invoicing → the invoice's tracking; delivered → tracking `isDelivered`; cancelled in Omnihub →
 * cancel (not when VTEX cancelled it). Any other event is delivered with nothing sent (204).
 */
export function vtexSender(
  db: Db,
  secretKey: Buffer,
  opts: { timeoutMs?: number } = {},
): integration.EventSender {
  return async (claim) => {
    const startedAt = new Date();
    const row = await findConnectionByClient(db, claim.clientId);
    if (!row) {
      return { ...nothingToSend(startedAt, claim.url), responseStatus: null, error: 'sem conexão VTEX' };
    }
    const c = vtexConnectionOf(openConnection(row, secretKey));
    const body = JSON.parse(claim.body) as EventBody;
    const call = (
      method: 'POST' | 'PATCH' | 'PUT',
      route: string,
      suffix: string,
      payload?: unknown,
    ): Promise<VtexAnswer> =>
      callVtex(db, c, {
        method,
        route: `${method} /api/oms/pvt/orders/{orderId}${route}`,
        path: `/api/oms/pvt/orders/${encodeURIComponent(body.externalId)}${suffix}`,
        body: payload,
        orderId: claim.orderId,
        reference: body.externalId,
        timeoutMs: opts.timeoutMs,
      });
    const sent = async (answer: Promise<VtexAnswer>) => outcomeOf(await answer, startedAt, c.baseUrl);

    if (body.event === orders.ORDER_SHIPMENT_CHANGED) {
      const nfe = await authorisedInvoice(db, claim.orderId);
      const s = body.shipment;
      // Before invoicing, the invoice notification carries the tracking itself.
      if (!nfe || !s) return nothingToSend(startedAt, c.baseUrl);
      return sent(
        call('PATCH', '/invoice/{invoiceNumber}', `/invoice/${nfe.number}`, {
          courier: s.carrier,
          trackingNumber: s.trackingCode,
          trackingUrl: s.trackingUrl,
          dispatchedDate: body.at,
        }),
      );
    }
    if (body.event !== integration.ORDER_STATUS_CHANGED) return nothingToSend(startedAt, c.baseUrl);

    switch (body.status) {
      case 'accepted':
        return sent(call('POST', '/start-handling', '/start-handling'));
      case 'invoiced':
        return invoice(db, c, claim.orderId, body.externalId, call, startedAt, opts.timeoutMs);
      case 'delivered': {
        const nfe = await authorisedInvoice(db, claim.orderId);
        // A pickup order handed over at the counter has no NF-e to track.
        if (!nfe) return nothingToSend(startedAt, c.baseUrl);
        const order = await orders.getOrder(db, reader, claim.orderId);
        const events = order.ok
          ? order.value.trackingEvents.map((e) => ({
              city: e.location ?? '',
              state: '',
              description: e.description,
              date: e.at,
            }))
          : [];
        return sent(
          call('PUT', '/invoice/{invoiceNumber}/tracking', `/invoice/${nfe.number}/tracking`, {
            isDelivered: true,
            deliveredDate: body.at,
            events,
          }),
        );
      }
      case 'cancelled': {
        const order = await orders.getOrder(db, reader, claim.orderId);
        const last = order.ok ? order.value.history.findLast((h) => h.to === 'cancelled') : undefined;
        if (last && cancelledByVtex(last.reason)) return nothingToSend(startedAt, c.baseUrl);
        return sent(call('POST', '/cancel', '/cancel', { reason: last?.reason ?? 'Cancelado no Omnihub' }));
      }
      default:
        return nothingToSend(startedAt, c.baseUrl);
    }
  };
}

/**
 * The invoice notification: the authorised NF-e (number, key, total in cents, issuance), VTEX's own item
 * ids read back from VTEX, and the tracking when the order has a shipment already.
 */
async function invoice(
  db: Db,
  c: VtexConnection,
  orderId: string,
  vtexOrderId: string,
  call: (method: 'POST', route: string, suffix: string, payload: unknown) => Promise<VtexAnswer>,
  startedAt: Date,
  timeoutMs?: number,
): Promise<integration.Outcome> {
  // A pickup order is invoiced at the counter with an NFC-e: VTEX is told of it as of an NF-e.
  const [nfe, order] = await Promise.all([
    authorisedInvoice(db, orderId, [55, 65]),
    orders.getOrder(db, reader, orderId),
  ]);
  if (!nfe || !order.ok) {
    return {
      ...nothingToSend(startedAt, c.baseUrl),
      responseStatus: null,
      error: 'pedido faturado sem NF-e autorizada',
    };
  }
  const fetched = await fetchVtexOrder(db, c, vtexOrderId, timeoutMs);
  if (!fetched.ok) {
    // VTEX down: retried; VTEX refusing the order for good: not resent, like any other final refusal.
    const retried =
      fetched.outcome === 'unreachable' || fetched.httpStatus === 401 || fetched.httpStatus === 403;
    return {
      ...nothingToSend(startedAt, c.baseUrl),
      responseStatus: retried ? null : 204,
      error: retried ? fetched.reason : `${fetched.reason} (não reenviado)`,
    };
  }
  const s = order.value.shipment;
  const facts: InvoiceFacts = {
    number: nfe.number,
    accessKey: nfe.accessKey,
    total: order.value.total,
    issuedAt: nfe.authorisedAt ?? nfe.createdAt,
    shipment: s ? { carrier: s.carrier, trackingCode: s.trackingCode, trackingUrl: s.trackingUrl } : null,
  };
  const answer = await call('POST', '/invoice', '/invoice', invoiceNotification(fetched.order, facts));
  return outcomeOf(answer, startedAt, c.baseUrl);
}
