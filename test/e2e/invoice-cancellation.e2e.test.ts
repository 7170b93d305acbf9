import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/platform/db/sql.ts';
import { CPF, confer, createOrder, LOJA11, POS11 } from '../order-fixtures.ts';
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

  it('for a pickup order sold by NFC-e, asks the customer’s address the return NF-e needs', async () => {
    const { t } = b;
    const order = await createOrder(t, { deliveryType: 'pickup' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);
    await confer(t, order.id);
    expect(
      (await t.request('POST', `/api/v1/pos/orders/${order.number}/rescue`, { auth: POS11 })).status,
    ).toBe(200);
    const finished = await t.request('POST', `/api/v1/pos/orders/${order.number}/finish`, {
      auth: POS11,
      body: { customerDocument: CPF },
    });
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    // An hour later: SEFAZ no longer cancels the NFC-e (30 minutes).
    await t.database.db.execute(
      sql`update fiscal_documents set authorised_at = authorised_at - interval '1 hour'
           where id = ${finished.body.fiscalDocument.id}`,
    );

    const page = await b.signedIn('loja11@demo.local');
    await page.goto(`/orders/${order.id}`);
    await page.getByRole('button', { name: 'Cancelar pedido' }).click();
    const dialog = page.getByRole('dialog', { name: `Cancelar o pedido ${order.number}` });
    await dialog.getByText('O prazo de cancelamento da NFC-e terminou').waitFor();
    const address = dialog.getByRole('group', { name: 'Endereço do cliente' });
    await dialog.getByLabel(/^Motivo/).fill('Cliente devolveu a compra depois do prazo');
    // Sent without the address: each field the NF-e needs is flagged, nothing is sent.
    await dialog.getByRole('button', { name: 'Estornar com NF-e de devolução' }).click();
    await expect.poll(() => address.getByText('Campo obrigatório.').count()).toBe(6);
    await address.getByLabel('Logradouro').fill('Rua Barão de Jaguara');
    await address.getByLabel('Número').fill('900');
    await address.getByLabel('Bairro').fill('Centro');
    await address.getByLabel('Cidade').fill('Campinas');
    await address.getByLabel('UF').fill('SP');
    await address.getByLabel('CEP').fill('13015-001');
    expect(await address.getByText('Campo obrigatório.').count()).toBe(0);
    await screenshot(page, 'invoice-cancellation-pickup-address');
    await dialog.getByRole('button', { name: 'Estornar com NF-e de devolução' }).click();
    await page.getByText('Venda estornada por NF-e de devolução. Crédito de R$ 199,90 ao cliente.').waitFor();

    const returns = await t.request('GET', `/api/v1/orders/${order.id}/returns`, { auth: LOJA11 });
    const [back] = returns.body.items as { fiscalDocumentId: string }[];
    const doc = await t.request('GET', `/api/v1/fiscal-documents/${back!.fiscalDocumentId}`, {
      auth: LOJA11,
    });
    expect(doc.body.xml).toContain('<xMun>Campinas</xMun>');
  });
});
