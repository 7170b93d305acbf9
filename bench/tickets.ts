/**
 * Connector tickets at a network's scale: 100,000 exchanges over 30 days across systems, methods and
 * outcomes (a busy network's month of platform orders, webhooks and carrier calls, with contents), then the
 * Tickets screen's searches, one masked payload, and the Consumo report and CSV over the month. Prints the
 * figures; never fails on a timing.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.ts';
import type { Database } from '../src/platform/db/index.ts';
import { rows, sql } from '../src/platform/db/sql.ts';

export const TICKETS_BENCH = 'tickets';
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const RUNS = 30;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function benchTickets(label: string, database: Database): Promise<void> {
  await database.migrate();
  const secretKey = randomBytes(32);
  await seedDemo(database.db, { secretKey });
  const [root] = await rows<{ id: string }>(database.db, sql`select id from nodes where parent_id is null`);
  const seedStart = performance.now();
  await database.db.execute(sql`
    insert into tickets (network_id, direction, system, method, kind, module_code, status, order_id, reference,
                         http_status, latency_ms, request_bytes, response_bytes, error, started_at, finished_at)
    select ${root!.id}, case when n % 3 = 0 then 'in' else 'out' end,
           (array['vtex', 'nuvemshop', 'webhook', 'correios', 'sefaz-SP'])[1 + n % 5],
           (array['GET /api/oms/pvt/orders/{id}', 'orders.hook', 'POST order.status_changed', 'POST /prepostagens',
                  'NFeAutorizacao4', 'GET /v1/orders/{id}'])[1 + n % 6],
           (array['vtex.order', 'nuvemshop.order', 'webhook.delivery', 'carrier.label', 'fiscal.authorise'])[1 + n % 5],
           100 + n % 7, case when n % 97 = 0 then 'pending' when n % 11 = 0 then 'failed' else 'processed' end,
           case when n % 2 = 0 then gen_random_uuid() end, 'v' || n || '-01',
           case when n % 11 = 0 then 500 else 200 end, 20 + (n * 37) % 900, 200 + n % 2000, 500 + n % 8000,
           case when n % 11 = 0 then 'the partner answered 500' end,
           now() - (n % 30) * interval '1 day' - (n % 86400) * interval '1 second',
           now() - (n % 30) * interval '1 day' - (n % 86400) * interval '1 second' + interval '1 second'
      from generate_series(1, ${TICKETS}) n`);
  await database.db.execute(sql`
    insert into ticket_contents (ticket_id, request, response, truncated)
    select id, '{"orderId":"' || reference || '","clientProfileData":{"firstName":"Maria","email":"maria@cliente.com.br","document":"12345678901"}}',
           repeat('{"items":[{"name":"Camiseta","quantity":1}]}', 40), false
      from tickets`);
  await database.db.execute(sql`analyze tickets`);
  await database.db.execute(sql`analyze ticket_contents`);
  const seedMs = performance.now() - seedStart;
  const [size] = await rows<{ n: number; size: string }>(
    database.db,
    sql`select (select count(*)::int from tickets) as n,
               pg_size_pretty(pg_total_relation_size('tickets') + pg_total_relation_size('ticket_contents')) as size`,
  );
  console.log(
    `${label}: ${Number(size?.n).toLocaleString('en')} tickets seeded in ${(seedMs / 1000).toFixed(1)} s; tables with indexes ${size?.size}`,
  );

  const app = await buildApp(database, { logger: false, secretKey });
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'admin@demo.local', password: DEMO_PASSWORD },
  });
  const auth = { authorization: `Bearer ${login.json().token}` };
  const time = async (url: string) => {
    const started = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: auth });
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
    return { ms: performance.now() - started, res };
  };
  const month = `from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
  const first = (await time(`/api/v1/connector/tickets?${month}&limit=200`)).res.json();
  const someOrder = first.items.find((i: { orderId: string | null }) => i.orderId)?.orderId as string;
  const cases: [string, string][] = [
    ['first page (50, last 24 h)', '/api/v1/connector/tickets'],
    ['failed, vtex, 30 days', `/api/v1/connector/tickets?${month}&status=failed&system=vtex`],
    ['one interface (module 103), 30 days', `/api/v1/connector/tickets?${month}&moduleCode=103`],
    ['one order', `/api/v1/connector/tickets?${month}&orderId=${someOrder}`],
    ['next page (cursor), 30 days', `/api/v1/connector/tickets?${month}&cursor=${first.nextCursor}`],
    ['one ticket, payload masked', `/api/v1/connector/tickets/${first.items[0].id}`],
    ['Consumo, 30 days', `/api/v1/connector/consumption?${month}`],
    ['Consumo CSV, 30 days', `/api/v1/connector/consumption.csv?${month}`],
  ];
  for (const [name, url] of cases) {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) ms.push((await time(url)).ms);
    ms.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(42)} median ${pct(ms, 50).toFixed(1)} ms, p99 ${pct(ms, 99).toFixed(1)} ms`);
  }
  await app.close();
}
