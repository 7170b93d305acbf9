import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, createOrder, LOJA11, orderBody, PLATFORM } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

const row = (page: Page, number: number) => page.locator(`table.queue-table tr[data-number="${number}"]`);
const numbers = (page: Page) =>
  page
    .locator('table.queue-table > tbody > tr[data-number]')
    .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-number'))));
const focusedText = async (page: Page) => ((await page.locator(':focus').textContent()) ?? '').trim();

/**
 * Waits for the picking slip's answer to a click and returns its status and type. The slip opens in a new
 * tab, closed here so the queue's tab is in front again (a background tab is throttled).
 */
async function slipAnswer(page: Page, path: string, click: () => Promise<void>) {
  const [res, tab] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(path)),
    page.waitForEvent('popup'),
    click(),
  ]);
  await tab.close();
  await page.bringToFront();
  return { status: res.status(), type: res.headers()['content-type'] };
}

describe.skipIf(chromiumMissing)('back office: order queue and order detail', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('shows today’s open orders live, expands a row by keyboard and filters by number and status', async () => {
    const first = await createOrder(b.t);
    const second = await createOrder(b.t, { deliveryType: 'ship', freight: '15.00' });
    const page = await b.signedIn(LOJA11);
    await row(page, second.number).waitFor();
    // A store user starts with auto refresh on: today's open and picking orders.
    const auto = page.getByRole('switch', { name: 'Atualização automática' });
    await expect(auto.getAttribute('aria-checked')).resolves.toBe('true');
    await expect.poll(() => row(page, first.number).textContent(), POLL).toContain('Em aberto');
    await expect.poll(() => row(page, second.number).textContent(), POLL).toContain('Envio pela loja');
    await expect.poll(() => row(page, first.number).textContent(), POLL).toContain('529.982.247-25');
    await page.getByRole('button', { name: /^Mostrar só Em aberto: \d+$/ }).waitFor();
    await screenshot(page, 'queue', { docs: true });

    // Pushed by the server: an order the platform sends now appears without a click.
    const live = await createOrder(b.t);
    await row(page, live.number).waitFor();
    expect((await numbers(page))[0]).toBe(live.number);

    // The (+) is a button: Enter opens the items and payments of the order.
    const plus = page.getByRole('button', {
      name: `Mostrar itens e pagamentos do pedido Nº ${second.number}`,
    });
    await plus.focus();
    await page.keyboard.press('Enter');
    const toggle = page.locator(`tr[data-number="${second.number}"] button.expand`);
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    const items = page.getByRole('region', { name: `Itens do pedido Nº ${second.number}` });
    await items.getByText('CAL-002').waitFor();
    await page
      .getByRole('region', { name: `Pagamentos do pedido Nº ${second.number}` })
      .getByText('Cartão de crédito')
      .waitFor();
    await screenshot(page, 'queue-expanded');
    await toggle.press('Enter');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');

    // By number: the filters go to the address and auto refresh stops.
    await page.getByLabel('Número do pedido').fill(String(first.number));
    await page.getByLabel('Número do pedido').press('Enter');
    await expect.poll(() => numbers(page)).toEqual([first.number]);
    expect(new URL(page.url()).searchParams.get('numero')).toBe(String(first.number));
    await expect.poll(() => auto.getAttribute('aria-checked')).toBe('false');

    // By status: only accepted orders today, of which there are none yet.
    await page.getByLabel('Número do pedido').fill('');
    await page.getByRole('button', { name: /^Situação/ }).click();
    await page.getByRole('checkbox', { name: 'Em aberto' }).uncheck();
    await page.getByRole('checkbox', { name: 'Em separação' }).uncheck();
    await page.getByRole('checkbox', { name: 'Pedido aceito' }).check();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Pesquisar' }).click();
    await page.getByRole('heading', { name: 'Nenhum pedido encontrado com estes filtros' }).waitFor();
    expect(new URL(page.url()).searchParams.getAll('situacao')).toEqual(['accepted']);

    // The counters filter too: "Em aberto" shows the three open orders.
    await page.getByRole('button', { name: 'Mostrar só Em aberto: 3' }).click();
    await expect
      .poll(async () => (await numbers(page)).sort())
      .toEqual([first.number, second.number, live.number].sort());

    // Reload keeps the filters; "Limpar filtros" goes back to today's view with auto refresh.
    await page.reload();
    await expect.poll(async () => (await numbers(page)).length).toBe(3);
    await page.getByRole('button', { name: 'Limpar filtros' }).click();
    await expect.poll(() => auto.getAttribute('aria-checked')).toBe('true');
    expect(new URL(page.url()).search).toBe('');
  });

  it('moves an order open → accepted → picking from the row menu and the top menu, and prints slips', async () => {
    const order = await createOrder(b.t);
    const other = await createOrder(b.t);
    const short = await createOrder(b.t, { lines: [['CAM-001', 2, '59.90']] });
    const page = await b.signedIn(LOJA11);
    await page.goto(`/orders?de=2000-01-01`);
    await row(page, order.number).waitFor();

    // The row menu by keyboard: Enter opens on the first item, arrows move, Esc closes back on the button.
    const menuButton = page.getByRole('button', { name: `Opções do pedido Nº ${order.number}` });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: `Opções do pedido Nº ${order.number}` });
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([
      'Ver detalhes',
      'Imprimir (A4 / matricial)',
      'Imprimir (térmica 80 mm)',
      'Aceitar pedido',
      'Aceitar e iniciar separação',
      'Split do pedido',
      'Recusar itens (reencaminhar)',
      'Cancelar pedido',
    ]);
    expect(await focusedText(page)).toBe('Ver detalhes');
    await page.keyboard.press('End');
    expect(await focusedText(page)).toBe('Cancelar pedido');
    await page.keyboard.press('ArrowUp');
    expect(await focusedText(page)).toBe('Recusar itens (reencaminhar)');
    await page.keyboard.press('ArrowUp');
    expect(await focusedText(page)).toBe('Split do pedido');
    await page.keyboard.press('ArrowUp');
    expect(await focusedText(page)).toBe('Aceitar e iniciar separação');
    await page.keyboard.press('ArrowUp');
    expect(await focusedText(page)).toBe('Aceitar pedido');
    await screenshot(page, 'order-actions-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe(
      `Opções do pedido Nº ${order.number}`,
    );

    // Accept, confirmed in the dialog (Space opens the menu too).
    await page.keyboard.press('Space');
    await menu.getByRole('menuitem', { name: 'Aceitar pedido' }).click();
    const dialog = page.getByRole('dialog', { name: 'Aceitar pedido' });
    await dialog
      .getByText(`Aceitar o pedido Nº ${order.number}? O estoque dos itens será reservado na loja.`)
      .waitFor();
    await screenshot(page, 'confirm-dialog', { docs: true });
    await dialog.getByRole('button', { name: 'Aceitar pedido' }).click();
    await page.getByText(`Pedido Nº ${order.number} aceito`).waitFor();
    await row(page, order.number).getByText('Pedido aceito').waitFor();

    // The top "Opções" menu acts on the selected row: now picking is what it offers.
    await page.getByRole('checkbox', { name: `Selecionar o pedido Nº ${order.number}` }).check();
    await page.getByRole('button', { name: 'Opções', exact: true }).click();
    const top = page.getByRole('menu', { name: 'Opções' });
    expect(await top.getByRole('menuitem', { name: 'Aceitar pedido' }).count()).toBe(0);
    await top.getByRole('menuitem', { name: 'Iniciar separação' }).click();
    await page
      .getByRole('dialog', { name: 'Iniciar separação' })
      .getByText(`Iniciar a separação do pedido Nº ${order.number}?`)
      .waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Iniciar separação' }).click();
    await row(page, order.number).getByText('Em separação').waitFor();
    const saved = await b.t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(saved.body.status).toBe('picking');

    // The picking slip of the selected order, then of two orders at once, as PDFs from the server.
    await page.getByRole('button', { name: 'Opções', exact: true }).click();
    const one = await slipAnswer(page, `/api/v1/orders/${order.id}/picking-slip.pdf?layout=a4`, () =>
      top.getByRole('menuitem', { name: 'Imprimir (A4 / matricial)' }).click(),
    );
    expect(one).toEqual({ status: 200, type: 'application/pdf' });
    await page.getByText('Romaneio de separação aberto em uma nova aba.').waitFor();
    await page.getByRole('checkbox', { name: `Selecionar o pedido Nº ${other.number}` }).check();
    await page.getByRole('button', { name: 'Opções', exact: true }).click();
    const batch = await slipAnswer(page, '/api/v1/picking-slips.pdf?', () =>
      top.getByRole('menuitem', { name: 'Imprimir 2 pedidos (térmica 80 mm)' }).click(),
    );
    expect(batch).toEqual({ status: 200, type: 'application/pdf' });

    // Without the stock the server refuses, and the clerk reads which SKU is short.
    await page.getByRole('button', { name: `Opções do pedido Nº ${short.number}` }).click();
    await page.getByRole('menuitem', { name: 'Aceitar pedido' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Aceitar pedido' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Estoque insuficiente' });
    await alert.getByText('CAM-001: pedido 2, disponível 0').waitFor();

    // Cancelling asks for the reason, and cannot be confirmed without one.
    await page.getByRole('button', { name: `Opções do pedido Nº ${short.number}` }).click();
    await page.getByRole('menuitem', { name: 'Cancelar pedido' }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancelar pedido' });
    await cancel
      .getByText('A plataforma será avisada, o cliente notificado e o pagamento estornado.')
      .waitFor();
    const confirmCancel = cancel.getByRole('button', { name: 'Cancelar pedido' });
    await expect(confirmCancel.isDisabled()).resolves.toBe(true);
    await cancel.getByLabel('Motivo do cancelamento (obrigatório)').fill('Sem estoque na loja');
    await confirmCancel.click();
    await row(page, short.number).getByText('Cancelado').waitFor();

    // With auto refresh off (filters set) news waits behind a button instead of moving the rows.
    const late = await createOrder(b.t);
    const news = page.getByRole('button', { name: 'Há pedidos novos ou alterados: atualizar a lista' });
    await news.waitFor();
    expect(await row(page, late.number).count()).toBe(0);
    await news.click();
    await row(page, late.number).waitFor();
  });

  it('flags a ship address whose city the IBGE table does not know, and the store corrects it', async () => {
    const body = orderBody({ deliveryType: 'ship', freight: '15.00' });
    const { cityCode: _, ...noCode } = address;
    body.customer = { ...body.customer, address: { ...noCode, city: 'Sampa', country: 'BR' } } as never;
    const created = await b.t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(created.status).toBe(201);
    const page = await b.signedIn(LOJA11);
    await page.goto(`/orders/${created.body.id}`);
    const card = page.getByRole('region', { name: 'Endereço de entrega' });
    await card.getByText(/Cidade não encontrada na tabela do IBGE/).waitFor();
    await card.getByRole('button', { name: 'Corrigir endereço' }).click();
    const form = card.getByRole('form', { name: 'Corrigir endereço de entrega' });
    await form.getByLabel('CEP').fill('123');
    await form.getByRole('button', { name: 'Salvar endereço' }).click();
    await form.getByText('Informe um CEP de 8 dígitos.').waitFor();
    await form.getByLabel('Cidade').fill('São Paulo');
    await form.getByLabel('CEP').fill('01304-001');
    await form.getByRole('button', { name: 'Salvar endereço' }).click();
    await page.getByText(`Endereço de entrega do pedido ${created.body.number} corrigido.`).waitFor();
    expect(await card.getByText(/Cidade não encontrada/).count()).toBe(0);
    await card.getByText(/São Paulo\/SP/).waitFor();
    await screenshot(page, 'order-address-corrected');
  });

  it('shows an order’s detail, history and webhook deliveries, re-sends its status, and hides it from another store', async () => {
    const order = await createOrder(b.t, { deliveryType: 'ship', freight: '15.00' });
    const accepted = await b.t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 });
    expect(accepted.status).toBe(200);
    const page = await b.signedIn(LOJA11);
    await page.goto('/orders?de=2000-01-01');
    await row(page, order.number)
      .getByRole('link', { name: `Nº ${order.number}` })
      .click();

    await page.getByRole('heading', { name: `Pedido Nº ${order.number}` }).waitFor();
    // The customer's card (the Financeiro section names the payer of each receivable too).
    const customer = page.getByRole('region', { name: 'Cliente' });
    await customer.getByText('Maria Silva').waitFor();
    await customer.getByText('529.982.247-25').waitFor();
    await page.getByText('Rua Augusta, 1200').waitFor();
    const history = page.locator('ol.timeline > li');
    await expect.poll(() => history.count()).toBe(2);
    await expect
      .poll(() => history.nth(1).textContent(), POLL)
      .toMatch(/Em aberto → Pedido aceito.*por Gerente da Loja 11 \(Gerente da loja\).*via Retaguarda/);
    const deliveries = page.locator('table.deliveries-table > tbody > tr');
    await expect.poll(() => deliveries.count()).toBe(1);
    await screenshot(page, 'order-detail', { docs: true });

    await page.getByRole('button', { name: 'Reenviar status' }).click();
    await page
      .getByRole('dialog', { name: 'Reenviar status' })
      .getByText(`Enviar de novo à plataforma a situação atual do pedido Nº ${order.number} (Pedido aceito)?`)
      .waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Reenviar status' }).click();
    await page
      .getByText(`Situação “Pedido aceito” do pedido Nº ${order.number} enviada de novo à plataforma.`)
      .waitFor();
    await expect.poll(() => deliveries.count()).toBe(2);

    // Back to the queue with the filters it had.
    await page.getByRole('link', { name: 'Voltar aos pedidos' }).click();
    expect(new URL(page.url()).search).toBe('?de=2000-01-01');

    // Store 8 does not see store 11's orders: a plain "not found", no crash.
    const other = await b.signedIn('loja8@demo.local');
    await other.goto(`/orders/${order.id}`);
    await other.getByRole('heading', { name: 'Pedido não encontrado' }).waitFor();
    await other.getByText('Este pedido não existe, ou ele não é de uma loja sua.').waitFor();
    expect(await other.getByText(/"code"|ORDER\.NOT_FOUND|at .*\.js/).count()).toBe(0);
  });
  it('starts picking an open order in one confirmation, and accepts short of stock only after a manager confirms', async () => {
    const ADMIN = 'admin@demo.local';
    const param = (code: string) => `/api/v1/nodes/11/parameters/${code}`;
    const order = await createOrder(b.t);
    const short = await createOrder(b.t, { lines: [['CAM-001', 1, '59.90']] });
    const page = await b.signedIn(LOJA11);

    // Seeds 000: "Em aberto" straight to "Em separação", accepting on the way.
    await page.goto(`/orders/${order.id}`);
    await page.getByRole('button', { name: 'Aceitar e iniciar separação' }).click();
    const dialog = page.getByRole('dialog', { name: 'Aceitar e iniciar separação' });
    await dialog
      .getByText(`Aceitar o pedido Nº ${order.number} e iniciar a separação?`, { exact: false })
      .waitFor();
    await dialog.getByRole('button', { name: 'Aceitar e iniciar separação' }).click();
    await page.getByText(`Pedido Nº ${order.number} aceito e em separação`, { exact: false }).waitFor();
    const history = page.locator('ol.timeline > li');
    await expect.poll(() => history.count()).toBe(3);

    // Where the store does not split (TP_VALIDA_SLD_ACEITE_PED 02), the split is not offered.
    expect(
      (await b.t.request('PUT', param('TP_VALIDA_SLD_ACEITE_PED'), { auth: ADMIN, body: { value: '02' } }))
        .status,
    ).toBe(200);
    expect(
      (await b.t.request('PUT', param('IN_BLOQ_SALDO_NEG'), { auth: ADMIN, body: { value: false } })).status,
    ).toBe(200);
    try {
      await page.goto(`/orders/${short.id}`);
      await page.getByRole('button', { name: 'Aceitar pedido', exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Split do pedido' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Aceitar pedido', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Aceitar pedido' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Estoque insuficiente' });
      await alert.getByText('CAM-001: pedido 1, disponível 0').waitFor();
      expect(await alert.getByRole('button', { name: 'Fazer split' }).count()).toBe(0);
      await alert.getByRole('button', { name: 'Aceitar com falta de estoque' }).click();
      const confirm = page.getByRole('dialog', { name: 'Aceitar com falta de estoque' });
      await confirm.getByText('CAM-001: faltam 1').waitFor();
      await screenshot(page, 'order-accept-shortfall');
      await confirm.getByRole('button', { name: 'Aceitar com falta' }).click();
      await page.getByText(`Pedido Nº ${short.number} aceito com falta de estoque registrada.`).waitFor();
      const saved = await b.t.request('GET', `/api/v1/orders/${short.id}`, { auth: LOJA11 });
      expect(saved.body).toMatchObject({ status: 'accepted', shortfall: [{ sku: 'CAM-001', missing: 1 }] });
    } finally {
      await b.t.request('DELETE', param('TP_VALIDA_SLD_ACEITE_PED'), { auth: ADMIN });
      await b.t.request('DELETE', param('IN_BLOQ_SALDO_NEG'), { auth: ADMIN });
    }
  });
});
