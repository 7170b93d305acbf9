import * as integration from '../integration/service.ts';
import * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import * as stock from '../stock/service.ts';
import {
  allowedTargets,
  channelOf,
  checkTransition,
  type GuardContext,
  type HistoryActorKind,
  needsContext,
  noContext,
  type OrderActor,
  type OrderFacts,
  type OrderFlow,
  type OrderStatus,
  reasonRequired,
  refusal,
} from './domain.ts';
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
  const carriers = await parameters.resolve(db, order.storeId, 'DS_LST_TRANSPORT_OMNI');
  return { manualCarriers: carriers.value ?? [] };
}

export async function allowedFor(db: Db, caller: OrderCaller, order: store.OrderRow): Promise<OrderStatus[]> {
  return allowedTargets(order, caller.actor, await guardContext(db, order));
}

export interface ChangeOptions {
  reason?: string;
  /** The flow taking the change, for edges only their flow takes (domain.ts, `Transition.flow`). */
  flow?: OrderFlow;
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
  const reason = opts.reason?.trim() || null;
  if (reasonRequired(to) && !reason) {
    return fail('invalid', 'ORDER.REASON_REQUIRED', `Say why the order goes to ${to}.`, {
      errors: [{ path: '/reason', code: 'ORDER.REASON_REQUIRED', message: 'is required' }],
    });
  }
  const effect = await sideEffects(tx, caller, order, to, reason);
  if (!effect.ok) return effect;

  const at = new Date();
  const updated = await store.setStatus(tx, order, to, at);
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
  return ok(updated);
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

/** What entering a status does to the stock: accepting holds every line, leaving the flow gives it back. */
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
    case 'accepted':
      return reserveLines(tx, caller, order);
    case 'cancelled':
      if (order.status === 'invoiced') return returnSoldLines(tx, order, actor, reason);
      return ok(await stock.releaseByReference(tx, { reference, actor, reason: reason ?? undefined }));
    case 'invoiced': {
      for (const held of await stock.reservationsOf(tx, reference)) {
        if (held.status !== 'active') continue;
        const consumed = await stock.consume(tx, { reservationId: held.id, actor, as: 'sale', reference });
        if (!consumed.ok) return consumed;
      }
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
 * short SKU's requested, available and missing quantities, and whether the store may split the order
 * instead (TP_VALIDA_SLD_ACEITE_PED = '01').
 */
async function reserveLines(tx: Db, caller: OrderCaller, order: store.OrderRow): Promise<Result<unknown>> {
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
      quantity: i.quantity - (holding.get(i.productId) ?? 0),
    }))
    .filter((l) => l.quantity > 0);
  if (missing.length === 0) return ok([]);
  const held = await stock.reserveMany(tx, {
    lines: missing,
    reference: orderReference(order.id),
    actor: stockActor(caller),
  });
  if (held.ok || held.failure.code !== 'STOCK.INSUFFICIENT') return held;
  const short = (held.failure.data?.lines ?? []) as {
    sku: string;
    requested: number;
    available: number;
    missing: number;
  }[];
  const lines = short.map(({ sku, requested, available, missing }) => ({
    sku,
    requested,
    available,
    missing,
  }));
  const mode = await parameters.resolve(tx, order.storeId, 'TP_VALIDA_SLD_ACEITE_PED');
  const splitAvailable = mode.value === '01';
  const detail =
    `Not enough stock to accept: ${lines.map((l) => `${l.sku} ${l.requested} asked, ${l.available} available`).join('; ')}.` +
    (splitAvailable ? ' The order may be split across the group’s companies.' : '');
  return fail('conflict', 'ORDER.INSUFFICIENT_STOCK', detail, { data: { lines, splitAvailable } });
}
