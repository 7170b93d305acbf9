import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createOrder, LOJA11, POS11 } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** Seeds 000 §3.4: the back office tells "Pedido recebido" (not yet at the POS) from "Confirmado loja". */
describe.skipIf(chromiumMissing)('back office: whether the POS downloaded a pickup order', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
    const put = await b.t.request('PUT', '/api/v1/nodes/DEMO/parameters/TP_CONF_ACEITE_PED', {
      auth: ADMIN,
      body: { value: '1' },
    });
    expect(put.status).toBe(200);
  });
  afterAll(() => b?.close());

  it('shows "Pedido recebido" until the POS lists the order, then "Confirmado loja" and the history note', async () => {
    const order = await createOrder(b.t, { deliveryType: 'pickup' });
    expect((await b.t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(
      200,
    );
    for (const to of ['picking', 'ready_for_pickup'])
      expect(
        (await b.t.request('POST', `/api/v1/orders/${order.id}/transitions`, { auth: LOJA11, body: { to } }))
          .status,
      ).toBe(200);

    const page = await b.signedIn(LOJA11);
    await page.goto(`/orders?numero=${order.number}`);
    const row = page.locator(`table.queue-table tr[data-number="${order.number}"]`);
    await row.getByText('Pedido recebido').waitFor();

    expect((await b.t.request('GET', '/api/v1/pos/pending-orders', { auth: POS11 })).status).toBe(200);
    await page.reload();
    await row.getByText('Confirmado loja').waitFor();
    await screenshot(page, 'queue-pos-downloaded');

    await page.goto(`/orders/${order.id}`);
    await page.getByText('Confirmado loja').first().waitFor();
    await page.getByText('Motivo: Pedido baixado pelo PDV (Confirmado loja)').waitFor();
    await page.getByText('Anotação (Disponível para retirada)').waitFor();
  });
});
