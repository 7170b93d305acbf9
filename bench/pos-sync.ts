/**
 * The POS sync under a network's load (issue 18): BENCH_SYNC_TERMINALS (5,000) POS terminals, five per
 * store, each polling every data type of `GET /api/v1/pos/sync/{type}` on that type's interval with time
 * compressed BENCH_SYNC_SPEEDUP (60) times — a 10-minute type every 10 s — against ONE Omnihub process
 * (`src/main.ts` bundled as `npm start` runs it, a child process) on the PostgreSQL server. The load generator is this process; where
 * `taskset` exists, Omnihub is pinned to the last core and this process to the first, so neither's CPU is
 * charged to the other. The server's intervals are not compressed, so after the first full load:
 *  - phase "intervals": the stores honour their intervals — almost every poll is too early, the answer a
 *    poll that finds nothing new gets;
 *  - phase "exception": every store is in the exception list (LoteExcecao) — every poll reads the feed.
 * Meanwhile the central changes prices and stock (BENCH_SYNC_CHANGES per second), so some polls find data.
 * Reported per phase: polls served per second, p50/p99, Omnihub's CPU per poll (from /proc), PostgreSQL's
 * backends' CPU per poll, and the database's transactions (each a statement here) and index/sequential
 * scans per poll (pg_stat_database, pg_stat_user_tables). Prints figures; never fails on a timing.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DEMO_PASSWORD } from '../src/demo/seed.ts';
import { dataTypes } from '../src/pos/sync/domain.ts';
import { backendsCpuMs, cpuMsOf, startOmnihub, taskset } from './process.ts';

/** The name BENCH_ONLY matches (`BENCH_ONLY=sync`). */
export const POS_SYNC_BENCH = 'pos sync';

const TERMINALS = Number(process.env.BENCH_SYNC_TERMINALS ?? 5000);
const PER_STORE = 5;
const STORES = Math.ceil(TERMINALS / PER_STORE);
const SPEEDUP = Number(process.env.BENCH_SYNC_SPEEDUP ?? 60);
const SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 30);
const CHANGES_PER_SECOND = Number(process.env.BENCH_SYNC_CHANGES ?? 10);
/** Requests in flight at once: the terminals' polls queue behind these sockets when the server is slower. */
const SOCKETS = Number(process.env.BENCH_SYNC_SOCKETS ?? 64);

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN;

interface DbStats {
  xacts: number;
  idxScans: number;
  seqScans: number;
  /** Sequential scans per table, to name them. */
  seqByTable: Map<string, number>;
}

async function dbStats(client: pg.Client, database: string): Promise<DbStats> {
  const [d] = (
    await client.query(
      'select xact_commit + xact_rollback as xacts from pg_stat_database where datname = $1',
      [database],
    )
  ).rows;
  const tables = (
    await client.query(
      'select relname, coalesce(idx_scan, 0)::bigint as idx, coalesce(seq_scan, 0)::bigint as seq from pg_stat_user_tables',
    )
  ).rows as { relname: string; idx: string; seq: string }[];
  return {
    xacts: Number(d.xacts),
    idxScans: tables.reduce((n, t) => n + Number(t.idx), 0),
    seqScans: tables.reduce((n, t) => n + Number(t.seq), 0),
    seqByTable: new Map(tables.map((t) => [t.relname, Number(t.seq)])),
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS });

function request(
  base: string,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${url}`,
      {
        method,
        agent,
        headers: { ...headers, ...(payload && { 'content-type': 'application/json' }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {}
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** STORES stores under SUL with stock of every demo product. */
async function seedStores(client: pg.Client): Promise<void> {
  await client.query(
    `with sul as (select id, network_id, path from nodes where code = 'SUL'),
          g as (select gen_random_uuid() as id, n from generate_series(1, $1::int) n)
     insert into nodes (id, network_id, parent_id, kind, code, path, name, legal_name, cnpj, state,
                        latitude, longitude, visibility, active)
     select g.id, sul.network_id, sul.id, 'store', 'S' || g.n, sul.path || g.id || '/', 'Loja S' || g.n,
            'Bench Sync ' || g.n || ' Ltda.', '7' || lpad(g.n::text, 13, '0'), 'SP',
            -23 + (g.n % 97) * 0.01, -46 + (g.n % 89) * 0.01, 'private', true
     from g, sul`,
    [STORES],
  );
  await client.query(
    `insert into stock_balances (store_id, product_id, on_hand, reserved)
     select s.id, p.id, 1000, 0 from nodes s, products p
     where s.code like 'S%' and s.kind = 'store' and p.network_id = s.network_id
     on conflict do nothing`,
  );
  await client.query('analyze');
}

interface PhaseResult {
  name: string;
  polls: number;
  withItems: number;
  tooEarly: number;
  errors: number;
  latencies: number[];
  seconds: number;
  omnihubCpuMs: number;
  postgresCpuMs: number;
  generatorCpuMs: number;
  stats: DbStats;
  changes: number;
}

interface Due {
  at: number;
  terminal: Terminal;
  type: string;
  every: number;
}

/** A binary min-heap on `at`: 155,000 (terminal, type) entries, each taken and put back at every poll. */
class DueHeap {
  private readonly items: Due[] = [];
  get size() {
    return this.items.length;
  }
  peek(): Due | undefined {
    return this.items[0];
  }
  push(d: Due) {
    const a = this.items;
    a.push(d);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.at <= a[i]!.at) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }
  pop(): Due | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.at < a[m]!.at) m = l;
        if (r < a.length && a[r]!.at < a[m]!.at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

interface Terminal {
  key: string;
  id: string;
  cursors: Map<string, string>;
}

export async function benchPosSync(serverUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch {
    console.log('pos sync: no PostgreSQL server reachable; skipped');
    return;
  }
  const name = `omnihub_bench_sync_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-bench-sync-'));
  let child: ChildProcess | undefined;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    const setupStarted = performance.now();
    const started = await startOmnihub(url.toString(), dataDir);
    child = started.child;
    const base = started.base;
    const cores = os.cpus().length;
    const pinned = cores > 1 && taskset(child.pid!, cores - 1) && taskset(process.pid, 0);
    await client.connect();
    await seedStores(client);

    const login = await request(
      base,
      'POST',
      '/api/v1/auth/login',
      {},
      {
        email: 'admin@demo.local',
        password: DEMO_PASSWORD,
      },
    );
    if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.json)}`);
    const auth = { authorization: `Bearer ${login.json.token}` };
    const keys: string[] = new Array(STORES);
    let nextStore = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (nextStore < STORES) {
          const n = nextStore++;
          const res = await request(base, 'POST', '/api/v1/api-clients', auth, {
            name: `PDV loja S${n + 1}`,
            scope: 'pos',
            nodeCode: `S${n + 1}`,
          });
          if (res.status !== 201)
            throw new Error(`POS key of S${n + 1}: ${res.status} ${JSON.stringify(res.json)}`);
          keys[n] = res.json.key as string;
        }
      }),
    );
    // Statistics of the tables the setup filled, as a running database has them.
    await client.query('analyze');
    const terminals: Terminal[] = Array.from({ length: TERMINALS }, (_, i) => ({
      key: keys[i % STORES]!,
      id: `T${Math.floor(i / STORES) + 1}`,
      cursors: new Map(),
    }));
    console.log(
      `server    ${STORES} stores × ${PER_STORE} terminals = ${TERMINALS} POS terminals, ${dataTypes.length} data types; ` +
        `ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; ` +
        (pinned
          ? `Omnihub pinned to CPU ${cores - 1}, the load generator to CPU 0`
          : 'not pinned (no taskset)'),
    );

    /** One poll of one type by one terminal, following `hasMore`; the outcome of its first page. */
    const poll = async (t: Terminal, type: string): Promise<'items' | 'early' | 'empty' | 'error'> => {
      let outcome: 'items' | 'early' | 'empty' | 'error' | undefined;
      for (let page = 0; page < 50; page++) {
        const since = t.cursors.get(type);
        const res = await request(
          base,
          'GET',
          `/api/v1/pos/sync/${type}${since ? `?since=${encodeURIComponent(since)}` : ''}`,
          { authorization: `Bearer ${t.key}`, 'x-pos-terminal': t.id, 'x-pos-pending-uploads': '0' },
        );
        if (res.status !== 200) return 'error';
        t.cursors.set(type, res.json.nextCursor);
        outcome ??= res.json.items.length ? 'items' : res.json.nextAllowedAt ? 'early' : 'empty';
        if (!res.json.hasMore) break;
      }
      return outcome ?? 'empty';
    };

    // The first full load of every type by every terminal (what a network's first morning costs).
    const fullStarted = performance.now();
    let fullPolls = 0;
    let nextJob = 0;
    const jobs = terminals.length * dataTypes.length;
    await Promise.all(
      Array.from({ length: SOCKETS }, async () => {
        while (nextJob < jobs) {
          const j = nextJob++;
          await poll(terminals[j % terminals.length]!, dataTypes[Math.floor(j / terminals.length)]!.code);
          fullPolls++;
        }
      }),
    );
    const fullSeconds = (performance.now() - fullStarted) / 1000;
    console.log(
      `server    first full load: ${fullPolls} type downloads in ${fullSeconds.toFixed(1)} s (${Math.round(fullPolls / fullSeconds)}/s)`,
    );

    const changer = async (endAt: number) => {
      let changes = 0;
      const every = 1000 / CHANGES_PER_SECOND;
      while (performance.now() < endAt) {
        const store = `S${1 + Math.floor(Math.random() * STORES)}`;
        const res = await request(base, 'POST', '/api/v1/stock/adjustments', auth, {
          storeCode: store,
          sku: 'CAL-002',
          quantity: 1,
          reason: 'benchmark',
        });
        if (res.status < 300) changes++;
        await new Promise((r) => setTimeout(r, every));
      }
      return changes;
    };

    const phase = async (phaseName: string): Promise<PhaseResult> => {
      const endAt = performance.now() + SECONDS * 1000;
      const latencies: number[] = [];
      let polls = 0;
      let withItems = 0;
      let tooEarly = 0;
      let errors = 0;
      const before = await dbStats(client, name);
      const omnihubBefore = cpuMsOf(child!.pid!);
      const postgresBefore = backendsCpuMs(name);
      const generatorBefore = process.cpuUsage();
      const t0 = performance.now();
      const changing = changer(endAt);
      // Every (terminal, type) polls on the type's interval compressed SPEEDUP times, its first poll spread
      // over one interval, as terminals started at different times would.
      const queue = new DueHeap();
      for (const terminal of terminals)
        for (const type of dataTypes) {
          const every = (type.minutes * 60_000) / SPEEDUP;
          queue.push({ at: t0 + Math.random() * every, terminal, type: type.code, every });
        }
      let inFlight = 0;
      await new Promise<void>((resolve) => {
        const pump = () => {
          const now = performance.now();
          if (now >= endAt) {
            if (inFlight === 0) resolve();
            return;
          }
          while (queue.size && queue.peek()!.at <= now && inFlight < SOCKETS) {
            const entry = queue.pop()!;
            inFlight++;
            const sent = performance.now();
            poll(entry.terminal, entry.type)
              .then((outcome) => {
                latencies.push(performance.now() - sent);
                polls++;
                if (outcome === 'items') withItems++;
                else if (outcome === 'early') tooEarly++;
                else if (outcome === 'error') errors++;
              })
              .catch(() => errors++)
              .finally(() => {
                inFlight--;
                entry.at += entry.every;
                // A terminal that fell behind polls again at once, not in a burst of missed polls.
                if (entry.at < performance.now()) entry.at = performance.now();
                queue.push(entry);
                if (performance.now() >= endAt && inFlight === 0) resolve();
              });
          }
          setTimeout(pump, 2);
        };
        pump();
      });
      const seconds = (performance.now() - t0) / 1000;
      const changes = await changing;
      const generator = process.cpuUsage(generatorBefore);
      const after = await dbStats(client, name);
      return {
        name: phaseName,
        polls,
        withItems,
        tooEarly,
        errors,
        latencies: latencies.sort((a, b) => a - b),
        seconds,
        omnihubCpuMs: cpuMsOf(child!.pid!) - omnihubBefore,
        postgresCpuMs: backendsCpuMs(name) - postgresBefore,
        generatorCpuMs: (generator.user + generator.system) / 1000,
        stats: {
          // The bench's own two stats queries are not the polls'.
          xacts: after.xacts - before.xacts - 2,
          idxScans: after.idxScans - before.idxScans,
          seqScans: after.seqScans - before.seqScans,
          seqByTable: new Map(
            [...after.seqByTable]
              .map(([table, n]) => [table, n - (before.seqByTable.get(table) ?? 0)] as const)
              .filter(([, n]) => n > 0),
          ),
        },
        changes,
      };
    };

    const offered = terminals.length * dataTypes.reduce((s, t) => s + SPEEDUP / (t.minutes * 60), 0);
    console.log(
      `server    offered load: ${Math.round(offered)} polls/s (every type on its interval ÷ ${SPEEDUP}), ${SECONDS} s per phase, ${CHANGES_PER_SECOND} stock changes/s`,
    );
    const results = [await phase('intervals')];
    await client.query(
      `insert into pos_sync_exceptions (store_id, reason, expires_at, created_by)
       select id, 'benchmark', now() + interval '1 day', 'bench' from nodes where code like 'S%' and kind = 'store'
       on conflict do nothing`,
    );
    results.push(await phase('exception'));

    console.log(
      '\nphase        polls/s  items  early  errors   p50 ms   p99 ms  Omnihub CPU/poll  PG CPU/poll  stmts/poll  idx scans/poll  seq scans',
    );
    for (const r of results) {
      console.log(
        [
          r.name.padEnd(10),
          (r.polls / r.seconds).toFixed(0).padStart(9),
          String(r.withItems).padStart(6),
          String(r.tooEarly).padStart(6),
          String(r.errors).padStart(7),
          pct(r.latencies, 50).toFixed(1).padStart(8),
          pct(r.latencies, 99).toFixed(1).padStart(8),
          `${((r.omnihubCpuMs * 1000) / Math.max(1, r.polls)).toFixed(0)} µs`.padStart(17),
          `${((r.postgresCpuMs * 1000) / Math.max(1, r.polls)).toFixed(0)} µs`.padStart(12),
          (r.stats.xacts / Math.max(1, r.polls)).toFixed(2).padStart(11),
          (r.stats.idxScans / Math.max(1, r.polls)).toFixed(2).padStart(15),
          String(r.stats.seqScans).padStart(10),
        ].join(' '),
      );
    }
    for (const r of results)
      console.log(
        `  ${r.name}: served ${((r.polls / r.seconds / offered) * 100).toFixed(0)} % of the offered load; ` +
          `Omnihub ${(r.omnihubCpuMs / r.seconds / 10).toFixed(0)} % of a core, PostgreSQL ${(r.postgresCpuMs / r.seconds / 10).toFixed(0)} %, ` +
          `the generator ${(r.generatorCpuMs / r.seconds / 10).toFixed(0)} %; ${r.changes} stock changes meanwhile` +
          (r.stats.seqByTable.size
            ? `; sequential scans on ${[...r.stats.seqByTable].map(([table, n]) => `${table} (${n})`).join(', ')}`
            : ''),
      );
  } finally {
    child?.kill('SIGTERM');
    await client.end().catch(() => {});
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
    agent.destroy();
  }
}
