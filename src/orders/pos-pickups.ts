import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { rows, toInt } from '../platform/db/sql.ts';
import { normaliseMoney } from '../platform/money.ts';
import type { OrderCaller } from './lifecycle.ts';
import { ORDER_CHANNEL } from './store.ts';

/**
 * The orders a store's POS shows at the counter (seeds 000 §3.5 "Resgate do Pedido": the bag icon with the
 * pending count) and the fact that the POS downloaded them (seeds 000 §3.4: "Pedido Recebido" = confirmed
 * by the store, not yet downloaded to the POS; "Confirmado Loja" = confirmed and already downloaded).
 * Every POS polls this, so each read is one statement and the mark one more, only when something is new.
 */

/** A pickup order waiting at the counter, as the POS lists it. */
export interface PendingPickup {
  id: string;
  number: number;
  customerName: string;
  /** "2× Camiseta básica, 1× Calça jeans", in line order. */
  itemsSummary: string;
  /** Units in the order (the sum of the quantities). */
  units: number;
  total: string;
  placedAt: Date;
  /** When it last became ready for pickup (conference finished, or given back by a POS). */
  readyAt: Date;
  /** When a POS of the store first downloaded it; null: still "Pedido recebido". */
  posDownloadedAt: Date | null;
}

interface PendingRow {
  id: string;
  number: number;
  customer_name: string;
  items_summary: string | null;
  units: unknown;
  total: unknown;
  placed_at: Date | string;
  ready_at: Date | string | null;
  pos_downloaded_at: Date | string | null;
  pending: unknown;
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/**
 * The store's pickup orders in `ready_for_pickup`, oldest placement first (the first `limit`), and how many
 * there are. One statement: the order rows off the queue index, their lines and ready time per row.
 */
export async function pendingPickups(
  db: Db,
  storeId: string,
  limit: number,
): Promise<{ orders: PendingPickup[]; count: number }> {
  const found = await rows<PendingRow>(
    db,
    sql`select o.id, o.number, o.customer_name, o.total, o.placed_at, o.pos_downloaded_at,
          lines.items_summary, lines.units,
          (select max(h.at) from order_history h
             where h.order_id = o.id and h.to_status = 'ready_for_pickup'
               and h.from_status <> 'ready_for_pickup') as ready_at,
          count(*) over () as pending
        from orders o
        cross join lateral (
          select string_agg(i.quantity::text || '× ' || i.description, ', ' order by i.line) as items_summary,
                 sum(i.quantity) as units
          from order_items i where i.order_id = o.id) lines
        where o.store_id = ${storeId} and o.status = 'ready_for_pickup' and o.delivery_type = 'pickup'
        order by o.placed_at, o.id
        limit ${limit}`,
  );
  return {
    count: found.length ? toInt(found[0]!.pending) : 0,
    orders: found.map((r) => ({
      id: r.id,
      number: r.number,
      customerName: r.customer_name,
      itemsSummary: r.items_summary ?? '',
      units: toInt(r.units),
      total: normaliseMoney(String(r.total)),
      placedAt: asDate(r.placed_at),
      readyAt: asDate(r.ready_at ?? r.placed_at),
      posDownloadedAt: r.pos_downloaded_at === null ? null : asDate(r.pos_downloaded_at),
    })),
  };
}

/** How many pickup orders wait at the store's counter (the POS badge). */
export async function pendingPickupCount(db: Db, storeId: string): Promise<number> {
  const [row] = await rows<{ n: unknown }>(
    db,
    sql`select count(*) as n from orders
        where store_id = ${storeId} and status = 'ready_for_pickup' and delivery_type = 'pickup'`,
  );
  return toInt(row?.n);
}

/** The history's words for the first download (pt-BR: the back office shows reasons as written). */
export const DOWNLOADED_NOTE = 'Pedido baixado pelo PDV (Confirmado loja)';

/**
 * Marks these orders as downloaded by the caller's POS: the first download only, each with one history
 * note (from = to = ready_for_pickup, no webhook: the status did not change) and a live hint for the back
 * office's queue. One statement for the whole batch; answers the ids marked now.
 */
export async function markDownloadedByPos(
  tx: Db,
  ids: readonly string[],
  caller: OrderCaller,
  at = new Date(),
): Promise<string[]> {
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const when = at.toISOString();
  const marked = await rows<{ id: string }>(
    tx,
    sql`with marked as (
          update orders set pos_downloaded_at = ${when}::timestamptz
          where id = any(array[${list}]::uuid[]) and pos_downloaded_at is null
            and status = 'ready_for_pickup'
          returning id, store_id),
        noted as (
          insert into order_history
            (order_id, at, actor_kind, actor_id, actor_name, actor_role, channel, from_status, to_status, reason)
          select id, ${when}::timestamptz, ${caller.kind}, ${caller.id}, ${caller.name}, ${caller.actor}, 'pos',
                 'ready_for_pickup', 'ready_for_pickup', ${DOWNLOADED_NOTE}
          from marked)
        select id, pg_notify(${ORDER_CHANNEL},
          json_build_object('storeId', store_id, 'orderId', id, 'status', 'ready_for_pickup')::text)
        from marked`,
  );
  return marked.map((r) => r.id);
}
