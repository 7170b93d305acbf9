import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, LOJA8, LOJA11, orderBody, PLATFORM, POS11 } from '../../test/order-fixtures.ts';
import { rows, sql } from '../platform/db/sql.ts';

/** The POS's endless-aisle sales (issue 13 §2, seeds 003 PDVFM001) through the API, on each database. */
describe.each(databaseKinds())('endless aisle on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  const sell = (body: unknown, auth = POS11) =>
    t.request('POST', '/api/v1/pos/endless-aisle-orders', { auth, body });
  /** The platform's order body without the store: the POS's own store serves it. */
  const sale = (opts: Parameters<typeof orderBody>[0] = {}) => {
    const { storeCode: _s, ...body } = orderBody({ externalId: `PDV-${crypto.randomUUID()}`, ...opts });
    return body;
  };
  const ordersWith = async (externalId: string) =>
    rows(t.database.db, sql`select id from orders where external_id = ${externalId}`);

  it('enters the hub blocked, channel pos, with the selling store’s representative and print model', async () => {
    const body = sale({ lines: [['CAL-002', 1, '199.90']] });
    const res = await sell(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      modality: 'endless_aisle',
      channel: 'pos',
      status: 'open',
      storeCode: '11',
      endlessAisle: {
        sellingStoreCode: '11',
        representative: 'REP-SUL-01',
        printModel: 'MOD-PRAT-80',
        blockReason: 'PRATELEIRA',
        blocked: true,
      },
    });
    expect(res.body.history[0]).toMatchObject({ to: 'open', channel: 'pos' });

    // The store's back office sees it as any order, blocked until it accepts; acceptance releases it.
    const read = await t.request('GET', `/api/v1/orders/${res.body.id}`, { auth: LOJA11 });
    expect(read.body.endlessAisle).toMatchObject({ blocked: true, representative: 'REP-SUL-01' });
    const accepted = await t.request('POST', `/api/v1/orders/${res.body.id}/accept`, { auth: LOJA11 });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.endlessAisle).toMatchObject({ blocked: false, blockReason: 'PRATELEIRA' });

    // Idempotent on the POS's sale id: the same body answers the same order, another body is a conflict.
    const again = await sell(body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    const other = await sell({ ...body, items: [{ sku: 'CAL-002', quantity: 2, unitPrice: '99.95' }] });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('ORDER.EXTERNAL_ID_CONFLICT');
    expect(await ordersWith(body.externalId)).toHaveLength(1);
  });

  it('goes to the fulfilling store named, which accepts it; short of stock at the POS’s store it offers the split', async () => {
    const there = await sell({ ...sale({ lines: [['CAM-001', 1, '79.90']] }), storeCode: '8' });
    expect(there.status, JSON.stringify(there.body)).toBe(201);
    expect(there.body).toMatchObject({ storeCode: '8', endlessAisle: { sellingStoreCode: '11' } });
    expect((await t.request('GET', `/api/v1/orders/${there.body.id}`, { auth: LOJA11 })).status).toBe(404);
    const accepted = await t.request('POST', `/api/v1/orders/${there.body.id}/accept`, { auth: LOJA8 });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);

    const here = await sell(sale({ lines: [['CAM-001', 2, '79.90']] }));
    expect(here.status).toBe(201);
    const short = await t.request('POST', `/api/v1/orders/${here.body.id}/accept`, { auth: LOJA11 });
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({ code: 'ORDER.INSUFFICIENT_STOCK', splitAvailable: true });
    const options = await t.request('GET', `/api/v1/orders/${here.body.id}/split-options`, { auth: LOJA11 });
    expect(options.status, JSON.stringify(options.body)).toBe(200);
  });

  it('refuses bad input naming the field and writes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ ...sale(), customer: { ...sale().customer, document: '111.111.111-11' } }, '/customer/document'],
      [{ ...sale(), items: [{ sku: 'NOPE-1', quantity: 1, unitPrice: '199.90' }] }, '/items/0/sku'],
      [{ ...sale(), items: [{ sku: 'CAL-002', quantity: 1, unitPrice: 199.9 }] }, '/items/0/unitPrice'],
      [{ ...sale(), storeCode: 'ZZ' }, '/storeCode'],
      [{ ...sale(), channel: 'web' }, ''],
    ];
    for (const [body, path] of cases) {
      const res = await sell(body);
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      if (path) expect(JSON.stringify(res.body.errors)).toContain(path);
      expect(await ordersWith((body as { externalId: string }).externalId)).toHaveLength(0);
    }
  });

  it('is the POS’s alone, and refused while TP_UTILIZA_PRATELEIRA is off for its store', async () => {
    expect((await sell(sale(), LOJA11)).status).toBe(403);
    expect((await sell(sale(), PLATFORM)).status).toBe(403);

    const param = '/api/v1/nodes/11/parameters/TP_UTILIZA_PRATELEIRA';
    expect((await t.request('PUT', param, { auth: ADMIN, body: { value: false } })).status).toBe(200);
    try {
      const body = sale();
      const off = await sell(body);
      expect(off.status).toBe(409);
      expect(off.body).toMatchObject({
        code: 'ORDER.ENDLESS_AISLE_DISABLED',
        parameter: 'TP_UTILIZA_PRATELEIRA',
      });
      expect(await ordersWith(body.externalId)).toHaveLength(0);
    } finally {
      await t.request('PUT', param, { auth: ADMIN, body: { value: true } });
    }
    expect((await sell(sale())).status).toBe(201);
  });
});
