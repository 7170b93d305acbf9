import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseKinds,
  deliveryTestOptions,
  RECEIVER_HOSTS,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
} from '../../test/harness.ts';
import { WebhookReceiver, waitFor } from '../../test/webhook-receiver.ts';
import { transaction } from '../platform/db/transaction.ts';
import { ok } from '../platform/errors.ts';
import { enqueueOrderStatusChange, listDeliveries, startDeliveryWorker } from './service.ts';

const admin = 'admin@demo.local';
const central = 'central.webhooks@demo.local';
const SECRET = 'demo-webhook-secret-WXYZ';

describe.each(databaseKinds())('webhook settings and tickets on the %s database', (kind) => {
  let t: TestApp;
  let demoClient: string;
  let posClient: string;
  let networkId: string;
  const hook = (id: string) => `/api/v1/api-clients/${id}/webhook`;

  beforeAll(async () => {
    t = await startTestApp(kind, { webhookAllowHosts: RECEIVER_HOSTS });
    // The endpoint does not exist: deliveries stay pending, so the tickets below keep a stable state.
    await t.deliveries.stop();
    const clients = (await t.request('GET', '/api/v1/api-clients', { auth: admin })).body.items;
    demoClient = clients.find((c: { name: string }) => c.name === 'E-commerce (demo)').id;
    posClient = clients.find((c: { scope: string }) => c.scope === 'pos').id;
    networkId = (await t.request('GET', '/api/v1/auth/me', { auth: admin })).body.nodeId;
    const res = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: {
        email: central,
        name: 'Central',
        password: TEST_PASSWORD,
        role: 'central_admin',
        nodeCode: 'SUL',
      },
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => t?.close());

  it('stores the webhook of a platform client and never shows its secret again', async () => {
    expect((await t.request('GET', hook(demoClient), { auth: admin })).body.code).toBe(
      'INTEGRATION.WEBHOOK_NOT_CONFIGURED',
    );
    const put = await t.request('PUT', hook(demoClient), {
      auth: admin,
      body: { url: 'https://shop.example.com/omnihub/events?x=1', secret: SECRET },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      clientId: demoClient,
      url: 'https://shop.example.com/omnihub/events?x=1',
      secretLast4: 'WXYZ',
      active: true,
    });
    const got = await t.request('GET', hook(demoClient), { auth: admin });
    expect(got.body).toEqual(put.body);
    expect(JSON.stringify(got.body)).not.toContain(SECRET.slice(0, 12));
    expect(got.body).not.toHaveProperty('secret');

    const paused = await t.request('PUT', hook(demoClient), {
      auth: admin,
      body: { url: 'http://127.0.0.1:9/hook', secret: `${SECRET}-2`, active: false },
    });
    expect(paused.body).toMatchObject({ url: 'http://127.0.0.1:9/hook', active: false, secretLast4: 'YZ-2' });

    // Without a secret the current one stays (changing the URL or pausing does not rotate the key).
    const kept = await t.request('PUT', hook(demoClient), {
      auth: admin,
      body: { url: 'http://127.0.0.1:9/other', active: true },
    });
    expect(kept.body).toMatchObject({ url: 'http://127.0.0.1:9/other', active: true, secretLast4: 'YZ-2' });

    expect((await t.request('DELETE', hook(demoClient), { auth: admin })).status).toBe(204);
    expect((await t.request('GET', hook(demoClient), { auth: admin })).status).toBe(404);
    expect((await t.request('DELETE', hook(demoClient), { auth: admin })).status).toBe(404);
  });

  it('refuses invalid settings with 422 and the field at fault', async () => {
    const cases: [object, string, string][] = [
      [{ url: 'ftp://shop.example.com/x', secret: SECRET }, '/url', 'INTEGRATION.INVALID_WEBHOOK'],
      [{ url: 'javascript:alert(1)', secret: SECRET }, '/url', 'INTEGRATION.INVALID_WEBHOOK'],
      [{ url: 'not a url', secret: SECRET }, '/url', 'INTEGRATION.INVALID_WEBHOOK'],
      [{ url: 'https://user:pw@shop.example.com/', secret: SECRET }, '/url', 'INTEGRATION.INVALID_WEBHOOK'],
      [
        { url: 'https://shop.example.com/', secret: ' padded-secret-value ' },
        '/secret',
        'INTEGRATION.INVALID_WEBHOOK',
      ],
      [{ url: 'https://shop.example.com/', secret: 'short' }, '/secret', 'REQUEST.INVALID'],
      // A new webhook needs its secret.
      [{ url: 'https://shop.example.com/' }, '/secret', 'INTEGRATION.INVALID_WEBHOOK'],
      [{ url: 'https://shop.example.com/', secret: SECRET, active: 'yes' }, '/active', 'REQUEST.INVALID'],
      [{ url: 'https://shop.example.com/', secret: SECRET, events: [] }, '/events', 'REQUEST.INVALID'],
      [{ url: `https://shop.example.com/${'a'.repeat(2000)}`, secret: SECRET }, '/url', 'REQUEST.INVALID'],
    ];
    for (const [body, path, code] of cases) {
      const res = await t.request('PUT', hook(demoClient), { auth: admin, body });
      expect(`${res.status} ${res.body.code}`, JSON.stringify(body)).toBe(`422 ${code}`);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const pos = await t.request('PUT', hook(posClient), {
      auth: admin,
      body: { url: 'https://pos.example.com/', secret: SECRET },
    });
    expect(`${pos.status} ${pos.body.code}`).toBe('422 INTEGRATION.NOT_A_PLATFORM_CLIENT');
    expect((await t.request('GET', hook(demoClient), { auth: admin })).status).toBe(404);
  });

  it('answers 404 for clients the admin does not manage', async () => {
    const body = { url: 'https://shop.example.com/', secret: SECRET };
    for (const [auth, id] of [
      [admin, randomUUID()],
      [central, demoClient],
    ] as const) {
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const res = await t.request(method, hook(id), { auth, ...(method === 'PUT' ? { body } : {}) });
        expect(`${method} ${res.status} ${res.body.code}`).toBe(`${method} 404 INTEGRATION.CLIENT_NOT_FOUND`);
      }
    }
    expect((await t.request('GET', '/api/v1/api-clients/not-a-uuid/webhook', { auth: admin })).status).toBe(
      422,
    );
  });

  it('shows tickets to the admins who manage the client and to the client itself, nobody else', async () => {
    const other = await t.request('POST', '/api/v1/api-clients', {
      auth: admin,
      body: { name: 'Marketplace', scope: 'platform', nodeCode: 'DEMO' },
    });
    expect(other.status).toBe(201);
    const orderId = randomUUID();
    const statuses = ['open', 'accepted', 'picking', 'invoiced', 'in_transit'];
    for (const [i, status] of statuses.entries()) {
      await transaction(t.database.db, async (tx) => {
        await enqueueOrderStatusChange(tx, {
          networkId,
          clientId: demoClient,
          orderId,
          externalId: 'EXT-VIS',
          status,
          previousStatus: statuses[i - 1] ?? null,
          at: new Date('2025-01-02T03:04:05.678Z'),
        });
        return ok(null);
      });
    }
    const url = `/api/v1/webhook-deliveries?orderId=${orderId}`;
    const byPlatform = await t.request('GET', url, { auth: 'demo-platform-key' });
    expect(byPlatform.status).toBe(200);
    expect(byPlatform.body.items.map((d: { seq: number }) => d.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(byPlatform.body.items[4]).toMatchObject({
      clientId: demoClient,
      orderId,
      event: 'order.status_changed',
      status: 'pending',
      attemptCount: 0,
      deliveredAt: null,
      payload: {
        event: 'order.status_changed',
        orderId,
        externalId: 'EXT-VIS',
        status: 'open',
        previousStatus: null,
        at: '2025-01-02T03:04:05.678Z',
      },
    });
    expect((await t.request('GET', url, { auth: admin })).body.items).toHaveLength(5);
    expect((await t.request('GET', `${url}&status=delivered`, { auth: admin })).body.items).toEqual([]);
    expect((await t.request('GET', url, { auth: central })).body.items).toEqual([]);
    expect((await t.request('GET', url, { auth: other.body.key })).body.items).toEqual([]);
    expect((await t.request('GET', url, { auth: 'loja11@demo.local' })).status).toBe(403);

    const id = byPlatform.body.items[0].id;
    const one = await t.request('GET', `/api/v1/webhook-deliveries/${id}`, { auth: 'demo-platform-key' });
    expect(one.body).toMatchObject({ id, seq: 5, attempts: [] });
    for (const auth of [central, other.body.key]) {
      const hidden = await t.request('GET', `/api/v1/webhook-deliveries/${id}`, { auth });
      expect(`${hidden.status} ${hidden.body.code}`).toBe('404 INTEGRATION.DELIVERY_NOT_FOUND');
    }
    expect(
      (await t.request('GET', `/api/v1/webhook-deliveries/${randomUUID()}`, { auth: admin })).status,
    ).toBe(404);
  });

  it('pages tickets without losing or repeating one, and refuses foreign cursors', async () => {
    const orderId = randomUUID();
    await transaction(t.database.db, async (tx) => {
      for (const status of ['open', 'accepted', 'picking', 'cancelled', 'open', 'accepted', 'picking']) {
        await enqueueOrderStatusChange(tx, {
          networkId,
          clientId: demoClient,
          orderId,
          externalId: 'EXT-PAGE',
          status,
          previousStatus: null,
          at: new Date(),
        });
      }
      return ok(null);
    });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.request(
        'GET',
        `/api/v1/webhook-deliveries?orderId=${orderId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { auth: admin },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((d: { seq: number }) => d.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);

    const first = await listDeliveries(t.database.db, { orderId, limit: 4 });
    expect(first.ok && first.value.items.map((d) => d.seq)).toEqual([1, 2, 3, 4]);
    const rest = await listDeliveries(t.database.db, {
      orderId,
      cursor: (first.ok && first.value.nextCursor) || undefined,
    });
    expect(rest.ok && rest.value).toMatchObject({ nextCursor: null });
    expect(rest.ok && rest.value.items.map((d) => d.seq)).toEqual([5, 6, 7]);

    const foreign = [['x'], [1], ['00000000-0000-4000-8000-00000000000g'], { a: 1 }].map((k) =>
      Buffer.from(JSON.stringify(k)).toString('base64url'),
    );
    for (const c of [...foreign, '%%%', 'abc']) {
      const res = await t.request('GET', `/api/v1/webhook-deliveries?cursor=${c}`, { auth: admin });
      expect(`${res.status} ${res.body.code}`, c).toBe('422 REQUEST.INVALID_CURSOR');
    }
    const byOrder = await listDeliveries(t.database.db, {
      orderId,
      cursor: Buffer.from(JSON.stringify(['7'])).toString('base64url'),
    });
    expect(byOrder.ok).toBe(false);
    for (const q of ['orderId=nope', 'status=failed', 'limit=0', 'limit=201']) {
      expect((await t.request('GET', `/api/v1/webhook-deliveries?${q}`, { auth: admin })).status, q).toBe(
        422,
      );
    }
  });

  it('records a timeout, a redirect and a 4xx as failed attempts, keeps only the start of an answer', async () => {
    const created = await t.request('POST', '/api/v1/api-clients', {
      auth: admin,
      body: { name: 'Slow shop', scope: 'platform', nodeCode: 'DEMO' },
    });
    const partner = await (await WebhookReceiver.reserve()).up(
      (n) =>
        [
          { status: 503, delayMs: 2500 },
          { status: 302 },
          { status: 410, body: 'x'.repeat(5000) },
          { status: 204 },
        ][Math.min(n, 3)]!,
    );
    const worker = startDeliveryWorker(t.database.db, { ...deliveryTestOptions, timeoutMs: 1000 });
    try {
      const put = await t.request('PUT', hook(created.body.id), {
        auth: admin,
        body: { url: partner.url, secret: SECRET },
      });
      expect(put.status).toBe(200);
      const orderId = randomUUID();
      await transaction(t.database.db, async (tx) => {
        await enqueueOrderStatusChange(tx, {
          networkId,
          clientId: created.body.id,
          orderId,
          externalId: 'EXT-SLOW',
          status: 'open',
          previousStatus: null,
          at: new Date(),
        });
        return ok(null);
      });
      worker.wake();
      const delivery = await waitFor(async () => {
        const page = await listDeliveries(t.database.db, { orderId, excerpts: true });
        const d = page.ok ? page.value.items[0] : undefined;
        return d?.status === 'delivered' ? d : undefined;
      }, 'the delivery');
      const [timedOut, redirected, gone, accepted] = delivery.attempts;
      expect(timedOut).toMatchObject({ responseStatus: null, error: 'timeout: no answer in time' });
      expect(timedOut!.latencyMs).toBeGreaterThanOrEqual(990);
      expect(redirected).toMatchObject({ responseStatus: 302, error: 'HTTP 302' });
      expect(gone).toMatchObject({
        responseStatus: 410,
        error: 'HTTP 410',
        responseExcerpt: 'x'.repeat(500),
      });
      expect(accepted).toMatchObject({ responseStatus: 204, error: null, responseExcerpt: null });
      expect(delivery.attempts).toHaveLength(4);
    } finally {
      await worker.stop();
      await partner.down();
    }
  });
});
