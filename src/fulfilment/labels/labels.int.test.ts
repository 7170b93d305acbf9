import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barcodesOf } from '../../../test/barcodes.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ADMIN, address, confer, createOrder, LOJA8, LOJA11 } from '../../../test/order-fixtures.ts';
import { mediaBoxes, pageCount, textOf } from '../../../test/pdf.ts';
import { orderShipments } from '../../orders/schema.ts';
import { renderPdf } from '../../platform/pdf.ts';
import { accessKeyGroups } from './domain.ts';

const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const MM = 72 / 25.4;

/** The logistic label through the API (issue 15 §4), on each database. */
describe.each(databaseKinds())('logistic labels on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  const pdf = async (url: string, auth = LOJA11) => {
    const res = await t.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${await t.token(auth)}` },
    });
    return {
      status: res.statusCode,
      type: res.headers['content-type'],
      pdf: res.rawPayload,
      body: res.statusCode === 200 ? null : res.json(),
    };
  };
  const setParameter = (code: string, value: unknown) =>
    t.request('PUT', `/api/v1/nodes/11/parameters/${code}`, { auth: ADMIN, body: { value } });
  const clearParameter = (code: string) =>
    t.request('DELETE', `/api/v1/nodes/11/parameters/${code}`, { auth: ADMIN });

  /** A ship order accepted, picked, conferred and invoiced (its NF-e authorised by the simulator). */
  async function invoicedShipOrder() {
    const order = await createOrder(t, { deliveryType: 'ship', freight: '15.00' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status, JSON.stringify(picking.body)).toBe(200);
    await confer(t, order.id);
    const invoiced = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    return {
      id: order.id as string,
      number: order.number as number,
      accessKey: invoiced.body.fiscalDocument.accessKey as string,
    };
  }
  const track = async (id: string, trackingCode: string, service = 'SEDEX') => {
    const res = await t.request('PUT', `/api/v1/orders/${id}/shipment`, {
      auth: LOJA11,
      body: { carrier: 'CORREIOS', service, trackingCode },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  let first: Awaited<ReturnType<typeof invoicedShipOrder>>;
  let second: Awaited<ReturnType<typeof invoicedShipOrder>>;

  it('refuses the label without a tracking code, then prints it with its barcodes readable', async () => {
    first = await invoicedShipOrder();
    const refused = await pdf(`/api/v1/orders/${first.id}/label.pdf`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ORDER.NO_TRACKING_CODE' });

    await track(first.id, 'AB123456789BR');
    const printed = await pdf(`/api/v1/orders/${first.id}/label.pdf`);
    expect(printed.status, JSON.stringify(printed.body)).toBe(200);
    expect(printed.type).toBe('application/pdf');
    const text = textOf(printed.pdf);
    expect(text).toContain('AB123456789BR');
    expect(text).toContain(`Pedido ${first.number}`);
    expect(text).toContain(accessKeyGroups(first.accessKey));
    expect(text).toContain('Maria Silva');
    expect(text).toContain('CEP 01304-001');
    // Thermal by default: 10×15 cm pages; the demo's store 11 prints two copies (TP_IMP_ETIQ_LOGISTICA_PED 4).
    expect(pageCount(printed.pdf)).toBe(2);
    expect(textOf(printed.pdf)).toContain('2ª via');
    expect(mediaBoxes(printed.pdf)[0]!.slice(2).map(Math.round)).toEqual([
      Math.round(100 * MM),
      Math.round(150 * MM),
    ]);

    const read = await barcodesOf(printed.pdf);
    const code128 = read.filter((r) => r.format === 'Code128').map((r) => r.text);
    expect(code128).toContain('AB123456789BR');
    expect(code128).toContain(address.postalCode.replace('-', ''));
    const matrix = read.find((r) => r.format === 'DataMatrix')?.text ?? '';
    expect(matrix).toHaveLength(164);
    expect(matrix.slice(0, 8)).toBe('01304001');
    expect(matrix.slice(8, 13)).toBe('01200');
    expect(matrix.slice(29, 42)).toBe('AB123456789BR');
    expect(matrix.slice(133)).toBe(`|${String(first.number).padEnd(30)}`);
  }, 120_000);

  it('refuses a pickup order and what the caller cannot see', async () => {
    const pickup = await createOrder(t, { deliveryType: 'pickup' });
    const refused = await pdf(`/api/v1/orders/${pickup.id}/label.pdf`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ORDER.NOT_SHIP');
    expect((await pdf(`/api/v1/orders/${first.id}/label.pdf`, LOJA8)).status).toBe(404);
  });

  it('prints a batch with copies and page breaks per TP_IMP_ETIQ_LOGISTICA_PED', async () => {
    second = await invoicedShipOrder();
    await track(second.id, 'AB987654321BR');
    const batch = `/api/v1/labels.pdf?ids=${first.id},${second.id},${first.id}`;

    // The demo's 4: two copies each, every order on its own A4 sheet.
    const four = await pdf(`${batch}&format=a4`);
    expect(four.status, JSON.stringify(four.body)).toBe(200);
    expect(pageCount(four.pdf)).toBe(2);
    expect(mediaBoxes(four.pdf)[0]!.slice(2).map(Math.round)).toEqual([595, 842]);
    const reads = await barcodesOf(four.pdf);
    expect(reads.filter((r) => r.text === 'AB123456789BR').map((r) => r.page)).toEqual([1, 1]);
    expect(reads.filter((r) => r.text === 'AB987654321BR').map((r) => r.page)).toEqual([2, 2]);
    expect(pageCount((await pdf(batch)).pdf)).toBe(4); // thermal: every copy a page

    const pages = async (value: string) => {
      expect((await setParameter('TP_IMP_ETIQ_LOGISTICA_PED', value)).status).toBe(200);
      return pageCount((await pdf(`${batch}&format=a4`)).pdf);
    };
    expect(await pages('3')).toBe(1); // four labels sharing one sheet
    expect(await pages('2')).toBe(2); // a copy each, a sheet each
    expect(await pages('1')).toBe(1); // a copy each, sharing
    const one = await pdf(`${batch}&format=a4`);
    const text = textOf(one.pdf);
    expect(text).not.toContain('2ª via');
    expect(text.indexOf('AB123456789BR')).toBeLessThan(text.indexOf('AB987654321BR'));
    expect(await pages('4')).toBe(2);
  }, 120_000);

  it('prints nothing when one selected order cannot print, and says which', async () => {
    const waiting = await createOrder(t, { deliveryType: 'ship' });
    const refused = await pdf(`/api/v1/labels.pdf?ids=${first.id},${waiting.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'FULFILMENT.LABELS_NOT_PRINTABLE',
      orders: [{ id: waiting.id, number: waiting.number, code: 'ORDER.NO_TRACKING_CODE' }],
    });
    const hidden = await pdf(`/api/v1/labels.pdf?ids=${first.id},${waiting.id}`, LOJA8);
    expect(hidden.status).toBe(404);
    expect(hidden.body.orderIds).toEqual([first.id, waiting.id]);

    const malformed = await pdf(`/api/v1/labels.pdf?ids=${first.id},nope`);
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors[0]).toMatchObject({ path: '/ids', code: 'FULFILMENT.BATCH_IDS' });
    const ids = Array.from(
      { length: 101 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const tooMany = await pdf(`/api/v1/labels.pdf?ids=${ids.join(',')}`);
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.code).toBe('FULFILMENT.BATCH_SIZE');
    expect((await pdf('/api/v1/labels.pdf?ids=')).status).toBe(422);
  });

  it('puts the carrier’s own label in its order’s place', async () => {
    const carrierPdf = await renderPdf('carrier', (doc) => {
      doc.addPage({ size: [283, 425], margin: 0 });
      doc.font('Helvetica').fontSize(12).text('ETIQUETA DA TRANSPORTADORA XYZ', 20, 20);
    });
    await t.database.db
      .update(orderShipments)
      .set({ carrierLabel: carrierPdf.toString('base64') })
      .where(eq(orderShipments.orderId, second.id));
    const own = await pdf(`/api/v1/orders/${second.id}/label.pdf`);
    expect(own.status).toBe(200);
    expect(pageCount(own.pdf)).toBe(2); // its pages, once per copy
    expect(textOf(own.pdf)).toContain('ETIQUETA DA TRANSPORTADORA XYZ');
    expect(textOf(own.pdf)).not.toContain('AB987654321BR');

    const batch = await pdf(`/api/v1/labels.pdf?ids=${first.id},${second.id}`);
    expect(batch.status).toBe(200);
    expect(pageCount(batch.pdf)).toBe(4);
    const text = textOf(batch.pdf);
    expect(text.indexOf('AB123456789BR')).toBeLessThan(text.indexOf('ETIQUETA DA TRANSPORTADORA XYZ'));
  });

  it('prints the store’s logo from CD_LOGOTIPO_EMP, and the label without one it cannot read', async () => {
    const plain = await pdf(`/api/v1/orders/${first.id}/label.pdf`);
    expect(plain.pdf.toString('latin1')).not.toContain('/Subtype /Image');
    const set = await setParameter('CD_LOGOTIPO_EMP', `data:image/png;base64,${PNG_1PX.toString('base64')}`);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const withLogo = await pdf(`/api/v1/orders/${first.id}/label.pdf`);
    expect(withLogo.status).toBe(200);
    expect(withLogo.pdf.toString('latin1')).toContain('/Subtype /Image');

    const bad = await setParameter('CD_LOGOTIPO_EMP', 'data:text/html;base64,PGgxPg==');
    expect(bad.status).toBe(422);
    // Nothing listens there: the label comes out without the logo, at once.
    expect((await setParameter('CD_LOGOTIPO_EMP', 'http://127.0.0.1:9/logo.png')).status).toBe(200);
    const unreachable = await pdf(`/api/v1/orders/${first.id}/label.pdf`);
    expect(unreachable.status).toBe(200);
    expect(unreachable.pdf.toString('latin1')).not.toContain('/Subtype /Image');

    // An http(s) logo is fetched (once, then kept); an answer past the size cap is no logo.
    let served = 0;
    const server = createServer((req, res) => {
      served++;
      if (req.url === '/big.png') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(Buffer.concat([PNG_1PX, Buffer.alloc(600 * 1024)]));
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG_1PX);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await setParameter('CD_LOGOTIPO_EMP', `${base}/logo-${kind}.png`)).status).toBe(200);
      for (let i = 0; i < 2; i++) {
        const fetched = await pdf(`/api/v1/orders/${first.id}/label.pdf`);
        expect(fetched.pdf.toString('latin1')).toContain('/Subtype /Image');
      }
      expect(served).toBe(1);
      expect((await setParameter('CD_LOGOTIPO_EMP', `${base}/big.png`)).status).toBe(200);
      const big = await pdf(`/api/v1/orders/${first.id}/label.pdf`);
      expect(big.status).toBe(200);
      expect(big.pdf.toString('latin1')).not.toContain('/Subtype /Image');
    } finally {
      server.close();
    }
    expect((await clearParameter('CD_LOGOTIPO_EMP')).status).toBe(200);
  });
});
