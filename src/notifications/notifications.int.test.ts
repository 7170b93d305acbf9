import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, confer, createOrder, LOJA8, LOJA11, PLATFORM } from '../../test/order-fixtures.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../../test/smtp-server/index.ts';
import { type ChannelFor, defaultChannelFor } from './service.ts';

const PUBLIC_URL = 'https://omnihub.example.com.br';

interface Message {
  id: string;
  channel: string;
  to: string;
  template: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

/** Issue 15 §7 through the API with a real SMTP server: who is told what, retries, the outbox, the texts. */
describe.each(databaseKinds())('notifications on the %s database', (kind) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  /** Switched off by the test of an installation without OMNIHUB_SMTP_URL. */
  let smtpConfigured = true;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    const live = defaultChannelFor({ smtpUrl: smtp.url, mailFrom: 'Loja Demo <avisos@demo.local>' });
    const off = defaultChannelFor({});
    const channelFor: ChannelFor = (network, channel) => (smtpConfigured ? live : off)(network, channel);
    t = await startTestApp(kind, { notify: { channelFor, publicUrl: PUBLIC_URL, retryBaseMs: 20 } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const messagesOf = async (orderId: string, auth = LOJA11): Promise<Message[]> => {
    const res = await t.request('GET', `/api/v1/orders/${orderId}/notifications`, { auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items;
  };
  /** Waits until the order's message of `template` by `channel` is settled (not queued or sending). */
  async function settled(orderId: string, template: string, channel = 'email'): Promise<Message> {
    for (let i = 0; i < 200; i++) {
      const found = (await messagesOf(orderId, ADMIN)).find(
        (m) => m.template === template && m.channel === channel,
      );
      if (found && found.status !== 'queued' && found.status !== 'sending') return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${template} of ${orderId} did not settle`);
  }
  const move = (id: string, to: string) =>
    t.request('POST', `/api/v1/orders/${id}/transitions`, { auth: LOJA11, body: { to } });

  it('e-mails the store a new order, and the customer its acceptance, with the right subjects and links', async () => {
    const order = await createOrder(t, { deliveryType: 'pickup' });
    const store = await smtp.waitFor(
      (m) => m.text.includes(order.externalId) && m.to.includes('loja11@demo.local'),
    );
    expect(store.subject).toMatch(new RegExp(`^Novo pedido ${order.number} para `));
    expect(store.from).toBe('avisos@demo.local');
    expect(store.text).toContain(`${PUBLIC_URL}/orders/${order.id}`);
    expect(store.html).toContain(`href="${PUBLIC_URL}/orders/${order.id}"`);
    expect(store.text).toContain('CAL-002');
    expect((await settled(order.id, 'store_new_order')).status).toBe('sent');

    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const accepted = await smtp.waitFor((m) => m.subject === `Seu pedido ${order.externalId} foi aceito`);
    expect(accepted.to).toEqual(['maria@example.com']);
    expect(accepted.text).toContain('Maria Silva');
    const mine = await settled(order.id, 'order_accepted');
    expect(mine).toMatchObject({ to: 'maria@example.com', status: 'sent', attempts: 1 });
    // DS_FORMA_NOTIFICA_CLIENTE lists whatsapp too: without the network's account it is recorded, not sent.
    expect(await settled(order.id, 'order_accepted', 'whatsapp')).toMatchObject({
      to: '5511999990000',
      status: 'not_sent',
      lastError: 'WhatsApp não configurado',
    });
  });

  it('tells the customer of the invoice (the DANFE opens without a login) and of the transit (tracking link)', async () => {
    const order = await createOrder(t, { deliveryType: 'ship', carrier: 'CORREIOS' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    expect((await move(order.id, 'picking')).status).toBe(200);
    await confer(t, order.id);
    const invoiced = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);

    const mail = await smtp.waitFor((m) => m.subject === `Seu pedido ${order.externalId} foi faturado`);
    const link = mail.text.match(/https:\/\/omnihub\.example\.com\.br(\/api\/v1\/public\/danfe\/[^\s]+)/);
    expect(link, mail.text).not.toBeNull();
    expect(mail.html).toContain(link![0]);
    const pdf = await t.request('GET', link![1]!);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(String(pdf.body).startsWith('%PDF')).toBe(true);
    const tampered = link![1]!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const refused = await t.request('GET', tampered);
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('FISCAL.LINK_INVALID');

    const shipment = await t.request('PUT', `/api/v1/orders/${order.id}/shipment`, {
      auth: PLATFORM,
      body: { carrier: 'CORREIOS', service: 'SEDEX', trackingCode: 'AB123456789BR' },
    });
    expect(shipment.status, JSON.stringify(shipment.body)).toBe(200);
    expect((await move(order.id, 'in_transit')).status).toBe(200);
    const transit = await smtp.waitFor((m) => m.subject === `Seu pedido ${order.externalId} está a caminho`);
    expect(transit.text).toContain('AB123456789BR');
    expect(transit.text).toContain(
      'https://rastreamento.correios.com.br/app/index.php?objetos=AB123456789BR',
    );
    expect(transit.html).toContain(
      'href="https://rastreamento.correios.com.br/app/index.php?objetos=AB123456789BR"',
    );

    const emails = (await messagesOf(order.id)).filter((m) => m.channel === 'email').map((m) => m.template);
    expect(emails).toEqual(['store_new_order', 'order_accepted', 'order_invoiced', 'order_in_transit']);
  });

  it('retries an SMTP that answers 451 and ends sent at the second attempt; a 550 is failed until Reenviar', async () => {
    smtp.refuseNext(1, 451);
    const order = await createOrder(t);
    const store = await settled(order.id, 'store_new_order');
    expect(store).toMatchObject({ status: 'sent', attempts: 2 });

    smtp.refuseNext(1, 550);
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const refused = await settled(order.id, 'order_accepted');
    expect(refused).toMatchObject({ status: 'failed', attempts: 1 });
    expect(refused.lastError).toContain('550');

    expect(
      (await t.request('POST', `/api/v1/notifications/${store.id}/retry`, { auth: LOJA11 })).status,
    ).toBe(409);
    const retried = await t.request('POST', `/api/v1/notifications/${refused.id}/retry`, { auth: LOJA11 });
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    expect(retried.body.status).toBe('queued');
    expect(await settled(order.id, 'order_accepted')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('records without sending when SMTP is not configured, and says so', async () => {
    smtpConfigured = false;
    try {
      const order = await createOrder(t);
      expect(await settled(order.id, 'store_new_order')).toMatchObject({
        status: 'not_sent',
        attempts: 0,
        lastError: 'SMTP não configurado',
      });
      const states = await t.request('GET', '/api/v1/notifications/channels', { auth: LOJA11 });
      expect(states.body.items).toEqual([
        { channel: 'email', live: false },
        { channel: 'whatsapp', live: false },
      ]);
    } finally {
      smtpConfigured = true;
    }
  });

  it('a store without an e-mail gets a not-sent message saying why; a split e-mails the support store', async () => {
    const split = await createOrder(t, { lines: [['CAM-001', 1, '89.90']] });
    const committed = await t.request('POST', `/api/v1/orders/${split.id}/split`, {
      auth: LOJA11,
      body: { allocations: [{ sku: 'CAM-001', storeCode: '8', quantity: 1 }] },
    });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    const request = await smtp.waitFor(
      (m) => m.to.includes('loja8@demo.local') && m.text.includes(String(split.number)),
    );
    expect(request.subject).toMatch(/^Solicitação de estoque do pedido \d+ para /);
    expect(request.text).toContain(`${PUBLIC_URL}/stock-requests`);
    expect(await settled(split.id, 'store_stock_request')).toMatchObject({
      to: 'loja8@demo.local',
      status: 'sent',
    });

    const node = await t.request('GET', '/api/v1/nodes/3', { auth: ADMIN });
    const cleared = await t.request('PATCH', '/api/v1/nodes/3', {
      auth: ADMIN,
      body: { email: null, version: node.body.version },
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    const order = await createOrder(t, { storeCode: '3', lines: [['CAM-001', 1, '89.90']] });
    expect(await settled(order.id, 'store_new_order')).toMatchObject({
      to: '',
      status: 'not_sent',
      lastError: 'A loja não tem e-mail cadastrado',
    });
  });

  it('shows an order’s messages only to whoever sees the order; the outbox is scoped and filtered', async () => {
    const order = await createOrder(t);
    const first = await settled(order.id, 'store_new_order');
    const hidden = await t.request('GET', `/api/v1/orders/${order.id}/notifications`, { auth: LOJA8 });
    expect(hidden.status).toBe(404);
    expect((await t.request('GET', `/api/v1/notifications/${first.id}`, { auth: LOJA8 })).status).toBe(404);
    expect(
      (await t.request('GET', `/api/v1/orders/${order.id}/notifications`, { auth: PLATFORM })).status,
    ).toBe(200);

    const detail = await t.request('GET', `/api/v1/notifications/${first.id}`, { auth: LOJA11 });
    expect(detail.status).toBe(200);
    expect(detail.body.html).toContain('<!doctype html>');
    expect(detail.body.text).toContain(order.externalId);

    const outbox = await t.request('GET', '/api/v1/notifications?status=sent&channel=email&limit=200', {
      auth: LOJA8,
    });
    expect(outbox.status).toBe(200);
    expect(outbox.body.items.length).toBeGreaterThan(0);
    for (const m of outbox.body.items)
      expect(m).toMatchObject({ storeCode: '8', status: 'sent', channel: 'email' });
    const all = await t.request('GET', '/api/v1/notifications?limit=2', { auth: ADMIN });
    expect(all.body.items).toHaveLength(2);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const next = await t.request('GET', `/api/v1/notifications?limit=2&cursor=${all.body.nextCursor}`, {
      auth: ADMIN,
    });
    expect(next.body.items[0].createdAt <= all.body.items[1].createdAt).toBe(true);
    expect((await t.request('GET', '/api/v1/notifications?from=ontem', { auth: ADMIN })).status).toBe(422);
  });

  it('lets only IN_ALT_MENSAGEM change the texts: 403 without it, 422 for a broken one, audited, restorable', async () => {
    const body = {
      subject: 'Pedido {{ externalId }} aceito pela {{ storeName }}',
      text: 'Oi {{ customerName }}!',
      html: '<p>Oi <b>{{ customerName }}</b>!</p>',
    };
    const denied = await t.request('PUT', '/api/v1/notification-templates/order_accepted', {
      auth: LOJA11,
      body,
    });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('NOTIFICATION.PERMISSION_REQUIRED');

    const broken = await t.request('PUT', '/api/v1/notification-templates/order_accepted', {
      auth: ADMIN,
      body: { ...body, html: '<p>\n{% if customerName %}sem fim</p>' },
    });
    expect(broken.status).toBe(422);
    expect(broken.body.code).toBe('NOTIFICATION.TEMPLATE_INVALID');
    expect(broken.body.errors[0].path).toBe('/html');
    expect(broken.body.errors[0].message).toMatch(/line:2/);

    const saved = await t.request('PUT', '/api/v1/notification-templates/order_accepted', {
      auth: ADMIN,
      body,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({
      code: 'order_accepted',
      customised: true,
      updatedBy: 'Administrador da Rede',
    });

    const order = await createOrder(t, { externalId: `EC-<b>${Date.now()}` });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const mail = await smtp.waitFor((m) => m.subject.startsWith(`Pedido ${order.externalId} aceito pela`));
    expect(mail.text).toBe('Oi Maria Silva!');
    expect(mail.html).toContain('<b>Maria Silva</b>');

    const audit = await t.request('GET', '/api/v1/audit-events?target=order_accepted', { auth: ADMIN });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain(
      'notification_template.changed',
    );

    const reset = await t.request('DELETE', '/api/v1/notification-templates/order_accepted', { auth: ADMIN });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({
      customised: false,
      subject: 'Seu pedido {{ externalId }} foi aceito',
    });

    const granted = await t.request('GET', '/api/v1/users?limit=200', { auth: ADMIN });
    const loja11 = granted.body.items.find((u: { email: string }) => u.email === LOJA11);
    expect(loja11.permissions).toEqual([]);
    const patch = await t.request('PATCH', `/api/v1/users/${loja11.id}`, {
      auth: ADMIN,
      body: { permissions: ['IN_ALT_MENSAGEM'] },
    });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    expect(patch.body.permissions).toEqual(['IN_ALT_MENSAGEM']);
  });

  it('prepares the manual WhatsApp message and records it as sent by hand', async () => {
    const order = await createOrder(t);
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const res = await t.request('POST', `/api/v1/orders/${order.id}/notify-customer`, {
      auth: LOJA11,
      body: {},
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ template: 'order_accepted', to: '5511999990000' });
    expect(res.body.link).toBe(`https://wa.me/5511999990000?text=${encodeURIComponent(res.body.text)}`);
    expect(res.body.text).toContain(order.externalId);
    const manual = (await messagesOf(order.id)).find((m) => m.status === 'sent' && m.channel === 'whatsapp');
    expect(manual).toMatchObject({ template: 'order_accepted', attempts: 1 });
    expect((manual as unknown as { providerId: string }).providerId).toBe('wa.me manual');

    const open = await createOrder(t);
    const nothing = await t.request('POST', `/api/v1/orders/${open.id}/notify-customer`, {
      auth: LOJA11,
      body: {},
    });
    expect(nothing.status).toBe(409);
    expect(nothing.body.code).toBe('ORDER.NOTHING_TO_NOTIFY');
  });
});
