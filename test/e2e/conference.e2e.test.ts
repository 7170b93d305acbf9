import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, LOJA11 } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** The demo catalogue's barcodes (CAL-002, BER-001) and one of a product the order does not have. */
const CAL = '7896012010921';
const BER = '7896012011317';
const TENIS = '7896012012093';

describe.skipIf(chromiumMissing)('back office: the scan conference with a USB barcode scanner', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
    for (const sku of ['CAL-002', 'BER-001']) {
      const res = await b.t.request('POST', '/api/v1/stock/adjustments', {
        auth: 'admin@demo.local',
        body: { storeCode: '11', sku, quantity: 20, reason: 'Estoque para o teste' },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => b?.close());

  it('counts scanned items, refuses a wrong EAN, finishes and offers the order for pickup', async () => {
    const order = await createOrder(b.t, {
      lines: [
        ['CAL-002', 2, '199.90'],
        ['BER-001', 1, '139.90'],
      ],
    });
    const picking = await b.t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);

    const page = await b.signedIn(LOJA11);
    await page.goto(`/orders/${order.id}`);
    // An order in picking: its screen offers the conference; the bare "Disponível para retirada" waits for it.
    await page.getByRole('link', { name: 'Conferir itens' }).click();
    await page.getByRole('heading', { name: `Conferência do pedido Nº ${order.number}` }).waitFor();
    const code = page.getByLabel('Código de barras (EAN) ou SKU');
    await page.getByText('0 de 3 unidades conferidas').waitFor();
    // The scanner types into the focused input: the screen opens with the focus there.
    expect(await code.evaluate((el) => el === document.activeElement)).toBe(true);
    const finish = page.getByRole('button', { name: 'Finalizar conferência' });
    expect(await finish.isDisabled()).toBe(true);

    // A scanner is a keyboard: the code, then Enter.
    await page.keyboard.type(CAL);
    await page.keyboard.press('Enter');
    await page.getByText('1 de 3 unidades conferidas').waitFor();
    await page
      .getByRole('status')
      .getByText(/\+1 CAL-002/)
      .waitFor();
    expect(await code.evaluate((el) => el === document.activeElement)).toBe(true);

    // A product not in the order: a red notice saying why, nothing counted, the focus still there.
    await page.keyboard.type(TENIS);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText(`O código ${TENIS} não é de um item deste pedido`).waitFor();
    await page.getByText('1 de 3 unidades conferidas').waitFor();
    expect(await code.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'conference-wrong-scan', { docs: true });

    for (const [ean, counted] of [
      [CAL, 2],
      [BER, 3],
    ] as const) {
      await page.keyboard.type(ean);
      await page.keyboard.press('Enter');
      await page.getByText(`${counted} de 3 unidades conferidas`).waitFor();
    }
    // One more of a complete line is refused too.
    await page.keyboard.type(BER);
    await page.keyboard.press('Enter');
    await page
      .getByRole('alert')
      .getByText(/BER-001: 1 de 1 já conferidas/)
      .waitFor();
    await screenshot(page, 'conference-complete', { docs: true });

    // Keyboard only: Tab reaches "Finalizar conferência", Enter presses it.
    expect(await finish.isEnabled()).toBe(true);
    for (let i = 0; i < 12; i++) {
      if (await finish.evaluate((el) => el === document.activeElement)) break;
      await page.keyboard.press('Tab');
    }
    expect(await finish.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');

    await page
      .getByText(`Conferência finalizada. Pedido Nº ${order.number} disponível para retirada.`)
      .waitFor();
    await page.locator('.order-title .status', { hasText: 'Disponível para retirada' }).waitFor();
    const saved = await b.t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(saved.body.status).toBe('ready_for_pickup');
    await screenshot(page, 'conference-finished');
  });

  it('lets a manager restart the count with a reason', async () => {
    const order = await createOrder(b.t, { lines: [['CAL-002', 2, '199.90']] });
    await b.t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    const page = await b.signedIn(LOJA11);
    await page.goto(`/orders/${order.id}/conference`);
    await page.getByText('0 de 2 unidades conferidas').waitFor();
    await page.keyboard.type(CAL);
    await page.keyboard.press('Enter');
    await page.getByText('1 de 2 unidades conferidas').waitFor();

    await page.getByRole('button', { name: 'Reiniciar conferência' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reiniciar a conferência' });
    await dialog.getByLabel('Motivo').fill('Leitura em dobro');
    await dialog.getByRole('button', { name: 'Reiniciar conferência' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('0 de 2 unidades conferidas').waitFor();
    const history = (await b.t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 })).body.history;
    expect(history.at(-1).reason).toBe('Conferência reiniciada: Leitura em dobro');
  });
});
