import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, RECEIVER_HOSTS, startTestApp, type TestApp } from '../../test/harness.ts';
import {
  ADMIN,
  addDemoUsers,
  createOrder,
  LOJA8,
  LOJA11,
  PLATFORM,
  POS11,
  STAFF11,
} from '../../test/order-fixtures.ts';

/** The demo catalogue's barcodes of the SKUs these tests order. */
const EAN = { 'CAL-002': '7896012010921', 'BER-001': '7896012011317' } as const;
const NOT_IN_ORDER = '7896012012093'; // TEN-001: a real product, not in these orders

describe.each(databaseKinds())('the scan conference on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { webhookAllowHosts: RECEIVER_HOSTS });
    await addDemoUsers(t);
    for (const [storeCode, sku] of [
      ['11', 'CAL-002'],
      ['11', 'BER-001'],
      ['8', 'CAL-002'],
    ]) {
      const res = await t.request('POST', '/api/v1/stock/adjustments', {
        auth: ADMIN,
        body: { storeCode, sku, quantity: 500, reason: 'Estoque para os testes' },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t?.close());

  const setMode = async (value: '0' | '1' | '2' | null) => {
    const path = '/api/v1/nodes/11/parameters/TP_CONF_ACEITE_PED';
    const res =
      value === null
        ? await t.request('DELETE', path, { auth: ADMIN })
        : await t.request('PUT', path, { auth: ADMIN, body: { value } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  /** An order of store 11 (or `storeCode`) moved to picking by its manager. */
  async function pickingOrder(
    opts: { deliveryType?: 'pickup' | 'ship'; storeCode?: string; auth?: string } = {},
  ): Promise<{ id: string; number: number }> {
    const ship = opts.deliveryType === 'ship';
    const order = await createOrder(t, {
      lines: [
        ['CAL-002', 2, '199.90'],
        ['BER-001', 1, '139.90'],
      ],
      storeCode: opts.storeCode,
      deliveryType: opts.deliveryType,
      ...(ship ? { freight: '15.00', carrier: 'TRANSLOCAL' } : {}),
    });
    const res = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: opts.auth ?? LOJA11,
      body: { to: 'picking' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return order;
  }

  const scan = (id: string, body: unknown, auth = STAFF11, headers?: Record<string, string>) =>
    t.request('POST', `/api/v1/orders/${id}/conference/scans`, { auth, body, headers });
  const finish = (id: string, auth = STAFF11) =>
    t.request('POST', `/api/v1/orders/${id}/conference/finish`, { auth });
  const conference = (id: string, auth = LOJA11) =>
    t.request('GET', `/api/v1/orders/${id}/conference`, { auth });
  const order = async (id: string) => (await t.request('GET', `/api/v1/orders/${id}`, { auth: ADMIN })).body;
  const counted = (body: { lines: { sku: string; counted: number }[] }) =>
    Object.fromEntries(body.lines.map((l) => [l.sku, l.counted]));

  it('counts by EAN and SKU, refuses what is not in the order or past its quantity, and finishes a pickup order into ready_for_pickup', async () => {
    const o = await pickingOrder();
    const before = await conference(o.id);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      orderId: o.id,
      orderNumber: o.number,
      orderStatus: 'picking',
      mode: 'scan_required',
      required: true,
      status: 'not_started',
      startedAt: null,
      totals: { expected: 3, counted: 0 },
    });
    expect(before.body.lines).toEqual([
      {
        line: 1,
        sku: 'CAL-002',
        ean: EAN['CAL-002'],
        description: 'Calça chino algodão bege 40',
        expected: 2,
        counted: 0,
      },
      {
        line: 2,
        sku: 'BER-001',
        ean: EAN['BER-001'],
        description: 'Bermuda sarja caqui 42',
        expected: 1,
        counted: 0,
      },
    ]);

    // Without a finished conference the bare move is refused, saying what to do.
    const bare = await t.request('POST', `/api/v1/orders/${o.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'ready_for_pickup' },
    });
    expect(bare.status).toBe(409);
    expect(bare.body.detail).toContain('conference/finish');
    expect(bare.body.allowed).toEqual(['cancelled']);
    expect((await order(o.id)).allowedTransitions).not.toContain('ready_for_pickup');

    // A wrong EAN: 422 naming the field, and nothing counted (the count did not even start).
    const wrong = await scan(o.id, { ean: NOT_IN_ORDER });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('CONFERENCE.NOT_IN_ORDER');
    expect(wrong.body.errors).toEqual([
      expect.objectContaining({
        path: '/ean',
        code: 'CONFERENCE.NOT_IN_ORDER',
        params: { ean: NOT_IN_ORDER },
      }),
    ]);
    expect((await conference(o.id)).body.status).toBe('not_started');

    // The first scan starts the count; the scanner's GTIN-14 form of the EAN is the same barcode.
    const first = await scan(o.id, { ean: `0${EAN['CAL-002']}` });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({
      status: 'counting',
      scanned: { line: 1, sku: 'CAL-002', quantity: 1 },
      startedBy: { name: STAFF11, role: 'store_staff' },
      totals: { expected: 3, counted: 1 },
    });
    expect(first.body.startedAt).not.toBeNull();

    // Past the ordered quantity: 422 naming `quantity`, nothing counted.
    const over = await scan(o.id, { sku: 'CAL-002', quantity: 2 });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('CONFERENCE.OVER_QUANTITY');
    expect(over.body.errors[0]).toMatchObject({
      path: '/quantity',
      params: { sku: 'CAL-002', expected: 2, counted: 1, remaining: 1 },
    });
    const bySku = await scan(o.id, { sku: 'cal-002' });
    expect(counted(bySku.body)).toEqual({ 'CAL-002': 2, 'BER-001': 0 });
    // One more unit of a complete line names the field that was scanned.
    const again = await scan(o.id, { ean: EAN['CAL-002'] });
    expect([again.status, again.body.errors[0].path]).toEqual([422, '/ean']);

    // Bad input: both codes, none, a zero quantity, a non-numeric EAN.
    expect((await scan(o.id, { ean: EAN['BER-001'], sku: 'BER-001' })).body.code).toBe('CONFERENCE.ONE_CODE');
    expect((await scan(o.id, {})).status).toBe(422);
    expect((await scan(o.id, { sku: 'BER-001', quantity: 0 })).status).toBeGreaterThanOrEqual(400);
    expect((await scan(o.id, { ean: 'abc' })).status).toBeGreaterThanOrEqual(400);

    // Finishing early: 409 listing what is missing per line; the order stays in picking.
    const early = await finish(o.id);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('CONFERENCE.INCOMPLETE');
    expect(early.body.missing).toEqual([
      expect.objectContaining({ sku: 'BER-001', ean: EAN['BER-001'], expected: 1, counted: 0, missing: 1 }),
    ]);
    expect((await order(o.id)).status).toBe('picking');

    expect((await scan(o.id, { ean: EAN['BER-001'] })).status).toBe(200);
    const done = await finish(o.id);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      status: 'finished',
      method: 'scan',
      orderStatus: 'ready_for_pickup',
      finishedBy: { name: STAFF11, role: 'store_staff' },
      totals: { expected: 3, counted: 3 },
    });

    const after = await order(o.id);
    expect(after.status).toBe('ready_for_pickup');
    expect(after.history.at(-1)).toMatchObject({
      from: 'picking',
      to: 'ready_for_pickup',
      reason: 'Conferência finalizada: 3 unidade(s) conferida(s)',
      actor: { name: STAFF11, role: 'store_staff' },
    });
    const hooks = await t.request('GET', `/api/v1/orders/${o.id}/webhook-deliveries`, { auth: PLATFORM });
    expect(hooks.body.items.map((d: { payload: { status: string } }) => d.payload.status)).toEqual([
      'accepted',
      'picking',
      'ready_for_pickup',
    ]);

    // Finished: no more scans, no second finish, no restart once it moved the order on.
    expect((await scan(o.id, { ean: EAN['BER-001'] })).body.code).toBe('CONFERENCE.ALREADY_FINISHED');
    expect((await finish(o.id)).body.code).toBe('CONFERENCE.ALREADY_FINISHED');
    const late = await t.request('DELETE', `/api/v1/orders/${o.id}/conference`, {
      auth: LOJA11,
      body: { reason: 'contar de novo' },
    });
    expect([late.status, late.body.code]).toEqual([409, 'CONFERENCE.MOVED_ON']);
  });

  it('answers a retried scan with the same Idempotency-Key once, counting once', async () => {
    const o = await pickingOrder();
    const headers = { 'idempotency-key': `scan-${o.id}` };
    const one = await scan(o.id, { ean: EAN['CAL-002'] }, STAFF11, headers);
    const two = await scan(o.id, { ean: EAN['CAL-002'] }, STAFF11, headers);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(two.body).toEqual(one.body);
    expect(counted((await conference(o.id)).body)['CAL-002']).toBe(1);
  });

  it('never over-counts with two scanners on one order', async () => {
    const o = await pickingOrder();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => scan(o.id, { ean: EAN['CAL-002'] }, i % 2 ? STAFF11 : LOJA11)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.status === 422)).toHaveLength(4);
    expect(counted((await conference(o.id)).body)['CAL-002']).toBe(2);
  });

  it('refuses a scan outside picking, saying what to do', async () => {
    const open = await createOrder(t, { lines: [['CAL-002', 1, '199.90']] });
    const res = await scan(open.id, { ean: EAN['CAL-002'] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CONFERENCE.NOT_IN_PICKING');
    expect(res.body.detail).toContain('Start picking first');
  });

  it('unlocks a ship order’s invoicing only once its conference is finished', async () => {
    const o = await pickingOrder({ deliveryType: 'ship' });
    const listed = await t.request('GET', `/api/v1/orders?status=picking&number=${o.number}&storeCode=11`, {
      auth: LOJA11,
    });
    expect(listed.body.items[0].allowedTransitions).toEqual(['cancelled']);
    const before = await t.request('POST', `/api/v1/orders/${o.id}/invoice`, { auth: LOJA11 });
    expect(before.status).toBe(409);
    expect(before.body.detail).toContain('conference');
    expect((await order(o.id)).status).toBe('picking');

    await scan(o.id, { sku: 'CAL-002', quantity: 2 });
    await scan(o.id, { sku: 'BER-001' });
    const done = await finish(o.id, LOJA11);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'finished', orderStatus: 'picking' });
    expect((await order(o.id)).history.at(-1)).toMatchObject({
      from: 'picking',
      to: 'picking',
      reason: 'Conferência finalizada: 3 unidade(s) conferida(s)',
    });

    // The queue's row menu offers "Faturar" now, as the order's screen does.
    const queue = await t.request('GET', `/api/v1/orders?status=picking&number=${o.number}&storeCode=11`, {
      auth: LOJA11,
    });
    expect(queue.body.items[0].allowedTransitions).toEqual(['invoicing', 'cancelled']);
    expect((await order(o.id)).allowedTransitions).toEqual(['invoicing', 'cancelled']);

    const invoiced = await t.request('POST', `/api/v1/orders/${o.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    expect(invoiced.body.order.status).toBe('invoiced');
  });

  it('lets a manager (only) restart a count with a reason, recorded in the history', async () => {
    const o = await pickingOrder({ deliveryType: 'ship' });
    const restart = (auth: string, body: unknown) =>
      t.request('DELETE', `/api/v1/orders/${o.id}/conference`, { auth, body });
    expect((await restart(LOJA11, { reason: 'nada contado' })).body.code).toBe('CONFERENCE.NOT_STARTED');

    await scan(o.id, { sku: 'CAL-002', quantity: 2 });
    await scan(o.id, { sku: 'BER-001' });
    expect((await finish(o.id)).status).toBe(200);

    expect((await restart(STAFF11, { reason: 'recontar' })).status).toBe(403);
    expect((await restart(POS11, { reason: 'recontar' })).status).toBe(403);
    const blank = await restart(LOJA11, { reason: '   ' });
    expect([blank.status, blank.body.errors?.[0]?.path]).toEqual([422, '/reason']);
    expect((await restart(LOJA11, {})).status).toBeGreaterThanOrEqual(400);
    expect((await conference(o.id)).body.status).toBe('finished');

    const done = await restart(LOJA11, { reason: 'Caixa trocada na embalagem' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'not_started', totals: { counted: 0 } });
    const history = (await order(o.id)).history;
    expect(history.at(-1)).toMatchObject({
      from: 'picking',
      to: 'picking',
      reason: 'Conferência reiniciada: Caixa trocada na embalagem',
      actor: { role: 'store_manager' },
    });
    // The finished count no longer unlocks invoicing; a new count starts from zero.
    expect((await t.request('POST', `/api/v1/orders/${o.id}/invoice`, { auth: LOJA11 })).status).toBe(409);
    const fresh = await scan(o.id, { sku: 'BER-001' });
    expect(counted(fresh.body)).toEqual({ 'CAL-002': 0, 'BER-001': 1 });
    // The restart is not a status change: the platform is told nothing new.
    const resent = await t.request('POST', `/api/v1/orders/${o.id}/status-resend`, { auth: LOJA11 });
    expect(resent.body).toMatchObject({ status: 'picking', previousStatus: 'accepted' });
  });

  it('lets the POS of store 11 count its store’s orders and nothing of store 8 (404)', async () => {
    const mine = await pickingOrder();
    const theirs = await pickingOrder({ storeCode: '8', auth: LOJA8 });
    expect((await conference(theirs.id, POS11)).status).toBe(404);
    expect((await scan(theirs.id, { ean: EAN['CAL-002'] }, POS11)).status).toBe(404);
    expect((await finish(theirs.id, POS11)).status).toBe(404);
    expect((await conference(theirs.id, LOJA8)).body.totals.counted).toBe(0);

    expect((await scan(mine.id, { sku: 'CAL-002', quantity: 2 }, POS11)).status).toBe(200);
    expect((await scan(mine.id, { ean: EAN['BER-001'] }, POS11)).status).toBe(200);
    const done = await finish(mine.id, POS11);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.orderStatus).toBe('ready_for_pickup');
    expect((await order(mine.id)).history.at(-1)).toMatchObject({ to: 'ready_for_pickup', channel: 'pos' });
  });

  describe('TP_CONF_ACEITE_PED', () => {
    afterAll(() => setMode(null));

    it('1: the acceptance confirms the items; no scan, the bare move allowed', async () => {
      await setMode('1');
      const o = await pickingOrder();
      const accepted = (await order(o.id)).history.find((h: { to: string }) => h.to === 'accepted');
      expect(accepted.reason).toContain('Itens conferidos no aceite');
      expect((await conference(o.id)).body).toMatchObject({
        mode: 'at_acceptance',
        required: false,
        status: 'finished',
        method: 'acceptance',
      });
      const refused = await scan(o.id, { ean: EAN['CAL-002'] });
      expect([refused.status, refused.body.code]).toEqual([409, 'CONFERENCE.AT_ACCEPTANCE']);
      expect((await finish(o.id)).body.code).toBe('CONFERENCE.AT_ACCEPTANCE');
      const bare = await t.request('POST', `/api/v1/orders/${o.id}/transitions`, {
        auth: LOJA11,
        body: { to: 'ready_for_pickup' },
      });
      expect(bare.status, JSON.stringify(bare.body)).toBe(200);

      const ship = await pickingOrder({ deliveryType: 'ship' });
      expect((await t.request('POST', `/api/v1/orders/${ship.id}/invoice`, { auth: LOJA11 })).status).toBe(
        200,
      );
    });

    it('2: the scan is optional — counted when scanned, the bare move allowed without it', async () => {
      await setMode('2');
      const bare = await pickingOrder();
      expect((await conference(bare.id)).body).toMatchObject({ mode: 'scan_optional', required: false });
      expect((await order(bare.id)).allowedTransitions).toContain('ready_for_pickup');
      const moved = await t.request('POST', `/api/v1/orders/${bare.id}/transitions`, {
        auth: LOJA11,
        body: { to: 'ready_for_pickup' },
      });
      expect(moved.status).toBe(200);

      const scanned = await pickingOrder();
      expect((await scan(scanned.id, { sku: 'CAL-002', quantity: 2 })).status).toBe(200);
      expect((await finish(scanned.id)).body.code).toBe('CONFERENCE.INCOMPLETE');
      expect((await scan(scanned.id, { sku: 'BER-001' })).status).toBe(200);
      expect((await finish(scanned.id)).body.orderStatus).toBe('ready_for_pickup');

      const ship = await pickingOrder({ deliveryType: 'ship' });
      expect((await t.request('POST', `/api/v1/orders/${ship.id}/invoice`, { auth: LOJA11 })).status).toBe(
        200,
      );
    });

    it('0 (the default): required before the order moves on', async () => {
      await setMode('0');
      const o = await pickingOrder();
      expect((await conference(o.id)).body).toMatchObject({ mode: 'scan_required', required: true });
      expect((await order(o.id)).allowedTransitions).toEqual(['cancelled']);
    });
  });
});
