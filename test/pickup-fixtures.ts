import { expect } from 'vitest';
import { documentsFor } from '../src/fiscal/service.ts';
import type { TestApp } from './harness.ts';
import { ADMIN, CPF, confer, createOrder, LOJA11, orderBody, POS11 } from './order-fixtures.ts';

/**
 * Pickup orders brought to a point of the counter's journey. The one place that knows how an order gets
 * there (the scan conference when the store requires it, the POS's rescue and finish), so the tests of what
 * follows do not depend on it.
 */

export async function move(t: TestApp, id: string, to: string, auth = LOJA11) {
  const res = await t.request('POST', `/api/v1/orders/${id}/transitions`, { auth, body: { to } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

type PickupOptions = Parameters<typeof createOrder>[1] & {
  /** Sold by the POS of store 11 from the endless aisle instead of pushed by the platform. */
  endlessAisle?: boolean;
};

/** A pickup order the POS of store 11 sold from the endless aisle (channel pos). */
export async function endlessAisleOrder(t: TestApp, opts: Parameters<typeof createOrder>[1] = {}) {
  const { storeCode: _store, ...body } = orderBody({ deliveryType: 'pickup', ...opts });
  const res = await t.request('POST', '/api/v1/pos/endless-aisle-orders', { auth: POS11, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Awaited<ReturnType<typeof createOrder>>;
}

/** Puts the lines' quantities on the store's shelf first, so a test may make as many orders as it likes. */
export async function restock(
  t: TestApp,
  lines: readonly (readonly [string, number, ...unknown[]])[],
  storeCode = '11',
) {
  for (const [sku, quantity] of lines) {
    const res = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: ADMIN,
      body: { storeCode, sku, quantity, reason: 'Reposição para o teste' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

/** A pickup order of store 11 waiting at the counter (ready_for_pickup), counted first when the store wants it. */
export async function readyPickupOrder(t: TestApp, opts: PickupOptions = {}) {
  await restock(t, opts.lines ?? [['CAL-002', 1, '']], opts.storeCode);
  const order = opts.endlessAisle
    ? await endlessAisleOrder(t, opts)
    : await createOrder(t, { deliveryType: 'pickup', ...opts });
  const accepted = await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  await move(t, order.id, 'picking');
  const conference = await t.request('GET', `/api/v1/orders/${order.id}/conference`, { auth: LOJA11 });
  expect(conference.status, JSON.stringify(conference.body)).toBe(200);
  if (conference.body.required) await confer(t, order.id);
  else await move(t, order.id, 'ready_for_pickup');
  return order;
}

/** A pickup order of store 11 the POS rescued and finished: its NFC-e authorised, the order invoiced. */
export async function invoicedPickupOrder(t: TestApp, opts: PickupOptions = {}) {
  const order = await readyPickupOrder(t, opts);
  const pos = (action: string, body?: unknown) =>
    t.request('POST', `/api/v1/pos/orders/${order.number}/${action}`, { auth: POS11, body });
  const rescued = await pos('rescue');
  expect(rescued.status, JSON.stringify(rescued.body)).toBe(200);
  const finished = await pos('finish', { customerDocument: CPF });
  expect(finished.status, JSON.stringify(finished.body)).toBe(200);
  expect(finished.body.order.status).toBe('invoiced');
  expect(finished.body.fiscalDocument.status).toBe('authorised');
  const [document] = await documentsFor(t.database.db, 'order', order.id);
  return { ...order, document: document! };
}
