import * as delivery from '../delivery/service.ts';
import * as finance from '../finance/service.ts';
import * as fiscal from '../fiscal/service.ts';
import * as integration from '../integration/service.ts';
import * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import * as reports from '../reports/service.ts';
import * as stock from '../stock/service.ts';
import {
  allowedTargets,
  cancellers,
  channelOf,
  checkTransition,
  conferenceMode,
  type GuardContext,
  type HistoryActorKind,
  needsContext,
  noContext,
  ORDER_REFERENCE,
  type OrderActor,
  type OrderFacts,
  type OrderFlow,
  type OrderStatus,
  reasonRequired,
  refusal,
} from './domain.ts';
import { notifyStatusChange } from './notify.ts';
import { lockedPurchaseOf } from './purchase.ts';
import * as store from './store.ts';

/**
 * The one transition function: every status change, from any endpoint or flow, goes through
 * `changeStatus`, so the table, the guards, the side effects, the history and the webhook outbox can
 * never disagree.
 */

/** Who acts on an order: a principal (with where it sits in the network) or a flow of Omnihub itself. */
export interface OrderCaller {
  kind: HistoryActorKind;
  id: string;
  name: string;
  actor: OrderActor;
  /** The principal's node; absent for `system`, which acts for the order wherever it is. */
  nodeId?: string;
  nodePath?: string;
  networkId?: string;
}

/** A flow of Omnihub (fiscal authorisation, split, carrier tracking) acting on its own authority. */
export const systemCaller = (flow: string): OrderCaller => ({
  kind: 'system',
  id: flow,
  name: flow,
  actor: 'system',
});

/** A principal (user or API client) as the order flows see it. */
export function callerOf(p: {
  kind: 'user' | 'client';
  id: string;
  name: string;
  actor: OrderCaller['actor'];
  nodeId: string;
  nodePath: string;
  networkId: string;
}): OrderCaller {
  return {
    kind: p.kind,
    id: p.id,
    name: p.name,
    actor: p.actor,
    nodeId: p.nodeId,
    nodePath: p.nodePath,
    networkId: p.networkId,
  };
}

export const stockActor = (caller: OrderCaller) => `${caller.kind}:${caller.id}`;

export const orderReference = (orderId: string) => ({ type: 'order', id: orderId });

export const orderNotFound = (id: string) =>
  fail('not_found', 'ORDER.NOT_FOUND', `There is no order ${id} visible to you.`);

/**
 * The platform sees its network's orders; users the orders of the stores in their subtree; a POS those of
 * its store. Principals are bound to a node, so all three are "the order's store is under my node".
 */
export async function canSee(db: Db, caller: OrderCaller, order: { storeId: string }): Promise<boolean> {
  if (caller.actor === 'system') return true;
  if (!caller.nodePath) return false;
  const place = await network.placement(db, order.storeId);
  return place !== undefined && network.isWithin(place.path, caller.nodePath);
}

/** The store's settings the guards of the order's next edges read (none for most statuses). */
export async function guardContext(db: Db, order: OrderFacts & { storeId: string }): Promise<GuardContext> {
  if (!needsContext(order.status)) return noContext;
  const values = await parameters.resolveMany(db, order.storeId, [
    'DS_LST_TRANSPORT_OMNI',
    'TP_VALIDA_SLD_ACEITE_PED',
    'CD_TIPOCLAS_OMNI',
    'TP_CONF_ACEITE_PED',
  ]);
  // Read per store and status, never per order: the queue shares one context among a store's rows.
  const carriersWithAccount =
    order.status === 'invoiced' || order.status === 'in_transit'
      ? await delivery.carrierCodesWithAccount(db, order.storeId)
      : [];
  return {
    manualCarriers: values.DS_LST_TRANSPORT_OMNI.value ?? [],
    carriersWithAccount,
    splitEnabled: values.TP_VALIDA_SLD_ACEITE_PED.value === '01',
    omniClassification: values.CD_TIPOCLAS_OMNI.value,
    conferenceRequired: conferenceMode(values.TP_CONF_ACEITE_PED.value) === 'scan_required',
  };
}

export async function allowedFor(db: Db, caller: OrderCaller, order: store.OrderRow): Promise<OrderStatus[]> {
  return allowedTargets(order, caller.actor, await guardContext(db, order));
}

export interface ChangeOptions {
  reason?: string;
  /** The flow taking the change, for edges only their flow takes (domain.ts, `Transition.flow`). */
  flow?: OrderFlow;
  /**
   * On acceptance: the manager confirmed accepting without the whole stock (IN_BLOQ_SALDO_NEG off); what
   * cannot be reserved is recorded as the order's shortfall.
   */
  allowShortfall?: boolean;
}

/**
 * Moves the order to `to` inside the caller's transaction `tx` (lock, check, side effects, history,
 * outbox). A returned failure has written nothing that the surrounding `transaction()` will keep.
 */
export async function changeStatus(
  tx: Db,
  caller: OrderCaller,
  orderId: string,
  to: OrderStatus,
  opts: ChangeOptions = {},
): Promise<Result<store.OrderRow>> {
  // The row lock serialises concurrent changes of one order: the second waits, then sees the new status.
  const order = await store.findOrder(tx, orderId, true);
  if (!order || !(await canSee(tx, caller, order))) return orderNotFound(orderId);
  const ctx = await guardContext(tx, order);
  const check = checkTransition(order, to, caller.actor, ctx, opts.flow);
  if (!check.ok) {
    return fail('conflict', 'ORDER.TRANSITION_NOT_ALLOWED', refusal(order, to, caller.actor, check), {
      data: { currentStatus: order.status, requested: to, allowed: allowedTargets(order, caller.actor, ctx) },
    });
  }
  if (check.edge.through) {
    // One step, two edges: each with its own side effects, history row and webhook, in this transaction.
    const first = await changeStatus(tx, caller, orderId, check.edge.through, opts);
    if (!first.ok) return first;
    return changeStatus(tx, caller, orderId, to, { ...opts, allowShortfall: false });
  }
  let reason = opts.reason?.trim() || null;
  if (reasonRequired(to) && !reason) {
    return fail('invalid', 'ORDER.REASON_REQUIRED', `Say why the order goes to ${to}.`, {
      errors: [{ path: '/reason', code: 'ORDER.REASON_REQUIRED', message: 'is required' }],
    });
  }
  const at = new Date();
  let acceptance: store.Acceptance | undefined;
  // An acceptance of the whole order reserves last, just before the commit: a store's stock row is what
  // concurrent acceptances of one product wait for, so it is locked for as short a time as possible. A
  // refusal then rolls back what was written before it (the surrounding transaction keeps nothing of a
  // failure). Accepting short of stock needs the reservation's outcome first, so it reserves first.
  const reserveLast = to === 'accepted' && opts.allowShortfall !== true;
  if (to === 'accepted') {
    const held = reserveLast ? ok(null) : await reserveLines(tx, caller, order, true);
    if (!held.ok) return held;
    acceptance = await acceptanceOf(tx, order, at, held.value);
    if (held.value) reason = [shortfallNote(held.value), reason].filter(Boolean).join(' — ');
    if (acceptance.conferredAt) reason = [reason, conferredAtAcceptanceNote].filter(Boolean).join(' — ');
  } else {
    const effect = await sideEffects(tx, caller, order, to, reason);
    if (!effect.ok) return effect;
  }

  const updated = await store.setStatus(tx, order, to, at, acceptance);
  await postFinance(tx, caller, updated, to, reason);
  await store.appendHistory(tx, {
    orderId: order.id,
    at,
    actorKind: caller.kind,
    actorId: caller.id,
    actorName: caller.name,
    actorRole: caller.actor,
    channel: channelOf(caller.actor),
    fromStatus: order.status,
    toStatus: to,
    reason,
  });
  await store.announceChange(tx, { storeId: order.storeId, orderId: order.id, status: to });
  await integration.enqueueOrderStatusChange(tx, {
    networkId: order.networkId,
    clientId: order.clientId,
    orderId: order.id,
    externalId: order.externalId,
    status: to,
    previousStatus: order.status,
    at,
  });
  await notifyStatusChange(tx, updated, to);
  if (reserveLast) {
    const held = await reserveLines(tx, caller, order, false);
    if (!held.ok) return held;
  }
  return ok(updated);
}

/**
 * The money of the change (seed 003 Financeiro, Finalização, Cancelamento), in its transaction: acceptance
 * raises the receivables and the advance, invoicing settles the sale with the advance, cancellation undoes
 * the invoice and keeps or releases the advance.
 */
async function postFinance(
  tx: Db,
  caller: OrderCaller,
  order: store.OrderRow,
  to: OrderStatus,
  reason: string | null,
): Promise<void> {
  if (to !== 'accepted' && to !== 'invoiced' && to !== 'cancelled') return;
  const purchase = await lockedPurchaseOf(tx, order);
  const actor = stockActor(caller);
  if (to === 'accepted') return finance.onAccepted(tx, purchase, order.id, actor);
  if (to === 'cancelled') return finance.onCancelled(tx, purchase, order.id, { actor, reason });
  const sale = (await fiscal.documentsFor(tx, ORDER_REFERENCE, order.id)).find(
    (d) => d.status === 'authorised',
  );
  return finance.onInvoiced(tx, purchase, order.id, { actor, documentKey: sale?.accessKey ?? null });
}

/** `changeStatus` in a transaction of its own. */
export function transition(
  db: Db,
  caller: OrderCaller,
  orderId: string,
  to: OrderStatus,
  opts: ChangeOptions = {},
): Promise<Result<store.OrderRow>> {
  return transaction(db, (tx) => changeStatus(tx, caller, orderId, to, opts));
}

/**
 * What acceptance writes on the order (seeds, PEDFP144): the arrival date is the system date, the expected
 * invoicing date that plus the store's DS_LST_DTPREV_OMNI days for the delivery type.
 */
async function acceptanceOf(
  tx: Db,
  order: store.OrderRow,
  at: Date,
  shortfall: store.ShortfallLine[] | null,
): Promise<store.Acceptance> {
  const values = await parameters.resolveMany(tx, order.storeId, [
    'DS_LST_DTPREV_OMNI',
    'TP_CONF_ACEITE_PED',
  ]);
  const days = parameters.invoiceLeadDays(values.DS_LST_DTPREV_OMNI.value ?? [], order.deliveryType);
  // Seeds 003: with TP_CONF_ACEITE_PED = 1 the acceptance (PEDFP144) confirms the items; no scan count follows.
  const atAcceptance = conferenceMode(values.TP_CONF_ACEITE_PED.value) === 'at_acceptance';
  return {
    arrivedAt: at,
    expectedInvoiceAt: new Date(at.getTime() + days * 86_400_000),
    shortfall,
    conferredAt: atAcceptance ? at : null,
  };
}

/** The history's words for items confirmed at acceptance (pt-BR, shown as written). */
const conferredAtAcceptanceNote = 'Itens conferidos no aceite (TP_CONF_ACEITE_PED = 1)';

/** The history's words for an acceptance short of stock (pt-BR: the back office shows reasons as written). */
const shortfallNote = (lines: readonly store.ShortfallLine[]) =>
  `Aceito com falta de estoque (IN_BLOQ_SALDO_NEG desligado): ${lines
    .map((l) => `${l.sku} falta ${l.missing}`)
    .join('; ')}`;

/** How an order's sale is known in the channel report's facts. */
const SALE_SOURCE = 'order';

/** What entering a status does to the stock (leaving the flow gives it back, invoicing sells it) and to the sales the channel report counts. */
async function sideEffects(
  tx: Db,
  caller: OrderCaller,
  order: store.OrderRow,
  to: OrderStatus,
  reason: string | null,
): Promise<Result<unknown>> {
  const reference = orderReference(order.id);
  const actor = stockActor(caller);
  switch (to) {
    case 'cancelled':
      if (order.status === 'invoiced') {
        await reports.withdrawSale(tx, SALE_SOURCE, order.id);
        return returnSoldLines(tx, order, actor, reason);
      }
      return ok(await stock.releaseByReference(tx, { reference, actor, reason: reason ?? undefined }));
    case 'invoiced': {
      for (const held of await stock.reservationsOf(tx, reference)) {
        if (held.status !== 'active') continue;
        const consumed = await stock.consume(tx, { reservationId: held.id, actor, as: 'sale', reference });
        if (!consumed.ok) return consumed;
      }
      await reports.recordSale(tx, {
        networkId: order.networkId,
        storeId: order.storeId,
        // Seeds 000 §3.4.3: what the POS sold is "PDV", the e-commerce's orders "Omni".
        channel: order.modality === 'endless_aisle' ? 'pos' : 'omni',
        sourceType: SALE_SOURCE,
        sourceId: order.id,
        invoicedAt: new Date(),
        value: order.total,
      });
      return ok(null);
    }
    default:
      return ok(null);
  }
}

/** The invoice was cancelled before the goods left: what was sold is back on the store's shelf. */
async function returnSoldLines(
  tx: Db,
  order: store.OrderRow,
  actor: string,
  reason: string | null,
): Promise<Result<unknown>> {
  for (const item of await store.itemsOf(tx, order.id)) {
    const back = await stock.returnToStock(tx, {
      storeId: order.storeId,
      productId: item.productId,
      quantity: item.quantity,
      reason: reason ?? 'fiscal document cancelled',
      reference: orderReference(order.id),
      actor,
    });
    if (!back.ok) return back;
  }
  return ok(null);
}

/**
 * Holds every line at the fulfilling store or none. A shortage is 409 ORDER.INSUFFICIENT_STOCK with each
 * short SKU's requested, available and missing quantities, whether the store may split the order instead
 * (TP_VALIDA_SLD_ACEITE_PED = '01') and whether a manager may accept it short (`shortfallAllowed`:
 * IN_BLOQ_SALDO_NEG off). With that confirmation (`allowShortfall`) what is there is held and the rest is
 * answered as the shortfall; available stock never goes below zero either way.
 */
async function reserveLines(
  tx: Db,
  caller: OrderCaller,
  order: store.OrderRow,
  allowShortfall: boolean,
): Promise<Result<store.ShortfallLine[] | null>> {
  const items = await store.itemsOf(tx, order.id);
  // What the order holds at its store already (a split reserved the store's own stock and what the
  // transfers brought in) counts: only the rest is reserved now.
  const holding = new Map<string, number>();
  for (const r of await stock.reservationsOf(tx, orderReference(order.id)))
    if (r.status === 'active' && r.storeId === order.storeId)
      holding.set(r.productId, (holding.get(r.productId) ?? 0) + r.quantity);
  const missing = items
    .map((i) => ({
      storeId: order.storeId,
      productId: i.productId,
      sku: i.sku,
      quantity: i.quantity - (holding.get(i.productId) ?? 0),
    }))
    .filter((l) => l.quantity > 0);
  if (missing.length === 0) return ok(null);
  const reserve = (lines: typeof missing) =>
    stock.reserveMany(tx, {
      lines: lines.map(({ storeId, productId, quantity }) => ({ storeId, productId, quantity })),
      reference: orderReference(order.id),
      actor: stockActor(caller),
    });
  const held = await reserve(missing);
  if (held.ok) return ok(null);
  if (held.failure.code !== 'STOCK.INSUFFICIENT') return held;
  const lines = ((held.failure.data?.lines ?? []) as StockShortage[]).map(
    ({ sku, requested, available, missing }) => ({ sku, requested, available, missing }),
  );
  const settings = await parameters.resolveMany(tx, order.storeId, [
    'TP_VALIDA_SLD_ACEITE_PED',
    'IN_BLOQ_SALDO_NEG',
  ]);
  const splitAvailable = settings.TP_VALIDA_SLD_ACEITE_PED.value === '01';
  const shortfallAllowed = settings.IN_BLOQ_SALDO_NEG.value === false;
  if (allowShortfall && shortfallAllowed && cancellers.includes(caller.actor)) {
    const short = new Map(lines.map((l) => [l.sku, l]));
    const partial = missing
      .map((l) => ({ ...l, quantity: short.has(l.sku) ? short.get(l.sku)!.available : l.quantity }))
      .filter((l) => l.quantity > 0);
    // The stock may have moved since the first try: then the manager sees the new shortage and decides again.
    const again = partial.length ? await reserve(partial) : ok([]);
    if (again.ok) return ok(lines.map(({ sku, missing }) => ({ sku, missing })));
    if (again.failure.code !== 'STOCK.INSUFFICIENT') return again;
  }
  const detail =
    `Not enough stock to accept: ${lines.map((l) => `${l.sku} ${l.requested} asked, ${l.available} available`).join('; ')}.` +
    (splitAvailable ? ' The order may be split across the group’s companies.' : '') +
    (shortfallAllowed
      ? ' A manager may accept it short of stock (IN_BLOQ_SALDO_NEG off) by confirming with allowShortfall: true.'
      : '');
  if (allowShortfall && !shortfallAllowed)
    return fail(
      'conflict',
      'ORDER.SHORTFALL_NOT_ALLOWED',
      `${detail} This store accepts only with the stock (IN_BLOQ_SALDO_NEG is on).`,
      { data: { lines, splitAvailable, shortfallAllowed, parameter: 'IN_BLOQ_SALDO_NEG' } },
    );
  if (allowShortfall && !cancellers.includes(caller.actor))
    return fail(
      'forbidden',
      'ORDER.SHORTFALL_NOT_ALLOWED',
      'Only a manager accepts an order short of stock.',
      {
        data: { lines, splitAvailable, shortfallAllowed },
      },
    );
  return fail('conflict', 'ORDER.INSUFFICIENT_STOCK', detail, {
    data: { lines, splitAvailable, shortfallAllowed },
  });
}

interface StockShortage {
  sku: string;
  requested: number;
  available: number;
  missing: number;
}
