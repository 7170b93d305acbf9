/**
 * The store queue with a million orders (issues 4 and 19): seeds the orders set-based, straight into the
 * tables, then times `GET /api/v1/orders` through the whole HTTP stack in-process (`app.inject`: no socket,
 * no load generator), reading the Server-Timing header Omnihub sets on every answer. Target: every query under
 * 300 ms server time at p95. Prints p50/p95/max and the ratio to the target per query and, for each query
 * that misses, what bounds it: the request's statements re-run under EXPLAIN ANALYZE, the slowest one and
 * the plan node it spends most time in. Never fails on a timing.
 *
 * Both databases get 1,000,000 orders (BENCH_QUEUE_ORDERS; BENCH_QUEUE_EMBEDDED_ORDERS for the embedded
 * one alone).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.ts';
import { startOfDay } from '../src/orders/queue-rules.ts';
import { foldStatusCounts } from '../src/orders/service.ts';
import type { Database } from '../src/platform/db/index.ts';
import { rows, sql } from '../src/platform/db/sql.ts';
import { saoPauloDay } from '../src/platform/format-br.ts';

/** The name BENCH_ONLY matches (`BENCH_ONLY=queue`). */
export const QUEUE_BENCH = 'store queue';
export const TARGET_MS = 300;

/** Orders seeded on the PostgreSQL server. */
const SERVER_ORDERS = Number(process.env.BENCH_QUEUE_ORDERS ?? 1_000_000);
/**
 * Orders seeded on the embedded database: as many by default (measured: 6 min of seeding on a shared 2-core
 * machine, 1 GB resident, a 1.9 GB data directory); fewer for a quicker run.
 */
const EMBEDDED_ORDERS = Number(process.env.BENCH_QUEUE_EMBEDDED_ORDERS ?? SERVER_ORDERS);
/** Orders placed today (São Paulo): 0.3 % of them (300 of 100,000, 3,000 of a million). */
const todayOf = (orders: number) => Math.max(1, Math.round(orders * 0.003));
/** BENCH_QUEUE_EXPLAIN=1: explain every query, not only the ones that miss the target. */
const EXPLAIN_ALL = process.env.BENCH_QUEUE_EXPLAIN === '1';
const DAYS = 180;
const RUNS = Number(process.env.BENCH_QUEUE_RUNS ?? 30);
/**
 * BENCH_QUEUE_VACUUM=1: VACUUM ANALYZE instead of ANALYZE, i.e. the visibility map set as autovacuum
 * leaves a server's table; PGlite has no autovacuum (one standalone backend), so plain ANALYZE is its
 * steady state, and the CI server here runs with autovacuum off.
 */
const VACUUM = process.env.BENCH_QUEUE_VACUUM === '1';
const WARMUPS = 3;
const DAY_MS = 86_400_000;

/**
 * `count` orders of the demo network as half a year of e-commerce would leave them: 70 % at store 11 (the
 * e-commerce main store), 20 % at 8, 10 % at 3; placed over the last DAYS days, 0.3 % of them today;
 * old ones delivered, invoiced or cancelled, recent ones still open, accepted or in picking. Each has 1–3
 * lines, one payment and its history; numbers are consecutive per store in placement order and the
 * counters follow; rows go in in placement order, as they would have arrived. One transaction, so
 * `setseed` holds for every `random()`: the same mix every run. Every order carries the demo network's omni
 * classification (CD_TIPOCLAS_OMNI's default), as ingest stamps it.
 */
export async function seedOrders(database: Database, now: Date, count: number): Promise<void> {
  const start = startOfDay(saoPauloDay(now));
  const today = todayOf(count);
  await database.db.transaction(async (tx) => {
    const run = (q: ReturnType<typeof sql>) => tx.execute(q);
    await run(sql`select setseed(0.4242)`);
    await run(sql`create temp table bench_stores on commit drop as
      select s.id, s.code, s.network_id, u.id as manager_id, u.name as manager_name,
             coalesce(c.last_number, 0) as last_number
      from nodes s
      join users u on u.email = 'loja' || s.code || '@demo.local'
      left join order_counters c on c.store_id = s.id
      where s.kind = 'store' and s.code in ('11', '8', '3')`);
    await run(sql`create temp table bench_products on commit drop as
      select (row_number() over (order by sku) - 1)::int as n, id, sku, description,
             greatest(price, 9.90)::numeric(14, 2) as price
      from products`);
    await run(sql`create temp table bench_orders on commit drop as
      with drawn as (
        select g,
               case when g % 10 < 7 then '11' when g % 10 < 9 then '8' else '3' end as code,
               case when g <= ${today}
                    then ${start.toISOString()}::timestamptz
                         + random() * (${now.toISOString()}::timestamptz - ${start.toISOString()}::timestamptz)
                    else ${start.toISOString()}::timestamptz - random() * make_interval(days => ${DAYS - 1}::int)
               end as placed_at,
               random() as r,
               random() as r2
        from generate_series(1, ${count}) g
      ), aged as (
        select d.*, ${now.toISOString()}::timestamptz - d.placed_at as age from drawn d
      )
      select a.g, gen_random_uuid() as id, s.id as store_id, s.network_id, s.manager_id, s.manager_name,
             a.placed_at,
             (s.last_number + row_number() over (partition by s.id order by a.placed_at, a.g))::int as number,
             case
               when a.g <= ${today} then
                 case when a.r < 0.45 then 'open' when a.r < 0.65 then 'accepted' when a.r < 0.85 then 'picking'
                      when a.r < 0.90 then 'awaiting_stock' when a.r < 0.95 then 'ready_for_pickup'
                      else 'cancelled' end
               when a.age < interval '7 days' then
                 case when a.r < 0.03 then 'open' when a.r < 0.06 then 'accepted' when a.r < 0.10 then 'picking'
                      when a.r < 0.20 then 'ready_for_pickup' when a.r < 0.25 then 'invoicing'
                      when a.r < 0.45 then 'invoiced' when a.r < 0.65 then 'in_transit'
                      when a.r < 0.90 then 'delivered' else 'cancelled' end
               else case when a.r < 0.80 then 'delivered' when a.r < 0.88 then 'invoiced' else 'cancelled' end
             end as status,
             case when a.r2 < 0.6 then 'pickup' else 'ship' end as delivery_type,
             1 + (a.g % 3) as lines
      from aged a join bench_stores s on s.code = a.code`);
    await run(sql`create temp table bench_items on commit drop as
      select o.id as order_id, l.line, p.id as product_id, p.sku, p.description,
             1 + ((o.g + l.line) % 2) as quantity, p.price as unit_price,
             p.price * (1 + ((o.g + l.line) % 2)) as total
      from bench_orders o
      cross join lateral generate_series(0, o.lines - 1) l(line)
      join bench_products p on p.n = (o.g + l.line) % (select count(*) from bench_products)`);
    await run(sql`insert into orders (id, network_id, store_id, client_id, number, external_id, request_hash,
        channel, modality, delivery_type, status, customer_name, customer_document, customer_email,
        customer_phone, customer_address, carrier, items_total, discount_total, freight, total, paid,
        placed_at, classification, version, created_at, updated_at)
      select o.id, o.network_id, o.store_id, c.id, o.number, 'bench-' || o.g, md5('bench-' || o.g),
             'ecommerce', case when o.g % 20 = 0 then 'endless_aisle' else 'ecommerce' end, o.delivery_type,
             o.status, 'Cliente ' || o.g, lpad((o.g::bigint * 7919 % 100000000000)::text, 11, '0'),
             'cliente' || o.g || '@example.com', '119' || lpad((o.g % 100000000)::text, 8, '0'),
             case when o.delivery_type = 'ship' then jsonb_build_object('street', 'Rua ' || o.g, 'number', '100',
               'district', 'Centro', 'city', 'São Paulo', 'cityCode', '3550308', 'state', 'SP',
               'postalCode', '01310200') end,
             case when o.delivery_type = 'ship' then 'correios' end,
             i.items_total, 0, case when o.delivery_type = 'ship' then 19.90 else 0 end,
             i.items_total + case when o.delivery_type = 'ship' then 19.90 else 0 end,
             true, o.placed_at, 'OMNI', case when o.status = 'open' then 1 else 2 end, o.placed_at,
             case when o.status = 'open' then o.placed_at
                  else least(o.placed_at + interval '2 hours', ${now.toISOString()}::timestamptz) end
      from bench_orders o
      join (select order_id, sum(total) as items_total from bench_items group by order_id) i on i.order_id = o.id
      cross join (select id from api_clients where scope = 'platform' order by created_at limit 1) c
      order by o.placed_at`);
    await run(sql`insert into order_items (order_id, line, product_id, sku, description, quantity, unit_price,
        discount, total)
      select order_id, line, product_id, sku, description, quantity, unit_price, 0, total from bench_items`);
    await run(sql`insert into order_payments (order_id, line, method, amount, installments)
      select o.id, 0, m.method, o.total, case when m.method = 'credit_card' then 1 + o.number % 6 end
      from orders o
      join bench_orders b on b.id = o.id
      cross join lateral (select (array['credit_card', 'pix', 'debit_card', 'credit_card'])[1 + b.g % 4] as method) m`);
    // Created by the platform, then (unless still open) moved by the store's manager: ids follow time.
    await run(sql`insert into order_history (order_id, at, actor_kind, actor_id, actor_name, actor_role, channel,
        from_status, to_status, reason)
      select h.* from (
        select o.id, o.placed_at as at, 'client', c.id::text, c.name, 'platform', 'platform', null, 'open', null
        from bench_orders o
        cross join (select id, name from api_clients where scope = 'platform' order by created_at limit 1) c
        union all
        select o.id, least(o.placed_at + interval '2 hours', ${now.toISOString()}::timestamptz), 'user',
               o.manager_id::text, o.manager_name, 'store_manager', 'back_office', 'open', o.status,
               case when o.status = 'cancelled' then 'Cliente desistiu' end
        from bench_orders o where o.status <> 'open'
      ) h(order_id, at, actor_kind, actor_id, actor_name, actor_role, channel, from_status, to_status, reason)
      order by h.at`);
    await run(sql`insert into order_counters (store_id, last_number)
      select store_id, max(number) from bench_orders group by store_id
      on conflict (store_id) do update set last_number = excluded.last_number`);
  });
  // What main.ts's timer does every minute: the counters' appended changes become per-day counts.
  await foldStatusCounts(database.db);
  await database.db.execute(VACUUM ? sql`vacuum analyze` : sql`analyze`);
}

interface Timed {
  label: string;
  who: string;
  /** Orders in the filtered set (sum of totals) and rows answered, for the queue queries. */
  matched: number | null;
  items: number | null;
  server: number[];
  wall: number[];
  auth: string;
  url: string;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

export interface QueueFigure {
  label: string;
  name: string;
  who: string;
  matched: number | null;
  p50: number;
  p95: number;
  max: number;
  wallP50: number;
}

/** Migrates, seeds the demo network and the orders, then times the queue's queries. */
export async function benchQueue(label: string, database: Database): Promise<QueueFigure[]> {
  await database.migrate();
  const secretKey = randomBytes(32);
  await seedDemo(database.db, { secretKey });
  const now = new Date();
  const count = database.kind === 'embedded' ? EMBEDDED_ORDERS : SERVER_ORDERS;
  const seedStart = performance.now();
  await seedOrders(database, now, count);
  const seedMs = performance.now() - seedStart;
  const [size] = await rows<{ database: string; orders: string; n: number }>(
    database.db,
    sql`select pg_size_pretty(pg_database_size(current_database())) as database,
               pg_size_pretty(pg_total_relation_size('orders')) as orders,
               (select count(*)::int from orders) as n`,
  );
  console.log(
    `${label}: ${Number(size?.n).toLocaleString('en')} orders seeded in ${(seedMs / 1000).toFixed(1)} s (set-based SQL + ${VACUUM ? 'VACUUM ANALYZE' : 'ANALYZE'}); database ${size?.database}, orders with indexes ${size?.orders}`,
  );

  const app = await buildApp(database, { logger: false, secretKey });
  await app.ready();
  const token = async (email: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: DEMO_PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
    return res.json().token as string;
  };
  const who = { store: await token('loja11@demo.local'), admin: await token('admin@demo.local') };
  const get = async (auth: string, url: string) => {
    const started = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${auth}` } });
    const wall = performance.now() - started;
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
    const server = Number(/dur=([0-9.]+)/.exec(String(res.headers['server-timing']))?.[1]);
    return { body: res.json(), server, wall };
  };

  const day = (daysAgo: number) => saoPauloDay(new Date(now.getTime() - daysAgo * DAY_MS));
  const today = day(0);
  const week = `from=${day(6)}&to=${today}`;
  const month = `from=${day(29)}&to=${today}`;
  const [mid] = await rows<{ id: string; number: number }>(
    database.db,
    sql`select o.id, o.number from orders o join nodes s on s.id = o.store_id
        where s.code = '11' and o.status = 'delivered' order by o.number limit 1 offset ${Math.floor(count / 5)}`,
  );
  const firstPage = await get(who.store, `/api/v1/orders?${month}`);
  const cursor = encodeURIComponent(firstPage.body.nextCursor);

  const queries: { label: string; who: keyof typeof who; url: string }[] = [
    { label: 'default view (today, open + picking)', who: 'store', url: '' },
    { label: 'status=open', who: 'store', url: '?status=open' },
    {
      label: 'status=open,picking,accepted',
      who: 'store',
      url: '?status=open&status=picking&status=accepted',
    },
    { label: `number=${mid?.number}`, who: 'store', url: `?number=${mid?.number}` },
    { label: '7 days, all statuses', who: 'store', url: `?${week}` },
    { label: '30 days, all statuses', who: 'store', url: `?${month}` },
    { label: '30 days, page 2 (nextCursor)', who: 'store', url: `?${month}&cursor=${cursor}` },
    { label: '30 days, sort=-total', who: 'store', url: `?${month}&sort=-total` },
    { label: 'all time, sort=-total', who: 'store', url: '?storeCode=11&sort=-total' },
    { label: 'default view (today, open + picking)', who: 'admin', url: '' },
    { label: 'storeCode=8', who: 'admin', url: '?storeCode=8' },
    { label: '30 days, all statuses', who: 'admin', url: `?${month}` },
    {
      label: 'status=delivered, 180 days',
      who: 'admin',
      url: `?status=delivered&from=${day(DAYS - 1)}&to=${today}`,
    },
  ];
  const timed: Timed[] = [];
  const measure = async (
    t: Omit<Timed, 'server' | 'wall' | 'matched' | 'items' | 'auth' | 'url'>,
    auth: string,
    url: string,
  ) => {
    let last: Awaited<ReturnType<typeof get>> | undefined;
    const server: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < WARMUPS + RUNS; i++) {
      last = await get(auth, url);
      if (i < WARMUPS) continue;
      server.push(last.server);
      wall.push(last.wall);
    }
    const totals = last?.body.totals as Record<string, number> | undefined;
    timed.push({
      ...t,
      auth,
      url,
      matched: totals ? Object.values(totals).reduce((a, b) => a + b, 0) : null,
      items: last?.body.items?.length ?? null,
      server,
      wall,
    });
  };
  for (const q of queries) await measure(q, who[q.who], `/api/v1/orders${q.url}`);
  await measure(
    { label: 'GET /api/v1/orders/{id} (detail)', who: 'store' },
    who.store,
    `/api/v1/orders/${mid?.id}`,
  );

  console.log(
    `\n${label}: GET /api/v1/orders, ${RUNS} runs after ${WARMUPS} warm-ups, in-process (app.inject); server time from Server-Timing`,
  );
  console.log(
    `${'who'.padEnd(6)} ${'query'.padEnd(40)} ${'matched'.padStart(7)} ${'rows'.padStart(4)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'max ms'.padStart(7)}  ${'p95/300'.padStart(7)}  ${'wall p50'.padStart(8)}`,
  );
  const figures: QueueFigure[] = [];
  for (const t of timed) {
    const s = [...t.server].sort((a, b) => a - b);
    const w = [...t.wall].sort((a, b) => a - b);
    const f = {
      label,
      name: t.label,
      who: t.who,
      matched: t.matched,
      p50: percentile(s, 50),
      p95: percentile(s, 95),
      max: s[s.length - 1] ?? Number.NaN,
      wallP50: percentile(w, 50),
    };
    figures.push(f);
    console.log(
      `${t.who.padEnd(6)} ${t.label.padEnd(40)} ${(t.matched?.toLocaleString('en') ?? '—').padStart(7)} ${String(t.items ?? '—').padStart(4)} ${f.p50.toFixed(1).padStart(7)} ${f.p95.toFixed(1).padStart(7)} ${f.max.toFixed(1).padStart(7)}  ${(f.p95 / TARGET_MS).toFixed(2).padStart(7)}  ${f.wallP50.toFixed(1).padStart(8)}`,
    );
  }
  // What bounds each miss: the request once more with its statements recorded, each under EXPLAIN ANALYZE.
  for (const [i, t] of timed.entries()) {
    const figure = figures[i]!;
    if (!EXPLAIN_ALL && figure.p95 < TARGET_MS) continue;
    const statements = await recordStatements(database, () => get(t.auth, t.url));
    const plans = [];
    for (const s of statements) plans.push(await explainAnalyze(database, s));
    const slowest = plans.reduce((a, b) => (b.ms > a.ms ? b : a), plans[0]!);
    console.log(
      `${figure.p95 >= TARGET_MS ? 'MISS' : 'ok  '} ${t.who} ${t.label}: p95 ${figure.p95.toFixed(1)} ms; ${statements.length} statements, slowest ${slowest.ms.toFixed(1)} ms (planning ${slowest.planningMs.toFixed(1)} ms): ${slowest.text}`,
    );
    console.log(`       bounded by ${slowest.bound}`);
  }
  await app.close();
  const worst = figures.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  console.log(
    `${label}: worst p95 ${worst.p95.toFixed(1)} ms (${worst.who}, ${worst.name}) — ${worst.p95 < TARGET_MS ? 'within' : 'OVER'} the ${TARGET_MS} ms target\n`,
  );
  return figures;
}

interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The statements `run` sends through `database.db` (every drizzle query and `db.execute` goes through the
 * session's prepareQuery), in order. Bench-only instrumentation: the app is left as it was afterwards.
 */
async function recordStatements(database: Database, run: () => Promise<unknown>): Promise<Statement[]> {
  const session = (database.db as unknown as { session: { prepareQuery: (...args: unknown[]) => unknown } })
    .session;
  const original = session.prepareQuery;
  const seen: Statement[] = [];
  session.prepareQuery = function (this: unknown, ...args: unknown[]) {
    const query = args[0] as Statement;
    seen.push({ sql: query.sql, params: query.params });
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    session.prepareQuery = original;
  }
  return seen;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Total Time': number;
  'Actual Loops': number;
  'Actual Rows': number;
  'Workers Launched'?: number;
  Plans?: PlanNode[];
}

/** A statement under EXPLAIN ANALYZE: its time, and the plan node with the most time of its own. */
async function explainAnalyze(
  database: Database,
  s: Statement,
): Promise<{ ms: number; planningMs: number; text: string; bound: string }> {
  const client = (
    database.db as unknown as {
      $client: { query(text: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };
    }
  ).$client;
  const result = await client.query(`explain (analyze, format json) ${s.sql}`, s.params);
  const raw = result.rows[0]?.['QUERY PLAN'];
  const [top] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as {
    Plan: PlanNode;
    'Planning Time': number;
    'Execution Time': number;
  }[];
  // A node's time is per loop; below a Gather the loops (the leader and its workers) run side by side.
  const total = (n: PlanNode, side: number) => (n['Actual Total Time'] * n['Actual Loops']) / side;
  let worst = { node: top!.Plan, own: -1 };
  const walk = (n: PlanNode, side: number) => {
    const below = n['Workers Launched'] === undefined ? side : n['Workers Launched'] + 1;
    const own = total(n, side) - (n.Plans ?? []).reduce((sum, c) => sum + total(c, below), 0);
    if (own > worst.own) worst = { node: n, own };
    for (const c of n.Plans ?? []) walk(c, below);
  };
  walk(top!.Plan, 1);
  const n = worst.node;
  const what = `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`;
  const rowsOut = Math.round(n['Actual Rows'] * n['Actual Loops']).toLocaleString('en');
  const text = s.sql.replace(/\s+/g, ' ');
  return {
    ms: top!['Execution Time'],
    planningMs: top!['Planning Time'],
    text: text.length > 160 ? `${text.slice(0, 157)}...` : text,
    bound: `${what} (${rowsOut} rows out): ${Math.max(0, worst.own).toFixed(1)} ms of its own, of ${top!['Execution Time'].toFixed(1)} ms`,
  };
}
