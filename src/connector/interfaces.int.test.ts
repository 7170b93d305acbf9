import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, RECEIVER_HOSTS, startTestApp, type TestApp } from '../../test/harness.ts';
import { type NatsServer, startNatsServer } from '../../test/nats-server.ts';
import { waitFor } from '../../test/webhook-receiver.ts';
import { rows, sql } from '../platform/db/sql.ts';
import * as connector from './service.ts';

const admin = 'admin@demo.local';

/** A partner's HTTP endpoint: answers GETs with `answer`, keeps POSTed bodies, holds answers while `held`. */
function partner() {
  const received: unknown[] = [];
  let release: () => void = () => {};
  let held: Promise<void> = Promise.resolve();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      if (body) received.push(JSON.parse(body));
      await held;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify([
          { sku: 'CAM-001', quantidade: 5 },
          { sku: 'CAL-002', quantidade: 1 },
        ]),
      );
    });
  });
  return {
    received,
    hold() {
      held = new Promise((r) => (release = r));
    },
    release: () => release(),
    async start() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

describe.each(databaseKinds())('integration interfaces on the %s database', (kind) => {
  let t: TestApp;
  let nats: NatsServer;
  const server = partner();
  let url: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-interfaces-'));

  beforeAll(async () => {
    // The partner's test server listens on 127.0.0.1: allowed as an on-premises system would be.
    nats = await startNatsServer();
    t = await startTestApp(kind, { webhookAllowHosts: RECEIVER_HOSTS, natsUrl: nats.url });
    url = await server.start();
  });
  afterAll(async () => {
    await t?.close();
    await server.close();
    await nats?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const patch = (code: number, body: unknown) =>
    t.request('PATCH', `/api/v1/connector/interfaces/${code}`, { auth: admin, body });
  const runNow = (code: number) =>
    t.request('POST', `/api/v1/connector/interfaces/${code}/run`, { auth: admin });
  const runs = (code: number, query = '') =>
    t.request('GET', `/api/v1/connector/interfaces/${code}/runs${query}`, { auth: admin });
  /** Runs an interface now and waits for the run to end. */
  async function runToEnd(code: number) {
    const started = await runNow(code);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return waitFor(async () => {
      const run = (await runs(code)).body.items.find((r: { id: string }) => r.id === started.body.runId);
      return run.outcome !== 'running' && run;
    }, `interface ${code}'s run`);
  }
  const ticketsOf = (code: number) =>
    rows<{ kind: string; direction: string; status: string; method: string }>(
      t.database.db,
      sql`select kind, direction, status, method from tickets where module_code = ${code} order by started_at`,
    );

  it("gives the network the seed's catalogue with its periods, inactive rows and on-demand ones", async () => {
    const res = await t.request('GET', '/api/v1/connector/interfaces', { auth: admin });
    expect(res.status).toBe(200);
    const byCode = new Map(res.body.items.map((i: { code: number }) => [i.code, i]));
    const period = (code: number) => (byCode.get(code) as { scheduleMinutes: number | null }).scheduleMinutes;
    expect([100, 300, 1100, 1150, 4000, 4002, 4003, 4004, 200, 500].map(period)).toEqual([
      2,
      30,
      1,
      2,
      10,
      null,
      10,
      null,
      60,
      360,
    ]);
    expect(byCode.get(1180)).toMatchObject({ name: 'Autorização', system: 'Hana', active: false });
    expect(byCode.get(900)).toMatchObject({ system: 'Loja Associação', active: false });
    expect(byCode.get(1100)).toMatchObject({
      active: true,
      adapter: 'none',
      direction: 'out',
      lastRun: null,
    });
    expect(res.body.items).toHaveLength(connector.interfaceCatalogue.length);
    expect((await t.request('GET', '/api/v1/connector/interfaces/9999', { auth: admin })).status).toBe(404);
  });

  it('refuses a configuration that would do nothing, field by field; audits a change', async () => {
    const refused = await Promise.all([
      patch(1100, { scheduleMinutes: 0 }),
      patch(1100, { scheduleMinutes: 5, cron: '0 3 * * *' }),
      patch(1100, { cron: '0 25 * * *' }),
      patch(4003, { adapter: 'nats', adapterSettings: { subject: 'omnihub.stock' } }),
      patch(4003, { adapter: 'file_drop', adapterSettings: { directory: '/no/such/dir', format: 'csv' } }),
      patch(1100, { adapter: 'http_json', adapterSettings: { url, method: 'POST', source: 'prices' } }),
      patch(1100, { colour: 'blue' }),
      patch(1500, {
        adapter: 'http_json',
        adapterSettings: { url: 'http://10.1.2.3/estoque', method: 'GET' },
      }),
    ]);
    expect(refused.map((r) => r.status)).toEqual([422, 422, 422, 422, 422, 422, 422, 422]);
    expect(refused[7]!.body.errors[0]).toMatchObject({
      path: '/adapterSettings/url',
      code: 'CONNECTOR.URL_NOT_ALLOWED',
    });
    const codes = refused.slice(1, 6).map((r) => r.body.errors.map((e: { code: string }) => e.code));
    expect(codes).toEqual([
      ['CONNECTOR.SCHEDULE_TWICE'],
      ['CONNECTOR.CRON_INVALID'],
      ['CONNECTOR.NATS_INBOUND'],
      ['CONNECTOR.DIRECTORY_UNUSABLE'],
      ['CONNECTOR.SOURCE_NOT_SUPPORTED'],
    ]);
    expect(refused[3]!.body.errors[0].message).toBe('entrada por NATS não suportada');

    const changed = await patch(300, { cron: '0 3 * * *' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ scheduleMinutes: null, cron: '0 3 * * *' });
    expect(new Date(changed.body.nextRunAt).getUTCHours()).toBe(6); // 03:00 in Brasília
    const back = await patch(300, { scheduleMinutes: 45 });
    expect(back.body).toMatchObject({ scheduleMinutes: 45, cron: null });
    const events = await t.request('GET', '/api/v1/audit-events?target=integration_interface', {
      auth: admin,
    });
    expect(events.status).toBe(200);
    expect(events.body.items.length).toBeGreaterThanOrEqual(2);
  });

  it('an inactive interface stays scheduled: its run records "inativa" and does nothing', async () => {
    const inbox = fs.mkdtempSync(path.join(dir, 'inativa-'));
    fs.writeFileSync(path.join(inbox, 'estoque.csv'), 'sku,quantidade\r\nCAM-001,5\r\n');
    const off = await patch(4003, {
      active: false,
      adapter: 'file_drop',
      adapterSettings: { directory: inbox, pattern: '*.csv', format: 'csv' },
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.nextRunAt).not.toBeNull();
    const run = await runToEnd(4003);
    expect(run).toMatchObject({ outcome: 'inactive', message: 'Interface 4003 inativa', items: 0 });
    expect(fs.readdirSync(inbox)).toEqual(['estoque.csv']);
    expect(await ticketsOf(4003)).toEqual([]);
  });

  it('an interface without an adapter is skipped, saying so', async () => {
    expect(await runToEnd(1150)).toMatchObject({ outcome: 'skipped', message: 'sem adaptador configurado' });
  });

  it('file drop in: one ticket per file, files moved to processados/; out: the dataset written whole', async () => {
    const inbox = fs.mkdtempSync(path.join(dir, 'in-'));
    fs.writeFileSync(path.join(inbox, 'a.csv'), 'sku,quantidade\r\nCAM-001,5\r\n');
    fs.writeFileSync(path.join(inbox, 'b.csv'), 'sku,quantidade\r\nCAL-002,2\r\n');
    fs.writeFileSync(path.join(inbox, 'leia-me.txt'), 'not mine');
    await patch(4002, {
      adapter: 'file_drop',
      adapterSettings: { directory: inbox, pattern: '*.csv', format: 'csv' },
    });
    expect(await runToEnd(4002)).toMatchObject({ outcome: 'succeeded', items: 2 });
    expect(fs.readdirSync(inbox).sort()).toEqual(['leia-me.txt', 'processados']);
    expect(fs.readdirSync(path.join(inbox, 'processados')).sort()).toEqual(['a.csv', 'b.csv']);
    expect(await ticketsOf(4002)).toEqual([
      { kind: 'interface.file_drop', direction: 'in', status: 'processed', method: 'read a.csv' },
      { kind: 'interface.file_drop', direction: 'in', status: 'processed', method: 'read b.csv' },
    ]);

    const outbox = fs.mkdtempSync(path.join(dir, 'out-'));
    const set = await patch(10003, {
      adapter: 'file_drop',
      adapterSettings: { directory: outbox, format: 'xml', source: 'stock' },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const run = await runToEnd(10003);
    expect(run.outcome, run.message).toBe('succeeded');
    expect(run.items).toBeGreaterThan(0);
    const written = fs.readdirSync(outbox);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^10003-stock-\d{8}T\d{6}\.xml$/);
    const xml = fs.readFileSync(path.join(outbox, written[0]!), 'utf8');
    expect(xml.match(/<item>/g)).toHaveLength(run.items);
    expect(xml).toContain('<storeCode>11</storeCode>');
  });

  it('HTTP JSON in: the answer kept as a ticket; one run at a time, whoever starts the second', async () => {
    await patch(1500, { adapter: 'http_json', adapterSettings: { url: `${url}/estoque`, method: 'GET' } });
    server.hold();
    const first = await runNow(1500);
    expect(first.status).toBe(202);
    // The partner has the request: the run is going.
    await waitFor(async () => {
      const [run] = (await runs(1500)).body.items;
      return run?.outcome === 'running' && run;
    }, 'the run to start');
    const second = await runNow(1500);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('CONNECTOR.INTERFACE_RUNNING');
    // Its period comes while it runs: the scheduler records a skipped run instead of a second one.
    await t.database.db.execute(
      sql`update integration_interfaces set next_run_at = now() + interval '1 hour'`,
    );
    await t.database.db.execute(
      sql`update integration_interfaces set next_run_at = now() - interval '1 second' where code = 1500`,
    );
    const tick = await connector.runDueInterfaces(t.database.db);
    expect(tick.skipped).toBeGreaterThanOrEqual(1);
    server.release();
    const done = await waitFor(async () => {
      const r = (await runs(1500)).body.items.find((x: { id: string }) => x.id === first.body.runId);
      return r.outcome !== 'running' && r;
    }, 'the held run');
    expect(done).toMatchObject({ outcome: 'succeeded', items: 2, trigger: 'manual' });
    const history = (await runs(1500)).body.items.map((r: { outcome: string; trigger: string }) => [
      r.trigger,
      r.outcome,
    ]);
    expect(history).toEqual([
      ['schedule', 'skipped'],
      ['manual', 'succeeded'],
    ]);
    const [ticket] = await ticketsOf(1500);
    expect(ticket).toEqual({
      kind: 'interface.http_json',
      direction: 'in',
      status: 'processed',
      method: 'GET /estoque',
    });
    const listed = await t.request('GET', '/api/v1/connector/interfaces', { auth: admin });
    const row = listed.body.items.find((i: { code: number }) => i.code === 1500);
    expect(row.lastRun).toMatchObject({ outcome: 'skipped' });
  });

  it('HTTP JSON out sends the orders changed since the last successful run', async () => {
    const order = await t.request('POST', '/api/v1/orders', {
      auth: 'demo-platform-key',
      body: {
        externalId: `interfaces-${kind}`,
        storeCode: '11',
        deliveryType: 'pickup',
        customer: { name: 'Cliente', document: '52998224725', email: 'c@demo.local', phone: '11999990000' },
        items: [{ sku: 'CAL-002', quantity: 1, unitPrice: '199.90' }],
        payments: [{ method: 'pix', amount: '199.90' }],
        placedAt: new Date().toISOString(),
      },
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    await patch(100, {
      adapter: 'http_json',
      adapterSettings: { url: `${url}/pedidos`, method: 'POST', source: 'orders' },
    });
    const before = server.received.length;
    const first = await runToEnd(100);
    expect(first.outcome, first.message).toBe('succeeded');
    const sent = server.received[before] as {
      source: string;
      interface: number;
      items: { externalId: string }[];
    };
    expect(sent).toMatchObject({ source: 'orders', interface: 100 });
    expect(sent.items.map((o) => o.externalId)).toContain(`interfaces-${kind}`);
    // Nothing changed since: the next run sends none.
    expect(await runToEnd(100)).toMatchObject({ outcome: 'succeeded', items: 0 });
  });

  it('the scheduler starts each due interface once and moves it to its next period', async () => {
    await t.database.db.execute(
      sql`update integration_interfaces set next_run_at = now() + interval '1 hour'`,
    );
    await t.database.db.execute(
      sql`update integration_interfaces set next_run_at = now() - interval '30 seconds' where code = 1150`,
    );
    // 1150 has no adapter: its period is recorded by the tick itself, without a job.
    expect(await connector.runDueInterfaces(t.database.db)).toEqual({ started: 0, skipped: 0, recorded: 1 });
    expect(await connector.runDueInterfaces(t.database.db)).toEqual({ started: 0, skipped: 0, recorded: 0 });
    const [row] = await rows<{ ahead: number }>(
      t.database.db,
      sql`select extract(epoch from next_run_at - now())::int as ahead from integration_interfaces where code = 1150`,
    );
    expect(Number(row!.ahead)).toBeGreaterThan(60);
    expect(Number(row!.ahead)).toBeLessThanOrEqual(120);
    await waitFor(async () => (await runs(1150)).body.items[0].outcome === 'skipped', 'the scheduled run');
    expect((await runs(1150)).body.items[0]).toMatchObject({ trigger: 'schedule' });
  });

  it('the history is paginated, newest first', async () => {
    for (let i = 0; i < 3; i++) await runToEnd(402);
    const first = await runs(402, '?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await runs(402, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.items, ...second.body.items];
    expect(new Set(all.map((r: { id: string }) => r.id)).size).toBe(3);
    const starts = all.map((r: { startedAt: string }) => r.startedAt);
    expect([...starts].sort().reverse()).toEqual(starts);
    expect((await runs(402, '?cursor=bm9wZQ')).status).toBe(422);
    expect((await runs(402, `?cursor=${Buffer.from('["x","y"]').toString('base64url')}`)).status).toBe(422);
  });

  it('old runs are purged, each interface keeping its last', async () => {
    await runToEnd(402);
    await runToEnd(402);
    await t.database.db.execute(
      sql`update interface_runs set started_at = now() - interval '40 days'
           where interface_id = (select id from integration_interfaces where code = 402)`,
    );
    const before = (await runs(402)).body.items.length;
    expect(before).toBeGreaterThanOrEqual(2);
    expect(await connector.purgeInterfaceRuns(t.database.db)).toBeGreaterThanOrEqual(before - 1);
    expect((await runs(402)).body.items).toHaveLength(1);
  });

  it('NATS out publishes one JSON message per record', async () => {
    const subject = `omnihub.test.${kind}.${Date.now()}`;
    const nc = await connect({ servers: nats.url });
    const messages: unknown[] = [];
    const sub = nc.subscribe(subject);
    void (async () => {
      for await (const m of sub) messages.push(m.json());
    })();
    await nc.flush();
    const set = await patch(1399, { adapter: 'nats', adapterSettings: { subject, source: 'stock' } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const run = await runToEnd(1399);
    expect(run.outcome, run.message).toBe('succeeded');
    await waitFor(async () => messages.length === run.items, 'the messages');
    expect(messages[0]).toMatchObject({ storeCode: expect.any(String), sku: expect.any(String) });
    await nc.drain();
  });
});
