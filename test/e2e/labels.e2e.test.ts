import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, LOJA11 } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

const row = (page: Page, number: number) => page.locator(`table.queue-table tr[data-number="${number}"]`);

/** Waits for a PDF's answer to a click in the tab it opens, closes that tab and answers status and type. */
async function pdfAnswer(page: Page, path: string, click: () => Promise<void>) {
  const [res, tab] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(path)),
    page.waitForEvent('popup'),
    click(),
  ]);
  await tab.close();
  await page.bringToFront();
  return { status: res.status(), type: res.headers()['content-type'] };
}

describe.skipIf(chromiumMissing)('back office: logistic labels', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  const track = async (id: string, trackingCode: string) => {
    const res = await b.t.request('PUT', `/api/v1/orders/${id}/shipment`, {
      auth: LOJA11,
      body: { carrier: 'CORREIOS', service: 'SEDEX', trackingCode },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  it('prints the labels of the orders selected in the queue, and says which cannot print', async () => {
    const first = await createOrder(b.t, { deliveryType: 'ship' });
    const second = await createOrder(b.t, { deliveryType: 'ship' });
    const untracked = await createOrder(b.t, { deliveryType: 'ship' });
    await track(first.id, 'AB111111111BR');
    await track(second.id, 'AB222222222BR');

    const page = await b.signedIn(LOJA11);
    await row(page, second.number).waitFor();
    for (const o of [first, second])
      await page.getByRole('checkbox', { name: `Selecionar o pedido Nº ${o.number}` }).check();
    await page.getByRole('button', { name: 'Imprimir etiquetas' }).click();
    const menu = page.getByRole('menu', { name: 'Imprimir etiquetas' });
    await menu.getByRole('menuitem', { name: 'Etiquetas em folha A4, 4 por folha (2)' }).waitFor();
    await screenshot(page, 'labels-menu');
    const batch = await pdfAnswer(page, '/api/v1/labels.pdf?', () =>
      menu.getByRole('menuitem', { name: 'Etiquetas térmicas 10×15 cm (2)' }).click(),
    );
    expect(batch).toEqual({ status: 200, type: 'application/pdf' });

    // One order without a tracking code: nothing prints, and the clerk reads which order it is.
    await page.getByRole('checkbox', { name: `Selecionar o pedido Nº ${untracked.number}` }).check();
    await page.getByRole('button', { name: 'Imprimir etiquetas' }).click();
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/labels.pdf?')),
      page.getByRole('menuitem', { name: 'Etiquetas em folha A4, 4 por folha (3)' }).click(),
    ]);
    expect(refused.status()).toBe(409);
    await page
      .getByRole('alert')
      .filter({ hasText: `pedido ${untracked.number} sem código de rastreio` })
      .waitFor();
    await screenshot(page, 'labels-refused');
  });

  it('offers "Etiqueta" on the order once it has a tracking code', async () => {
    const order = await createOrder(b.t, { deliveryType: 'ship' });
    const page = await b.signedIn(LOJA11);
    await page.goto(`/orders/${order.id}`);
    const button = page.getByRole('button', { name: 'Etiqueta', exact: true });
    await button.waitFor();
    expect(await button.isDisabled()).toBe(true);
    await page.getByText('A etiqueta é impressa quando o pedido tiver o código de rastreio').waitFor();

    await track(order.id, 'AB333333333BR');
    await page.reload();
    await button.waitFor();
    expect(await button.isDisabled()).toBe(false);
    const one = await pdfAnswer(page, `/api/v1/orders/${order.id}/label.pdf`, () => button.click());
    expect(one).toEqual({ status: 200, type: 'application/pdf' });
    await screenshot(page, 'order-label');
  });
});
