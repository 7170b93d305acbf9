import * as integration from '../integration/service.ts';
import type { Db } from '../platform/db/index.ts';
import { ok, type Result } from '../platform/errors.ts';
import { channelOf } from './domain.ts';
import { canSee, type OrderCaller, orderNotFound } from './lifecycle.ts';
import * as store from './store.ts';

/**
 * Facts about an order that do not change its status (a return at the POS, a restarted scan conference): a
 * history row that keeps the status and says what happened and, when the platform is to hear of it, an event
 * in the order's webhook outbox. Another context's flow locks the order first (`lockOrder`), decides under
 * that lock, then records the fact in the same transaction, so the order's events keep their sequence and
 * two flows on one order run one after the other.
 */

/** The order with its lines and payments, if the caller may see it (a read: nothing locked). */
export const orderFor = (db: Db, caller: OrderCaller, orderId: string) => load(db, caller, orderId, false);

/** The order with its lines and payments, its row locked until `tx` ends; not found when the caller may not see it. */
export const lockOrder = (tx: Db, caller: OrderCaller, orderId: string) => load(tx, caller, orderId, true);

async function load(
  tx: Db,
  caller: OrderCaller,
  orderId: string,
  lock: boolean,
): Promise<Result<store.OrderDetails>> {
  const order = await store.findOrder(tx, orderId, lock);
  if (!order || !(await canSee(tx, caller, order))) return orderNotFound(orderId);
  return ok({
    order,
    items: await store.itemsOf(tx, orderId),
    payments: await store.paymentsOf(tx, orderId),
  });
}

export interface OrderFact {
  /** The history's words (pt-BR, shown as written in the back office). */
  note: string;
  /** The webhook event (`order.returned`) and its own fields; none for what only the store needs to know. */
  event?: { name: string; fields: Readonly<Record<string, unknown>> };
}

/** Records the fact on an order locked by `lockOrder` in this same transaction. */
export async function recordFact(
  tx: Db,
  caller: OrderCaller,
  order: store.OrderRow,
  fact: OrderFact,
): Promise<void> {
  const at = new Date();
  await store.appendHistory(tx, {
    orderId: order.id,
    at,
    actorKind: caller.kind,
    actorId: caller.id,
    actorName: caller.name,
    actorRole: caller.actor,
    channel: channelOf(caller.actor),
    fromStatus: order.status,
    toStatus: order.status,
    reason: fact.note,
  });
  if (!fact.event) return;
  await integration.enqueueOrderEvent(tx, {
    networkId: order.networkId,
    clientId: order.clientId,
    orderId: order.id,
    externalId: order.externalId,
    event: fact.event.name,
    fields: fact.event.fields,
    at,
  });
}
