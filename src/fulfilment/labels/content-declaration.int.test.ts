import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ADMIN, createOrder, LOJA8, LOJA11 } from '../../../test/order-fixtures.ts';
import { pageCount, textOf } from '../../../test/pdf.ts';

/** The content declaration of a stock request's goods (issue 15 §4), on each database. */
describe.each(databaseKinds())('content declaration on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  const pdf = async (id: string, auth: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/stock-requests/${id}/content-declaration.pdf`,
      headers: { authorization: `Bearer ${await t.token(auth)}` },
    });
    return { status: res.statusCode, pdf: res.rawPayload, body: res.statusCode === 200 ? null : res.json() };
  };

  it('prints the Correios model for the sending company once it accepted the request', async () => {
    // Store 11 has no CAM-001; store 8 has two: the split asks store 8 for them.
    const order = await createOrder(t, { lines: [['CAM-001', 2, '59.90']], deliveryType: 'ship' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(409);
    const split = await t.request('POST', `/api/v1/orders/${order.id}/split`, {
      auth: LOJA11,
      body: { allocations: [{ sku: 'CAM-001', storeCode: '8', quantity: 2 }] },
    });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const request = split.body.requests[0] as { id: string };

    const early = await pdf(request.id, LOJA8);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('SPLIT.REQUEST_NOT_SENDING');
    expect(
      (await t.request('POST', `/api/v1/stock-requests/${request.id}/accept`, { auth: LOJA8 })).status,
    ).toBe(200);

    const printed = await pdf(request.id, LOJA8);
    expect(printed.status, JSON.stringify(printed.body)).toBe(200);
    expect(pageCount(printed.pdf)).toBe(1); // two copies, the halves of one sheet
    const text = textOf(printed.pdf);
    for (const expected of [
      'DECLARAÇÃO DE CONTEÚDO',
      'REMETENTE',
      'DESTINATÁRIO',
      'CAM-001',
      '119,80',
      'Peso total (kg)',
      'Complementar',
      '6.538/78.',
      'Assinatura do declarante/remetente',
      `Solicitação de estoque do pedido ${order.number}`,
    ])
      expect(text).toContain(expected);
    expect(text.split('DECLARAÇÃO DE CONTEÚDO')).toHaveLength(3);
    expect((await pdf(request.id, ADMIN)).status).toBe(200);

    const main = await pdf(request.id, LOJA11);
    expect(main.status).toBe(403);
    expect(main.body.code).toBe('SPLIT.NOT_YOUR_SIDE');
    expect((await pdf('00000000-0000-4000-8000-000000000000', LOJA8)).status).toBe(404);
  });
});
