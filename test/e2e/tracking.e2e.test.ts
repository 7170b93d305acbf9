import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confer, createOrder, LOJA11 } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

describe.skipIf(chromiumMissing)('back office: a ship order’s transport', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('the store types the tracking of its own fleet, then marks it in transit and delivered', async () => {
    const order = await createOrder(b.t, { deliveryType: 'ship', carrier: 'PROPRIA', freight: '15.00' });
    expect((await b.t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(
      200,
    );
    const picking = await b.t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);
    await confer(b.t, order.id);
    const invoiced = await b.t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.body.order?.status, JSON.stringify(invoiced.body)).toBe('invoiced');

    const page = await b.signedIn(LOJA11);
    await page.goto(`/orders/${order.id}`);
    const card = page.getByRole('region', { name: 'Transporte' });
    await card.getByText('Rastreio ainda não informado.').waitFor();
    await card.getByText('Nenhum evento de rastreio').waitFor();

    await card.getByRole('button', { name: 'Informar rastreio' }).click();
    const form = card.getByRole('form', { name: 'Informar rastreio' });
    await expect(form.getByLabel('Transportadora').inputValue()).resolves.toBe('PROPRIA');
    await form.getByLabel('Código de rastreio').fill('ENT-2026-0042');
    await form.getByLabel('Link de rastreio').fill('ftp://frota.local/42');
    await form.getByRole('button', { name: 'Salvar rastreio' }).click();
    await form.getByText('Informe um endereço http(s)', { exact: false }).waitFor();
    await form.getByLabel('Link de rastreio').fill('https://frota.example/rastreio/42');
    await form.getByRole('button', { name: 'Salvar rastreio' }).click();
    await page.getByText(`Rastreio do pedido ${order.number} salvo.`).waitFor();
    await card.getByText('ENT-2026-0042').waitFor();
    await expect(card.getByRole('link', { name: 'Acompanhar' }).getAttribute('href')).resolves.toBe(
      'https://frota.example/rastreio/42',
    );

    await page.getByRole('button', { name: 'Saiu para entrega' }).click();
    await page
      .getByRole('dialog', { name: 'Saída para entrega' })
      .getByRole('button', { name: 'Saiu para entrega' })
      .click();
    await page.getByText(`Pedido Nº ${order.number} em transporte.`).waitFor();
    await page.getByRole('button', { name: 'Confirmar entrega' }).click();
    await page
      .getByRole('dialog', { name: 'Confirmar entrega' })
      .getByRole('button', { name: 'Confirmar entrega' })
      .click();
    await page.getByText(`Entrega do pedido Nº ${order.number} confirmada.`).waitFor();
    // Delivered: the tracking is history, no longer corrected here.
    expect(await card.getByRole('button', { name: 'Corrigir rastreio' }).count()).toBe(0);
    const after = await b.t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(after.body.status).toBe('delivered');
    await screenshot(page, 'order-transport');
  });
});
