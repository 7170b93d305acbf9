import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, address, createOrder, LOJA11, POS11 } from '../order-fixtures.ts';
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

describe.skipIf(chromiumMissing)('POS: the counter at /pos', { timeout: 120_000 }, () => {
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

  it('sends an unpaired computer to the pairing page, and to the counter once paired with a code', async () => {
    const { page } = await b.newPage({ width: 1024, height: 768 });
    await page.goto('/pos');
    await page.waitForURL('**/pos/pair');
    await page.getByRole('heading', { name: 'Parear este PDV' }).waitFor();

    const client = await b.t.request('POST', '/api/v1/api-clients', {
      auth: ADMIN,
      body: { name: 'PDV 02 da loja 11', scope: 'pos', nodeCode: '11' },
    });
    expect(client.status, JSON.stringify(client.body)).toBe(201);
    const pairing = await b.t.request('POST', `/api/v1/api-clients/${client.body.id}/pairing-codes`, {
      auth: ADMIN,
      body: {},
    });
    expect(pairing.status, JSON.stringify(pairing.body)).toBe(201);
    await page.getByLabel('Código de pareamento').fill(pairing.body.code);
    await page.getByRole('button', { name: 'Parear' }).click();
    await page.getByRole('link', { name: 'Ir para o balcão' }).click();
    await page.waitForURL('**/pos');
    await page.getByTestId('pos-store').getByText('Loja 11').waitFor();
    await page.getByLabel('Número do pedido').waitFor();
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

  it('finishes in contingency when SEFAZ is unreachable, says so on the receipt screen, and clears once transmitted', async () => {
    const off = await b.t.request('PUT', '/api/v1/fiscal/simulator', {
      auth: ADMIN,
      body: { available: false },
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    try {
      const order = await readyForPickup(b);
      const page = await counter(b);
      await page.getByRole('link', { name: `Abrir pedido Nº ${order.number}` }).click();
      await page.getByRole('button', { name: 'Resgatar' }).click();
      await page.getByRole('button', { name: 'Sem CPF' }).click();
      await page.getByText('EMITIDA EM CONTINGÊNCIA', { exact: true }).waitFor();
      await page.getByText('SEFAZ indisponível — vendas em contingência').waitFor();
      await screenshot(page, 'pos-contingency', { docs: true });
      const receipt = await pdfOpened(page, '/danfe.pdf', () =>
        page.getByRole('button', { name: 'Imprimir cupom' }).click(),
      );
      expect(receipt).toEqual({ status: 200, type: 'application/pdf' });
      // The sale is made: the goods go to the customer while the NFC-e waits for SEFAZ.
      await page.getByRole('button', { name: 'Entregar' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Confirmar entrega' }).click();
      await page.getByText(`Pedido Nº ${order.number} entregue ao cliente.`).waitFor();

      const on = await b.t.request('PUT', '/api/v1/fiscal/simulator', {
        auth: ADMIN,
        body: { available: true },
      });
      expect(on.status).toBe(200);
      await expect
        .poll(
          async () =>
            (await b.t.request('GET', '/api/v1/fiscal/contingency', { auth: ADMIN })).body.items.length,
          { timeout: 30_000 },
        )
        .toBe(0);
      await page.reload();
      await page.getByTestId('pos-store').waitFor();
      await expect.poll(() => page.getByText('SEFAZ indisponível — vendas em contingência').count()).toBe(0);
    } finally {
      await b.t.request('PUT', '/api/v1/fiscal/simulator', { auth: ADMIN, body: { available: true } });
    }
  });

  it('takes part of a sale back with an omni reason and prints the return document', async () => {
    const order = await readyForPickup(b);
    for (const step of ['rescue', 'finish']) {
      const res = await b.t.request('POST', `/api/v1/pos/orders/${order.number}/${step}`, {
        auth: POS11,
        body: {},
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const reasons = await b.t.request('GET', '/api/v1/return-reasons', { auth: POS11 });
    const reason = reasons.body.items[0] as { code: string; description: string };
    expect(reason).toBeDefined();

    const page = await counter(b);
    await page.getByRole('link', { name: 'Devolução' }).click();
    await page.getByRole('heading', { name: 'Devolução de pedido Omni' }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('pos-return-number');
    await page.keyboard.type(String(order.number));
    await page.keyboard.press('Enter');
    await page.getByText('Pode devolver: 2').waitFor();
    // Nothing chosen, no reason: said before anything is sent.
    await page.getByRole('button', { name: 'Devolver', exact: true }).click();
    await page.getByText('Escolha ao menos um item para devolver.').waitFor();
    const more = page.getByRole('button', { name: /^Mais um de / });
    await more.click();
    await more.click();
    await expect(more.isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: /^Menos um de / }).click();
    await page.getByLabel('Motivo da devolução').selectOption({ label: reason.description });
    // A pickup order has no address; the return NF-e names the customer's, asked here.
    await page.getByRole('button', { name: 'Devolver', exact: true }).click();
    await page.getByText('Preencha o endereço do cliente (só o complemento é opcional).').waitFor();
    const where = page.getByRole('group', { name: 'Endereço do cliente' });
    await where.getByLabel('Logradouro').fill(address.street);
    await where.getByLabel('Número', { exact: true }).fill(address.number);
    await where.getByLabel('Bairro').fill(address.district);
    await where.getByLabel('Município').fill(address.city);
    await where.getByLabel('UF').fill('sp');
    await where.getByLabel('CEP').fill(address.postalCode);
    await screenshot(page, 'pos-return', { docs: true });
    await page.getByRole('button', { name: 'Devolver', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Confirmar a devolução do pedido Nº ${order.number}?` });
    await dialog.getByText('1 unidade volta ao estoque da loja').waitFor();
    await dialog.getByRole('button', { name: 'Confirmar devolução' }).click();
    await page.getByText('Devolução registrada.').waitFor();
    const returnDocument = await pdfOpened(page, '/danfe.pdf', () =>
      page.getByRole('button', { name: 'Imprimir nota de devolução' }).click(),
    );
    expect(returnDocument).toEqual({ status: 200, type: 'application/pdf' });

    const returns = await b.t.request('GET', `/api/v1/orders/${order.id}/returns`, { auth: LOJA11 });
    expect(returns.body.items).toHaveLength(1);
    expect(returns.body.items[0]).toMatchObject({ items: [{ sku: 'CAL-002', quantity: 1 }] });

    // The next return of the same order offers only what is left.
    await page.getByRole('button', { name: 'Nova devolução' }).click();
    await page.getByLabel('Número do pedido').fill(String(order.number));
    await page.keyboard.press('Enter');
    await page.getByText('Pode devolver: 1').waitFor();
  });
});
