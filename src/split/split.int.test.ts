import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, confer, createOrder, LOJA8, LOJA11, stockOf } from '../../test/order-fixtures.ts';
import * as stock from '../stock/service.ts';

const LOJA3 = 'loja3@demo.local';

/** The seeds' split walkthrough through the API: CAM-001 × 3 at store 11 (0 in stock), 2 from store 8, 1 from 3. */
describe.each(databaseKinds())('the split on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  const post = (url: string, auth: string, body?: unknown) => t.request('POST', url, { auth, body });
  const get = (url: string, auth: string) => t.request('GET', url, { auth });
  const balanced = async () =>
    expect(await stock.ledgerCheck(t.database.db)).toEqual({ balanced: true, mismatches: [] });

  it('walks the seeds’ example from the refused acceptance to the customer’s NF-e, the ledger balanced', async () => {
    const order = await createOrder(t, {
      lines: [['CAM-001', 3, '59.90']],
      deliveryType: 'ship',
      freight: '20.00',
    });
    const refused = await post(`/api/v1/orders/${order.id}/accept`, LOJA11);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ORDER.INSUFFICIENT_STOCK', splitAvailable: true });

    const options = await get(`/api/v1/orders/${order.id}/split-options`, LOJA11);
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    expect(options.body.lines).toEqual([
      expect.objectContaining({ sku: 'CAM-001', requested: 3, held: 0, allocated: 0, pending: 3 }),
    ]);
    const companies = options.body.lines[0].companies;
    expect(
      companies.map((c: { storeCode: string; available: number }) => [c.storeCode, c.available]),
    ).toEqual([
      ['8', 2],
      ['3', 1],
    ]);
    expect(companies[0].distanceKm).toBeGreaterThan(50);
    expect(companies[0].distanceKm).toBeLessThan(companies[1].distanceKm);
    expect(options.body.proposal).toEqual([
      { sku: 'CAM-001', storeCode: '3', quantity: 1 },
      { sku: 'CAM-001', storeCode: '8', quantity: 2 },
    ]);

    const tooMuch = await post(`/api/v1/orders/${order.id}/split`, LOJA11, {
      allocations: [{ sku: 'CAM-001', storeCode: '8', quantity: 3 }],
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('SPLIT.INVALID_ALLOCATION');
    expect((await get(`/api/v1/orders/${order.id}`, LOJA11)).body.status).toBe('open');

    const committed = await post(`/api/v1/orders/${order.id}/split`, LOJA11, {
      allocations: options.body.proposal,
    });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body.order.status).toBe('awaiting_stock');
    expect(committed.body.requests.map((r: { storeCode: string }) => r.storeCode).sort()).toEqual(['3', '8']);
    expect(committed.body.requests[0]).toMatchObject({ status: 'requested', blockReason: 'PRATELEIRA' });
    expect(await stockOf(t, 'CAM-001', '8')).toMatchObject({ available: 0 });
    expect(await stockOf(t, 'CAM-001', '3')).toMatchObject({ available: 0 });

    const inbox8 = await get('/api/v1/stock-requests?storeCode=8&status=requested', LOJA8);
    expect(inbox8.status).toBe(200);
    expect(inbox8.body.items).toEqual([
      expect.objectContaining({
        orderId: order.id,
        storeCode: '8',
        mainStoreCode: '11',
        lines: [{ line: 1, sku: 'CAM-001', quantity: 2 }],
      }),
    ]);
    const from8 = inbox8.body.items[0].id;
    expect((await get('/api/v1/stock-requests?side=main', LOJA8)).body.items).toEqual([]);
    const sent = (await get('/api/v1/stock-requests?side=main', LOJA11)).body.items;
    expect(sent.map((r: { storeCode: string }) => r.storeCode).sort()).toEqual(['3', '8']);
    const from3 = committed.body.requests.find((r: { storeCode: string }) => r.storeCode === '3').id;

    // Only the support company accepts; another store does not even see the request.
    expect((await post(`/api/v1/stock-requests/${from8}/accept`, LOJA11)).status).toBe(403);
    expect((await post(`/api/v1/stock-requests/${from8}/accept`, LOJA3)).status).toBe(404);
    const accepted = await post(`/api/v1/stock-requests/${from8}/accept`, LOJA8);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', blockReason: null });
    expect((await post(`/api/v1/stock-requests/${from8}/receive`, LOJA11)).status).toBe(409);

    const invoiced8 = await post(`/api/v1/stock-requests/${from8}/invoice`, LOJA8);
    expect(invoiced8.status, JSON.stringify(invoiced8.body)).toBe(200);
    expect(invoiced8.body.status).toBe('in_transit');
    const transfer8 = await get(`/api/v1/fiscal-documents/${invoiced8.body.transferDocument.id}`, LOJA8);
    expect(transfer8.body).toMatchObject({ status: 'authorised', purpose: 'transfer_out' });
    expect(transfer8.body.xml).toContain('<CFOP>5152</CFOP>');
    expect(await stockOf(t, 'CAM-001', '8')).toMatchObject({ available: 0 });

    expect((await post(`/api/v1/stock-requests/${from3}/accept`, LOJA3)).status).toBe(200);
    const invoiced3 = await post(`/api/v1/stock-requests/${from3}/invoice`, LOJA3);
    expect(invoiced3.status).toBe(200);
    const transfer3 = await get(`/api/v1/fiscal-documents/${invoiced3.body.transferDocument.id}`, LOJA3);
    expect(transfer3.body.xml).toContain('<CFOP>6152</CFOP>');

    const received8 = await post(`/api/v1/stock-requests/${from8}/receive`, LOJA11);
    expect(received8.status, JSON.stringify(received8.body)).toBe(200);
    expect(received8.body).toMatchObject({ status: 'received', entryCfop: '1152' });
    expect((await get(`/api/v1/orders/${order.id}`, LOJA11)).body.status).toBe('awaiting_stock');
    const received3 = await post(`/api/v1/stock-requests/${from3}/receive`, LOJA11);
    expect(received3.body).toMatchObject({ status: 'received', entryCfop: '2152' });

    const reopened = (await get(`/api/v1/orders/${order.id}`, LOJA11)).body;
    expect(reopened.status).toBe('open');
    expect(reopened.history.at(-1)).toMatchObject({ from: 'awaiting_stock', to: 'open', channel: 'system' });
    expect(await stockOf(t, 'CAM-001', '11')).toMatchObject({ onHand: 3, reserved: 3, available: 0 });

    expect((await post(`/api/v1/orders/${order.id}/accept`, LOJA11)).status).toBe(200);
    expect((await post(`/api/v1/orders/${order.id}/transitions`, LOJA11, { to: 'picking' })).status).toBe(
      200,
    );
    await confer(t, order.id);
    const nfe = await post(`/api/v1/orders/${order.id}/invoice`, LOJA11);
    expect(nfe.status, JSON.stringify(nfe.body)).toBe(200);
    expect(nfe.body.order.status).toBe('invoiced');

    for (const [code, onHand] of [
      ['11', 0],
      ['8', 0],
      ['3', 0],
    ] as const)
      expect(await stockOf(t, 'CAM-001', code)).toMatchObject({ onHand, reserved: 0 });
    await balanced();
    const trace = await get(`/api/v1/orders/${order.id}/trace`, LOJA11);
    expect(trace.status, JSON.stringify(trace.body)).toBe(200);
    const root = trace.body.root;
    expect(root).toMatchObject({
      kind: 'order',
      stage: 'invoiced',
      done: true,
      alert: null,
      quantities: { requested: 3, invoiced: 3, pending: 0 },
    });
    expect(
      root.children.map((c: { kind: string; storeCode: string }) => `${c.kind}:${c.storeCode}`).sort(),
    ).toEqual(['invoice:11', 'stock_request:3', 'stock_request:8']);
    const request8 = root.children.find((c: { storeCode: string }) => c.storeCode === '8');
    expect(request8).toMatchObject({
      stage: 'received',
      done: true,
      quantities: { requested: 2, invoiced: 2, pending: 0 },
    });
    expect(request8.children).toEqual([
      expect.objectContaining({ kind: 'transfer_invoice', stage: 'authorised', storeCode: '8' }),
    ]);
  });

  it('re-routes refused lines as a new order to the nearest company that has them, linked and traced', async () => {
    const order = await createOrder(t, {
      lines: [
        ['CAL-002', 1, '199.90'],
        ['CAM-002', 2, '59.90', '10.00'],
      ],
      freight: '15.00',
    });
    const bad = await post(`/api/v1/orders/${order.id}/reroute`, LOJA11, {
      lines: [{ sku: 'CAM-002', quantity: 3 }],
      reason: 'Sem estoque na loja',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      {
        path: '/lines/0/quantity',
        code: 'SPLIT.QUANTITY_ABOVE_PENDING',
        params: { sku: 'CAM-002', pending: 2 },
        message: 'CAM-002: only 2 pending may be refused',
      },
    ]);
    const twice = await post(`/api/v1/orders/${order.id}/reroute`, LOJA11, {
      lines: [
        { sku: 'CAM-002', quantity: 1 },
        { sku: 'CAM-002', quantity: 1 },
      ],
      reason: 'Sem estoque na loja',
    });
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toMatchObject([
      { path: '/lines/1/sku', code: 'SPLIT.SKU_REPEATED', params: { sku: 'CAM-002' } },
    ]);
    const res = await post(`/api/v1/orders/${order.id}/reroute`, LOJA11, {
      lines: [{ sku: 'CAM-002', quantity: 2 }],
      reason: 'Sem estoque na loja',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const kept = res.body.order;
    expect(kept).toMatchObject({
      status: 'open',
      itemsTotal: '199.90',
      discountTotal: '0.00',
      freight: '15.00',
      total: '214.90',
    });
    expect(kept.items.map((i: { sku: string }) => i.sku)).toEqual(['CAL-002']);
    expect(kept.payments.map((p: { amount: string }) => p.amount)).toEqual(['214.90']);
    expect(res.body.reroutedOrder).toMatchObject({ storeCode: '8', status: 'open' });
    const moved = (await get(`/api/v1/orders/${res.body.reroutedOrder.id}`, LOJA8)).body;
    expect(moved).toMatchObject({
      storeCode: '8',
      status: 'open',
      externalId: `${order.externalId}#R1`,
      itemsTotal: '119.80',
      discountTotal: '10.00',
      freight: '0.00',
      total: '109.80',
    });
    expect(moved.payments.map((p: { amount: string }) => p.amount)).toEqual(['109.80']);
    expect(moved.history[0].reason).toContain('Sem estoque na loja');
    const trace = (await get(`/api/v1/orders/${order.id}/trace`, LOJA11)).body.root;
    expect(trace.children).toEqual([
      expect.objectContaining({ kind: 'order', id: moved.id, storeCode: '8' }),
    ]);
    expect(trace).toMatchObject({ done: false, alert: expect.stringMatching(/green|yellow|red/) });
  });

  it('refusing every line cancels the order with CD_MOT_CANC_PED_PRATELEIR and re-routes all of it', async () => {
    const order = await createOrder(t, {
      lines: [['CAM-002', 1, '59.90']],
      deliveryType: 'ship',
      freight: '12.00',
    });
    const res = await post(`/api/v1/orders/${order.id}/reroute`, LOJA11, {
      lines: [{ sku: 'CAM-002', quantity: 1 }],
      storeCode: '3',
      reason: 'Loja em inventário',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.order.status).toBe('cancelled');
    expect(res.body.order.history.at(-1).reason).toContain('REROTEADO');
    const moved = (await get(`/api/v1/orders/${res.body.reroutedOrder.id}`, LOJA3)).body;
    expect(moved).toMatchObject({ storeCode: '3', freight: '12.00', total: '71.90' });
    await t.request('PUT', '/api/v1/nodes/3/parameters/IN_BAIXA_PED_POOL_EMP', {
      auth: ADMIN,
      body: { value: false },
    });
    const closed = await post(`/api/v1/orders/${moved.id}/reroute`, LOJA3, {
      lines: [{ sku: 'CAM-002', quantity: 1 }],
      reason: 'Loja em inventário',
    });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('SPLIT.POOL_DISABLED');
    await t.request('DELETE', '/api/v1/nodes/3/parameters/IN_BAIXA_PED_POOL_EMP', { auth: ADMIN });
    const again = await post(`/api/v1/orders/${moved.id}/reroute`, LOJA3, {
      lines: [{ sku: 'CAM-002', quantity: 1 }],
      storeCode: '3',
      reason: 'Loja em inventário',
    });
    expect(again.status).toBe(422);
  });

  it('a refused request frees its goods; with nothing else on its way the order is open again', async () => {
    await post('/api/v1/stock/adjustments', ADMIN, {
      storeCode: '8',
      sku: 'CAM-003',
      quantity: 4,
      reason: 'teste',
    });
    const order = await createOrder(t, { lines: [['CAM-003', 2, '59.90']] });
    const before = await stockOf(t, 'CAM-003', '11');
    if (before.available > 0)
      await post('/api/v1/stock/adjustments', ADMIN, {
        storeCode: '11',
        sku: 'CAM-003',
        quantity: -before.available,
        reason: 'teste',
      });
    const committed = await post(`/api/v1/orders/${order.id}/split`, LOJA11, {
      allocations: [{ sku: 'CAM-003', storeCode: '8', quantity: 2 }],
    });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    const id = committed.body.requests[0].id;
    const bare = await post(`/api/v1/stock-requests/${id}/reject`, LOJA8, { reason: ' ' });
    expect(bare.status).toBe(422);
    const available = (await stockOf(t, 'CAM-003', '8')).available;
    const rejected = await post(`/api/v1/stock-requests/${id}/reject`, LOJA8, { reason: 'Peças avariadas' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'Peças avariadas' });
    expect((await stockOf(t, 'CAM-003', '8')).available).toBe(available + 2);
    const reopened = (await get(`/api/v1/orders/${order.id}`, LOJA11)).body;
    expect(reopened.status).toBe('open');
    expect(reopened.history.at(-1).reason).toContain('Peças avariadas');
    const again = await get(`/api/v1/orders/${order.id}/split-options`, LOJA11);
    expect(again.body.lines[0]).toMatchObject({ pending: 2, allocated: 0 });
    await balanced();
  });

  it('two orders splitting against the same support stock never take more than is there', async () => {
    await post('/api/v1/stock/adjustments', ADMIN, {
      storeCode: '8',
      sku: 'POL-001',
      quantity: 2,
      reason: 'teste',
    });
    const free8 = (await stockOf(t, 'POL-001', '8')).available;
    const ones = [];
    for (let i = 0; i < 6; i++) ones.push(await createOrder(t, { lines: [['POL-001', 1, '129.90']] }));
    const at11 = (await stockOf(t, 'POL-001', '11')).available;
    if (at11 > 0)
      await post('/api/v1/stock/adjustments', ADMIN, {
        storeCode: '11',
        sku: 'POL-001',
        quantity: -at11,
        reason: 'teste',
      });
    const answers = await Promise.all(
      ones.map((o) =>
        post(`/api/v1/orders/${o.id}/split`, LOJA11, {
          allocations: [{ sku: 'POL-001', storeCode: '8', quantity: 1 }],
        }),
      ),
    );
    const won = answers.filter((a) => a.status === 200).length;
    expect(won).toBe(Math.min(free8, 6));
    for (const a of answers) expect([200, 409, 422]).toContain(a.status);
    expect(await stockOf(t, 'POL-001', '8')).toMatchObject({ available: free8 - won });
    await balanced();
  });

  it('a store leaving the split is gone from the next options, and back once its value is removed', async () => {
    // The companies a store may split with are cached per process (src/split/order-facts.ts): a parameter
    // change must reach the very next request.
    for (const storeCode of ['8', '3'])
      await post('/api/v1/stock/adjustments', ADMIN, {
        storeCode,
        sku: 'BER-001',
        quantity: 3,
        reason: 'teste',
      });
    const order = await createOrder(t, { lines: [['BER-001', 40, '39.90']] });
    const codes = async () =>
      (await get(`/api/v1/orders/${order.id}/split-options`, LOJA11)).body.lines[0].companies.map(
        (c: { storeCode: string }) => c.storeCode,
      );
    expect(await codes()).toEqual(expect.arrayContaining(['8', '3']));
    const param = '/api/v1/nodes/8/parameters/TP_UTILIZA_PRATELEIRA';
    expect((await t.request('PUT', param, { auth: ADMIN, body: { value: false } })).status).toBeLessThan(300);
    expect(await codes()).not.toContain('8');
    expect((await t.request('DELETE', param, { auth: ADMIN })).status).toBeLessThan(300);
    expect(await codes()).toContain('8');
  });
});
