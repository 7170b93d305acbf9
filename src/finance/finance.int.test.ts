import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, LOJA11, PLATFORM } from '../../test/order-fixtures.ts';
import { invoicedPickupOrder, readyPickupOrder } from '../../test/pickup-fixtures.ts';
import { purchaseOf } from '../orders/purchase.ts';
import { transaction } from '../platform/db/transaction.ts';
import * as finance from './service.ts';

describe.each(databaseKinds())('finance of an order on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const financeOf = async (id: string, auth = LOJA11) => {
    const res = await t.request('GET', `/api/v1/orders/${id}/finance`, { auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('raises a receivable and the advance at acceptance and settles the sale with it at invoicing', async () => {
    const order = await invoicedPickupOrder(t);
    const finance = await financeOf(order.id);
    expect(finance.balanced).toBe(true);
    expect(finance.receivables).toMatchObject([
      { storeCode: '11', documentType: 'credit_card', amount: '199.90', open: '199.90', state: 'open' },
    ]);
    expect(finance.advance).toMatchObject({
      amount: '199.90',
      balance: '0.00',
      settled: '199.90',
      state: 'settled',
    });
    expect(finance.settlements).toMatchObject([
      { storeCode: '11', amount: '199.90', documentKey: order.document.accessKey, state: 'settled' },
    ]);
    expect(finance.entries.map((e: { kind: string }) => e.kind)).toEqual(['acceptance', 'invoice']);
    // The platform reads it too.
    expect((await t.request('GET', `/api/v1/orders/${order.id}/finance`, { auth: PLATFORM })).status).toBe(
      200,
    );
  });

  it('releases the advance to the payer when an accepted order is cancelled', async () => {
    const order = await readyPickupOrder(t);
    const res = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'cancelled', reason: 'Cliente desistiu' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const finance = await financeOf(order.id, ADMIN);
    expect(finance.balanced).toBe(true);
    expect(finance.advance).toMatchObject({ balance: '0.00', released: '199.90', state: 'released' });
    expect(finance.receivables[0]).toMatchObject({ open: '0.00', state: 'cancelled' });
  });

  it('shows what a release leaves to the customer as a release, not as an advance kept', async () => {
    const order = await readyPickupOrder(t);
    // The open receivables fall short of the advance: 50.00 of a credit charged back to the card before the
    // cancellation (set up on the ledger itself, as no API flow leads there on its own).
    const charged = await transaction(t.database.db, async (tx) => {
      const purchase = await purchaseOf(tx, order.id);
      const companyId = purchase.orders.find((o) => o.id === order.id)!.storeId;
      await finance.creditReturn(tx, purchase, order.id, {
        returnId: randomUUID(),
        amount: 5000n,
        actor: 'test',
        description: 'Crédito de teste',
      });
      return finance.refund(tx, purchase, order.id, {
        method: 'card_reversal',
        amount: 5000n,
        companyId,
        actor: 'test',
        key: randomUUID(),
      });
    });
    expect(charged.ok).toBe(true);
    const res = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'cancelled', reason: 'Cliente desistiu' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const money = await financeOf(order.id, ADMIN);
    expect(money.balanced).toBe(true);
    expect(money.receivables[0]).toMatchObject({ open: '0.00', state: 'cancelled' });
    expect(money.advance).toMatchObject({
      balance: '0.00',
      released: '199.90',
      kept: '0.00',
      state: 'released',
    });
    expect(money.credits.map((c: { kind: string; amount: string }) => [c.kind, c.amount])).toEqual([
      ['return_credit', '50.00'],
      ['refund', '-50.00'],
      ['advance_release', '50.00'],
    ]);
    expect(money.creditBalance).toBe('50.00');
  });
});
