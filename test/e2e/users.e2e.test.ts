import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

const EMAIL = 'gerente8@demo.local';
const OWN_PASSWORD = 'Bom-dia-Omnihub-42';

describe.skipIf(chromiumMissing)('back office: users, the forced password change and own sessions', () => {
  let b: BrowserApp;
  let temporary = '';
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('an admin creates a store manager for store 8 and is shown the temporary password once', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.getByRole('link', { name: 'Usuários' }).click();
    await page.waitForURL('**/users');
    await page.locator('tr[data-email="loja8@demo.local"]').waitFor();

    await page.getByRole('button', { name: 'Novo usuário' }).click();
    const form = page.getByRole('region', { name: 'Novo usuário' });
    await form.getByLabel('Nome').fill('Gerente Campinas');
    await form.getByLabel('E-mail').fill('loja8@demo.local');
    await form.getByLabel('Perfil').selectOption({ label: 'Gerente da loja' });
    await form.getByLabel('Unidade').selectOption({ label: '8 — Loja 8 — Campinas' });
    await form.getByRole('button', { name: 'Criar usuário' }).click();
    await form.getByText('Já existe um usuário com este e-mail.').waitFor();

    await form.getByLabel('E-mail').fill(EMAIL);
    await form.getByRole('button', { name: 'Criar usuário' }).click();
    const dialog = page.getByRole('dialog', { name: 'Senha provisória de Gerente Campinas' });
    await dialog.getByText('Esta senha não será mostrada de novo.').waitFor();
    temporary = await dialog.getByLabel('Senha provisória').inputValue();
    expect(temporary).toMatch(/^[A-Za-z2-9]{16}$/);
    await dialog.getByRole('button', { name: 'Já anotei, fechar' }).click();

    const row = page.locator(`tr[data-email="${EMAIL}"]`);
    await row.getByText('Senha provisória').waitFor();
    await expect.poll(() => row.textContent(), POLL).toContain('Gerente da loja');
    expect(await page.content()).not.toContain(temporary);
    await screenshot(page, 'users', { docs: true });
  });

  it('the new user signs in, must choose a password first, then reaches the queue', async () => {
    const { page } = await b.newPage();
    await page.goto('/orders');
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Senha').fill(temporary);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { name: 'Defina sua nova senha' }).waitFor();
    expect(await page.getByTestId('current-user').count()).toBe(0);

    await page.getByLabel('Senha provisória').fill(temporary);
    await page.getByLabel('Nova senha', { exact: true }).fill('Campinas-2026!');
    await page.getByLabel('Confirme a nova senha').fill('Campinas-2026!');
    await page.getByRole('button', { name: 'Salvar e continuar' }).click();
    await page.getByText('A senha não pode conter o nome da unidade (Loja 8 — Campinas).').waitFor();
    await screenshot(page, 'password-change', { docs: true });

    await page.getByLabel('Nova senha', { exact: true }).fill(OWN_PASSWORD);
    await page.getByLabel('Confirme a nova senha').fill(OWN_PASSWORD);
    await page.getByRole('button', { name: 'Salvar e continuar' }).click();
    await page.getByTestId('current-user').waitFor();
    await page.getByRole('heading', { name: 'Pedidos de venda omni' }).waitFor();
  });

  it('"Minha conta" lists the own sessions and ends another one', async () => {
    const { page: other } = await b.newPage();
    await other.goto('/orders');
    await other.getByLabel('E-mail').fill(EMAIL);
    await other.getByLabel('Senha').fill(OWN_PASSWORD);
    await other.getByRole('button', { name: 'Entrar' }).click();
    await other.getByTestId('current-user').waitFor();

    const { page } = await b.newPage();
    await page.goto('/orders');
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Senha').fill(OWN_PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('link', { name: 'Minha conta: Gerente Campinas' }).click();
    await page.waitForURL('**/account');
    // Newest first: this one, `other`, and the one that made the forced change.
    const rows = page.locator('.sessions-table tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await page.locator('.sessions-table tr.current').getByText('esta sessão').waitFor();
    await screenshot(page, 'account', { docs: true });

    await page.locator('.sessions-table tbody tr:not(.current)').first().getByRole('button').click();
    const confirm = page.getByRole('dialog', { name: 'Encerrar esta sessão?' });
    await confirm.getByRole('button', { name: 'Encerrar' }).click();
    await page.getByText('Sessão encerrada.').waitFor();
    await expect.poll(() => rows.count()).toBe(2);

    await other.reload();
    await other.getByRole('heading', { name: 'Entrar na retaguarda' }).waitFor();
  });
});
