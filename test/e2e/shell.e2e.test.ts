import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, chromiumMissing, screenshot, signIn, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

describe.skipIf(chromiumMissing)('back office: sign-in and shell', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('refuses a wrong password in words, then signs in and shows who is working where', async () => {
    const { page } = await b.newPage();
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Entrar na retaguarda' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'login', { docs: true });
    await page.getByLabel('E-mail').fill('loja11@demo.local');
    await page.getByLabel('Senha').fill('wrong-password');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('alert').getByText('E-mail ou senha incorretos').waitFor();

    await signIn(page, 'loja11@demo.local');
    const user = page.getByTestId('current-user');
    await expect.poll(() => user.textContent(), POLL).toContain('Gerente da Loja 11');
    await expect.poll(() => user.textContent(), POLL).toContain('Loja 11');
    await expect.poll(() => user.textContent(), POLL).toContain('Gerente da loja');
    expect(new URL(page.url()).pathname).toBe('/orders');
  });

  it('ends an expired session with a clear message', async () => {
    const page = await b.signedIn('loja11@demo.local');
    // The server forgets the session (as when it expires); the next call answers 401.
    await b.t.database.db.execute(
      (await import('drizzle-orm')).sql`update sessions set expires_at = now() - interval '1 minute'`,
    );
    // The next call (the queue's, the badge's or, here, a reload's) answers 401.
    await page.reload();
    await page.getByText('Sua sessão expirou').waitFor();
  });

  it('logs out', async () => {
    const page = await b.signedIn('loja8@demo.local');
    await page.getByRole('button', { name: 'Sair' }).click();
    await page.getByText('Você saiu da retaguarda.').waitFor();
  });
});
