import { and, asc, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { rows, toInt, uuidArray } from '../platform/db/sql.ts';
import { type Deltas, MAX_ON_HAND, type MovementKind, type ReservationStatus } from './domain.ts';
import { stockBalances, stockMovements, stockReservations } from './schema.ts';

export type BalanceRow = typeof stockBalances.$inferSelect;
export type MovementRow = typeof stockMovements.$inferSelect;
export type ReservationRow = typeof stockReservations.$inferSelect;
type NewMovement = typeof stockMovements.$inferInsert;
type NewReservation = typeof stockReservations.$inferInsert;

export interface BalanceKey {
  storeId: string;
  productId: string;
}

const balanceIs = (key: BalanceKey) =>
  and(eq(stockBalances.storeId, key.storeId), eq(stockBalances.productId, key.productId));

/** Balances are created on first use; a concurrent creator makes this wait for it, then do nothing. */
export async function ensureBalance(tx: Db, key: BalanceKey): Promise<void> {
  await tx.insert(stockBalances).values(key).onConflictDoNothing();
}

/**
 * Applies the deltas only if the row keeps `0 <= reserved <= on_hand <= MAX_ON_HAND`, under the row lock the UPDATE
 * takes. On READ COMMITTED a waiting UPDATE re-checks the condition against the row its predecessor
 * committed, so concurrent callers can never together take more than there is.
 */
export async function applyGuarded(tx: Db, key: BalanceKey, d: Deltas): Promise<BalanceRow | undefined> {
  const [row] = await tx
    .update(stockBalances)
    .set({
      onHand: sql`${stockBalances.onHand} + ${d.onHand}`,
      reserved: sql`${stockBalances.reserved} + ${d.reserved}`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        balanceIs(key),
        sql`${stockBalances.onHand} + ${d.onHand} >= ${stockBalances.reserved} + ${d.reserved}`,
        sql`${stockBalances.reserved} + ${d.reserved} >= 0`,
        sql`${stockBalances.onHand} + ${d.onHand} <= ${MAX_ON_HAND}`,
      ),
    )
    .returning();
  return row;
}

export async function getBalance(db: Db, key: BalanceKey, lock = false): Promise<BalanceRow | undefined> {
  const q = db.select().from(stockBalances).where(balanceIs(key));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function balancesOf(db: Db, storeIds: string[], productIds: string[]): Promise<BalanceRow[]> {
  if (storeIds.length === 0 || productIds.length === 0) return [];
  return db
    .select()
    .from(stockBalances)
    .where(and(inArray(stockBalances.storeId, storeIds), inArray(stockBalances.productId, productIds)));
}

export async function insertMovement(tx: Db, values: NewMovement): Promise<MovementRow> {
  const [row] = await tx.insert(stockMovements).values(values).returning();
  return row!;
}

export async function insertReservation(tx: Db, values: NewReservation): Promise<ReservationRow> {
  const [row] = await tx.insert(stockReservations).values(values).returning();
  return row!;
}

export async function findReservation(db: Db, id: string, lock = false): Promise<ReservationRow | undefined> {
  const q = db.select().from(stockReservations).where(eq(stockReservations.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** Closes an active reservation; undefined when it was not active (already released or consumed). */
export async function closeReservation(
  tx: Db,
  id: string,
  status: Exclude<ReservationStatus, 'active'>,
): Promise<ReservationRow | undefined> {
  const [row] = await tx
    .update(stockReservations)
    .set({ status, closedAt: sql`now()` })
    .where(and(eq(stockReservations.id, id), eq(stockReservations.status, 'active')))
    .returning();
  return row;
}

/** Active reservations of a reference, locked in one fixed order so two closers cannot deadlock. */
export async function lockActiveByReference(
  tx: Db,
  reference: { type: string; id: string },
): Promise<ReservationRow[]> {
  return tx
    .select()
    .from(stockReservations)
    .where(
      and(
        eq(stockReservations.referenceType, reference.type),
        eq(stockReservations.referenceId, reference.id),
        eq(stockReservations.status, 'active'),
      ),
    )
    .orderBy(asc(stockReservations.storeId), asc(stockReservations.productId), asc(stockReservations.id))
    .for('update');
}

export async function reservationsByReference(
  db: Db,
  reference: { type: string; id: string },
): Promise<ReservationRow[]> {
  return db
    .select()
    .from(stockReservations)
    .where(
      and(
        eq(stockReservations.referenceType, reference.type),
        eq(stockReservations.referenceId, reference.id),
      ),
    )
    .orderBy(asc(stockReservations.createdAt), asc(stockReservations.id));
}

export interface MovementFilter {
  storeIds: string[];
  productId?: string;
  kinds?: MovementKind[];
  beforeId?: number;
  limit: number;
}

/** Newest first. */
export async function listMovements(db: Db, f: MovementFilter): Promise<MovementRow[]> {
  if (f.storeIds.length === 0) return [];
  return db
    .select()
    .from(stockMovements)
    .where(
      and(
        inArray(stockMovements.storeId, f.storeIds),
        f.productId ? eq(stockMovements.productId, f.productId) : undefined,
        f.kinds?.length ? inArray(stockMovements.kind, f.kinds) : undefined,
        f.beforeId !== undefined ? lt(stockMovements.id, f.beforeId) : undefined,
      ),
    )
    .orderBy(desc(stockMovements.id))
    .limit(f.limit);
}

export interface LedgerRow {
  storeId: string;
  productId: string;
  onHand: number;
  reserved: number;
  ledgerOnHand: number;
  ledgerReserved: number;
  held: number;
}

/**
 * Store/product pairs whose balance differs from the sum of their movements, or whose reserved
 * quantity differs from their active reservations. Empty when the books balance.
 */
export async function ledgerMismatches(db: Db, storeIds?: string[]): Promise<LedgerRow[]> {
  const inStores = (column: SQL) =>
    storeIds
      ? storeIds.length
        ? sql`${column} in (${sql.join(
            storeIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : sql`false`
      : sql`true`;
  const found = await rows<Record<string, unknown>>(
    db,
    sql`
      with m as (
        select store_id, product_id, sum(on_hand_delta) as on_hand, sum(reserved_delta) as reserved
        from stock_movements where ${inStores(sql`store_id`)} group by store_id, product_id
      ), r as (
        select store_id, product_id, sum(quantity) as held
        from stock_reservations where status = 'active' and ${inStores(sql`store_id`)}
        group by store_id, product_id
      ), b as (
        select store_id, product_id, on_hand, reserved from stock_balances where ${inStores(sql`store_id`)}
      ), k as (
        select store_id, product_id from b
        union select store_id, product_id from m
        union select store_id, product_id from r
      )
      select k.store_id, k.product_id,
        coalesce(b.on_hand, 0)::int as on_hand, coalesce(b.reserved, 0)::int as reserved,
        coalesce(m.on_hand, 0)::int as ledger_on_hand, coalesce(m.reserved, 0)::int as ledger_reserved,
        coalesce(r.held, 0)::int as held
      from k
        left join b on b.store_id = k.store_id and b.product_id = k.product_id
        left join m on m.store_id = k.store_id and m.product_id = k.product_id
        left join r on r.store_id = k.store_id and r.product_id = k.product_id
      where coalesce(b.on_hand, 0) <> coalesce(m.on_hand, 0)
        or coalesce(b.reserved, 0) <> coalesce(m.reserved, 0)
        or coalesce(b.reserved, 0) <> coalesce(r.held, 0)
      order by k.store_id, k.product_id`,
  );
  return found.map((r) => ({
    storeId: String(r.store_id),
    productId: String(r.product_id),
    onHand: toInt(r.on_hand),
    reserved: toInt(r.reserved),
    ledgerOnHand: toInt(r.ledger_on_hand),
    ledgerReserved: toInt(r.ledger_reserved),
    held: toInt(r.held),
  }));
}

/**
 * Free quantity (> 0) of these products at every store that has some, one row per product with the stores
 * and quantities as comma-separated text: a router weighing five thousand stores reads ten rows instead of
 * fifty thousand, and splitting a string is cheaper than the drivers' parsing of a uuid array.
 */
export async function availableByProduct(
  db: Db,
  productIds: string[],
): Promise<{ productId: string; storeIds: string[]; available: number[] }[]> {
  if (productIds.length === 0) return [];
  const found = await rows<{ product_id: string; store_ids: string; available: string }>(
    db,
    sql`select product_id, string_agg(store_id::text, ',') as store_ids,
               string_agg((on_hand - reserved)::text, ',') as available
        from ${stockBalances}
        where product_id = any(${uuidArray(productIds)}) and on_hand > reserved
        group by product_id`,
  );
  return found.map((r) => ({
    productId: r.product_id,
    storeIds: r.store_ids.split(','),
    available: r.available.split(',').map(Number),
  }));
}
