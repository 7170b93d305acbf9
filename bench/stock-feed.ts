/**
 * The stock feed (issue 16 §7): what its outbox costs a stock transaction, and how fast the publisher empties
 * it into NATS JetStream.
 * - write: a reservation of 3 lines then the release of each (an order's hold, then its cancellation), on
 *   e-commerce products (each transaction's INSERT … SELECT writes its rows) and on products not for the
 *   e-commerce (the same statements, no row): the difference is what writing the rows costs;
 * - publish: the backlog those reservations left, published by one publisher to a NATS server of its own
 *   (test/nats-server.ts), rows per second until drained, one PubAck awaited per row.
 * Prints the figures; never fails on a timing.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as catalog from '../src/catalog/service.ts';
import { startNatsPublisher } from '../src/connector/stock-feed/index.ts';
import { seedDemo } from '../src/demo/seed.ts';
import * as network from '../src/network/service.ts';
import type { Database } from '../src/platform/db/index.ts';
import { rows, sql } from '../src/platform/db/sql.ts';
import * as stock from '../src/stock/service.ts';
import { startNatsServer } from '../test/nats-server.ts';

export const STOCK_FEED_BENCH = 'stock-feed';
const ROUNDS = Number(process.env.BENCH_STOCK_FEED_ROUNDS ?? 300);

export async function benchStockFeed(label: string, database: Database): Promise<void> {
  await database.migrate();
  const db = database.db;
  await seedDemo(db, { secretKey: randomBytes(32) });
  const [{ id: networkId }] = (await rows<{ id: string }>(
    db,
    sql`select id from nodes where kind = 'network' and code = 'DEMO'`,
  )) as [{ id: string }];
  const root = (await network.getNodeById(db, networkId))!;
  const [store] = await network.storesWithin(db, { nodeId: root.id, nodePath: root.path, networkId });
  const all = await catalog.listProductRefs(db, networkId, { limit: 1000 });
  const enabled = all.filter(catalog.isEcommerceEnabled).slice(0, 3);
  const others = all.filter((p) => !catalog.isEcommerceEnabled(p)).slice(0, 3);
  if (!store || enabled.length < 3 || others.length < 3)
    throw new Error('stock feed bench: demo data too small');
  const actor = 'system:bench';
  for (const p of [...enabled, ...others])
    await stock.adjust(db, { storeId: store.id, productId: p.id, quantity: 100_000, reason: 'bench', actor });

  const holdAndRelease = async (products: catalog.ProductRef[]) => {
    const start = performance.now();
    for (let i = 0; i < ROUNDS; i++) {
      const held = await stock.reserveMany(db, {
        lines: products.map((p) => ({ storeId: store.id, productId: p.id, quantity: 1 })),
        actor,
      });
      if (!held.ok) throw new Error(held.failure.detail);
      for (const r of held.value) await stock.release(db, { reservationId: r.id, actor });
    }
    return (performance.now() - start) / ROUNDS;
  };
  // Warm both paths first, so neither pays for the first plans.
  await holdAndRelease(others);
  await holdAndRelease(enabled);
  const withoutRows = await holdAndRelease(others);
  const withRows = await holdAndRelease(enabled);
  console.log(
    `${label.padEnd(9)} hold of 3 lines + 3 releases (4 transactions, ${ROUNDS}×): ${withRows.toFixed(2)} ms with feed rows, ` +
      `${withoutRows.toFixed(2)} ms without (products not for the e-commerce): +${(withRows - withoutRows).toFixed(2)} ms`,
  );

  const [{ n: backlog }] = (await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from stock_feed where published_at is null`,
  )) as [{ n: number }];
  const nats = await startNatsServer();
  try {
    const start = performance.now();
    const publisher = startNatsPublisher(db, { url: nats.url, idleMs: 10 });
    await publisher.drained();
    const seconds = (performance.now() - start) / 1000;
    await publisher.stop();
    console.log(
      `${label.padEnd(9)} stock feed publish: ${backlog} rows in ${seconds.toFixed(1)} s, ${(backlog / seconds).toFixed(0)} rows/s (one PubAck awaited per row)`,
    );
  } finally {
    await nats.close();
  }
}
