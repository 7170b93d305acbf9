import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECEIVER_HOSTS } from '../harness.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

const admin = 'admin@demo.local';

describe.skipIf(chromiumMissing)('back office: Auditoria', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp({ webhookAllowHosts: RECEIVER_HOSTS });
    await b.t.deliveries.stop();
  });
  afterAll(() => b?.close());

  it('finds a parameter change with its before and after, filters by node and exports the CSV', async () => {
    const changed = await b.t.request('PUT', '/api/v1/nodes/11/parameters/9259', {
      auth: admin,
      body: { value: '4' },
    });
    expect(changed.status).toBe(200);
    const clients = (await b.t.request('GET', '/api/v1/api-clients', { auth: admin })).body.items;
    const platform = clients.find((c: { scope: string }) => c.scope === 'platform');
    const hook = await b.t.request('PUT', `/api/v1/api-clients/${platform.id}/webhook`, {
      auth: admin,
      body: { url: 'http://127.0.0.1:9/eventos', secret: 'segredo-que-nunca-aparece-1234' },
    });
    expect(hook.status).toBe(200);

    const page = await b.signedIn(admin);
    await page.getByRole('link', { name: 'Auditoria' }).click();
    await page.waitForURL('**/audit');
    await page.getByRole('heading', { name: 'Auditoria' }).waitFor();
    // The period starts as the last 7 days.
    const from = await page.getByLabel('De', { exact: true }).inputValue();
    const to = await page.getByLabel('Até', { exact: true }).inputValue();
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(6);

    const row = page.getByRole('row').filter({ hasText: 'Parâmetro definido' });
    await expect.poll(() => row.textContent(), POLL).toMatch(/Administrador da rede/);
    await expect.poll(() => row.textContent(), POLL).toContain('9259');
    await page.getByRole('button', { name: 'Ver alterações de Parâmetro definido' }).click();
    const changes = page.locator('tr.audit-changes table');
    await expect.poll(() => changes.locator('thead').textContent(), POLL).toBe('CampoAntesDepois');
    await expect.poll(() => changes.locator('tbody tr').first().textContent(), POLL).toBe('value14');

    // The webhook's secret is masked: shown as hidden, never its value.
    await page.getByRole('button', { name: 'Ver alterações de Webhook configurado' }).click();
    await page.locator('tr.audit-changes').getByText('•••••• (oculto)').waitFor();
    expect(await page.content()).not.toContain('segredo-que-nunca-aparece');
    await screenshot(page, 'audit', { docs: true });

    // No parameter of node 8 changed; 11 has the one above (the demo seed's creation of each node aside).
    await page.getByLabel('O quê', { exact: true }).selectOption('parameter');
    await page.getByLabel('Unidade', { exact: true }).selectOption('8');
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await page.getByText('Nenhuma alteração encontrada').waitFor();
    await page.getByLabel('Unidade', { exact: true }).selectOption('11');
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await row.waitFor();
    await expect.poll(() => page.locator('table.audit-table > tbody > tr').count()).toBe(1);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exportar CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('auditoria.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFat,actor,role,address,action,target_type,target,node,changes\r\n')).toBe(
      true,
    );
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',network_admin,');
    expect(lines[1]).toContain(',parameter.set,parameter,9259,11,"value: ""1"" → ""4"""');
  });
});
