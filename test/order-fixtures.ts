import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { TEST_PASSWORD, type TestApp } from './harness.ts';

/** Demo credentials (README) and order bodies the orders tests share. */
export const PLATFORM = 'demo-platform-key';
export const POS11 = 'demo-pos-11';
export const ADMIN = 'admin@demo.local';
export const LOJA11 = 'loja11@demo.local';
export const LOJA8 = 'loja8@demo.local';
export const CENTRAL = 'central.sul@demo.local';
export const STAFF11 = 'staff11@demo.local';

/** A valid CPF and a valid alphanumeric CNPJ. */
export const CPF = '529.982.247-25';
export const CNPJ_ALNUM = '12.ABC.345/01DE-35';

export const address = {
  street: 'Rua Augusta',
  number: '1200',
  district: 'Consolação',
  city: 'São Paulo',
  cityCode: '3550308',
  state: 'SP',
  postalCode: '01304-001',
};

type Line = [sku: string, quantity: number, unitPrice: string, discount?: string];

const cents = (money: string) => Math.round(Number(money) * 100);
const money = (c: number) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`;

/** A valid order body: the payment is the exact total of the lines and the freight. */
export function orderBody(
  opts: {
    lines?: Line[];
    storeCode?: string;
    deliveryType?: 'pickup' | 'ship';
    freight?: string;
    carrier?: string;
    placedAt?: string;
    externalId?: string;
  } = {},
) {
  const lines = opts.lines ?? [['CAL-002', 1, '199.90']];
  const total =
    lines.reduce((sum, [, q, p, d]) => sum + q * cents(p) - cents(d ?? '0.00'), 0) +
    cents(opts.freight ?? '0.00');
  const ship = opts.deliveryType === 'ship';
  return {
    externalId: opts.externalId ?? `EC-${randomUUID()}`,
    storeCode: opts.storeCode ?? '11',
    deliveryType: opts.deliveryType ?? 'pickup',
    ...(opts.carrier ? { carrier: opts.carrier } : {}),
    customer: {
      name: 'Maria Silva',
      document: CPF,
      email: 'maria@example.com',
      phone: '+55 11 99999-0000',
      ...(ship ? { address } : {}),
    },
    items: lines.map(([sku, quantity, unitPrice, discount]) => ({
      sku,
      quantity,
      unitPrice,
      ...(discount ? { discount } : {}),
    })),
    ...(opts.freight ? { freight: opts.freight } : {}),
    payments: [{ method: 'credit_card', amount: money(total), installments: 1 }],
    placedAt: opts.placedAt ?? new Date().toISOString(),
  };
}

export async function createOrder(t: TestApp, opts: Parameters<typeof orderBody>[0] = {}) {
  const res = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body: orderBody(opts) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: number; status: string; [k: string]: any };
}

/** The central admin and the store clerk the demo lacks, created by the network admin. */
export async function addDemoUsers(t: TestApp) {
  for (const [email, role, nodeCode] of [
    [CENTRAL, 'central_admin', 'SUL'],
    [STAFF11, 'store_staff', '11'],
  ]) {
    const res = await t.request('POST', '/api/v1/users', {
      auth: ADMIN,
      body: { email, name: email, password: TEST_PASSWORD, role, nodeCode },
    });
    expect(res.status).toBe(201);
  }
}

export async function stockOf(t: TestApp, sku: string, storeCode: string) {
  const res = await t.request('GET', `/api/v1/stock?sku=${sku}&storeCode=${storeCode}`, { auth: ADMIN });
  return res.body.items[0] as { onHand: number; reserved: number; available: number };
}

/**
 * Counts every unit of an order in picking and finishes its scan conference, as TP_CONF_ACEITE_PED = 0 (the
 * default) requires: a pickup order becomes ready_for_pickup, a ship order may then be invoiced.
 */
export async function confer(t: TestApp, orderId: string, auth = LOJA11) {
  const state = await t.request('GET', `/api/v1/orders/${orderId}/conference`, { auth });
  expect(state.status, JSON.stringify(state.body)).toBe(200);
  for (const line of state.body.lines as { sku: string; expected: number; counted: number }[]) {
    if (line.counted >= line.expected) continue;
    const scanned = await t.request('POST', `/api/v1/orders/${orderId}/conference/scans`, {
      auth,
      body: { sku: line.sku, quantity: line.expected - line.counted },
    });
    expect(scanned.status, JSON.stringify(scanned.body)).toBe(200);
  }
  const done = await t.request('POST', `/api/v1/orders/${orderId}/conference/finish`, { auth });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return done.body as { status: string; orderStatus: string };
}
