import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOJA11, orderBody, PLATFORM } from '../order-fixtures.ts';
import { invoicedPickupOrder, restock } from '../pickup-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

const admin = 'admin@demo.local';

describe.skipIf(chromiumMissing)(
  'back office: the order’s Financeiro and Financeiro → Contas a receber',
  () => {
    let b: BrowserApp;
    let invoiced: { id: string; number: number; document: { accessKey: string } };
    let cancelled: { id: string; externalId: string };

    beforeAll(async () => {
      b = await startBrowserApp();
      await b.t.deliveries.stop();
      // A card order accepted and invoiced (its advance settles the sale) …
      invoiced = await invoicedPickupOrder(b.t);
      // … and a pix order accepted then cancelled (its receivable released: cancelled).
      await restock(b.t, [['CAL-002', 1]]);
      const body = orderBody();
      body.payments = [{ method: 'pix', amount: '199.90', installments: 1 }];
      const created = await b.t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      cancelled = { id: created.body.id, externalId: body.externalId };
      expect(
        (await b.t.request('POST', `/api/v1/orders/${cancelled.id}/accept`, { auth: LOJA11 })).status,
      ).toBe(200);
      const cancel = await b.t.request('POST', `/api/v1/orders/${cancelled.id}/transitions`, {
        auth: LOJA11,
        body: { to: 'cancelled', reason: 'Cliente desistiu' },
      });
      expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    });
    afterAll(() => b?.close());

    it('shows the receivable, the settled advance and the settlement on the order page', async () => {
      const page = await b.signedIn(admin);
      await page.goto(`/orders/${invoiced.id}`);
      const section = page.getByRole('region', { name: 'Financeiro' });
      await section.getByRole('heading', { name: 'Contas a receber' }).waitFor();
      const receivables = section.getByRole('table', { name: 'Contas a receber' });
      const row = receivables.locator('tbody > tr').first();
      await expect
        .poll(() => row.textContent(), POLL)
        .toMatch(/Cartão de crédito.*Maria Silva.*R\$\s*199,90.*Em aberto/);
      await row.getByRole('button', { name: /Ver 1 parcela/ }).click();
      await receivables.getByRole('columnheader', { name: 'Vencimento' }).waitFor();

      const advance = section.getByRole('region', { name: /Adiantamento do cliente/ });
      await advance.getByText('Liquidado', { exact: true }).first().waitFor();
      await expect.poll(() => advance.textContent(), POLL).toMatch(/Valor recebido\s*R\$\s*199,90/);
      const settlements = section.getByRole('table', { name: 'Liquidações' });
      await expect.poll(() => settlements.textContent(), POLL).toContain(invoiced.document.accessKey);
      await section.getByText(/^Lançamentos \(2\)/).click();
      await section.getByRole('cell', { name: 'Faturamento e liquidação' }).waitFor();
      await section.scrollIntoViewIfNeeded();
      await screenshot(page, 'finance-order', { docs: true });
    });

    it('shows the empty state while the order is not accepted', async () => {
      const created = await b.t.request('POST', '/api/v1/orders', { auth: PLATFORM, body: orderBody() });
      expect(created.status).toBe(201);
      const page = await b.signedIn(admin);
      await page.goto(`/orders/${created.body.id}`);
      await page
        .getByRole('region', { name: 'Financeiro' })
        .getByText('Sem movimento financeiro: o financeiro nasce no aceite do pedido.')
        .waitFor();
    });

    it('lists, filters and exports Contas a receber', async () => {
      const page = await b.signedIn(admin);
      await page.getByRole('button', { name: 'Financeiro' }).click();
      await page.getByRole('link', { name: 'Contas a receber', exact: true }).click();
      await page.waitForURL('**/finance/receivables');
      await page.getByRole('heading', { name: 'Contas a receber', level: 1 }).waitFor();
      const rows = page.locator('table.receivables-table > tbody > tr');
      await expect.poll(() => rows.count()).toBe(2);

      await page.getByLabel('Tipo de documento').selectOption('pix');
      await page.getByRole('button', { name: 'Filtrar' }).click();
      await expect.poll(() => rows.count()).toBe(1);
      await expect.poll(() => rows.first().textContent(), POLL).toMatch(/Pix.*Cancelado/);

      await page.getByLabel('Tipo de documento').selectOption('');
      await page.getByLabel('Situação').selectOption('open');
      await page.getByRole('button', { name: 'Filtrar' }).click();
      await expect.poll(() => rows.count()).toBe(1);
      await expect.poll(() => rows.first().textContent(), POLL).toContain(String(invoiced.number));

      await page.getByLabel('Situação').selectOption('partially_cancelled');
      await page.getByRole('button', { name: 'Filtrar' }).click();
      await page.getByText('Nenhuma conta a receber atende a esses filtros.').waitFor();

      await page.getByRole('button', { name: 'Limpar filtros' }).click();
      await expect.poll(() => rows.count()).toBe(2);
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Exportar CSV' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('contas-a-receber.csv');
      const csv = fs.readFileSync((await file.path())!, 'utf8');
      expect(csv).toContain('Emissão;Loja;Pedido');
      expect(csv).toContain(cancelled.externalId);
      expect(csv).toContain(';199,90;0,00;Cancelado');
      await screenshot(page, 'finance-receivables', { docs: true });
    });
  },
);
