import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseKinds,
  deliveryTestOptions,
  RECEIVER_HOSTS,
  startTestApp,
  type TestApp,
} from '../../test/harness.ts';
import { TEST_SECRET_KEY } from '../../test/secret-key.ts';
import { WebhookReceiver, waitFor } from '../../test/webhook-receiver.ts';
import { buildApp } from '../app.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { ok } from '../platform/errors.ts';
import { backoffMs } from '../platform/jobs/service.ts';
import {
  createTargetPolicy,
  enqueueOrderStatusChange,
  listDeliveries,
  RETRY_CAP_MS,
  type Resolve,
  startDeliveryWorker,
  verifySignature,
} from './service.ts';

const SECRET = 'whsec-hardening-0123456789';
const ADMIN = 'admin@demo.local';

/**
 * Names the tests resolve without asking any DNS server: `public.example` is a public address (never
 * connected to), `intranet.example` a private one, `loopback.example` the receivers' 127.0.0.1.
 */
const stubResolve =
  (table: Record<string, string>): Resolve =>
  async (hostname) => {
    const address = table[hostname];
    if (!address) throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };

describe('webhook retry delays', () => {
  it('never wait more than a minute, however long the outage', () => {
    expect(RETRY_CAP_MS).toBeLessThanOrEqual(60_000);
    expect(backoffMs(40, () => 1, { baseMs: 1000, capMs: RETRY_CAP_MS })).toBe(RETRY_CAP_MS);
  });
});

describe.each(databaseKinds())('webhook hardening on the %s database', (kind) => {
  let t: TestApp;
  let networkId: string;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    t = await startTestApp(kind, { webhookAllowHosts: RECEIVER_HOSTS });
    // Each test runs the workers it needs: the harness's would send what the strict ones refuse.
    await t.deliveries.stop();
    networkId = (await t.request('GET', '/api/v1/auth/me', { auth: ADMIN })).body.nodeId;
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await t?.close();
  });

  async function platformClient(): Promise<string> {
    const res = await t.request('POST', '/api/v1/api-clients', {
      auth: ADMIN,
      body: { name: `Shop ${randomUUID().slice(0, 8)}`, scope: 'platform', nodeCode: 'DEMO' },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function statusChange(clientId: string, orderId = randomUUID()) {
    await transaction(t.database.db, async (tx) => {
      await enqueueOrderStatusChange(tx, {
        networkId,
        clientId,
        orderId,
        externalId: `EXT-${orderId.slice(0, 8)}`,
        status: 'open',
        previousStatus: null,
        at: new Date(),
      });
      return ok(null);
    });
    return orderId;
  }

  /** Their deliveries then wait, pending, and no later worker of this file tries them. */
  async function removeEndpoints(...clientIds: string[]) {
    for (const id of clientIds)
      await rows(t.database.db, sql`delete from webhook_endpoints where client_id = ${id}`);
  }

  /**
   * An app of its own on the test's database, with no allow-list, whose host names the test maps to
   * addresses itself: no DNS query leaves the process and no connection is made.
   */
  async function strictApp() {
    const app = await buildApp(t.database, {
      logger: false,
      secretKey: TEST_SECRET_KEY,
      webhookTargets: createTargetPolicy({
        resolve: stubResolve({ 'public.example': '93.184.216.34', 'intranet.example': '10.0.0.1' }),
      }),
    });
    cleanups.push(() => app.close());
    return app;
  }

  it('refuses webhook URLs that point at private, loopback, link-local or other special addresses', async () => {
    const app = await strictApp();
    const clientId = await platformClient();
    const token = await t.token(ADMIN);
    const set = (url: string) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/api-clients/${clientId}/webhook`,
        headers: { authorization: `Bearer ${token}` },
        payload: { url, secret: SECRET },
      });
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1/hook',
      'http://localhost:5432/',
      'http://[::1]/hook',
      'http://0.0.0.0/hook',
      'http://10.0.0.1/hook',
      'http://192.168.0.1/hook',
      'http://172.16.5.4/hook',
      'http://100.64.0.1/hook',
      'http://224.0.0.1/hook',
      'http://2130706433/hook',
      'http://0x7f.1/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:a9fe:a9fe]/hook',
      'http://[fe80::1]/hook',
      'http://[fd00::1]/hook',
      'http://[::]/hook',
      'http://intranet.example/hook',
    ]) {
      const res = await set(url);
      expect(`${url} → ${res.statusCode}`).toBe(`${url} → 422`);
      expect(res.json()).toMatchObject({
        code: 'INTEGRATION.WEBHOOK_TARGET_NOT_ALLOWED',
        errors: [{ path: '/url' }],
      });
    }
    const nothing = await app.inject({
      method: 'GET',
      url: `/api/v1/api-clients/${clientId}/webhook`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(nothing.statusCode).toBe(404);
    // A public name and a public address are fine (nothing is sent: the client has no events).
    expect((await set('https://public.example/hooks')).statusCode).toBe(200);
    expect((await set('https://93.184.216.34/hooks')).statusCode).toBe(200);
    await removeEndpoints(clientId);
  });

  it('refuses at connect time a name that resolves to a private address by then (DNS rebinding), without connecting', async () => {
    const receiver = await (await WebhookReceiver.reserve()).up();
    cleanups.push(() => receiver.down());
    // The name was public when the URL was set; the worker's resolver now answers the receiver's 127.0.0.1.
    const app = await strictApp();
    const clientId = await platformClient();
    const token = await t.token(ADMIN);
    const url = `http://public.example:${receiver.port}/hooks/omnihub`;
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/api-clients/${clientId}/webhook`,
      headers: { authorization: `Bearer ${token}` },
      payload: { url, secret: SECRET },
    });
    expect(res.statusCode).toBe(200);
    // An address literal stored before these checks existed is refused too.
    const literal = await platformClient();
    await rows(
      t.database.db,
      sql`insert into webhook_endpoints (client_id, url, secret)
          select ${literal}, ${`http://127.0.0.1:${receiver.port}/hooks/omnihub`}, secret
            from webhook_endpoints where client_id = ${clientId}`,
    );
    const worker = startDeliveryWorker(t.database.db, {
      ...deliveryTestOptions,
      targets: createTargetPolicy({ resolve: stubResolve({ 'public.example': '127.0.0.1' }) }),
    });
    cleanups.push(() => worker.stop());
    const orders = [await statusChange(clientId), await statusChange(literal)];
    for (const orderId of orders) {
      const attempt = await waitFor(async () => {
        const page = await listDeliveries(t.database.db, { orderId, excerpts: true });
        return page.ok ? page.value.items[0]?.attempts[0] : undefined;
      }, 'a refused attempt');
      expect(attempt).toMatchObject({ responseStatus: null, responseExcerpt: null });
      expect(attempt.error).toMatch(/^refused: .*127\.0\.0\.1.*special address/);
    }
    expect(receiver.received).toEqual([]);
    await worker.stop();
    await removeEndpoints(clientId, literal);
  });

  it("seals the secret at rest, signs with it, and shows the partner's answer to admins only", async () => {
    const receiver = await (await WebhookReceiver.reserve()).up(() => ({
      status: 200,
      body: 'internal: ok',
    }));
    cleanups.push(() => receiver.down());
    const create = await t.request('POST', '/api/v1/api-clients', {
      auth: ADMIN,
      body: { name: `Shop ${randomUUID().slice(0, 8)}`, scope: 'platform', nodeCode: 'DEMO' },
    });
    const clientId = create.body.id;
    const set = await t.request('PUT', `/api/v1/api-clients/${clientId}/webhook`, {
      auth: ADMIN,
      body: { url: receiver.url, secret: SECRET },
    });
    expect(set.status).toBe(200);
    expect(set.body.secretLast4).toBe(SECRET.slice(-4));
    const [stored] = await rows<{ secret: string }>(
      t.database.db,
      sql`select secret from webhook_endpoints where client_id = ${clientId}`,
    );
    expect(stored!.secret).not.toContain(SECRET);
    expect(stored!.secret).toMatch(/^v1\./);
    // Changing only the URL keeps the (sealed) secret.
    expect(
      (
        await t.request('PUT', `/api/v1/api-clients/${clientId}/webhook`, {
          auth: ADMIN,
          body: { url: receiver.url },
        })
      ).body.secretLast4,
    ).toBe(SECRET.slice(-4));

    const worker = startDeliveryWorker(t.database.db, deliveryTestOptions);
    cleanups.push(() => worker.stop());
    const orderId = await statusChange(clientId);
    const [received] = await waitFor(
      async () => receiver.accepted().length > 0 && receiver.accepted(),
      'the POST',
    );
    expect(verifySignature(received!.body, SECRET, received!.signature)).toBe(true);
    const deliveryId = received!.deliveryId;
    await waitFor(async () => {
      const page = await listDeliveries(t.database.db, { orderId });
      return page.ok && page.value.items[0]?.status === 'delivered';
    }, 'delivered');

    const byAdmin = await t.request('GET', `/api/v1/webhook-deliveries/${deliveryId}`, { auth: ADMIN });
    expect(byAdmin.body.attempts[0].responseExcerpt).toBe('internal: ok');
    const byClient = await t.request('GET', `/api/v1/webhook-deliveries/${deliveryId}`, {
      auth: create.body.key,
    });
    expect(byClient.status).toBe(200);
    expect(byClient.body.attempts[0]).toMatchObject({ responseStatus: 200, responseExcerpt: null });
    const ofOrder = await t.request('GET', `/api/v1/orders/${orderId}/webhook-deliveries`, {
      auth: create.body.key,
    });
    for (const d of ofOrder.body.items ?? []) {
      for (const a of d.attempts) expect(a.responseExcerpt).toBeNull();
    }
  });

  it("sends an endpoint's waiting deliveries at once when it answers 2xx again, not after their backoff", async () => {
    const receiver = await WebhookReceiver.reserve();
    cleanups.push(() => receiver.down());
    const clientId = await platformClient();
    const set = await t.request('PUT', `/api/v1/api-clients/${clientId}/webhook`, {
      auth: ADMIN,
      body: { url: receiver.url, secret: SECRET },
    });
    expect(set.status).toBe(200);
    // Delays of real life: the first retry after 20 to 40 s.
    const worker = startDeliveryWorker(t.database.db, {
      ...deliveryTestOptions,
      baseDelayMs: 40_000,
      maxDelayMs: 60_000,
    });
    cleanups.push(() => worker.stop());
    const stuck = await statusChange(clientId);
    await waitFor(async () => {
      const page = await listDeliveries(t.database.db, { orderId: stuck });
      return page.ok && (page.value.items[0]?.attempts.length ?? 0) >= 1;
    }, 'a failed attempt while the receiver is down');

    await receiver.up();
    const fresh = await statusChange(clientId);
    worker.wake();
    const deliveredBoth = await waitFor(
      async () => {
        const statuses = [];
        for (const orderId of [fresh, stuck]) {
          const page = await listDeliveries(t.database.db, { orderId });
          statuses.push(page.ok ? page.value.items[0]?.status : undefined);
        }
        return statuses.every((s) => s === 'delivered') && statuses;
      },
      'the waiting delivery sent right after the endpoint answered 2xx',
      8000,
    );
    expect(deliveredBoth).toEqual(['delivered', 'delivered']);
  });
});
