/**
 * Seed 003 Cancelamento: a manager cancels an order that was already invoiced. Inside the NF-e cancellation
 * window (24 h for an NF-e, 30 min for an NFC-e, from the authorisation) the sale's document is cancelled at
 * SEFAZ (event 110111) and its `cancelled` answer cancels the order (finance keeps or releases the advance
 * per IN_MANTER_SALD_ADIAN). Outside it the order is not cancelled: the sale is reversed by a return NF-e of
 * everything left to return, the goods are back in stock and the amount is the customer's credit. That NF-e
 * names the customer's address: for an order without one (a pickup) the manager supplies it.
 */
import * as fiscal from '../../fiscal/service.ts';
import * as orders from '../../orders/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { type CustomerAddress, needsCustomerAddress, type Returned, returnOrder } from './service.ts';

/** The reason becomes SEFAZ's justification (xJust): 15 to 255 characters. */
export const REASON_MIN = 15;
export const REASON_MAX = 255;

export type InvoiceCancellation =
  | { outcome: 'cancellation'; eventId: string; documentId: string }
  | { outcome: 'reversed'; returned: Returned };

/** Whether the order's sale document may still be cancelled now (what the back office shows before asking). */
export interface CancellationWindowView {
  /** The authorised sale document: NF-e (55) or NFC-e (65). */
  documentId: string;
  model: number;
  open: boolean;
  closesAt: string;
  /** What "Cancelar pedido" will do: cancel the document, or reverse the sale by a return NF-e. */
  action: 'cancel_document' | 'reverse_sale';
  /**
   * The reversal's return NF-e names the customer's address and the order has none usable (a pickup): the
   * request must carry `customerAddress`. Always false for `cancel_document`.
   */
  addressRequired: boolean;
}

/** What the manager sends: why, and the customer's address when the reversal needs one (`addressRequired`). */
export interface CancellationRequest {
  reason: string;
  /** Used only by a reversal, and only when the order has no usable address of its own. */
  customerAddress?: CustomerAddress;
}

async function saleOf(db: Db, caller: Principal, orderId: string) {
  const who = orders.callerOf(caller);
  const order = await orders.orderFor(db, who, orderId);
  if (!order.ok) return order;
  const sale = (await fiscal.documentsFor(db, orders.ORDER_REFERENCE, orderId)).find(
    (d) => d.status === 'authorised',
  );
  return ok({ order: order.value.order, sale });
}

/** The window of the order's authorised sale document; 409 when it has none. */
export async function cancellationWindowOf(
  db: Db,
  deps: fiscal.IssuingDeps,
  caller: Principal,
  orderId: string,
): Promise<Result<CancellationWindowView>> {
  const found = await saleOf(db, caller, orderId);
  if (!found.ok) return found;
  const { order, sale } = found.value;
  const window = sale && fiscal.cancellationWindow(sale, (deps.clock ?? (() => new Date()))());
  if (!sale || !window) return noSale(order.status);
  const action = window.open && order.status === 'invoiced' ? 'cancel_document' : 'reverse_sale';
  return ok({
    documentId: sale.id,
    model: sale.model,
    open: window.open,
    closesAt: window.closesAt.toISOString(),
    action,
    addressRequired: action === 'reverse_sale' && needsCustomerAddress(order.customerAddress),
  });
}

const noSale = (status: string) =>
  fail(
    'conflict',
    'ORDER.NO_SALE_DOCUMENT',
    'The order has no authorised NF-e or NFC-e: cancel it as any order not yet invoiced.',
    { data: { status } },
  );

export async function cancelInvoicedOrder(
  db: Db,
  deps: fiscal.IssuingDeps,
  references: fiscal.References,
  caller: Principal,
  orderId: string,
  request: CancellationRequest,
): Promise<Result<InvoiceCancellation>> {
  if (!orders.cancellers.includes(caller.actor as orders.OrderActor))
    return fail(
      'forbidden',
      'ORDER.NOT_CANCELLER',
      'Only store managers and admins cancel an invoiced order.',
    );
  const text = request.reason.trim();
  if (text.length < REASON_MIN || text.length > REASON_MAX)
    return fail('invalid', 'ORDER.CANCELLATION_REASON_INVALID', 'Say why, in 15 to 255 characters.', {
      errors: [
        {
          path: '/reason',
          code: 'ORDER.CANCELLATION_REASON_LENGTH',
          params: { min: REASON_MIN, max: REASON_MAX },
          message: `must have ${REASON_MIN} to ${REASON_MAX} characters`,
        },
      ],
    });
  const found = await saleOf(db, caller, orderId);
  if (!found.ok) return found;
  const { order, sale } = found.value;
  if (order.status === 'in_transit')
    return fail(
      'conflict',
      'RETURN.IN_TRANSIT',
      'The goods are on their way to the customer: register the return when they come back to the store.',
      { data: { status: order.status } },
    );
  if (order.status !== 'invoiced' && order.status !== 'delivered')
    return fail(
      'conflict',
      'ORDER.NOT_INVOICED',
      `The order is ${order.status}: only an invoiced or delivered order is cancelled here.`,
      { data: { status: order.status } },
    );
  const window = sale && fiscal.cancellationWindow(sale, (deps.clock ?? (() => new Date()))());
  if (!sale || !window) return noSale(order.status);
  if (window.open && order.status === 'invoiced') {
    const requested = await fiscal.requestCancellation(db, deps, references, caller, sale.id, text);
    if (!requested.ok) return requested;
    return ok({ outcome: 'cancellation', eventId: requested.value.eventId, documentId: sale.id });
  }
  const returned = await returnOrder(db, deps, caller, orderId, {
    items: 'rest',
    reason: { reversal: text },
    customerAddress: request.customerAddress,
    channel: 'reversal',
  });
  if (!returned.ok) return returned;
  return ok({ outcome: 'reversed', returned: returned.value });
}
