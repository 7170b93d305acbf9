import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confer, LOJA11, orderBody, PLATFORM } from '../order-fixtures.ts';
import { invoicedPickupOrder } from '../pickup-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** "Fiscal → Notas Fiscais" (issue 14 §6): find a document, open it, ask SEFAZ, download, cancel. */
describe.skipIf(chromiumMissing)('back office: the fiscal documents screen', () => {
  let b: BrowserApp;
  let nfe: { id: string; number: number; accessKey: string };
  let nfce: { accessKey: string };

  beforeAll(async () => {
    b = await startBrowserApp();
    nfce = (await invoicedPickupOrder(b.t)).document;
    const created = await b.t.request('POST', '/api/v1/orders', {
      auth: PLATFORM,
      body: orderBody({ deliveryType: 'ship', freight: '15.00' }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const order = created.body as { id: string };
    expect((await b.t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(
      200,
    );
    await b.t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    await confer(b.t, order.id);
    const invoiced = await b.t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    const doc = await b.t.request('GET', `/api/v1/fiscal-documents/${invoiced.body.fiscalDocument.id}`, {
      auth: LOJA11,
    });
    nfe = doc.body;
  }, 120_000);
  afterAll(() => b?.close());

  it('filters the list (kept in the address), opens an NF-e, consults SEFAZ, downloads and cancels it', async () => {
    const page = await b.signedIn(LOJA11);
    await page.getByRole('button', { name: 'Fiscal' }).click();
    await page.getByRole('link', { name: 'Notas Fiscais' }).click();
    await page.getByRole('heading', { name: 'Notas Fiscais', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Notas Fiscais' });
    await table.locator(`tr[data-key="${nfe.accessKey}"]`).waitFor();
    await table.locator(`tr[data-key="${nfce.accessKey}"]`).waitFor();
    await screenshot(page, 'fiscal-documents');

    // Only NF-e: the filter goes into the address, and a reload keeps it.
    const filters = page.getByRole('form', { name: 'Filtrar notas fiscais' });
    await filters.getByLabel('Modelo').selectOption('55');
    await filters.getByRole('button', { name: 'Filtrar' }).click();
    await page.waitForURL(/modelo=55/);
    await table.locator(`tr[data-key="${nfce.accessKey}"]`).waitFor({ state: 'detached' });
    await page.reload();
    await table.locator(`tr[data-key="${nfe.accessKey}"]`).waitFor();
    expect(await page.getByLabel('Modelo').inputValue()).toBe('55');
    expect(await table.locator(`tr[data-key="${nfce.accessKey}"]`).count()).toBe(0);

    // A key that matches nothing: the empty state says so.
    await filters.getByLabel('Chave de acesso').fill('99');
    await filters.getByRole('button', { name: 'Filtrar' }).click();
    await page.getByText('Nenhuma nota atende a estes filtros.', { exact: false }).waitFor();
    // The key's first digits find it again.
    await filters.getByLabel('Chave de acesso').fill(nfe.accessKey.slice(0, 30));
    await filters.getByRole('button', { name: 'Filtrar' }).click();
    await page.getByRole('link', { name: `Abrir a NF-e Nº ${nfe.number}` }).click();

    await page.getByRole('heading', { name: `NF-e Nº ${nfe.number} · Série 1` }).waitFor();
    await page.getByText('Autorizada', { exact: true }).first().waitFor();
    await page.getByText(nfe.accessKey.replace(/(\d{4})(?=\d)/g, '$1 ')).waitFor();
    await page.getByRole('button', { name: `Abrir o DANFE da NF-e Nº ${nfe.number}` }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Baixar o XML da NF-e Nº ${nfe.number}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${nfe.accessKey}-nfe.xml`);

    await page.getByRole('button', { name: 'Consultar na SEFAZ' }).click();
    const answer = page.getByTestId('fiscal-consultation');
    await answer.getByText('A situação na SEFAZ confere com a do Omnihub.').waitFor();
    expect(await answer.textContent()).toMatch(/Autorizada\s*100 — Autorizado o uso da NF-e/);
    await screenshot(page, 'fiscal-document-consulted');

    // Cancelling asks for a justification of 15 to 255 characters first.
    await page.getByRole('button', { name: 'Cancelar', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Cancelar NF-e Nº ${nfe.number}` });
    await dialog
      .getByLabel('Justificativa do cancelamento', { exact: false })
      .fill('Cliente desistiu da compra');
    await dialog.getByRole('button', { name: 'Cancelar a nota' }).click();
    await page.getByText(`NF-e Nº ${nfe.number} cancelada na SEFAZ.`).waitFor();
    const events = page.getByRole('table', { name: 'Eventos' });
    await events.getByRole('cell', { name: 'Cancelamento' }).waitFor();
    await events.getByRole('cell', { name: 'Registrado' }).waitFor();
    await page.getByRole('button', { name: 'Consultar na SEFAZ' }).click();
    await answer.getByText(/Cancelada\s*101/).waitFor();
    await answer.getByText('A situação na SEFAZ confere com a do Omnihub.').waitFor();
  });
});
