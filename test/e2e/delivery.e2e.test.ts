import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

describe.skipIf(chromiumMissing)('back office: delivery experiences', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('creates an experience, pastes the companies copied from SEDEX, shows the map and simulates a delivery', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.getByRole('link', { name: 'Experiências de entrega' }).click();
    await page.waitForURL('**/delivery');
    const list = page.getByRole('navigation', { name: 'Configurações' });
    await list.getByRole('link', { name: /^SEDEX / }).waitFor();
    expect(await list.locator('.experience-list .code').allTextContents()).toEqual([
      'PROPRIA',
      'RETIRA',
      'SEDEX',
    ]);

    // The carrier rules are checked beside the fields before anything is sent.
    await page.getByRole('link', { name: 'Nova experiência' }).click();
    await page.getByLabel('Código', { exact: true }).fill('EXPRESSA');
    await page.getByLabel('Configuração', { exact: true }).fill('Envio Correios – expresso');
    await page.getByLabel('Código da transportadora').fill('correios');
    await expect(page.getByLabel('Tipo de experiência').inputValue()).resolves.toBe('ship');
    await page.getByRole('button', { name: 'Criar experiência' }).click();
    await page.getByText('Informe o código do serviço: é obrigatório para Correios.').waitFor();
    await page.getByLabel('Serviço').fill('04014 SEDEX');
    await page.getByLabel('Transportadora', { exact: true }).fill('Correios');
    await page.getByRole('button', { name: 'Criar experiência' }).click();
    await page.waitForURL('**/delivery/EXPRESSA');
    await page.getByText('Nenhuma empresa habilitada nesta configuração.').waitFor();

    // Copy SEDEX's companies, come back and paste them.
    await list.getByRole('link', { name: /^SEDEX / }).click();
    await page.waitForURL('**/delivery/SEDEX');
    await page.locator('tr[data-store="3"]').waitFor();
    await page.getByRole('button', { name: 'Copiar empresas' }).click();
    await page.getByText('3 empresas copiadas de SEDEX.').waitFor();
    await list.getByRole('link', { name: /^EXPRESSA / }).click();
    await page.waitForURL('**/delivery/EXPRESSA');
    const paste = page.getByRole('button', { name: 'Colar empresas (SEDEX)' });
    await expect(paste.getAttribute('title')).resolves.toBe('Copiado de SEDEX (3 empresas)');
    await paste.click();
    await page.getByText('Empresas de SEDEX coladas em EXPRESSA.').waitFor();
    expect(
      await page
        .locator('tr[data-store]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-store'))),
    ).toEqual(['3', '8', '11']);

    await page.getByRole('button', { name: 'Ver mapa' }).click();
    const map = page.getByRole('img', { name: 'Mapa das empresas habilitadas em EXPRESSA' });
    await map.waitFor();
    await expect
      .poll(() => map.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(800);
    await screenshot(page, 'delivery-experience', { docs: true });

    // CAL-002 to Curitiba: store 11 has it; the dates are shown the Brazilian way.
    await page.getByLabel('CEP de destino').fill('80020-310');
    await page.getByLabel('SKU').fill('CAL-002');
    await page.getByLabel('Quantidade').fill('1');
    await page.getByRole('button', { name: 'Simular' }).click();
    await page.getByText('Destino: CEP 80020-310 — PR (Sul)').waitFor();
    const row = page.locator('tr[data-option="EXPRESSA:11"]');
    await row.waitFor();
    await expect.poll(() => row.locator('td').nth(3).textContent(), POLL).toBe('Atende');
    await expect
      .poll(() => row.locator('.expected-date').textContent(), POLL)
      .toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await screenshot(page, 'delivery-simulation');

    // Deleting asks first.
    await page.getByRole('button', { name: 'Excluir' }).click();
    const dialog = page.getByRole('dialog', { name: 'Excluir a experiência EXPRESSA?' });
    await dialog.getByRole('button', { name: 'Excluir' }).click();
    await page.getByText('Experiência EXPRESSA excluída.').waitFor();
    await page.waitForURL('**/delivery');
    // The list reloads after the deletion: wait for the deleted one to leave it before reading it.
    await list.locator('.experience-list .code', { hasText: 'EXPRESSA' }).waitFor({ state: 'detached' });
    expect(await list.locator('.experience-list .code').allTextContents()).toEqual([
      'PROPRIA',
      'RETIRA',
      'SEDEX',
    ]);
  });

  it('offers the screen to admins only', async () => {
    const page = await b.signedIn('loja11@demo.local');
    await expect(page.getByRole('link', { name: 'Experiências de entrega' }).count()).resolves.toBe(0);
  });
});
