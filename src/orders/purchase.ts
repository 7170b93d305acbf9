/**
 * The purchase an order belongs to, as finance reads it: the order the platform sent and every order
 * re-routed from it (`rerouted_from_id`), with their totals and payments. Finance sits below orders, so the
 * orders flow hands it these facts at each change that moves money.
 */
import * as finance from '../finance/service.ts';
import type { Db } from '../platform/db/index.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { normaliseMoney } from '../platform/money.ts';

interface FamilyRow {
  id: string;
  number: number | null;
  network_id: string;
  store_id: string;
  status: string;
  total: string;
  customer_document: string;
  customer_name: string;
  rerouted_from_id: string | null;
  payments: string;
}

export async function purchaseOf(db: Db, orderId: string): Promise<finance.Purchase> {
  const found = await rows<FamilyRow>(
    db,
    // Up to the root, then down to every order re-routed from it (a re-route of a re-route included). Each
    // step is an index lookup, whatever the planner's statistics say: up by the primary key, down through
    // `orders_rerouted_from_idx` from a lateral subquery kept apart (`offset 0`), so it is looked up per order
    // found. Joined as tables, a table whose statistics lagged its growth (a busy hour's new orders) was scanned
    // whole and its plan compiled (JIT) on every acceptance and invoice: 50–80 ms of the server's CPU each.
    sql`with recursive up as (
          select id, rerouted_from_id from orders where id = ${orderId}
          union all
          select o.id, o.rerouted_from_id from orders o join up on o.id = up.rerouted_from_id
        ),
        family as (
          select o.id, o.number, o.network_id, o.store_id, o.status, o.total, o.customer_document,
                 o.customer_name, o.rerouted_from_id, o.created_at, 0 as depth
          from orders o where o.id = (select id from up where rerouted_from_id is null)
          union all
          select o.id, o.number, o.network_id, o.store_id, o.status, o.total, o.customer_document,
                 o.customer_name, o.rerouted_from_id, o.created_at, f.depth + 1
          from family f
          cross join lateral (select * from orders o where o.rerouted_from_id = f.id offset 0) o
        )
        select f.id, f.number, f.network_id, f.store_id, f.status, f.total::text as total,
               f.customer_document, f.customer_name, f.rerouted_from_id,
               coalesce((select json_agg(json_build_object('method', p.method, 'amount', p.amount::text,
                 'installments', p.installments, 'partyDocument', p.party_document) order by p.line)
                 from order_payments p where p.order_id = f.id), '[]')::text as payments
        from family f
        order by f.depth, f.created_at, f.id`,
  );
  const root = found.find((r) => r.rerouted_from_id === null) ?? found[0];
  if (!root) throw new Error(`order ${orderId} is gone`);
  return {
    rootId: root.id,
    orders: found.map((r) => ({
      id: r.id,
      number: r.number === null ? null : Number(r.number),
      networkId: r.network_id,
      storeId: r.store_id,
      status: r.status,
      total: normaliseMoney(r.total),
      customerDocument: r.customer_document,
      customerName: r.customer_name,
      payments: (JSON.parse(r.payments) as finance.OrderFacts['payments'][number][]).map((p) => ({
        ...p,
        amount: normaliseMoney(p.amount),
      })),
    })),
  };
}

/**
 * The purchase of an order for a change that posts money, read once its finance lock is held: it has what
 * a concurrent change of another of its orders committed meanwhile. Read before, an acceptance that waited
 * for a sibling's cancellation raised the cancelled order's receivable and advance (its payer charged for
 * nothing), and one that waited for a re-route left the moved lines' advance on the order they left.
 */
export async function lockedPurchaseOf(
  db: Db,
  order: { id: string; reroutedFromId: string | null },
): Promise<finance.Purchase> {
  let rootId = order.id;
  if (order.reroutedFromId !== null) {
    const [root] = await rows<{ id: string }>(
      db,
      sql`with recursive up as (
            select id, rerouted_from_id from orders where id = ${order.reroutedFromId}
            union all
            select o.id, o.rerouted_from_id from orders o join up on o.id = up.rerouted_from_id
          )
          select id from up where rerouted_from_id is null`,
    );
    if (!root) throw new Error(`order ${order.id} has lost its root`);
    rootId = root.id;
  }
  await finance.lockPurchase(db, rootId);
  return purchaseOf(db, order.id);
}

/** What finance's lists show of the orders its receivables belong to (finance never reads orders). */
export async function financeOrderLabels(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, finance.OrderLabel>> {
  if (ids.length === 0) return new Map();
  const found = await rows<{ id: string; number: number | null; external_id: string; customer_name: string }>(
    db,
    sql`select id, number, external_id, customer_name from orders
        where id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
  );
  return new Map(
    found.map((r) => [
      r.id,
      {
        number: r.number === null ? null : Number(r.number),
        externalId: r.external_id,
        customerName: r.customer_name,
      },
    ]),
  );
}
