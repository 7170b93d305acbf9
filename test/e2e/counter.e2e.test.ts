import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOJA11 } from '../order-fixtures.ts';
import { invoicedPickupOrder } from '../pickup-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

/** The counter's end in the back office: the channel report (Vendas por canal) and the handover of an order. */
describe.skipIf(chromiumMissing)('back office: Vendas por canal and Entregar ao cliente', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('charts the POS’s sales against the e-commerce’s, with the table below and an empty period', async () => {
    await invoicedPickupOrder(b.t, { lines: [['CAL-002', 1, '199.90']] });
    const pos = await invoicedPickupOrder(b.t, { endlessAisle: true, lines: [['CAL-002', 2, '100.00']] });

    const page = await b.signedIn(LOJA11);
    await page.getByRole('link', { name: 'Vendas por canal' }).click();
    await page.waitForURL('**/reports/sales-by-channel');
    await page.getByRole('heading', { name: 'Vendas por canal', level: 1 }).waitFor();
    const from = await page.getByLabel('De', { exact: true }).inputValue();
    const to = await page.getByLabel('Até', { exact: true }).inputValue();
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(29);

    const table = page.getByRole('table');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.includes('PDV'))).toMatch(/R\$\s?200,00/);
    expect(rows.find((r) => r.includes('Omni'))).toMatch(/R\$\s?199,90/);
    // The chart is drawn by the library: two stacked bar series in an SVG, with its legend.
    const chart = page.getByRole('img', { name: /Gráfico do valor vendido por dia/ });
    await chart.locator('svg.recharts-surface').first().waitFor();
    expect(await chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(2);
    const legend = await chart.locator('.recharts-legend-wrapper').textContent();
    expect(legend).toContain('PDV');
    expect(legend).toContain('Omni (e-commerce)');
    await expect.poll(() => page.locator('[data-channel="all"]').textContent(), POLL).toMatch(/399,90/);
    await screenshot(page, 'sales-by-channel', { docs: true });

    await page.getByLabel('De', { exact: true }).fill('2025-01-01');
    await page.getByLabel('Até', { exact: true }).fill('2025-01-31');
    await page.getByRole('button', { name: 'Consultar' }).click();
    await page.getByText('Nenhuma venda faturada neste período.').waitFor();

    // The order screen hands the POS's order over and offers its receipt.
    await page.goto(`${b.baseUrl}/orders/${pos.id}`);
    await page.getByRole('button', { name: 'Comprovante de entrega' }).waitFor();
    await page.getByRole('button', { name: 'Entregar ao cliente' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Nome de quem retira').fill('Pedro Alves');
    await dialog.getByLabel('Documento (opcional)').fill('529.982.247-25');
    await dialog.getByRole('button', { name: 'Confirmar entrega' }).click();
    await page.getByText(`Pedido Nº ${pos.number} entregue a Pedro Alves.`).waitFor();
    await page
      .getByRole('term')
      .filter({ hasText: /^Retirado por$/ })
      .waitFor();
    await expect(page.locator('dd', { hasText: /^Pedro Alves$/ }).count()).resolves.toBe(1);
    await expect(page.locator('dd', { hasText: 'REP-SUL-01' }).count()).resolves.toBe(1);
    await screenshot(page, 'order-handed-over', { docs: true });
  });
});
