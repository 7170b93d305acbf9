import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

describe.skipIf(chromiumMissing)('back office: integration interfaces', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('lists and filters the catalogue, deactivates one after asking, edits a schedule, runs one now', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.getByRole('button', { name: 'Integrações' }).click();
    await page.getByRole('link', { name: 'Interfaces' }).click();
    await page.waitForURL('**/integrations/interfaces');
    const row = (code: number) => page.locator(`tr[data-code="${code}"]`);
    await row(1100).waitFor();
    await expect
      .poll(() => row(1100).textContent(), POLL)
      .toMatch(/Cupom.*Hana.*A cada 1 minuto.*Sem adaptador.*Ativa/);
    await expect.poll(() => row(4002).textContent(), POLL).toContain('Sob demanda');
    await expect.poll(() => row(1180).textContent(), POLL).toContain('Inativa');

    // Filters: by system, then by text.
    await page.getByLabel('Sistema').selectOption('SAP');
    await row(1100).waitFor({ state: 'detached' });
    expect(await page.locator('tr[data-code]').count()).toBe(11);
    await page.getByLabel('Pesquisar').fill('preço');
    await expect(page.locator('tr[data-code]').count()).resolves.toBe(1);
    await row(300).waitFor();
    await page.getByLabel('Pesquisar').fill('');
    await page.getByLabel('Sistema').selectOption('');

    // Deactivating asks first; the interface stays scheduled.
    await page.getByRole('button', { name: 'Desativar 1150' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Desativar a interface 1150?').waitFor();
    await dialog.getByRole('button', { name: 'Desativar' }).click();
    await page.getByText('Interface 1150 desativada.').waitFor();
    await expect.poll(() => row(1150).textContent(), POLL).toMatch(/A cada 2 minutos.*Próxima.*Inativa/);

    // A schedule edited: a wrong cron is said beside the field, then a period in minutes is saved.
    await page.getByRole('button', { name: 'Editar 300' }).click();
    await page.getByLabel('Tipo de agendamento').selectOption('cron');
    await page.getByLabel('Expressão cron').fill('0 25 * * *');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('cron: Expressão cron inválida.').waitFor();
    await page.getByLabel('Tipo de agendamento').selectOption('minutes');
    await page.getByLabel('Minutos entre execuções').fill('45');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Interface 300 salva.').waitFor();
    await expect.poll(() => row(300).textContent(), POLL).toContain('A cada 45 minutos');

    // Run now: the inactive interface's run is in its history as "Inativa", with its message.
    await page.getByRole('button', { name: 'Executar agora 1150' }).click();
    await page.getByText('Execução da interface 1150 iniciada.').waitFor();
    const history = page.getByRole('region', { name: 'Execuções da interface 1150' });
    await history.waitFor();
    for (;;) {
      await history.getByRole('button', { name: 'Tentar de novo' }).click();
      const ended = history.locator('tr[data-outcome="inactive"]');
      if ((await ended.count()) > 0) break;
      await page.waitForTimeout(100);
    }
    await expect
      .poll(() => history.locator('tr[data-outcome="inactive"]').textContent(), POLL)
      .toMatch(/Manual.*Inativa.*0.*Interface 1150 inativa/);
    await screenshot(page, 'connector-interfaces', { docs: true });
  });
});
