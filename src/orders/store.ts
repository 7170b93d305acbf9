import { and, asc, desc, eq, getTableColumns, inArray, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { jsonRows } from '../platform/db/json-rows.ts';
import { rows, toInt } from '../platform/db/sql.ts';
import type { DeliveryType, Modality, OrderStatus } from './domain.ts';
import type { CustomerAddress } from './ingest-rules.ts';
import { countedSpan, type SortKey } from './queue-rules.ts';
import {
  orderCounters,
  orderHistory,
  orderItems,
  orderNotes,
  orderPayments,
  orderPickups,
  orderStatusCountChanges,
  orderStatusCounts,
  orders,
} from './schema.ts';

type OrderTableRow = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type ItemRow = typeof orderItems.$inferSelect;
export type PaymentRow = typeof orderPayments.$inferSelect;
export type HistoryRow = typeof orderHistory.$inferSelect;
export type NewHistory = typeof orderHistory.$inferInsert;

/** A line acceptance could not reserve (IN_BLOQ_SALDO_NEG off, confirmed by a manager). */
export interface ShortfallLine {
  sku: string;
  missing: number;
}

export interface OrderRow extends Omit<OrderTableRow, 'customerAddress' | 'shortfall'> {
  customerAddress: CustomerAddress | null;
  shortfall: ShortfallLine[] | null;
}

const { customerAddress: _address, shortfall: _shortfall, ...plainColumns } = getTableColumns(orders);
// JSON columns are read as text and parsed here: drizzle's jsonb mapping re-parses strings (see parameters/store.ts).
const orderColumns = {
  ...plainColumns,
  addressJson: sql<string | null>`${orders.customerAddress}::text`,
  shortfallJson: sql<string | null>`${orders.shortfall}::text`,
};

function toOrderRow(
  row: Omit<OrderTableRow, 'customerAddress' | 'shortfall'> & {
    addressJson: string | null;
    shortfallJson: string | null;
  },
): OrderRow {
  const { addressJson, shortfallJson, ...rest } = row;
  return {
    ...rest,
    customerAddress: addressJson === null ? null : (JSON.parse(addressJson) as CustomerAddress),
    shortfall: shortfallJson === null ? null : (JSON.parse(shortfallJson) as ShortfallLine[]),
  };
}

export async function findOrder(db: Db, id: string, lock = false): Promise<OrderRow | undefined> {
  const q = db.select(orderColumns).from(orders).where(eq(orders.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row && toOrderRow(row);
}

export async function findByNumber(db: Db, storeId: string, number: number): Promise<OrderRow | undefined> {
  const [row] = await db
    .select(orderColumns)
    .from(orders)
    .where(and(eq(orders.storeId, storeId), eq(orders.number, number)));
  return row && toOrderRow(row);
}

export async function findByExternalId(
  db: Db,
  networkId: string,
  externalId: string,
): Promise<{ id: string; requestHash: string } | undefined> {
  const [row] = await db
    .select({ id: orders.id, requestHash: orders.requestHash })
    .from(orders)
    .where(and(eq(orders.networkId, networkId), eq(orders.externalId, externalId)));
  return row;
}

/** Inserts the order unless the network already has its externalId (then undefined: someone was first). */
export async function insertOrder(tx: Db, values: NewOrder): Promise<string | undefined> {
  const [row] = await tx
    .insert(orders)
    .values(values)
    .onConflictDoNothing({ target: [orders.networkId, orders.externalId] })
    .returning({ id: orders.id });
  return row?.id;
}

export async function insertLines(
  tx: Db,
  items: (typeof orderItems.$inferInsert)[],
  payments: (typeof orderPayments.$inferInsert)[],
): Promise<void> {
  await tx.insert(orderItems).values(items);
  if (payments.length) await tx.insert(orderPayments).values(payments);
}

/**
 * The store's next number, given to the order in one statement. The counter row stays locked until the
 * transaction ends, so concurrent ingests of one store are numbered in commit order, without gaps.
 */
export async function assignNumber(tx: Db, orderId: string, storeId: string): Promise<number> {
  const [row] = await rows<{ number: number }>(
    tx,
    sql`with next as (
          insert into ${orderCounters} (store_id, last_number) values (${storeId}, 1)
          on conflict (store_id) do update set last_number = ${orderCounters}.last_number + 1
          returning last_number)
        update ${orders} set number = (select last_number from next) where id = ${orderId}
        returning number`,
  );
  return toInt(row?.number);
}

/**
 * What a new order holds besides its row, in one statement (one round trip): its lines and payments, its
 * first history entry, the live queues' notification, the store's next number (as `assignNumber`), and
 * the `also` statements made from that number (the store's e-mail of the new order). Sent last in the
 * ingest's transaction, so the store's counter row is locked only for the commit.
 */
export async function insertContents(
  tx: Db,
  order: { id: string; storeId: string },
  items: (typeof orderItems.$inferInsert)[],
  payments: (typeof orderPayments.$inferInsert)[],
  history: NewHistory,
  change: OrderChange,
  also: (number: SQL) => SQL[] = () => [],
): Promise<number> {
  const extra = also(sql`select last_number from next`).map(
    (statement, i) => sql`, also${sql.raw(String(i))} as (${statement})`,
  );
  const [row] = await rows<{ number: number }>(
    tx,
    sql`with items as (${tx.insert(orderItems).values(items).getSQL()}),
          ${payments.length ? sql`payments as (${tx.insert(orderPayments).values(payments).getSQL()}),` : sql``}
          history as (${tx.insert(orderHistory).values(history).getSQL()}),
          announced as (select pg_notify(${ORDER_CHANNEL}, ${JSON.stringify(change)}) as done),
          next as (
            insert into ${orderCounters} (store_id, last_number) values (${order.storeId}, 1)
            on conflict (store_id) do update set last_number = ${orderCounters}.last_number + 1
            returning last_number)${sql.join(extra)}
        update ${orders} set number = (select last_number from next)
         where id = ${order.id} and exists (select 1 from announced)
        returning number`,
  );
  if (!row) throw new Error(`order ${order.id}: its contents were not written`);
  return toInt(row.number);
}

/** What acceptance records on the order besides its status (seeds: PEDFP144). */
export interface Acceptance {
  arrivedAt: Date;
  expectedInvoiceAt: Date;
  shortfall: ShortfallLine[] | null;
  /** Set when the store confirms the items at acceptance (TP_CONF_ACEITE_PED = 1). */
  conferredAt: Date | null;
}

export async function setStatus(
  tx: Db,
  order: OrderRow,
  status: OrderStatus,
  at: Date,
  acceptance?: Acceptance,
): Promise<OrderRow> {
  const [row] = await tx
    .update(orders)
    .set({
      status,
      version: order.version + 1,
      updatedAt: at,
      ...(acceptance && {
        arrivedAt: acceptance.arrivedAt,
        expectedInvoiceAt: acceptance.expectedInvoiceAt,
        shortfall: acceptance.shortfall,
        conferredAt: acceptance.conferredAt,
      }),
    })
    .where(eq(orders.id, order.id))
    .returning({ version: orders.version, updatedAt: orders.updatedAt });
  return { ...order, ...acceptance, status, version: row!.version, updatedAt: row!.updatedAt };
}

/** Replaces the order's delivery address (a correction before invoicing), a new version of the order. */
export async function setCustomerAddress(
  tx: Db,
  order: OrderRow,
  address: CustomerAddress,
  at: Date,
): Promise<void> {
  await tx
    .update(orders)
    .set({ customerAddress: address, version: order.version + 1, updatedAt: at })
    .where(eq(orders.id, order.id));
}

/** Records (or, with null, withdraws) that the order's items were confirmed: a fact the guards read. */
export async function setConferred(tx: Db, orderId: string, at: Date | null): Promise<void> {
  await tx.update(orders).set({ conferredAt: at }).where(eq(orders.id, orderId));
}

/** The salesperson named at invoicing (TP_DADO_ADIC_BX_PED_ECOMM), as the NF-e prints it. */
export async function setSalesperson(
  tx: Db,
  orderId: string,
  who: { id: string; name: string },
): Promise<void> {
  await tx
    .update(orders)
    .set({ salespersonId: who.id, salespersonName: who.name })
    .where(eq(orders.id, orderId));
}

export async function appendHistory(tx: Db, entry: NewHistory): Promise<void> {
  await tx.insert(orderHistory).values(entry);
}

/**
 * The order's last status change (its creation included); notes that kept the status (the POS's download
 * mark, a return) are skipped.
 */
export async function lastHistory(db: Db, orderId: string): Promise<HistoryRow | undefined> {
  const [row] = await db
    .select()
    .from(orderHistory)
    .where(
      and(
        eq(orderHistory.orderId, orderId),
        sql`${orderHistory.fromStatus} is distinct from ${orderHistory.toStatus}`,
      ),
    )
    .orderBy(desc(orderHistory.id))
    .limit(1);
  return row;
}

const itemsJson = jsonRows(orderItems);
const paymentsJson = jsonRows(orderPayments);
const historyJson = jsonRows(orderHistory);
const pickupJson = jsonRows(orderPickups);

/** The order's items, payments and history, in one round trip. */
export async function linesOf(db: Db, orderId: string) {
  const [row] = await rows<{ items: unknown; payments: unknown; history: unknown }>(
    db,
    sql`select ${itemsJson.agg(sql`${orderItems.orderId} = ${orderId}`, sql`${orderItems.line}`)} as items,
               ${paymentsJson.agg(sql`${orderPayments.orderId} = ${orderId}`, sql`${orderPayments.line}`)} as payments,
               ${historyJson.agg(sql`${orderHistory.orderId} = ${orderId}`, sql`${orderHistory.id}`)} as history`,
  );
  return {
    items: itemsJson.decodeAll(row!.items),
    payments: paymentsJson.decodeAll(row!.payments),
    history: historyJson.decodeAll(row!.history),
  };
}

/** The order's id as its children's subqueries name it: drizzle leaves a single table's columns unqualified. */
const outerId = sql.raw('"orders"."id"');

/**
 * The order with everything its page shows of its own tables (items, payments, history, the pickup, how
 * many notes) in one round trip: what an answer after a change reads.
 */
export async function findOrderWithParts(db: Db, id: string) {
  const [row] = await db
    .select({
      ...orderColumns,
      items: sql<unknown>`${itemsJson.agg(sql`${orderItems.orderId} = ${outerId}`, sql`${orderItems.line}`)}`,
      payments: sql<unknown>`${paymentsJson.agg(sql`${orderPayments.orderId} = ${outerId}`, sql`${orderPayments.line}`)}`,
      history: sql<unknown>`${historyJson.agg(sql`${orderHistory.orderId} = ${outerId}`, sql`${orderHistory.id}`)}`,
      pickup: sql<unknown>`${pickupJson.one(sql`${orderPickups.orderId} = ${outerId}`)}`,
      notesCount: sql<number>`(select count(*)::int from ${orderNotes} where ${orderNotes.orderId} = ${outerId})`,
    })
    .from(orders)
    .where(eq(orders.id, id));
  if (!row) return undefined;
  const { items, payments, history, pickup, notesCount, ...order } = row;
  return {
    order: toOrderRow(order),
    items: itemsJson.decodeAll(items),
    payments: paymentsJson.decodeAll(payments),
    history: historyJson.decodeAll(history),
    pickup: pickup ? pickupJson.decode(pickup) : undefined,
    notesCount: Number(notesCount ?? 0),
  };
}

export async function paymentsOf(db: Db, orderId: string): Promise<PaymentRow[]> {
  return db
    .select()
    .from(orderPayments)
    .where(eq(orderPayments.orderId, orderId))
    .orderBy(asc(orderPayments.line));
}

export async function itemsOf(db: Db, orderId: string): Promise<ItemRow[]> {
  return db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.line));
}

// --- the queue ---------------------------------------------------------------------------------

export interface QueueFilter {
  storeIds: string[];
  statuses?: readonly OrderStatus[];
  number?: number;
  placedFrom?: Date;
  placedBefore?: Date;
  /** Only ship orders whose city has no IBGE code (orders_address_issue_idx serves it). */
  cityUnresolved?: boolean;
}

export interface QueueRow {
  id: string;
  storeId: string;
  number: number | null;
  channel: string;
  modality: Modality;
  placedAt: Date;
  total: string;
  customerDocument: string;
  deliveryType: DeliveryType;
  carrier: string | null;
  paid: boolean;
  status: OrderStatus;
  classification: string;
  /** The guards of picking read it (the scan conference). */
  conferredAt: Date | null;
  posDownloadedAt: Date | null;
  /** A ship order whose address city has no IBGE code: the store corrects it before invoicing. */
  cityUnresolved: boolean;
}

/** Written as the partial index orders_address_issue_idx says it, so the planner matches the two. */
const cityUnresolved = sql`(${orders.deliveryType} = 'ship' and (${orders.customerAddress} ->> 'cityCode') is null)`;

const sortColumn = { placedAt: orders.placedAt, number: orders.number, total: orders.total } as const;

/** The filters but the stores: the page gives each store its own branch, the counters take them all. */
function where(f: QueueFilter, withStatus: boolean): SQL | undefined {
  return and(
    withStatus && f.statuses?.length ? inArray(orders.status, [...f.statuses]) : undefined,
    f.number !== undefined ? eq(orders.number, f.number) : undefined,
    f.placedFrom ? sql`${orders.placedAt} >= ${f.placedFrom.toISOString()}::timestamptz` : undefined,
    f.placedBefore ? sql`${orders.placedAt} < ${f.placedBefore.toISOString()}::timestamptz` : undefined,
    f.cityUnresolved ? cityUnresolved : undefined,
  );
}

/**
 * One page of the queue in keyset order: (sort key, id), both descending or both ascending.
 * Each store's page is read on its own (a lateral join over the stores), straight off an index in the
 * page's order, and the stores' pages are merged: a page costs stores × limit rows, not a sort of every
 * order in the filtered set, which a single `store_id in (…)` query needs (no index is ordered across stores).
 */
export async function queuePage(
  db: Db,
  f: QueueFilter,
  sort: { key: SortKey; descending: boolean },
  after: { value: string | number; id: string } | undefined,
  limit: number,
): Promise<QueueRow[]> {
  if (f.storeIds.length === 0) return [];
  const column = sortColumn[sort.key];
  const cast =
    sort.key === 'placedAt' ? sql`::timestamptz` : sort.key === 'total' ? sql`::numeric` : sql`::int`;
  const op = sort.descending ? sql`<` : sql`>`;
  const dir = sort.descending ? sql`desc` : sql`asc`;
  const keyset = after
    ? sql`(${column}, ${orders.id}) ${op} (${after.value}${cast}, ${after.id}::uuid)`
    : undefined;
  const storeIds = sql.join(
    f.storeIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const page = db
    .select({
      id: orders.id,
      storeId: orders.storeId,
      number: orders.number,
      channel: orders.channel,
      modality: orders.modality,
      placedAt: orders.placedAt,
      total: orders.total,
      customerDocument: orders.customerDocument,
      deliveryType: orders.deliveryType,
      carrier: orders.carrier,
      paid: orders.paid,
      status: orders.status,
      classification: orders.classification,
      conferredAt: orders.conferredAt,
      posDownloadedAt: orders.posDownloadedAt,
      // Read from the page's rows only (a heap fetch the page makes anyway): the queue stays as fast.
      cityUnresolved: sql<boolean>`${cityUnresolved}`.as('city_unresolved'),
    })
    .from(orders)
    .where(and(sql`${orders.storeId} = store.id`, where(f, true), keyset))
    .orderBy(sql`${column} ${dir}`, sql`${orders.id} ${dir}`)
    .limit(limit)
    .as('page');
  const merged = await db
    .select()
    .from(sql`unnest(array[${storeIds}]::uuid[]) as store(id)`)
    .crossJoinLateral(page)
    .orderBy(sql`${page[sort.key]} ${dir}`, sql`${page.id} ${dir}`)
    .limit(limit);
  return merged.map((r) => r.page);
}

/**
 * Orders per status in the filtered set, the status filter left out (the queue's tab counters).
 * A period's whole São Paulo days are read from the per-day counts (order_status_counts plus the changes not
 * folded in yet), the parts of a day at its ends from the orders: a store's half year is some two thousand
 * rows, not every order it took. A number or an address issue picks a few orders off an index: counted
 * from the orders themselves.
 */
export async function countByStatus(db: Db, f: QueueFilter): Promise<Map<OrderStatus, number>> {
  if (f.storeIds.length === 0) return new Map();
  if (f.number !== undefined || f.cityUnresolved) {
    const found = await db
      .select({ status: orders.status, n: sql<number>`count(*)::int` })
      .from(orders)
      .where(and(inArray(orders.storeId, f.storeIds), where(f, false)))
      .groupBy(orders.status);
    return new Map(found.map((r) => [r.status, toInt(r.n)]));
  }
  const span = countedSpan(f.placedFrom, f.placedBefore);
  const stores = sql`array[${sql.join(
    f.storeIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
  const parts: SQL[] = [];
  if (span.days) {
    const { fromDay, beforeDay } = span.days;
    const days = (table: typeof orderStatusCounts | typeof orderStatusCountChanges) =>
      sql`select status, sum(orders)::int as n from ${table}
          where store_id = any(${stores})
            ${fromDay ? sql`and day >= ${fromDay}::date` : sql``}
            ${beforeDay ? sql`and day < ${beforeDay}::date` : sql``}
          group by status`;
    parts.push(days(orderStatusCounts), days(orderStatusCountChanges));
  }
  for (const edge of span.edges) {
    parts.push(sql`select status, count(*)::int as n from ${orders}
      where store_id = any(${stores})
        ${edge.from ? sql`and placed_at >= ${edge.from.toISOString()}::timestamptz` : sql``}
        ${edge.before ? sql`and placed_at < ${edge.before.toISOString()}::timestamptz` : sql``}
      group by status`);
  }
  const found = await rows<{ status: OrderStatus; n: number }>(
    db,
    sql`select status, sum(n)::int as n from (${sql.join(parts, sql` union all `)}) c group by status`,
  );
  return new Map(found.filter((r) => toInt(r.n) !== 0).map((r) => [r.status, toInt(r.n)]));
}

// Any 64-bit constant unique to the fold: one process folds at a time, the others skip their turn.
const FOLD_LOCK = 4_242_019_001;

/**
 * Moves the counters' appended changes into the per-day counts (main.ts, every minute): what the queue
 * reads stays one row per store, day and status. One transaction, so a reader (one statement) sees the
 * changes either still appended or already folded, never both nor neither. Answers the changes folded.
 */
export async function foldStatusCounts(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = await rows<{ taken: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${FOLD_LOCK}) as taken`,
    );
    if (!lock?.taken) return 0;
    const [folded] = await rows<{ n: number }>(
      tx,
      sql`with moved as (
            delete from ${orderStatusCountChanges} returning store_id, day, status, orders
          ), summed as (
            insert into ${orderStatusCounts} as c (store_id, day, status, orders)
              select store_id, day, status, sum(orders)::int from moved group by 1, 2, 3
              on conflict (store_id, day, status) do update set orders = c.orders + excluded.orders
              returning 1
          )
          select (select count(*) from moved)::int as n, (select count(*) from summed)::int as rows`,
    );
    return toInt(folded?.n);
  });
}

/** Where "an order of this store changed" is announced; the NOTIFY is delivered when `tx` commits. */
export const ORDER_CHANNEL = 'omnihub_orders';

export interface OrderChange {
  storeId: string;
  orderId: string;
  status: OrderStatus;
}

export async function announceChange(tx: Db, change: OrderChange): Promise<void> {
  await tx.execute(sql`select pg_notify(${ORDER_CHANNEL}, ${JSON.stringify(change)})`);
}

/** The orders re-routed from this one, oldest first. */
export async function reroutedFrom(db: Db, orderId: string): Promise<string[]> {
  const found = await db
    .select({ id: orders.id })
    .from(orders)
    .where(eq(orders.reroutedFromId, orderId))
    .orderBy(asc(orders.createdAt), asc(orders.id));
  return found.map((r) => r.id);
}

/** Replaces an order's lines and payments and its amounts (re-routing took some of them away). */
export async function replaceLines(
  tx: Db,
  order: OrderRow,
  amounts: Pick<OrderRow, 'itemsTotal' | 'discountTotal' | 'freight' | 'total'>,
  items: (typeof orderItems.$inferInsert)[],
  payments: (typeof orderPayments.$inferInsert)[],
  at: Date,
): Promise<void> {
  await tx.delete(orderItems).where(eq(orderItems.orderId, order.id));
  await tx.delete(orderPayments).where(eq(orderPayments.orderId, order.id));
  await tx
    .update(orders)
    .set({ ...amounts, version: order.version + 1, updatedAt: at })
    .where(eq(orders.id, order.id));
  await insertLines(tx, items, payments);
}

/** An order with its lines, for flows that act on it (invoicing needs products, quantities and amounts). */
export interface OrderDetails {
  order: OrderRow;
  items: ItemRow[];
  payments: PaymentRow[];
}

export async function orderDetails(db: Db, id: string, lock = false): Promise<OrderDetails | undefined> {
  const order = await findOrder(db, id, lock);
  if (!order) return undefined;
  // One after the other: `db` may be a transaction, whose one connection runs one query at a time.
  const items = await itemsOf(db, id);
  const payments = await paymentsOf(db, id);
  return { order, items, payments };
}

/** A store's orders not finished yet (oldest first, the first `limit`), and how many there are. */
export async function unfinishedAt(
  db: Db,
  storeId: string,
  finished: readonly OrderStatus[],
  limit: number,
): Promise<{ items: { id: string; number: number | null; status: OrderStatus }[]; total: number }> {
  const where = and(eq(orders.storeId, storeId), notInArray(orders.status, [...finished]));
  const items = await db
    .select({ id: orders.id, number: orders.number, status: orders.status })
    .from(orders)
    .where(where)
    .orderBy(asc(orders.placedAt), asc(orders.id))
    .limit(limit);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(orders).where(where);
  return { items, total: toInt(count?.n) };
}

/** The numbers of some orders, by id. */
export async function numbersOf(db: Db, ids: readonly string[]): Promise<Map<string, number | null>> {
  if (ids.length === 0) return new Map();
  const found = await db
    .select({ id: orders.id, number: orders.number })
    .from(orders)
    .where(inArray(orders.id, [...ids]));
  return new Map(found.map((o) => [o.id, o.number]));
}
