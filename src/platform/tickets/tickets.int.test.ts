/**
 * Every exchange across the border writes a connector ticket (issue 16 §3), and the kinds Omnihub can repeat
 * are reprocessed idempotently (§5): inbound platform orders, POS calls, outbound webhooks, carrier and
 * SEFAZ calls, each against the local servers that answer as the real ones do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorreiosServer, startCorreiosServer } from '../../../test/correios-server/index.ts';
import { databaseKinds, RECEIVER_HOSTS, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ADMIN, orderBody, PLATFORM, POS11 } from '../../../test/order-fixtures.ts';
import { type SefazTestServer, startSefazTestServer } from '../../../test/sefaz-server/index.ts';
import { WebhookReceiver, waitFor } from '../../../test/webhook-receiver.ts';
import { ticketReprocessHandlers } from '../../app.ts';
import { createCorreiosCarrier } from '../../delivery/carriers/index.ts';
import { createSefazClient, loadEndpointTable } from '../../fiscal/authorizer/index.ts';
import { store11Emitter } from '../../fiscal/fixtures.test-support.ts';
import { loadPkcs12 } from '../../fiscal/xml/index.ts';
import { rows, sql } from '../db/sql.ts';
import { type StoredTicket, ticketRecorder } from './service.ts';

interface TicketRow {
  id: string;
  network_id: string | null;
  direction: 'in' | 'out';
  system: string;
  method: string;
  kind: string;
  module_code: number | null;
  status: 'pending' | 'processed' | 'failed';
  attempts: number;
  order_id: string | null;
  client_id: string | null;
  reference: string | null;
  url: string | null;
  http_status: number | null;
  error: string | null;
  reprocess_of: string | null;
  reprocess_reason: string | null;
  request: string | null;
  response: string | null;
}

describe.each(databaseKinds())('connector tickets on the %s database', (kind) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let networkId: string;

  const ticketsWhere = async (where: ReturnType<typeof sql>) =>
    rows<TicketRow>(
      t.database.db,
      sql`select t.*, c.request, c.response from tickets t
            left join ticket_contents c on c.ticket_id = t.id
           where ${where} order by t.created_at, t.id`,
    );
  const stored = (r: TicketRow): StoredTicket => ({
    id: r.id,
    networkId: r.network_id,
    direction: r.direction,
    system: r.system,
    method: r.method,
    kind: r.kind,
    moduleCode: r.module_code,
    status: r.status,
    orderId: r.order_id,
    clientId: r.client_id,
    reference: r.reference,
    request: r.request,
  });

  beforeAll(async () => {
    t = await startTestApp(kind, {
      webhookAllowHosts: RECEIVER_HOSTS,
      // A carrier whose webhook signs with a header saying "ok": whose call it is decides its network.
      carrierWebhookFor: async (code) =>
        code === 'TESTE'
          ? [{ webhook: { verify: (h) => h['x-assinatura'] === 'ok', parse: () => [] }, networkId }]
          : [],
    });
    receiver = await WebhookReceiver.reserve();
    const [node] = await rows<{ network_id: string }>(
      t.database.db,
      sql`select network_id from nodes where code = '11'`,
    );
    networkId = node!.network_id;
  });
  afterAll(async () => {
    await receiver?.down();
    await t?.close();
  });

  it('a platform order is one order.ingest ticket with its body, its client and the order it made', async () => {
    const body = orderBody();
    const res = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(res.status).toBe(201);
    await t.app.inboundTickets.settled();
    const [ticket, ...more] = await ticketsWhere(
      sql`t.kind = 'order.ingest' and t.reference = ${body.externalId}`,
    );
    expect(more).toEqual([]);
    expect(ticket).toMatchObject({
      direction: 'in',
      system: 'platform-api',
      method: 'POST /api/v1/orders',
      status: 'processed',
      http_status: 201,
      order_id: res.body.id,
      network_id: networkId,
      error: null,
    });
    expect(ticket!.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(ticket!.request!)).toEqual(body);
    expect(JSON.parse(ticket!.response!).id).toBe(res.body.id);
  });

  it('a refused order is a failed ticket naming the problem', async () => {
    const body = { ...orderBody(), storeCode: 'NOPE' };
    const res = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(res.status).toBe(422);
    await t.app.inboundTickets.settled();
    const [ticket] = await ticketsWhere(sql`t.kind = 'order.ingest' and t.reference = ${body.externalId}`);
    expect(ticket).toMatchObject({ status: 'failed', http_status: 422, order_id: null });
    expect(ticket!.error).toMatch(/^ORDER\.INVALID: /);
  });

  it('a call without valid credentials files no ticket (no network to file it under)', async () => {
    const body = orderBody();
    const res = await t.request('POST', '/api/v1/orders', { auth: 'not-a-key', body });
    expect(res.status).toBe(401);
    await t.app.inboundTickets.settled();
    expect(await ticketsWhere(sql`t.reference = ${body.externalId}`)).toEqual([]);
  });

  it("a POS call is a pos.request ticket under the route's pattern", async () => {
    const res = await t.request('GET', '/api/v1/pos/orders?number=999999', { auth: POS11 });
    expect(res.status).toBe(404);
    await t.app.inboundTickets.settled();
    const [ticket] = await ticketsWhere(sql`t.kind = 'pos.request' and t.url like '%number=999999%'`);
    expect(ticket).toMatchObject({
      system: 'pos',
      method: 'GET /api/v1/pos/orders',
      status: 'failed',
      http_status: 404,
      network_id: networkId,
    });
    expect(ticket!.error).toMatch(/^POS\.ORDER_NOT_FOUND/);
  });

  it('a signed carrier event is a carrier.event ticket with the raw body; an unsigned one is not recorded', async () => {
    const post = (signature: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/carrier-events/TESTE',
        headers: { 'content-type': 'application/json', 'x-assinatura': signature },
        payload: `{"eventos":[],"assinatura":"${signature}"}`,
      });
    expect((await post('ok')).statusCode).toBe(200);
    expect((await post('forjada')).statusCode).toBe(401);
    await t.app.inboundTickets.settled();
    const found = await ticketsWhere(sql`t.kind = 'carrier.event'`);
    expect(found.map((r) => [r.system, r.method, r.status, r.network_id, r.request])).toEqual([
      [
        'TESTE',
        'POST /api/v1/carrier-events/{carrier}',
        'processed',
        networkId,
        '{"eventos":[],"assinatura":"ok"}',
      ],
    ]);
  });

  it('reprocessing an order.ingest ticket twice leaves one order, each run a ticket of its own', async () => {
    const body = orderBody();
    const res = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(res.status).toBe(201);
    await t.app.inboundTickets.settled();
    const [original] = await ticketsWhere(sql`t.kind = 'order.ingest' and t.reference = ${body.externalId}`);
    const reprocess = ticketReprocessHandlers(t.database)['order.ingest']!;
    const first = await reprocess(t.database.db, stored(original!), 'a plataforma pediu de novo');
    const second = await reprocess(t.database.db, stored(original!), 'e de novo');
    expect(first).toEqual({ ok: true, orderId: res.body.id });
    expect(second).toEqual({ ok: true, orderId: res.body.id });
    const [orders] = await rows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from orders where external_id = ${body.externalId}`,
    );
    expect(orders!.n).toBe(1);
    const reruns = await ticketsWhere(sql`t.reprocess_of = ${original!.id}`);
    expect(reruns.map((r) => [r.status, r.http_status, r.order_id, r.reprocess_reason])).toEqual([
      ['processed', 200, res.body.id, 'a plataforma pediu de novo'],
      ['processed', 200, res.body.id, 'e de novo'],
    ]);
  });

  it('a webhook attempt is a webhook.delivery ticket; reprocessing it queues the event once more', async () => {
    const clients = await t.request('GET', '/api/v1/api-clients', { auth: ADMIN });
    const platform = clients.body.items.find((c: { scope: string }) => c.scope === 'platform');
    const configured = await t.request('PUT', `/api/v1/api-clients/${platform.id}/webhook`, {
      auth: ADMIN,
      body: { url: receiver.url, secret: 'whsec-test-0123456789abcdef' },
    });
    expect(configured.status).toBe(200);
    await receiver.up(() => ({ status: 200, body: 'recebido' }));
    const order = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body: orderBody() });
    // The platform cancels it: a ticket of its own, and a status change for the webhook.
    const cancelled = await t.request('POST', `/api/v1/orders/${order.body.id}/cancel`, {
      auth: PLATFORM,
      body: { reason: 'cliente desistiu' },
    });
    expect(cancelled.status).toBe(200);
    await t.app.inboundTickets.settled();
    const [cancel] = await ticketsWhere(sql`t.kind = 'order.cancel' and t.order_id = ${order.body.id}`);
    expect(cancel).toMatchObject({ method: 'POST /api/v1/orders/{id}/cancel', status: 'processed' });
    const attempts = await waitFor(async () => {
      const found = await ticketsWhere(sql`t.kind = 'webhook.delivery' and t.order_id = ${order.body.id}`);
      return found.length > 0 && found;
    }, 'the webhook ticket');
    const [ticket] = attempts;
    expect(ticket).toMatchObject({
      direction: 'out',
      system: 'webhook',
      method: 'order.status_changed',
      order_id: order.body.id,
      status: 'processed',
      http_status: 200,
      attempts: 1,
      network_id: networkId,
      response: 'recebido',
      url: receiver.url,
    });
    const delivery = receiver.accepted().find((r) => r.deliveryId === ticket!.reference);
    expect(delivery?.json.orderId).toBe(order.body.id);
    expect(JSON.parse(ticket!.request!)).toEqual(delivery!.json);

    // With the worker stopped the copy stays pending: asking twice queues it once.
    await t.deliveries.stop();
    const reprocess = ticketReprocessHandlers(t.database)['webhook.delivery']!;
    expect(await reprocess(t.database.db, stored(ticket!), 'o parceiro perdeu')).toEqual({
      ok: true,
      orderId: order.body.id,
    });
    expect((await reprocess(t.database.db, stored(ticket!), 'de novo')).ok).toBe(true);
    const deliveries = await rows<{ seq: number; status: string; body: string }>(
      t.database.db,
      sql`select seq, status, body from webhook_deliveries where order_id = ${order.body.id} order by seq`,
    );
    expect(deliveries.map((d) => d.status)).toEqual(['delivered', 'pending']);
    expect(deliveries[1]!.body).toBe(deliveries[0]!.body);
    const reruns = await ticketsWhere(sql`t.reprocess_of = ${ticket!.id}`);
    expect(reruns).toHaveLength(2);
    expect(new Set(reruns.map((r) => r.reference)).size).toBe(1);
  });

  describe('carrier calls', () => {
    let correios: CorreiosServer;
    const credentials = { user: 'loja11', accessCode: 'codigo-secreto-de-acesso' };
    beforeAll(async () => {
      correios = await startCorreiosServer({
        ...credentials,
        postingCard: '0076770702',
        prices: { '03220': '25,50' },
        days: { '03220': 2 },
      });
    });
    afterAll(() => correios?.close());

    it('are carrier.call tickets with the bodies, never the credentials or the token', async () => {
      const carrier = createCorreiosCarrier(
        {
          baseUrl: correios.url,
          postingCard: '0076770702',
          contract: '9912345678',
          dr: 74,
          services: ['03220'],
        },
        credentials,
        { tickets: ticketRecorder(t.database.db), networkId },
      );
      const quotes = await carrier.quote({
        fromPostalCode: '01305000',
        toPostalCode: '80010000',
        parcels: [{ weightGrams: 800, heightCm: 10, widthCm: 20, lengthCm: 30 }],
        declaredValue: '129.90',
      });
      expect(quotes).toHaveLength(1);
      const found = await ticketsWhere(sql`t.kind = 'carrier.call' and t.url like ${`${correios.url}%`}`);
      expect(found.map((r) => [r.system, r.method, r.status, r.http_status])).toEqual([
        ['correios', 'POST /token/v1/autentica/cartaopostagem', 'processed', 201],
        ['correios', 'GET /preco/v1/nacional/03220', 'processed', 200],
        ['correios', 'GET /prazo/v1/nacional/03220', 'processed', 200],
      ]);
      expect(found.every((r) => r.network_id === networkId)).toBe(true);
      const token = found[0]!;
      expect(JSON.parse(token.request!)).toEqual({ numero: '0076770702' });
      expect(JSON.parse(token.response!).token).toBe('***');
      const everything = JSON.stringify(found);
      expect(everything).not.toContain(credentials.accessCode);
      expect(everything).not.toContain(
        Buffer.from(`${credentials.user}:${credentials.accessCode}`).toString('base64'),
      );
      expect(everything).not.toMatch(/Bearer|Basic /);
    });
  });

  describe('SEFAZ calls', () => {
    let sefaz: SefazTestServer;
    beforeAll(async () => {
      sefaz = await startSefazTestServer();
    });
    afterAll(() => sefaz?.close());

    it('are sefaz.call tickets with the envelope, the answer and the access key; a fault fails them', async () => {
      const opened = loadPkcs12(
        sefaz.issueClientCertificate({ legalName: 'LOJA 11', cnpj: store11Emitter.cnpj, password: 'a1' })
          .pkcs12,
        'a1',
      );
      if (!opened.ok) throw new Error(opened.failure.detail);
      const client = createSefazClient({
        certificate: opened.value,
        uf: 'SP',
        environment: '2',
        endpoints: loadEndpointTable({ OMNIHUB_SEFAZ_ENDPOINTS: sefaz.endpointsFile }),
        trustedCa: [sefaz.caPem],
        timeoutMs: 2000,
        tickets: ticketRecorder(t.database.db),
        networkId,
      });
      const status = await client.status(65);
      // cUF 35, AAMM, the store's CNPJ, model 65, series, number, tpEmis 1, cNF, cDV.
      const key = `352601${store11Emitter.cnpj}65001000000001112345678${'0'}`;
      await client.consult(key).catch(() => undefined);
      sefaz.behave('NFeStatusServico4', 'soap-fault');
      await expect(client.status(65)).rejects.toThrow();
      const found = await ticketsWhere(sql`t.kind = 'sefaz.call' and t.network_id = ${networkId}`);
      expect(found.map((r) => [r.system, r.method, r.status])).toEqual([
        ['sefaz-SP', 'NFeStatusServico4', 'processed'],
        ['sefaz-SP', 'NFeConsultaProtocolo4', 'processed'],
        ['sefaz-SP', 'NFeStatusServico4', 'failed'],
      ]);
      expect(found[0]!.request).toContain('<consStatServ');
      expect(found[0]!.response).toContain(`<cStat>${status.status}</cStat>`);
      expect(found[1]!.reference).toBe(key);
      expect(found[2]!.error).toMatch(/refused the envelope/);
    });
  });
});
