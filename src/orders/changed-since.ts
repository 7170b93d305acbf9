import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { orders } from './schema.ts';

export interface ChangedOrder {
  id: string;
  storeId: string;
  number: number | null;
  externalId: string;
  status: string;
  total: string;
  updatedAt: Date;
}

/**
 * A network's orders changed after a moment, oldest change first (what an outbound integration interface
 * sends on each run: the orders changed since its last successful one).
 */
export async function ordersChangedSince(
  db: Db,
  networkId: string,
  since: Date | null,
  limit: number,
): Promise<ChangedOrder[]> {
  return db
    .select({
      id: orders.id,
      storeId: orders.storeId,
      number: orders.number,
      externalId: orders.externalId,
      status: orders.status,
      total: orders.total,
      updatedAt: orders.updatedAt,
    })
    .from(orders)
    .where(and(eq(orders.networkId, networkId), since ? gt(orders.updatedAt, since) : undefined))
    .orderBy(asc(orders.updatedAt), asc(orders.id))
    .limit(limit);
}
