import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

describe.skipIf(chromiumMissing)('back office: e-commerce platforms and their mappings', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('connects Nuvemshop (errors beside the fields first), maps a SKU and removes it with confirmation', async () => {
    const page = await b.signedIn('admin@demo.local', { width: 1400, height: 1000 });
    await page.goto(`${b.baseUrl}/integrations/platforms`);
    await page.getByRole('heading', { name: 'Plataformas de e-commerce' }).waitFor();
    const form = page.getByRole('form', { name: 'Nuvemshop' });
    await form.getByText('Ainda não conectada', { exact: false }).waitFor();

    await form.getByRole('button', { name: 'Salvar conexão' }).click();
    await form.getByText('Confira os campos destacados.').waitFor();
    expect(await form.locator('.field-error').allTextContents()).toEqual(
      expect.arrayContaining(['Formato inválido.', 'Informe ao menos 1 caractere(s).']),
    );

    await form.getByLabel('ID da loja (store_id)').fill('123456');
    await form.getByLabel('Access token').fill('token-da-loja-0042');
    await form.getByLabel('Segredo do app').fill('segredo-do-app-0042');
    await form.getByLabel('User-Agent').fill('Omnihub (ti@demo.local)');
    await form.getByLabel('Loja padrão').fill('999');
    await form.getByRole('button', { name: 'Salvar conexão' }).click();
    await form.getByText('Não há loja com esse código na rede.').waitFor();

    await form.getByLabel('Loja padrão').fill('11');
    await form.getByRole('button', { name: 'Salvar conexão' }).click();
    await form.getByText('Conexão salva.').waitFor();
    await expect(form.getByLabel('URL do webhook').inputValue()).resolves.toMatch(
      /\/api\/v1\/connectors\/nuvemshop\/hook$/,
    );
    await expect(form.getByLabel('Access token').getAttribute('placeholder')).resolves.toContain('guardado');
    expect(await page.content()).not.toContain('segredo-do-app-0042');

    const mappings = page.getByRole('region', { name: 'Mapeamentos — Nuvemshop' });
    await mappings.getByRole('button', { name: 'SKUs' }).click();
    await mappings.getByText('Nenhum SKU mapeado', { exact: false }).waitFor();
    await mappings.getByLabel('SKU na plataforma').fill('NS-CAMISA-P');
    await mappings.getByLabel('SKU Omnihub').fill('NAO-EXISTE');
    await mappings.getByRole('button', { name: 'Adicionar' }).click();
    await mappings.getByText('O Omnihub não conhece esse código.').waitFor();

    await mappings.getByLabel('SKU Omnihub').fill('CAM-001');
    await mappings.getByRole('button', { name: 'Adicionar' }).click();
    await mappings.getByText('Mapeamento salvo.').waitFor();
    await mappings.getByRole('cell', { name: 'NS-CAMISA-P', exact: true }).waitFor();
    await screenshot(page, 'connector-platforms');

    await mappings.getByRole('button', { name: 'Remover NS-CAMISA-P' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Remover mapeamento?').waitFor();
    await dialog.getByRole('button', { name: 'Remover' }).click();
    await mappings.getByText('Mapeamento removido.').waitFor();
    await mappings.getByText('Nenhum SKU mapeado', { exact: false }).waitFor();
  });
});
