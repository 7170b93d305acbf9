import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, createOrder, LOJA8, LOJA11 } from '../../test/order-fixtures.ts';
import { mediaBoxes, pageCount, textOf } from '../../test/pdf.ts';

/** The raw PDF bytes (the harness decodes bodies as UTF-8, which would mangle them). */
async function get(t: TestApp, url: string, user: string) {
  const res = await t.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${await t.token(user)}` },
  });
  const pdf = res.rawPayload;
  return {
    status: res.statusCode,
    headers: res.headers,
    pdf,
    json: () => res.json(),
    pages: pageCount(pdf),
    mediaBoxes: mediaBoxes(pdf),
  };
}

describe.each(databaseKinds())('picking slips on the %s database', (kind) => {
  let t: TestApp;
  let pickup: { id: string; number: number };
  let ship: { id: string; number: number };
  let third: { id: string; number: number };

  beforeAll(async () => {
    t = await startTestApp(kind);
    pickup = await createOrder(t, {
      lines: [
        ['CAL-002', 2, '199.90'],
        ['CAM-001', 1, '59.90'],
      ],
    });
    ship = await createOrder(t, { deliveryType: 'ship', freight: '15.00', carrier: 'CORREIOS' });
    third = await createOrder(t, { lines: [['CAM-002', 3, '10.00']] });
  });
  afterAll(() => t?.close());

  it('prints one order on A4 with what the picker needs', async () => {
    const res = await get(t, `/api/v1/orders/${pickup.id}/picking-slip.pdf`, LOJA11);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="separacao-${pickup.number}.pdf"`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.pages).toBe(1);
    expect(res.mediaBoxes[0]).toEqual([0, 0, 595.28, 841.89]);
    const text = textOf(res.pdf);
    for (const expected of [
      'ROMANEIO DE SEPARAÇÃO',
      String(pickup.number),
      'CAL-002',
      'CAM-001',
      'CPF: 529.982.247-25',
      'Entrega: Retira na loja',
      'Total de unidades: 3',
      'R$ 459,70',
      'Cartão de crédito',
      'Separado por',
      'Conferido por',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('prints a ship order on an 80 mm page as long as the slip', async () => {
    const res = await get(t, `/api/v1/orders/${ship.id}/picking-slip.pdf?layout=thermal`, ADMIN);
    expect(res.status).toBe(200);
    expect(res.pages).toBe(1);
    const [, , width, height] = res.mediaBoxes[0]!;
    expect(width).toBeCloseTo(226.77, 1);
    expect(height).toBeGreaterThan(300);
    expect(height).toBeLessThan(841);
    const text = textOf(res.pdf);
    expect(text).toContain('Entrega: Envio pela loja');
    expect(text).toContain('Rua Augusta, 1200');
    expect(text).toContain('CEP 01304-001');
    expect(text).toContain('Frete');
  });

  it('prints a batch, one slip per page, each selected order once', async () => {
    const ids = [third.id, pickup.id, ship.id, pickup.id].map((id) => `orderId=${id}`).join('&');
    for (const layout of ['a4', 'thermal']) {
      const res = await get(t, `/api/v1/picking-slips.pdf?${ids}&layout=${layout}`, LOJA11);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe('inline; filename="separacao-lote.pdf"');
      expect(res.pages).toBe(3);
    }
  });

  it('answers 404 for an order the caller may not see, and names the unknown ids of a batch', async () => {
    const hidden = await get(t, `/api/v1/orders/${pickup.id}/picking-slip.pdf`, LOJA8);
    expect(hidden.status).toBe(404);
    expect(hidden.json().code).toBe('ORDER.NOT_FOUND');
    const unknown = randomUUID();
    const batch = await get(t, `/api/v1/picking-slips.pdf?orderId=${pickup.id}&orderId=${unknown}`, LOJA11);
    expect(batch.status).toBe(404);
    expect(batch.json()).toMatchObject({ code: 'ORDER.NOT_FOUND', orderIds: [unknown] });
    const otherStore = await get(t, `/api/v1/picking-slips.pdf?orderId=${pickup.id}`, LOJA8);
    expect(otherStore.json().orderIds).toEqual([pickup.id]);
  });

  it('refuses a bad layout, an empty selection and more than 100 orders', async () => {
    const tooMany = Array.from({ length: 101 }, () => `orderId=${randomUUID()}`).join('&');
    for (const url of [
      `/api/v1/orders/${pickup.id}/picking-slip.pdf?layout=letter`,
      '/api/v1/picking-slips.pdf',
      `/api/v1/picking-slips.pdf?${tooMany}`,
    ]) {
      const res = await get(t, url, LOJA11);
      expect(res.status, url).toBe(422);
      expect(res.json().code).toBe('REQUEST.INVALID');
    }
  });
});
