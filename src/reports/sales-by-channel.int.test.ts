import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { LOJA8, LOJA11, POS11 } from '../../test/order-fixtures.ts';
import { invoicedPickupOrder, readyPickupOrder } from '../../test/pickup-fixtures.ts';
import { saoPauloDay } from '../platform/format-br.ts';

/** The channel report (issue 13 §5, seeds 000 §3.4.3) through the API, on each database. */
describe.each(databaseKinds())('sales by channel on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  const report = (query = '', auth = LOJA11) =>
    t.request('GET', `/api/v1/reports/sales-by-channel${query}`, { auth });
  const today = saoPauloDay(new Date());

  it('counts each invoiced sale on its day: the e-commerce’s as omni, the POS’s endless aisle as pos', async () => {
    const empty = await report();
    expect(empty.status, JSON.stringify(empty.body)).toBe(200);
    expect(empty.body).toMatchObject({ to: today, rows: [], totals: { all: { count: 0, value: '0.00' } } });
    expect(empty.body.stores).toEqual([{ code: '11', name: expect.any(String) }]);

    const omni = await invoicedPickupOrder(t, { lines: [['CAL-002', 1, '199.90']] });
    await invoicedPickupOrder(t, { endlessAisle: true, lines: [['CAL-002', 2, '100.00']] });
    // Not invoiced yet: not a sale.
    await readyPickupOrder(t, { endlessAisle: true });

    const res = await report(`?from=${today}&to=${today}&storeCode=11`);
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      {
        day: today,
        storeCode: '11',
        storeName: expect.any(String),
        channel: 'omni',
        count: 1,
        value: '199.90',
      },
      {
        day: today,
        storeCode: '11',
        storeName: expect.any(String),
        channel: 'pos',
        count: 1,
        value: '200.00',
      },
    ]);
    expect(res.body.totals).toEqual({
      omni: { count: 1, value: '199.90' },
      pos: { count: 1, value: '200.00' },
      all: { count: 2, value: '399.90' },
    });

    // The network admin sees the same sales among all the stores; store 8 sees none of them.
    const admin = await report('', 'admin@demo.local');
    expect(admin.body.stores.map((s: { code: string }) => s.code)).toEqual(['3', '8', '11']);
    expect(admin.body.totals.all).toEqual({ count: 2, value: '399.90' });
    expect((await report('', LOJA8)).body.totals.all.count).toBe(0);

    // A cancelled NFC-e undoes the sale: it no longer counts.
    const cancel = await t.request('POST', `/api/v1/fiscal-documents/${omni.document.id}/cancel`, {
      auth: LOJA11,
      body: { justification: 'Cliente desistiu da compra na loja' },
    });
    expect(cancel.status, JSON.stringify(cancel.body)).toBeLessThan(300);
    for (let i = 0; i < 200; i++) {
      const now = await report();
      if (now.body.totals.omni.count === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await report()).body.totals).toMatchObject({ omni: { count: 0 }, pos: { count: 1 } });
  });

  it('refuses a period or store it cannot report, naming the field', async () => {
    const cases: [string, number, string][] = [
      ['?from=2026-02-30', 422, '/from'],
      ['?from=2026-05-02&to=2026-05-01', 422, '/from'],
      ['?from=2024-01-01&to=2025-01-02', 422, '/to'],
      ['?to=yesterday', 422, 'to'],
      ['?storeCode=8', 422, '/storeCode/0'],
      ['?storeCode=11&storeCode=ZZ', 422, '/storeCode/1'],
    ];
    for (const [query, status, path] of cases) {
      const res = await report(query);
      expect(res.status, query).toBe(status);
      expect(JSON.stringify(res.body.errors), query).toContain(path);
    }
  });

  it('is for the back office', async () => {
    expect((await report('', POS11)).status).toBe(403);
  });
});
