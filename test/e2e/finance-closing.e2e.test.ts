import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, LOJA11 } from '../order-fixtures.ts';
import { invoicedPickupOrder, restock } from '../pickup-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

describe.skipIf(chromiumMissing)('back office: Financeiro → Fechamento diário e Formas de pagamento', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('closes the store’s day: figures, Conciliado, then Diferenças with the order linked, CSV, an empty day', async () => {
    const { t } = b;
    await invoicedPickupOrder(t);
    const page = await b.signedIn('loja11@demo.local', { width: 1280, height: 1100 });
    await page.goto('/finance/closing');
    await page.getByRole('heading', { name: 'Fechamento diário', level: 1 }).waitFor();
    const store = page.getByRole('article', { name: /Loja 11/ });
    await store.getByRole('status').getByText('Conciliado').waitFor();
    const invoiced = store.getByRole('row', { name: /Faturados \(vendas\)/ });
    await invoiced.getByRole('cell', { name: '1', exact: true }).waitFor();
    await invoiced.getByText('R$ 199,90').waitFor();
    await screenshot(page, 'finance-closing', { docs: true });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exportar CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/^fechamento-\d{4}-\d{2}-\d{2}\.csv$/);

    // A sale NF-e authorised for an order the ledger never saw invoiced.
    await restock(t, [['CAL-002', 1, '']]);
    const order = await createOrder(t, { deliveryType: 'pickup' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await t.database.db.execute(sql`
      insert into fiscal_documents (id, network_id, store_id, model, series, number, access_key, cnf, status,
        purpose, reference_type, reference_id, xml, content, protocol, authorised_at)
      select ${randomUUID()}, network_id, store_id, model, series, number + 900000,
        lpad((number + 900000)::text, 44, '9'), cnf, 'authorised', purpose, 'order', ${order.id}, xml, content,
        protocol, now()
      from fiscal_documents where reference_type = 'order' and status = 'authorised' limit 1`);
    await page.getByRole('button', { name: 'Consultar' }).click();
    await page.reload();
    await store.getByRole('status').getByText('Diferenças').waitFor();
    await store.getByRole('heading', { name: 'Pedidos com diferença' }).waitFor();
    await screenshot(page, 'finance-closing-differences');
    await store.getByRole('link', { name: 'Abrir o pedido' }).click();
    await page.waitForURL(`**/orders/${order.id}`);

    await page.goto('/finance/closing?day=2020-01-01');
    await page
      .getByText('Sem movimento neste dia: nenhum lançamento financeiro nem nota fiscal da loja.')
      .waitFor();
  });

  it('lets an admin map a platform method to another document type after confirming; others only read', async () => {
    const reader = await b.signedIn('loja11@demo.local');
    await reader.goto('/finance/payment-methods');
    await reader.getByRole('cell', { name: 'OMNI', exact: true }).waitFor();
    await reader.getByText('Somente administradores alteram as formas de pagamento.').waitFor();
    expect(await reader.getByRole('button', { name: 'Editar' }).count()).toBe(0);

    const page = await b.signedIn('admin@demo.local', { width: 1280, height: 1000 });
    await page.goto('/finance/payment-methods');
    await page.getByRole('button', { name: 'Editar a forma de pagamento OMNI' }).click();
    const form = page.getByRole('form', { name: 'Editar a forma de pagamento OMNI' });
    await form.getByLabel('Tipo de documento financeiro — Cartão de débito').selectOption('credit_card');
    await form.getByRole('button', { name: 'Salvar' }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByText('As próximas contas a receber da forma OMNI usarão este mapeamento.', { exact: false })
      .waitFor();
    await screenshot(page, 'finance-payment-methods-confirm');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Forma de pagamento OMNI salva.').waitFor();
    await page.getByText('Cartão de débito → Cartão de crédito').waitFor();
    await screenshot(page, 'finance-payment-methods');
    const listed = await b.t.request('GET', '/api/v1/finance/payment-methods', { auth: LOJA11 });
    expect(listed.body.items[0]).toMatchObject({ version: 2, mapping: { debit_card: 'credit_card' } });
  });
});
