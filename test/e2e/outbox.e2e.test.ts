import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelFor, defaultChannelFor } from '../../src/notifications/service.ts';
import { createOrder } from '../order-fixtures.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../smtp-server/index.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

const admin = 'admin@demo.local';
const loja11 = 'loja11@demo.local';

describe.skipIf(chromiumMissing)('back office: Caixa de saída', () => {
  let b: BrowserApp;
  let smtp: TestSmtpServer;
  let smtpConfigured = true;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    const live = defaultChannelFor({ smtpUrl: smtp.url });
    const off = defaultChannelFor({});
    const channelFor: ChannelFor = (network, channel) => (smtpConfigured ? live : off)(network, channel);
    b = await startBrowserApp({ notify: { channelFor, retryBaseMs: 20 } });
  });
  afterAll(async () => {
    await b?.close();
    await smtp?.close();
  });

  it('lists the messages with their status, filters them and shows the rendered e-mail', async () => {
    const order = await createOrder(b.t, { deliveryType: 'pickup' });
    expect((await b.t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: loja11 })).status).toBe(
      200,
    );
    await smtp.waitFor((m) => m.subject === `Seu pedido ${order.externalId} foi aceito`);

    const page = await b.signedIn(loja11);
    await page.getByRole('link', { name: 'Caixa de saída' }).click();
    await page.waitForURL('**/notifications');
    await page.getByRole('heading', { name: 'Caixa de saída' }).waitFor();
    expect(await page.getByTestId('email-off').count()).toBe(0);
    const accepted = page.locator('tr[data-channel="email"]').filter({ hasText: 'Pedido aceito' });
    await accepted.first().waitFor();
    await expect.poll(() => accepted.first().textContent(), POLL).toContain('maria@example.com');
    await expect.poll(() => accepted.first().textContent(), POLL).toContain('Enviada');

    // WhatsApp is not configured for the network: its messages are recorded as not sent, and say why.
    await page.getByLabel('Canal', { exact: true }).selectOption('whatsapp');
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await expect.poll(() => page.locator('tr[data-channel="email"]').count()).toBe(0);
    await expect
      .poll(() => page.locator('tr[data-channel="whatsapp"]').first().textContent(), POLL)
      .toContain('WhatsApp não configurado');
    await page.getByLabel('Canal', { exact: true }).selectOption('email');
    await page.getByLabel('Situação', { exact: true }).selectOption('sent');
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await expect.poll(() => page.locator('tr[data-channel="whatsapp"]').count()).toBe(0);

    await accepted.first().getByRole('button', { name: 'Ver' }).click();
    const preview = page.getByTestId('message-preview');
    await preview.waitFor();
    await expect
      .poll(() => preview.textContent(), POLL)
      .toContain(`Seu pedido ${order.externalId} foi aceito`);
    const frame = page.frameLocator('iframe.message-frame');
    await frame.getByRole('heading', { name: 'Pedido aceito' }).waitFor();
    await expect.poll(() => frame.locator('body').textContent(), POLL).toContain('Maria Silva');
    expect(await page.locator('iframe.message-frame').getAttribute('sandbox')).toBe('');
    await screenshot(page, 'outbox', { docs: true });
  });

  it('says when e-mail is not configured, and the order page lists its messages', async () => {
    smtpConfigured = false;
    try {
      const order = await createOrder(b.t);
      const page = await b.signedIn(admin);
      await page.goto('/notifications');
      await page.getByTestId('email-off').waitFor();
      await expect
        .poll(() => page.getByTestId('email-off').textContent(), POLL)
        .toContain('E-mail não configurado: mensagens registradas, não enviadas');
      await page.goto(`/orders/${order.id}`);
      const section = page.locator('table.order-notifications');
      await section.locator('tr[data-status="not_sent"]').first().waitFor();
      await expect.poll(() => section.textContent(), POLL).toContain('SMTP não configurado');
      await screenshot(page, 'order-notifications');
    } finally {
      smtpConfigured = true;
    }
  });
});
