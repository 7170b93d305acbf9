import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, sql } from '../../src/platform/db/sql.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

const MINUTE = 60_000;

describe.skipIf(chromiumMissing)('back office: Integrações → PDV', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.database.db;
    const [store] = await rows<{ id: string; network_id: string }>(
      db,
      sql`select id, network_id from nodes where code = '11'`,
    );
    const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
    // What the POS poll and uploads (other slices) write: two terminals, two downloads, one refused sale.
    await db.execute(sql`insert into pos_sync_contacts (store_id, terminal, last_contact_at, pending_uploads)
      values (${store!.id}, 'caixa-1', ${ago(2)}, 3), (${store!.id}, 'caixa-2', ${ago(45)}, 0)`);
    await db.execute(sql`insert into pos_sync_controls (store_id, data_type, last_download_at, records)
      values (${store!.id}, 'prices', ${ago(5)}, 120), (${store!.id}, 'stock', ${ago(3)}, 40)`);
    await db.execute(sql`insert into pos_upload_rejections
      (network_id, store_id, terminal, sequence, kind, pos_id, code, message, details)
      values (${store!.network_id}, ${store!.id}, 'caixa-1', 7, 'sale', 'V-7', 'POS.UPLOAD_INVALID',
              'The sale names products the network does not have.',
              ${JSON.stringify({
                errors: [
                  {
                    path: '/items/0/sku',
                    code: 'POS.UNKNOWN_SKU',
                    message: 'is not a product of the network',
                    params: { sku: 'XYZ-999' },
                  },
                ],
              })}::jsonb)`);
  });
  afterAll(async () => {
    await b?.close();
  });

  it('monitors the stores, edits an interval, adds an exception, forces a full load, resolves a refusal', async () => {
    const page = await b.signedIn('admin@demo.local', { width: 1400, height: 900 });
    await page.getByRole('button', { name: 'Integrações' }).click();
    await page.getByRole('link', { name: 'PDV', exact: true }).click();
    await page.waitForURL('**/integrations/pos');
    const storeRow = (code: string) => page.locator(`tr[data-store="${code}"]`);
    await storeRow('11').waitFor();
    await expect
      .poll(() => storeRow('11').textContent(), POLL)
      .toMatch(/caixa-1: há 2 minutos.*caixa-2: há 45 minutos/);
    await expect.poll(() => storeRow('3').textContent(), POLL).toContain('nunca conectou');
    await screenshot(page, 'pos-sync-stores', { docs: true });

    await page.getByLabel('Buscar loja').fill('campinas');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await storeRow('11').waitFor({ state: 'detached' });
    expect(await page.locator('tr[data-store]').count()).toBe(1);
    await page.getByLabel('Buscar loja').fill('');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByRole('link', { name: 'Abrir loja 11' }).click();
    await page.waitForURL('**/integrations/pos/11');
    await page.getByRole('heading', { name: /PDV da loja 11/ }).waitFor();

    // The store's own interval for prices.
    const prices = page.locator('tr[data-type="prices"]');
    await prices.getByLabel('Intervalo da loja para Preços (minutos)').fill('15');
    await prices.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Intervalo de Preços nesta loja: 15 min.').waitFor();
    // The row follows once the store's page has read itself again.
    await prices.getByText('desta loja').waitFor();

    // An exception, confirmed first.
    await page.getByLabel('Motivo da exceção').fill('Instalação do PDV novo');
    await page.getByRole('button', { name: 'Adicionar exceção' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByText('Adicionar a loja à lista de exceção?').waitFor();
    await dialog.getByRole('button', { name: 'Adicionar exceção' }).click();
    await page.getByText(/Exceção adicionada até/).waitFor();
    await page.getByText(/Em exceção até .*Instalação do PDV novo/).waitFor();

    // A full load of one type, confirmed first.
    await page.getByRole('button', { name: 'Forçar carga completa de Preços' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByText('Forçar carga completa?').waitFor();
    await dialog.getByRole('button', { name: 'Forçar carga completa' }).click();
    await page.getByText('Carga completa solicitada para 1 tipo(s) de dado.').waitFor();
    await prices.getByText('Carga completa solicitada').waitFor();
    // The refusal in the store's words, the code kept for support.
    await page.getByText('Envio recusado pelo servidor:').waitFor();
    await page.getByText('Produto que a rede não tem.').waitFor();
    await page.getByText('POS.UPLOAD_INVALID').waitFor();
    await screenshot(page, 'pos-sync-store', { docs: true });

    // The refused upload, marked resolved.
    await page.getByRole('button', { name: 'Marcar como resolvido' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByText('Marcar o envio como resolvido?').waitFor();
    await dialog.getByRole('button', { name: 'Marcar como resolvido' }).click();
    await page.getByText('Envio marcado como resolvido.').waitFor();
    await page.getByText('Nenhum envio recusado em aberto.').waitFor();

    // The network's minutes of a type, beside the seed's.
    await page.getByRole('button', { name: 'Integrações' }).click();
    await page.getByRole('link', { name: 'Intervalos do PDV' }).click();
    await page.waitForURL('**/integrations/pos-intervals');
    // The store page's rows carry data-type too: read the row once the intervals page has replaced it.
    await page.getByRole('heading', { name: 'Intervalos de carga do PDV' }).waitFor();
    const stock = page.locator('tr[data-type="stock"]');
    await expect.poll(() => stock.textContent()).toMatch(/Estoque.*Estoque.*10/);
    await page.getByLabel('Minutos de Estoque').fill('5');
    await stock.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Estoque: 5 min para a rede.').waitFor();
    await stock.getByRole('cell', { name: 'rede', exact: true }).waitFor();

    const detail = await b.t.request('GET', '/api/v1/pos-sync/stores/11', { auth: 'admin@demo.local' });
    const byType = (code: string) =>
      detail.body.downloads.find((d: { dataType: string }) => d.dataType === code);
    expect(byType('prices')).toMatchObject({ minutes: 15, from: 'store', fullLoadRequested: true });
    expect(byType('stock')).toMatchObject({ minutes: 5, from: 'network' });
    expect(detail.body.exception).toMatchObject({ reason: 'Instalação do PDV novo' });
    expect(detail.body.rejections).toEqual([]);
  });

  it('shows a store manager its store read-only, and removes an exception after asking', async () => {
    const loja = await b.signedIn('loja11@demo.local');
    await loja.getByRole('link', { name: 'PDV', exact: true }).click();
    await loja.waitForURL('**/integrations/pos');
    await loja.locator('tr[data-store="11"]').waitFor();
    expect(await loja.locator('tr[data-store]').count()).toBe(1);
    await loja.getByRole('link', { name: 'Abrir loja 11' }).click();
    await loja.getByText(/Em exceção até/).waitFor();
    expect(
      await loja.getByRole('button', { name: /Forçar carga completa|Remover exceção|Salvar/ }).count(),
    ).toBe(0);

    const admin = await b.signedIn('admin@demo.local');
    await admin.goto('/integrations/pos/11');
    await admin.getByRole('button', { name: 'Remover exceção' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByText('Remover a exceção?').waitFor();
    await dialog.getByRole('button', { name: 'Remover exceção' }).click();
    await admin.getByText('Exceção removida.').waitFor();
    await admin.getByLabel('Motivo da exceção').waitFor();
  });
});
