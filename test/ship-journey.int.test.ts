import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Channel, type ChannelFor, defaultChannelFor } from '../src/notifications/service.ts';
import { whatsAppChannelFor } from '../src/notifications/whatsapp/index.ts';
import { barcodesOf } from './barcodes.ts';
import { databaseKinds, startTestApp, type TestApp } from './harness.ts';
import { type MelhorEnvioServer, startMelhorEnvioServer } from './melhor-envio-server/index.ts';
import { ADMIN, confer, LOJA11, orderBody, PLATFORM } from './order-fixtures.ts';
import { textOf } from './pdf.ts';
import { TEST_SECRET_KEY } from './secret-key.ts';
import { startTestSmtpServer, type TestSmtpServer } from './smtp-server/index.ts';
import { startWhatsAppServer, type WhatsAppServer } from './whatsapp-server/index.ts';

/**
 * Issue 15's journey, through the public API as a platform and a store would drive it: a ship order with an
 * address as VTEX sends it (no IBGE code) → accept → picking → conference → invoice (cMun resolved) → the
 * gateway (Melhor Envio, a local server answering as its API documents) sells the shipment and gives the
 * tracking code and its label → label PDF whose barcode reads back → the gateway's signed events →
 * in_transit → delivered, the platform's webhooks in order; the customer told by e-mail (a real SMTP server)
 * and WhatsApp (a local Cloud API) at each step, the store e-mailed the new order.
 */
describe.each(databaseKinds())('the ship order’s journey to the door on the %s database', (kind) => {
  let t: TestApp;
  let gateway: MelhorEnvioServer;
  let smtp: TestSmtpServer;
  let cloud: WhatsAppServer;
  const ME_TOKEN = 'me-token-journey';
  const ME_SECRET = 'me-app-secret-journey';

  beforeAll(async () => {
    gateway = await startMelhorEnvioServer({ token: ME_TOKEN, webhookSecret: ME_SECRET });
    smtp = await startTestSmtpServer();
    cloud = await startWhatsAppServer({
      templates: {
        pedido_aceito: { languages: ['pt_BR'], parameters: 3 },
        order_invoiced: { languages: ['pt_BR'], parameters: 3 },
        order_in_transit: { languages: ['pt_BR'], parameters: 3 },
        order_delivered: { languages: ['pt_BR'], parameters: 2 },
      },
    });
    const email = defaultChannelFor({ smtpUrl: smtp.url, mailFrom: 'Loja Demo <avisos@demo.local>' });
    let whatsapp: ((networkId: string) => Promise<Channel>) | undefined;
    // As main.ts composes them: e-mail through SMTP, WhatsApp through each network's Cloud API account.
    const channelFor: ChannelFor = (networkId, channel) => {
      if (channel === 'email') return email(networkId, channel);
      whatsapp ??= whatsAppChannelFor(t.database.db, TEST_SECRET_KEY, { timeoutMs: 2000 });
      return whatsapp(networkId);
    };
    t = await startTestApp(kind, {
      notify: { channelFor, publicUrl: 'https://omnihub.demo.local', retryBaseMs: 20 },
    });
    const account = await t.request('PUT', '/api/v1/nodes/DEMO/carrier-accounts/MELHORENVIO', {
      auth: ADMIN,
      body: {
        adapter: 'melhor_envio',
        settings: { baseUrl: gateway.url, contactEmail: 'ti@demo.local', services: ['2'] },
        credentials: { token: ME_TOKEN, webhookSecret: ME_SECRET },
      },
    });
    expect(account.status, JSON.stringify(account.body)).toBe(200);
    const wa = await t.request('PUT', '/api/v1/nodes/DEMO/whatsapp', {
      auth: ADMIN,
      body: {
        phoneNumberId: cloud.phoneNumberId,
        businessAccountId: '102290129340398',
        accessToken: cloud.accessToken,
        baseUrl: cloud.url,
        templates: { order_accepted: 'pedido_aceito' },
      },
    });
    expect(wa.status, JSON.stringify(wa.body)).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([gateway?.close(), smtp?.close(), cloud?.close()]);
  });

  async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const found = await read();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  const orderOf = async (id: string) =>
    (await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 })).body;

  it('goes from the platform to the customer’s door, told at every step', async () => {
    // VTEX sends street, number, complement, district, city, state, postal code and country; no IBGE code.
    const body = orderBody({ deliveryType: 'ship', carrier: 'MELHORENVIO', freight: '31.90' });
    body.customer = {
      ...body.customer,
      address: {
        street: 'Rua Augusta',
        number: '1200',
        complement: 'apto 52',
        district: 'Consolação',
        city: 'SAO PAULO',
        state: 'SP',
        postalCode: '01304001',
        country: 'BRA',
      },
    } as never;
    const created = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id: string = created.body.id;
    expect(created.body.customer.address.cityCode).toBe('3550308');
    const storeMail = await smtp.waitFor(
      (m) => m.to.includes('loja11@demo.local') && m.text.includes(body.externalId),
    );
    expect(storeMail.subject).toContain(String(created.body.number));

    expect((await t.request('POST', `/api/v1/orders/${id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const move = await t.request('POST', `/api/v1/orders/${id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(move.status).toBe(200);
    await confer(t, id);
    const invoiced = await t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    expect(invoiced.body.order.status).toBe('invoiced');
    const xml = await t.request('GET', `/api/v1/fiscal-documents/${invoiced.body.fiscalDocument.id}/xml`, {
      auth: LOJA11,
    });
    expect(xml.body).toMatch(/<dest>.*<xCpl>apto 52<\/xCpl>.*<cMun>3550308<\/cMun><xMun>São Paulo<\/xMun>/s);

    // The gateway sells the shipment after the NF-e: the tracking code and its label come back by themselves.
    const shipment = await until('the gateway’s tracking code and label', async () => {
      const s = (await orderOf(id)).shipment;
      return s?.trackingCode && s.carrierLabel ? s : undefined;
    });
    expect(shipment).toMatchObject({ carrier: 'MELHORENVIO', source: 'carrier' });
    const meOrder = [...gateway.orders.values()].find((o) => o.tracking === shipment.trackingCode)!;
    expect(meOrder.body).toBeDefined();
    expect(JSON.stringify(meOrder.body)).toContain(invoiced.body.fiscalDocument.accessKey);

    const label = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orders/${id}/label.pdf`,
      headers: { authorization: `Bearer ${await t.token(LOJA11)}` },
    });
    expect(label.statusCode).toBe(200);
    expect(label.headers['content-type']).toBe('application/pdf');
    expect(textOf(label.rawPayload)).toContain(shipment.trackingCode);
    const codes = await barcodesOf(label.rawPayload);
    expect(codes.map((c) => c.text)).toContain(shipment.trackingCode);

    // The gateway's signed events: posted → in transit, delivered → delivered; a repeat changes nothing.
    const push = async (event: string, secret?: string) => {
      const signed = gateway.signedWebhook(event, meOrder.id, secret);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/carrier-events/MELHORENVIO',
        headers: signed.headers,
        payload: signed.body,
      });
      return res.statusCode;
    };
    gateway.addEvent(meOrder.id, 'posted');
    expect(await push('order.posted')).toBe(200);
    expect((await orderOf(id)).status).toBe('in_transit');
    expect(await push('order.posted')).toBe(200);
    expect(await push('order.posted', 'not-the-secret')).toBe(401);
    gateway.addEvent(meOrder.id, 'delivered');
    expect(await push('order.delivered')).toBe(200);
    const done = await orderOf(id);
    expect(done.status).toBe('delivered');
    expect(done.trackingEvents.map((e: { status: string }) => e.status)).toEqual(['delivered', 'posted']);

    // The platform heard every step, in order.
    const deliveries = await t.request('GET', `/api/v1/orders/${id}/webhook-deliveries?limit=100`, {
      auth: PLATFORM,
    });
    const events = (deliveries.body.items as { seq: number; event: string; payload: { status?: string } }[])
      .sort((a, b) => a.seq - b.seq)
      .map((d) => (d.event === 'order.status_changed' ? d.payload.status : d.event));
    expect(events).toEqual([
      'accepted',
      'picking',
      'invoicing',
      'invoiced',
      'order.shipment_changed',
      'in_transit',
      'delivered',
    ]);

    // The customer: e-mails with the DANFE and the tracking links; WhatsApp templates through the Cloud API.
    const invoicedMail = await smtp.waitFor(
      (m) => m.to.includes('maria@example.com') && m.text.includes('/api/v1/public/danfe/'),
    );
    expect(invoicedMail.subject).toContain(body.externalId);
    const transitMail = await smtp.waitFor(
      (m) => m.to.includes('maria@example.com') && m.text.includes(shipment.trackingUrl),
    );
    expect(transitMail.text).toContain(shipment.trackingCode);
    await until('the WhatsApp template calls', async () =>
      cloud.calls.some(
        (c) => (c.body as { template?: { name?: string } } | null)?.template?.name === 'pedido_aceito',
      ) &&
      cloud.calls.some(
        (c) => (c.body as { template?: { name?: string } } | null)?.template?.name === 'order_delivered',
      )
        ? true
        : undefined,
    );
    const accepted = cloud.calls.find(
      (c) => (c.body as { template?: { name?: string } } | null)?.template?.name === 'pedido_aceito',
    )!;
    expect(accepted.body).toMatchObject({
      messaging_product: 'whatsapp',
      to: '5511999990000',
      type: 'template',
    });
    const expected = ['order_accepted', 'order_invoiced', 'order_in_transit', 'order_delivered'].flatMap(
      (template) => [`email:${template}`, `whatsapp:${template}`],
    );
    const sent = await until('every customer message sent', async () => {
      const res = await t.request('GET', `/api/v1/orders/${id}/notifications`, { auth: LOJA11 });
      const done = (res.body.items as { template: string; channel: string; status: string }[])
        .filter((n) => n.status === 'sent')
        .map((n) => `${n.channel}:${n.template}`);
      return expected.every((e) => done.includes(e)) ? done : undefined;
    });
    expect(sent).toContain('email:store_new_order');
  });
});
