/**
 * The audit log at a network's scale: 100,000 events over 90 days (as a large network's admins write in a
 * few months), then the admin's first page, a node's page, a search by who, one day, a page deep in the
 * history, and the CSV export of one store's events. Prints the figures; never fails on a timing.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.ts';
import type { Database } from '../src/platform/db/index.ts';
import { rows, sql } from '../src/platform/db/sql.ts';

export const AUDIT_BENCH = 'audit';
const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 100_000);
const RUNS = 30;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function benchAudit(label: string, database: Database): Promise<void> {
  await database.migrate();
  const secretKey = randomBytes(32);
  await seedDemo(database.db, { secretKey });
  const seedStart = performance.now();
  // Events spread over the demo's nodes, actors and the last 90 days, shaped like what the services write.
  await database.db.execute(sql`
    insert into audit_events (at, network_id, node_id, node_code, node_path, actor_kind, actor_id, actor_name,
                              actor_role, address, action, target_type, target_id, target_label, before, after)
    select now() - (n % 90) * interval '1 day' - (n % 86400) * interval '1 second',
           nd.network_id, nd.id, nd.code, nd.path, 'user', null,
           case n % 3 when 0 then 'Administrador da Rede' when 1 then 'Gerente ' || nd.code else 'Central Sul' end,
           'network_admin', '10.0.' || (n % 250) || '.' || (n % 200),
           case n % 4 when 0 then 'parameter.set' when 1 then 'price.set' when 2 then 'user.updated' else 'node.updated' end,
           case n % 4 when 0 then 'parameter' when 1 then 'price' when 2 then 'user' else 'node' end,
           n::text, 'alvo ' || n, jsonb_build_object('value', n), jsonb_build_object('value', n + 1)
      from generate_series(1, ${EVENTS}) n
      join (select id, network_id, code, path, row_number() over (order by code) - 1 as k from nodes) nd
        on nd.k = n % (select count(*) from nodes)`);
  await database.db.execute(sql`analyze audit_events`);
  const seedMs = performance.now() - seedStart;
  const [size] = await rows<{ n: number; size: string }>(
    database.db,
    sql`select (select count(*)::int from audit_events) as n,
               pg_size_pretty(pg_total_relation_size('audit_events')) as size`,
  );
  console.log(
    `${label}: ${Number(size?.n).toLocaleString('en')} audit events seeded in ${(seedMs / 1000).toFixed(1)} s; table with indexes ${size?.size}`,
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
  const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
  const deep = (await time('/api/v1/audit-events?limit=200')).res.json().nextCursor as string;
  const cases: [string, string][] = [
    ['first page (50, whole network)', '/api/v1/audit-events'],
    ['one node (?node=11)', '/api/v1/audit-events?node=11'],
    ['who (?actor=gerente)', '/api/v1/audit-events?actor=gerente'],
    [`one day (?from=${day}&to=${day})`, `/api/v1/audit-events?from=${day}&to=${day}`],
    ['what (?target=price)', '/api/v1/audit-events?target=price'],
    ['next page (cursor)', `/api/v1/audit-events?cursor=${deep}`],
  ];
  for (const [name, url] of cases) {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) ms.push((await time(url)).ms);
    ms.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(42)} median ${pct(ms, 50).toFixed(1)} ms, p99 ${pct(ms, 99).toFixed(1)} ms`);
  }
  const csv = await time('/api/v1/audit-events.csv?node=3');
  const lines = csv.res.body.split('\r\n').length - 2;
  console.log(
    `  CSV export of store 3 (${lines.toLocaleString('en')} events)`.padEnd(44) +
      ` ${(csv.ms / 1000).toFixed(2)} s, ${((lines / csv.ms) * 1000).toFixed(0)} events/s, ${(csv.res.body.length / 2 ** 20).toFixed(1)} MiB`,
  );
  await app.close();
}
