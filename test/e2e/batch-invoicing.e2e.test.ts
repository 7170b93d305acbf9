import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, confer, createOrder, LOJA11, orderBody, PLATFORM } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

const row = (page: Page, number: number) => page.locator(`table.queue-table tr[data-number="${number}"]`);

/** Issue 15 §6 in the back office: "Faturar selecionados" from the queue, and an order's Observações. */
describe.skipIf(chromiumMissing)('back office: batch invoicing and order notes', () => {
  let b: BrowserApp;
  const orders: { id: string; number: number }[] = [];

  beforeAll(async () => {
    b = await startBrowserApp();
    for (let i = 0; i < 2; i++) {
      const order = await createOrder(b.t, { deliveryType: 'ship', freight: '15.00' });
      expect((await b.t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(
        200,
      );
      await b.t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
        auth: LOJA11,
        body: { to: 'picking' },
      });
      await confer(b.t, order.id);
      orders.push(order);
    }
  }, 120_000);
  afterAll(() => b?.close());

  it('invoices two selected orders with a progress dialog and a result per order', async () => {
    const page = await b.signedIn(LOJA11);
    for (const o of orders) {
      await row(page, o.number).waitFor();
      await page.getByRole('checkbox', { name: `Selecionar o pedido Nº ${o.number}` }).check();
    }
    await page.getByRole('button', { name: 'Faturar 2 selecionados' }).click();
    const confirm = page.getByRole('dialog', { name: 'Faturar selecionados' });
    await confirm.getByText('para cada um dos 2 pedidos').waitFor();
    await confirm.getByRole('button', { name: 'Sim, faturar' }).click();

    const progress = page.getByRole('dialog', { name: 'Faturamento dos pedidos selecionados' });
    await progress.waitFor();
    await progress.getByText('2 de 2 processados').waitFor();
    const results = progress.locator('table.invoice-batch-results tbody tr');
    await expect.poll(() => results.count()).toBe(2);
    for (const o of orders) {
      const line = progress.locator(`tr[data-order="${o.id}"]`);
      await expect.poll(() => line.getByRole('link').textContent(), POLL).toContain(String(o.number));
      expect(['invoiced', 'pending']).toContain(await line.getAttribute('data-outcome'));
    }
    // SEFAZ answers after the batch: the table follows the orders until they are invoiced.
    for (const o of orders)
      await expect
        .poll(() => progress.locator(`tr[data-order="${o.id}"]`).getAttribute('data-outcome'))
        .toBe('invoiced');
    await progress.getByText('Faturados: 2 · Aguardando SEFAZ: 0 · Recusados: 0').waitFor();
    await screenshot(page, 'queue-invoice-batch');
    await progress.getByRole('button', { name: 'Fechar' }).click();
    await progress.waitFor({ state: 'hidden' });

    // The orders move on: SEFAZ's answers arrive after the batch.
    for (const o of orders)
      await expect
        .poll(async () => (await b.t.request('GET', `/api/v1/orders/${o.id}`, { auth: LOJA11 })).body.status)
        .toBe('invoiced');
  });

  it('flags an order whose city is not in the IBGE table, and keeps notes on the order page', async () => {
    const body = orderBody({ deliveryType: 'ship' });
    const { cityCode: _code, ...noCode } = address;
    body.customer = { ...body.customer, address: { ...noCode, city: 'Vila Que Não Existe' } } as never;
    const created = await b.t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(created.status).toBe(201);
    const order = created.body as { id: string; number: number };

    const page = await b.signedIn(LOJA11);
    await row(page, order.number).getByText('Endereço a corrigir').waitFor();
    expect(await row(page, order.number).locator('.address-issue').getAttribute('title')).toContain('IBGE');

    // "Só endereços a corrigir": the filter keeps the flagged order and drops the invoiced ones.
    await page.getByLabel('Só endereços a corrigir').check();
    await page.getByRole('button', { name: 'Pesquisar' }).click();
    await page.waitForURL(/endereco=corrigir/);
    await row(page, orders[0]!.number).waitFor({ state: 'detached' });
    await row(page, order.number).waitFor();
    await screenshot(page, 'queue-address-issue');

    await row(page, order.number).getByRole('link').first().click();
    const notes = page.getByRole('region', { name: 'Observações' });
    await notes.getByText('Nenhuma observação').waitFor();
    await notes.getByLabel('Nova observação').fill('  Cliente pediu para ligar antes da entrega  ');
    await notes.getByRole('button', { name: 'Adicionar observação' }).click();
    await notes.getByText('Observação adicionada.').waitFor();
    const list = notes.getByRole('list', { name: 'Observações' });
    await list.getByText('Cliente pediu para ligar antes da entrega').waitFor();
    expect(await list.locator('li').count()).toBe(1);
    await screenshot(page, 'order-notes');

    // Kept on the server: a reload shows it, with its author.
    await page.reload();
    await page
      .getByRole('region', { name: 'Observações' })
      .getByText('Cliente pediu para ligar antes da entrega')
      .waitFor();
  });
});
