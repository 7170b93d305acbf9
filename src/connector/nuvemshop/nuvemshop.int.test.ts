import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import {
  type NuvemshopServer,
  nuvemshopOrder,
  startNuvemshopServer,
} from '../../../test/nuvemshop-server/index.ts';
import { ADMIN, confer, LOJA11 } from '../../../test/order-fixtures.ts';
import { TEST_SECRET_KEY } from '../../../test/secret-key.ts';
import { ticketReprocessHandlers } from '../../app.ts';
import { type StoredTicket, tickets } from '../../platform/tickets/service.ts';
import { NUVEMSHOP_ORDER_TICKET } from '../service.ts';

const STORE_ID = '987654';
const ACCESS_TOKEN = 'ns-access-token-0001';
const APP_SECRET = 'ns-app-secret-0001';
const CONNECTION = '/api/v1/connectors/nuvemshop';
const HOOK = '/api/v1/connectors/nuvemshop/hook';

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const found = await read();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(databaseKinds())('the Nuvemshop connector on the %s database', (kind) => {
  let t: TestApp;
  let ns: NuvemshopServer;
  let nextId = 5000;

  beforeAll(async () => {
    t = await startTestApp(kind);
    ns = await startNuvemshopServer({ storeId: STORE_ID, accessToken: ACCESS_TOKEN, appSecret: APP_SECRET });
  });
  afterAll(async () => {
    await t?.close();
    await ns?.close();
  });

  const ticketsOf = (reference: string) =>
    t.database.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.reference, reference), eq(tickets.kind, NUVEMSHOP_ORDER_TICKET)))
      .orderBy(tickets.createdAt);
  const settled = (reference: string) =>
    until(`the ticket of Nuvemshop order ${reference}`, async () => {
      const [first] = await ticketsOf(reference);
      return first && first.status !== 'pending' ? first : undefined;
    });
  const send = (body: string, signature?: string) =>
    t.app.inject({
      method: 'POST',
      url: HOOK,
      headers: {
        'content-type': 'application/json',
        ...(signature === undefined ? {} : { 'x-linkedstore-hmac-sha256': signature }),
      },
      payload: body,
    });
  const hook = (event: string, id: number) => {
    const signed = ns.hook(event, id);
    return send(signed.body, signed.signature);
  };
  const orderOf = async (id: string) =>
    (await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 })).body;

  it('saves the connection: field errors first, secrets never answered and kept when absent', async () => {
    const refused = await t.request('PUT', CONNECTION, {
      auth: ADMIN,
      body: { storeId: STORE_ID, defaultStoreCode: '999', baseUrl: 'ftp://x' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/baseUrl',
      '/defaultStoreCode',
    ]);
    const noSecrets = await t.request('PUT', CONNECTION, {
      auth: ADMIN,
      body: { storeId: STORE_ID, defaultStoreCode: '11' },
    });
    expect(noSecrets.status).toBe(422);
    expect(noSecrets.body.errors.map((e: { path: string }) => e.path)).toEqual([
      '/accessToken',
      '/appSecret',
    ]);
    expect((await t.request('GET', CONNECTION, { auth: ADMIN })).status).toBe(404);

    const saved = await t.request('PUT', CONNECTION, {
      auth: ADMIN,
      body: {
        storeId: STORE_ID,
        accessToken: ACCESS_TOKEN,
        appSecret: APP_SECRET,
        baseUrl: ns.url,
        defaultStoreCode: '11',
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({
      storeId: STORE_ID,
      baseUrl: ns.url,
      defaultStoreCode: '11',
      active: true,
      accessTokenLast4: '0001',
      appSecretStored: true,
      hookUrl: 'http://127.0.0.1:3000/api/v1/connectors/nuvemshop/hook',
    });
    expect(saved.body.userAgent).toMatch(/^Omnihub \(.+\)$/);
    expect(JSON.stringify(saved.body)).not.toContain(ACCESS_TOKEN);
    expect(JSON.stringify(saved.body)).not.toContain(APP_SECRET);

    const again = await t.request('PUT', CONNECTION, {
      auth: ADMIN,
      body: {
        storeId: STORE_ID,
        baseUrl: ns.url,
        defaultStoreCode: '11',
        userAgent: 'Omnihub (ti@demo.local)',
      },
    });
    expect(again.status).toBe(200);
    const shown = await t.request('GET', CONNECTION, { auth: ADMIN });
    expect(shown.body).toMatchObject({ accessTokenLast4: '0001', userAgent: 'Omnihub (ti@demo.local)' });
    expect((await t.request('GET', CONNECTION, { auth: LOJA11 })).status).toBe(403);
  });

  it('refuses what is not Nuvemshop signing for a connected store, recording why', async () => {
    const signed = ns.hook('order/paid', 1);
    const wrong = await send(signed.body, 'f'.repeat(64));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('NUVEMSHOP.SIGNATURE_INVALID');
    expect((await send(signed.body)).statusCode).toBe(401);
    const malformed = await send('{"store_id": 98', 'x');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('NUVEMSHOP.HOOK_MALFORMED');
    const unknown = await send(JSON.stringify({ store_id: 1, event: 'order/paid', id: 2 }), 'x');
    expect(unknown.statusCode).toBe(404);
    const failed = await t.database.db
      .select()
      .from(tickets)
      .where(and(eq(tickets.system, 'nuvemshop'), eq(tickets.status, 'failed')));
    expect(failed.map((f) => f.error)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('x-linkedstore-hmac-sha256'),
        'The body is not JSON.',
        'No network is connected to Nuvemshop store 1.',
      ]),
    );
    expect(failed.every((f) => f.direction === 'in')).toBe(true);
  });

  it('brings a paid order in, and tells Nuvemshop of its NF-e key and its tracking', async () => {
    const id = nextId++;
    ns.orders.set(String(id), nuvemshopOrder(id));
    const res = await hook('order/paid', id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'queued' });
    const ticket = await settled(String(id));
    expect(ticket.status, ticket.error ?? '').toBe('processed');
    const orderId = ticket.orderId!;
    const order = await orderOf(orderId);
    expect(order).toMatchObject({
      externalId: `NS-${id}`,
      status: 'open',
      deliveryType: 'ship',
      total: '214.90',
      customer: {
        document: '52998224725',
        address: { district: 'Consolação', state: 'SP', cityCode: '3550308' },
      },
    });
    const get = ns.requests.find((r) => r.path === `/${STORE_ID}/orders/${id}`)!;
    expect(get.headers.authentication).toBe(`bearer ${ACCESS_TOKEN}`);
    expect(get.headers['user-agent']).toBe('Omnihub (ti@demo.local)');

    // A repeat of the hook is the same order.
    await hook('order/created', id);
    await until('the repeat settled', async () => {
      const all = await ticketsOf(String(id));
      return all.length === 2 && all.every((x) => x.status === 'processed') ? all : undefined;
    });
    expect(new Set((await ticketsOf(String(id))).map((x) => x.orderId))).toEqual(new Set([orderId]));

    expect((await t.request('POST', `/api/v1/orders/${orderId}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${orderId}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);
    await confer(t, orderId);
    const invoiced = await t.request('POST', `/api/v1/orders/${orderId}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    expect(invoiced.body.order.status).toBe('invoiced');
    const metafield = await until('the NF-e key at Nuvemshop', async () => ns.metafields[0]);
    expect(metafield).toMatchObject({
      namespace: 'omnihub',
      key: 'nfe_key',
      value: invoiced.body.fiscalDocument.accessKey,
      owner_resource: 'Order',
      owner_id: id,
    });

    const shipment = await t.request('PUT', `/api/v1/orders/${orderId}/shipment`, {
      auth: LOJA11,
      body: {
        carrier: 'CORREIOS',
        trackingCode: 'AB123456785BR',
        trackingUrl: 'https://rastreio.example/AB123456785BR',
      },
    });
    expect(shipment.status, JSON.stringify(shipment.body)).toBe(200);
    const fulfilled = await until('the fulfilment at Nuvemshop', async () => ns.fulfilments[0]);
    expect(fulfilled).toEqual({
      orderId: String(id),
      body: {
        shipping_tracking_number: 'AB123456785BR',
        shipping_tracking_url: 'https://rastreio.example/AB123456785BR',
        notify_customer: true,
      },
    });
    // Each call is a ticket of its own, written once Nuvemshop answered.
    const calls = await until('the calls recorded', async () => {
      const found = await t.database.db
        .select()
        .from(tickets)
        .where(and(eq(tickets.kind, 'nuvemshop.call'), eq(tickets.orderId, orderId)));
      return found.length === 2 ? found : undefined;
    });
    expect(calls.map((c) => c.method).sort()).toEqual(['POST /metafields', 'POST /orders/{id}/fulfill']);
  });

  it('holds an order whose SKU is not mapped, and brings it in once mapped and reprocessed, once', async () => {
    const id = nextId++;
    ns.orders.set(
      String(id),
      nuvemshopOrder(id, {
        products: [{ sku: 'NS-CAMISA-P', price: '59.90', quantity: 1, name: 'Camisa P' }],
        subtotal: '59.90',
        total: '74.90',
      }),
    );
    expect((await hook('order/paid', id)).statusCode).toBe(200);
    const held = await settled(String(id));
    expect(held.status).toBe('failed');
    expect(held.error).toContain('NS-CAMISA-P');
    expect(held.orderId).toBeNull();

    const mapped = await t.request('PUT', '/api/v1/connectors/nuvemshop/mappings/sku/NS-CAMISA-P', {
      auth: ADMIN,
      body: { internalCode: 'CAM-001' },
    });
    expect(mapped.status).toBe(200);
    const reprocess = ticketReprocessHandlers(t.database, { secretKey: TEST_SECRET_KEY })[
      NUVEMSHOP_ORDER_TICKET
    ]!;
    const stored = held as unknown as StoredTicket;
    const first = await reprocess(t.database.db, stored, 'SKU mapeado');
    expect(first).toMatchObject({ ok: true });
    const second = await reprocess(t.database.db, stored, 'de novo');
    expect(second).toEqual(first);
    const order = await orderOf((first as { orderId: string }).orderId);
    expect(order.items).toMatchObject([{ sku: 'CAM-001', quantity: 1, unitPrice: '59.90' }]);
    const all = await ticketsOf(String(id));
    expect(all.filter((x) => x.reprocessOf === held.id).map((x) => x.status)).toEqual([
      'processed',
      'processed',
    ]);
  });

  it('retries with backoff while Nuvemshop is down', async () => {
    const id = nextId++;
    ns.orders.set(String(id), nuvemshopOrder(id));
    ns.failNext(2);
    expect((await hook('order/paid', id)).statusCode).toBe(200);
    const ticket = await settled(String(id));
    expect(ticket).toMatchObject({ status: 'processed', attempts: 3 });
    const gets = ns.requests.filter((r) => r.path === `/${STORE_ID}/orders/${id}`);
    expect(gets).toHaveLength(3);
  });

  it('cancels an open order cancelled at Nuvemshop, without telling Nuvemshop back', async () => {
    const id = nextId++;
    ns.orders.set(String(id), nuvemshopOrder(id));
    await hook('order/paid', id);
    const ticket = await settled(String(id));
    const res = await hook('order/cancelled', id);
    expect(res.statusCode).toBe(200);
    expect(res.json().outcome).toBe('cancelled');
    expect((await orderOf(ticket.orderId!)).status).toBe('cancelled');
    const deliveries = await until('the cancellation handed to the sender', async () => {
      const d = await t.request('GET', `/api/v1/orders/${ticket.orderId}/webhook-deliveries`, {
        auth: ADMIN,
      });
      const items = d.body.items as { status: string; payload: { status?: string } }[];
      return items.some((i) => i.payload.status === 'cancelled' && i.status === 'delivered')
        ? items
        : undefined;
    });
    expect(deliveries.length).toBeGreaterThan(0);
    expect(ns.cancellations).toEqual([]);
  });

  it('tells Nuvemshop of a cancellation made in Omnihub', async () => {
    const id = nextId++;
    ns.orders.set(String(id), nuvemshopOrder(id));
    await hook('order/paid', id);
    const ticket = await settled(String(id));
    const cancelled = await t.request('POST', `/api/v1/orders/${ticket.orderId}/transitions`, {
      auth: LOJA11,
      body: { to: 'cancelled', reason: 'Cliente desistiu' },
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const sent = await until('the cancellation at Nuvemshop', async () =>
      ns.cancellations.find((c) => c.orderId === String(id)),
    );
    expect(sent).toBeDefined();
  });
});
