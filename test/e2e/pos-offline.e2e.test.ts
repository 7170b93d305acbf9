import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POS11, stockOf } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

/** How many records of a data type the POS holds in its IndexedDB (the offline client's own database). */
function recordsInBrowser(page: Page, type: string): Promise<number> {
  return page.evaluate(
    (store) =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('omnihub-pos');
        open.onerror = () => resolve(-1);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(store)) {
            db.close();
            resolve(-1);
            return;
          }
          const count = db.transaction(store).objectStore(store).count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
          count.onerror = () => resolve(-1);
        };
      }),
    type,
  );
}

/** Issue 18: the POS downloads what it needs, sells with the server away, and uploads the sale when it is back. */
describe.skipIf(chromiumMissing)('POS: selling offline on the synced data', { timeout: 180_000 }, () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('syncs, sells with the browser offline (waiting), and uploads the sale once back online', async () => {
    const before = await stockOf(b.t, 'CAL-002', '11');

    const { context, page } = await b.newPage({ width: 1024, height: 900 });
    await page.goto('/pos/pair');
    await page.evaluate((key) => (globalThis as any).localStorage.setItem('omnihub.posKey', key), POS11);
    await page.goto('/pos');
    await page.getByTestId('pos-store').waitFor();

    // The shell's sync loop downloads the catalogue and the prices into IndexedDB by itself.
    await expect.poll(() => recordsInBrowser(page, 'products'), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => recordsInBrowser(page, 'prices'), { timeout: 60_000 }).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Venda', exact: true }).click();
    await page.getByRole('heading', { name: 'Venda', exact: true }).waitFor();

    // The server is gone: the cash opens, the product is found and priced, the sale is registered locally.
    await context.setOffline(true);
    await page.getByLabel('Fundo de troco (R$)').fill('100,00');
    await page.getByRole('button', { name: 'Abrir caixa' }).click();
    const search = page.getByLabel('Produto (SKU, EAN ou nome)');
    await search.fill('CAL-002');
    await search.press('Enter');
    await page.getByRole('cell', { name: 'CAL-002' }).waitFor();
    await page.getByLabel('Forma de pagamento').selectOption({ label: 'Pix' });
    await page.getByLabel('CPF na nota (opcional)').fill('52998224725');
    await page.getByRole('button', { name: 'Finalizar venda' }).click();
    const result = page.getByTestId('pos-sale-result');
    await result.getByText('Venda registrada').waitFor();
    await result.getByText('Aguardando conexão').waitFor();
    await page.getByTestId('pos-pending-uploads').getByText('2 envios pendentes').waitFor();
    await screenshot(page, 'pos-offline-sale-waiting');

    // Back online: the cash opening and the sale go up in order, and the server's NFC-e key comes back.
    await context.setOffline(false);
    await result.getByText('Venda enviada ao servidor.').waitFor({ timeout: 60_000 });
    await page.getByTestId('pos-pending-uploads').getByText('Nenhum envio pendente').waitFor();
    await expect
      .poll(() => page.getByTestId('pos-sale-nfce').textContent(), POLL)
      .toMatch(/^(\d{4} ){10}\d{4}$/);
    await screenshot(page, 'pos-offline-sale-sent');

    const after = await stockOf(b.t, 'CAL-002', '11');
    expect(after.onHand).toBe(before.onHand - 1);
  });
});
