/**
 * npm run bench — throughput and latency of the API's hot paths over loopback, Omnihub in its own process
 * and the load generator in this one (bench/orders.ts), on the embedded database and (when reachable) on
 * the PostgreSQL server with 1, 2 and 4 processes, with pgbench's figures for the same server as the
 * yardstick; then
 * the store queue with 100,000 orders (bench/queue.ts) on a fresh database of each kind; 500 POS clients
 * polling their pending pickups while orders flow (bench/pos.ts); 1,000 VTEX order hooks through fetch +
 * ingest against a local VTEX (bench/vtex-hooks.ts); 5,000 POS terminals syncing every data type against
 * one Omnihub process on the server (bench/pos-sync.ts, server only).
 * Prints figures and ratios; never fails on a timing. BENCH_SECONDS (default 10) sets each run's length.
 */

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, openEmbedded, openServer } from '../src/platform/db/index.ts';
import { AUDIT_BENCH, benchAudit } from './audit.ts';
import { benchFiscal, benchFiscalSteps, FISCAL_BENCH } from './fiscal.ts';
import { benchOrders, ordersWanted } from './orders.ts';
import { benchPos, POS_BENCH } from './pos.ts';
import { benchPosSync, POS_SYNC_BENCH } from './pos-sync.ts';
import { benchQueue, QUEUE_BENCH } from './queue.ts';
import { benchRouter, ROUTER_BENCH } from './router.ts';
import { benchScheduler, SCHEDULER_BENCH } from './scheduler.ts';
import { benchStockFeed, STOCK_FEED_BENCH } from './stock-feed.ts';
import { benchTicketWrites, TICKET_WRITES_BENCH } from './ticket-writes.ts';
import { benchTickets, TICKETS_BENCH } from './tickets.ts';
import { benchVtexHooks, VTEX_BENCH } from './vtex-hooks.ts';

/** BENCH_ONLY=text runs only the scenarios whose name contains it (`queue`: only the store queue). */
const ONLY = process.env.BENCH_ONLY;
const wanted = (name: string) => !ONLY || name.includes(ONLY);
const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database on the server, or null when none is reachable. */
async function freshServerDatabase(): Promise<{ database: Database; drop: () => Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `omnihub_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await openServer(url.toString(), 20);
  return {
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

console.log(
  `Omnihub benchmark — ${os.cpus().length} cores (${os.cpus()[0]?.model}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
const throughput = ordersWanted(ONLY);
const queue = wanted(QUEUE_BENCH);
const fiscal = wanted(FISCAL_BENCH);
const router = wanted(ROUTER_BENCH);
const auditLog = wanted(AUDIT_BENCH);
const posCounter = wanted(POS_BENCH);
const posSync = wanted(POS_SYNC_BENCH);
const connectorTickets = wanted(TICKETS_BENCH);
const vtexHooks = wanted(VTEX_BENCH);
const stockFeed = wanted(STOCK_FEED_BENCH);
const scheduler = wanted(SCHEDULER_BENCH);
const ticketWrites = wanted(TICKET_WRITES_BENCH);

/** A fresh embedded database in a temporary directory, removed after `use`. */
async function withEmbedded<T>(use: (database: Database) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-bench-'));
  const database = await openEmbedded(dataDir);
  try {
    return await use(database);
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// Omnihub in its own process, the load generator here: embedded, then the server with 1, 2 and 4 processes.
if (throughput) await benchOrders(SERVER_URL, ONLY);
if (queue) await withEmbedded((database) => benchQueue('embedded', database));
if (router) await withEmbedded((database) => benchRouter('embedded', database));
if (auditLog) await withEmbedded((database) => benchAudit('embedded', database));
if (posCounter) await withEmbedded((database) => benchPos('embedded', database));
if (connectorTickets) await withEmbedded((database) => benchTickets('embedded', database));
if (vtexHooks) await withEmbedded((database) => benchVtexHooks('embedded', database));
if (stockFeed) await withEmbedded((database) => benchStockFeed('embedded', database));
if (scheduler) await withEmbedded((database) => benchScheduler('embedded', database));
if (ticketWrites) await withEmbedded((database) => benchTicketWrites('embedded', database));
if (fiscal) {
  await benchFiscalSteps();
  console.log('');
  await withEmbedded((database) => benchFiscal('embedded', database));
}

let serverReached = false;
for (const run of [
  queue && 'queue',
  router && 'router',
  auditLog && 'audit',
  posCounter && 'pos',
  connectorTickets && 'tickets',
  vtexHooks && 'vtex',
  stockFeed && 'stock-feed',
  scheduler && 'scheduler',
  ticketWrites && 'ticket-writes',
  fiscal && 'fiscal',
] as const) {
  if (!run) continue;
  const server = await freshServerDatabase();
  if (!server) break;
  serverReached = true;
  try {
    if (run === 'queue') await benchQueue('server', server.database);
    else if (run === 'router') await benchRouter('server', server.database);
    else if (run === 'audit') await benchAudit('server', server.database);
    else if (run === 'pos') await benchPos('server', server.database);
    else if (run === 'tickets') await benchTickets('server', server.database);
    else if (run === 'vtex') await benchVtexHooks('server', server.database);
    else if (run === 'stock-feed') await benchStockFeed('server', server.database);
    else if (run === 'scheduler') await benchScheduler('server', server.database);
    else if (run === 'ticket-writes') await benchTicketWrites('server', server.database);
    else await benchFiscal('server', server.database);
  } finally {
    await server.database.close();
    await server.drop();
  }
}
// Its own database and its own Omnihub process: the load generator stays out of the measured process.
if (posSync) {
  console.log('');
  await benchPosSync(SERVER_URL);
}
if (
  !throughput &&
  !posSync &&
  !queue &&
  !fiscal &&
  !router &&
  !auditLog &&
  !posCounter &&
  !connectorTickets &&
  !vtexHooks &&
  !stockFeed &&
  !scheduler &&
  !ticketWrites
) {
  console.log(`BENCH_ONLY=${ONLY} matches no scenario`);
} else if (!serverReached && !posSync && !throughput) {
  console.log('\nno PostgreSQL server reachable: server figures skipped');
}
