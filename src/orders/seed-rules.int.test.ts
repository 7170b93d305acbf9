import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, addDemoUsers, createOrder, LOJA11, STAFF11, stockOf } from '../../test/order-fixtures.ts';
import * as stock from '../stock/service.ts';

const DAY = 86_400_000;

/** The acceptance rules of the seeds (003: PEDFP144 and its parameters; 000: "Em aberto" → "Em separação"). */
describe.each(databaseKinds())('the seeds’ acceptance rules on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await addDemoUsers(t);
  }, 60_000);
  afterAll(() => t?.close());

  const set: [node: string, code: string][] = [];
  const setParameter = async (node: string, code: string, value: unknown) => {
    const res = await t.request('PUT', `/api/v1/nodes/${node}/parameters/${code}`, {
      auth: ADMIN,
      body: { value },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    set.push([node, code]);
  };
  afterEach(async () => {
    for (const [node, code] of set.splice(0))
      await t.request('DELETE', `/api/v1/nodes/${node}/parameters/${code}`, { auth: ADMIN });
  });

  const get = (id: string, auth = LOJA11) => t.request('GET', `/api/v1/orders/${id}`, { auth });
  const accept = (id: string, body?: unknown, auth = LOJA11) =>
    t.request('POST', `/api/v1/orders/${id}/accept`, { auth, body });
  const heldBy = async (orderId: string) =>
    (await stock.reservationsOf(t.database.db, { type: 'order', id: orderId })).filter(
      (r) => r.status === 'active',
    );

  describe('TP_VALIDA_SLD_ACEITE_PED', () => {
    it('offers and commits the split only where it is 01', async () => {
      await setParameter('11', 'TP_VALIDA_SLD_ACEITE_PED', '02');
      const order = await createOrder(t, { lines: [['CAM-001', 3, '59.90']] });
      const view = await get(order.id);
      expect(view.body.allowedTransitions).toEqual(['accepted', 'picking', 'cancelled']);
      const queue = await t.request('GET', `/api/v1/orders?number=${order.number}&storeCode=11`, {
        auth: LOJA11,
      });
      expect(queue.body.items[0].allowedTransitions).not.toContain('awaiting_stock');

      const refused = await accept(order.id);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'ORDER.INSUFFICIENT_STOCK', splitAvailable: false });
      const options = await t.request('GET', `/api/v1/orders/${order.id}/split-options`, { auth: LOJA11 });
      expect(options.status).toBe(409);
      expect(options.body).toMatchObject({
        code: 'SPLIT.NOT_ENABLED',
        parameter: 'TP_VALIDA_SLD_ACEITE_PED',
      });
      const split = await t.request('POST', `/api/v1/orders/${order.id}/split`, {
        auth: LOJA11,
        body: { allocations: [{ sku: 'CAM-001', storeCode: '8', quantity: 2 }] },
      });
      expect(split.status).toBe(409);
      expect(split.body.code).toBe('SPLIT.NOT_ENABLED');
      expect((await get(order.id)).body.status).toBe('open');
      expect(await heldBy(order.id)).toEqual([]);

      // The demo's network-wide 01 applies again once the store's own value is gone.
      await t.request('DELETE', '/api/v1/nodes/11/parameters/TP_VALIDA_SLD_ACEITE_PED', { auth: ADMIN });
      expect((await get(order.id)).body.allowedTransitions).toContain('awaiting_stock');
    });
  });

  describe('IN_BLOQ_SALDO_NEG', () => {
    const short = () =>
      createOrder(t, {
        lines: [
          ['CAM-001', 1, '59.90'],
          ['CAL-002', 1, '199.90'],
        ],
      });

    it('on (the default): acceptance needs the stock, and no confirmation overrides it', async () => {
      const order = await short();
      const refused = await accept(order.id);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'ORDER.INSUFFICIENT_STOCK', shortfallAllowed: false });
      const forced = await accept(order.id, { allowShortfall: true });
      expect(forced.status).toBe(409);
      expect(forced.body).toMatchObject({
        code: 'ORDER.SHORTFALL_NOT_ALLOWED',
        parameter: 'IN_BLOQ_SALDO_NEG',
        lines: [{ sku: 'CAM-001', requested: 1, available: 0, missing: 1 }],
      });
      expect((await get(order.id)).body).toMatchObject({ status: 'open', shortfall: null });
      expect(await heldBy(order.id)).toEqual([]);
    });

    it('off: a manager accepts short of stock only after confirming, recorded on the order and in its history', async () => {
      await setParameter('11', 'IN_BLOQ_SALDO_NEG', false);
      const order = await short();
      const calBefore = await stockOf(t, 'CAL-002', '11');

      const asked = await accept(order.id);
      expect(asked.status).toBe(409);
      expect(asked.body).toMatchObject({ code: 'ORDER.INSUFFICIENT_STOCK', shortfallAllowed: true });
      expect(asked.body.detail).toContain('allowShortfall');
      expect(await heldBy(order.id)).toEqual([]);

      const clerk = await accept(order.id, { allowShortfall: true }, STAFF11);
      expect(clerk.status).toBe(403);
      expect(clerk.body.code).toBe('ORDER.SHORTFALL_NOT_ALLOWED');

      const done = await accept(order.id, { allowShortfall: true });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({ status: 'accepted', shortfall: [{ sku: 'CAM-001', missing: 1 }] });
      expect(done.body.history.at(-1)).toMatchObject({ from: 'open', to: 'accepted' });
      expect(done.body.history.at(-1).reason).toContain('CAM-001 falta 1');
      // What is there is held; nothing goes below zero.
      expect((await heldBy(order.id)).map((r) => r.quantity)).toEqual([1]);
      expect(await stockOf(t, 'CAL-002', '11')).toMatchObject({ reserved: calBefore.reserved + 1 });
      expect(await stockOf(t, 'CAM-001', '11')).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
      expect(await stock.ledgerCheck(t.database.db)).toEqual({ balanced: true, mismatches: [] });
    });

    it('an order accepted with its stock has no shortfall', async () => {
      await setParameter('11', 'IN_BLOQ_SALDO_NEG', false);
      const order = await createOrder(t, { lines: [['CAL-002', 1, '199.90']] });
      const done = await accept(order.id, { allowShortfall: true });
      expect(done.status).toBe(200);
      expect(done.body.shortfall).toBeNull();
      expect(done.body.history.at(-1).reason).toBeNull();
    });
  });

  describe('CD_TIPOCLAS_OMNI', () => {
    it('stamps the classification on the order and accepts only the one in force', async () => {
      const order = await createOrder(t, { lines: [['CAL-002', 1, '199.90']] });
      expect(order.classification).toBe('OMNI');
      await setParameter('DEMO', 'CD_TIPOCLAS_OMNI', 'ECOM');

      const view = await get(order.id);
      expect(view.body.classification).toBe('OMNI');
      expect(view.body.allowedTransitions).not.toContain('accepted');
      expect(view.body.allowedTransitions).not.toContain('picking');
      const refused = await accept(order.id);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('ORDER.TRANSITION_NOT_ALLOWED');
      expect(refused.body.detail).toContain('CD_TIPOCLAS_OMNI');
      expect(await heldBy(order.id)).toEqual([]);

      const fresh = await createOrder(t, { lines: [['CAL-002', 1, '199.90']] });
      expect(fresh.classification).toBe('ECOM');
      expect((await accept(fresh.id)).status).toBe(200);
    });
  });

  describe('open → picking (seeds 000)', () => {
    it('starts picking an open order in one step, accepting and reserving on the way', async () => {
      const order = await createOrder(t, { lines: [['CAL-002', 2, '199.90']] });
      expect((await get(order.id)).body.allowedTransitions).toContain('picking');
      const res = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
        auth: LOJA11,
        body: { to: 'picking' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe('picking');
      expect(res.body.arrivedAt).not.toBeNull();
      expect(res.body.history.slice(-2)).toMatchObject([
        { from: 'open', to: 'accepted', channel: 'back_office' },
        { from: 'accepted', to: 'picking', channel: 'back_office' },
      ]);
      expect((await heldBy(order.id)).map((r) => r.quantity)).toEqual([2]);
    });

    it('without the stock nothing changes: 409 with the missing quantities', async () => {
      const order = await createOrder(t, { lines: [['CAM-001', 1, '59.90']] });
      const res = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
        auth: LOJA11,
        body: { to: 'picking' },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'ORDER.INSUFFICIENT_STOCK',
        lines: [{ sku: 'CAM-001', missing: 1 }],
      });
      const after = (await get(order.id)).body;
      expect(after).toMatchObject({ status: 'open', version: 1 });
      expect(after.history).toHaveLength(1);
    });
  });

  describe('DS_LST_DTPREV_OMNI', () => {
    it('acceptance records the arrival and expected invoicing dates; the trace expects delivery from them', async () => {
      await setParameter('11', 'DS_LST_DTPREV_OMNI', ['pickup:3', 'ship:5']);
      const placedAt = new Date(Date.now() - 5 * DAY).toISOString();
      const order = await createOrder(t, { lines: [['CAL-002', 1, '199.90']], placedAt });
      expect(order).toMatchObject({ arrivedAt: null, expectedInvoiceAt: null });
      const before = Date.now();
      const done = await accept(order.id);
      expect(done.status).toBe(200);
      const arrived = Date.parse(done.body.arrivedAt);
      expect(arrived).toBeGreaterThanOrEqual(before - 1000);
      expect(arrived).toBeLessThanOrEqual(Date.now() + 1000);
      expect(Date.parse(done.body.expectedInvoiceAt) - arrived).toBe(3 * DAY);

      const trace = await t.request('GET', `/api/v1/orders/${order.id}/trace`, { auth: LOJA11 });
      expect(trace.status).toBe(200);
      expect(Date.parse(trace.body.root.expectedAt)).toBe(Date.parse(done.body.expectedInvoiceAt));
      // Three days ahead: in time, not late as the placement date would have it.
      expect(trace.body.root.alert).toBe('green');
    });
  });
});
