import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECEIVER_HOSTS } from '../harness.ts';
import { orderBody, PLATFORM } from '../order-fixtures.ts';
import { WebhookReceiver } from '../webhook-receiver.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

/** The tree as the user sees it: each node's code with its children's, nested. */
async function treeOf(page: Page): Promise<unknown> {
  const tree = page.getByRole('navigation', { name: 'Estrutura da rede' }).locator('ul.tree');
  await tree.waitFor();
  return tree.evaluate((root) => {
    const walk = (ul: any): unknown[] =>
      [...ul.children].map((li: any) => {
        const code = li.querySelector(':scope > .tree-item .code')?.textContent;
        const sub = li.querySelector(':scope > ul');
        return sub ? { [code ?? '?']: walk(sub) } : code;
      });
    return walk(root);
  });
}

const param = (page: Page, code: string) => page.locator(`tr[data-param="${code}"]`);

describe.skipIf(chromiumMissing)('back office: network, parameters and integrations', () => {
  let b: BrowserApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    b = await startBrowserApp({ webhookAllowHosts: RECEIVER_HOSTS });
    receiver = await (await WebhookReceiver.reserve()).up();
  });
  afterAll(async () => {
    await receiver?.down();
    await b?.close();
  });

  it('shows the admin the tree and a store’s card, and edits and removes a store’s own parameter value', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.getByRole('link', { name: 'Rede e parâmetros' }).click();
    await page.waitForURL('**/network/DEMO');
    expect(await treeOf(page)).toEqual([{ DEMO: [{ SUL: ['3', '8', '11'] }] }]);

    await page.getByRole('link', { name: /Loja 11 — São Paulo/ }).click();
    await page.waitForURL('**/network/11');
    const card = page.getByRole('region', { name: /Loja 11 — São Paulo/ });
    await card.getByText('45.997.418/0001-53').waitFor();
    await card.getByText('São Paulo/SP').waitFor();
    await card.getByText('01310-200').waitFor();

    // TP_UTILIZA_PRATELEIRA comes from the central; the store sets its own value from the keyboard.
    const shelf = param(page, 'TP_UTILIZA_PRATELEIRA');
    await shelf.getByText('Herdado de Central SUL').waitFor();
    await expect.poll(() => shelf.locator('.value-cell').textContent(), POLL).toBe('Sim');
    await page.getByRole('button', { name: 'Alterar TP_UTILIZA_PRATELEIRA' }).focus();
    await page.keyboard.press('Enter');
    const input = page.getByLabel('Valor', { exact: true });
    await expect
      .poll(() => input.evaluate((el) => el === (globalThis as any).document.activeElement))
      .toBe(true);
    await input.selectOption({ label: 'Não' });
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('TP_UTILIZA_PRATELEIRA salvo: Não.').waitFor();
    await shelf.getByText('Definido nesta loja').waitFor();
    await expect.poll(() => shelf.locator('.value-cell').textContent(), POLL).toBe('Não');

    // A value out of the parameter's format is explained beside the input, before anything is sent.
    await page.getByRole('button', { name: 'Alterar 9259' }).click();
    await page.getByLabel('Valor', { exact: true }).fill('012');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.locator('.field-error').getByText('Série de 0 a 999, sem zeros à esquerda.').waitFor();
    await screenshot(page, 'network-parameter-editor');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByLabel('Valor', { exact: true }).count()).toBe(0);
    await expect.poll(() => param(page, '9259').locator('.value-cell').textContent(), POLL).toBe('1');

    await page.getByLabel('Pesquisar parâmetro').fill('prateleira');
    await expect.poll(() => param(page, '9253').count()).toBe(0);
    await screenshot(page, 'network-parameters', { docs: true });

    // Removing the store's value asks first, saying what will apply instead.
    await page
      .getByRole('button', { name: 'Remover o valor de TP_UTILIZA_PRATELEIRA definido aqui' })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByText('Remover o valor definido nesta loja? Passará a valer o herdado de Central SUL: Sim.')
      .waitFor();
    await dialog.getByRole('button', { name: 'Remover' }).click();
    await shelf.getByText('Herdado de Central SUL').waitFor();
    await expect.poll(() => shelf.locator('.value-cell').textContent(), POLL).toBe('Sim');
    const stored = await b.t.request('GET', '/api/v1/nodes/11/parameters/TP_UTILIZA_PRATELEIRA', {
      auth: 'admin@demo.local',
    });
    expect(stored.body).toMatchObject({ value: true, source: { nodeCode: 'SUL' } });
  });

  it('shows a store manager its branch of the network and the parameters read-only', async () => {
    const page = await b.signedIn('loja11@demo.local');
    await page.goto('/network');
    await page.waitForURL('**/network/11');
    expect(await treeOf(page)).toEqual([{ DEMO: [{ SUL: ['11'] }] }]);
    await param(page, '9253').getByText('Definido nesta loja').waitFor();
    // A parameter no flow reads yet says so; one that is honoured does not.
    await param(page, 'TP_IMPRESSAO_TRA_PRATELEI').getByText('ainda sem efeito').waitFor();
    expect(await param(page, 'IN_BLOQ_SALDO_NEG').getByText('ainda sem efeito').count()).toBe(0);
    await page.getByText('somente administradores da rede ou da central alteram parâmetros').waitFor();
    expect(await page.getByRole('button', { name: /^Alterar/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remover/ }).count()).toBe(0);
    await screenshot(page, 'network-store-read-only');
    expect(await page.getByRole('button', { name: 'Integrações' }).count()).toBe(0);
  });

  it('sets the platform webhook and lists its deliveries', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.getByRole('button', { name: 'Integrações' }).click();
    await page.getByRole('link', { name: 'Clientes de API e webhooks' }).click();
    const form = page.getByRole('region', { name: 'Webhook — E-commerce (demo)' });
    await form.getByText('Nenhum webhook configurado').waitFor();

    // Mistakes are said beside their fields.
    await form.getByLabel('Endereço (URL) que recebe os avisos').fill('ftp://exemplo');
    await form.getByRole('button', { name: 'Salvar webhook' }).click();
    await form.getByText('Informe um endereço completo, começando com http:// ou https://').waitFor();
    await form.getByText('O segredo precisa ter ao menos 16 caracteres').waitFor();

    await form.getByLabel('Endereço (URL) que recebe os avisos').fill(receiver.url);
    await form.getByRole('button', { name: 'Gerar novo' }).click();
    const secret = await form.getByLabel('Segredo da assinatura').inputValue();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await form.getByRole('button', { name: 'Ocultar o segredo' }).click();
    await expect(form.getByLabel('Segredo da assinatura').getAttribute('type')).resolves.toBe('password');
    await form.getByRole('button', { name: 'Salvar webhook' }).click();
    await form.getByText(`Webhook salvo. Os avisos vão para ${receiver.url}.`).waitFor();
    await form.getByTestId('webhook-state').getByText(`Enviando para ${receiver.url}`).waitFor();
    await form.getByText(`O segredo atual termina em “${secret.slice(-4)}”`).waitFor();
    const saved = await b.t.request('GET', '/api/v1/api-clients', { auth: 'admin@demo.local' });
    const platform = saved.body.items.find((c: { scope: string }) => c.scope === 'platform');
    const webhook = await b.t.request('GET', `/api/v1/api-clients/${platform.id}/webhook`, {
      auth: 'admin@demo.local',
    });
    expect(webhook.body).toMatchObject({ url: receiver.url, active: true, secretLast4: secret.slice(-4) });

    // An order from the platform, accepted by the store: the status change goes out and shows as delivered.
    const order = orderBody({ externalId: 'EC-E2E-0001' });
    const created = await b.t.request('POST', '/api/v1/orders', { auth: PLATFORM, body: order });
    expect(created.status).toBe(201);
    const accepted = await b.t.request('POST', `/api/v1/orders/${created.body.id}/accept`, {
      auth: 'loja11@demo.local',
      body: {},
    });
    expect(accepted.status).toBe(200);
    const deliveries = page.getByRole('region', { name: 'Últimas entregas do webhook' });
    await expect
      .poll(
        async () => {
          await deliveries.getByRole('button', { name: 'Atualizar' }).click();
          return deliveries.locator('tbody tr').filter({ hasText: 'Entregue' }).count();
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    await deliveries.getByRole('link', { name: 'EC-E2E-0001' }).first().waitFor();
    await deliveries.getByText('Em aberto → Pedido aceito').waitFor();
    await screenshot(page, 'integrations', { docs: true });

    // Removing the webhook asks first.
    await form.getByRole('button', { name: 'Remover webhook' }).click();
    await page.getByRole('dialog').getByText('Remover o webhook de E-commerce (demo)?').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Remover webhook' }).click();
    await form.getByText('Webhook removido').waitFor();
  });
});
