import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, createOrder, LOJA11 } from '../../test/order-fixtures.ts';
import { documentsFor } from '../fiscal/service.ts';
import { rows, sql } from '../platform/db/sql.ts';

const ORDERS = 100;

/** Issue 5's numbering target, through the API: concurrent invoices of one store get consecutive numbers. */
describe.each(databaseKinds())('100 concurrent invoices on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // The invoices answer at once (202) instead of each polling its document every 25 ms while the worker
    // authorises: a hundred pollers starved the worker. Numbering happens before that wait either way.
    t = await startTestApp(kind, { fiscalAnswerWithinMs: 0 });
    const restock = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: ADMIN,
      body: {
        storeCode: '11',
        sku: 'CAL-002',
        quantity: ORDERS,
        reason: 'Estoque para o teste de numeração',
      },
    });
    expect(restock.status).toBe(201);
    // Numbering is the subject: the items are confirmed at acceptance, no scan conference per order.
    const atAcceptance = await t.request('PUT', '/api/v1/nodes/11/parameters/TP_CONF_ACEITE_PED', {
      auth: ADMIN,
      body: { value: '1' },
    });
    expect(atAcceptance.status).toBe(200);
  }, 60_000);
  afterAll(() => t?.close());

  it('gets 100 distinct, consecutive NF-e numbers, every one authorised', { timeout: 240_000 }, async () => {
    // The orders are independent: made side by side, each one's steps in order (signed in once, first).
    await t.token(LOJA11);
    const ids = await Promise.all(
      Array.from({ length: ORDERS }, async () => {
        const order = await createOrder(t, { deliveryType: 'ship', freight: '9.90' });
        expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(
          200,
        );
        const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
          auth: LOJA11,
          body: { to: 'picking' },
        });
        expect(picking.status).toBe(200);
        return order.id as string;
      }),
    );

    const answers = await Promise.all(
      ids.map((id) => t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 })),
    );
    for (const res of answers) expect([200, 202], JSON.stringify(res.body)).toContain(res.status);

    // Those answered 202 are authorised by the worker a moment later: one cheap count per look.
    const deadline = Date.now() + 120_000;
    const sending = async () =>
      (
        await rows<{ n: number }>(
          t.database.db,
          sql`select count(*)::int as n from fiscal_documents where status = 'sending'`,
        )
      )[0]!.n;
    while ((await sending()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const docs = await Promise.all(
      ids.map(async (id) => (await documentsFor(t.database.db, 'order', id))[0]!),
    );
    expect(docs.map((d) => d.status)).toEqual(ids.map(() => 'authorised'));
    const numbers = docs.map((d) => d.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(ORDERS);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    expect(new Set(docs.map((d) => d.accessKey)).size).toBe(ORDERS);
    for (const id of ids) {
      const order = await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 });
      expect(order.body.status).toBe('invoiced');
    }
  });
});
