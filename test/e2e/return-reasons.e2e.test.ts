import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confer, createOrder, LOJA11, POS11 } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

describe.skipIf(chromiumMissing)('back office: Motivos de devolução', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('lists the demo reasons, registers one with its validity, and deactivates it — which the POS then is not offered', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.getByRole('link', { name: 'Motivos de devolução' }).click();
    await page.waitForURL('**/return-reasons');
    await page.getByRole('heading', { name: 'Motivos de devolução', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'Produto com defeito' }).waitFor();
    await screenshot(page, 'return-reasons', { docs: true });

    await page.getByRole('button', { name: 'Novo motivo' }).click();
    const form = page.getByRole('form', { name: 'Novo motivo' });
    // Nothing is sent without a code and a description: the form says so beside the fields.
    await form.getByRole('button', { name: 'Cadastrar motivo' }).click();
    await form.locator('.field-error').getByText('Campo obrigatório.').first().waitFor();
    await form.getByLabel('Código').fill('04');
    await form.getByLabel('Descrição').fill('Produto trocado na entrega');
    await form.getByLabel('Tipo').selectOption('oms_order_return');
    await form.getByLabel('Vigente de').fill('2026-01-01');
    await form.getByLabel('Vigente até').fill('2025-12-31');
    await form.getByRole('button', { name: 'Cadastrar motivo' }).click();
    await form.getByText('A vigência não pode acabar antes de começar.').waitFor();
    await form.getByLabel('Vigente até').fill('');
    await form.getByRole('button', { name: 'Cadastrar motivo' }).click();
    await page.getByText('Motivo 04 salvo.').waitFor();
    const row = page.locator('tr[data-code="04"]');
    await row.getByText('Vigente', { exact: true }).waitFor();
    const offered = async () =>
      (await b.t.request('GET', '/api/v1/return-reasons', { auth: 'demo-pos-11' })).body.items.map(
        (r: { code: string }) => r.code,
      );
    expect(await offered()).toContain('04');

    await row.getByRole('button', { name: 'Desativar 04' }).click();
    await row.getByText('Desativado').waitFor();
    expect(await offered()).not.toContain('04');
    await screenshot(page, 'return-reasons-deactivated');
  });

  it('shows on the order the goods that came back at the POS, with the reason and the return’s DANFE', async () => {
    const { t } = b;
    const order = await createOrder(t, { deliveryType: 'ship' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);
    await confer(t, order.id);
    expect((await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 })).status).toBe(
      200,
    );
    const returned = await t.request('POST', '/api/v1/pos/returns', {
      auth: POS11,
      body: { orderNumber: order.number, items: [{ sku: 'CAL-002', quantity: 1 }], reasonCode: '01' },
    });
    expect(returned.status).toBe(201);

    const page = await b.signedIn('loja11@demo.local');
    await page.goto(`/orders/${order.id}`);
    const section = page.getByRole('region', { name: 'Devoluções' });
    await section.getByRole('cell', { name: '01 — Produto com defeito' }).waitFor();
    await section.getByText('pedido devolvido por completo').waitFor();
    await section.getByRole('button', { name: 'DANFE da devolução' }).waitFor();
    // The platform hears of it: a webhook named for what it is, not a status change.
    await page.getByRole('cell', { name: 'Devolução no PDV', exact: true }).waitFor();
    await screenshot(page, 'order-returns');
  });
});
