import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import {
  ADMIN,
  confer,
  createOrder,
  LOJA11,
  orderBody,
  PLATFORM,
  stockOf,
} from '../../test/order-fixtures.ts';
import * as stock from '../stock/service.ts';

describe.each(databaseKinds())('order acceptance on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const accept = (id: string, auth = LOJA11) => t.request('POST', `/api/v1/orders/${id}/accept`, { auth });
  const expectBalanced = async () =>
    expect(await stock.ledgerCheck(t.database.db)).toEqual({ balanced: true, mismatches: [] });
  const heldBy = async (orderId: string) =>
    (await stock.reservationsOf(t.database.db, { type: 'order', id: orderId })).filter(
      (r) => r.status === 'active',
    );

  // First in the file: store 11 has exactly the demo's 10 units of CAL-002.
  it('accepts exactly 10 of 64 one-unit orders racing for 10 units; the rest get 409, never a 5xx', async () => {
    expect(await stockOf(t, 'CAL-002', '11')).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    const created = [];
    for (let i = 0; i < 64; i++) created.push(await createOrder(t, { lines: [['CAL-002', 1, '199.90']] }));
    const token = await t.token(LOJA11);
    const answers = await Promise.all(created.map((o) => accept(o.id, token)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(54);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body).toMatchObject({
        code: 'ORDER.INSUFFICIENT_STOCK',
        lines: [{ sku: 'CAL-002', requested: 1, available: 0, missing: 1 }],
      });
    }
    expect(await stockOf(t, 'CAL-002', '11')).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    const accepted = answers.filter((a) => a.status === 200).map((a) => a.body.id as string);
    for (const id of accepted) expect(await heldBy(id)).toHaveLength(1);
    const refusedIds = created.map((o) => o.id).filter((id) => !accepted.includes(id));
    for (const id of refusedIds.slice(0, 5)) {
      expect(await heldBy(id)).toEqual([]);
      const order = (await t.request('GET', `/api/v1/orders/${id}`, { auth: ADMIN })).body;
      expect(order).toMatchObject({ status: 'open', version: 1 });
      expect(order.history).toHaveLength(1);
    }
    await expectBalanced();

    // Cancelling one accepted order gives its unit back, and a waiting order can take it.
    const cancelled = await t.request('POST', `/api/v1/orders/${accepted[0]}/transitions`, {
      auth: LOJA11,
      body: { to: 'cancelled', reason: 'Cliente desistiu' },
    });
    expect(cancelled.status).toBe(200);
    expect(await heldBy(accepted[0]!)).toEqual([]);
    expect(await stockOf(t, 'CAL-002', '11')).toMatchObject({ reserved: 9, available: 1 });
    expect((await accept(refusedIds[0]!)).status).toBe(200);
    expect(await stockOf(t, 'CAL-002', '11')).toMatchObject({ reserved: 10, available: 0 });
    await expectBalanced();
  });

  it('reserves every line at the store on acceptance, with the order as reference', async () => {
    const before = await stockOf(t, 'CAM-002', '11');
    const order = await createOrder(t, {
      lines: [
        ['CAM-002', 2, '59.90'],
        ['POL-001', 1, '129.90'],
      ],
    });
    const res = await accept(order.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'accepted',
      version: 2,
      allowedTransitions: ['picking', 'cancelled'],
    });
    expect(res.body.history.at(-1)).toMatchObject({
      from: 'open',
      to: 'accepted',
      channel: 'back_office',
      actor: { kind: 'user', role: 'store_manager', name: 'Gerente da Loja 11' },
    });
    expect((await heldBy(order.id)).map((r) => r.quantity).sort()).toEqual([1, 2]);
    expect(await stockOf(t, 'CAM-002', '11')).toMatchObject({
      onHand: before.onHand,
      reserved: before.reserved + 2,
    });
    const moves = await t.request(
      'GET',
      '/api/v1/stock/movements?storeCode=11&sku=CAM-002&kind=reservation',
      {
        auth: ADMIN,
      },
    );
    expect(moves.body.items[0]).toMatchObject({
      referenceType: 'order',
      referenceId: order.id,
      reservedDelta: 2,
    });
    // Accepting twice is a forbidden transition, not a second reservation.
    const again = await accept(order.id);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ORDER.TRANSITION_NOT_ALLOWED', currentStatus: 'accepted' });
    expect(await heldBy(order.id)).toHaveLength(2);
  });

  it('accepts through POST /transitions {to: accepted} the same way', async () => {
    const order = await createOrder(t, { lines: [['CAM-003', 1, '79.90']] });
    const res = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'accepted' },
    });
    expect(res.status).toBe(200);
    expect(await heldBy(order.id)).toHaveLength(1);
  });

  it('refuses acceptance short of stock with the missing quantities, reserving nothing', async () => {
    const before = await stockOf(t, 'CAM-002', '11');
    const order = await createOrder(t, {
      lines: [
        ['CAM-002', 1, '59.90'],
        ['CAM-001', 3, '59.90'],
      ],
    });
    const res = await accept(order.id);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'ORDER.INSUFFICIENT_STOCK',
      lines: [{ sku: 'CAM-001', requested: 3, available: 0, missing: 3 }],
      // The demo network validates with split (TP_VALIDA_SLD_ACEITE_PED = 01).
      splitAvailable: true,
    });
    expect(await heldBy(order.id)).toEqual([]);
    expect(await stockOf(t, 'CAM-002', '11')).toEqual(before);
    const read = (await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 })).body;
    expect(read).toMatchObject({ status: 'open', version: 1 });

    const noSplit = await t.request('PUT', '/api/v1/nodes/11/parameters/TP_VALIDA_SLD_ACEITE_PED', {
      auth: ADMIN,
      body: { value: '02' },
    });
    expect(noSplit.status).toBe(200);
    expect((await accept(order.id)).body.splitAvailable).toBe(false);
    await t.request('DELETE', '/api/v1/nodes/11/parameters/TP_VALIDA_SLD_ACEITE_PED', { auth: ADMIN });
    await expectBalanced();
  });

  it('lets one of two simultaneous changes of an order win, never both', async () => {
    for (let round = 0; round < 5; round++) {
      const order = await createOrder(t, { lines: [['CAM-002', 1, '59.90']] });
      const [accepted, cancelled] = await Promise.all([
        accept(order.id),
        t.request('POST', `/api/v1/orders/${order.id}/cancel`, {
          auth: PLATFORM,
          body: { reason: 'duplicado' },
        }),
      ]);
      expect([accepted.status, cancelled.status].sort()).toEqual([200, 409]);
      const read = (await t.request('GET', `/api/v1/orders/${order.id}`, { auth: ADMIN })).body;
      expect(read.history).toHaveLength(2);
      expect(read.version).toBe(2);
      expect(await heldBy(order.id)).toHaveLength(read.status === 'accepted' ? 1 : 0);
    }
    await expectBalanced();
  });

  it('turns the reservation into a sale when the order is invoiced', async () => {
    const order = await createOrder(t, {
      lines: [['CAM-002', 2, '59.90']],
      deliveryType: 'ship',
      carrier: 'CORREIOS',
    });
    expect((await accept(order.id)).status).toBe(200);
    const before = await stockOf(t, 'CAM-002', '11');
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);
    await confer(t, order.id);
    const invoiced = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    expect(await heldBy(order.id)).toEqual([]);
    expect(await stockOf(t, 'CAM-002', '11')).toMatchObject({
      onHand: before.onHand - 2,
      reserved: before.reserved - 2,
      available: before.available,
    });
    const sales = await t.request('GET', '/api/v1/stock/movements?storeCode=11&sku=CAM-002&kind=sale', {
      auth: ADMIN,
    });
    expect(sales.body.items[0]).toMatchObject({ referenceId: order.id, onHandDelta: -2, reservedDelta: -2 });
    const read = (await t.request('GET', `/api/v1/orders/${order.id}`, { auth: PLATFORM })).body;
    expect(read.history.at(-1)).toMatchObject({
      to: 'invoiced',
      channel: 'system',
      actor: { kind: 'system', id: 'fiscal' },
    });
    await expectBalanced();
  });

  it('keeps an order open and untouched when the platform cancels before acceptance', async () => {
    const body = orderBody({ lines: [['CAM-002', 1, '59.90']] });
    const created = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    const res = await t.request('POST', `/api/v1/orders/${created.body.id}/cancel`, {
      auth: PLATFORM,
      body: { reason: 'Pagamento estornado' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', allowedTransitions: [] });
    expect(res.body.history.at(-1)).toMatchObject({
      from: 'open',
      to: 'cancelled',
      channel: 'platform',
      reason: 'Pagamento estornado',
    });
    expect((await accept(created.body.id)).status).toBe(409);
  });
});
