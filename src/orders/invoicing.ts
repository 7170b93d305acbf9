/**
 * The order's invoicing: its NF-e (ship from store) or NFC-e (POS), issued by fiscal inside the order's
 * transaction, and what SEFAZ's answer does to the order, registered with fiscal in app.ts as the handlers
 * of the `order` reference: authorised → `invoiced` (reservations become sales); an NF-e rejected → back
 * to `picking` (invoicing again reuses its number); denied (uso denegado) → back to `picking` too, its
 * number used up; cancelled → `cancelled`. An NFC-e issued in offline
 * contingency (SEFAZ unreachable) makes the order `invoiced` at once: the sale is legally made; its later
 * authorisation moves nothing, and its rare rejection is the fiscal contingency alarm, not a step back.
 * The error codes stay `FISCAL.*`: they are the answers clients already know.
 */
import * as finance from '../finance/service.ts';
import * as fiscal from '../fiscal/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { formatDateTime, saoPauloDay } from '../platform/format-br.ts';
import { salespersonNote } from './batch-rules.ts';
import { enqueueCarrierShipment } from './carrier-shipments.ts';
import { ORDER_REFERENCE } from './domain.ts';
import { recordFact } from './facts.ts';
import { canSee, changeStatus, type OrderCaller, orderNotFound, systemCaller } from './lifecycle.ts';
import { purchaseOf } from './purchase.ts';
import { chooseSalesperson } from './salesperson.ts';
import { type OrderDetails, orderDetails, setSalesperson } from './store.ts';

/** The reference type of the documents issued for an order. */
export { ORDER_REFERENCE };

/** The order's history names SEFAZ's answer as what moved it. */
const fiscalCaller: OrderCaller = {
  ...systemCaller('fiscal'),
  name: 'SEFAZ (autorização da nota)',
};

/** The order's history names the contingency as what moved it. */
const contingencyCaller: OrderCaller = {
  ...systemCaller('fiscal'),
  name: 'NFC-e em contingência (SEFAZ indisponível)',
};

/** The sale fiscal documents: the order's lines, values and customer as they stand. */
function saleOf(details: OrderDetails): fiscal.SaleInput['sale'] {
  const { order, items, payments } = details;
  return {
    number: order.number,
    externalId: order.externalId,
    deliveryType: order.deliveryType,
    customer: {
      name: order.customerName,
      document: order.customerDocument,
      email: order.customerEmail,
      phone: order.customerPhone,
      address: order.customerAddress
        ? { ...order.customerAddress, complement: order.customerAddress.complement ?? null }
        : null,
    },
    itemsTotal: order.itemsTotal,
    discountTotal: order.discountTotal,
    freight: order.freight,
    total: order.total,
    items,
    payments,
    salesperson: order.salespersonName,
  };
}

async function issueForOrder(
  tx: Db,
  deps: fiscal.IssuingDeps,
  orderId: string,
  input: Pick<fiscal.SaleInput, 'model' | 'operation' | 'recipientDocument'>,
): Promise<Result<fiscal.Issued>> {
  const details = await orderDetails(tx, orderId);
  if (!details) return fail('not_found', 'ORDER.NOT_FOUND', `There is no order ${orderId}.`);
  // An NF-e's duplicatas are the order's share of its billed receivables (finance's schedule).
  // Only a billed ("invoice") payment has duplicatas: other orders skip reading the purchase.
  const billed = details.payments.some((p) => p.method === 'invoice');
  const billing =
    input.model === '55' && billed
      ? await finance.billingOf(
          tx,
          await purchaseOf(tx, orderId),
          orderId,
          saoPauloDay((deps.clock ?? (() => new Date()))()),
        )
      : null;
  return fiscal.issueSale(tx, deps, {
    ...input,
    reference: { type: ORDER_REFERENCE, id: orderId },
    storeId: details.order.storeId,
    networkId: details.order.networkId,
    sale: { ...saleOf(details), billing },
  });
}

/**
 * POST /orders/{id}/invoice: a ship-from-store order in picking gets its NF-e. The order moves to
 * `invoicing` and the NF-e is queued for SEFAZ in one transaction; `invoiced` follows the authorisation.
 */
export function invoiceOrder(
  db: Db,
  deps: fiscal.IssuingDeps,
  caller: OrderCaller,
  orderId: string,
  opts: { salespersonId?: string } = {},
): Promise<Result<fiscal.Issued>> {
  return transaction(db, async (tx) => {
    const moved = await changeStatus(tx, caller, orderId, 'invoicing', { flow: 'invoice' });
    if (!moved.ok) return moved;
    // After the move: an order that cannot be invoiced now says so (409) before the salesperson is asked.
    const salesperson = await chooseSalesperson(tx, moved.value, opts.salespersonId);
    if (!salesperson.ok) return salesperson;
    if (salesperson.value) {
      await setSalesperson(tx, orderId, salesperson.value);
      await recordFact(tx, caller, moved.value, { note: salespersonNote(salesperson.value.name) });
    }
    return issueForOrder(tx, deps, orderId, { model: '55', operation: 'home_delivery' });
  });
}

/**
 * The POS's finish: an order the POS rescued (`invoicing`) gets its NFC-e, with the customer's document
 * printed when asked for. The POS screens call it through a later endpoint.
 */
export function issueConsumerReceipt(
  db: Db,
  deps: fiscal.IssuingDeps,
  caller: OrderCaller,
  orderId: string,
  customerDocument?: string,
): Promise<Result<fiscal.Issued>> {
  return transaction(db, async (tx) => {
    // Locked: two finishes at once (a double tap at the counter) must not issue two NFC-e.
    const details = await orderDetails(tx, orderId, true);
    if (!details || !(await canSee(tx, caller, details.order))) return orderNotFound(orderId);
    if (details.order.status !== 'invoicing')
      return fail(
        'conflict',
        'FISCAL.NOT_INVOICING',
        `The order is ${details.order.status}: the POS rescues it (invoicing) before finishing its NFC-e.`,
      );
    const pending = (await fiscal.documentsFor(tx, ORDER_REFERENCE, orderId)).find(
      (d) => d.status === 'sending' || d.status === 'contingency' || d.status === 'authorised',
    );
    if (pending)
      return fail(
        'conflict',
        'FISCAL.ALREADY_ISSUED',
        `The order already has document ${pending.accessKey}.`,
        {
          data: { documentId: pending.id, status: pending.status },
        },
      );
    return issueForOrder(tx, deps, orderId, {
      model: '65',
      operation: 'pickup',
      recipientDocument: customerDocument,
    });
  });
}

/** What SEFAZ's answers about an order's document do to the order (registered with fiscal in app.ts). */
export const invoicingHandlers: fiscal.ReferenceHandlers = {
  // A contingency NFC-e invoiced the order when it was issued: its authorisation moves nothing. An NF-e
  // in SVC (tpEmis 6/7) is valid only once authorised, like any NF-e.
  // A ship order's carrier with an account for the store is asked for the shipment once the NF-e stands
  // (carrier-shipments.ts), in this same transaction: the job exists if and only if the order is invoiced.
  authorised: async (tx, doc) => {
    if (doc.contingencyAt && doc.model === 65) return ok(null);
    const moved = await changeStatus(tx, fiscalCaller, doc.referenceId, 'invoiced');
    if (moved.ok && doc.model === 55) await enqueueCarrierShipment(tx, doc.referenceId);
    return moved;
  },
  contingency: (tx, doc) =>
    changeStatus(tx, contingencyCaller, doc.referenceId, 'invoiced', {
      reason: `NFC-e ${doc.number} emitida em contingência off-line; a transmitir à SEFAZ até ${doc.transmitBy ? formatDateTime(doc.transmitBy) : '24 h após a emissão'}`,
    }),
  // An NFC-e stays with the POS, which corrects it or gives the order back; an NF-e returns to picking.
  // A contingency NFC-e's sale stands: its rejection is the fiscal alarm (GET /fiscal/contingency).
  rejected: async (tx, doc, reason) =>
    doc.model === 55 ? changeStatus(tx, fiscalCaller, doc.referenceId, 'picking', { reason }) : ok(null),
  // Uso denegado: the NF-e stays at SEFAZ under its number, which is used up; the order goes back to picking
  // and invoicing again takes a new number once the irregularity is solved. A contingency NFC-e's sale stands.
  denied: async (tx, doc, reason) =>
    doc.model === 55 && !doc.contingencyAt
      ? changeStatus(tx, fiscalCaller, doc.referenceId, 'picking', {
          reason: `Uso denegado da NF-e ${doc.number} (${reason}); o número fica usado, a nova emissão terá outro número`,
        })
      : ok(null),
  cancelled: (tx, doc, justification) =>
    changeStatus(tx, fiscalCaller, doc.referenceId, 'cancelled', {
      reason: `${doc.model === 55 ? 'NF-e' : 'NFC-e'} ${doc.number} cancelada: ${justification}`,
    }),
  // Once the goods left the store (in transit, delivered), a return undoes the sale, not a cancellation.
  async mayCancel(tx, doc) {
    const details = await orderDetails(tx, doc.referenceId);
    if (details && details.order.status !== 'invoiced')
      return fail(
        'conflict',
        'FISCAL.GOODS_LEFT',
        `The order is ${details.order.status}: once the goods left the store, a return (devolução) undoes the sale, not a cancellation.`,
        { data: { orderStatus: details.order.status } },
      );
    return ok(null);
  },
};
