import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import type { DatabaseKind } from '../../src/platform/db/index.ts';
import { startTestApp, type TestApp, type TestAppOptions } from '../harness.ts';

/**
 * The back office in a real headless Chromium (Debian's, installed by .ci/run) against an Omnihub
 * listening on a random port with a fresh embedded database. Screenshots go to test-artifacts/screenshots;
 * with UPDATE_SCREENSHOTS=1 the ones named for the README are copied to docs/screenshots as well.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Skipped on a laptop without Chromium; never in CI, where .ci/run installs it and a miss must fail. */
export const chromiumMissing = !fs.existsSync(CHROMIUM) && !process.env.CI;

const ARTIFACTS = path.resolve('test-artifacts/screenshots');
const DOCS = path.resolve('docs/screenshots');

export interface BrowserApp {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A new signed-in page (own context: own storage, so users do not share sessions). */
  signedIn(email: string, opts?: { width?: number; height?: number }): Promise<Page>;
  newPage(opts?: { width?: number; height?: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** The back office on a fresh database (embedded unless `kind` names the server) in a headless Chromium. */
export async function startBrowserApp(
  opts: TestAppOptions & { kind?: DatabaseKind } = {},
): Promise<BrowserApp> {
  const t = await startTestApp(opts.kind ?? 'embedded', opts);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const contexts: BrowserContext[] = [];
  const app: BrowserApp = {
    t,
    baseUrl,
    browser,
    async newPage(opts = {}) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: { width: opts.width ?? 1366, height: opts.height ?? 860 },
        locale: 'pt-BR',
        timezoneId: 'America/Sao_Paulo',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      // A script error in the app is a failed test, not a silent blank screen.
      page.on('pageerror', (error) => {
        throw error;
      });
      return { context, page };
    },
    async signedIn(email, opts) {
      const { page } = await app.newPage(opts);
      await page.goto('/orders');
      await signIn(page, email);
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await t.close();
    },
  };
  return app;
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByTestId('current-user').waitFor();
}

/** Saves a screenshot as a test artefact (and, for the README's, into docs/screenshots when asked). */
export async function screenshot(page: Page, name: string, opts: { docs?: boolean } = {}) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (opts.docs && process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(DOCS, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS, `${name}.png`));
  }
  return file;
}
