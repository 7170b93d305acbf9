import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../harness.ts';
import { orderBody, PLATFORM } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

const STORE = '41';
const STORE_NAME = 'Loja 41 — Sorocaba';
const MANAGER = 'gerente41@demo.local';
const MANAGER_PASSWORD = 'Cafe-com-pao-de-queijo-7';
const POS_CLIENT = 'PDV Sorocaba caixa 1';

/**
 * A new franchise store from nothing to its first order, as a network admin does it in the back office:
 * the store under SUL, its omni parameter and fiscal settings, its manager (who must replace the temporary
 * password), its POS paired by code, an order from the platform in its queue, and every step in the audit log.
 * One flow, so each step starts from what the previous one left (as it would in a real onboarding).
 */
describe.skipIf(chromiumMissing).each(databaseKinds())(
  'onboarding a new store on the %s database',
  (kind) => {
    let b: BrowserApp;
    let temporary = '';
    beforeAll(async () => {
      b = await startBrowserApp({ kind });
    });
    afterAll(() => b?.close());

    it('creates the store under SUL with its company data', async () => {
      const page = await b.signedIn('admin@demo.local');
      await page.goto('/network/SUL');
      await page.getByRole('button', { name: 'Nova loja' }).click();
      const form = page.getByRole('region', { name: 'Nova loja em Central Sul-Sudeste' });
      await form.getByLabel('Código', { exact: true }).fill(STORE);
      await form.getByLabel('Nome', { exact: true }).fill(STORE_NAME);
      await form.getByLabel('Razão social').fill('Demo Comércio Sorocaba Ltda.');
      await form.getByLabel('CNPJ', { exact: true }).pressSequentially('41xyz0ab000134');
      await form.getByLabel('Inscrição estadual').fill('110.042.490.114');
      await form.getByLabel('E-mail').fill('loja41@demo.local');
      await form.getByLabel('UF', { exact: true }).selectOption('SP');
      await form.getByLabel('Município').fill('soroca');
      await form.getByRole('button', { name: /^Sorocaba 3552205/ }).click();
      await form.getByLabel('Logradouro').fill('Rua XV de Novembro');
      await form.getByLabel('Número', { exact: true }).fill('120');
      await form.getByLabel('Bairro').fill('Centro');
      await form.getByLabel('CEP').fill('18010080');
      await form.getByLabel('Latitude').fill('-23,5015');
      await form.getByLabel('Longitude').fill('-47,4526');
      await form.getByRole('button', { name: 'Salvar', exact: true }).click();
      await page.waitForURL(`**/network/${STORE}`);
      const card = page.getByRole('region', { name: new RegExp(STORE_NAME) });
      await card.getByText('41.XYZ.0AB/0001-34').waitFor();
      await card.getByText('Sorocaba/SP').waitFor();
    });

    it('takes part in omni orders and gets its fiscal settings', async () => {
      const page = await b.signedIn('admin@demo.local');
      await page.goto(`/network/${STORE}`);
      await page.getByRole('button', { name: 'Alterar 9253' }).click();
      await page.getByLabel('Valor', { exact: true }).selectOption({ label: 'Sim' });
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.getByText('9253 salvo: Sim.').waitFor();

      const fiscal = page.getByRole('region', { name: 'Fiscal' });
      await fiscal.getByRole('button', { name: 'Alterar configuração fiscal' }).click();
      await fiscal.getByLabel('Regime tributário').selectOption('1');
      await fiscal.getByRole('button', { name: 'Salvar configuração fiscal' }).click();
      await fiscal.getByText(`Configuração fiscal de ${STORE_NAME} salva.`).waitFor();
      await fiscal.getByTestId('fiscal-settings').getByText('Simples Nacional').waitFor();
    });

    it('gives the store a manager with a temporary password', async () => {
      const page = await b.signedIn('admin@demo.local');
      await page.goto('/users');
      await page.getByRole('button', { name: 'Novo usuário' }).click();
      const form = page.getByRole('region', { name: 'Novo usuário' });
      await form.getByLabel('Nome').fill('Gerente Sorocaba');
      await form.getByLabel('E-mail').fill(MANAGER);
      await form.getByLabel('Perfil').selectOption({ label: 'Gerente da loja' });
      await form.getByLabel('Unidade').selectOption({ label: `${STORE} — ${STORE_NAME}` });
      await form.getByRole('button', { name: 'Criar usuário' }).click();
      const dialog = page.getByRole('dialog', { name: 'Senha provisória de Gerente Sorocaba' });
      temporary = await dialog.getByLabel('Senha provisória').inputValue();
      expect(temporary).toMatch(/^\S{12,}$/);
      await dialog.getByRole('button', { name: 'Já anotei, fechar' }).click();
    });

    it('the manager signs in and must replace the temporary password first', async () => {
      const { page } = await b.newPage();
      await page.goto('/orders');
      await page.getByLabel('E-mail').fill(MANAGER);
      await page.getByLabel('Senha').fill(temporary);
      await page.getByRole('button', { name: 'Entrar' }).click();
      await page.getByRole('heading', { name: 'Defina sua nova senha' }).waitFor();
      await page.getByLabel('Senha provisória').fill(temporary);
      await page.getByLabel('Nova senha', { exact: true }).fill(MANAGER_PASSWORD);
      await page.getByLabel('Confirme a nova senha').fill(MANAGER_PASSWORD);
      await page.getByRole('button', { name: 'Salvar e continuar' }).click();
      await page.getByTestId('current-user').getByText('Gerente Sorocaba').waitFor();
    });

    it('pairs the store’s POS with a code typed at the counter', async () => {
      const page = await b.signedIn('admin@demo.local');
      await page.goto('/api-clients');
      await page.getByRole('button', { name: 'Novo cliente' }).click();
      const form = page.getByRole('region', { name: 'Novo cliente de API' });
      await form.getByLabel('Nome').fill(POS_CLIENT);
      await form.getByLabel('Loja').selectOption({ value: STORE });
      await form.getByRole('button', { name: 'Criar cliente' }).click();
      const once = page.getByRole('dialog', { name: `Chave de API de ${POS_CLIENT}` });
      await once.getByText('Esta chave não será mostrada de novo.').waitFor();
      await once.getByRole('button', { name: 'Já guardei a chave' }).click();

      const panel = page.getByRole('region', { name: `Chaves de ${POS_CLIENT}` });
      await panel.getByRole('button', { name: 'Código de pareamento' }).click();
      const pairing = page.getByRole('dialog', { name: `Código de pareamento de ${POS_CLIENT}` });
      const code = (await pairing.locator('.pairing-code').textContent())?.trim() ?? '';

      const { page: pos } = await b.newPage({ width: 800, height: 640 });
      await pos.goto('/pos/pair');
      await pos.getByLabel('Código de pareamento').fill(code);
      await pos.getByRole('button', { name: 'Parear' }).click();
      await pos.getByText(`PDV pareado com a loja ${STORE} — `, { exact: false }).waitFor();
      const posKey = await pos.evaluate(() => (globalThis as any).localStorage.getItem('omnihub.posKey'));
      const me = await b.t.request('GET', '/api/v1/auth/me', { auth: posKey });
      expect(me.body).toMatchObject({ actor: 'pos', nodeCode: STORE });
    });

    it('an order from the platform for the new store appears in its manager’s queue', async () => {
      const order = await b.t.request('POST', '/api/v1/orders', {
        auth: PLATFORM,
        body: orderBody({ storeCode: STORE }),
      });
      expect(order.status).toBe(201);

      const { page } = await b.newPage();
      await page.goto('/orders');
      await page.getByLabel('E-mail').fill(MANAGER);
      await page.getByLabel('Senha').fill(MANAGER_PASSWORD);
      await page.getByRole('button', { name: 'Entrar' }).click();
      await page.getByRole('button', { name: `Opções do pedido Nº ${order.body.number}` }).waitFor();
      await screenshot(page, 'onboarding-first-order');
    });

    it('the audit log lists each step with who did it and the values before and after', async () => {
      const page = await b.signedIn('admin@demo.local');
      await page.goto('/audit');
      await page.getByLabel('Unidade', { exact: true }).selectOption(STORE);
      await page.getByRole('button', { name: 'Filtrar' }).click();
      const rows = page.locator('tbody tr:not(.audit-changes)');
      await rows.first().waitFor();
      const events = (
        await b.t.request('GET', `/api/v1/audit-events?node=${STORE}&limit=200`, {
          auth: 'admin@demo.local',
        })
      ).body.items as { action: string; actor: { name: string }; before: unknown; after: unknown }[];
      const actions = events.map((e) => e.action);
      for (const step of [
        'node.created',
        'parameter.set',
        'fiscal_settings.changed',
        'user.created',
        'user.password_changed',
        'api_client.created',
        'api_client.pairing_code_created',
        'api_client.paired',
      ]) {
        expect(actions, step).toContain(step);
      }
      const created = events.find((e) => e.action === 'node.created')!;
      expect(created.before).toBeNull();
      expect(created.after).toMatchObject({ code: STORE, cnpj: '41XYZ0AB000134' });
      const parameter = events.find((e) => e.action === 'parameter.set')!;
      expect(parameter.after).toMatchObject({ value: true });
      expect(await rows.count()).toBe(events.length);

      await page
        .getByRole('button', { name: /^Ver alterações de Parâmetro definido/ })
        .first()
        .click();
      await page.locator('tr.audit-changes').getByText('Sim').first().waitFor();
      await screenshot(page, 'onboarding-audit', { docs: true });
    });
  },
);
