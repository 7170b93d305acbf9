import * as integration from '../integration/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { ok, type Result } from '../platform/errors.ts';
import type { OrderStatus } from './domain.ts';
import { canSee, type OrderCaller, orderNotFound } from './lifecycle.ts';
import * as store from './store.ts';

/**
 * An order's webhook tickets and the seeds' "status re-send" (PEDFP143). The tickets belong to the
 * integration context; who may see them is the order's visibility, decided here.
 */

export async function deliveriesOf(
  db: Db,
  caller: OrderCaller,
  orderId: string,
  page: { cursor?: string; limit?: number },
) {
  const order = await store.findOrder(db, orderId);
  if (!order || !(await canSee(db, caller, order))) return orderNotFound(orderId);
  return integration.listDeliveries(db, {
    orderId,
    ...page,
    excerpts: integration.readsExcerpts(caller.actor),
  });
}

export interface Resent {
  orderId: string;
  externalId: string;
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  at: string;
}

/**
 * Sends the current status to the platform again, as the change that produced it (same previous status and
 * time). Under the order's row lock, like a change, so the outbox keeps the order's events in sequence.
 */
export function resendStatus(db: Db, caller: OrderCaller, orderId: string): Promise<Result<Resent>> {
  return transaction(db, async (tx) => {
    const order = await store.findOrder(tx, orderId, true);
    if (!order || !(await canSee(tx, caller, order))) return orderNotFound(orderId);
    const last = await store.lastHistory(tx, orderId);
    const change = {
      orderId,
      externalId: order.externalId,
      status: order.status,
      previousStatus: last?.fromStatus ?? null,
      at: last?.at ?? order.updatedAt,
    };
    await integration.enqueueOrderStatusChange(tx, {
      ...change,
      networkId: order.networkId,
      clientId: order.clientId,
    });
    return ok({ ...change, at: change.at.toISOString() });
  });
}
