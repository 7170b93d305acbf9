import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/platform/db/sql.ts';
import { confer, createOrder, LOJA11 } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

describe.skipIf(chromiumMissing)('back office: cancelling an invoiced order', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('outside the NF-e window, "Cancelar pedido" reverses the sale by a return NF-e and credits the customer', async () => {
    const { t } = b;
    const order = await createOrder(t, { deliveryType: 'ship' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);
    await confer(t, order.id);
    const invoiced = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status).toBe(200);
    // Two days later: SEFAZ no longer cancels the NF-e.
    await t.database.db.execute(
      sql`update fiscal_documents set authorised_at = authorised_at - interval '2 days'
           where id = ${invoiced.body.fiscalDocument.id}`,
    );

    const page = await b.signedIn('loja11@demo.local');
    await page.goto(`/orders/${order.id}`);
    await page.getByRole('button', { name: 'Cancelar pedido' }).click();
    const dialog = page.getByRole('dialog', { name: `Cancelar o pedido ${order.number}` });
    await dialog.getByText('a venda será estornada por uma NF-e de devolução').waitFor();
    await dialog.getByText('O prazo de cancelamento da NF-e terminou').waitFor();
    const confirm = dialog.getByRole('button', { name: 'Estornar com NF-e de devolução' });
    // The reason goes to the return NF-e: 15 characters at least.
    await dialog.getByRole('textbox').fill('Cliente recusou a compra depois do prazo');
    await screenshot(page, 'invoice-cancellation-reverse');
    await confirm.click();
    await page.getByText('Venda estornada por NF-e de devolução. Crédito de R$ 199,90 ao cliente.').waitFor();
    await page
      .getByRole('region', { name: 'Devoluções' })
      .getByText('pedido devolvido por completo')
      .waitFor();

    const after = await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(after.body.status).toBe('invoiced');
    const finance = await t.request('GET', `/api/v1/orders/${order.id}/finance`, { auth: LOJA11 });
    expect(finance.body.creditBalance).toBe('199.90');
    await screenshot(page, 'invoice-cancellation-reversed');
  });
});
