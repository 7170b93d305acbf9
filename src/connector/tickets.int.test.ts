import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import type { Db } from '../platform/db/index.ts';
import { rows } from '../platform/db/sql.ts';
import {
  type ReprocessHandlers,
  recordTicket,
  type StoredTicket,
  type TicketInput,
} from '../platform/tickets/service.ts';

const admin = 'admin@demo.local';
const storeManager = 'loja11@demo.local';
// A fixed period far from the demo's own traffic: 10 and 11 March 2025, São Paulo days.
const period = 'from=2025-03-10&to=2025-03-11';
const at = (iso: string) => new Date(iso);

/** The fake reprocess handler: records what it ran, fails tickets whose reference says so, may be held. */
function fakeHandlers() {
  const ran: { id: string; reason: string }[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const handler = async (_db: Db, ticket: StoredTicket, reason: string) => {
    await gate;
    ran.push({ id: ticket.id, reason });
    return ticket.reference === 'fails-again'
      ? { ok: false as const, error: 'the platform still refuses it' }
      : { ok: true as const, orderId: ticket.orderId };
  };
  const handlers: ReprocessHandlers<Db> = { 'test.order': handler, 'bulk.order': handler };
  return {
    handlers,
    ran,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release: () => open(),
  };
}

describe.each(databaseKinds())('connector tickets on the %s database', (kind) => {
  let t: TestApp;
  let networkId: string;
  const fake = fakeHandlers();
  const ids: Record<string, string> = {};
  const orderId = randomUUID();

  const seed = (name: string, input: Partial<TicketInput> & Pick<TicketInput, 'startedAt'>) =>
    recordTicket(t.database.db, {
      networkId,
      direction: 'in',
      system: 'vtex',
      method: 'orders.hook',
      kind: 'test.order',
      status: 'processed',
      latencyMs: 100,
      ...input,
    }).then((id) => {
      ids[name] = id;
    });

  beforeAll(async () => {
    t = await startTestApp(kind, { reprocessHandlers: fake.handlers });
    const [root] = await rows<{ id: string }>(
      t.database.db,
      sql`select id from nodes where parent_id is null`,
    );
    networkId = root!.id;
    // Latencies 10..100 on one method of one day: p95 (continuous) = 95.5 → 96.
    for (let i = 1; i <= 10; i++) {
      await seed(`hook${i}`, {
        startedAt: at(`2025-03-10T12:00:${String(i).padStart(2, '0')}-03:00`),
        latencyMs: i * 10,
        status: i <= 8 ? 'processed' : 'failed',
        request: '{"a":1}',
        response: 'ok',
        moduleCode: 101,
      });
    }
    await seed('failedOrder', {
      startedAt: at('2025-03-10T15:00:00-03:00'),
      status: 'failed',
      orderId,
      reference: 'v-1001-01',
      error: 'unmapped SKU',
      moduleCode: 102,
      request: JSON.stringify({
        orderId: 'v-1001-01',
        clientProfileData: {
          firstName: 'Maria',
          email: 'maria.souza@cliente.com.br',
          document: '12345678901',
        },
        appToken: 'vtex-app-token-secret',
      }),
      response: `${'x'.repeat(70 * 1024)}`,
    });
    await seed('failsAgain', {
      startedAt: at('2025-03-10T16:00:00-03:00'),
      status: 'failed',
      reference: 'fails-again',
    });
    await seed('pending', { startedAt: at('2025-03-10T17:00:00-03:00'), status: 'pending' });
    await seed('webhook', {
      startedAt: at('2025-03-11T09:00:00-03:00'),
      direction: 'out',
      system: 'webhook',
      method: 'POST order.status_changed',
      kind: 'carrier.label',
      status: 'failed',
      httpStatus: 500,
      latencyMs: 300,
      request: '{"event":"x"}',
      response: 'boom',
    });
    // 23:30 in São Paulo on the 9th is already the 10th in UTC: it counts on the 9th.
    await seed('lateNight', { startedAt: at('2025-03-09T23:30:00-03:00'), system: 'nuvemshop' });
    // Another network's ticket is never seen.
    await recordTicket(t.database.db, {
      networkId: randomUUID(),
      direction: 'in',
      system: 'vtex',
      method: 'orders.hook',
      kind: 'test.order',
      status: 'failed',
      latencyMs: 1,
      startedAt: at('2025-03-10T12:30:00-03:00'),
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (query: string) => {
    const res = await t.request('GET', `/api/v1/connector/tickets?${query}`, { auth: admin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: { id: string; [k: string]: unknown }[]; nextCursor: string | null };
  };
  const namesOf = (items: { id: string }[]) =>
    items.map((i) => Object.keys(ids).find((k) => ids[k] === i.id) ?? 'foreign');

  it('searches by every filter, newest first, within the period', async () => {
    const all = await list(`${period}&limit=200`);
    expect(all.items).toHaveLength(14);
    expect(namesOf(all.items).slice(0, 4)).toEqual(['webhook', 'pending', 'failsAgain', 'failedOrder']);
    expect(all.items[0]).toMatchObject({
      direction: 'out',
      system: 'webhook',
      kind: 'carrier.label',
      status: 'failed',
      httpStatus: 500,
      reprocessable: false,
    });
    expect(all.items.find((i) => i.id === ids.pending)?.reprocessable).toBe(false);
    expect(all.items.find((i) => i.id === ids.failsAgain)?.reprocessable).toBe(true);

    expect(namesOf((await list(`${period}&status=failed&system=vtex`)).items)).toEqual([
      'failsAgain',
      'failedOrder',
      'hook10',
      'hook9',
    ]);
    expect(namesOf((await list(`${period}&kind=carrier.label`)).items)).toEqual(['webhook']);
    expect(namesOf((await list(`${period}&direction=out`)).items)).toEqual(['webhook']);
    expect(namesOf((await list(`${period}&moduleCode=102`)).items)).toEqual(['failedOrder']);
    expect(namesOf((await list(`${period}&orderId=${orderId}`)).items)).toEqual(['failedOrder']);
    expect(namesOf((await list(`${period}&reference=v-1001-01`)).items)).toEqual(['failedOrder']);
    expect(namesOf((await list('from=2025-03-09&to=2025-03-09')).items)).toEqual(['lateNight']);
    expect(namesOf((await list('from=2025-03-10T16:00&to=2025-03-10T17:00')).items)).toEqual(['failsAgain']);
    // The default period is the last 24 hours: none of these.
    expect((await list('system=vtex')).items.filter((i) => Object.values(ids).includes(i.id))).toEqual([]);
  });

  it('pages with a cursor without skipping or repeating a ticket', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`${period}&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(14);
    expect(new Set(seen).size).toBe(14);
  });

  it('refuses bad filters with 422 and is for network admins only', async () => {
    const bad = await Promise.all(
      [
        'status=lost',
        'direction=up',
        'from=2025-02-30',
        'to=yesterday',
        'from=2025-03-11&to=2025-03-10',
        'orderId=42',
        'moduleCode=x',
        'cursor=nope',
        'limit=0',
      ].map((q) => t.request('GET', `/api/v1/connector/tickets?${q}`, { auth: admin })),
    );
    expect(bad.map((r) => r.status)).toEqual([422, 422, 422, 422, 422, 422, 422, 422, 422]);
    expect(bad[2]!.body.errors[0]).toMatchObject({ path: '/from', code: 'REQUEST.INVALID_INSTANT' });
    const asStore = await t.request('GET', `/api/v1/connector/tickets?${period}`, { auth: storeManager });
    expect(asStore.status).toBe(403);
  });

  it('shows a ticket with its payload, personal data and credentials masked, and says it was cut', async () => {
    const res = await t.request('GET', `/api/v1/connector/tickets/${ids.failedOrder}`, { auth: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ids.failedOrder,
      status: 'failed',
      error: 'unmapped SKU',
      truncated: true,
    });
    const request = JSON.parse(res.body.request);
    expect(request).toEqual({
      orderId: 'v-1001-01',
      clientProfileData: { firstName: 'M***', email: 'm***@c***.com.br', document: '*********01' },
      appToken: '***',
    });
    expect(res.body.response).toHaveLength(64 * 1024);
    const other = await t.request('GET', `/api/v1/connector/tickets/${randomUUID()}`, { auth: admin });
    expect(other.status).toBe(404);
  });

  it('reports consumption per system × method × São Paulo day, with p95 latency and bytes, and as CSV', async () => {
    const res = await t.request('GET', '/api/v1/connector/consumption?from=2025-03-09&to=2025-03-11', {
      auth: admin,
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        day: '2025-03-09',
        system: 'nuvemshop',
        method: 'orders.hook',
        calls: 1,
        succeeded: 1,
        failed: 0,
        p95LatencyMs: 100,
        bytesIn: 0,
        bytesOut: 0,
      },
      {
        day: '2025-03-10',
        system: 'vtex',
        method: 'orders.hook',
        calls: 13,
        succeeded: 8,
        failed: 4,
        p95LatencyMs: 100,
        bytesIn: expect.any(Number),
        bytesOut: expect.any(Number),
      },
      {
        day: '2025-03-11',
        system: 'webhook',
        method: 'POST order.status_changed',
        calls: 1,
        succeeded: 0,
        failed: 1,
        p95LatencyMs: 300,
        bytesIn: 4,
        bytesOut: 13,
      },
    ]);
    // The ten hooks alone: latencies 10..100, p95 continuous = 95.5.
    const hooks = await t.request(
      'GET',
      '/api/v1/connector/consumption?from=2025-03-10T12:00&to=2025-03-10T12:01',
      { auth: admin },
    );
    expect(hooks.body.items).toEqual([
      expect.objectContaining({
        calls: 10,
        succeeded: 8,
        failed: 2,
        p95LatencyMs: 96,
        bytesIn: 70,
        bytesOut: 20,
      }),
    ]);

    const csv = await t.request('GET', '/api/v1/connector/consumption.csv?from=2025-03-11&to=2025-03-11', {
      auth: admin,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toContain('consumo-connector.csv');
    expect(csv.body).toBe(
      '\uFEFFday,system,method,calls,succeeded,failed,p95_latency_ms,bytes_in,bytes_out\r\n' +
        '2025-03-11,webhook,POST order.status_changed,1,0,1,300,4,13\r\n',
    );
    const bad = await t.request('GET', '/api/v1/connector/consumption.csv?from=soon', { auth: admin });
    expect(bad.status).toBe(422);
  });

  const reprocess = (body: unknown) =>
    t.request('POST', '/api/v1/connector/tickets/reprocess', { auth: admin, body });
  const finished = async (jobId: string) => {
    for (;;) {
      const job = await t.request('GET', `/api/v1/jobs/${jobId}`, { auth: admin });
      if (job.body.status === 'done' || job.body.status === 'failed') return job.body;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('reprocesses selected tickets in one audited job and reports each outcome', async () => {
    const res = await reprocess({ ids: [ids.failedOrder, ids.failsAgain], reason: 'SKU mapeado' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.count).toBe(2);
    const job = await finished(res.body.jobId);
    expect(job).toMatchObject({
      queue: 'connector.reprocess',
      status: 'done',
      progress: { done: 2, total: 2, percent: 100 },
      result: { done: 1, failed: [{ ticketId: ids.failsAgain, error: 'the platform still refuses it' }] },
    });
    expect(fake.ran).toEqual([
      { id: ids.failedOrder, reason: 'SKU mapeado' },
      { id: ids.failsAgain, reason: 'SKU mapeado' },
    ]);
    const [event] = await rows<{ action: string; target_id: string }>(
      t.database.db,
      sql`select action, target_id from audit_events where action = 'connector_ticket.reprocess_requested'`,
    );
    expect(event).toEqual({ action: 'connector_ticket.reprocess_requested', target_id: res.body.jobId });
  });

  it('selects by filter, never pending tickets, and refuses what it cannot do', async () => {
    fake.ran.length = 0;
    const byFilter = await reprocess({
      filter: { system: 'vtex', status: 'failed', from: '2025-03-10T12:00', to: '2025-03-10T12:01' },
      reason: 'falha na VTEX',
    });
    expect(byFilter.status, JSON.stringify(byFilter.body)).toBe(202);
    expect(byFilter.body.count).toBe(2);
    await finished(byFilter.body.jobId);
    expect(fake.ran.map((r) => r.id)).toEqual([ids.hook9, ids.hook10]);

    const refusals = await Promise.all([
      reprocess({ ids: [ids.pending], reason: 'pendente' }),
      reprocess({ filter: { system: 'nobody', from: '2025-03-10', to: '2025-03-10' }, reason: 'nada' }),
      reprocess({ ids: [ids.webhook, ids.hook1], reason: 'sem handler' }),
      reprocess({ ids: [ids.hook1], reason: 'x' }),
      reprocess({ reason: 'sem seleção' }),
      reprocess({ ids: [ids.hook1], filter: { system: 'vtex' }, reason: 'os dois' }),
      reprocess({ filter: { from: 'ontem' }, reason: 'período' }),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([422, 422, 422, 422, 422, 422, 422]);
    expect(refusals[0]!.body.code).toBe('CONNECTOR.NOTHING_TO_REPROCESS');
    expect(refusals[1]!.body.code).toBe('CONNECTOR.NOTHING_TO_REPROCESS');
    expect(refusals[2]!.body).toMatchObject({ code: 'CONNECTOR.NOT_REPROCESSABLE' });
    expect(refusals[2]!.body.detail).toContain('carrier.label');
    expect(refusals[6]!.body.errors[0]).toMatchObject({ path: '/filter/from' });
  });

  it('refuses more than 1,000 tickets at once', async () => {
    await t.database.db.execute(sql`
      insert into tickets (network_id, direction, system, method, kind, status, started_at)
      select ${networkId}, 'in', 'bulk', 'orders.hook', 'bulk.order', 'failed',
             timestamptz '2025-01-05 12:00:00-03' + make_interval(secs => n)
        from generate_series(1, 1001) as n`);
    const res = await reprocess({
      filter: { system: 'bulk', from: '2025-01-05', to: '2025-01-05' },
      reason: 'tudo',
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'CONNECTOR.TOO_MANY_TICKETS' });
  });

  it('refuses with 409 a ticket a queued or running job holds, then takes it once the job ends', async () => {
    fake.hold();
    const first = await reprocess({ ids: [ids.hook1, ids.hook2], reason: 'primeira vez' });
    expect(first.status).toBe(202);
    const again = await reprocess({ ids: [ids.hook2, ids.hook3], reason: 'de novo' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CONNECTOR.REPROCESS_IN_PROGRESS', jobId: first.body.jobId });
    expect(again.body.detail).toContain(first.body.jobId);
    fake.release();
    expect((await finished(first.body.jobId)).status).toBe('done');
    const after = await reprocess({ ids: [ids.hook2, ids.hook3], reason: 'de novo' });
    expect(after.status).toBe(202);
    await finished(after.body.jobId);

    // Queued (a worker has not claimed it yet) holds its tickets as much as running does.
    const [queued] = await rows<{ id: string }>(
      t.database.db,
      sql`insert into jobs (queue, payload, run_at)
          values ('connector.reprocess', ${JSON.stringify({ networkId, ticketIds: [ids.hook4], reason: 'x', requestedBy: 'y' })}::jsonb,
                  now() + interval '1 day')
          returning id`,
    );
    const waiting = await reprocess({ ids: [ids.hook4, ids.hook5], reason: 'enquanto espera' });
    expect(waiting.status).toBe(409);
    expect(waiting.body).toMatchObject({ jobId: queued!.id, ticketIds: [ids.hook4] });
  });
});
