import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/platform/db/index.ts';
import { rows } from '../../src/platform/db/sql.ts';
import { recordTicket, type StoredTicket } from '../../src/platform/tickets/service.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

const admin = 'admin@demo.local';

describe.skipIf(chromiumMissing)('back office: Integrações → Tickets and Consumo', () => {
  let b: BrowserApp;
  const reprocessed: { id: string; reason: string }[] = [];
  // A fake VTEX order handler: what a platform adapter registers, minus the platform.
  const handlers = {
    'vtex.order': async (_db: Db, ticket: StoredTicket, reason: string) => {
      reprocessed.push({ id: ticket.id, reason });
      return { ok: true as const };
    },
  };

  beforeAll(async () => {
    b = await startBrowserApp({ reprocessHandlers: handlers });
    await b.t.deliveries.stop();
    const [root] = await rows<{ id: string }>(
      b.t.database.db,
      sql`select id from nodes where parent_id is null`,
    );
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const base = {
      networkId: root!.id,
      // Omnihub fetched the order from VTEX.
      direction: 'out' as const,
      system: 'vtex',
      method: 'GET /api/oms/pvt/orders/{id}',
      kind: 'vtex.order',
      moduleCode: 101,
    };
    await recordTicket(b.t.database.db, {
      ...base,
      status: 'processed',
      latencyMs: 120,
      reference: 'v-1000-01',
      request: '{"orderId":"v-1000-01"}',
      response: '{"status":"ready-for-handling"}',
      startedAt: minutesAgo(50),
    });
    await recordTicket(b.t.database.db, {
      ...base,
      status: 'failed',
      latencyMs: 480,
      reference: 'v-1001-01',
      error: 'SKU VTEX-REF-9 sem mapeamento',
      request: JSON.stringify({
        orderId: 'v-1001-01',
        clientProfileData: {
          firstName: 'Maria',
          lastName: 'Souza',
          email: 'maria.souza@cliente.com.br',
          document: '123.456.789-01',
        },
      }),
      response: 'x'.repeat(70 * 1024),
      startedAt: minutesAgo(30),
    });
    await recordTicket(b.t.database.db, {
      ...base,
      system: 'webhook',
      method: 'POST order.status_changed',
      kind: 'webhook.delivery',
      status: 'processed',
      httpStatus: 200,
      latencyMs: 80,
      startedAt: minutesAgo(10),
    });
  });
  afterAll(() => b?.close());

  it('filters failed tickets, shows a masked payload, reprocesses one with a reason and follows the job', async () => {
    const page = await b.signedIn(admin);
    await page.getByRole('button', { name: 'Integrações' }).click();
    await page.getByRole('link', { name: 'Tickets', exact: true }).click();
    await page.waitForURL('**/integrations/tickets');
    await page.getByRole('heading', { name: 'Tickets do Connector' }).waitFor();
    // No period: the last 24 hours, the three tickets above.
    await expect.poll(() => page.locator('table.connector-tickets-table > tbody > tr').count()).toBe(3);

    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await expect.poll(() => page.locator('table.connector-tickets-table > tbody > tr').count()).toBe(1);
    const row = page.locator('table.connector-tickets-table > tbody > tr').first();
    await expect.poll(() => row.textContent(), POLL).toContain('SKU VTEX-REF-9 sem mapeamento');

    await row.getByRole('button', { name: /^Ver o conteúdo/ }).click();
    const viewer = page.getByRole('dialog', { name: /Ticket vtex/ });
    await viewer.getByText('truncado').waitFor();
    const request = viewer.getByRole('region', { name: 'Requisição' });
    await request.getByText('***.***.***-01').waitFor();
    const shown = await request.textContent();
    expect(shown).toContain('m***@c***.com.br');
    expect(shown).not.toContain('maria.souza');
    expect(shown).not.toContain('123.456.789-01');
    await screenshot(page, 'connector-ticket-payload');
    await viewer.getByRole('button', { name: 'Fechar' }).click();

    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Reprocessar selecionados (1)' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reprocessar 1 ticket(s)' });
    await confirm.getByLabel('Motivo').fill('SKU mapeado na VTEX');
    await confirm.getByRole('button', { name: 'Reprocessar' }).click();
    await page.getByText('Reprocessamento concluído: 1 ticket(s) reprocessado(s), 0 com falha.').waitFor();
    expect(reprocessed).toEqual([{ id: expect.any(String), reason: 'SKU mapeado na VTEX' }]);
    await screenshot(page, 'connector-tickets', { docs: true });
  });

  it('shows the consumption as a chart and a table', async () => {
    const page = await b.signedIn(admin);
    await page.getByRole('button', { name: 'Integrações' }).click();
    await page.getByRole('link', { name: 'Consumo', exact: true }).click();
    await page.waitForURL('**/integrations/consumption');
    await page.getByRole('heading', { name: 'Consumo do Connector' }).waitFor();
    await page.getByTestId('consumption-chart').locator('.recharts-bar-rectangle').first().waitFor();
    const table = page.getByRole('table', { name: 'Detalhe por sistema e método' });
    const vtex = table.getByRole('row').filter({ hasText: 'GET /api/oms/pvt/orders/{id}' });
    // Two calls, one of each outcome; p95 of 120 and 480 ms (continuous) is 462 ms.
    await expect.poll(() => vtex.textContent(), POLL).toMatch(/vtex.*2.*1.*1.*462 ms/);
    await table.getByRole('row').filter({ hasText: 'POST order.status_changed' }).waitFor();
    await screenshot(page, 'connector-consumption', { docs: true });
  });
});
