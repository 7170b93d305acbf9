import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ADMIN, createOrder, LOJA11, POS11 } from '../../../test/order-fixtures.ts';
import { rows } from '../../platform/db/sql.ts';

/** The hub-owned sources reach the feed by their triggers (schema.sql), as store 11's POS downloads them. */
describe.each(databaseKinds())('the POS sync feed of hub-owned data on %s', (kind) => {
  let t: TestApp;
  let store11: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    store11 = (await rows<{ id: string }>(t.database.db, sql`select id from nodes where code = '11'`))[0]!.id;
    // Every type due at each poll: these tests read what the triggers wrote, not the intervals.
    await t.database.db.execute(sql`insert into pos_sync_exceptions (store_id, reason, expires_at, created_by)
      values (${store11}, 'Testes', now() + interval '1 day', 'test')`);
    const put = await t.request('PUT', '/api/v1/nodes/DEMO/parameters/TP_CONF_ACEITE_PED', {
      auth: ADMIN,
      body: { value: '1' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }, 60_000);
  afterAll(() => t?.close());

  const poll = async (type: string, since?: string) => {
    const res = await t.request('GET', `/api/v1/pos/sync/${type}${since ? `?since=${since}` : ''}`, {
      auth: POS11,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: any[]; nextCursor: string; full: boolean };
  };

  it('offers the store’s employees without any secret, and its own setup', async () => {
    const employees = (await poll('employees')).items;
    const manager = employees.find((i) => i.data.email === LOJA11);
    expect(manager).toMatchObject({ scope: 'store', data: { role: 'store_manager' } });
    expect(employees.some((i) => i.data.email === ADMIN && i.scope === 'network')).toBe(true);
    for (const e of employees) expect(Object.keys(e.data).sort()).toEqual(['email', 'id', 'name', 'role']);
    expect(employees.some((i) => i.data.email === 'loja8@demo.local')).toBe(false);
    const setup = (await poll('store-setup')).items;
    expect(setup).toEqual([expect.objectContaining({ key: '11', scope: 'store' })]);
    expect(setup[0].data.cnpj).toBeTruthy();
  });

  it('offers the network’s products, EANs, return reasons, payment methods and parameters', async () => {
    for (const type of ['products', 'product-eans', 'return-reasons', 'payment-methods', 'parameters'])
      expect((await poll(type)).items.length, type).toBeGreaterThan(0);
    const product = (await poll('products')).items.find((i) => i.key === 'CAL-002');
    expect(product.data).toMatchObject({ sku: 'CAL-002', ean: expect.stringMatching(/^\d{13}$/) });
  });

  it('moves the store’s stock only when a quantity the POS shows changes', async () => {
    const loaded = await poll('stock');
    const cal = loaded.items.find((i) => i.key === 'CAL-002');
    expect(cal.scope).toBe('store');
    await t.database.db.execute(sql`update stock_balances set updated_at = now()
      where store_id = ${store11}`);
    expect((await poll('stock', loaded.nextCursor)).items).toEqual([]);
    await t.database.db.execute(sql`update stock_balances set on_hand = on_hand + 5
      where store_id = ${store11} and product_id = (select id from products where sku = 'CAL-002')`);
    const moved = await poll('stock', loaded.nextCursor);
    expect(moved.items).toEqual([expect.objectContaining({ key: 'CAL-002' })]);
    expect(moved.items[0].data.onHand).toBe(cal.data.onHand + 5);
  });

  it('offers a pickup order ready at the store as a pre-sale, and withdraws it once the counter takes it', async () => {
    const start = await poll('pre-sales');
    const order = await createOrder(t, { deliveryType: 'pickup', storeCode: '11' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    for (const to of ['picking', 'ready_for_pickup']) {
      const res = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
        auth: LOJA11,
        body: { to },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const ready = await poll('pre-sales', start.nextCursor);
    expect(ready.items).toEqual([
      expect.objectContaining({ key: String(order.number), scope: 'store', deleted: false }),
    ]);
    expect(ready.items[0].data.items).toEqual([expect.objectContaining({ sku: 'CAL-002', quantity: 1 })]);
    const rescued = await t.request('POST', `/api/v1/pos/orders/${order.number}/rescue`, { auth: POS11 });
    expect(rescued.status, JSON.stringify(rescued.body)).toBe(200);
    const gone = await poll('pre-sales', ready.nextCursor);
    expect(gone.items).toEqual([
      expect.objectContaining({ key: String(order.number), deleted: true, data: null }),
    ]);
  });

  it('sends a deleted promotion as a tombstone, and leaves it out of the next full load', async () => {
    const loaded = await poll('campaigns');
    const code = loaded.items[0].key as string;
    await t.database.db.execute(sql`delete from promotions where code = ${code}`);
    const next = await poll('campaigns', loaded.nextCursor);
    expect(next.items).toEqual([expect.objectContaining({ key: code, deleted: true, data: null })]);
    expect((await poll('campaigns')).items.some((i) => i.key === code)).toBe(false);
  });
});
