import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.ts';
import type { ReturnReasonType } from './domain.ts';
import { orderReturnItems, orderReturns, returnReasons } from './schema.ts';

export type ReasonRow = typeof returnReasons.$inferSelect;
export type NewReason = typeof returnReasons.$inferInsert;
export type ReturnRow = typeof orderReturns.$inferSelect;
export type ReturnItemRow = typeof orderReturnItems.$inferSelect;

/** A network's reasons by code; with `validOn` only those active and within their period that day. */
export async function listReasons(
  db: Db,
  networkId: string,
  f: { type?: ReturnReasonType; validOn?: string } = {},
): Promise<ReasonRow[]> {
  return db
    .select()
    .from(returnReasons)
    .where(
      and(
        eq(returnReasons.networkId, networkId),
        f.type ? eq(returnReasons.type, f.type) : undefined,
        f.validOn
          ? and(
              eq(returnReasons.active, true),
              lte(returnReasons.validFrom, f.validOn),
              or(isNull(returnReasons.validTo), gte(returnReasons.validTo, f.validOn)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(returnReasons.code));
}

export async function findReason(
  db: Db,
  networkId: string,
  code: string,
  lock = false,
): Promise<ReasonRow | undefined> {
  const q = db
    .select()
    .from(returnReasons)
    .where(and(eq(returnReasons.networkId, networkId), eq(returnReasons.code, code)));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** Inserts a reason; undefined when the network has that code already. */
export async function insertReason(tx: Db, row: NewReason): Promise<ReasonRow | undefined> {
  const [inserted] = await tx.insert(returnReasons).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updateReason(
  tx: Db,
  id: string,
  fields: Partial<Pick<ReasonRow, 'description' | 'type' | 'validFrom' | 'validTo' | 'active'>> & {
    updatedBy: string;
  },
): Promise<ReasonRow> {
  const [row] = await tx
    .update(returnReasons)
    .set({ ...fields, version: sql`${returnReasons.version} + 1`, updatedAt: new Date() })
    .where(eq(returnReasons.id, id))
    .returning();
  return row!;
}

/** Units of each SKU already returned from the order. */
export async function returnedOf(db: Db, orderId: string): Promise<{ sku: string; quantity: number }[]> {
  const rows = await db
    .select({ sku: orderReturnItems.sku, quantity: sql<number>`sum(${orderReturnItems.quantity})::int` })
    .from(orderReturnItems)
    .innerJoin(orderReturns, eq(orderReturns.id, orderReturnItems.returnId))
    .where(eq(orderReturns.orderId, orderId))
    .groupBy(orderReturnItems.sku);
  return rows.map((r) => ({ sku: r.sku, quantity: Number(r.quantity) }));
}

export async function insertReturn(
  tx: Db,
  row: typeof orderReturns.$inferInsert,
  items: Omit<typeof orderReturnItems.$inferInsert, 'returnId'>[],
): Promise<void> {
  await tx.insert(orderReturns).values(row);
  await tx.insert(orderReturnItems).values(items.map((i) => ({ ...i, returnId: row.id })));
}

export async function findReturn(db: Db, id: string): Promise<ReturnRow | undefined> {
  const [row] = await db.select().from(orderReturns).where(eq(orderReturns.id, id));
  return row;
}

/** The order's returns, oldest first. */
export async function returnsOf(db: Db, orderId: string): Promise<ReturnRow[]> {
  return db
    .select()
    .from(orderReturns)
    .where(eq(orderReturns.orderId, orderId))
    .orderBy(asc(orderReturns.createdAt), asc(orderReturns.id));
}

export async function itemsOf(db: Db, returnIds: readonly string[]): Promise<ReturnItemRow[]> {
  if (returnIds.length === 0) return [];
  return db
    .select()
    .from(orderReturnItems)
    .where(inArray(orderReturnItems.returnId, [...returnIds]))
    .orderBy(asc(orderReturnItems.returnId), asc(orderReturnItems.line));
}
