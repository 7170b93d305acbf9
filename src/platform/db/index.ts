import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { cacheWatcher } from '../cache/index.ts';
import { inRepo } from '../paths.ts';
import { prepareEveryStatement } from './prepare.ts';

/** A drizzle database or transaction: services take this and never care which engine runs it. */
export type Db = PgDatabase<PgQueryResultHKT>;

export type DatabaseKind = 'embedded' | 'server';

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Db;
  /** Where it lives, for the start-up banner (a path or the URL without password). */
  readonly location: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The embedded database's files as a tarball (test templates, backups); absent on a server. */
  dump?(): Promise<Blob>;
  /**
   * Calls `onPayload` for every NOTIFY on `channel` (by any process, delivered after its commit) until the
   * returned function is called. `onState(false)` when the listening connection is lost (what is notified
   * meanwhile is lost too), `onState(true)` once it listens again.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onState?: (up: boolean) => void,
  ): Promise<() => Promise<void>>;
}

export const migrationsFolder = inRepo('drizzle');

// Any 64-bit constant unique to Omnihub: serialises concurrent migrations of several processes.
const MIGRATION_LOCK = 4_242_017_001;

export async function openServer(url: string, poolSize = 10): Promise<Database> {
  // No JIT: Omnihub's statements are short index lookups, and a plan whose estimates lag a table's growth
  // (statistics not yet refreshed) passes the JIT threshold and compiles for 50–90 ms a query that runs in
  // 0.2 ms (measured on the order path, docs/benchmarks.md). A start-up option of each connection, so it
  // costs no statement.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: withJitOff(url) });
  pool.on('connect', (client) => prepareEveryStatement(client));
  // An idle connection the server ends (restart, failover, admin command) must not crash the process:
  // the pool drops it and opens another on the next query.
  pool.on('error', (error) => {
    process.stderr.write(`omnihub: database connection lost (${error.message}); the pool will reconnect\n`);
  });
  // Fail fast with the server's own message when the URL is wrong.
  await pool.query('select 1');
  // The caches see every statement that writes a cached table (src/platform/cache).
  const watcher = cacheWatcher();
  const db = drizzlePg({ client: pool, logger: watcher }) as unknown as Db;
  watcher.bind(db);
  return {
    kind: 'server',
    db,
    location: redact(url),
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg({ client }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    },
    listen: (channel, onPayload, onState) => listenOnServer(url, channel, onPayload, onState),
    close: () => pool.end(),
  };
}

/** The URL's own `options` (start-up settings such as a search_path), with JIT turned off after them. */
function withJitOff(url: string): string {
  let own: string | null = null;
  try {
    own = new URL(url).searchParams.get('options');
  } catch {
    // Not a URL (pg also takes a socket path): nothing of its own to keep.
  }
  return own ? `${own} -c jit=off` : '-c jit=off';
}

/**
 * LISTEN needs a connection of its own for as long as it listens (a pooled one would be handed to
 * queries). A lost connection is reopened after a short wait; what was notified meanwhile is gone, which
 * is why listeners only use notifications as hints to re-read (the web queue's interval is its fallback).
 */
async function listenOnServer(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  onState?: (up: boolean) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const lost = (c: pg.Client) => {
    c.end().catch(() => {});
    if (client !== c) return;
    client = undefined;
    onState?.(false);
    if (!stopped) retry = setTimeout(reconnect, 1000);
  };
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === channel) onPayload(n.payload ?? '');
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    try {
      await c.connect();
      await c.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      c.end().catch(() => {});
      throw error;
    }
    if (stopped) await c.end();
    else client = c;
  };
  // A failed attempt tries again a second later, for as long as the listener is wanted.
  const reconnect = () => {
    if (stopped) return;
    connect().then(
      () => {
        if (!stopped) onState?.(true);
      },
      () => {
        if (!stopped) retry = setTimeout(reconnect, 1000);
      },
    );
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = undefined;
    await c?.end().catch(() => {});
  };
}

/**
 * The embedded database, persisted in `dataDir` (or in memory when `dataDir` is undefined).
 * PGlite has one connection: its transactions run one after another.
 */
export async function openEmbedded(dataDir: string | undefined, loadFrom?: Blob): Promise<Database> {
  let release = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  try {
    const client = await PGlite.create(dataDir ? path.join(dataDir, 'pgdata') : undefined, {
      loadDataDir: loadFrom,
    });
    const watcher = cacheWatcher();
    const db = drizzlePglite({ client, logger: watcher }) as unknown as Db;
    watcher.bind(db);
    return {
      kind: 'embedded',
      db,
      location: dataDir ? path.join(dataDir, 'pgdata') : 'memory',
      migrate: () => migratePglite(drizzlePglite({ client }), { migrationsFolder }),
      dump: async () => (await client.dumpDataDir('gzip')) as Blob,
      listen: async (channel, onPayload) => {
        const unlisten = await client.listen(channel, onPayload);
        return async () => {
          if (!client.closed) await unlisten();
        };
      },
      async close() {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

export function openDatabase(opts: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  return opts.databaseUrl ? openServer(opts.databaseUrl) : openEmbedded(opts.dataDir);
}

/** Two processes on one PGlite directory would corrupt it: the second one is refused. */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'omnihub.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(fs.readFileSync(lockPath, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(`The data dir ${dataDir} is in use by process ${pid}; stop it or use --data-dir.`);
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
