/**
 * The counter under load (issue 13): BENCH_POS_CLIENTS (500) POS clients, one per store, each with its own
 * POS key, polling `GET /api/v1/pos/pending-orders` every 10 s with time compressed BENCH_POS_SPEEDUP times
 * (20: every 500 ms), through the whole HTTP stack in-process (`app.inject`, no socket, so the process's
 * CPU is the server's). Two phases of BENCH_POS_SECONDS (15) each: the polls alone, which gives the CPU per
 * poll; then the polls while orders flow (ingest → accept → picking → ready for pickup, at 50 of the stores,
 * each new one downloaded by its POS at the next poll), which gives the latency under load. Prints figures;
 * never fails on a timing. On a PostgreSQL server the database's own CPU is another process's (not counted).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildApp, jobHandlers } from '../src/app.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.ts';
import type { Database } from '../src/platform/db/index.ts';
import { rows, sql } from '../src/platform/db/sql.ts';
import { startWorker } from '../src/platform/jobs/service.ts';

/** The name BENCH_ONLY matches (`BENCH_ONLY=pos`). */
export const POS_BENCH = 'pos counter';

const CLIENTS = Number(process.env.BENCH_POS_CLIENTS ?? 500);
const SPEEDUP = Number(process.env.BENCH_POS_SPEEDUP ?? 20);
const SECONDS = Number(process.env.BENCH_POS_SECONDS ?? 15);
/** The stores orders flow to (the first ones of the bench stores). */
const FLOW_STORES = 50;
const FLOW_WORKERS = 2;
const INTERVAL_MS = 10_000 / SPEEDUP;

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN;

/** CLIENTS stores under SUL taking part in the omnichannel process, with stock of CAL-002 at each. */
async function seedStores(database: Database): Promise<void> {
  const { db } = database;
  await db.execute(sql`
    with sul as (select id, network_id, path from nodes where code = 'SUL'),
         g as (select gen_random_uuid() as id, n from generate_series(1, ${CLIENTS}) n)
    insert into nodes (id, network_id, parent_id, kind, code, path, name, legal_name, cnpj, state,
                       latitude, longitude, visibility, active)
    select g.id, sul.network_id, sul.id, 'store', 'P' || g.n, sul.path || g.id || '/', 'Loja P' || g.n,
           'Bench POS ' || g.n || ' Ltda.', '8' || lpad(g.n::text, 13, '0'), 'SP',
           -23 + (g.n % 97) * 0.01, -46 + (g.n % 89) * 0.01, 'private', true
    from g, sul`);
  await db.execute(sql`
    insert into stock_balances (store_id, product_id, on_hand, reserved)
    select s.id, p.id, 1000000, 0 from nodes s, products p
    where s.code like 'P%' and s.kind = 'store' and p.sku = 'CAL-002'
    on conflict do nothing`);
  await db.execute(sql`analyze`);
}

interface Phase {
  polls: number;
  latencies: number[];
  cpuMs: number;
  seconds: number;
  orders: number;
  errors: number;
}

export async function benchPos(label: string, database: Database): Promise<void> {
  const setupStarted = performance.now();
  await database.migrate();
  const secretKey = randomBytes(32);
  await seedDemo(database.db, { secretKey });
  await seedStores(database);
  const worker = startWorker(database.db, jobHandlers(database), {});
  const app = await buildApp(database, { logger: false, wakeWorker: worker.wake, secretKey });
  await app.ready();
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, auth: string, payload?: object) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${auth}` }, payload });
    return res;
  };
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'admin@demo.local', password: DEMO_PASSWORD },
  });
  const admin = login.json().token as string;
  for (const [node, code, value] of [
    ['SUL', '9253', true],
    ['DEMO', 'TP_CONF_ACEITE_PED', '1'],
  ] as const) {
    const res = await call('PUT', `/api/v1/nodes/${node}/parameters/${code}`, admin, { value });
    if (res.statusCode !== 200) throw new Error(`parameter ${code}: ${res.statusCode} ${res.body}`);
  }
  const keys: string[] = [];
  for (let n = 1; n <= CLIENTS; n++) {
    const res = await call('POST', '/api/v1/api-clients', admin, {
      name: `PDV loja P${n}`,
      scope: 'pos',
      nodeCode: `P${n}`,
    });
    if (res.statusCode !== 201) throw new Error(`POS key of P${n}: ${res.statusCode} ${res.body}`);
    keys.push(res.json().key as string);
  }
  const [{ n: storeCount } = { n: 0 }] = await rows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from nodes where kind = 'store'`,
  );
  console.log(
    `${label.padEnd(9)} ${storeCount} stores, ${keys.length} POS keys ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; each POS polls every ${INTERVAL_MS} ms (10 s ÷ ${SPEEDUP})`,
  );

  let seq = 0;
  const flowOnce = async () => {
    const store = `P${1 + (seq % FLOW_STORES)}`;
    const created = await call('POST', '/api/v1/orders', 'demo-platform-key', {
      externalId: `bench-pos-${process.pid}-${++seq}`,
      storeCode: store,
      deliveryType: 'pickup',
      customer: {
        name: 'Cliente Bench',
        document: '52998224725',
        email: 'bench@demo.local',
        phone: '11999990000',
      },
      items: [{ sku: 'CAL-002', quantity: 1, unitPrice: '199.90' }],
      payments: [{ method: 'pix', amount: '199.90' }],
      placedAt: new Date().toISOString(),
    });
    if (created.statusCode !== 201) throw new Error(`ingest: ${created.statusCode} ${created.body}`);
    const id = created.json().id as string;
    if ((await call('POST', `/api/v1/orders/${id}/accept`, admin)).statusCode !== 200)
      throw new Error('accept');
    for (const to of ['picking', 'ready_for_pickup']) {
      const moved = await call('POST', `/api/v1/orders/${id}/transitions`, admin, { to });
      if (moved.statusCode !== 200) throw new Error(`${to}: ${moved.statusCode} ${moved.body}`);
    }
  };

  async function phase(withFlow: boolean): Promise<Phase> {
    const result: Phase = { polls: 0, latencies: [], cpuMs: 0, seconds: SECONDS, orders: 0, errors: 0 };
    const endAt = performance.now() + SECONDS * 1000;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const client = async (key: string) => {
      // Spread over the interval, as POS clients started at different times would be.
      let next = performance.now() + Math.random() * INTERVAL_MS;
      while (next < endAt) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t0 = performance.now();
        const res = await call('GET', '/api/v1/pos/pending-orders', key);
        result.latencies.push(performance.now() - t0);
        if (res.statusCode === 200) result.polls++;
        else result.errors++;
        next += INTERVAL_MS;
        // A POS that fell behind polls again at once, not in a burst of missed polls.
        if (next < performance.now()) next = performance.now();
      }
    };
    const flow = async () => {
      while (performance.now() < endAt) {
        await flowOnce();
        result.orders++;
      }
    };
    await Promise.all([...keys.map(client), ...(withFlow ? Array.from({ length: FLOW_WORKERS }, flow) : [])]);
    const used = process.cpuUsage(cpu);
    result.cpuMs = (used.user + used.system) / 1000;
    result.seconds = (performance.now() - started) / 1000;
    return result;
  }

  const report = (name: string, r: Phase) => {
    const sorted = [...r.latencies].sort((a, b) => a - b);
    console.log(
      `${label.padEnd(9)} ${name.padEnd(22)} ${(r.polls / r.seconds).toFixed(0).padStart(5)} polls/s (offered ${(CLIENTS / (INTERVAL_MS / 1000)).toFixed(0)})  ` +
        `p50 ${pct(sorted, 50).toFixed(1)} ms  p99 ${pct(sorted, 99).toFixed(1)} ms  ` +
        `CPU ${(r.cpuMs / Math.max(1, r.polls)).toFixed(2)} ms/poll (${((r.cpuMs / 1000 / r.seconds) * 100).toFixed(0)} % of a core)` +
        `  ≈ ${Math.round((r.polls / r.seconds) * 10)} POS at a real 10 s interval` +
        (r.orders ? `  orders ${(r.orders / r.seconds).toFixed(1)}/s` : '') +
        (r.errors ? `  errors ${r.errors}` : ''),
    );
  };
  report('polls alone', await phase(false));
  report('polls + order flow', await phase(true));
  // The POS of each store orders flowed to polls once more: what became ready late in the run is downloaded.
  for (const key of keys.slice(0, FLOW_STORES)) await call('GET', '/api/v1/pos/pending-orders', key);
  const [marked] = await rows<{ downloaded: number; ready: number; notes: number }>(
    database.db,
    sql`select count(*) filter (where pos_downloaded_at is not null)::int as downloaded,
               count(*) filter (where status = 'ready_for_pickup')::int as ready,
               (select count(*)::int from order_history where from_status = to_status) as notes
        from orders`,
  );
  console.log(
    `${label.padEnd(9)} ${marked?.ready} orders ready for pickup, ${marked?.downloaded} downloaded by their POS, ${marked?.notes} download notes (one each)`,
  );
  await app.close();
  await worker.stop();
}
