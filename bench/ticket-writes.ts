/**
 * Issue 16's ticket-write overhead: `POST /api/v1/orders` with the inbound tickets on and off (AppOptions
 * `inboundTickets`, turned off only here), two apps over one database, run in turns (off, on, off, on) so
 * the drift of a shared machine falls on both. Throughput with 16 clients, latency of requests in series,
 * and what one ticket write costs on its own (`recordTicket` of an order-sized ticket, in series).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { Database } from '../src/platform/db/index.ts';
import { rows, sql } from '../src/platform/db/sql.ts';
import { recordTicket } from '../src/platform/tickets/service.ts';

export const TICKET_WRITES_BENCH = 'ticket-writes';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;
const SERIAL = 300;

let seq = 0;
function orderBody(): string {
  return JSON.stringify({
    externalId: `bench-ticket-${process.pid}-${++seq}`,
    storeCode: '11',
    deliveryType: 'pickup',
    customer: {
      name: 'Cliente Bench',
      document: '52998224725',
      email: 'bench@demo.local',
      phone: '11999990000',
    },
    items: [{ sku: 'CAM-002', quantity: 1, unitPrice: '199.90' }],
    payments: [{ method: 'pix', amount: '199.90' }],
    placedAt: new Date().toISOString(),
  });
}

const headers = { 'content-type': 'application/json', authorization: 'Bearer demo-platform-key' };

async function throughput(base: string) {
  const r = await autocannon({
    url: `${base}/api/v1/orders`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/orders',
        headers,
        setupRequest: (req) => ({ ...req, body: orderBody() }),
      },
    ],
  });
  return { rps: r['2xx'] / SECONDS, p50: r.latency.p50, p99: r.latency.p99, failed: r.non2xx + r.errors };
}

/**
 * One order post at a time: mean wall time, and mean CPU time of this process (server, client and, for the
 * embedded database, PGlite), which a busy shared machine disturbs far less than wall time.
 */
async function serial(
  base: string,
  settled: () => Promise<void>,
): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < SERIAL; i++) {
    const res = await fetch(`${base}/api/v1/orders`, { method: 'POST', headers, body: orderBody() });
    if (res.status !== 201) throw new Error(`order post answered ${res.status}`);
    await res.arrayBuffer();
  }
  await settled();
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: (performance.now() - t0) / SERIAL, cpuMs: (cpu.user + cpu.system) / 1000 / SERIAL };
}

export async function benchTicketWrites(label: string, database: Database) {
  await database.migrate();
  await seedDemo(database.db, { secretKey: randomBytes(32) });
  const open = async (inboundTickets: boolean) => {
    const app = await buildApp(database, { logger: false, secretKey: randomBytes(32), inboundTickets });
    return { app, base: await app.listen({ host: '127.0.0.1', port: 0 }) };
  };
  const off = await open(false);
  const on = await open(true);
  const runs: Record<'off' | 'on', Awaited<ReturnType<typeof throughput>>[]> = { off: [], on: [] };
  for (let round = 0; round < 2; round++) {
    runs.off.push(await throughput(off.base));
    runs.on.push(await throughput(on.base));
    await on.app.inboundTickets.settled();
  }
  const none = async () => {};
  const alone = {
    off: await serial(off.base, none),
    on: await serial(on.base, () => on.app.inboundTickets.settled()),
  };

  const [written] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from tickets`);
  const request = orderBody();
  const response = JSON.stringify({ id: 'x', ...JSON.parse(request), status: 'open', history: [] });
  const t0 = performance.now();
  for (let i = 0; i < SERIAL; i++) {
    await recordTicket(database.db, {
      networkId: null,
      direction: 'in',
      system: 'platform-api',
      method: 'POST /api/v1/orders',
      kind: 'order.ingest',
      status: 'processed',
      latencyMs: 10,
      startedAt: new Date(),
      request,
      response,
    });
  }
  const writeMs = (performance.now() - t0) / SERIAL;
  await off.app.close();
  await on.app.close();

  const mean = (xs: { rps: number }[]) => xs.reduce((s, x) => s + x.rps, 0) / xs.length;
  const rps = { off: mean(runs.off), on: mean(runs.on) };
  const line = (what: string, r: (typeof runs)['on']) =>
    `${label.padEnd(9)} POST /api/v1/orders, tickets ${what.padEnd(3)} ${r
      .map((x) => x.rps.toFixed(0))
      .join(' / ')
      .padStart(
        11,
      )} /s  p50 ${r.map((x) => x.p50).join('/')} ms  p99 ${r.map((x) => x.p99).join('/')} ms  non-2xx ${r.reduce((s, x) => s + x.failed, 0)}`;
  console.log(line('off', runs.off));
  console.log(line('on', runs.on));
  console.log(
    `${label.padEnd(9)} overhead: throughput ${(((rps.on - rps.off) / rps.off) * 100).toFixed(1)} % ` +
      `(${(1000 / rps.on - 1000 / rps.off).toFixed(2)} ms of capacity per request); in series ` +
      `${alone.off.wallMs.toFixed(2)} → ${alone.on.wallMs.toFixed(2)} ms wall, ` +
      `${alone.off.cpuMs.toFixed(2)} → ${alone.on.cpuMs.toFixed(2)} ms CPU per request ` +
      `(+${(alone.on.cpuMs - alone.off.cpuMs).toFixed(2)} ms CPU); ` +
      `one ticket write alone ${writeMs.toFixed(2)} ms; ${written!.n} tickets written`,
  );
}
