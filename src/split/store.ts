import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { inFlight, type RequestStatus } from './domain.ts';
import { stockRequestLines, stockRequests } from './schema.ts';

export type RequestRow = typeof stockRequests.$inferSelect;
export type RequestLineRow = typeof stockRequestLines.$inferSelect;

export async function insertRequest(
  tx: Db,
  request: typeof stockRequests.$inferInsert,
  lines: Omit<typeof stockRequestLines.$inferInsert, 'requestId'>[],
): Promise<RequestRow> {
  const [row] = await tx.insert(stockRequests).values(request).returning();
  await tx.insert(stockRequestLines).values(lines.map((l) => ({ ...l, requestId: row!.id })));
  return row!;
}

export async function findRequest(db: Db, id: string, lock = false): Promise<RequestRow | undefined> {
  const q = db.select().from(stockRequests).where(eq(stockRequests.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function linesOf(db: Db, requestIds: readonly string[]): Promise<Map<string, RequestLineRow[]>> {
  const out = new Map<string, RequestLineRow[]>();
  if (requestIds.length === 0) return out;
  const rows = await db
    .select()
    .from(stockRequestLines)
    .where(inArray(stockRequestLines.requestId, [...requestIds]))
    .orderBy(asc(stockRequestLines.requestId), asc(stockRequestLines.line));
  for (const row of rows) out.set(row.requestId, [...(out.get(row.requestId) ?? []), row]);
  return out;
}

export async function updateRequest(
  tx: Db,
  id: string,
  set: Partial<Omit<typeof stockRequests.$inferInsert, 'id'>>,
): Promise<RequestRow> {
  const [row] = await tx
    .update(stockRequests)
    .set({ ...set, updatedAt: new Date(), version: sql`${stockRequests.version} + 1` })
    .where(eq(stockRequests.id, id))
    .returning();
  return row!;
}

/** The requests of an order, oldest first. */
export async function requestsOfOrder(db: Db, orderId: string): Promise<RequestRow[]> {
  return db
    .select()
    .from(stockRequests)
    .where(eq(stockRequests.orderId, orderId))
    .orderBy(asc(stockRequests.createdAt), asc(stockRequests.id));
}

/** Quantity per product of an order's requests still on their way. */
export async function allocatedOf(db: Db, orderId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({
      productId: stockRequestLines.productId,
      quantity: sql<number>`sum(${stockRequestLines.quantity})::int`,
    })
    .from(stockRequestLines)
    .innerJoin(stockRequests, eq(stockRequests.id, stockRequestLines.requestId))
    .where(and(eq(stockRequests.orderId, orderId), inArray(stockRequests.status, [...inFlight])))
    .groupBy(stockRequestLines.productId);
  return new Map(rows.map((r) => [r.productId, Number(r.quantity)]));
}

export interface RequestFilter {
  networkId: string;
  /** Requests whose support or main store is one of these. */
  storeIds: string[];
  /** Only requests where those stores are the support company, or only where they are the main store. */
  side?: 'support' | 'main';
  statuses?: RequestStatus[];
  orderId?: string;
  after?: [string, string] | null;
  limit: number;
}

/** Requests a viewer sees (it sits above their support or their main store), newest first. */
export async function listRequests(db: Db, f: RequestFilter): Promise<RequestRow[]> {
  if (f.storeIds.length === 0) return [];
  return db
    .select()
    .from(stockRequests)
    .where(
      and(
        eq(stockRequests.networkId, f.networkId),
        f.side === 'support'
          ? inArray(stockRequests.supportStoreId, f.storeIds)
          : f.side === 'main'
            ? inArray(stockRequests.mainStoreId, f.storeIds)
            : or(
                inArray(stockRequests.supportStoreId, f.storeIds),
                inArray(stockRequests.mainStoreId, f.storeIds),
              ),
        f.statuses?.length ? inArray(stockRequests.status, f.statuses) : undefined,
        f.orderId ? eq(stockRequests.orderId, f.orderId) : undefined,
        f.after
          ? sql`(${stockRequests.createdAt}, ${stockRequests.id}) < (${new Date(f.after[0])}, ${f.after[1]})`
          : undefined,
      ),
    )
    .orderBy(sql`${stockRequests.createdAt} desc, ${stockRequests.id} desc`)
    .limit(f.limit + 1);
}

/** Requests on their way where the store asks for goods or supplies them (oldest first, the first `limit`), and how many. */
export async function inFlightAt(
  db: Db,
  storeId: string,
  limit: number,
): Promise<{ items: RequestRow[]; total: number }> {
  const where = and(
    or(eq(stockRequests.mainStoreId, storeId), eq(stockRequests.supportStoreId, storeId)),
    inArray(stockRequests.status, [...inFlight]),
  );
  const items = await db
    .select()
    .from(stockRequests)
    .where(where)
    .orderBy(asc(stockRequests.createdAt), asc(stockRequests.id))
    .limit(limit);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(stockRequests).where(where);
  return { items, total: Number(count?.n ?? 0) };
}
