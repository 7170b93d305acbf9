import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

describe.skipIf(chromiumMissing)('back office: API keys, and a POS paired with a code', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('creates a PDV client for store 8, shows its key once, and pairs a POS at /pos/pair with a code', async () => {
    // The demo POS has worked today: the list tells when.
    expect((await b.t.request('GET', '/api/v1/auth/me', { auth: 'demo-pos-11' })).status).toBe(200);
    const page = await b.signedIn('admin@demo.local');
    await page.getByRole('link', { name: 'Chaves de API' }).click();
    await page.waitForURL('**/api-clients');
    await page.getByRole('heading', { name: 'Chaves de API', level: 1 }).waitFor();
    // The demo's clients, the POS of store 11 already used by nobody in this fresh database.
    await page
      .getByRole('cell', { name: /Loja 11 —/ })
      .first()
      .waitFor();
    await screenshot(page, 'api-clients', { docs: true });

    await page.getByRole('button', { name: 'Novo cliente' }).click();
    const form = page.getByRole('region', { name: 'Novo cliente de API' });
    // Without a store the form says so beside the field, and nothing is sent.
    await form.getByLabel('Nome').fill('PDV Campinas caixa 1');
    await form.getByRole('button', { name: 'Criar cliente' }).click();
    await form.locator('.field-error').getByText('Campo obrigatório.').waitFor();
    await form.getByLabel('Loja').selectOption({ value: '8' });
    await form.getByRole('button', { name: 'Criar cliente' }).click();

    const once = page.getByRole('dialog', { name: 'Chave de API de PDV Campinas caixa 1' });
    await once.getByText('Esta chave não será mostrada de novo.').waitFor();
    const key = await once.getByLabel('Chave').inputValue();
    expect(key).toMatch(/^ohk_/);
    await once.getByRole('button', { name: 'Copiar' }).click();
    await once.getByText(/Chave copiada\.|use Ctrl\+C/).waitFor();
    await screenshot(page, 'api-key-once', { docs: true });
    await once.getByRole('button', { name: 'Já guardei a chave' }).click();
    await expect.poll(() => once.isVisible()).toBe(false);

    // The new client's panel: its one key by prefix, never used yet.
    const panel = page.getByRole('region', { name: 'Chaves de PDV Campinas caixa 1' });
    await panel.getByRole('cell', { name: `${key.slice(0, 8)}…`, exact: true }).waitFor();
    await panel.getByRole('cell', { name: 'nunca usada' }).waitFor();
    await screenshot(page, 'api-clients', { docs: true });
    await panel.getByRole('button', { name: 'Código de pareamento' }).click();
    const pairing = page.getByRole('dialog', { name: 'Código de pareamento de PDV Campinas caixa 1' });
    const code = (await pairing.locator('.pairing-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await pairing.getByText(/Expira em 0?9:\d\d|Expira em 10:00/).waitFor();

    // The counter: another browser, nobody signed in.
    const { page: pos } = await b.newPage({ width: 800, height: 640 });
    await pos.goto('/pos/pair');
    await pos.getByRole('heading', { name: 'Parear este PDV' }).waitFor();
    await pos.getByLabel('Código de pareamento').fill('ZZZZ-ZZZZ');
    await pos.getByRole('button', { name: 'Parear' }).click();
    await pos.getByText('Código inválido, já usado ou expirado.', { exact: false }).waitFor();
    await pos.getByLabel('Código de pareamento').fill(code.replace('-', '').toLowerCase());
    await pos.getByRole('button', { name: 'Parear' }).click();
    await pos.getByText(/PDV pareado com a loja 8 — /).waitFor();
    await screenshot(pos, 'pos-pairing', { docs: true });
    const posKey = await pos.evaluate(() => (globalThis as any).localStorage.getItem('omnihub.posKey'));
    expect(posKey).toMatch(/^ohk_/);
    expect(posKey).not.toBe(key);
    const me = await b.t.request('GET', '/api/v1/auth/me', { auth: posKey });
    expect(me.body).toMatchObject({
      kind: 'client',
      actor: 'pos',
      name: 'PDV Campinas caixa 1',
      nodeCode: '8',
    });

    await pairing.getByRole('button', { name: 'Fechar' }).click();
  });
});
