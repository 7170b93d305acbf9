/**
 * VTEX's orders hook under load (issue 16): BENCH_VTEX_HOOKS (1,000) hooks of `ready-for-handling`, sent
 * in-process (`app.inject`, BENCH_VTEX_CONCURRENCY at a time) as fast as the route takes them, each then
 * read from a local VTEX (test/vtex-server) and ingested by the `vtex.fetch_order` job. Three figures:
 * - the hook route alone (the worker stopped): hooks/s and its latency, i.e. the ticket + job insert;
 * - the job draining those hooks: orders ingested/s end to end (GET from VTEX, mapping, ingest, ticket
 *   settled), to compare with the 1,000 hooks a minute (16.7/s) the issue asks for;
 * - the ticket-write overhead: the same ticket inserted alone, per hook and per order (hook ticket, the
 *   GET's ticket, the settle), as a share of the route's and the job's time.
 * - the yardstick: the same orders posted to POST /api/v1/orders, so the job's cost reads as a ratio on a
 *   machine whose load varies.
 * Prints figures and ratios; never fails on a timing.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildApp, jobHandlers } from '../src/app.ts';
import { codesOf, toIngestInput, type VtexOrder } from '../src/connector/vtex/mapping.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.ts';
import type { Database } from '../src/platform/db/index.ts';
import { rows, sql } from '../src/platform/db/sql.ts';
import { startWorker } from '../src/platform/jobs/service.ts';
import { recordTicket, settleTicket } from '../src/platform/tickets/service.ts';
import { startVtexServer, vtexOrder } from '../test/vtex-server/index.ts';

/** The name BENCH_ONLY matches (`BENCH_ONLY=vtex`). */
export const VTEX_BENCH = 'vtex hooks';

const HOOKS = Number(process.env.BENCH_VTEX_HOOKS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_VTEX_CONCURRENCY ?? 16);
const PER_MINUTE_TARGET = 1000 / 60;
const HOOK_TOKEN = 'bench-hook-token-000000000001';
/** Plain ingests of the same orders, the yardstick of the job's overhead on this machine, now. */
const BASELINE = Math.min(HOOKS, Number(process.env.BENCH_VTEX_BASELINE ?? 200));

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function inBatches<T>(items: T[], each: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await each(items[next++]!);
    }),
  );
}

export async function benchVtexHooks(label: string, database: Database): Promise<void> {
  await database.migrate();
  const secretKey = randomBytes(32);
  await seedDemo(database.db, { secretKey });
  const vtex = await startVtexServer({ appKey: 'vtexappkey-bench-XYZ', appToken: 'bench-app-token-0001' });
  const app = await buildApp(database, { logger: false, secretKey });
  await app.ready();
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@demo.local', password: DEMO_PASSWORD },
    });
    const admin = login.json().token as string;
    const headers = { authorization: `Bearer ${admin}` };
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/connectors/vtex',
      headers,
      payload: {
        accountName: 'bench',
        baseUrl: vtex.url,
        defaultStoreCode: '11',
        appKey: 'vtexappkey-bench-XYZ',
        appToken: 'bench-app-token-0001',
        hookToken: HOOK_TOKEN,
      },
    });
    if (put.statusCode !== 200) throw new Error(`connection: ${put.statusCode} ${put.body}`);
    await database.db.execute(sql`update stock_balances set on_hand = on_hand + 1000000
      where product_id = (select id from products where sku = 'CAL-002')`);
    const ids = Array.from({ length: HOOKS }, (_, i) => {
      const order = vtexOrder({ orderId: `${1_500_000_000_000 + i}-01`, items: [['CAL-002', 1, 19990]] });
      vtex.addOrder(order);
      return order.orderId;
    });

    // 0. The same orders posted straight to the order API: what ingest alone costs on this machine now.
    const identity = (codes: string[]) => new Map(codes.map((c) => [c, c]));
    const plain = Array.from({ length: BASELINE }, (_, i) => {
      const order = vtexOrder({
        orderId: `${1_600_000_000_000 + i}-01`,
        items: [['CAL-002', 1, 19990]],
      }) as VtexOrder;
      const codes = codesOf(order);
      const mapped = toIngestInput(order, {
        store: new Map(),
        sku: identity(codes.sku),
        payment: new Map(),
        defaultStoreCode: '11',
      });
      if (!mapped.ok) throw new Error(mapped.reason);
      return JSON.stringify(mapped.input);
    });
    const plainStarted = performance.now();
    await inBatches(plain, async (payload) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { authorization: 'Bearer demo-platform-key', 'content-type': 'application/json' },
        payload,
      });
      if (res.statusCode !== 201) throw new Error(`ingest: ${res.statusCode} ${res.body}`);
    });
    const plainPerSecond = BASELINE / ((performance.now() - plainStarted) / 1000);

    // 1. The route alone: what a hook costs before any job runs.
    const latencies: number[] = [];
    const started = performance.now();
    await inBatches(ids, async (orderId) => {
      const t0 = performance.now();
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/connectors/vtex/hook',
        headers: { 'x-omnihub-hook-token': HOOK_TOKEN, 'content-type': 'application/json' },
        payload: JSON.stringify({
          Domain: 'Fulfillment',
          OrderId: orderId,
          State: 'ready-for-handling',
          LastState: 'window-to-cancel',
          LastChange: new Date().toISOString(),
          CurrentChange: new Date().toISOString(),
          Origin: { Account: 'bench', Key: 'vtexappkey-bench-XYZ' },
        }),
      });
      latencies.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`hook: ${res.statusCode} ${res.body}`);
    });
    const hookSeconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    // 2. The job draining them: GET from VTEX, map, ingest, settle.
    const drainStarted = performance.now();
    const worker = startWorker(
      database.db,
      jobHandlers(database, undefined, undefined, {}, {}, { secretKey }),
      {
        pollMs: 20,
        batch: 10,
      },
    );
    let settled = 0;
    let failed = 0;
    while (settled + failed < HOOKS) {
      await new Promise((r) => setTimeout(r, 100));
      const [count] = await rows<{ processed: number; failed: number }>(
        database.db,
        sql`select count(*) filter (where status = 'processed')::int as processed,
                   count(*) filter (where status = 'failed')::int as failed
              from tickets where kind = 'vtex.order' and method = 'orders.hook'`,
      );
      settled = count!.processed;
      failed = count!.failed;
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    await worker.stop();
    const [orders] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from orders where external_id like '15000000%'`,
    );

    // 3. The ticket write alone, as the route and the job do it.
    const body = JSON.stringify({ Domain: 'Fulfillment', OrderId: 'X', State: 'ready-for-handling' });
    const vtexBody = JSON.stringify(vtex.orders.get(ids[0]!));
    const writes: number[] = [];
    const outWrites: number[] = [];
    const settles: number[] = [];
    for (let i = 0; i < 300; i++) {
      let t0 = performance.now();
      const id = await recordTicket(database.db, {
        networkId: null,
        direction: 'in',
        system: 'vtex',
        method: 'bench',
        kind: 'bench',
        status: 'pending',
        latencyMs: 0,
        request: body,
        startedAt: new Date(),
      });
      writes.push(performance.now() - t0);
      t0 = performance.now();
      await recordTicket(database.db, {
        networkId: null,
        direction: 'out',
        system: 'vtex',
        method: 'bench',
        kind: 'bench',
        status: 'processed',
        latencyMs: 0,
        response: vtexBody,
        startedAt: new Date(),
      });
      outWrites.push(performance.now() - t0);
      t0 = performance.now();
      await settleTicket(database.db, id, { status: 'processed' });
      settles.push(performance.now() - t0);
    }
    // Per hook of the route's throughput: on PGlite (one connection) that is its service time.
    const hookCostMs = (hookSeconds * 1000) / HOOKS;
    const perOrderMs = (drainSeconds * 1000) / HOOKS;
    const ticketPerOrder = mean(outWrites) + mean(settles);

    const hooksPerSecond = HOOKS / hookSeconds;
    const ordersPerSecond = orders!.n / drainSeconds;
    console.log(`\nVTEX hooks (${label}): ${HOOKS} hooks, ${CONCURRENCY} at a time, in-process`);
    console.log(
      `  hook route:  ${hooksPerSecond.toFixed(0)} hooks/s (${hookSeconds.toFixed(1)} s); latency p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms`,
    );
    console.log(
      `  fetch + ingest job: ${ordersPerSecond.toFixed(1)} orders/s end to end (${orders!.n} orders, ${failed} failed tickets, ${drainSeconds.toFixed(1)} s) = ${(ordersPerSecond / PER_MINUTE_TARGET).toFixed(1)}× the 1,000 hooks/minute asked`,
    );
    console.log(
      `  yardstick: POST /api/v1/orders of the same orders ${plainPerSecond.toFixed(1)} orders/s; the job reaches ${((100 * ordersPerSecond) / plainPerSecond).toFixed(0)} % of it`,
    );
    console.log(
      `  ticket writes: hook ticket ${mean(writes).toFixed(2)} ms = ${((100 * mean(writes)) / hookCostMs).toFixed(0)} % of the route's ${hookCostMs.toFixed(2)} ms per hook; per order in the job (GET's ticket ${mean(outWrites).toFixed(2)} ms + settle ${mean(settles).toFixed(2)} ms) = ${((100 * ticketPerOrder) / perOrderMs).toFixed(0)} % of ${perOrderMs.toFixed(1)} ms per order`,
    );
  } finally {
    await app.close();
    await vtex.close();
  }
}
