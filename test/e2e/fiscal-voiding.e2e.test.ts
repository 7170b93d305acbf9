import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveDocumentNumber } from '../../src/fiscal/service.ts';
import { rows, sql } from '../../src/platform/db/sql.ts';
import { transaction } from '../../src/platform/db/transaction.ts';
import { TEST_PASSWORD } from '../harness.ts';
import { addDemoUsers, confer, createOrder, LOJA11, STAFF11 } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, signIn, startBrowserApp } from './browser.ts';

describe.skipIf(chromiumMissing)('back office: Inutilizar numeração', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('shows the empty states, then a gap that a manager voids at SEFAZ with a justification', async () => {
    const page = await b.signedIn('loja11@demo.local');
    await page.getByRole('button', { name: 'Fiscal' }).click();
    await page.getByRole('link', { name: 'Inutilizar numeração' }).click();
    await page.waitForURL('**/fiscal/voiding');
    await page.getByRole('heading', { name: 'Inutilizar numeração', level: 1 }).waitFor();
    await page
      .getByText('Nenhuma lacuna: todos os números emitidos têm nota válida ou já foram inutilizados.')
      .waitFor();
    await page.getByText('Nenhuma numeração inutilizada ainda.').waitFor();

    // Store 11's NF-e series 7 loses numbers 1–3 (reserved, never issued: a crash).
    const [store] = await rows<{ id: string }>(b.t.database.db, sql`select id from nodes where code = '11'`);
    for (let i = 0; i < 3; i++)
      await transaction(b.t.database.db, (tx) =>
        reserveDocumentNumber(tx, { storeId: store!.id, model: 55, series: 7 }),
      );
    await page.reload();
    const gap = page.locator('tr[data-gap="7:1-3"]');
    await gap.getByRole('cell', { name: '1 a 3', exact: true }).waitFor();
    await gap.getByText('sem data').waitFor();
    await screenshot(page, 'fiscal-voiding-gaps', { docs: true });

    await gap.getByRole('button', { name: 'Inutilizar os números 1 a 3 da série 7 da loja 11' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Inutilizar na SEFAZ os 3 números 1 a 3 da NF-e série 7 da loja 11?').waitFor();
    const confirm = dialog.getByRole('button', { name: 'Inutilizar' });
    await dialog.getByLabel('Justificativa (de 15 a 255 caracteres)').fill('curta');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog
      .getByLabel('Justificativa (de 15 a 255 caracteres)')
      .fill('Numeracao perdida em queda do sistema');
    await confirm.click();
    await page.getByText('Inutilização dos números 1 a 3 (série 7, loja 11) enviada à SEFAZ.').waitFor();

    const row = page.locator('table.voided-table tbody tr').first();
    await row.getByText('Inutilizada').waitFor();
    await row.getByRole('cell', { name: /^[0-9]{15}$/ }).waitFor();
    await row.getByText('Manual').waitFor();
    await page
      .getByText('Nenhuma lacuna: todos os números emitidos têm nota válida ou já foram inutilizados.')
      .waitFor();
    await screenshot(page, 'fiscal-voiding-history', { docs: true });
  });

  it('shows a clerk the gaps without the action, and another store’s manager none of them', async () => {
    await addDemoUsers(b.t);
    const [store] = await rows<{ id: string }>(b.t.database.db, sql`select id from nodes where code = '11'`);
    await transaction(b.t.database.db, (tx) =>
      reserveDocumentNumber(tx, { storeId: store!.id, model: 65, series: 8 }),
    );
    const { page } = await b.newPage();
    await page.goto('/orders');
    await signIn(page, STAFF11, TEST_PASSWORD);
    await page.goto('/fiscal/voiding');
    const gap = page.locator('tr[data-gap="8:1-1"]');
    await gap.getByText('NFC-e · série 8').waitFor();
    expect(await gap.getByRole('button').count()).toBe(0);
    await page.getByText('Somente gerentes e administradores inutilizam numeração.').waitFor();

    const other = await b.signedIn('loja8@demo.local');
    await other.goto('/fiscal/voiding');
    await other.getByText('Nenhuma numeração inutilizada ainda.').waitFor();
    expect(await other.locator('tr[data-gap]').count()).toBe(0);
  });

  it('on the order page, transmits an NF-e kept unsent (TP_ENVIO_NFE_AUTOMATIC 0)', async () => {
    const { t } = b;
    const set = await t.request('PUT', '/api/v1/nodes/11/parameters/TP_ENVIO_NFE_AUTOMATIC', {
      auth: 'admin@demo.local',
      body: { value: '0' },
    });
    expect(set.status).toBe(200);
    const order = await createOrder(t, { deliveryType: 'ship' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);
    await confer(t, order.id);
    const invoiced = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.body.fiscalDocument.status).toBe('unsent');
    const [doc] = await rows<{ number: number }>(
      t.database.db,
      sql`select number from fiscal_documents where id = ${invoiced.body.fiscalDocument.id}`,
    );

    const page = await b.signedIn('loja11@demo.local');
    await page.goto(`/orders/${order.id}`);
    const section = page.getByRole('region', { name: 'Notas fiscais' });
    await section.getByText('Aguardando transmissão').waitFor();
    await screenshot(page, 'order-unsent-nfe');
    await section.getByRole('button', { name: `Transmitir a NF-e Nº ${doc!.number} à SEFAZ` }).click();
    await page
      .getByText(`NF-e Nº ${doc!.number} transmitida e autorizada pela SEFAZ. O pedido foi faturado.`)
      .waitFor();
    await section.getByText('Autorizada').waitFor();
    expect(await section.getByRole('button', { name: /^Transmitir/ }).count()).toBe(0);
  });
});
