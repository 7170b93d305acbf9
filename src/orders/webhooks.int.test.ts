import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, RECEIVER_HOSTS, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, createOrder, LOJA8, LOJA11, PLATFORM, POS11 } from '../../test/order-fixtures.ts';

describe.each(databaseKinds())('an order’s webhooks on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { webhookAllowHosts: RECEIVER_HOSTS });
  });
  afterAll(() => t?.close());

  it('queues one event per status change, in order, and re-sends the current status on demand', async () => {
    const order = await createOrder(t, { lines: [['CAM-002', 1, '59.90']] });
    for (const to of ['accepted', 'picking']) {
      const res = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
        auth: LOJA11,
        body: { to },
      });
      expect(res.status).toBe(200);
    }
    const path = `/api/v1/orders/${order.id}/webhook-deliveries`;
    const before = await t.request('GET', path, { auth: PLATFORM });
    expect(before.status).toBe(200);
    const history = (await t.request('GET', `/api/v1/orders/${order.id}`, { auth: ADMIN })).body.history;
    expect(before.body.items.map((d: any) => d.payload)).toEqual([
      {
        event: 'order.status_changed',
        orderId: order.id,
        externalId: order.externalId,
        status: 'accepted',
        previousStatus: 'open',
        at: history[1].at,
      },
      {
        event: 'order.status_changed',
        orderId: order.id,
        externalId: order.externalId,
        status: 'picking',
        previousStatus: 'accepted',
        at: history[2].at,
      },
    ]);

    const resent = await t.request('POST', `/api/v1/orders/${order.id}/status-resend`, { auth: LOJA11 });
    expect(resent.status).toBe(202);
    expect(resent.body).toEqual({
      orderId: order.id,
      externalId: order.externalId,
      status: 'picking',
      previousStatus: 'accepted',
      at: history[2].at,
    });
    const after = (await t.request('GET', path, { auth: ADMIN })).body.items;
    expect(after.map((d: any) => [d.seq, d.payload.status])).toEqual([
      [1, 'accepted'],
      [2, 'picking'],
      [3, 'picking'],
    ]);
    // Nothing about the order changed.
    expect((await t.request('GET', `/api/v1/orders/${order.id}`, { auth: ADMIN })).body.history).toHaveLength(
      3,
    );
  });

  it('shows an order’s tickets only to those who see the order', async () => {
    const order = await createOrder(t, { lines: [['CAM-002', 1, '59.90']] });
    expect(
      (await t.request('GET', `/api/v1/orders/${order.id}/webhook-deliveries`, { auth: LOJA8 })).status,
    ).toBe(404);
    expect(
      (await t.request('POST', `/api/v1/orders/${order.id}/status-resend`, { auth: LOJA8 })).status,
    ).toBe(404);
    expect(
      (await t.request('POST', `/api/v1/orders/${order.id}/status-resend`, { auth: POS11 })).status,
    ).toBe(403);
  });
});
