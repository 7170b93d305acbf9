import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, createOrder, LOJA8, LOJA11, PLATFORM, POS11 } from '../../test/order-fixtures.ts';

/** An open event stream: its events as they arrive, and a way to hang up. */
async function openStream(baseUrl: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/orders/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  const events: { event: string; data: any }[] = [];
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // hung up
      }
    })();
  }
  const waitFor = async (pred: (e: { event: string; data: any }) => boolean) => {
    for (let i = 0; i < 200; i++) {
      if (events.some(pred)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no such event in ${JSON.stringify(events)}`);
  };
  return { res, events, waitFor, close: () => abort.abort() };
}

describe.each(databaseKinds())('live order events on the %s database', (kind) => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t?.close());

  it('streams each created or changed order to the users of its store, and to nobody else', async () => {
    const loja11 = await openStream(baseUrl, await t.token(LOJA11));
    const loja8 = await openStream(baseUrl, await t.token(LOJA8));
    const admin = await openStream(baseUrl, await t.token(ADMIN));
    try {
      expect(loja11.res.status).toBe(200);
      expect(loja11.res.headers.get('content-type')).toContain('text/event-stream');
      await loja11.waitFor((e) => e.event === 'ready');
      await loja8.waitFor((e) => e.event === 'ready');
      await admin.waitFor((e) => e.event === 'ready');

      const order = await createOrder(t);
      await loja11.waitFor(
        (e) => e.event === 'order' && e.data.orderId === order.id && e.data.status === 'open',
      );
      expect(loja11.events.at(-1)?.data).toEqual({ orderId: order.id, storeCode: '11', status: 'open' });
      await admin.waitFor((e) => e.event === 'order' && e.data.orderId === order.id);

      const accepted = await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 });
      expect(accepted.status).toBe(200);
      await loja11.waitFor((e) => e.event === 'order' && e.data.status === 'accepted');

      // A refused change commits nothing and announces nothing; store 8 never hears of store 11.
      const before = loja11.events.length;
      const refused = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
        auth: LOJA11,
        body: { to: 'delivered' },
      });
      expect(refused.status).toBe(409);
      await new Promise((r) => setTimeout(r, 200));
      expect(loja11.events.length).toBe(before);
      expect(loja8.events.filter((e) => e.event === 'order')).toEqual([]);
    } finally {
      for (const s of [loja11, loja8, admin]) s.close();
    }
  });

  it('is for back-office users only', async () => {
    for (const key of [PLATFORM, POS11]) {
      const s = await openStream(baseUrl, key);
      expect(s.res.status).toBe(403);
      s.close();
    }
    const anonymous = await fetch(`${baseUrl}/api/v1/orders/events`);
    expect(anonymous.status).toBe(401);
  });
});
