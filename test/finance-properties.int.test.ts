import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as finance from '../src/finance/service.ts';
import { purchaseOf } from '../src/orders/purchase.ts';
import { rows, sql } from '../src/platform/db/sql.ts';
import { transaction } from '../src/platform/db/transaction.ts';
import { ok } from '../src/platform/errors.ts';
import { databaseKinds, startTestApp, type TestApp } from './harness.ts';
import { ADMIN, CNPJ_ALNUM, CPF, confer, LOJA11, orderBody, PLATFORM, POS11 } from './order-fixtures.ts';
import { restock } from './pickup-fixtures.ts';

const LOJA3 = 'loja3@demo.local';
const SKUS = [
  ['CAL-002', '199.90'],
  ['CAM-002', '59.90'],
  ['CAM-001', '49.90'],
] as const;
const METHODS = ['credit_card', 'pix', 'invoice', 'marketplace'] as const;
const PLANS = [
  'open',
  'accept',
  'cancel_open',
  'accept_cancel',
  'invoice',
  'invoice_cancel',
  'pos_return',
  'reroute_accept',
] as const;
type Plan = (typeof PLANS)[number];

const cents = (m: string) => BigInt(m.replace('.', ''));
const money = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;

type Movement = { storeCode: string; account: string; amount: string };
type Entry = { kind: string; movements: Movement[] };

/**
 * Random omni flows over one app per database, and what must hold after any of them (docs/finance.md,
 * Invariants): every company's ledger sums to zero, every purchase balances and
 * paid = net sales + advance still held + customer credit + released + refunded; a retried request (same
 * Idempotency-Key) and a posting rule called again post nothing twice.
 */
describe.each(databaseKinds())('finance properties on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  const roots = new Set<string>();
  const touched: { id: string; status: string }[] = [];

  const entryCount = async () =>
    Number(
      (await rows<{ n: string }>(t.database.db, sql`select count(*)::text as n from finance_entries`))[0]!.n,
    );

  /** A mutating request sent, then retried with its Idempotency-Key: the retry changes nothing. */
  async function send(method: 'POST', url: string, auth: string, body?: unknown) {
    const headers = { 'idempotency-key': randomUUID() };
    const first = await t.request(method, url, { auth, body, headers });
    const before = await entryCount();
    const again = await t.request(method, url, { auth, body, headers });
    expect(again.status, `${url} replayed`).toBe(first.status);
    expect(await entryCount(), `${url} replayed posts nothing`).toBe(before);
    return first;
  }

  async function expectOk(res: { status: number; body: unknown }, ...statuses: number[]) {
    expect(statuses.length ? statuses : [200], JSON.stringify(res.body)).toContain(res.status);
  }

  async function toReady(id: string, ship: boolean, auth = LOJA11) {
    await expectOk(await send('POST', `/api/v1/orders/${id}/accept`, auth));
    await expectOk(await send('POST', `/api/v1/orders/${id}/transitions`, auth, { to: 'picking' }));
    const conference = await t.request('GET', `/api/v1/orders/${id}/conference`, { auth });
    if (ship || conference.body.required) await confer(t, id, auth);
    else
      await expectOk(
        await send('POST', `/api/v1/orders/${id}/transitions`, auth, { to: 'ready_for_pickup' }),
      );
  }

  /** Invoiced: an NF-e (ship) or the POS's NFC-e (pickup); the authorised document's id. */
  async function invoice(id: string, number: number, ship: boolean): Promise<string> {
    await toReady(id, ship);
    if (ship) {
      const res = await send('POST', `/api/v1/orders/${id}/invoice`, LOJA11);
      await expectOk(res);
      expect(res.body.order.status).toBe('invoiced');
      return res.body.fiscalDocument.id;
    }
    await expectOk(await send('POST', `/api/v1/pos/orders/${number}/rescue`, POS11));
    const res = await send('POST', `/api/v1/pos/orders/${number}/finish`, POS11, { customerDocument: CPF });
    await expectOk(res);
    expect(res.body.order.status).toBe('invoiced');
    return res.body.fiscalDocument.id;
  }

  const order = fc.record({
    lines: fc.subarray([0, 1, 2], { minLength: 1, maxLength: 3 }),
    ship: fc.boolean(),
    methods: fc.subarray([...METHODS], { minLength: 1, maxLength: 2 }),
    ratio: fc.integer({ min: 1, max: 99 }),
    installments: fc.integer({ min: 1, max: 3 }),
    plan: fc.constantFrom(...PLANS),
  });
  type Spec = typeof order extends fc.Arbitrary<infer T> ? T : never;

  async function run(spec: Spec) {
    const lines = spec.lines.map((i) => [SKUS[i]![0], 1, SKUS[i]![1]] as [string, number, string]);
    await restock(t, lines);
    const body = orderBody({
      lines,
      deliveryType: spec.ship ? 'ship' : 'pickup',
      freight: spec.ship ? '10.00' : undefined,
    });
    const total = lines.reduce((a, [, , p]) => a + cents(p), 0n) + (spec.ship ? 1000n : 0n);
    const first = spec.methods.length === 2 ? (total * BigInt(spec.ratio)) / 100n : total;
    const amounts = spec.methods.length === 2 ? [first, total - first] : [total];
    body.payments = spec.methods.map((method, i) => ({
      method,
      amount: money(amounts[i]!),
      installments: method === 'invoice' || method === 'credit_card' ? spec.installments : 1,
      ...(method === 'marketplace' ? { partyDocument: CNPJ_ALNUM } : {}),
    })) as typeof body.payments;
    const created = await send('POST', '/api/v1/orders', PLATFORM, body);
    await expectOk(created, 201);
    const { id, number } = created.body as { id: string; number: number };
    roots.add(id);
    touched.push({ id, status: 'any' });
    const plan: Plan = spec.plan === 'pos_return' && spec.ship ? 'invoice_cancel' : spec.plan;
    switch (plan) {
      case 'open':
        return;
      case 'accept':
        await expectOk(await send('POST', `/api/v1/orders/${id}/accept`, LOJA11));
        return;
      case 'cancel_open':
      case 'accept_cancel':
        if (plan === 'accept_cancel')
          await expectOk(await send('POST', `/api/v1/orders/${id}/accept`, LOJA11));
        await expectOk(
          await send('POST', `/api/v1/orders/${id}/transitions`, LOJA11, {
            to: 'cancelled',
            reason: 'Cliente desistiu',
          }),
        );
        return;
      case 'invoice':
        await invoice(id, number, spec.ship);
        return;
      case 'invoice_cancel': {
        const doc = await invoice(id, number, spec.ship);
        if (!spec.ship) return;
        await expectOk(
          await send('POST', `/api/v1/fiscal-documents/${doc}/cancel`, LOJA11, {
            justification: 'Cliente desistiu da compra antes do envio',
          }),
        );
        return;
      }
      case 'pos_return': {
        await invoice(id, number, false);
        const res = await send('POST', '/api/v1/pos/returns', POS11, {
          orderNumber: number,
          items: [{ sku: lines[0]![0], quantity: 1 }],
          reasonCode: '01',
          customerAddress: {
            street: 'Rua Barão de Jaguara',
            number: '900',
            district: 'Centro',
            city: 'Campinas',
            state: 'SP',
            postalCode: '13015-001',
          },
          refund: { method: 'cash' },
        });
        await expectOk(res, 201);
        return;
      }
      case 'reroute_accept': {
        const moved = lines[lines.length - 1]![0];
        await restock(t, [[moved, 1]], '3');
        const res = await send('POST', `/api/v1/orders/${id}/reroute`, LOJA11, {
          lines: [{ sku: moved, quantity: 1 }],
          storeCode: '3',
          reason: 'Sem estoque na loja',
        });
        await expectOk(res);
        const other = res.body.reroutedOrder.id as string;
        touched.push({ id: other, status: 'any' });
        if (res.body.order.status !== 'cancelled')
          await expectOk(await send('POST', `/api/v1/orders/${id}/accept`, LOJA11));
        await expectOk(await send('POST', `/api/v1/orders/${other}/accept`, LOJA3));
        return;
      }
    }
  }

  /** What must hold after any flow. */
  async function invariants() {
    const off = await rows<{ company_id: string; total: string }>(
      t.database.db,
      sql`select company_id, sum(amount)::text as total from finance_movements group by company_id having sum(amount) <> 0`,
    );
    expect(off).toEqual([]);
    for (const root of roots) {
      const res = await t.request('GET', `/api/v1/orders/${root}/finance`, { auth: ADMIN });
      expect(res.status).toBe(200);
      expect(res.body.balanced).toBe(true);
      const movements = (res.body.entries as Entry[]).flatMap((e) =>
        e.movements.map((m) => ({
          ...m,
          kind: e.kind,
          cents: cents(m.amount.replace('-', '')) * (m.amount.startsWith('-') ? -1n : 1n),
        })),
      );
      const sum = (pick: (m: (typeof movements)[number]) => boolean) =>
        movements.filter(pick).reduce((a, m) => a + m.cents, 0n);
      const paid = sum((m) => m.kind === 'acceptance' && m.account === 'receivable');
      const netSales = -sum((m) => m.account === 'sales' || m.account === 'sales_returns');
      const held = -sum((m) => m.account === 'customer_advance');
      const credit = -sum((m) => m.account === 'customer_credit');
      const released = -sum((m) => m.kind === 'advance_release' && m.account === 'receivable');
      const refunded = -sum(
        (m) =>
          m.kind === 'refund' &&
          (m.account === 'receivable' || m.account === 'cash' || m.account === 'store_credit'),
      );
      expect({ root, paid }).toEqual({ root, paid: netSales + held + credit + released + refunded });
      expect(held >= 0n && credit >= 0n && netSales >= 0n).toBe(true);
    }
  }

  it('random flows keep every ledger balanced and the purchase’s money accounted for', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(order, { minLength: 1, maxLength: 3 }), async (specs) => {
        for (const spec of specs) await run(spec);
        await invariants();
      }),
      {
        numRuns: 3,
        endOnFailure: true,
        // Every kind of flow at least once, whatever the seed.
        examples: [
          [
            [
              {
                lines: [0, 1],
                ship: false,
                methods: ['pix', 'credit_card'],
                ratio: 40,
                installments: 2,
                plan: 'pos_return',
              },
              {
                lines: [1, 2],
                ship: true,
                methods: ['invoice'],
                ratio: 50,
                installments: 3,
                plan: 'reroute_accept',
              },
              {
                lines: [0],
                ship: true,
                methods: ['credit_card', 'marketplace'],
                ratio: 70,
                installments: 3,
                plan: 'invoice_cancel',
              },
            ],
          ],
        ],
      },
    );
    // A posting rule called again (a replayed job) posts nothing twice.
    const before = await entryCount();
    for (const { id } of touched) {
      const status = (await t.request('GET', `/api/v1/orders/${id}`, { auth: ADMIN })).body.status as string;
      await transaction(t.database.db, async (tx) => {
        const p = await purchaseOf(tx, id);
        if (status === 'invoiced') await finance.onInvoiced(tx, p, id, { actor: 'test' });
        if (status === 'cancelled') await finance.onCancelled(tx, p, id, { actor: 'test', reason: null });
        if (status === 'accepted') await finance.onAccepted(tx, p, id, 'test');
        return ok(null);
      });
    }
    expect(await entryCount()).toBe(before);
    await invariants();
  }, 240_000);

  it.runIf(kind === 'server')(
    'concurrent acceptances and invoices post each entry once',
    async () => {
      // Two orders of one purchase accepted at once in two companies.
      const lines: [string, number, string][] = [
        ['CAL-002', 1, '199.90'],
        ['CAM-002', 1, '59.90'],
      ];
      await restock(t, lines);
      await restock(t, [['CAM-002', 1]], '3');
      const created = await t.request('POST', '/api/v1/orders', {
        auth: PLATFORM,
        body: orderBody({ lines, deliveryType: 'ship' }),
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const rerouted = await t.request('POST', `/api/v1/orders/${id}/reroute`, {
        auth: LOJA11,
        body: { lines: [{ sku: 'CAM-002', quantity: 1 }], storeCode: '3', reason: 'Sem estoque na loja' },
      });
      expect(rerouted.status, JSON.stringify(rerouted.body)).toBe(200);
      const other = rerouted.body.reroutedOrder.id as string;
      const accepted = await Promise.all([
        t.request('POST', `/api/v1/orders/${id}/accept`, { auth: LOJA11 }),
        t.request('POST', `/api/v1/orders/${other}/accept`, { auth: LOJA3 }),
      ]);
      expect(accepted.map((r) => r.status)).toEqual([200, 200]);
      let f = (await t.request('GET', `/api/v1/orders/${id}/finance`, { auth: ADMIN })).body;
      expect(f.balanced).toBe(true);
      expect(f.entries.filter((e: Entry) => e.kind === 'acceptance')).toHaveLength(1);
      expect(f.advance).toMatchObject({ amount: '259.80', balance: '259.80' });
      // Whichever came first raised the advance; the other company holds its own order's share.
      expect(f.advance.byCompany.map((c: { storeCode: string }) => c.storeCode).sort()).toEqual(['11', '3']);

      // Two invoice requests of one order at once.
      await t.request('POST', `/api/v1/orders/${id}/transitions`, { auth: LOJA11, body: { to: 'picking' } });
      await confer(t, id);
      const invoiced = await Promise.all([
        t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 }),
        t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 }),
      ]);
      expect(invoiced.map((r) => r.status).sort()).toEqual([200, 409]);
      f = (await t.request('GET', `/api/v1/orders/${id}/finance`, { auth: ADMIN })).body;
      expect(f.balanced).toBe(true);
      expect(f.entries.filter((e: Entry) => e.kind === 'invoice')).toHaveLength(1);
      await invariants();
    },
    120_000,
  );
});
