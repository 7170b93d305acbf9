import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ADMIN, CPF, confer, LOJA11, POS11 } from '../../../test/order-fixtures.ts';
import { move, restock } from '../../../test/pickup-fixtures.ts';
import { TEST_SECRET_KEY } from '../../../test/secret-key.ts';
import { startVtexServer, type VtexServer, vtexOrder } from '../../../test/vtex-server/index.ts';
import { ticketReprocessHandlers } from '../../app.ts';
import { rows, sql } from '../../platform/db/sql.ts';
import type { StoredTicket } from '../../platform/tickets/service.ts';

const APP_KEY = 'vtexappkey-lojademo-ABCDEF';
const APP_TOKEN = 'TOKEN-SECRETO-DA-VTEX-0123456789';
const HOOK_TOKEN = 'hook-token-da-loja-demo-0001';
const HOOK = '/api/v1/connectors/vtex/hook';

interface TicketRow {
  id: string;
  network_id: string | null;
  status: string;
  method: string;
  kind: string;
  reference: string | null;
  order_id: string | null;
  error: string | null;
  attempts: number;
  http_status: number | null;
  reprocess_of: string | null;
  request: string | null;
}

describe.each(databaseKinds())('VTEX connector on the %s database', (kind) => {
  let t: TestApp;
  let vtex: VtexServer;

  const hook = (orderId: string, state = 'ready-for-handling', token = HOOK_TOKEN) =>
    t.request('POST', HOOK, {
      headers: { 'x-omnihub-hook-token': token },
      body: {
        Domain: 'Fulfillment',
        OrderId: orderId,
        State: state,
        LastState: 'window-to-cancel',
        LastChange: new Date().toISOString(),
        CurrentChange: new Date().toISOString(),
        Origin: { Account: 'lojademo', Key: 'vtexappkey-lojademo' },
      },
    });

  const tickets = (where: ReturnType<typeof sql>) =>
    rows<TicketRow>(
      t.database.db,
      sql`select t.*, c.request from tickets t left join ticket_contents c on c.ticket_id = t.id
          where ${where} order by t.created_at`,
    );
  const ticket = async (id: string) => (await tickets(sql`t.id = ${id}`))[0]!;
  /** The hook's ticket once its job settled it. */
  const settled = (id: string) =>
    vi.waitFor(
      async () => {
        const found = await ticket(id);
        expect(found.status).not.toBe('pending');
        return found;
      },
      { timeout: 20_000, interval: 50 },
    );
  const ordersOf = (externalId: string) =>
    rows<{ id: string; status: string; client_id: string; store_code: string }>(
      t.database.db,
      sql`select o.id, o.status, o.client_id, n.code as store_code from orders o join nodes n on n.id = o.store_id
          where o.external_id = ${externalId}`,
    );

  beforeAll(async () => {
    t = await startTestApp(kind);
    vtex = await startVtexServer({ appKey: APP_KEY, appToken: APP_TOKEN });
    for (const sku of ['CAM-001', 'CAL-002']) {
      const res = await t.request('POST', '/api/v1/stock/adjustments', {
        auth: ADMIN,
        body: { storeCode: '11', sku, quantity: 100, reason: 'testes VTEX' },
      });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    await t?.close();
    await vtex?.close();
  });

  it('connects the network: validated, secrets never answered, kept on update', async () => {
    expect((await t.request('GET', '/api/v1/connectors/vtex', { auth: ADMIN })).status).toBe(404);
    const refused = await Promise.all([
      t.request('PUT', '/api/v1/connectors/vtex', {
        auth: ADMIN,
        body: {
          accountName: 'Loja Demo',
          defaultStoreCode: '11',
          appKey: 'k',
          appToken: 't',
          hookToken: HOOK_TOKEN,
        },
      }),
      t.request('PUT', '/api/v1/connectors/vtex', {
        auth: ADMIN,
        body: {
          accountName: 'lojademo',
          baseUrl: 'ftp://vtex.example',
          defaultStoreCode: '999',
          appKey: APP_KEY,
          appToken: APP_TOKEN,
          hookToken: HOOK_TOKEN,
        },
      }),
      t.request('PUT', '/api/v1/connectors/vtex', {
        auth: ADMIN,
        body: {
          accountName: 'lojademo',
          defaultStoreCode: '11',
          appKey: 'k',
          appToken: 't',
          hookToken: 'curto',
        },
      }),
      // The first time, the credentials are required.
      t.request('PUT', '/api/v1/connectors/vtex', {
        auth: ADMIN,
        body: { accountName: 'lojademo', defaultStoreCode: '11' },
      }),
    ]);
    expect(refused.map((r) => r.status)).toEqual([422, 422, 422, 422]);
    expect(refused[1]!.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/baseUrl',
      '/defaultStoreCode',
    ]);
    expect(refused[3]!.body.code).toBe('CONNECTOR.CONNECTION_INVALID');

    const put = await t.request('PUT', '/api/v1/connectors/vtex', {
      auth: ADMIN,
      body: {
        accountName: 'lojademo',
        defaultStoreCode: '11',
        appKey: APP_KEY,
        appToken: APP_TOKEN,
        hookToken: HOOK_TOKEN,
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({
      accountName: 'lojademo',
      baseUrl: 'https://lojademo.vtexcommercestable.com.br',
      appKeyLast4: 'CDEF',
      active: true,
      hookUrl: 'http://127.0.0.1:3000/api/v1/connectors/vtex/hook',
    });
    // Pointed at the local VTEX, without repeating the secrets: they are kept.
    const moved = await t.request('PUT', '/api/v1/connectors/vtex', {
      auth: ADMIN,
      body: { accountName: 'lojademo', defaultStoreCode: '11', baseUrl: vtex.url },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const got = await t.request('GET', '/api/v1/connectors/vtex', { auth: ADMIN });
    expect(got.body).toMatchObject({ baseUrl: vtex.url, appKeyLast4: 'CDEF' });
    const shown = JSON.stringify([put.body, moved.body, got.body]);
    for (const secret of [APP_KEY, APP_TOKEN, HOOK_TOKEN]) expect(shown).not.toContain(secret);
    expect((await t.request('GET', '/api/v1/connectors/vtex', { auth: LOJA11 })).status).toBe(403);
  });

  it('answers the ping, refuses a wrong token or a malformed body with a failed ticket each', async () => {
    const ping = await t.request('POST', HOOK, { body: { hookConfig: 'ping' } });
    expect(ping.status).toBe(200);

    const wrong = await hook('1400249999999-01', 'ready-for-handling', 'nao-e-o-token-certo-000');
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('CONNECTOR.HOOK_TOKEN_INVALID');
    const missing = await t.request('POST', HOOK, { body: { OrderId: '1400249999999-01', State: 'x' } });
    expect(missing.status).toBe(401);
    const refused = await tickets(sql`t.kind = 'vtex.order' and t.http_status = 401`);
    expect(refused).toHaveLength(2);
    expect(refused.every((r) => r.status === 'failed' && r.network_id === null)).toBe(true);
    expect(refused.map((r) => r.error)).toEqual(['token do hook inválido', 'sem X-Omnihub-Hook-Token']);

    const malformed = await t.request('POST', HOOK, {
      headers: { 'x-omnihub-hook-token': HOOK_TOKEN },
      body: '{"OrderId": "1400249999999-01", "State": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('CONNECTOR.HOOK_MALFORMED');
    const [bad] = await tickets(sql`t.kind = 'vtex.order' and t.http_status = 400`);
    expect(bad).toMatchObject({ status: 'failed', error: 'corpo do hook inválido: JSON inválido' });
    expect(bad!.network_id).not.toBeNull();
    expect(bad!.request).toBe('{"OrderId": "1400249999999-01", "State": ');

    // A state Omnihub does not act on is recorded, and nothing is fetched.
    const other = await hook('1400249999999-01', 'payment-pending');
    expect(other.status).toBe(200);
    expect((await ticket(other.body.ticketId)).status).toBe('processed');
    expect(vtex.callsTo('1400249999999-01', '')).toHaveLength(0);
  });

  it('brings a delivery order in from the hook and reports it back to VTEX up to its invoice', async () => {
    const order = vtexOrder();
    vtex.addOrder(order);
    const res = await hook(order.orderId);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const done = await settled(res.body.ticketId);
    expect(done, done.error ?? '').toMatchObject({ status: 'processed', reference: order.orderId });
    const [fetched] = vtex.callsTo(order.orderId, '', 'GET');
    expect(fetched!.headers['x-vtex-api-appkey']).toBe(APP_KEY);
    expect(fetched!.headers['x-vtex-api-apptoken']).toBe(APP_TOKEN);

    const id = done.order_id!;
    const view = await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 });
    expect(view.body).toMatchObject({
      externalId: order.orderId,
      storeCode: '11',
      deliveryType: 'ship',
      carrier: 'CORREIOS',
      total: '364.70',
      freight: '15.00',
      customer: { document: '52998224725', address: { district: 'Consolação', cityCode: '3550308' } },
    });
    const [row] = await ordersOf(order.orderId);
    const connection = await rows<{ client_id: string }>(
      t.database.db,
      sql`select client_id from connector_connections where platform = 'vtex'`,
    );
    expect(row!.client_id).toBe(connection[0]!.client_id);

    expect((await t.request('POST', `/api/v1/orders/${id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status, JSON.stringify(picking.body)).toBe(200);
    await confer(t, id);
    const invoiced = await t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    const nfe = (
      await t.request('GET', `/api/v1/fiscal-documents/${invoiced.body.fiscalDocument.id}`, { auth: LOJA11 })
    ).body;
    expect(nfe.status).toBe('authorised');

    const invoice = await vi.waitFor(
      () => {
        const [call] = vtex.callsTo(order.orderId, 'invoice', 'POST');
        expect(call).toBeDefined();
        return call!;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(vtex.callsTo(order.orderId, 'start-handling', 'POST')).toHaveLength(1);
    expect(invoice.headers['x-vtex-api-apptoken']).toBe(APP_TOKEN);
    expect(invoice.body).toMatchObject({
      type: 'Output',
      invoiceNumber: String(nfe.number),
      invoiceKey: nfe.accessKey,
      invoiceValue: 36470,
      items: [
        { id: '100', price: 7490, quantity: 2 },
        { id: '101', price: 19990, quantity: 1 },
      ],
    });
    expect(Date.parse(invoice.body.issuanceDate)).not.toBeNaN();
    // Every call back is a ticket of the order (written once VTEX answered).
    await vi.waitFor(
      async () => {
        const calls = await tickets(sql`t.kind = 'vtex.call' and t.order_id = ${id}`);
        expect(calls.map((c) => [c.method, c.status])).toEqual(
          expect.arrayContaining([
            ['POST /api/oms/pvt/orders/{orderId}/start-handling', 'processed'],
            ['POST /api/oms/pvt/orders/{orderId}/invoice', 'processed'],
          ]),
        );
      },
      { timeout: 20_000, interval: 50 },
    );

    // The tracking once the store ships it, then the delivery, on the invoice VTEX knows.
    const shipped = await t.request('PUT', `/api/v1/orders/${id}/shipment`, {
      auth: LOJA11,
      body: { carrier: 'CORREIOS', trackingCode: 'AB123456789BR' },
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    for (const to of ['in_transit', 'delivered']) {
      const moved = await t.request('POST', `/api/v1/orders/${id}/transitions`, {
        auth: LOJA11,
        body: { to },
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    }
    const delivered = await vi.waitFor(
      () => {
        const [call] = vtex.callsTo(order.orderId, `invoice/${nfe.number}/tracking`, 'PUT');
        expect(call).toBeDefined();
        return call!;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(delivered.body).toMatchObject({ isDelivered: true });
    const [tracking] = vtex.callsTo(order.orderId, `invoice/${nfe.number}`, 'PATCH');
    expect(tracking!.body).toMatchObject({ courier: 'CORREIOS', trackingNumber: 'AB123456789BR' });
  });

  it('lands a pickup order at the store its pickup point is mapped to', async () => {
    const mapped = await t.request('PUT', '/api/v1/connectors/vtex/mappings/store/loja-8', {
      auth: ADMIN,
      body: { internalCode: '8' },
    });
    expect(mapped.status).toBe(200);
    const order = vtexOrder({
      pickupPointId: '1_loja-8',
      payment: { group: 'instantPayment', paymentSystemName: 'Pix' },
    });
    vtex.addOrder(order);
    const done = await settled((await hook(order.orderId)).body.ticketId);
    expect(done.status, done.error ?? '').toBe('processed');
    const [row] = await ordersOf(order.orderId);
    expect(row).toMatchObject({ store_code: '8' });
  });

  it('tells VTEX of a pickup order invoiced at the counter with its NFC-e', async () => {
    const mapped = await t.request('PUT', '/api/v1/connectors/vtex/mappings/store/loja-11', {
      auth: ADMIN,
      body: { internalCode: '11' },
    });
    expect(mapped.status).toBe(200);
    await restock(t, [['CAL-002', 1]]);
    const order = vtexOrder({ items: [['CAL-002', 1, 19990]], pickupPointId: '1_loja-11' });
    vtex.addOrder(order);
    const done = await settled((await hook(order.orderId)).body.ticketId);
    expect(done.status, done.error ?? '').toBe('processed');
    const id = done.order_id!;
    expect((await t.request('POST', `/api/v1/orders/${id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await move(t, id, 'picking');
    const conference = await t.request('GET', `/api/v1/orders/${id}/conference`, { auth: LOJA11 });
    if (conference.body.required) await confer(t, id);
    else await move(t, id, 'ready_for_pickup');
    const { number } = (await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 })).body;
    const pos = (action: string, body?: unknown) =>
      t.request('POST', `/api/v1/pos/orders/${number}/${action}`, { auth: POS11, body });
    expect((await pos('rescue')).status).toBe(200);
    const finished = await pos('finish', { customerDocument: CPF });
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    expect(finished.body.fiscalDocument.status).toBe('authorised');

    const invoice = await vi.waitFor(
      () => {
        const [call] = vtex.callsTo(order.orderId, 'invoice', 'POST');
        expect(call).toBeDefined();
        return call!;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(invoice.body).toMatchObject({
      type: 'Output',
      invoiceKey: finished.body.fiscalDocument.accessKey,
      invoiceValue: 19990,
    });
  });

  it('holds an unmapped SKU as a failed ticket; mapped and reprocessed, it is exactly one order', async () => {
    const order = vtexOrder({ items: [['VTEX-REF-9', 1, 12990]] });
    vtex.addOrder(order);
    const failed = await settled((await hook(order.orderId)).body.ticketId);
    expect(failed).toMatchObject({ status: 'failed', error: 'SKU VTEX-REF-9 sem mapeamento e sem produto' });
    expect(await ordersOf(order.orderId)).toHaveLength(0);

    const handlers = ticketReprocessHandlers(t.database, { secretKey: TEST_SECRET_KEY, vtexTimeoutMs: 2000 });
    const stored: StoredTicket = {
      id: failed.id,
      networkId: failed.network_id,
      direction: 'in',
      system: 'vtex',
      method: failed.method,
      kind: failed.kind,
      moduleCode: null,
      clientId: null,
      status: 'failed',
      orderId: null,
      reference: failed.reference,
      request: failed.request,
    };
    const still = await handlers['vtex.order']!(t.database.db, stored, 'antes do mapeamento');
    expect(still).toEqual({ ok: false, error: 'SKU VTEX-REF-9 sem mapeamento e sem produto' });

    const put = await t.request('PUT', '/api/v1/connectors/vtex/mappings/sku/VTEX-REF-9', {
      auth: ADMIN,
      body: { internalCode: 'CAL-002' },
    });
    expect(put.status).toBe(200);
    const first = await handlers['vtex.order']!(t.database.db, stored, 'SKU mapeado');
    expect(first.ok, JSON.stringify(first)).toBe(true);
    const again = await handlers['vtex.order']!(t.database.db, stored, 'de novo');
    expect(again).toEqual(first);
    expect(await ordersOf(order.orderId)).toHaveLength(1);
    const reruns = await tickets(sql`t.reprocess_of = ${failed.id}`);
    expect(reruns.map((r) => r.status)).toEqual(['failed', 'processed', 'processed']);
  });

  it('waits VTEX out when it is down, then ingests', async () => {
    const order = vtexOrder();
    vtex.addOrder(order);
    vtex.failNext(2);
    const done = await settled((await hook(order.orderId)).body.ticketId);
    expect(done, done.error ?? '').toMatchObject({ status: 'processed', attempts: 3 });
    const gets = await tickets(sql`t.kind = 'vtex.call' and t.reference = ${order.orderId}`);
    expect(gets.map((g) => g.http_status)).toEqual([503, 503, 200]);
    expect(await ordersOf(order.orderId)).toHaveLength(1);
  });

  it('takes the same hook twice as one order', async () => {
    const order = vtexOrder();
    vtex.addOrder(order);
    const [a, b] = await Promise.all([hook(order.orderId), hook(order.orderId)]);
    const settledBoth = await Promise.all([settled(a.body.ticketId), settled(b.body.ticketId)]);
    expect(settledBoth.map((s) => s.status)).toEqual(['processed', 'processed']);
    expect(settledBoth[0]!.order_id).toBe(settledBoth[1]!.order_id);
    expect(await ordersOf(order.orderId)).toHaveLength(1);
  });

  it('cancels from VTEX before acceptance; after it, the ticket says the OMS decides', async () => {
    const early = vtexOrder();
    vtex.addOrder(early);
    await settled((await hook(early.orderId)).body.ticketId);
    const cancelled = await settled((await hook(early.orderId, 'canceled')).body.ticketId);
    expect(cancelled.status, cancelled.error ?? '').toBe('processed');
    expect((await ordersOf(early.orderId))[0]!.status).toBe('cancelled');

    const late = vtexOrder();
    vtex.addOrder(late);
    const brought = await settled((await hook(late.orderId)).body.ticketId);
    expect(
      (await t.request('POST', `/api/v1/orders/${brought.order_id}/accept`, { auth: LOJA11 })).status,
    ).toBe(200);
    const refused = await settled((await hook(late.orderId, 'cancel')).body.ticketId);
    expect(refused).toMatchObject({
      status: 'failed',
      error: 'pedido já aceito pela loja; cancelamento pelo OMS',
    });
    expect((await ordersOf(late.orderId))[0]!.status).toBe('accepted');
    // VTEX's own cancellation is not sent back to it.
    await vi.waitFor(() => expect(vtex.callsTo(late.orderId, 'start-handling', 'POST')).toHaveLength(1), {
      timeout: 20_000,
    });
    await vi.waitFor(
      async () => {
        const pending = await rows(
          t.database.db,
          sql`select 1 from webhook_deliveries where order_id = ${cancelled.order_id} and status = 'pending'`,
        );
        expect(pending).toHaveLength(0);
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(vtex.callsTo(early.orderId, 'cancel', 'POST')).toHaveLength(0);

    // Cancelled in Omnihub before acceptance: VTEX is told.
    const mine = vtexOrder();
    vtex.addOrder(mine);
    const mineTicket = await settled((await hook(mine.orderId)).body.ticketId);
    const byStore = await t.request('POST', `/api/v1/orders/${mineTicket.order_id}/transitions`, {
      auth: ADMIN,
      body: { to: 'cancelled', reason: 'Produto avariado' },
    });
    expect(byStore.status, JSON.stringify(byStore.body)).toBe(200);
    const told = await vi.waitFor(
      () => {
        const [call] = vtex.callsTo(mine.orderId, 'cancel', 'POST');
        expect(call).toBeDefined();
        return call!;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(told.body).toEqual({ reason: 'Produto avariado' });
  });
});
