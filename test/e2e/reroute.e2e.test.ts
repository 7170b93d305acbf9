import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../harness.ts';
import { ADMIN, createOrder } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

const orderStatus = (page: Page, status: string) =>
  page.locator('.order-title .status', { hasText: status }).waitFor();

// The seeds: "rejeitar parte do pedido … reencaminhado como um novo pedido para outra empresa".
describe.skipIf(chromiumMissing).each(databaseKinds())(
  'back office on %s: refusing lines at acceptance re-routes them as a new order',
  (kind) => {
    let b: BrowserApp;
    beforeAll(async () => {
      b = await startBrowserApp({ kind });
    });
    afterAll(() => b?.close());

    it('refuses CAM-002 × 2 to the nearest company with stock; the new order links back', async () => {
      const order = await createOrder(b.t, {
        lines: [
          ['CAL-002', 1, '199.90'],
          ['CAM-002', 2, '59.90'],
        ],
      });
      const page = await b.signedIn(ADMIN);
      const dialog = page.getByRole('dialog', { name: `Recusar itens do pedido Nº ${order.number}` });

      // From the queue's row menu: the order's screen opens with the dialog.
      await page.getByRole('button', { name: `Opções do pedido Nº ${order.number}` }).click();
      await page.getByRole('menuitem', { name: 'Recusar itens (reencaminhar)' }).click();
      await dialog.waitFor();
      expect(page.url()).toContain(`/orders/${order.id}`);
      await dialog.getByRole('button', { name: 'Voltar', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await orderStatus(page, 'Em aberto');

      await page.getByRole('button', { name: 'Recusar itens (reencaminhar)' }).click();
      const cam = dialog.getByLabel('Quantidade de CAM-002 a recusar');
      const cal = dialog.getByLabel('Quantidade de CAL-002 a recusar');
      expect(await cam.inputValue()).toBe('0');
      expect(await cal.inputValue()).toBe('0');
      const company = dialog.getByLabel('Empresa que receberá os itens');
      expect(await company.locator('option:checked').textContent()).toBe(
        'Escolha automática (mais próxima com estoque)',
      );

      // More than pending is caught beside the line; nothing chosen is caught before sending.
      await cam.fill('3');
      await dialog.locator('tr[data-sku="CAM-002"]').getByText('No máximo 2 (pendente).').waitFor();
      await cam.fill('2');
      // The companies offered have the stock of every chosen line, with their distance.
      await expect.poll(() => company.locator('option').count()).toBeGreaterThan(1);
      expect(await company.locator('option').nth(1).textContent()).toMatch(
        /^\d+ · .+ \((\d+(,\d)? km|distância desconhecida)\)$/,
      );

      // Refusing every line warns that the order will be cancelled.
      await cal.fill('1');
      await dialog.getByText('O pedido será cancelado e todos os itens reencaminhados').waitFor();
      await cal.fill('0');
      await dialog.getByText('O pedido será cancelado').waitFor({ state: 'detached' });

      // Without a reason, nothing is sent: the error is beside the field.
      await dialog.getByRole('button', { name: 'Recusar e reencaminhar' }).click();
      await dialog.getByText('Informe o motivo da recusa (pelo menos 3 caracteres).').waitFor();
      expect(await dialog.getByLabel('Motivo da recusa').getAttribute('aria-invalid')).toBe('true');
      await screenshot(page, 'reroute-dialog');

      await dialog.getByLabel('Motivo da recusa').fill('Sem estoque na loja');
      await dialog.getByRole('button', { name: 'Recusar e reencaminhar' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const notice = page.getByRole('status').filter({ hasText: 'Itens reencaminhados para a loja' });
      await notice.getByText(/^Itens reencaminhados para a loja 8 como o pedido Nº \d+\.$/).waitFor();
      const text = (await notice.locator('p').first().textContent()) ?? '';
      const newNumber = /Nº (\d+)\.$/.exec(text)?.[1];
      expect(newNumber).toBeDefined();
      await orderStatus(page, 'Em aberto');
      const items = page.locator('table.lines-table');
      await items.locator('tr[data-sku="CAL-002"]').waitFor();
      expect(await items.locator('tr[data-sku="CAM-002"]').count()).toBe(0);
      await screenshot(page, 'reroute-done');

      // The new order: open at the other company, linked back to the original.
      await notice.getByRole('link', { name: `Abrir o pedido Nº ${newNumber}` }).click();
      await page.getByRole('heading', { name: new RegExp(`Nº ${newNumber}\\b`) }).waitFor();
      await orderStatus(page, 'Em aberto');
      await page.locator('table.lines-table tr[data-sku="CAM-002"]').waitFor();
      const from = page.locator('.rerouted-from');
      await from.getByText('Reencaminhado do pedido').waitFor();
      await from.getByRole('link', { name: `Nº ${order.number}` }).click();
      await page.getByRole('heading', { name: new RegExp(`Nº ${order.number}\\b`) }).waitFor();
      expect(page.url()).toContain(`/orders/${order.id}`);
    });
  },
);
