import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createOrder, LOJA11, POS11 } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** A pickup order of store 11 taken by the back office to "pronto para retirada". */
async function readyForPickup(b: BrowserApp) {
  const order = await createOrder(b.t, { lines: [['CAL-002', 2, '199.90']] });
  for (const to of ['accepted', 'picking', 'ready_for_pickup']) {
    const res = await b.t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return order;
}

/** The counter of store 11: the demo POS key kept as the pairing page keeps it, then /pos. */
async function counter(b: BrowserApp): Promise<Page> {
  const { page } = await b.newPage({ width: 1024, height: 768 });
  await page.goto('/pos/pair');
  await page.evaluate((key) => (globalThis as any).localStorage.setItem('omnihub.posKey', key), POS11);
  await page.goto('/pos');
  await page.getByTestId('pos-store').waitFor();
  return page;
}

const bag = (page: Page) => page.getByTestId('pos-bag');

/**
 * A PDF the counter opens: the fetch (with the key) answers application/pdf, and the print window opens.
 * The window is closed so the counter's tab is in front again.
 */
async function pdfOpened(page: Page, path: string, click: () => Promise<void>) {
  const [res, tab] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(path) && r.request().method() === 'GET'),
    page.waitForEvent('popup'),
    click(),
  ]);
  await tab.close();
  await page.bringToFront();
  return { status: res.status(), type: res.headers()['content-type'] };
}

describe.skipIf(chromiumMissing)('POS: the counter at /pos', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
    // Conference at acceptance (seeds' value 1): the back office moves the order to pickup without a scan count.
    const noScan = await b.t.request('PUT', '/api/v1/nodes/11/parameters/TP_CONF_ACEITE_PED', {
      auth: ADMIN,
      body: { value: '1' },
    });
    expect(noScan.status, JSON.stringify(noScan.body)).toBe(200);
  });
  afterAll(() => b?.close());

  it('sends an unpaired computer to the pairing page', async () => {
    const { page } = await b.newPage();
    await page.goto('/pos');
    await page.waitForURL('**/pos/pair');
    await page.getByRole('heading', { name: 'Parear este PDV' }).waitFor();
  });

  it('runs the pickup at the counter: bag badge, scanned number, rescue, CPF, NFC-e, receipt, handover, delivery receipt', async () => {
    const page = await counter(b);
    await page.getByText('Nenhum pedido aguardando retirada nesta loja.').waitFor();
    await expect(bag(page).getAttribute('aria-label')).resolves.toBe('Nenhum pedido aguardando retirada');

    // The store confirms a pickup order: the bag counts it without a touch at the counter.
    const order = await readyForPickup(b);
    await expect
      .poll(() => bag(page).getAttribute('aria-label'), { timeout: 40_000 })
      .toBe('1 pedido aguardando retirada');
    await page.getByRole('link', { name: `Abrir pedido Nº ${order.number}` }).waitFor();
    await screenshot(page, 'pos-pending', { docs: true });

    // A barcode scanner types the digits and Enter into the focused box.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('pos-order-number');
    await page.keyboard.type(String(order.number));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Pedido Nº ${order.number}` }).waitFor();
    await page.getByText('Maria Silva').first().waitFor();

    await page.getByRole('button', { name: 'Resgatar' }).click();
    await page.getByRole('heading', { name: 'Deseja informar o CPF do cliente?' }).waitFor();
    const cpf = page.getByLabel('CPF na nota');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('pos-cpf');
    // A wrong check digit is caught before anything is sent.
    await page.keyboard.type('52998224726');
    await expect(cpf.inputValue()).resolves.toBe('529.982.247-26');
    await page.keyboard.press('Enter');
    await page.getByText('CPF inválido: confira os dígitos.').waitFor();
    await cpf.fill('');
    await page.keyboard.type('52998224725');
    await screenshot(page, 'pos-cpf', { docs: true });
    await page.getByRole('button', { name: 'Finalizar com CPF' }).click();
    await page.getByText('NFC-e autorizada').waitFor();
    await page.getByText('Chave de acesso').waitFor();
    await screenshot(page, 'pos-nfce', { docs: true });

    const receipt = await pdfOpened(page, '/danfe.pdf', () =>
      page.getByRole('button', { name: 'Imprimir cupom' }).click(),
    );
    expect(receipt).toEqual({ status: 200, type: 'application/pdf' });

    await page.getByRole('button', { name: 'Entregar' }).click();
    const dialog = page.getByRole('dialog', { name: `Entregar o pedido Nº ${order.number}` });
    await expect(dialog.getByLabel('Nome de quem retira').inputValue()).resolves.toBe('Maria Silva');
    await dialog.getByRole('button', { name: 'Confirmar entrega' }).click();
    await page.getByText(`Pedido Nº ${order.number} entregue ao cliente.`).waitFor();
    const delivery = await pdfOpened(page, '/pickup-receipt.pdf', () =>
      page.getByRole('button', { name: 'Comprovante de entrega' }).click(),
    );
    expect(delivery).toEqual({ status: 200, type: 'application/pdf' });

    await page.getByRole('button', { name: 'Concluir' }).click();
    await page.getByText('Nenhum pedido aguardando retirada nesta loja.').waitFor();
    const final = await b.t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(final.body.status).toBe('delivered');
  });

  it('gives a rescued order back to the counter with a reason', async () => {
    const order = await readyForPickup(b);
    const page = await counter(b);
    await page.getByRole('link', { name: `Abrir pedido Nº ${order.number}` }).click();
    await page.getByRole('button', { name: 'Resgatar' }).click();
    await page.getByRole('button', { name: 'Devolver ao balcão' }).click();
    const dialog = page.getByRole('dialog', { name: `Devolver o pedido Nº ${order.number} ao balcão?` });
    await dialog.getByRole('button', { name: 'Devolver ao balcão' }).isDisabled();
    await dialog.getByLabel('Motivo').fill('Cliente foi embora sem a mercadoria');
    await dialog.getByRole('button', { name: 'Devolver ao balcão' }).click();
    await page.getByText(`Pedido Nº ${order.number} devolvido ao balcão.`).waitFor();
    await page.getByRole('link', { name: `Abrir pedido Nº ${order.number}` }).waitFor();
    const back = await b.t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(back.body.status).toBe('ready_for_pickup');
  });

  it('says so when the server cannot be reached, and recovers on "Tentar de novo"', async () => {
    const page = await counter(b);
    await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
    await page.getByLabel('Número do pedido').fill('1');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Sem conexão com o servidor' }).first().waitFor();
    await screenshot(page, 'pos-offline', { docs: true });
    await page.unroute('**/api/v1/**');
    await page.getByRole('button', { name: 'Tentar de novo' }).click();
    await expect.poll(() => page.getByText('As vendas Omni precisam do servidor.').count()).toBe(0);
  });
});
