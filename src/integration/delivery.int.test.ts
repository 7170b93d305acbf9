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
import { type Received, WebhookReceiver, waitFor } from '../../test/webhook-receiver.ts';
import { buildApp } from '../app.ts';
import type { Db } from '../platform/db/index.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok } from '../platform/errors.ts';
import {
  type DeliveryWithAttempts,
  enqueueOrderStatusChange,
  listDeliveries,
  startDeliveryWorker,
  verifySignature,
} from './service.ts';

const SECRET = 'whsec-test-0123456789abcdef';
const pickup = ['open', 'accepted', 'picking', 'ready_for_pickup', 'invoicing', 'invoiced', 'delivered'];
const ship = ['open', 'accepted', 'picking', 'invoicing', 'invoiced', 'in_transit', 'delivered'];
const cancelled = ['open', 'cancelled'];

type Chains = Record<string, string[]>;

/** Each status change in a transaction of its own, the orders of `chains` interleaved. */
async function changeStatuses(db: Db, ids: { clientId: string; networkId: string }, chains: Chains) {
  await Promise.all(
    Object.entries(chains).map(async ([orderId, statuses]) => {
      for (let i = 0; i < statuses.length; i++) {
        await transaction(db, async (tx) => {
          await enqueueOrderStatusChange(tx, {
            ...ids,
            orderId,
            externalId: `EXT-${orderId.slice(0, 8)}`,
            status: statuses[i]!,
            previousStatus: i === 0 ? null : statuses[i - 1]!,
            at: new Date(Date.now() + i),
          });
          return ok(null);
        });
        await new Promise((r) => setImmediate(r));
      }
    }),
  );
}

async function deliveriesOf(db: Db, orderId: string): Promise<DeliveryWithAttempts[]> {
  const page = await listDeliveries(db, { orderId, limit: 200, excerpts: true });
  if (!page.ok) throw new Error(page.failure.detail);
  return page.value.items;
}

async function allDelivered(db: Db, chains: Chains) {
  for (const orderId of Object.keys(chains)) {
    const ds = await deliveriesOf(db, orderId);
    if (ds.length !== chains[orderId]!.length || ds.some((d) => d.status !== 'delivered')) return false;
  }
  return true;
}

/** What the partner took in, per order, in arrival order. */
const statusesReceived = (received: Received[], orderId: string) =>
  received.filter((r) => r.json?.orderId === orderId).map((r) => r.json.status);

/** Exactly once, in order: each order's accepted events are its chain, and no delivery id was taken twice. */
function expectExactlyOnceInOrder(receiver: WebhookReceiver, chains: Chains) {
  const accepted = receiver.accepted();
  for (const [orderId, statuses] of Object.entries(chains)) {
    expect(statusesReceived(accepted, orderId), orderId).toEqual(statuses);
  }
  const ids = accepted.map((r) => r.deliveryId);
  expect(new Set(ids).size).toBe(ids.length);
}

/** One order's requests never overlap and never go back: the next starts after the previous was answered. */
function expectSequentialPerOrder(receiver: WebhookReceiver, chains: Chains) {
  for (const orderId of Object.keys(chains)) {
    const requests = receiver.received.filter((r) => r.json?.orderId === orderId);
    const positions = requests.map((r) => chains[orderId]!.indexOf(r.json.status));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (let i = 1; i < requests.length; i++) {
      expect(requests[i]!.startedAt).toBeGreaterThanOrEqual(requests[i - 1]!.endedAt);
    }
  }
}

const newOrders = (...statusLists: string[][]): Chains =>
  Object.fromEntries(statusLists.map((s) => [randomUUID(), s]));

describe.each(databaseKinds())('webhook delivery on the %s database', (kind) => {
  let t: TestApp;
  let networkId: string;
  const receivers: WebhookReceiver[] = [];

  async function platformClient(): Promise<string> {
    const res = await t.request('POST', '/api/v1/api-clients', {
      auth: 'admin@demo.local',
      body: { name: `E-commerce ${randomUUID().slice(0, 8)}`, scope: 'platform', nodeCode: 'DEMO' },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function setWebhook(clientId: string, receiver: WebhookReceiver, extra: object = {}) {
    const res = await t.request('PUT', `/api/v1/api-clients/${clientId}/webhook`, {
      auth: 'admin@demo.local',
      body: { url: receiver.url, secret: SECRET, ...extra },
    });
    expect(res.status).toBe(200);
  }

  async function receiver() {
    const r = await WebhookReceiver.reserve();
    receivers.push(r);
    return r;
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { webhookAllowHosts: RECEIVER_HOSTS });
    networkId = (await t.request('GET', '/api/v1/auth/me', { auth: 'admin@demo.local' })).body.nodeId;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all(receivers.map((r) => r.down()));
  });

  it('gets every status change through a receiver that is down, then answers 500, then 200: once, in order, signed, every attempt kept', async () => {
    const clients = (await t.request('GET', '/api/v1/api-clients', { auth: 'admin@demo.local' })).body.items;
    const clientId = clients.find((c: { name: string }) => c.name === 'E-commerce (demo)').id;
    const partner = await receiver();
    await setWebhook(clientId, partner);
    const chains = newOrders(pickup, ship, cancelled, pickup);
    await changeStatuses(t.database.db, { clientId, networkId }, chains);

    // Down: connections are refused and each refusal is an attempt on the first event of every order.
    const firsts = Object.keys(chains);
    await waitFor(async () => {
      for (const orderId of firsts) {
        const [first] = await deliveriesOf(t.database.db, orderId);
        if ((first?.attempts.length ?? 0) < 2) return false;
      }
      return true;
    }, 'refused attempts');
    await partner.up((n) => ({ status: n < 8 ? 500 : 200 }));
    await waitFor(() => allDelivered(t.database.db, chains), 'every delivery');

    expectExactlyOnceInOrder(partner, chains);
    expectSequentialPerOrder(partner, chains);
    for (const r of partner.received) {
      expect(verifySignature(r.body, SECRET, r.signature)).toBe(true);
      expect(verifySignature(r.body, 'another-secret-0123', r.signature)).toBe(false);
      expect(r.contentType).toBe('application/json');
      expect(r.event).toBe('order.status_changed');
      expect(Object.keys(r.json).sort()).toEqual(
        ['at', 'event', 'externalId', 'orderId', 'previousStatus', 'status'].sort(),
      );
    }

    let answered500 = 0;
    for (const [orderId, statuses] of Object.entries(chains)) {
      const ds = await deliveriesOf(t.database.db, orderId);
      expect(ds.map((d) => d.seq)).toEqual(statuses.map((_, i) => i + 1));
      expect(ds.map((d) => (d.payload as { status: string }).status)).toEqual(statuses);
      expect(ds[0]!.attempts[0]).toMatchObject({ attempt: 1, url: partner.url, responseStatus: null });
      expect(ds[0]!.attempts[0]!.error).toMatch(/ECONNREFUSED/);
      for (const d of ds) {
        expect(d.attempts.map((a) => a.attempt)).toEqual(d.attempts.map((_, i) => i + 1));
        expect(d.attemptCount).toBe(d.attempts.length);
        const last = d.attempts.at(-1)!;
        expect(last).toMatchObject({
          responseStatus: 200,
          error: null,
          responseExcerpt: 'receiver says 200',
        });
        expect(d.deliveredAt).not.toBeNull();
        for (const a of d.attempts.slice(0, -1)) {
          expect(a.responseStatus === null || a.responseStatus === 500).toBe(true);
          expect(a.error).toBeTruthy();
          expect(a.latencyMs).toBeGreaterThanOrEqual(0);
          if (a.responseStatus === 500) {
            answered500++;
            expect(a).toMatchObject({ error: 'HTTP 500', responseExcerpt: 'receiver says 500' });
          }
        }
      }
    }
    // Every request the partner saw is on record, and nothing on record was invented.
    expect(answered500).toBe(partner.received.filter((r) => r.answered === 500).length);
    expect(answered500).toBe(8);

    const one = (await deliveriesOf(t.database.db, firsts[0]!))[0]!;
    const viaApi = await t.request('GET', `/api/v1/webhook-deliveries/${one.id}`, {
      auth: 'demo-platform-key',
    });
    expect(viaApi.status).toBe(200);
    expect(viaApi.body).toMatchObject({ id: one.id, status: 'delivered', seq: 1 });
    expect(viaApi.body.attempts.length).toBe(one.attempts.length);
  });

  it('never sends an event whose transaction rolled back', async () => {
    const clientId = await platformClient();
    const partner = await receiver();
    await partner.up();
    await setWebhook(clientId, partner);
    const [kept, rolledBack, thrown] = [randomUUID(), randomUUID(), randomUUID()];
    const change = (orderId: string) => ({
      networkId,
      clientId,
      orderId,
      externalId: 'EXT-RB',
      status: 'open',
      previousStatus: null,
      at: new Date(),
    });
    const refused = await transaction(t.database.db, async (tx) => {
      await enqueueOrderStatusChange(tx, change(rolledBack));
      return fail('conflict', 'TEST.REFUSED', 'found out late');
    });
    expect(refused.ok).toBe(false);
    await expect(
      t.database.db.transaction(async (tx) => {
        await enqueueOrderStatusChange(tx, change(thrown));
        throw new Error('crash after the write');
      }),
    ).rejects.toThrow('crash after the write');
    await changeStatuses(t.database.db, { clientId, networkId }, { [kept]: ['open'] });
    await waitFor(() => allDelivered(t.database.db, { [kept]: ['open'] }), 'the committed event');

    expect(await deliveriesOf(t.database.db, rolledBack)).toEqual([]);
    expect(await deliveriesOf(t.database.db, thrown)).toEqual([]);
    expect(partner.received.map((r) => r.json.orderId)).toEqual([kept]);
  });

  it('keeps deliveries pending while the client has no active endpoint and sends them once it has', async () => {
    const clientId = await platformClient();
    const partner = await receiver();
    await partner.up();
    const chains = newOrders(ship, cancelled);
    await changeStatuses(t.database.db, { clientId, networkId }, chains);
    const idle = async () => {
      await new Promise((r) => setTimeout(r, 5 * deliveryTestOptions.pollMs));
      for (const orderId of Object.keys(chains)) {
        for (const d of await deliveriesOf(t.database.db, orderId)) {
          expect(d).toMatchObject({ status: 'pending', attemptCount: 0, attempts: [] });
        }
      }
      expect(partner.received).toEqual([]);
    };
    await idle();
    await setWebhook(clientId, partner, { active: false });
    await idle();

    await setWebhook(clientId, partner, { active: true });
    await waitFor(() => allDelivered(t.database.db, chains), 'deliveries after PUT');
    expectExactlyOnceInOrder(partner, chains);

    const removed = await t.request('DELETE', `/api/v1/api-clients/${clientId}/webhook`, {
      auth: 'admin@demo.local',
    });
    expect(removed.status).toBe(204);
    const later = newOrders(cancelled);
    await changeStatuses(t.database.db, { clientId, networkId }, later);
    await new Promise((r) => setTimeout(r, 5 * deliveryTestOptions.pollMs));
    expect((await deliveriesOf(t.database.db, Object.keys(later)[0]!))[0]).toMatchObject({
      status: 'pending',
      attemptCount: 0,
    });
  });

  it('retries a delivery whose worker died once its lease runs out', async () => {
    const clientId = await platformClient();
    const partner = await receiver();
    await partner.up();
    const orderId = randomUUID();
    await changeStatuses(t.database.db, { clientId, networkId }, { [orderId]: ['open'] });
    // What a claim by a process that then died leaves behind: one attempt taken, a lease, no outcome.
    const [lease] = await rows<{ locked_until: string | Date }>(
      t.database.db,
      sql`update webhook_deliveries set attempts = 1, locked_until = now() + interval '800 milliseconds'
           where order_id = ${orderId} returning locked_until`,
    );
    await setWebhook(clientId, partner);
    await waitFor(() => allDelivered(t.database.db, { [orderId]: ['open'] }), 'the re-claimed delivery');
    const [d] = await deliveriesOf(t.database.db, orderId);
    expect(d!.attempts.map((a) => [a.attempt, a.responseStatus])).toEqual([[2, 200]]);
    expect(Date.parse(d!.attempts[0]!.startedAt)).toBeGreaterThanOrEqual(
      new Date(lease!.locked_until).getTime(),
    );
    expect(partner.received).toHaveLength(1);
  });

  it('lets two workers share the outbox without sending a delivery twice or out of order', async () => {
    const clientId = await platformClient();
    const partner = await receiver();
    let flaky = 0;
    await partner.up(() => ({ status: ++flaky % 5 === 0 ? 503 : 200, delayMs: flaky % 3 }));
    await setWebhook(clientId, partner);
    const second = startDeliveryWorker(t.database.db, deliveryTestOptions);
    try {
      const chains = newOrders(pickup, ship, cancelled, pickup, ship, pickup, cancelled, ship);
      await changeStatuses(t.database.db, { clientId, networkId }, chains);
      await waitFor(() => allDelivered(t.database.db, chains), 'every delivery');
      expectExactlyOnceInOrder(partner, chains);
      expectSequentialPerOrder(partner, chains);
      expect(partner.received.some((r) => r.answered === 503)).toBe(true);
    } finally {
      await second.stop();
    }
  });
});

describe.each(databaseKinds())('webhook delivery across a restart on the %s database', (kind) => {
  let t: TestApp;
  let partner: WebhookReceiver;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    t = await startTestApp(kind, { webhookAllowHosts: RECEIVER_HOSTS });
    partner = await WebhookReceiver.reserve();
  });
  afterAll(async () => {
    for (const clean of cleanups) await clean();
    await t?.close();
    await partner?.down();
  });

  it('loses nothing when Omnihub stops in the middle and starts again on the same database', async () => {
    const networkId = (await t.request('GET', '/api/v1/auth/me', { auth: 'admin@demo.local' })).body.nodeId;
    const clients = (await t.request('GET', '/api/v1/api-clients', { auth: 'admin@demo.local' })).body.items;
    const clientId = clients.find((c: { name: string }) => c.name === 'E-commerce (demo)').id;
    const put = await t.request('PUT', `/api/v1/api-clients/${clientId}/webhook`, {
      auth: 'admin@demo.local',
      body: { url: partner.url, secret: SECRET },
    });
    expect(put.status).toBe(200);
    // Accepts a few events, then fails: the restart finds some delivered, some pending with attempts.
    await partner.up((n) => ({ status: n < 4 ? 200 : 500 }));
    const before = newOrders(pickup, ship, pickup);
    await changeStatuses(t.database.db, { clientId, networkId }, before);
    await waitFor(async () => partner.received.length >= 8, 'some attempts before the stop');

    await t.app.close();
    await t.deliveries.stop();
    const during = newOrders(cancelled);
    await changeStatuses(t.database.db, { clientId, networkId }, during);
    const inFlight = partner.received.length;
    await new Promise((r) => setTimeout(r, 5 * deliveryTestOptions.pollMs));
    expect(partner.received.length).toBe(inFlight);

    partner.answer = () => ({ status: 200 });
    const worker = startDeliveryWorker(t.database.db, deliveryTestOptions);
    const app = await buildApp(t.database, {
      logger: false,
      wakeDeliveries: worker.wake,
      secretKey: TEST_SECRET_KEY,
    });
    cleanups.push(
      () => app.close(),
      () => worker.stop(),
    );
    const chains = { ...before, ...during };
    await waitFor(() => allDelivered(t.database.db, chains), 'every delivery after the restart');
    expectExactlyOnceInOrder(partner, chains);
    expectSequentialPerOrder(partner, chains);
    const listed = await app.inject({
      method: 'GET',
      url: `/api/v1/webhook-deliveries?status=pending`,
      headers: { authorization: 'Bearer demo-platform-key' },
    });
    expect(listed.json().items).toEqual([]);
  });
});
