import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

const rows = (page: Page) => page.locator('table.catalog-table > tbody > tr[data-sku]');
const skus = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sku')));
const flag = (page: Page, name: 'Integra e-commerce' | 'Ativo e-commerce', sku: string) =>
  page.getByRole('switch', { name: `${name} (${sku})`, exact: true });

/** The stock panel's figures of one SKU, by store: "available" as the clerk reads it. */
async function stockByStore(page: Page, sku: string): Promise<Record<string, string>> {
  const panel = page.getByRole('region', { name: `Estoque de ${sku} por loja` });
  await panel.locator('tbody tr').first().waitFor();
  const found = await panel
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-store'), tr.querySelectorAll('td')[2]?.textContent?.trim()]),
    );
  return Object.fromEntries(found);
}

describe.skipIf(chromiumMissing)('back office: catalog', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('searches and filters the products, and shows the stock of a SKU in each store', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.getByRole('link', { name: 'Catálogo' }).click();
    await rows(page).first().waitFor();
    expect(await rows(page).count()).toBe(25);
    await page.getByText('25 produtos exibidos').waitFor();
    await screenshot(page, 'catalog', { docs: true });

    await page.getByLabel('Pesquisar produto').fill('camiseta');
    await expect.poll(() => skus(page)).toEqual(['CAM-001', 'CAM-002', 'CAM-003', 'CAM-004']);
    await page.getByRole('combobox', { name: 'Ativo e-commerce' }).selectOption({ label: 'Não' });
    await expect.poll(() => skus(page)).toEqual(['CAM-004']);
    expect(new URL(page.url()).search).toContain('ativo=nao');

    await page.getByLabel('Pesquisar produto').fill('nada-assim');
    await page.getByRole('heading', { name: 'Nenhum produto encontrado' }).waitFor();
    await page.getByRole('button', { name: 'Limpar filtros' }).click();
    await expect.poll(() => rows(page).count()).toBe(25);

    // By EAN prefix, then the stock panel, opened from the keyboard.
    await page.getByLabel('Pesquisar produto').fill('7896012010013');
    await page.getByLabel('Pesquisar produto').press('Enter');
    await expect.poll(() => skus(page)).toEqual(['CAM-001']);
    await page.getByRole('button', { name: 'Estoque por loja de CAM-001' }).focus();
    await page.keyboard.press('Enter');
    expect(await stockByStore(page, 'CAM-001')).toEqual({ '11': '0', '8': '2', '3': '1' });
    await screenshot(page, 'catalog-stock');
    await expect(
      page.getByRole('button', { name: 'Estoque por loja de CAM-001' }).getAttribute('aria-expanded'),
    ).resolves.toBe('true');
  });

  it('changes the e-commerce flags of a selection in bulk, with the job’s progress, and of one product', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.goto('/catalog?q=CAM-');
    await expect.poll(() => skus(page)).toEqual(['CAM-001', 'CAM-002', 'CAM-003', 'CAM-004']);

    // Deactivate the four, then activate them again: the bar reaches 100 % each time.
    await page.getByRole('checkbox', { name: 'Selecionar todos os produtos desta página' }).check();
    await page.getByText('4 produtos selecionados').waitFor();
    await page.getByRole('button', { name: 'Desativar', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Desativar no e-commerce os 4 produtos selecionados?').waitFor();
    await dialog.getByRole('button', { name: 'Desativar', exact: true }).click();
    await page.getByTestId('job-percent').getByText('100 %').waitFor();
    await page.getByText('3 produtos alterados. 1 já estava assim.').waitFor();
    for (const sku of ['CAM-001', 'CAM-002', 'CAM-003', 'CAM-004']) {
      await expect.poll(() => flag(page, 'Ativo e-commerce', sku).getAttribute('aria-checked')).toBe('false');
    }

    await page.getByRole('checkbox', { name: 'Selecionar todos os produtos desta página' }).check();
    await page.getByRole('button', { name: 'Ativar no e-commerce' }).click();
    await dialog.getByText('Ativar no e-commerce os 4 produtos selecionados?').waitFor();
    await dialog.getByRole('button', { name: 'Ativar no e-commerce' }).click();
    await page.getByText('4 produtos alterados.').waitFor();
    const progress = page.getByRole('progressbar', { name: 'Progresso da alteração em massa' });
    await expect(progress.getAttribute('value')).resolves.toBe('100');
    await page.getByText('4 de 4 produtos').waitFor();
    await page.getByTestId('job-percent').getByText('100 %').waitFor();
    for (const sku of ['CAM-001', 'CAM-002', 'CAM-003', 'CAM-004']) {
      await expect.poll(() => flag(page, 'Ativo e-commerce', sku).getAttribute('aria-checked')).toBe('true');
    }
    await screenshot(page, 'catalog-bulk-progress', { docs: true });

    // One product from the keyboard: no longer integrated, hence no longer active either.
    await flag(page, 'Integra e-commerce', 'CAM-004').focus();
    await page.keyboard.press('Space');
    await page.getByText('CAM-004 deixou de integrar ao e-commerce e foi desativado nele.').waitFor();
    await expect(flag(page, 'Ativo e-commerce', 'CAM-004').getAttribute('aria-checked')).resolves.toBe(
      'false',
    );
    await expect(flag(page, 'Ativo e-commerce', 'CAM-004').isDisabled()).resolves.toBe(true);
    const product = await b.t.request('GET', '/api/v1/products/CAM-004', { auth: 'admin@demo.local' });
    expect(product.body).toMatchObject({ integratesEcommerce: false, activeEcommerce: false });
  });

  it('shows a store manager the flags read-only, its own prices and its own stock', async () => {
    const page = await b.signedIn('loja11@demo.local');
    await page.goto('/catalog?q=CAM-001');
    await expect.poll(() => skus(page)).toEqual(['CAM-001']);
    await page.getByText('Somente administradores alteram as marcações de e-commerce').waitFor();
    expect(await page.getByRole('switch').count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Ativar no e-commerce' }).count()).toBe(0);
    await page.getByRole('columnheader', { name: 'Preço (Loja 11)' }).waitFor();
    await page.getByRole('button', { name: 'Estoque por loja de CAM-001' }).click();
    expect(await stockByStore(page, 'CAM-001')).toEqual({ '11': '0' });
    await screenshot(page, 'catalog-store-read-only');
  });
});
