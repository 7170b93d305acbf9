import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned, nfeOf } from '../../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import {
  ADMIN,
  address,
  CPF,
  LOJA11,
  orderBody,
  PLATFORM,
  POS11,
  stockOf,
} from '../../../test/order-fixtures.ts';
import { TEST_SECRET_KEY } from '../../../test/secret-key.ts';
import * as orders from '../../orders/service.ts';
import { rows, sql } from '../../platform/db/sql.ts';

const deps = { secretKey: TEST_SECRET_KEY };
type Line = [sku: string, quantity: number, unitPrice: string, discount?: string];

/** Issue 13 §3 through the API: returns of omni orders at the POS with the network's omni reasons. */
describe.each(databaseKinds())('returns at the POS on %s', (kind) => {
  let t: TestApp;
  let manager: orders.OrderCaller;
  beforeAll(async () => {
    t = await startTestApp(kind);
    const [node] = await rows<{ id: string; path: string; network_id: string }>(
      t.database.db,
      sql`select id, path, network_id from nodes where code = '11'`,
    );
    manager = {
      kind: 'user',
      id: 'test-manager',
      name: 'Gerente',
      actor: 'store_manager',
      nodeId: node!.id,
      nodePath: node!.path,
      networkId: node!.network_id,
    };
    // Where conference by scan is required (another part of issue 13), the bare transition to
    // ready_for_pickup is refused: this suite is about what happens after the sale.
    await t.request('PUT', '/api/v1/nodes/11/parameters/TP_CONF_ACEITE_PED', {
      auth: ADMIN,
      body: { value: '1' },
    });
  }, 60_000);
  afterAll(() => t?.close());

  async function move(id: string, to: string, auth = LOJA11) {
    const res = await t.request('POST', `/api/v1/orders/${id}/transitions`, { auth, body: { to } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  async function settled(orderId: string, reference = 'order') {
    for (let i = 0; i < 400; i++) {
      const [doc] = await rows<{ id: string; status: string; access_key: string; xml: string }>(
        t.database.db,
        sql`select id, status, access_key, xml from fiscal_documents
             where reference_type = ${reference} and reference_id = ${orderId} order by created_at desc limit 1`,
      );
      if (doc && doc.status !== 'sending') return doc;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`the document of ${orderId} is still sending`);
  }

  /** A pickup order sold at the counter: accepted, picked, rescued by the POS, its NFC-e authorised. */
  async function pickupSold(lines: Line[] = [['CAL-002', 2, '199.90']], withAddress = true) {
    const body = orderBody({ deliveryType: 'pickup', lines });
    if (withAddress) body.customer = { ...body.customer, address } as typeof body.customer;
    const created = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const order = created.body as { id: string; number: number };
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await move(order.id, 'picking');
    await move(order.id, 'ready_for_pickup');
    await move(order.id, 'invoicing', POS11);
    const issued = await orders.issueConsumerReceipt(t.database.db, deps, manager, order.id, CPF);
    expect(issued.ok, JSON.stringify(issued)).toBe(true);
    t.worker.wake();
    const nfce = await settled(order.id);
    expect(nfce.status).toBe('authorised');
    return { ...order, saleKey: nfce.access_key };
  }

  /** A ship order invoiced with its NF-e, delivered to a customer in Curitiba (another UF). */
  async function shipSoldToCuritiba() {
    const body = orderBody({ deliveryType: 'ship', freight: '15.00' });
    body.customer = {
      ...body.customer,
      address: { ...address, city: 'Curitiba', cityCode: '4106902', state: 'PR', postalCode: '80060000' },
    } as typeof body.customer;
    const order = (await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body })).body as {
      id: string;
      number: number;
    };
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await move(order.id, 'picking');
    const invoiced = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    return { ...order, saleKey: invoiced.body.fiscalDocument.accessKey as string };
  }

  const giveBack = (body: unknown, auth = POS11, headers: Record<string, string> = {}) =>
    t.request('POST', '/api/v1/pos/returns', { auth, body, headers });

  const returnEvents = (orderId: string) =>
    rows<{ event: string; body: string }>(
      t.database.db,
      sql`select event, body from webhook_deliveries where order_id = ${orderId} order by seq`,
    );

  it('offers the POS only the omni reasons valid today; admins keep them, each change audited', async () => {
    const offered = await t.request('GET', '/api/v1/return-reasons', { auth: POS11 });
    expect(offered.status).toBe(200);
    expect(offered.body.items.map((r: { code: string }) => r.code)).toEqual(['01', '02', '03']);
    expect(offered.body.items[0]).toMatchObject({
      code: '01',
      description: 'Produto com defeito',
      type: 'oms_order_return',
      current: true,
    });

    const create = (body: Record<string, unknown>, auth = ADMIN) =>
      t.request('POST', '/api/v1/return-reasons', { auth, body });
    const expired = await create({
      code: 'R-EXP',
      description: 'Campanha de 2025',
      type: 'oms_order_return',
      validFrom: '2025-01-01',
      validTo: '2025-12-31',
    });
    expect(expired.status, JSON.stringify(expired.body)).toBe(201);
    expect(expired.body).toMatchObject({ current: false, active: true, version: 1 });
    expect(
      (
        await create({
          code: 'R-LOJA',
          description: 'Troca na loja',
          type: 'store_sale_return',
          validFrom: '2025-01-01',
        })
      ).status,
    ).toBe(201);
    const later = await create({
      code: 'R-OFF',
      description: 'Desistência',
      type: 'oms_order_return',
      validFrom: '2025-01-01',
    });
    expect(later.status).toBe(201);
    const off = await t.request('PUT', '/api/v1/return-reasons/R-OFF', {
      auth: ADMIN,
      body: {
        description: 'Desistência',
        type: 'oms_order_return',
        validFrom: '2025-01-01',
        active: false,
        version: 1,
      },
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body).toMatchObject({ active: false, current: false, version: 2 });
    const stale = await t.request('PUT', '/api/v1/return-reasons/R-OFF', {
      auth: ADMIN,
      body: { description: 'Outra', type: 'oms_order_return', validFrom: '2025-01-01', version: 1 },
    });
    expect(stale.status).toBe(409);

    expect(
      (
        await create({
          code: '01',
          description: 'Duplicado',
          type: 'oms_order_return',
          validFrom: '2025-01-01',
        })
      ).status,
    ).toBe(409);
    const inverted = await create({
      code: 'R-BAD',
      description: 'x',
      type: 'oms_order_return',
      validFrom: '2026-02-01',
      validTo: '2026-01-01',
    });
    expect(inverted.status).toBe(422);
    expect(inverted.body.errors[0]).toMatchObject({ path: '/validTo', code: 'RETURN.PERIOD_INVERTED' });
    const noSuchDay = await create({
      code: 'R-BAD',
      description: 'x',
      type: 'oms_order_return',
      validFrom: '2026-02-30',
    });
    expect(noSuchDay.status).toBe(422);
    expect(
      (
        await create(
          { code: 'R-X', description: 'x', type: 'oms_order_return', validFrom: '2026-01-01' },
          LOJA11,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await create(
          { code: 'R-X', description: 'x', type: 'oms_order_return', validFrom: '2026-01-01' },
          POS11,
        )
      ).status,
    ).toBe(403);

    const pos = await t.request('GET', '/api/v1/return-reasons', { auth: POS11 });
    expect(pos.body.items.map((r: { code: string }) => r.code)).toEqual(['01', '02', '03', 'R-LOJA']);
    expect((await t.request('GET', '/api/v1/return-reasons/R-EXP', { auth: POS11 })).status).toBe(404);
    const all = await t.request('GET', '/api/v1/return-reasons', { auth: LOJA11 });
    expect(all.body.items.map((r: { code: string }) => r.code)).toEqual([
      '01',
      '02',
      '03',
      'R-EXP',
      'R-LOJA',
      'R-OFF',
    ]);
    const current = await t.request('GET', '/api/v1/return-reasons?current=true&type=oms_order_return', {
      auth: ADMIN,
    });
    expect(current.body.items.map((r: { code: string }) => r.code)).toEqual(['01', '02', '03']);

    const audit = await t.request('GET', '/api/v1/audit-events?target=R-OFF&limit=10', { auth: ADMIN });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'return_reason.deactivated',
      'return_reason.created',
    ]);
    expect(audit.body.items[0]).toMatchObject({ before: { active: true }, after: { active: false } });
  });

  it('takes part of an NFC-e sale back: stock, a return movement, the NF-e de entrada referencing the NFC-e, history and webhook', async () => {
    const sold = await pickupSold([
      ['CAL-002', 2, '199.90'],
      ['CAM-002', 1, '79.90', '9.90'],
    ]);
    const before = await stockOf(t, 'CAL-002', '11');
    const res = await giveBack({
      orderNumber: sold.number,
      items: [{ sku: 'CAL-002', quantity: 1 }],
      reasonCode: '01',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.return).toMatchObject({
      orderId: sold.id,
      orderNumber: sold.number,
      storeCode: '11',
      reason: { code: '01', description: 'Produto com defeito' },
      items: [{ sku: 'CAL-002', quantity: 1, unitPrice: '199.90', discount: '0.00', total: '199.90' }],
      total: '199.90',
      full: false,
    });
    expect(res.body.stockMovements).toEqual([
      expect.objectContaining({ kind: 'return', sku: 'CAL-002', quantity: 1 }),
    ]);
    expect((await stockOf(t, 'CAL-002', '11')).onHand).toBe(before.onHand + 1);

    const docId = res.body.fiscalDocument.id;
    const doc = await t.request('GET', `/api/v1/fiscal-documents/${docId}`, { auth: LOJA11 });
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({
      model: 55,
      status: 'authorised',
      purpose: 'customer_return',
      signatureValid: true,
    });
    expect(res.body.fiscalDocument).toMatchObject({
      id: docId,
      status: 'authorised',
      accessKey: doc.body.accessKey,
    });
    const xml = nfeOf(doc.body.xml);
    for (const part of [
      '<tpNF>0</tpNF>',
      '<finNFe>4</finNFe>',
      `<refNFe>${sold.saleKey}</refNFe>`,
      '<CFOP>1202</CFOP>',
      '<indFinal>1</indFinal>',
      '<indPres>1</indPres>',
      '<CPF>52998224725</CPF>',
      '<vUnCom>199.90</vUnCom>',
      '<tPag>90</tPag>',
    ])
      expect(xml).toContain(part);
    await expectValidSigned(xml, 'infNFe', 'nfe');

    const order = (await t.request('GET', `/api/v1/orders/${sold.id}`, { auth: LOJA11 })).body;
    expect(order.status).toBe('invoiced');
    const last = order.history[order.history.length - 1];
    expect(last).toMatchObject({ from: 'invoiced', to: 'invoiced' });
    expect(last.reason).toContain('Produto com defeito');
    const events = await returnEvents(sold.id);
    const returned = events.filter((e) => e.event === 'order.returned');
    expect(returned).toHaveLength(1);
    expect(JSON.parse(returned[0]!.body)).toMatchObject({
      event: 'order.returned',
      orderId: sold.id,
      items: [{ sku: 'CAL-002', quantity: 1 }],
      reason: { code: '01', description: 'Produto com defeito' },
      full: false,
    });

    // Re-sending the status sends the last status change, not the return.
    const resent = await t.request('POST', `/api/v1/orders/${sold.id}/status-resend`, { auth: LOJA11 });
    expect(resent.body).toMatchObject({ status: 'invoiced', previousStatus: 'invoicing' });

    // The rest comes back later, with the line's discount going back with its unit.
    const rest = await giveBack({
      orderNumber: sold.number,
      items: [
        { sku: 'CAL-002', quantity: 1 },
        { sku: 'CAM-002', quantity: 1 },
      ],
      reasonCode: '02',
      refund: { method: 'pix' },
    });
    expect(rest.status, JSON.stringify(rest.body)).toBe(201);
    expect(rest.body.return).toMatchObject({
      full: true,
      total: '269.90',
      refund: { method: 'pix', amount: '269.90' },
      items: [
        { sku: 'CAL-002', quantity: 1, total: '199.90' },
        { sku: 'CAM-002', quantity: 1, discount: '9.90', total: '70.00' },
      ],
    });
    const over = await giveBack({
      orderNumber: sold.number,
      items: [{ sku: 'CAL-002', quantity: 1 }],
      reasonCode: '01',
    });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('RETURN.MORE_THAN_SOLD');
    expect(over.body.errors[0]).toMatchObject({
      path: '/items/0/quantity',
      params: { sku: 'CAL-002', sold: 2, returned: 2, remaining: 0 },
    });
    const listed = await t.request('GET', `/api/v1/orders/${sold.id}/returns`, { auth: LOJA11 });
    expect(listed.body.items.map((r: { total: string }) => r.total)).toEqual(['199.90', '269.90']);
  });

  it('refuses more than was sold, SKUs not sold, and a missing, expired, inactive or non-omni reason — writing nothing', async () => {
    const sold = await pickupSold([['CAL-002', 1, '199.90']]);
    const before = await stockOf(t, 'CAL-002', '11');
    const more = await giveBack({
      orderNumber: sold.number,
      items: [{ sku: 'CAL-002', quantity: 2 }],
      reasonCode: '01',
    });
    expect(more.status).toBe(409);
    expect(more.body.errors[0]).toMatchObject({ path: '/items/0/quantity', params: { remaining: 1 } });
    const other = await giveBack({
      orderNumber: sold.number,
      items: [{ sku: 'CAM-001', quantity: 1 }],
      reasonCode: '01',
    });
    expect(other.status).toBe(422);
    expect(other.body.errors[0]).toMatchObject({ path: '/items/0/sku', code: 'RETURN.SKU_NOT_SOLD' });

    for (const [reasonCode, code] of [
      [undefined, 'RETURN.REASON_REQUIRED'],
      ['ZZ', 'RETURN.REASON_UNKNOWN'],
      ['R-EXP', 'RETURN.REASON_OUT_OF_PERIOD'],
      ['R-OFF', 'RETURN.REASON_INACTIVE'],
      ['R-LOJA', 'RETURN.REASON_NOT_OMNI'],
    ] as const) {
      const res = await giveBack({
        orderNumber: sold.number,
        items: [{ sku: 'CAL-002', quantity: 1 }],
        reasonCode,
      });
      expect(res.status, `${reasonCode}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(res.body.code).toBe('RETURN.REASON_INVALID');
      expect(res.body.errors[0]).toMatchObject({ path: '/reasonCode', code });
    }
    expect(
      (
        await giveBack({
          orderNumber: sold.number,
          items: [{ sku: 'CAL-002', quantity: 1 }],
          reasonCode: '01',
          extra: 1,
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await giveBack({
          orderNumber: sold.number,
          items: [{ sku: 'CAL-002', quantity: 1.5 }],
          reasonCode: '01',
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await giveBack({
          orderNumber: sold.number,
          items: [{ sku: 'CAL-002', quantity: 1 }],
          reasonCode: '01',
          refund: { method: 'cash', amount: '500.00' },
        })
      ).body.errors[0],
    ).toMatchObject({ path: '/refund/amount', code: 'RETURN.REFUND_ABOVE_VALUE' });

    expect((await stockOf(t, 'CAL-002', '11')).onHand).toBe(before.onHand);
    expect(
      (await t.request('GET', `/api/v1/orders/${sold.id}/returns`, { auth: LOJA11 })).body.items,
    ).toEqual([]);
    expect((await returnEvents(sold.id)).filter((e) => e.event === 'order.returned')).toEqual([]);
  });

  it('answers 409 with the status for an order not invoiced yet, and 404 to the POS of another store', async () => {
    const body = orderBody({ deliveryType: 'pickup' });
    const open = (await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body })).body;
    const early = await giveBack({
      orderNumber: open.number,
      items: [{ sku: 'CAL-002', quantity: 1 }],
      reasonCode: '01',
    });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'RETURN.ORDER_NOT_RETURNABLE', status: 409 });
    expect(early.body.detail).toContain('open');

    const sold = await pickupSold([['CAL-002', 1, '199.90']]);
    const key = await t.request('POST', '/api/v1/api-clients', {
      auth: ADMIN,
      body: { name: 'PDV loja 8', scope: 'pos', nodeCode: '8' },
    });
    expect(key.status).toBe(201);
    const huge = await giveBack({
      orderNumber: 2 ** 40,
      items: [{ sku: 'CAL-002', quantity: 1 }],
      reasonCode: '01',
    });
    expect(huge.status).toBe(422);
    const foreign = await giveBack(
      { orderNumber: sold.number, items: [{ sku: 'CAL-002', quantity: 1 }], reasonCode: '01' },
      key.body.key,
    );
    expect(foreign.status).toBe(404);
    const ofStore11 = await t.request('GET', `/api/v1/orders/${sold.id}/returns`, { auth: key.body.key });
    expect(ofStore11.status).toBe(404);
    expect((await t.request('GET', '/api/v1/pos/returns', { auth: POS11 })).status).toBe(404);
  });

  it('asks the customer’s address at the counter when the pickup order has none, resolving its IBGE code', async () => {
    const sold = await pickupSold([['CAL-002', 1, '199.90']], false);
    const body = { orderNumber: sold.number, items: [{ sku: 'CAL-002', quantity: 1 }], reasonCode: '01' };
    const missing = await giveBack(body);
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('RETURN.CUSTOMER_ADDRESS_REQUIRED');
    expect(missing.body.errors[0]).toMatchObject({ path: '/customerAddress' });
    const res = await giveBack({
      ...body,
      customerAddress: {
        street: 'Rua Barão de Jaguara',
        number: '900',
        district: 'Centro',
        city: 'Campinas',
        state: 'SP',
        postalCode: '13015-001',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const doc = await settled(res.body.return.id, 'order_return');
    expect(doc.xml).toContain('<xMun>Campinas</xMun>');
    expect(doc.xml).toContain('<cMun>3509502</cMun>');
    expect(doc.xml).toContain(`<refNFe>${sold.saleKey}</refNFe>`);
    await expectValidSigned(nfeOf(doc.xml), 'infNFe', 'nfe');
  });

  it('returns goods of an NF-e sale from another UF with 2202, once per Idempotency-Key', async () => {
    const sold = await shipSoldToCuritiba();
    const body = { orderNumber: sold.number, items: [{ sku: 'CAL-002', quantity: 1 }], reasonCode: '03' };
    const first = await giveBack(body, POS11, { 'idempotency-key': `ret-${sold.id}` });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await giveBack(body, POS11, { 'idempotency-key': `ret-${sold.id}` });
    expect(again.status).toBe(201);
    expect(again.body.return.id).toBe(first.body.return.id);
    expect(
      (await t.request('GET', `/api/v1/orders/${sold.id}/returns`, { auth: ADMIN })).body.items,
    ).toHaveLength(1);

    const doc = await settled(first.body.return.id, 'order_return');
    expect(doc.status).toBe('authorised');
    const xml = nfeOf(doc.xml);
    expect(xml).toContain(`<refNFe>${sold.saleKey}</refNFe>`);
    expect(xml).toContain('<CFOP>2202</CFOP>');
    expect(xml).toContain('<idDest>2</idDest>');
    expect(xml).toContain('<mod>55</mod>');
    await expectValidSigned(xml, 'infNFe', 'nfe');
  });
});
