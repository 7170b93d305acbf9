import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import {
  ADMIN,
  address,
  CNPJ_ALNUM,
  confer,
  createOrder,
  LOJA8,
  LOJA11,
  orderBody,
  PLATFORM,
  POS11,
} from '../../test/order-fixtures.ts';

describe.each(databaseKinds())('order ingest on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const post = (body: unknown, headers?: Record<string, string>) =>
    t.request('POST', '/api/v1/orders', { auth: PLATFORM, body, headers });

  it('creates an open order with its number, lines, totals and history, visible to those it concerns', async () => {
    const body = orderBody({
      lines: [
        ['CAL-002', 2, '199.90', '20.00'],
        ['CAM-002', 1, '59.90'],
      ],
      deliveryType: 'ship',
      carrier: 'CORREIOS',
      freight: '15.00',
    });
    const res = await post(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      externalId: body.externalId,
      storeCode: '11',
      storeName: 'Loja 11 — São Paulo (e-commerce)',
      channel: 'ecommerce',
      modality: 'ecommerce',
      deliveryType: 'ship',
      carrier: 'CORREIOS',
      status: 'open',
      paid: true,
      customer: { name: 'Maria Silva', document: '52998224725', address: { ...address } },
      itemsTotal: '459.70',
      discountTotal: '20.00',
      freight: '15.00',
      total: '454.70',
      version: 1,
      allowedTransitions: ['cancelled'],
    });
    expect(res.body.items).toEqual([
      {
        line: 1,
        sku: 'CAL-002',
        description: 'Calça chino algodão bege 40',
        quantity: 2,
        unitPrice: '199.90',
        discount: '20.00',
        total: '379.80',
      },
      {
        line: 2,
        sku: 'CAM-002',
        description: 'Camiseta básica algodão preta M',
        quantity: 1,
        unitPrice: '59.90',
        discount: '0.00',
        total: '59.90',
      },
    ]);
    expect(res.body.payments).toEqual([
      { method: 'credit_card', amount: '454.70', installments: 1, partyDocument: null },
    ]);
    expect(res.body.history).toEqual([
      expect.objectContaining({
        from: null,
        to: 'open',
        channel: 'platform',
        actor: expect.objectContaining({ kind: 'client', role: 'platform', name: 'E-commerce (demo)' }),
      }),
    ]);
    expect(res.body.placedAt).toBe(new Date(body.placedAt).toISOString());

    const path = `/api/v1/orders/${res.body.id}`;
    for (const auth of [PLATFORM, ADMIN, LOJA11, POS11]) {
      const seen = await t.request('GET', path, { auth });
      expect(seen.status, auth).toBe(200);
      expect(seen.body).toMatchObject({ id: res.body.id, number: res.body.number, total: '454.70' });
    }
    expect((await t.request('GET', path, { auth: LOJA8 })).status).toBe(404);
    expect((await t.request('GET', path, { auth: LOJA11 })).body.allowedTransitions).toEqual([
      'accepted',
      'picking',
      'awaiting_stock',
      'cancelled',
    ]);
  });

  it('takes the address a platform sends (no IBGE code, a country): the NF-e gets the city resolved', async () => {
    // VTEX's shape: no IBGE code, the country as "BRA", the city as the shopper typed it (kept as IBGE names it).
    const { cityCode: _, ...noCode } = address;
    const body = orderBody({ deliveryType: 'ship' });
    body.customer = { ...body.customer, address: { ...noCode, city: 'sao paulo', country: 'BRA' } } as never;
    const created = await post(body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const order = await t.request('GET', `/api/v1/orders/${created.body.id}`, { auth: LOJA11 });
    expect(order.body.customer.address).toMatchObject({ city: 'São Paulo', cityCode: '3550308' });
    expect(order.body.customer.address.country).toBeUndefined();

    expect(
      (await t.request('POST', `/api/v1/orders/${created.body.id}/accept`, { auth: LOJA11 })).status,
    ).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${created.body.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);
    await confer(t, created.body.id);
    const invoiced = await t.request('POST', `/api/v1/orders/${created.body.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    const xml = await t.request('GET', `/api/v1/fiscal-documents/${invoiced.body.fiscalDocument.id}/xml`, {
      auth: LOJA11,
    });
    expect(xml.body).toMatch(/<dest>.*<cMun>3550308<\/cMun>/s);

    const abroad = orderBody({ deliveryType: 'ship' });
    abroad.customer = { ...abroad.customer, address: { ...noCode, country: 'US' } } as never;
    const refused = await post(abroad);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toContainEqual(
      expect.objectContaining({ path: '/customer/address/country', code: 'ORDER.COUNTRY_UNSUPPORTED' }),
    );

    // A city the table does not know is accepted, its code left for the store to fix before invoicing.
    const unknown = orderBody({ deliveryType: 'ship' });
    unknown.customer = { ...unknown.customer, address: { ...noCode, city: 'Vila Que Não Existe' } } as never;
    const kept = await post(unknown);
    expect(kept.status, JSON.stringify(kept.body)).toBe(201);
    const keptOrder = await t.request('GET', `/api/v1/orders/${kept.body.id}`, { auth: LOJA11 });
    expect(keptOrder.body.customer.address.cityCode).toBeNull();

    // The store corrects it before invoicing: the code resolved, the history and the platform told.
    const put = (id: string, body: unknown, auth = LOJA11) =>
      t.request('PUT', `/api/v1/orders/${id}/delivery-address`, { auth, body });
    const bad = await put(kept.body.id, { ...noCode, state: 'XX', postalCode: '123' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/postalCode', '/state']);
    const surrogate = await put(
      kept.body.id,
      '{"street":"Rua \\ud800","number":"1","district":"C","city":"Campinas","state":"SP","postalCode":"01000000"}',
    );
    expect(surrogate.status).toBe(422);
    expect(surrogate.body.errors).toContainEqual(
      expect.objectContaining({ path: '/street', code: 'REQUEST.UNSTORABLE_TEXT' }),
    );
    expect((await put(kept.body.id, { ...noCode, city: 'Campinas' }, LOJA8)).status).toBe(404);
    const fixed = await put(kept.body.id, { ...noCode, city: 'Campinas', complement: 'Casa 2' });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body.customer.address).toMatchObject({
      city: 'Campinas',
      cityCode: '3509502',
      complement: 'Casa 2',
    });
    expect(fixed.body.status).toBe('open');
    expect(fixed.body.history.at(-1)).toMatchObject({ from: 'open', to: 'open' });
    expect(fixed.body.history.at(-1).reason).toContain('Endereço de entrega corrigido');
    const hooks = await t.request('GET', `/api/v1/orders/${kept.body.id}/webhook-deliveries`, {
      auth: ADMIN,
    });
    expect(JSON.stringify(hooks.body)).toContain('order.address_changed');

    // A pickup order has none; an invoiced ship order's address is its NF-e's.
    const pickup = await createOrder(t);
    expect((await put(pickup.id, noCode)).body.code).toBe('ORDER.NOT_SHIP');
    const locked = await put(created.body.id, noCode);
    expect(locked.status).toBe(409);
    expect(locked.body.code).toBe('ORDER.ADDRESS_LOCKED');
  });

  it('numbers each store’s orders consecutively', async () => {
    const a = await createOrder(t, { storeCode: '8', lines: [['CAM-002', 1, '59.90']] });
    const b = await createOrder(t, { storeCode: '8', lines: [['CAM-002', 1, '59.90']] });
    const c = await createOrder(t, { storeCode: '11' });
    expect(b.number).toBe(a.number + 1);
    expect(c.storeCode).toBe('11');
    // Twenty at once still take twenty consecutive numbers.
    const many = await Promise.all(
      Array.from({ length: 20 }, () => post(orderBody({ storeCode: '8', lines: [['CAM-002', 1, '59.90']] }))),
    );
    expect(many.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = many.map((r) => r.body.number as number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => b.number + 1 + i));
  });

  it('accepts an alphanumeric CNPJ and stores documents without punctuation', async () => {
    const body = orderBody();
    body.customer.document = CNPJ_ALNUM;
    const res = await post({
      ...body,
      payments: [{ ...body.payments[0], partyDocument: '11.222.333/0001-81' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.customer.document).toBe('12ABC34501DE35');
    expect(res.body.payments[0].partyDocument).toBe('11222333000181');
  });

  // Each case breaks one rule of a valid body and names the field that must change.
  const invalid: [string, (b: any) => void, string][] = [
    ['a CPF with wrong check digits', (b) => (b.customer.document = '529.982.247-26'), '/customer/document'],
    ['a CNPJ with wrong check digits', (b) => (b.customer.document = '12ABC34501DE36'), '/customer/document'],
    ['a document of the wrong length', (b) => (b.customer.document = '1234'), '/customer/document'],
    ['a quantity of zero', (b) => (b.items[0].quantity = 0), '/items/0/quantity'],
    ['a fractional quantity', (b) => (b.items[0].quantity = 1.5), '/items/0/quantity'],
    ['a negative unit price', (b) => (b.items[0].unitPrice = '-1.00'), '/items/0/unitPrice'],
    ['a negative discount', (b) => (b.items[0].discount = '-1.00'), '/items/0/discount'],
    ['money as a JSON number', (b) => (b.items[0].unitPrice = 199.9), '/items/0/unitPrice'],
    ['a discount above the line', (b) => (b.items[0].discount = '199.91'), '/items/0/discount'],
    ['payments short of the total', (b) => (b.payments[0].amount = '199.89'), '/payments'],
    ['freight not paid for', (b) => (b.freight = '10.00'), '/payments'],
    ['a zero payment', (b) => b.payments.push({ method: 'pix', amount: '0.00' }), '/payments/1/amount'],
    ['an unknown SKU', (b) => (b.items[0].sku = 'NOPE-999'), '/items/0/sku'],
    ['a SKU not active on the e-commerce', (b) => (b.items[0].sku = 'CAM-004'), '/items/0/sku'],
    ['an inactive product', (b) => (b.items[0].sku = 'SAN-001'), '/items/0/sku'],
    [
      'the same SKU twice',
      (b) => {
        b.items.push({ ...b.items[0] });
        b.payments[0].amount = '399.80';
      },
      '/items/1/sku',
    ],
    ['no items', (b) => (b.items = []), '/items'],
    ['a ship order without address', (b) => (b.deliveryType = 'ship'), '/customer/address'],
    [
      'an address outside Brazil',
      (b) => (b.customer.address = { ...address, state: 'XX' }),
      '/customer/address/state',
    ],
    [
      'a bad CEP',
      (b) => (b.customer.address = { ...address, postalCode: '123' }),
      '/customer/address/postalCode',
    ],
    ['a carrier on a pickup order', (b) => (b.carrier = 'CORREIOS'), '/carrier'],
    ['an unknown store', (b) => (b.storeCode = 'NOPE'), '/storeCode'],
    ['a central instead of a store', (b) => (b.storeCode = 'SUL'), '/storeCode'],
    [
      'placedAt an hour ahead',
      (b) => (b.placedAt = new Date(Date.now() + 3_600_000).toISOString()),
      '/placedAt',
    ],
    ['placedAt without a time zone', (b) => (b.placedAt = '2026-01-01T10:00:00'), '/placedAt'],
    ['an unknown field', (b) => (b.coupon = 'X'), '/coupon'],
    [
      'a broken Unicode address',
      (b) => {
        b.deliveryType = 'ship';
        b.customer.address = { ...address, street: 'Rua \ud800' };
      },
      '/customer/address/street',
    ],
    ['a broken Unicode name', (b) => (b.customer.name = 'Maria \udc00'), '/customer/name'],
    [
      'a bad party document',
      (b) => (b.payments[0].partyDocument = '11222333000182'),
      '/payments/0/partyDocument',
    ],
  ];

  it.each(invalid)('refuses %s with 422 at its path and writes nothing', async (_name, change, path) => {
    const body: any = orderBody();
    change(body);
    const res = await post(body);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(['ORDER.INVALID', 'REQUEST.INVALID']).toContain(res.body.code);
    // Nothing was kept: the same externalId is free for a correct order.
    const retried = await post({ ...orderBody(), externalId: body.externalId });
    expect(retried.status).toBe(201);
  });

  it('reports every broken rule at once', async () => {
    const body: any = orderBody({
      lines: [
        ['CAL-002', 1, '199.90'],
        ['NOPE', 1, '1.00'],
      ],
    });
    body.customer.document = '000.000.000-00';
    body.storeCode = 'NOPE';
    const res = await post(body);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/customer/document',
      '/items/1/sku',
      '/storeCode',
    ]);
  });

  it('refuses a store that does not take omni orders (9253 off)', async () => {
    const off = await t.request('PUT', '/api/v1/nodes/3/parameters/9253', {
      auth: ADMIN,
      body: { value: false },
    });
    expect(off.status).toBe(200);
    const res = await post(orderBody({ storeCode: '3', lines: [['CAM-002', 1, '59.90']] }));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        path: '/storeCode',
        code: 'ORDER.STORE_NOT_OMNI',
        params: { parameter: '9253' },
        message: 'is a store that does not take omni orders (parameter 9253)',
      },
    ]);
    await t.request('PUT', '/api/v1/nodes/3/parameters/9253', { auth: ADMIN, body: { value: true } });
    expect((await post(orderBody({ storeCode: '3', lines: [['CAM-002', 1, '59.90']] }))).status).toBe(201);
  });

  it('answers the same externalId and body with the existing order, another body with 409', async () => {
    const body = orderBody();
    const first = await post(body);
    expect(first.status).toBe(201);
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // Formatting is not a difference: the document without punctuation, the same instant in another zone.
    const reformatted = {
      ...body,
      customer: { ...body.customer, document: '52998224725' },
      placedAt: new Date(body.placedAt).toISOString().replace('Z', '+00:00'),
      items: body.items.map((i) => ({ ...i, discount: '0.00' })),
    };
    expect((await post(reformatted)).status).toBe(200);
    const other = await post({
      ...body,
      items: [{ ...body.items[0], quantity: 2 }],
      payments: [{ ...body.payments[0], amount: '399.80' }],
    });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'ORDER.EXTERNAL_ID_CONFLICT', orderId: first.body.id });
    const read = await t.request('GET', `/api/v1/orders/${first.body.id}`, { auth: PLATFORM });
    expect(read.body.history).toHaveLength(1);
    expect(read.body.items[0].quantity).toBe(1);
  });

  it('replays an Idempotency-Key answer and refuses the key for another body', async () => {
    const body = orderBody();
    const key = { 'idempotency-key': `k-${body.externalId}` };
    const first = await post(body, key);
    expect(first.status).toBe(201);
    const replay = await post(body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const reused = await post(orderBody(), key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('creates one order from 20 concurrent posts of one externalId, answering 201 once and 200 otherwise', async () => {
    const before = await createOrder(t, { storeCode: '8', lines: [['CAM-002', 1, '59.90']] });
    const body = orderBody({ storeCode: '8', lines: [['CAM-002', 1, '59.90']] });
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(body)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    // One number taken, none lost to the requests that found the order.
    expect(answers[0]!.body.number).toBe(before.number + 1);
    const after = await createOrder(t, { storeCode: '8', lines: [['CAM-002', 1, '59.90']] });
    expect(after.number).toBe(before.number + 2);
  });

  it('lets only the platform push orders', async () => {
    for (const auth of [ADMIN, LOJA11, POS11]) {
      const res = await t.request('POST', '/api/v1/orders', { auth, body: orderBody() });
      expect(res.status).toBe(403);
    }
  });
});
