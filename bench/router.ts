/**
 * Issue 6's router target: a proposal for a 10-line order in p99 < 10 ms, here over 5,000 stores (issue 19's
 * size; `BENCH_ROUTER_STORES` sets it) and 100,000 SKUs. Seeds the demo network, then the stores under SUL
 * (all in the split, all seeing each other), a catalogue of 100,000 SKUs each stocked at 5 stores, and 10
 * SKUs stocked across every store, all of them enabled by the pickup experience; then times the router alone
 * (`defaultStrategy.propose` on the loaded candidates), the stock read alone, and the whole split-options
 * call (the order, the cached eligible companies, their stock, then proposing).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { Database } from '../src/platform/db/index.ts';
import { rows, sql } from '../src/platform/db/sql.ts';
import { defaultStrategy } from '../src/split/domain.ts';
import { splitOptions } from '../src/split/service.ts';
import * as stock from '../src/stock/service.ts';

export const ROUTER_BENCH = 'router';
const STORES = Number(process.env.BENCH_ROUTER_STORES ?? 5000);
const SKUS = Number(process.env.BENCH_ROUTER_SKUS ?? 100_000);
const RUNS = 200;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function seedScale(database: Database): Promise<void> {
  const { db } = database;
  await database.migrate();
  await seedDemo(db, { secretKey: randomBytes(32) });
  // 1,000 stores under SUL, spread over south-east Brazil.
  await db.execute(sql`
    with sul as (select id, network_id, path from nodes where code = 'SUL'),
         g as (select gen_random_uuid() as id, n from generate_series(1, ${STORES}) n)
    insert into nodes (id, network_id, parent_id, kind, code, path, name, legal_name, cnpj, state,
                       latitude, longitude, visibility, active)
    select g.id, sul.network_id, sul.id, 'store', 'B' || g.n, sul.path || g.id || '/', 'Loja B' || g.n,
           'Bench ' || g.n || ' Ltda.', '9' || lpad(g.n::text, 13, '0'), 'SP',
           -25 + (g.n % 97) * 0.05, -50 + (g.n % 89) * 0.06, 'private', true
    from g, sul`);
  await db.execute(sql`
    insert into products (network_id, sku, ean, description, ncm, unit, price, integrates_ecommerce, active_ecommerce)
    select (select network_id from nodes where code = 'SUL'), 'BX-' || n, lpad((7890000000000 + n)::text, 13, '0'),
           'Produto de bench ' || n, '61091000', 'UN', 49.90, true, true
    from generate_series(1, ${SKUS}) n`);
  // Each bench SKU at 5 stores (joined by the stores' rank, a hash join); the 10 order SKUs (BX-1..BX-10)
  // at every bench store, 0 to 3 units.
  await db.execute(sql`
    with stores as (select id, row_number() over (order by code) as k from nodes where code like 'B%' and kind = 'store'),
         p as (select id, row_number() over (order by sku) as k from products where sku like 'BX-%'),
         placed as (select p.id, 1 + (p.k % 7) as units,
                           unnest(array[1 + p.k % ${STORES}, 1 + (p.k * 7) % ${STORES}, 1 + (p.k * 13) % ${STORES},
                                        1 + (p.k * 17) % ${STORES}, 1 + (p.k * 31) % ${STORES}]) as k
                    from p where p.k > 10)
    insert into stock_balances (store_id, product_id, on_hand, reserved)
    select s.id, placed.id, placed.units, 0 from placed join stores s on s.k = placed.k
    on conflict do nothing`);
  await db.execute(sql`
    insert into stock_balances (store_id, product_id, on_hand, reserved)
    select s.id, p.id, (abs(hashtext(s.id::text || p.id::text)) % 4), 0
    from nodes s, products p
    where s.code like 'B%' and s.kind = 'store' and p.sku in ('BX-1','BX-2','BX-3','BX-4','BX-5','BX-6','BX-7','BX-8','BX-9','BX-10')
    on conflict do nothing`);
  // The pickup experience of the demo (RETIRA) enables every bench store, so all of them may serve.
  await db.execute(sql`
    insert into delivery_experience_stores (experience_id, store_id, store_path)
    select e.id, s.id, s.path from delivery_experiences e, nodes s
    where e.code = 'RETIRA' and s.code like 'B%' and s.kind = 'store'`);
  await db.execute(sql`analyze`);
}

export async function benchRouter(label: string, database: Database): Promise<void> {
  const started = performance.now();
  await seedScale(database);
  const [size] = await rows<{ db: string; stores: number; products: number; balances: number }>(
    database.db,
    sql`select pg_size_pretty(pg_database_size(current_database())) as db,
               (select count(*)::int from nodes where kind = 'store') as stores,
               (select count(*)::int from products) as products,
               (select count(*)::int from stock_balances) as balances`,
  );
  console.log(
    `${label}: ${size?.stores} stores, ${Number(size?.products).toLocaleString('en')} products, ${Number(size?.balances).toLocaleString('en')} stock balances; database ${size?.db}; seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const app = await buildApp(database, { logger: false, secretKey: randomBytes(32) });
  await app.ready();
  try {
    const order = await app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { authorization: 'Bearer demo-platform-key' },
      payload: {
        externalId: 'bench-router-1',
        storeCode: '11',
        deliveryType: 'pickup',
        customer: { name: 'Bench', document: '52998224725', email: 'b@example.com', phone: '11999990000' },
        items: Array.from({ length: 10 }, (_, i) => ({
          sku: `BX-${i + 1}`,
          quantity: 5,
          unitPrice: '49.90',
        })),
        payments: [{ method: 'pix', amount: '2495.00' }],
        placedAt: new Date().toISOString(),
      },
    });
    if (order.statusCode !== 201) throw new Error(`order: ${order.statusCode} ${order.body}`);
    const orderId = order.json().id as string;
    const caller = { kind: 'system' as const, id: 'bench', name: 'bench', actor: 'system' as const };
    const full: number[] = [];
    let options: Awaited<ReturnType<typeof splitOptions>> | undefined;
    for (let i = 0; i < RUNS + 10; i++) {
      const t0 = performance.now();
      options = await splitOptions(database.db, {}, caller, orderId);
      if (i >= 10) full.push(performance.now() - t0);
    }
    if (!options?.ok) throw new Error('split options failed');
    // What bounds the call: the free stock of its 10 SKUs at every store, read alone.
    const productIds = (
      await rows<{ id: string }>(
        database.db,
        sql`select id from products where sku like 'BX-_' or sku = 'BX-10'`,
      )
    ).map((r) => r.id);
    const read: number[] = [];
    let balances = 0;
    for (let i = 0; i < RUNS + 10; i++) {
      const t0 = performance.now();
      const found = await stock.availableAcrossStores(database.db, productIds);
      if (i >= 10) read.push(performance.now() - t0);
      balances = [...found.values()].reduce((n, m) => n + m.size, 0);
    }
    read.sort((a, b) => a - b);
    const companies = new Set(options.value.lines.flatMap((l) => l.companies.map((c) => c.storeCode))).size;
    // The router alone, on the same candidates (rebuilt from the answer).
    const lines = options.value.lines.map((l, i) => ({
      productId: `p${i}`,
      sku: l.sku,
      requested: l.requested,
      held: l.held,
      allocated: l.allocated,
    }));
    const byStore = new Map<
      string,
      { isMain: boolean; distanceKm: number | null; available: Map<string, number> }
    >();
    options.value.lines.forEach((l, i) => {
      for (const c of l.companies) {
        const entry = byStore.get(c.storeCode) ?? {
          isMain: c.isMain,
          distanceKm: c.distanceKm,
          available: new Map(),
        };
        entry.available.set(`p${i}`, c.available);
        byStore.set(c.storeCode, entry);
      }
    });
    const candidates = [...byStore].map(([code, c]) => ({
      storeId: code,
      storeCode: code,
      storeName: code,
      ...c,
    }));
    const pure: number[] = [];
    for (let i = 0; i < RUNS * 5; i++) {
      const t0 = performance.now();
      defaultStrategy.propose(lines, candidates);
      pure.push(performance.now() - t0);
    }
    full.sort((a, b) => a - b);
    pure.sort((a, b) => a - b);
    const proposal = options.value.proposal;
    console.log(
      `${label.padEnd(9)} 10-line order, ${companies} companies holding stock of its SKUs; proposal uses ${new Set(proposal.map((a) => a.storeCode)).size} companies`,
    );
    console.log(
      `${label.padEnd(9)} router alone:               p50 ${pct(pure, 50).toFixed(2)} ms  p99 ${pct(pure, 99).toFixed(2)} ms  (${(pct(pure, 99) / 10).toFixed(2)} × the 10 ms target)`,
    );
    console.log(
      `${label.padEnd(9)} stock read alone:           p50 ${pct(read, 50).toFixed(1)} ms  p99 ${pct(read, 99).toFixed(1)} ms  (${balances.toLocaleString('en')} store balances with free stock)`,
    );
    console.log(
      `${label.padEnd(9)} split options (DB + router): p50 ${pct(full, 50).toFixed(1)} ms  p99 ${pct(full, 99).toFixed(1)} ms  (${(pct(full, 99) / 10).toFixed(2)} × the 10 ms target)`,
    );
  } finally {
    await app.close();
  }
}
