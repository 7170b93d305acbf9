/**
 * The API's hot paths at the database's pace (issue 19), measured out of process: Omnihub runs as its own
 * process (`src/main.ts` bundled, as `npm start` runs it, with the demo network), pinned to the last core where
 * `taskset` exists; the load generator (autocannon, 16 connections, in this process) is pinned to the
 * first. Per scenario: requests (or orders) per second, p50/p99, the CPU Omnihub spent per request and the
 * CPU PostgreSQL's backends spent per request (both from /proc), the database's transactions per request,
 * and how busy each was, which names what bounds the figure. The Omnihub process's peak RSS is reported.
 *
 * The yardstick of the same run: pgbench's tpcb-like and select-only on the same server; for the embedded
 * database, the same tpcb-like and select-only transactions run on a PGlite in this process (one
 * connection, as Omnihub has). Every figure is printed as a ratio of them, with the issue's targets.
 * BENCH_PROCESSES (default "1,2,4") also runs the order scenarios with 2 and 4 Omnihub processes behind
 * one port (`--processes N`) on the server. Prints figures; never fails on a timing.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import pg from 'pg';
import { DEMO_PASSWORD } from '../src/demo/seed.ts';
import { call } from './http.ts';
import {
  backendsCpuMs,
  cpuMsOf,
  type Omnihub,
  rssMbOf,
  startOmnihub,
  stopOmnihub,
  taskset,
} from './process.ts';

/** The name BENCH_ONLY matches (`BENCH_ONLY=orders`, or a scenario's name such as `ingest`). */
export const ORDERS_BENCH = 'orders hot paths';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ORDER_SECONDS = Number(process.env.BENCH_ORDER_SECONDS ?? 20);
const CONNECTIONS = 16;
const PROCESSES = (process.env.BENCH_PROCESSES ?? '1,2,4')
  .split(',')
  .map(Number)
  .filter((n) => n >= 1);

/** The issue's targets, as ratios of the yardstick or absolute figures. */
const TARGETS = { ingestTpcb: 0.4, ingestAcceptTpcb: 0.2, p99Ms: 50, embeddedIngest: 200, rssMb: 250 };

interface Yardstick {
  tpcb: number;
  selectOnly: number;
  /** Where it was measured. */
  source: string;
}

interface Scenario {
  name: string;
  /** Orders per pipeline: ingest+accept counts two requests as one order. */
  requests: (tokens: Record<string, string>) => autocannon.Request[];
  long?: boolean;
  /** Writes (compared with tpcb-like) or reads (compared with select-only). */
  kind: 'write' | 'read';
  setup?: (base: string, tokens: Record<string, string>) => Promise<void>;
}

const stockUp = (sku: string, quantity: number) => async (base: string, tokens: Record<string, string>) => {
  const res = await call(base, 'POST', '/api/v1/stock/adjustments', tokens.manager, {
    storeCode: '11',
    sku,
    quantity,
    reason: 'benchmark',
  });
  if (res.status >= 300) throw new Error(`stock setup failed: ${res.status} ${JSON.stringify(res.body)}`);
};

let orderSeq = 0;
const runId = randomBytes(3).toString('hex');
/** A paid pickup order of one unit, unique per call. */
function orderBody(sku: string, storeCode = '11') {
  return JSON.stringify({
    externalId: `bench-${runId}-${++orderSeq}`,
    storeCode,
    deliveryType: 'pickup',
    customer: {
      name: 'Cliente Bench',
      document: '52998224725',
      email: 'bench@demo.local',
      phone: '11999990000',
    },
    items: [{ sku, quantity: 1, unitPrice: '199.90' }],
    payments: [{ method: 'pix', amount: '199.90' }],
    placedAt: new Date().toISOString(),
  });
}

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const get = (path: string, token: string): autocannon.Request => ({
  method: 'GET',
  path,
  headers: bearer(token),
});

let posCursor = '';
const SPREAD_SKUS = ['CAM-001', 'POL-001', 'CMS-001', 'CAL-001', 'VES-001', 'BER-001', 'TEN-001', 'BOL-001'];
const INGEST = 'POST /api/v1/orders (ingest)';
const INGEST_ACCEPT = 'POST /api/v1/orders + /accept (ingest+accept)';

const scenarios: Scenario[] = [
  { name: 'GET /health', kind: 'read', requests: () => [{ method: 'GET', path: '/health' }] },
  {
    name: 'GET /api/v1/stock?sku=CAM-001 (platform)',
    kind: 'read',
    requests: () => [get('/api/v1/stock?sku=CAM-001', 'demo-platform-key')],
  },
  {
    name: 'GET /api/v1/products?limit=50 (platform)',
    kind: 'read',
    requests: () => [get('/api/v1/products?limit=50', 'demo-platform-key')],
  },
  {
    name: 'GET /api/v1/orders (store queue, first page)',
    kind: 'read',
    requests: (tokens) => [get('/api/v1/orders', tokens.manager!)],
  },
  {
    name: 'GET /api/v1/pos/sync/prices (POS poll, too early)',
    kind: 'read',
    // The first poll is the full load; every later one within the interval finds nothing new.
    setup: async (base) => {
      let page = await call(base, 'GET', '/api/v1/pos/sync/prices', 'demo-pos-11');
      while (page.body?.hasMore)
        page = await call(
          base,
          'GET',
          `/api/v1/pos/sync/prices?since=${page.body.nextCursor}`,
          'demo-pos-11',
        );
      if (page.status !== 200) throw new Error(`POS full load: ${page.status} ${JSON.stringify(page.body)}`);
      posCursor = page.body.nextCursor;
    },
    requests: () => [get(`/api/v1/pos/sync/prices?since=${posCursor}`, 'demo-pos-11')],
  },
  {
    name: 'POST /api/v1/stock/reservations (1 unit, store 11)',
    kind: 'write',
    setup: stockUp('CAL-002', 1_000_000),
    requests: (tokens) => [
      {
        method: 'POST',
        path: '/api/v1/stock/reservations',
        headers: { ...json, ...bearer(tokens.manager!) },
        body: JSON.stringify({ storeCode: '11', sku: 'CAL-002', quantity: 1 }),
      },
    ],
  },
  {
    name: INGEST,
    kind: 'write',
    long: true,
    requests: () => [
      {
        method: 'POST',
        path: '/api/v1/orders',
        headers: { ...json, ...bearer('demo-platform-key') },
        setupRequest: (req) => ({ ...req, body: orderBody('CAM-002') }),
      },
    ],
  },
  {
    // The same orders spread over the demo's three stores: each store numbers its orders without gaps, one
    // counter row per store that concurrent ingests of that store wait for (what bounds the one above).
    name: 'POST /api/v1/orders (ingest, stores 11, 8 and 3 in turn)',
    kind: 'write',
    long: true,
    requests: () => [
      {
        method: 'POST',
        path: '/api/v1/orders',
        headers: { ...json, ...bearer('demo-platform-key') },
        setupRequest: (req) => ({ ...req, body: orderBody('CAM-002', ['11', '8', '3'][orderSeq % 3]) }),
      },
    ],
  },
  {
    name: INGEST_ACCEPT,
    kind: 'write',
    long: true,
    setup: stockUp('CAM-003', 1_000_000),
    requests: (tokens) => [
      {
        method: 'POST',
        path: '/api/v1/orders',
        headers: { ...json, ...bearer('demo-platform-key') },
        setupRequest: (req) => ({ ...req, body: orderBody('CAM-003') }),
        onResponse: (_status, body, context: any) => {
          context.orderId = JSON.parse(body).id;
        },
      },
      {
        method: 'POST',
        headers: bearer(tokens.manager!),
        setupRequest: (req, context: any) => ({ ...req, path: `/api/v1/orders/${context.orderId}/accept` }),
      },
    ],
  },
  {
    // The same pipeline with each order of another of eight SKUs: acceptances no longer queue for one stock
    // row (what bounds the one above, a hot product), only for the store's order counter at ingest.
    name: 'POST /api/v1/orders + /accept (ingest+accept, 8 SKUs in turn)',
    kind: 'write',
    long: true,
    setup: async (base, tokens) => {
      for (const sku of SPREAD_SKUS) await stockUp(sku, 1_000_000)(base, tokens);
    },
    requests: (tokens) => [
      {
        method: 'POST',
        path: '/api/v1/orders',
        headers: { ...json, ...bearer('demo-platform-key') },
        setupRequest: (req) => ({ ...req, body: orderBody(SPREAD_SKUS[orderSeq % SPREAD_SKUS.length]!) }),
        onResponse: (_status, body, context: any) => {
          context.orderId = JSON.parse(body).id;
        },
      },
      {
        method: 'POST',
        headers: bearer(tokens.manager!),
        setupRequest: (req, context: any) => ({ ...req, path: `/api/v1/orders/${context.orderId}/accept` }),
      },
    ],
  },
];

export interface Figure {
  label: string;
  processes: number;
  name: string;
  kind: 'write' | 'read';
  /** Orders (pipelines) per second. */
  rate: number;
  p50: number;
  p99: number;
  errors: number;
  omnihubUsPerUnit: number;
  postgresUsPerUnit: number;
  xactsPerUnit: number;
  /** Share of one core: Omnihub (all its processes), PostgreSQL's backends, the generator. */
  omnihubBusy: number;
  /** Sampled from pg_stat_activity: backends running a statement, on average, and how many of them waited on a lock. */
  activeBackends: number;
  lockWaiting: number;
  /** The table whose row the waiting backends queued for most (their tuple locks), if any waited. */
  lockedOn: string | null;
  postgresBusy: number;
  generatorBusy: number;
}

async function xacts(client: pg.Client | null, database: string): Promise<number> {
  if (!client) return 0;
  const { rows } = await client.query(
    'select xact_commit + xact_rollback as n from pg_stat_database where datname = $1',
    [database],
  );
  return Number(rows[0]?.n ?? 0);
}

/** One Omnihub (N processes) and the wanted scenarios against it. */
async function runScenarios(
  label: string,
  omnihub: Omnihub,
  wanted: Scenario[],
  processes: number,
  stats: { client: pg.Client; database: string } | null,
): Promise<{ figures: Figure[]; rss: Rss }> {
  const { base } = omnihub;
  const login = await call(base, 'POST', '/api/v1/auth/login', undefined, {
    email: 'loja11@demo.local',
    password: DEMO_PASSWORD,
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  const tokens: Record<string, string> = { manager: login.body.token };
  const figures: Figure[] = [];
  const rss: Rss = { idle: rssOf(omnihub), peak: 0, anonAtPeak: 0, fileAtPeak: 0 };
  const omnihubCpu = () => omnihub.servers().reduce((sum, pid) => sum + cpuMsOf(pid), 0);
  for (const s of wanted) {
    await s.setup?.(base, tokens);
    const seconds = s.long ? ORDER_SECONDS : SECONDS;
    const requests = s.requests(tokens);
    // A short warm-up: JIT, caches and the pools' connections, as a running process has them.
    await autocannon({ url: base, connections: CONNECTIONS, duration: 1, requests });
    const omnihubBefore = omnihubCpu();
    const postgresBefore = stats ? backendsCpuMs(stats.database) : 0;
    const xactsBefore = await xacts(stats?.client ?? null, stats?.database ?? '');
    const generatorBefore = process.cpuUsage();
    const t0 = performance.now();
    const sampler = setInterval(() => {
      const now = rssOf(omnihub);
      if (now.now > rss.peak)
        Object.assign(rss, { peak: now.now, anonAtPeak: now.anon, fileAtPeak: now.file });
    }, 250);
    // What the backends do meanwhile: running, or waiting for a row another transaction holds.
    let samples = 0;
    let active = 0;
    let locked = 0;
    const lockedOn = new Map<string, number>();
    let sampling = true;
    const activity = (async () => {
      while (stats && sampling) {
        // The table whose row a waiting backend queues for: the tuple lock it holds or awaits.
        const { rows } = await stats.client.query(
          `select count(*)::int as active, count(*) filter (where wait_event_type = 'Lock')::int as locked,
             (select json_object_agg(t.relname, t.n) from (
               select c.relname, count(distinct w.pid)::int as n from pg_stat_activity w
               join pg_locks l on l.pid = w.pid and l.locktype = 'tuple'
               join pg_class c on c.oid = l.relation
               where w.datname = $1 and w.wait_event_type = 'Lock' group by c.relname) t) as tables
             from pg_stat_activity where datname = $1 and state = 'active' and pid <> pg_backend_pid()`,
          [stats.database],
        );
        samples++;
        active += rows[0].active;
        locked += rows[0].locked;
        for (const [table, n] of Object.entries((rows[0].tables ?? {}) as Record<string, number>))
          lockedOn.set(table, (lockedOn.get(table) ?? 0) + n);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const r = await autocannon({ url: base, connections: CONNECTIONS, duration: seconds, requests });
    clearInterval(sampler);
    sampling = false;
    await activity;
    const elapsed = (performance.now() - t0) / 1000;
    const generator = process.cpuUsage(generatorBefore);
    const omnihubMs = omnihubCpu() - omnihubBefore;
    const postgresMs = stats ? backendsCpuMs(stats.database) - postgresBefore : 0;
    // The stats queries themselves are transactions too.
    const xactCount = (await xacts(stats?.client ?? null, stats?.database ?? '')) - xactsBefore - 1 - samples;
    const units = r['2xx'] / requests.length;
    figures.push({
      label,
      processes,
      name: s.name,
      kind: s.kind,
      rate: units / seconds,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.non2xx + r.errors,
      omnihubUsPerUnit: (omnihubMs * 1000) / Math.max(1, units),
      postgresUsPerUnit: (postgresMs * 1000) / Math.max(1, units),
      xactsPerUnit: stats ? xactCount / Math.max(1, units) : Number.NaN,
      omnihubBusy: omnihubMs / (elapsed * 1000),
      postgresBusy: postgresMs / (elapsed * 1000),
      generatorBusy: (generator.user + generator.system) / 1000 / (elapsed * 1000),
      activeBackends: samples ? active / samples : 0,
      lockWaiting: samples ? locked / samples : 0,
      lockedOn: [...lockedOn].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null,
    });
    printFigure(figures.at(-1)!);
  }
  return { figures, rss };
}

const pctOf = (x: number) => `${(x * 100).toFixed(0)} %`;

function printFigure(f: Figure) {
  console.log(
    [
      `${f.label}${f.processes > 1 ? `×${f.processes}` : ''}`.padEnd(10),
      f.name.padEnd(52),
      `${f.rate.toFixed(0)} /s`.padStart(9),
      `p50 ${f.p50} ms`.padStart(11),
      `p99 ${f.p99} ms`.padStart(12),
      `Omnihub ${f.omnihubUsPerUnit.toFixed(0)} µs`.padStart(17),
      f.label === 'server' ? `PG ${f.postgresUsPerUnit.toFixed(0)} µs`.padStart(12) : ''.padStart(12),
      Number.isNaN(f.xactsPerUnit) ? '' : `${f.xactsPerUnit.toFixed(1)} xacts`,
      f.errors ? ` non-2xx/errors ${f.errors}` : '',
    ].join(' '),
  );
}

/** pgbench tpcb-like and select-only on the server at `serverUrl`, CONNECTIONS clients, SECONDS each. */
function pgbench(serverUrl: string): Yardstick | null {
  try {
    const url = new URL(serverUrl);
    const db = `omnihub_pgbench_${randomBytes(4).toString('hex')}`;
    const args = ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres'];
    execFileSync('createdb', [...args, db]);
    try {
      execFileSync('pgbench', [...args, '-i', '-q', '-s', '10', db], { stdio: 'ignore' });
      const tps = (extra: string[]) => {
        const out = execFileSync('pgbench', [
          ...args,
          '-c',
          String(CONNECTIONS),
          '-j',
          '2',
          '-T',
          String(SECONDS),
          ...extra,
          db,
        ]).toString();
        return Number(/tps = ([0-9.]+)/.exec(out)?.[1] ?? Number.NaN);
      };
      return {
        selectOnly: tps(['-S']),
        tpcb: tps([]),
        source: `pgbench, ${CONNECTIONS} clients, ${SECONDS} s`,
      };
    } finally {
      execFileSync('dropdb', [...args, db]);
    }
  } catch {
    return null;
  }
}

/**
 * pgbench's two transactions on PGlite in this process (scale 1, one connection, as Omnihub has): the
 * embedded database's own ceiling on this machine.
 */
async function pgliteBench(): Promise<Yardstick> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-pglitebench-'));
  const db = await PGlite.create(dir);
  try {
    await db.exec(`
      create table pgbench_branches (bid int primary key, bbalance int, filler char(88));
      create table pgbench_tellers (tid int primary key, bid int, tbalance int, filler char(84));
      create table pgbench_accounts (aid int primary key, bid int, abalance int, filler char(84));
      create table pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
      insert into pgbench_branches select 1, 0;
      insert into pgbench_tellers select t, 1, 0 from generate_series(1, 10) t;
      insert into pgbench_accounts select a, 1, 0 from generate_series(1, 100000) a;`);
    await db.exec('vacuum analyze');
    const rand = (n: number) => 1 + Math.floor(Math.random() * n);
    const loop = async (one: () => Promise<void>) => {
      let n = 0;
      const end = performance.now() + SECONDS * 1000;
      while (performance.now() < end) {
        await one();
        n++;
      }
      return n / SECONDS;
    };
    const tpcb = await loop(async () => {
      const aid = rand(100_000);
      const tid = rand(10);
      const delta = rand(10_000) - 5_000;
      await db.transaction(async (tx) => {
        await tx.query('update pgbench_accounts set abalance = abalance + $1 where aid = $2', [delta, aid]);
        await tx.query('select abalance from pgbench_accounts where aid = $1', [aid]);
        await tx.query('update pgbench_tellers set tbalance = tbalance + $1 where tid = $2', [delta, tid]);
        await tx.query('update pgbench_branches set bbalance = bbalance + $1 where bid = 1', [delta]);
        await tx.query(
          'insert into pgbench_history (tid, bid, aid, delta, mtime) values ($1, 1, $2, $3, current_timestamp)',
          [tid, aid, delta],
        );
      });
    });
    const selectOnly = await loop(async () => {
      await db.query('select abalance from pgbench_accounts where aid = $1', [rand(100_000)]);
    });
    return {
      tpcb,
      selectOnly,
      source: `the same transactions on PGlite in-process, one connection, ${SECONDS} s`,
    };
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Rss {
  /** Before the load, after start-up. */
  idle: { now: number; anon: number; file: number };
  peak: number;
  anonAtPeak: number;
  fileAtPeak: number;
}

/** The largest of the Omnihub processes (each serves on its own; one is what the target is about). */
function rssOf(omnihub: Omnihub) {
  const all = omnihub.servers().map(rssMbOf);
  return all.reduce((a, b) => (b.now > a.now ? b : a), { now: 0, peak: 0, anon: 0, file: 0 });
}

function printRatios(label: string, figures: Figure[], yardstick: Yardstick | null, rss: Rss) {
  if (!yardstick) {
    console.log(`${label}: no yardstick (pgbench unavailable); ratios skipped`);
    return;
  }
  console.log(
    `\n${label} yardstick (${yardstick.source}): tpcb-like ${yardstick.tpcb.toFixed(0)} TPS, select-only ${yardstick.selectOnly.toFixed(0)} TPS`,
  );
  console.log(
    `${'scenario'.padEnd(58)} ${'rate'.padStart(8)} ${'ratio'.padStart(18)}  ${'target'.padEnd(26)} bound (share of one core)`,
  );
  for (const f of figures) {
    const base = f.kind === 'write' ? yardstick.tpcb : yardstick.selectOnly;
    const ratio = `${(f.rate / base).toFixed(2)} × ${f.kind === 'write' ? 'tpcb-like' : 'select-only'}`;
    let target = '';
    if (f.name === INGEST) {
      target =
        label === 'embedded'
          ? `≥ ${TARGETS.embeddedIngest}/s: ${f.rate >= TARGETS.embeddedIngest ? 'met' : 'missed'}`
          : `≥ ${TARGETS.ingestTpcb} ×: ${f.rate / base >= TARGETS.ingestTpcb ? 'met' : 'missed'}`;
    } else if (f.name === INGEST_ACCEPT && label !== 'embedded') {
      target = `≥ ${TARGETS.ingestAcceptTpcb} ×: ${f.rate / base >= TARGETS.ingestAcceptTpcb ? 'met' : 'missed'}`;
    }
    if (label !== 'embedded' && f.processes === 1 && f.kind === 'write')
      target += `${target ? '; ' : ''}p99 < ${TARGETS.p99Ms} ms: ${f.p99 < TARGETS.p99Ms ? 'met' : 'missed'}`;
    // What bounds the figure: the busiest of the three, in shares of one core.
    const shares = [
      ['Omnihub', f.omnihubBusy],
      ...(label === 'embedded' ? [] : [['PostgreSQL', f.postgresBusy] as const]),
      ['generator', f.generatorBusy],
    ] as const;
    const bound =
      `${verdict(f, shares)}: ` +
      shares.map(([who, share]) => `${who} ${pctOf(share)}`).join(', ') +
      (label === 'embedded'
        ? ''
        : `; backends active ${f.activeBackends.toFixed(1)}, waiting on a lock ${f.lockWaiting.toFixed(1)}`);
    console.log(
      `${`${f.processes > 1 ? `${f.processes} processes: ` : ''}${f.name}`.padEnd(58)} ${`${f.rate.toFixed(0)}/s`.padStart(8)} ${ratio.padStart(18)}  ${target.padEnd(26)} ${bound}`,
    );
  }
  const mb = (x: number) => `${x.toFixed(0)} MB`;
  console.log(
    `Omnihub RSS under load: ${mb(rss.peak)} at its peak (target < ${TARGETS.rssMb} MB: ${rss.peak < TARGETS.rssMb ? 'met' : 'missed'}), ` +
      `of which ${mb(rss.anonAtPeak)} its own (heaps, code) and ${mb(rss.fileAtPeak)} mapped files (the node binary, shared); ` +
      `${mb(rss.idle.now)} idle after start-up (${mb(rss.idle.anon)} own)`,
  );
}

/**
 * What bounds a figure, from what was measured during it: a row most backends queue for, else a side whose
 * CPU is full (one core for Omnihub, pinned; the machine's cores for everything together), else nothing
 * saturated, which leaves each request's own latency (round trips, commit flushes) times the 16 clients.
 */
function verdict(f: Figure, shares: readonly (readonly [string, number])[]): string {
  if (f.activeBackends > 0 && f.lockWaiting >= f.activeBackends / 2)
    return `bound by a row lock${f.lockedOn ? ` (${f.lockedOn})` : ''}`;
  const cores = os.cpus().length;
  const total = shares.reduce((sum, [, share]) => sum + share, 0);
  const [who, busiest] = [...shares].sort((a, b) => b[1] - a[1])[0]!;
  if (who === 'Omnihub' && busiest >= 0.85 * f.processes) return 'bound by Omnihub’s CPU';
  if (total >= 0.8 * cores) return `bound by the machine’s ${cores} cores`;
  if (busiest >= 0.85) return `bound by ${who}’s CPU`;
  return 'no side saturated: request latency';
}

/** The scenarios on the embedded database (one Omnihub process on a fresh data dir). */
async function benchEmbedded(wanted: Scenario[]): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-bench-orders-'));
  let omnihub: Omnihub | undefined;
  try {
    omnihub = await startOmnihub(null, dataDir);
    const pinned = pin(omnihub);
    console.log(`embedded  one Omnihub process on PGlite; ${pinned}`);
    const { figures, rss } = await runScenarios('embedded', omnihub, wanted, 1, null);
    await stopOmnihub(omnihub);
    omnihub = undefined;
    printRatios('embedded', figures, await pgliteBench(), rss);
  } finally {
    await stopOmnihub(omnihub);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function pin(omnihub: Omnihub): string {
  const cores = os.cpus().length;
  if (cores < 2) return 'not pinned (one core)';
  const ok = omnihub.servers().every((pid) => taskset(pid, cores - 1)) && taskset(process.pid, 0);
  return ok ? `Omnihub pinned to CPU ${cores - 1}, the load generator to CPU 0` : 'not pinned (no taskset)';
}

/** The scenarios on a fresh database of the server, with 1, 2 and 4 Omnihub processes. */
async function benchServer(serverUrl: string, wanted: Scenario[]): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch {
    console.log('\nno PostgreSQL server reachable: server figures skipped');
    return;
  }
  const yardstick = pgbench(serverUrl);
  try {
    for (const processes of PROCESSES) {
      // More processes: the order scenarios, where the database is what they share.
      const these = processes === 1 ? wanted : wanted.filter((s) => s.kind === 'write' && s.long);
      if (!these.length) continue;
      const name = `omnihub_bench_orders_${randomBytes(4).toString('hex')}`;
      await admin.query(`create database ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-bench-orders-'));
      const client = new pg.Client({ connectionString: url.toString() });
      let omnihub: Omnihub | undefined;
      try {
        omnihub = await startOmnihub(
          url.toString(),
          dataDir,
          processes > 1 ? ['--processes', String(processes)] : [],
        );
        await client.connect();
        // One process is pinned to its core; several share the machine's cores with PostgreSQL.
        const pinned = processes === 1 ? pin(omnihub) : `${processes} processes behind one port, not pinned`;
        console.log(
          `\nserver    Omnihub on PostgreSQL (${processes} process${processes > 1 ? 'es' : ''}); ${pinned}`,
        );
        const { figures, rss } = await runScenarios('server', omnihub, these, processes, {
          client,
          database: name,
        });
        printRatios('server', figures, yardstick, rss);
      } finally {
        await stopOmnihub(omnihub);
        await client.end().catch(() => {});
        await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await admin.end();
  }
}

export async function benchOrders(serverUrl: string, only: string | undefined): Promise<void> {
  const wanted = scenarios.filter((s) => !only || ORDERS_BENCH.includes(only) || s.name.includes(only));
  console.log(
    `${CONNECTIONS} concurrent HTTP clients over loopback from a separate load generator; ${SECONDS} s per scenario, ${ORDER_SECONDS} s for the order scenarios\n`,
  );
  try {
    await benchEmbedded(wanted);
    await benchServer(serverUrl, wanted);
  } finally {
    // The benches that follow run in this process on every core again.
    taskset(process.pid, `0-${os.cpus().length - 1}`);
  }
}

/** Whether BENCH_ONLY selects this bench. */
export const ordersWanted = (only: string | undefined) =>
  !only || ORDERS_BENCH.includes(only) || scenarios.some((s) => s.name.includes(only));
