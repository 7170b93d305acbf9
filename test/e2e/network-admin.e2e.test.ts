import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, PLATFORM } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** The codes under a node of the tree, as the user sees them. */
async function childrenInTree(page: Page, code: string): Promise<string[]> {
  const tree = page.getByRole('navigation', { name: 'Estrutura da rede' });
  const item = tree
    .locator('li')
    .filter({ has: page.locator(`:scope > .tree-item .code:text-is("${code}")`) });
  return item.locator(':scope > ul > li > .tree-item .code').allTextContents();
}

describe.skipIf(chromiumMissing)('back office: stores and centrals administration', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('creates store 31 under SUL (alphanumeric CNPJ, city from the autocomplete, point on the map) and edits its e-mail', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.goto('/network/SUL');
    await page.getByRole('button', { name: 'Nova loja' }).click();
    const form = page.getByRole('region', { name: 'Nova loja em Central Sul-Sudeste' });
    await form.waitFor();

    await form.getByLabel('Código', { exact: true }).fill('31');
    await form.getByLabel('Nome', { exact: true }).fill('Loja 31 — Campinas Centro');
    await form.getByLabel('Razão social').fill('Demo Comércio Campinas Centro Ltda.');
    await form.getByLabel('CNPJ', { exact: true }).pressSequentially('12abc34501de35');
    await expect(form.getByLabel('CNPJ', { exact: true }).inputValue()).resolves.toBe('12.ABC.345/01DE-35');
    await form.getByLabel('Inscrição estadual').fill('110.042.490.114');
    await form.getByLabel('E-mail').fill('loja31@demo.local');
    await form.getByLabel('UF', { exact: true }).selectOption('SP');
    await form.getByLabel('Município').fill('campin');
    await form.getByRole('button', { name: /^Campinas 3509502/ }).click();
    await form.getByText('Código IBGE: 3509502').waitFor();
    await form.getByLabel('Logradouro').fill('Rua Barão de Jaguara');
    await form.getByLabel('Número', { exact: true }).fill('900');
    await form.getByLabel('Bairro').fill('Centro');
    await form.getByLabel('CEP').fill('13015001');
    await expect(form.getByLabel('CEP').inputValue()).resolves.toBe('13015-001');

    await form.getByRole('button', { name: 'Escolher no mapa' }).click();
    const map = form.getByRole('img', { name: /Mapa para escolher as coordenadas/ });
    await map.click({ position: { x: 420, y: 260 } });
    const latitude = Number((await form.getByLabel('Latitude').inputValue()).replace(',', '.'));
    const longitude = Number((await form.getByLabel('Longitude').inputValue()).replace(',', '.'));
    // Near Campinas' centre (-22.91, -47.06), where the map starts.
    expect(Math.abs(latitude + 22.91)).toBeLessThan(0.3);
    expect(Math.abs(longitude + 47.06)).toBeLessThan(0.3);
    await screenshot(page, 'network-store-form', { docs: true });

    await form.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.waitForURL('**/network/31');
    await page.getByText('31 criada e selecionada na estrutura da rede.').waitFor();
    const card = page.getByRole('region', { name: /Loja 31 — Campinas Centro/ });
    await card.getByText('12.ABC.345/01DE-35').waitFor();
    await card.getByText('Campinas/SP').waitFor();
    await expect.poll(() => childrenInTree(page, 'SUL')).toEqual(['3', '8', '11', '31']);

    await page.getByRole('button', { name: 'Editar', exact: true }).click();
    const edit = page.getByRole('region', { name: 'Editar Loja 31 — Campinas Centro' });
    await expect(edit.getByLabel('Município').inputValue()).resolves.toBe('Campinas');
    await edit.getByLabel('E-mail').fill('campinas.centro@demo.local');
    await edit.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText('Dados de 31 salvos.').waitFor();
    await page
      .getByRole('region', { name: /Loja 31/ })
      .getByText('campinas.centro@demo.local')
      .waitFor();

    // Another admin saves first: this save is refused as stale, said so, and the form shows their data.
    await page.getByRole('button', { name: 'Editar', exact: true }).click();
    const again = page.getByRole('region', { name: 'Editar Loja 31 — Campinas Centro' });
    await again.getByLabel('Complemento').fill('Loja A');
    const current = await b.t.request('GET', '/api/v1/nodes/31', { auth: 'admin@demo.local' });
    const other = await b.t.request('PATCH', '/api/v1/nodes/31', {
      auth: 'admin@demo.local',
      body: { version: current.body.version, email: 'outra@demo.local' },
    });
    expect(other.status).toBe(200);
    await again.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page
      .getByText('Outra pessoa alterou esta unidade enquanto você editava.', { exact: false })
      .waitFor();
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: /Editar Loja 31/ })
          .getByLabel('E-mail')
          .inputValue(),
      )
      .toBe('outra@demo.local');
  });

  it('names the fields the server refuses, in Portuguese', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.goto('/network/SUL');
    await page.getByRole('button', { name: 'Nova loja' }).click();
    const form = page.getByRole('region', { name: 'Nova loja em Central Sul-Sudeste' });
    await form.getByLabel('Código', { exact: true }).fill('11');
    await form.getByLabel('Nome', { exact: true }).fill('Outra');
    await form.getByLabel('Razão social').fill('Outra Ltda.');
    await form.getByLabel('CNPJ', { exact: true }).fill('11222333000181');
    await form.getByRole('button', { name: 'Salvar', exact: true }).click();
    await form.locator('.field-error').getByText('Este código já é de outra unidade da rede.').waitFor();
  });

  it('refuses to deactivate store 11 while it has open orders, listing them as links', async () => {
    const order = await b.t.request('POST', '/api/v1/orders', { auth: PLATFORM, body: orderBody() });
    expect(order.status).toBe(201);
    const page = await b.signedIn('admin@demo.local');
    await page.goto('/network/11');
    await page.getByRole('button', { name: 'Desativar', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Desativar Loja 11 — São Paulo (e-commerce)?').waitFor();
    await dialog.getByRole('button', { name: 'Desativar', exact: true }).click();
    const blocked = page.getByRole('alert').filter({ hasText: 'Não é possível desativar 11 agora' });
    await blocked.waitFor();
    const link = blocked.getByRole('link', { name: `Pedido ${order.body.number} — Em aberto` });
    await link.waitFor();
    await screenshot(page, 'network-deactivate-blocked', { docs: true });
    await link.click();
    await page.waitForURL(`**/orders/${order.body.id}`);
    const node = await b.t.request('GET', '/api/v1/nodes/11', { auth: 'admin@demo.local' });
    expect(node.body.active).toBe(true);
  });
});
