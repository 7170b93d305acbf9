import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorreiosServer, startCorreiosServer } from '../correios-server/index.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

describe.skipIf(chromiumMissing)('back office: carrier accounts', () => {
  let b: BrowserApp;
  let correios: CorreiosServer;
  beforeAll(async () => {
    correios = await startCorreiosServer({
      user: 'rede-demo',
      accessCode: 'codigo-de-acesso',
      postingCard: '0076770702',
      prices: { '03220': '25,50', '03298': '19,90' },
    });
    b = await startBrowserApp();
  });
  afterAll(async () => {
    await b?.close();
    await correios?.close();
  });

  it('adds a Correios account at the network, tests it, sees it inherited by a store and removes it', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.getByRole('link', { name: 'Transportadoras' }).click();
    await page.waitForURL('**/carriers');
    await page.getByText('Nenhuma conta neste nó nem acima dele.', { exact: false }).waitFor();

    // The adapter's rules come back beside the fields.
    await page.getByRole('button', { name: 'Nova conta' }).click();
    await page.getByLabel('Código da transportadora').fill('correios');
    await page.getByLabel('Endereço da API').fill(correios.url);
    await page.getByLabel('Cartão de postagem').fill('123');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('O cartão de postagem tem 10 dígitos.').waitFor();
    expect(await page.locator('.field-error').allTextContents()).toEqual(
      expect.arrayContaining(['O contrato tem 10 dígitos.', 'Informe a diretoria regional, de 1 a 99.']),
    );

    await page.getByLabel('Cartão de postagem').fill('0076770702');
    await page.getByLabel('Contrato').fill('9912345678');
    await page.getByLabel('Diretoria regional (DR)').fill('74');
    await page.getByLabel('Usuário (Meu Correios)').fill('rede-demo');
    await page.getByLabel('Código de acesso da API').fill('codigo-de-acesso');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Conta CORREIOS salva.').waitFor();
    const row = page.locator('tr[data-carrier="CORREIOS"]');
    await expect.poll(() => row.textContent(), POLL).toContain('credenciais guardadas');
    expect(await page.content()).not.toContain('codigo-de-acesso');

    await row.getByRole('button', { name: 'Testar CORREIOS' }).click();
    const answer = page.getByText('A transportadora respondeu à cotação de teste', { exact: false });
    await answer.waitFor();
    await expect.poll(() => answer.textContent(), POLL).toMatch(/SEDEX: R\$\s25,50 em 3 dia/);
    await screenshot(page, 'carrier-accounts');

    // Store 11 uses the network's account and cannot change it from here.
    await page.getByLabel('Nó da rede').selectOption('11');
    const inherited = page.locator('tr[data-carrier="CORREIOS"][data-node="DEMO"]');
    await inherited.waitFor();
    await expect.poll(() => inherited.textContent(), POLL).toContain('herdada de DEMO');
    expect(await inherited.getByRole('button').count()).toBe(0);

    await page.getByLabel('Nó da rede').selectOption('DEMO');
    await page.getByRole('button', { name: 'Excluir CORREIOS' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Excluir a conta CORREIOS de DEMO?').waitFor();
    await dialog.getByRole('button', { name: 'Excluir' }).click();
    await page.getByText('Conta CORREIOS excluída.').waitFor();
    await page.getByText('Nenhuma conta neste nó nem acima dele.', { exact: false }).waitFor();
  });
});
