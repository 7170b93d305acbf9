import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { startDeliveryWorker, verifySignature } from '../src/integration/service.ts';
import { databaseKinds, deliveryTestOptions, RECEIVER_HOSTS, startTestApp, type TestApp } from './harness.ts';
import { confer, orderBody } from './order-fixtures.ts';
import { TEST_SECRET_KEY } from './secret-key.ts';
import { WebhookReceiver, waitFor } from './webhook-receiver.ts';

const SECRET = 'e2e-webhook-secret-0001';

/**
 * The acceptance scenario end to end, through the HTTP API: the platform's receiver is down, then answers
 * 500s, then 200; Omnihub restarts in the middle. Every status change arrives once, in order, signed.
 */
describe.each(databaseKinds())('order webhooks end to end on the %s database', (kind) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp(kind, { webhookAllowHosts: RECEIVER_HOSTS });
    receiver = await WebhookReceiver.reserve();
  });
  afterAll(async () => {
    await receiver?.down();
    await t?.close();
  });

  it('delivers every status change in order, signed, across downtime, errors and a restart', async () => {
    const clients = await t.request('GET', '/api/v1/api-clients', { auth: 'admin@demo.local' });
    const platform = clients.body.items.find((c: { scope: string }) => c.scope === 'platform');
    const configured = await t.request('PUT', `/api/v1/api-clients/${platform.id}/webhook`, {
      auth: 'admin@demo.local',
      body: { url: receiver.url, secret: SECRET },
    });
    expect(configured.status).toBe(200);

    const create = async () => {
      const res = await t.request('POST', '/api/v1/orders', {
        auth: 'demo-platform-key',
        body: orderBody({ lines: [['CAL-002', 1, '199.90']] }),
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const move = async (id: string, to: string, reason?: string) => {
      const res = await t.request('POST', `/api/v1/orders/${id}/transitions`, {
        auth: 'loja11@demo.local',
        body: { to, ...(reason ? { reason } : {}) },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const a = await create();
    const b = await create();
    await move(a, 'accepted');
    await move(b, 'accepted');
    await move(a, 'picking');
    await move(b, 'cancelled', 'cliente desistiu');

    // The receiver is down: attempts fail with no answer and are recorded.
    await waitFor(async () => {
      const list = await t.request('GET', `/api/v1/webhook-deliveries?orderId=${a}`, {
        auth: 'admin@demo.local',
      });
      return list.body.items.some((d: { attemptCount: number }) => d.attemptCount > 1);
    }, 'failed attempts while the receiver is down');

    // Restart: stop the HTTP app and both workers, then start fresh ones on the same database.
    await t.app.close();
    await Promise.all([t.worker.stop(), t.deliveries.stop()]);
    t.deliveries = startDeliveryWorker(t.database.db, deliveryTestOptions);
    t.app = await buildApp(t.database, {
      logger: false,
      wakeDeliveries: t.deliveries.wake,
      secretKey: TEST_SECRET_KEY,
    });
    // The scan conference (TP_CONF_ACEITE_PED = 0) offers it for pickup.
    await confer(t, a);

    await receiver.up((n) => ({ status: n < 4 ? 500 : 200 }));
    const expected = { [a]: ['accepted', 'picking', 'ready_for_pickup'], [b]: ['accepted', 'cancelled'] };
    await waitFor(async () => receiver.delivered().length >= 5, 'all five status changes accepted');
    await new Promise((r) => setTimeout(r, 200));

    const accepted = receiver.delivered();
    expect(accepted).toHaveLength(5);
    for (const [orderId, statuses] of Object.entries(expected)) {
      const events = accepted.filter((r) => r.json.orderId === orderId).map((r) => r.json);
      expect(events.map((e) => e.status)).toEqual(statuses);
      expect(events.map((e) => e.previousStatus)).toEqual(['open', ...statuses.slice(0, -1)]);
      for (const e of events)
        expect(e).toMatchObject({ event: 'order.status_changed', externalId: expect.any(String) });
    }
    for (const r of receiver.received) {
      expect(verifySignature(r.body, SECRET, r.signature)).toBe(true);
      expect(r.contentType).toContain('application/json');
    }
    expect(receiver.received.filter((r) => r.answered === 500)).toHaveLength(4);

    // Every attempt is on record: refused connections, the 500s, and the final 200.
    const deliveries = await t.request('GET', `/api/v1/orders/${a}/webhook-deliveries`, {
      auth: 'loja11@demo.local',
    });
    expect(deliveries.status).toBe(200);
    const first = deliveries.body.items[0];
    expect(first.status).toBe('delivered');
    const codes = first.attempts.map((x: { responseStatus: number | null }) => x.responseStatus);
    expect(codes.at(-1)).toBe(200);
    expect(codes).toContain(null);
    const tickets = await t.request('GET', '/api/v1/webhook-deliveries?limit=100', {
      auth: 'admin@demo.local',
    });
    expect(tickets.body.items.map((d: { status: string }) => d.status)).toEqual(Array(5).fill('delivered'));
  });
});
