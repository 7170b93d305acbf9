import { and, asc, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import * as catalog from '../catalog/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { rows, toInt } from '../platform/db/sql.ts';
import type { MovementKind } from './domain.ts';
import { stockBalances, stockFeed, stockFeedLeases, stockMovements } from './schema.ts';

/**
 * The stock feed's outbox (issue 16 §7). Every stock use case appends, in its own transaction, one row per
 * store and e-commerce product it changed; the publishers (NATS, the platform's inventory) read the rows in
 * seq order and mark them. Products not enabled for the e-commerce write nothing: no platform sells them.
 */

export interface FeedRow {
  seq: number;
  networkId: string;
  storeId: string;
  storeCode: string;
  productId: string;
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  kind: MovementKind;
  reason: string | null;
  at: Date;
}

/** The consumers of the outbox that hold a lease per network. */
export type FeedConsumer = 'nats' | 'platform';

/**
 * One INSERT … SELECT for the movements of a use case: the balance after them (the last movement's kind
 * names the change when one transaction moved a pair twice), only for e-commerce products.
 */
export async function appendToFeed(tx: Db, movementIds: readonly number[]): Promise<void> {
  if (movementIds.length === 0) return;
  const p = catalog.ecommerceProducts(tx);
  const n = network.nodeCodes(tx);
  const m = stockMovements;
  const b = stockBalances;
  await tx.execute(sql`
    insert into ${stockFeed} (network_id, store_id, store_code, product_id, sku, on_hand, reserved, available, kind, reason)
    select distinct on (${m.storeId}, ${m.productId})
           ${p.networkId}, ${m.storeId}, ${n.code}, ${m.productId}, ${p.sku},
           ${b.onHand}, ${b.reserved}, ${b.onHand} - ${b.reserved}, ${m.kind}, ${m.reason}
      from ${m}
      join ${b} on ${b.storeId} = ${m.storeId} and ${b.productId} = ${m.productId}
      join ${p} on ${p.id} = ${m.productId}
      join ${n} on ${n.id} = ${m.storeId}
     where ${inArray(m.id, [...movementIds])}
     order by ${m.storeId}, ${m.productId}, ${m.id} desc`);
}

const feedColumns = {
  seq: stockFeed.seq,
  networkId: stockFeed.networkId,
  storeId: stockFeed.storeId,
  storeCode: stockFeed.storeCode,
  productId: stockFeed.productId,
  sku: stockFeed.sku,
  onHand: stockFeed.onHand,
  reserved: stockFeed.reserved,
  available: stockFeed.available,
  kind: stockFeed.kind,
  reason: stockFeed.reason,
  at: stockFeed.at,
};

/** The networks whose feed has rows the consumer has not taken yet. */
export async function networksWaiting(db: Db, consumer: FeedConsumer): Promise<string[]> {
  const pending = consumer === 'nats' ? stockFeed.publishedAt : stockFeed.platformPushedAt;
  const found = await db
    .selectDistinct({ networkId: stockFeed.networkId })
    .from(stockFeed)
    .where(isNull(pending));
  return found.map((r) => r.networkId);
}

/** The oldest unpublished rows of a network, in seq order: what the NATS publisher sends next. */
export async function unpublished(db: Db, networkId: string, limit: number): Promise<FeedRow[]> {
  return db
    .select(feedColumns)
    .from(stockFeed)
    .where(and(eq(stockFeed.networkId, networkId), isNull(stockFeed.publishedAt)))
    .orderBy(asc(stockFeed.seq))
    .limit(limit);
}

export async function markPublished(db: Db, seqs: readonly number[]): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .update(stockFeed)
    .set({ publishedAt: sql`now()` })
    .where(and(inArray(stockFeed.seq, [...seqs]), isNull(stockFeed.publishedAt)));
}

/**
 * Coalesced for a platform's inventory: the latest row of each store and product not pushed yet, in seq
 * order. Pushing it makes every earlier row of the pair moot.
 */
export async function latestUnpushed(db: Db, networkId: string, limit: number): Promise<FeedRow[]> {
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select * from (
          select distinct on (store_id, product_id) seq, network_id, store_id, store_code, product_id, sku,
                 on_hand, reserved, available, kind, reason, at
            from ${stockFeed}
           where network_id = ${networkId} and platform_pushed_at is null
           order by store_id, product_id, seq desc) latest
        order by seq limit ${limit}`,
  );
  return found.map((r) => ({
    seq: toInt(r.seq),
    networkId: String(r.network_id),
    storeId: String(r.store_id),
    storeCode: String(r.store_code),
    productId: String(r.product_id),
    sku: String(r.sku),
    onHand: toInt(r.on_hand),
    reserved: toInt(r.reserved),
    available: toInt(r.available),
    kind: r.kind as MovementKind,
    reason: (r.reason as string | null) ?? null,
    at: r.at instanceof Date ? r.at : new Date(String(r.at)),
  }));
}

/** The pair's rows up to this one are taken by the platform (pushed, or not pushable). */
export async function markPushed(db: Db, row: Pick<FeedRow, 'networkId' | 'storeId' | 'productId' | 'seq'>) {
  await db
    .update(stockFeed)
    .set({ platformPushedAt: sql`now()` })
    .where(
      and(
        eq(stockFeed.networkId, row.networkId),
        eq(stockFeed.storeId, row.storeId),
        eq(stockFeed.productId, row.productId),
        lte(stockFeed.seq, row.seq),
        isNull(stockFeed.platformPushedAt),
      ),
    );
}

/**
 * Takes (or renews) the consumer's lease on a network for `ms`; false while another holder's lease runs.
 * A lease, not a lock held in a transaction: the work between is network I/O, and PGlite has one connection.
 */
export async function claimLease(
  db: Db,
  lease: { networkId: string; consumer: FeedConsumer; holder: string; ms: number },
): Promise<boolean> {
  const until = sql`now() + make_interval(secs => ${lease.ms / 1000})`;
  const l = stockFeedLeases;
  const claimed = await db
    .insert(l)
    .values({ networkId: lease.networkId, consumer: lease.consumer, holder: lease.holder, leaseUntil: until })
    .onConflictDoUpdate({
      target: [l.networkId, l.consumer],
      set: { holder: lease.holder, leaseUntil: until },
      setWhere: sql`${l.leaseUntil} < now() or ${l.holder} = ${lease.holder}`,
    })
    .returning({ holder: l.holder });
  return claimed.length === 1;
}

export async function releaseLease(
  db: Db,
  lease: { networkId: string; consumer: FeedConsumer; holder: string },
): Promise<void> {
  await db
    .delete(stockFeedLeases)
    .where(
      and(
        eq(stockFeedLeases.networkId, lease.networkId),
        eq(stockFeedLeases.consumer, lease.consumer),
        eq(stockFeedLeases.holder, lease.holder),
      ),
    );
}

/** Deletes published rows older than `ms`; unpublished rows wait, whatever their age. */
export async function purgeFeed(db: Db, ms: number): Promise<number> {
  const gone = await db
    .delete(stockFeed)
    .where(
      and(
        isNotNull(stockFeed.publishedAt),
        sql`${stockFeed.publishedAt} < now() - make_interval(secs => ${ms / 1000})`,
      ),
    )
    .returning({ seq: stockFeed.seq });
  return gone.length;
}
