import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { rows } from '../platform/db/sql.ts';
import { type Cents, centsOf } from '../platform/money.ts';
import { type Account, type EntryKind, entryKindNames } from './domain.ts';
import { financeEntries, financeMovements, receivables, refunds } from './schema.ts';

export type EntryRow = typeof financeEntries.$inferSelect;
export type NewEntry = typeof financeEntries.$inferInsert;
export type NewMovement = typeof financeMovements.$inferInsert;
export type ReceivableRow = typeof receivables.$inferSelect;
export type NewReceivable = typeof receivables.$inferInsert;
export type RefundRow = typeof refunds.$inferSelect;

/**
 * Serialises the finance of one purchase (its orders may be accepted at once in two companies). The orders
 * flow takes it before reading the purchase's facts it hands over, so they include what a concurrent change
 * of another of its orders committed (taking it again in the same transaction waits for nothing).
 */
export async function lockPurchase(tx: Db, rootOrderId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`finance:${rootOrderId}`}, 0))`);
}

/** The entry, or undefined when its key was posted already (nothing is written then). */
export async function insertEntry(tx: Db, entry: NewEntry): Promise<string | undefined> {
  const [row] = await tx
    .insert(financeEntries)
    .values(entry)
    .onConflictDoNothing({ target: financeEntries.key })
    .returning({ id: financeEntries.id });
  return row?.id;
}

export async function insertMovements(tx: Db, movements: NewMovement[]): Promise<void> {
  if (movements.length) await tx.insert(financeMovements).values(movements);
}

export async function insertReceivables(tx: Db, values: NewReceivable[]): Promise<void> {
  if (values.length) await tx.insert(receivables).values(values);
}

export async function insertRefund(tx: Db, value: typeof refunds.$inferInsert): Promise<void> {
  await tx.insert(refunds).values(value);
}

export async function entryByKey(db: Db, key: string): Promise<EntryRow | undefined> {
  const [row] = await db.select().from(financeEntries).where(eq(financeEntries.key, key));
  return row;
}

export async function hasEntryOf(db: Db, rootOrderId: string, kind: EntryKind): Promise<boolean> {
  const [row] = await db
    .select({ id: financeEntries.id })
    .from(financeEntries)
    .where(and(eq(financeEntries.rootOrderId, rootOrderId), eq(financeEntries.kind, kind)))
    .limit(1);
  return Boolean(row);
}

/** Per company, the balance of `account` on one order (debit positive). */
export async function orderBalances(db: Db, orderId: string, account: Account): Promise<Map<string, Cents>> {
  const found = await db
    .select({ companyId: financeMovements.companyId, total: sql<string>`sum(${financeMovements.amount})` })
    .from(financeMovements)
    .where(and(eq(financeMovements.orderId, orderId), eq(financeMovements.account, account)))
    .groupBy(financeMovements.companyId);
  return new Map(found.map((r) => [r.companyId, centsOf(r.total)]));
}

/** Per company, the balance of `account` over the orders of a purchase (debit positive). */
export async function purchaseBalances(
  db: Db,
  rootOrderId: string,
  account: Account,
): Promise<Map<string, Cents>> {
  const found = await rows<{ company_id: string; total: string }>(
    db,
    sql`select m.company_id, sum(m.amount)::text as total from finance_movements m
        join finance_entries e on e.id = m.entry_id
        where e.root_order_id = ${rootOrderId} and m.account = ${account}
        group by m.company_id`,
  );
  return new Map(found.map((r) => [r.company_id, centsOf(r.total)]));
}

export interface ReceivableWithOpen extends ReceivableRow {
  open: Cents;
}

/** The receivables of a purchase with their open balance, oldest first. */
export async function receivablesOfPurchase(db: Db, rootOrderId: string): Promise<ReceivableWithOpen[]> {
  const found = await db
    .select()
    .from(receivables)
    .where(eq(receivables.rootOrderId, rootOrderId))
    .orderBy(asc(receivables.createdAt), asc(receivables.id));
  return withOpen(db, found);
}

async function withOpen(db: Db, found: ReceivableRow[]): Promise<ReceivableWithOpen[]> {
  if (found.length === 0) return [];
  const sums = await db
    .select({ id: financeMovements.receivableId, total: sql<string>`sum(${financeMovements.amount})` })
    .from(financeMovements)
    .where(
      inArray(
        financeMovements.receivableId,
        found.map((r) => r.id),
      ),
    )
    .groupBy(financeMovements.receivableId);
  const open = new Map(sums.map((s) => [s.id, centsOf(s.total)]));
  return found.map((r) => ({ ...r, open: open.get(r.id) ?? 0n }));
}

export interface EntryWithMovements extends EntryRow {
  movements: (typeof financeMovements.$inferSelect)[];
}

/**
 * Every entry of a purchase with its movements, in the order they were written. Entries of one change share
 * its instant (a cancellation undoes the invoice, then releases the advance): among them the order of
 * `entryKindNames` is the order the posting rules write them in.
 */
export async function entriesOfPurchase(db: Db, rootOrderId: string): Promise<EntryWithMovements[]> {
  const entries = (
    await db
      .select()
      .from(financeEntries)
      .where(eq(financeEntries.rootOrderId, rootOrderId))
      .orderBy(asc(financeEntries.createdAt), asc(financeEntries.id))
  ).sort(
    (a, b) =>
      a.createdAt.getTime() - b.createdAt.getTime() ||
      entryKindNames.indexOf(a.kind as EntryKind) - entryKindNames.indexOf(b.kind as EntryKind),
  );
  if (entries.length === 0) return [];
  const movements = await db
    .select()
    .from(financeMovements)
    .where(
      inArray(
        financeMovements.entryId,
        entries.map((e) => e.id),
      ),
    )
    .orderBy(asc(financeMovements.id));
  return entries.map((e) => ({ ...e, movements: movements.filter((m) => m.entryId === e.id) }));
}

export async function refundsOfPurchase(db: Db, rootOrderId: string): Promise<RefundRow[]> {
  return db
    .select()
    .from(refunds)
    .where(eq(refunds.rootOrderId, rootOrderId))
    .orderBy(asc(refunds.createdAt));
}

/** Per company and account, the balance of the given companies (debit positive). */
export async function companyBalances(
  db: Db,
  companyIds: readonly string[],
): Promise<{ companyId: string; account: Account; total: Cents }[]> {
  if (companyIds.length === 0) return [];
  const found = await db
    .select({
      companyId: financeMovements.companyId,
      account: financeMovements.account,
      total: sql<string>`sum(${financeMovements.amount})`,
    })
    .from(financeMovements)
    .where(inArray(financeMovements.companyId, [...companyIds]))
    .groupBy(financeMovements.companyId, financeMovements.account);
  return found.map((r) => ({
    companyId: r.companyId,
    account: r.account as Account,
    total: centsOf(r.total),
  }));
}

/** Per account, the balance of a customer's purchases in a network (debit positive). */
export async function customerBalances(
  db: Db,
  networkId: string,
  customerDocument: string,
): Promise<{ account: Account; total: Cents }[]> {
  const found = await rows<{ account: Account; total: string }>(
    db,
    sql`select m.account, sum(m.amount)::text as total from finance_movements m
        join finance_entries e on e.id = m.entry_id
        where e.network_id = ${networkId} and e.customer_document = ${customerDocument}
        group by m.account`,
  );
  return found.map((r) => ({ account: r.account, total: centsOf(r.total) }));
}

/** The day of the purchase's earliest entry of `kind`, null when it has none. */
export async function firstDayOf(db: Db, rootOrderId: string, kind: EntryKind): Promise<string | null> {
  const [row] = await db
    .select({ day: sql<string | null>`min(${financeEntries.day})::text` })
    .from(financeEntries)
    .where(and(eq(financeEntries.rootOrderId, rootOrderId), eq(financeEntries.kind, kind)));
  return row?.day ?? null;
}
