import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import * as catalog from '../catalog/service.ts';
import * as network from '../network/service.ts';
import { pgErrorCode, sql } from '../platform/db/sql.ts';
import { abort, catchFailure } from '../platform/errors.ts';
import * as stock from './service.ts';

const ADMIN = 'admin@demo.local';
const PLATFORM = 'demo-platform-key';
const NOT_FOR_ECOMMERCE = ['CAM-004', 'CAL-003', 'SAN-001'];

describe.each(databaseKinds())('stock on the %s database', (kind) => {
  let t: TestApp;
  let ids: { store: Record<string, string>; product: Record<string, string> };
  let ecommerceSkus: string[];
  const actor = 'system:test';

  beforeAll(async () => {
    t = await startTestApp(kind);
    const root = (await t.request('GET', '/api/v1/nodes/DEMO', { auth: ADMIN })).body;
    const viewer = { nodeId: root.id, nodePath: `/${root.id}/`, networkId: root.id };
    const stores = await network.storesWithin(t.database.db, viewer);
    const products = await catalog.listProductRefs(t.database.db, root.id, { limit: 1000 });
    const enabled = await catalog.listProductRefs(t.database.db, root.id, {
      ecommerceOnly: true,
      limit: 1000,
    });
    ecommerceSkus = enabled.map((p) => p.sku).sort();
    ids = {
      store: Object.fromEntries(stores.map((s) => [s.code, s.id])),
      product: Object.fromEntries(products.map((p) => [p.sku, p.id])),
    };
  });
  afterAll(() => t?.close());

  const line = (storeCode: string, sku: string, quantity: number) => ({
    storeId: ids.store[storeCode]!,
    productId: ids.product[sku]!,
    quantity,
  });
  const stockOf = async (sku: string, storeCode: string) => {
    const res = await t.request('GET', `/api/v1/stock?sku=${sku}&storeCode=${storeCode}`, { auth: ADMIN });
    return res.body.items[0] as { onHand: number; reserved: number; available: number };
  };
  const expectBalanced = async () =>
    expect(await stock.ledgerCheck(t.database.db)).toEqual({ balanced: true, mismatches: [] });
  const allPages = async (url: string, auth: string) => {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const page: any = await t.request('GET', `${url}${cursor ? `${sep}cursor=${cursor}` : ''}`, { auth });
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  it('holds exactly the 10 units there are when 50 reservations of 1 arrive at once', async () => {
    expect(await stockOf('CAL-002', '11')).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    const token = await t.token(ADMIN);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.request('POST', '/api/v1/stock/reservations', {
          auth: token,
          body: { storeCode: '11', sku: 'CAL-002', quantity: 1, reference: `balcão ${i}` },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body).toMatchObject({
        code: 'STOCK.INSUFFICIENT',
        sku: 'CAL-002',
        storeCode: '11',
        requested: 1,
        available: 0,
        missing: 1,
      });
    }
    expect(await stockOf('CAL-002', '11')).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    const held = await allPages('/api/v1/stock/movements?storeCode=11&sku=CAL-002&kind=reservation', ADMIN);
    expect(held).toHaveLength(10);
    await expectBalanced();
  });

  it('creates a balance once under concurrent first use and keeps the books under mixed traffic', async () => {
    const token = await t.token(ADMIN);
    const adjust = (quantity: number) =>
      t.request('POST', '/api/v1/stock/adjustments', {
        auth: token,
        body: { storeCode: '3', sku: 'CAL-002', quantity, reason: 'Recebimento' },
      });
    const reserveOne = (quantity: number) =>
      t.request('POST', '/api/v1/stock/reservations', {
        auth: token,
        body: { storeCode: '3', sku: 'CAL-002', quantity },
      });
    const first = await Promise.all(Array.from({ length: 20 }, () => adjust(1)));
    expect(first.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await stockOf('CAL-002', '3')).toMatchObject({ onHand: 20, reserved: 0 });

    const mixed = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? adjust(-1) : reserveOne(1 + (i % 2)))),
    );
    expect(mixed.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const after = await stockOf('CAL-002', '3');
    expect(after.available).toBeGreaterThanOrEqual(0);
    expect(after.onHand).toBe(20 - mixed.filter((r, i) => i % 3 === 0 && r.status === 201).length);
    await expectBalanced();

    // Two orders taking the same two lines in opposite order must not deadlock each other.
    const pair = [line('3', 'CAM-002', 1), line('8', 'CAM-002', 1)];
    const crossed = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stock.reserveMany(t.database.db, {
          lines: i % 2 ? pair : [...pair].reverse(),
          reference: { type: 'order', id: `X-${i}` },
          actor,
        }),
      ),
    );
    expect(crossed.every((r) => r.ok || r.failure.code === 'STOCK.INSUFFICIENT')).toBe(true);
    await expectBalanced();
    const ofTwo = await stock.ledgerCheck(t.database.db, { storeIds: [ids.store['3']!, ids.store['8']!] });
    expect(ofTwo.balanced).toBe(true);
  });

  it('answers GET /stock in the contract shape, with the demo figures', async () => {
    const res = await t.request(
      'GET',
      '/api/v1/stock?sku=CAM-001&sku=CAL-002&storeCode=11&storeCode=8&storeCode=3',
      {
        auth: PLATFORM,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { sku: 'CAL-002', storeCode: '11', available: 0 },
        { sku: 'CAL-002', storeCode: '3', available: 0 },
        { sku: 'CAL-002', storeCode: '8', available: 0 },
        { sku: 'CAM-001', storeCode: '11', available: 0 },
        { sku: 'CAM-001', storeCode: '3', available: 1 },
        { sku: 'CAM-001', storeCode: '8', available: 2 },
      ],
      nextCursor: null,
    });
    const openapi = (await t.request('GET', '/openapi.json')).body;
    for (const path of ['/api/v1/stock', '/api/v1/stock/adjustments', '/api/v1/stock/reservations']) {
      expect(openapi.paths[path], path).toBeDefined();
    }
  });

  it('shows the platform only e-commerce products, a store its own store, and pages without gaps', async () => {
    const platform = await allPages('/api/v1/stock?limit=5', PLATFORM);
    const everything = await allPages('/api/v1/stock?limit=200', ADMIN);
    const skus = (items: { sku: string }[]) => new Set(items.map((i) => i.sku));
    for (const sku of NOT_FOR_ECOMMERCE) {
      expect(skus(platform).has(sku)).toBe(false);
      expect(skus(everything).has(sku)).toBe(true);
    }
    expect([...skus(platform)].sort()).toEqual(ecommerceSkus);
    expect(skus(everything).size).toBe(Object.keys(ids.product).length);
    expect(platform).toHaveLength(new Set(platform.map((i) => `${i.sku}/${i.storeCode}`)).size);
    expect(platform).toHaveLength(skus(platform).size * 3);
    expect(Object.keys(platform[0]).sort()).toEqual(['available', 'sku', 'storeCode']);
    expect(platform.every((i) => i.available >= 0)).toBe(true);

    const store8 = await allPages('/api/v1/stock?limit=7', 'loja8@demo.local');
    expect(new Set(store8.map((i) => i.storeCode))).toEqual(new Set(['8']));
    expect(store8).toHaveLength(skus(everything).size);
    const asked11 = await t.request('GET', '/api/v1/stock?storeCode=11', { auth: 'loja8@demo.local' });
    expect(asked11.body).toEqual({ items: [], nextCursor: null });
    const pos = await allPages('/api/v1/stock?sku=CAL-002', 'demo-pos-11');
    expect(pos).toEqual([{ sku: 'CAL-002', storeCode: '11', onHand: 10, reserved: 10, available: 0 }]);
  });

  it('lets a manager adjust its own store and admins any, refuses staff (403) and other stores (404)', async () => {
    const body = { storeCode: '8', sku: 'CAL-002', quantity: 5, reason: 'Recebimento de fornecedor' };
    const added = await t.request('POST', '/api/v1/stock/adjustments', { auth: 'loja8@demo.local', body });
    expect(added.status).toBe(201);
    expect(added.body.balance).toEqual({
      sku: 'CAL-002',
      storeCode: '8',
      onHand: 5,
      reserved: 0,
      available: 5,
    });
    expect(added.body.movement).toMatchObject({ kind: 'adjustment', onHandDelta: 5, reservedDelta: 0 });

    const counted = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: ADMIN,
      body: { storeCode: '8', sku: 'CAL-002', countedQuantity: 3, reason: 'Inventário' },
    });
    expect(counted.status).toBe(201);
    expect(counted.body.movement).toMatchObject({ onHandDelta: -2, reason: 'Inventário' });
    const same = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: ADMIN,
      body: { storeCode: '8', sku: 'CAL-002', countedQuantity: 3, reason: 'Inventário' },
    });
    expect(same.status).toBe(200);
    expect(same.body.movement).toBeNull();

    const other = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: 'loja8@demo.local',
      body: { ...body, storeCode: '11' },
    });
    expect(other.status).toBe(404);
    const user = await t.request('POST', '/api/v1/users', {
      auth: ADMIN,
      body: {
        email: 'vendedor8@demo.local',
        name: 'Vendedor 8',
        password: 'vendedor-oito-2026',
        role: 'store_staff',
        nodeCode: '8',
      },
    });
    expect(user.status).toBe(201);
    const staff = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'vendedor8@demo.local', password: 'vendedor-oito-2026' },
    });
    const refused = await t.request('POST', '/api/v1/stock/adjustments', { auth: staff.body.token, body });
    expect(refused.status).toBe(403);
    const unknown = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: ADMIN,
      body: { ...body, sku: 'NOPE-1' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      { path: '/sku', code: 'STOCK.PRODUCT_UNKNOWN', message: 'is not a product of this network' },
    ]);
    expect(await stockOf('CAL-002', '8')).toMatchObject({ onHand: 3, reserved: 0 });
    await expectBalanced();
  });

  it('never goes below what is reserved, and releases a counter hold once', async () => {
    const hold = await t.request('POST', '/api/v1/stock/reservations', {
      auth: 'loja8@demo.local',
      body: { storeCode: '8', sku: 'CAL-002', quantity: 2, reference: 'Cliente Ana' },
    });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ storeCode: '8', sku: 'CAL-002', quantity: 2, status: 'active' });

    for (const change of [{ quantity: -2 }, { countedQuantity: 1 }]) {
      const below = await t.request('POST', '/api/v1/stock/adjustments', {
        auth: ADMIN,
        body: { storeCode: '8', sku: 'CAL-002', reason: 'Avaria', ...change },
      });
      expect(below.status).toBe(409);
      expect(below.body).toMatchObject({ code: 'STOCK.BELOW_RESERVED', onHand: 3, reserved: 2 });
    }
    const negative = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: ADMIN,
      body: { storeCode: '11', sku: 'CAM-001', quantity: -1, reason: 'Avaria' },
    });
    expect(negative.status).toBe(409);
    expect(await stockOf('CAM-001', '11')).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    expect(await stockOf('CAL-002', '8')).toMatchObject({ onHand: 3, reserved: 2, available: 1 });

    const short = await t.request('POST', '/api/v1/stock/reservations', {
      auth: 'loja8@demo.local',
      body: { storeCode: '8', sku: 'CAL-002', quantity: 3 },
    });
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({ requested: 3, available: 1, missing: 2 });

    const url = `/api/v1/stock/reservations/${hold.body.id}/release`;
    const released = await t.request('POST', url, { auth: 'loja8@demo.local', body: { reason: 'Desistiu' } });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released' });
    expect(released.body.closedAt).not.toBeNull();
    const again = await t.request('POST', url, { auth: 'loja8@demo.local' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('STOCK.RESERVATION_CLOSED');
    expect((await t.request('POST', url, { auth: 'loja11@demo.local' })).status).toBe(404);
    expect(await stockOf('CAL-002', '8')).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    await expectBalanced();
  });

  it('refuses bad input with 422 and the path of each field, never a 500', async () => {
    const post = (url: string, body: unknown) => t.request('POST', url, { auth: ADMIN, body });
    const adjust = { storeCode: '8', sku: 'CAL-002', reason: 'x' };
    const cases: [string, unknown, string][] = [
      ['/api/v1/stock/adjustments', { ...adjust, quantity: '5' }, '/quantity'],
      ['/api/v1/stock/adjustments', { ...adjust, quantity: 0 }, '/quantity'],
      ['/api/v1/stock/adjustments', { ...adjust, quantity: 1.5 }, '/quantity'],
      ['/api/v1/stock/adjustments', { ...adjust }, '/quantity'],
      ['/api/v1/stock/adjustments', { ...adjust, quantity: 1, countedQuantity: 2 }, '/quantity'],
      ['/api/v1/stock/adjustments', { ...adjust, countedQuantity: -1 }, '/countedQuantity'],
      ['/api/v1/stock/adjustments', { ...adjust, quantity: 1, price: '10.00' }, '/price'],
      ['/api/v1/stock/adjustments', { storeCode: '8', sku: 'CAL-002', quantity: 1 }, '/reason'],
      ['/api/v1/stock/adjustments', { ...adjust, quantity: 1, reason: '   ' }, '/reason'],
      ['/api/v1/stock/reservations', { storeCode: '8', sku: 'CAL-002', quantity: 0 }, '/quantity'],
      ['/api/v1/stock/reservations', { storeCode: '8', sku: 'CAL-002', quantity: '1' }, '/quantity'],
      ['/api/v1/stock/reservations', { storeCode: '8 ', sku: 'CAL-002', quantity: 1 }, '/storeCode'],
      ['/api/v1/stock/reservations', { storeCode: '8', sku: 'CAL-002', quantity: 1, extra: true }, '/extra'],
    ];
    for (const [url, body, path] of cases) {
      const res = await post(url, body);
      expect(res.status, `${url} ${JSON.stringify(body)}`).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const garbage = Buffer.from('[{"a":1}]').toString('base64url');
    for (const url of [
      `/api/v1/stock?cursor=${garbage}`,
      '/api/v1/stock?cursor=%%%',
      '/api/v1/stock?limit=abc',
      `/api/v1/stock/movements?cursor=${garbage}`,
      '/api/v1/stock/movements?kind=theft',
    ]) {
      expect((await t.request('GET', url, { auth: ADMIN })).status, url).toBe(422);
    }
    expect((await t.request('POST', '/api/v1/stock/reservations/nope/release', { auth: ADMIN })).status).toBe(
      422,
    );
    expect(
      (await t.request('POST', `/api/v1/stock/reservations/${crypto.randomUUID()}/release`, { auth: ADMIN }))
        .status,
    ).toBe(404);
    expect(await stockOf('CAL-002', '8')).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('reserves several lines all or nothing, listing every short one', async () => {
    const db = t.database.db;
    const before = await Promise.all([
      stockOf('CAM-001', '3'),
      stockOf('CAM-002', '3'),
      stockOf('TEN-001', '8'),
    ]);
    const result = await stock.reserveMany(db, {
      lines: [line('3', 'CAM-001', 1), line('3', 'CAM-002', 1000), line('8', 'TEN-001', 999)],
      reference: { type: 'order', id: 'T-1' },
      actor,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.code).toBe('STOCK.INSUFFICIENT');
    expect((result.failure.data!.lines as { sku: string }[]).map((l) => l.sku).sort()).toEqual([
      'CAM-002',
      'TEN-001',
    ]);
    expect(await stock.reservationsOf(db, { type: 'order', id: 'T-1' })).toEqual([]);
    expect(
      await Promise.all([stockOf('CAM-001', '3'), stockOf('CAM-002', '3'), stockOf('TEN-001', '8')]),
    ).toEqual(before);

    const held = await stock.reserveMany(db, {
      lines: [line('3', 'CAM-001', 1), line('8', 'CAM-001', 2)],
      reference: { type: 'order', id: 'T-2' },
      actor,
    });
    expect(held.ok && held.value.map((r) => r.quantity)).toEqual([1, 2]);
    expect(
      await stock.releaseByReference(db, { reference: { type: 'order', id: 'T-2' }, actor }),
    ).toHaveLength(2);
    expect(await stockOf('CAM-001', '8')).toMatchObject({ onHand: 2, reserved: 0 });
    await expectBalanced();
  });

  it('works inside a caller transaction: a failure undoes only its own writes; an abort undoes all', async () => {
    const db = t.database.db;
    const kept = await db.transaction(async (tx) => {
      const first = await stock.reserve(tx, {
        ...line('8', 'CAM-001', 1),
        reference: { type: 'order', id: 'T-3' },
        actor,
      });
      const second = await stock.reserve(tx, {
        ...line('8', 'CAM-001', 5),
        reference: { type: 'order', id: 'T-3' },
        actor,
      });
      expect(second.ok || second.failure.data).toMatchObject({
        sku: 'CAM-001',
        storeCode: '8',
        available: 1,
        missing: 4,
      });
      return first;
    });
    expect(kept.ok).toBe(true);
    expect(await stockOf('CAM-001', '8')).toMatchObject({ onHand: 2, reserved: 1 });

    const rolledBack = await catchFailure(() =>
      db.transaction(async (tx) => {
        const r = await stock.reserve(tx, {
          ...line('8', 'CAM-001', 1),
          reference: { type: 'order', id: 'T-4' },
          actor,
        });
        expect(r.ok).toBe(true);
        const refused = await stock.transferOut(tx, {
          ...line('8', 'CAM-001', 1),
          reference: { type: 'x', id: '1' },
          actor,
        });
        if (!refused.ok) abort(refused);
      }),
    );
    expect(rolledBack.ok || rolledBack.failure.code).toBe('STOCK.INSUFFICIENT');
    expect(await stock.reservationsOf(db, { type: 'order', id: 'T-4' })).toEqual([]);
    expect(await stockOf('CAM-001', '8')).toMatchObject({ onHand: 2, reserved: 1 });
    await expectBalanced();
  });

  it("leaves an order's hold to the order flow: the counter release refuses it", async () => {
    const held = await stock.reserve(t.database.db, {
      ...line('3', 'TEN-001', 1),
      reference: { type: 'order', id: 'T-5' },
      actor,
    });
    if (!held.ok) throw new Error(held.failure.detail);
    const shown = await t.request('GET', `/api/v1/stock/reservations/${held.value.id}`, {
      auth: 'loja3@demo.local',
    });
    expect(shown.body).toMatchObject({
      storeCode: '3',
      sku: 'TEN-001',
      referenceType: 'order',
      referenceId: 'T-5',
    });
    const refused = await t.request('POST', `/api/v1/stock/reservations/${held.value.id}/release`, {
      auth: 'loja3@demo.local',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('STOCK.RESERVATION_NOT_MANUAL');
    expect((await stock.release(t.database.db, { reservationId: held.value.id, actor })).ok).toBe(true);
    await expectBalanced();
  });

  it('moves goods out by sale or transfer and in by transfer or return, each as a movement', async () => {
    const db = t.database.db;
    const [hold] = await stock.reservationsOf(db, { type: 'order', id: 'T-3' });
    const sold = await stock.consume(db, { reservationId: hold!.id, actor, as: 'transfer_out' });
    expect(sold.ok && sold.value.status).toBe('consumed');
    const twice = await stock.consume(db, { reservationId: hold!.id, actor });
    expect(twice.ok || twice.failure.code).toBe('STOCK.RESERVATION_CLOSED');
    expect(await stockOf('CAM-001', '8')).toMatchObject({ onHand: 1, reserved: 0 });

    const request = { type: 'stock_request', id: 'SR-1' };
    expect((await stock.transferOut(db, { ...line('8', 'CAM-001', 1), reference: request, actor })).ok).toBe(
      true,
    );
    expect((await stock.transferIn(db, { ...line('11', 'CAM-001', 2), reference: request, actor })).ok).toBe(
      true,
    );
    expect((await stock.returnToStock(db, { ...line('11', 'CAM-001', 1), reason: 'Troca', actor })).ok).toBe(
      true,
    );
    expect((await stock.sell(db, { ...line('11', 'CAM-001', 1), actor })).ok).toBe(true);
    expect(await stockOf('CAM-001', '8')).toMatchObject({ onHand: 0, available: 0 });
    expect(await stockOf('CAM-001', '11')).toMatchObject({ onHand: 2, available: 2 });

    const history = await allPages('/api/v1/stock/movements?sku=CAM-001&storeCode=11&limit=2', ADMIN);
    expect(history.map((m) => m.kind)).toEqual(['sale', 'return', 'transfer_in']);
    expect(history.map((m) => m.id)).toEqual([...history.map((m) => m.id)].sort((a, b) => b - a));
    await expectBalanced();
  });

  it('shows each back-office user the movements of its stores only', async () => {
    const mine = await allPages(
      '/api/v1/stock/movements?kind=adjustment&kind=reservation',
      'loja8@demo.local',
    );
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((m) => m.storeCode))).toEqual(new Set(['8']));
    expect(new Set(mine.map((m) => m.kind))).toEqual(new Set(['adjustment', 'reservation']));
    expect(
      (await t.request('GET', '/api/v1/stock/movements?storeCode=11', { auth: 'loja8@demo.local' })).status,
    ).toBe(404);
    expect((await t.request('GET', '/api/v1/stock/movements', { auth: PLATFORM })).status).toBe(403);
  });

  it('is guarded by the database itself: an oversold row or a wrongly signed movement is refused', async () => {
    const db = t.database.db;
    const oversell = db.execute(
      sql`update stock_balances set reserved = on_hand + 1 where store_id = ${ids.store['11']!}::uuid`,
    );
    await expect(oversell).rejects.toSatisfy((e) => pgErrorCode(e) === '23514');
    const wrongSign = db.execute(sql`
      insert into stock_movements (store_id, product_id, kind, on_hand_delta, reserved_delta, actor)
      values (${ids.store['11']!}::uuid, ${ids.product['CAM-001']!}::uuid, 'reservation', -1, 1, 'test')`);
    await expect(wrongSign).rejects.toSatisfy((e) => pgErrorCode(e) === '23514');
    await expectBalanced();

    // The check itself must see a ledger that does not add up, and only in the stores asked about.
    await db.execute(sql`
      insert into stock_movements (store_id, product_id, kind, on_hand_delta, reserved_delta, actor)
      values (${ids.store['11']!}::uuid, ${ids.product['CAM-001']!}::uuid, 'adjustment', 1, 0, 'test')`);
    const broken = await stock.ledgerCheck(db);
    expect(broken.mismatches).toEqual([
      expect.objectContaining({
        storeId: ids.store['11'],
        productId: ids.product['CAM-001'],
        ledgerOnHand: 3,
      }),
    ]);
    expect((await stock.ledgerCheck(db, { storeIds: [ids.store['8']!] })).balanced).toBe(true);
    await db.execute(sql`delete from stock_movements where actor = 'test'`);
    await expectBalanced();

    // However many adjustments a client sends, the sum is refused before the column overflows.
    const where = sql`store_id = ${ids.store['11']!}::uuid and product_id = ${ids.product['CAM-001']!}::uuid`;
    await db.execute(sql`update stock_balances set on_hand = on_hand + 999999990 where ${where}`);
    const overflow = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: ADMIN,
      body: { storeCode: '11', sku: 'CAM-001', quantity: 1_000_000, reason: 'Recebimento' },
    });
    expect(overflow.status).toBe(422);
    expect(overflow.body).toMatchObject({ code: 'STOCK.BALANCE_TOO_LARGE', errors: [{ path: '/quantity' }] });
    await db.execute(sql`update stock_balances set on_hand = on_hand - 999999990 where ${where}`);
    await expectBalanced();
  });
});
