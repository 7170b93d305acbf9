import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned, nfeOf } from '../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import {
  ADMIN,
  address,
  confer,
  createOrder,
  LOJA8,
  LOJA11,
  orderBody,
  PLATFORM,
  stockOf,
} from '../../test/order-fixtures.ts';
import { textOf } from '../../test/pdf.ts';
import { findEvent } from '../fiscal/documents.ts';
import { formatAccessKey } from '../fiscal/printing/index.ts';

const HOUR = 3_600_000;

/** The ship-from-store journey of issue 5 through the API, on each database. */
describe.each(databaseKinds())('invoicing on %s', (kind) => {
  let t: TestApp;
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
  }, 60_000);
  afterAll(() => t?.close());

  async function pickingShipOrder(opts: Parameters<typeof orderBody>[0] = {}, body?: unknown) {
    const order = body
      ? (await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body })).body
      : await createOrder(t, { deliveryType: 'ship', freight: '15.00', ...opts });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status, JSON.stringify(picking.body)).toBe(200);
    await confer(t, order.id);
    return order as { id: string; number: number };
  }

  const invoice = (id: string, auth = LOJA11) => t.request('POST', `/api/v1/orders/${id}/invoice`, { auth });

  it('accept → picking → invoice: an authorised NF-e with vFrete, a DANFE with its key, stock sold', async () => {
    const before = await stockOf(t, 'CAL-002', '11');
    const order = await pickingShipOrder();
    const res = await invoice(order.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.order.status).toBe('invoiced');
    expect(res.body.fiscalDocument).toMatchObject({ status: 'authorised' });
    expect(res.body.fiscalDocument.accessKey).toMatch(/^35\d{4}4599741800015355001\d{19}$/);

    const doc = await t.request('GET', `/api/v1/fiscal-documents/${res.body.fiscalDocument.id}`, {
      auth: LOJA11,
    });
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({ model: 55, series: 1, status: 'authorised', signatureValid: true });
    expect(doc.body.protocol).toMatch(/^\d{15}$/);
    expect(doc.body.xml).toContain('<vFrete>15.00</vFrete>');
    expect(doc.body.xml).toContain('<modFrete>0</modFrete>');
    expect(doc.body.xml).toContain('<CFOP>5102</CFOP>');
    expect(doc.body.xml).toContain('<protNFe');
    expect(doc.body.xml).toContain(`<nProt>${doc.body.protocol}</nProt>`);
    await expectValidSigned(nfeOf(doc.body.xml), 'infNFe', 'nfe');

    const xml = await t.request('GET', `/api/v1/fiscal-documents/${doc.body.id}/xml`, { auth: LOJA11 });
    expect(xml.headers['content-type']).toContain('application/xml');
    expect(xml.body).toBe(doc.body.xml);

    const pdf = await t.app.inject({
      method: 'GET',
      url: `/api/v1/fiscal-documents/${doc.body.id}/danfe.pdf`,
      headers: { authorization: `Bearer ${await t.token(LOJA11)}` },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await textOf(pdf.rawPayload)).toContain(formatAccessKey(doc.body.accessKey));

    const after = await stockOf(t, 'CAL-002', '11');
    expect(after.onHand).toBe(before.onHand - 1);
    expect(after.reserved).toBe(before.reserved);

    const listed = await t.request('GET', `/api/v1/orders/${order.id}/fiscal-documents`, { auth: LOJA11 });
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([doc.body.id]);
    const history = (await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 })).body.history;
    expect(history.slice(-2).map((h: { to: string }) => h.to)).toEqual(['invoicing', 'invoiced']);
  });

  it('an interstate sale to a consumer carries 6108; the order’s other stores cannot see the document', async () => {
    const body = orderBody({ deliveryType: 'ship', freight: '30.00' });
    body.customer = {
      ...body.customer,
      address: {
        ...address,
        street: 'Rua XV de Novembro',
        city: 'Curitiba',
        cityCode: '4106902',
        state: 'PR',
        postalCode: '80060000',
      },
    } as typeof body.customer;
    const order = await pickingShipOrder({}, body);
    const res = await invoice(order.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const doc = await t.request('GET', `/api/v1/fiscal-documents/${res.body.fiscalDocument.id}`, {
      auth: ADMIN,
    });
    expect(doc.body.xml).toContain('<CFOP>6108</CFOP>');
    expect(doc.body.xml).toContain('<idDest>2</idDest>');
    await expectValidSigned(nfeOf(doc.body.xml), 'infNFe', 'nfe');
    const foreign = await t.request('GET', `/api/v1/fiscal-documents/${res.body.fiscalDocument.id}`, {
      auth: LOJA8,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('FISCAL.DOCUMENT_NOT_FOUND');
  });

  it('a billed sale (boleto in three installments) carries its fatura and duplicatas', async () => {
    const body = orderBody({ deliveryType: 'ship', freight: '10.00' });
    body.payments = [{ method: 'invoice', amount: '209.90', installments: 3 }];
    const order = await pickingShipOrder({}, body);
    const res = await invoice(order.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const doc = await t.request('GET', `/api/v1/fiscal-documents/${res.body.fiscalDocument.id}`, {
      auth: LOJA11,
    });
    expect(doc.body.xml).toContain('<tPag>15</tPag>');
    expect(doc.body.xml).toMatch(
      /<cobr><fat><nFat>\d+<\/nFat><vOrig>209.90<\/vOrig><vDesc>0.00<\/vDesc><vLiq>209.90<\/vLiq><\/fat>/,
    );
    expect(doc.body.xml.match(/<dup>/g)).toHaveLength(3);
    expect(doc.body.xml).toContain('<vDup>69.98</vDup>');
    await expectValidSigned(nfeOf(doc.body.xml), 'infNFe', 'nfe');
  });

  it('the bare transition to invoicing is refused: invoicing issues the NF-e', async () => {
    const order = await pickingShipOrder();
    const res = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'invoicing' },
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('POST /api/v1/orders/{id}/invoice');
  });

  it('answers 503 FISCAL.VALIDATOR_MISSING without xmllint, issuing nothing and leaving the order in picking', async () => {
    const order = await pickingShipOrder();
    const was = process.env.XMLLINT_PATH;
    process.env.XMLLINT_PATH = '/nonexistent/xmllint';
    try {
      const refused = await invoice(order.id);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'FISCAL.VALIDATOR_MISSING' });
      expect(refused.body.detail).toContain('libxml2-utils');
    } finally {
      if (was === undefined) delete process.env.XMLLINT_PATH;
      else process.env.XMLLINT_PATH = was;
    }
    const unchanged = await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(unchanged.body.status).toBe('picking');
    const documents = await t.request('GET', `/api/v1/orders/${order.id}/fiscal-documents`, { auth: LOJA11 });
    expect(documents.body.items).toEqual([]);
    expect((await invoice(order.id)).status).toBe(200);
  });

  it('pre-checks: an order not in picking, a pickup order, a missing series, a missing city code', async () => {
    const open = await createOrder(t, { deliveryType: 'ship' });
    expect((await invoice(open.id)).status).toBe(409);

    const pickup = await createOrder(t, { deliveryType: 'pickup' });
    await t.request('POST', `/api/v1/orders/${pickup.id}/accept`, { auth: LOJA11 });
    await t.request('POST', `/api/v1/orders/${pickup.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    const refused = await invoice(pickup.id);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('ship-from-store');

    const { cityCode: _, ...withoutCity } = address;
    const body = orderBody({ deliveryType: 'ship' });
    // A city the IBGE table does not know: its code stays empty (a known one is resolved at ingest).
    Object.assign(body.customer, { address: { ...withoutCity, city: 'Cidade Que Não Existe' } });
    const noCity = await pickingShipOrder({}, body);
    const incomplete = await invoice(noCity.id);
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.code).toBe('FISCAL.DATA_INCOMPLETE');
    expect(incomplete.body.errors).toContainEqual(
      expect.objectContaining({ path: '/recipient/address/cityCode' }),
    );
    const unchanged = await t.request('GET', `/api/v1/orders/${noCity.id}`, { auth: LOJA11 });
    expect(unchanged.body.status).toBe('picking');

    const order = await pickingShipOrder();
    expect((await t.request('DELETE', '/api/v1/nodes/11/parameters/9259', { auth: ADMIN })).status).toBe(200);
    try {
      const missing = await invoice(order.id);
      expect(missing.status).toBe(422);
      expect(missing.body.code).toBe('FISCAL.SERIES_MISSING');
      expect((await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 })).body.status).toBe(
        'picking',
      );
    } finally {
      await t.request('PUT', '/api/v1/nodes/11/parameters/9259', { auth: ADMIN, body: { value: '1' } });
    }
    expect((await invoice(order.id)).status).toBe(200);
  });

  it('cancels within the window: the document and the order are cancelled, the goods back on the shelf', async () => {
    const order = await pickingShipOrder();
    const issued = (await invoice(order.id)).body.fiscalDocument;
    const before = await stockOf(t, 'CAL-002', '11');
    const short = await t.request('POST', `/api/v1/fiscal-documents/${issued.id}/cancel`, {
      auth: LOJA11,
      body: { justification: 'curta' },
    });
    expect(short.status).toBe(422);
    expect(short.body.errors[0].path).toBe('/justification');

    const res = await t.request('POST', `/api/v1/fiscal-documents/${issued.id}/cancel`, {
      auth: LOJA11,
      body: { justification: 'Cliente desistiu da compra antes do envio' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(res.body.events).toEqual([
      expect.objectContaining({
        type: '110111',
        status: 'registered',
        protocol: expect.stringMatching(/^\d{15}$/),
      }),
    ]);
    const event = await findEvent(t.database.db, res.body.events[0].id);
    await expectValidSigned(event!.xml, 'infEvento', 'envEvento');
    const orderNow = (await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 })).body;
    expect(orderNow.status).toBe('cancelled');
    expect((await stockOf(t, 'CAL-002', '11')).onHand).toBe(before.onHand + 1);

    const again = await t.request('POST', `/api/v1/fiscal-documents/${issued.id}/cancel`, {
      auth: LOJA11,
      body: { justification: 'Cliente desistiu da compra antes do envio' },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('FISCAL.NOT_AUTHORISED');
  });

  it('after 24 hours SEFAZ refuses the cancellation (501) and the order stays invoiced', async () => {
    const order = await pickingShipOrder();
    const issued = (await invoice(order.id)).body.fiscalDocument;
    offset = 25 * HOUR;
    try {
      const res = await t.request('POST', `/api/v1/fiscal-documents/${issued.id}/cancel`, {
        auth: LOJA11,
        body: { justification: 'Cliente desistiu da compra depois do prazo' },
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('FISCAL.CANCELLATION_REJECTED');
      expect(res.body.rejection ?? res.body.data?.rejection).toMatchObject({ code: 501 });
    } finally {
      offset = 0;
    }
    expect((await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 })).body.status).toBe(
      'invoiced',
    );
    const doc = await t.request('GET', `/api/v1/fiscal-documents/${issued.id}`, { auth: LOJA11 });
    expect(doc.body.status).toBe('authorised');
    expect(doc.body.events[0]).toMatchObject({ status: 'rejected', rejection: { code: 501 } });
  });
});
