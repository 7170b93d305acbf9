import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as finance from '../src/finance/service.ts';
import { purchaseOf } from '../src/orders/purchase.ts';
import { rows, sql } from '../src/platform/db/sql.ts';
import { transaction } from '../src/platform/db/transaction.ts';
import { ok } from '../src/platform/errors.ts';
import { databaseKinds, startTestApp, type TestApp } from './harness.ts';
import {
  ADMIN,
  CNPJ_ALNUM,
  CPF,
  confer,
  LOJA8,
  LOJA11,
  orderBody,
  PLATFORM,
  POS11,
  stockOf,
} from './order-fixtures.ts';
import { restock } from './pickup-fixtures.ts';

const LOJA3 = 'loja3@demo.local';
const SKUS = [
  ['CAL-002', '199.90'],
  ['CAM-002', '59.90'],
  ['CAM-001', '49.90'],
] as const;
/** The split plan's extra line: never on store 11's shelf here, so store 8 sends it. */
const SPLIT_LINE = ['MEI-001', '39.90'] as const;
const METHODS = ['credit_card', 'pix', 'invoice', 'marketplace'] as const;
const REFUNDS = ['card_reversal', 'pix', 'cash', 'store_credit'] as const;
const PLANS = [
  'open',
  'accept',
  'cancel_open',
  'accept_cancel',
  'invoice',
  'invoice_cancel',
  'pos_return',
  'reroute_accept',
  'split',
  'reverse',
  'reroute_after',
] as const;
type Plan = (typeof PLANS)[number];

const cents = (m: string) => BigInt(m.replace('.', ''));
const money = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;

type Movement = { storeCode: string; account: string; amount: string };
type Entry = { kind: string; movements: Movement[] };

/** A purchase's money in cents, split as the invariant reads it (docs/finance.md, Invariants). */
interface Money {
  paid: bigint;
  netSales: bigint;
  held: bigint;
  credit: bigint;
  released: bigint;
  refunded: bigint;
}
const nothing: Money = { paid: 0n, netSales: 0n, held: 0n, credit: 0n, released: 0n, refunded: 0n };

/**
 * Random omni flows over one app per database, and what must hold after any of them (docs/finance.md,
 * Invariants): every company's ledger sums to zero, every purchase balances and
 * paid = net sales + advance still held + customer credit + released + refunded, each term what the flow
 * itself says it should be (so the customer's credit is what was paid less what the network kept or gave
 * back); no order holds a negative advance, nor any once invoiced or cancelled; a retried request (same
 * Idempotency-Key) and a posting rule called again post nothing twice. IN_MANTER_SALD_ADIAN is drawn per
 * run at stores 11 and 3.
 */
describe.each(databaseKinds())('finance properties on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  /** Every purchase made so far (its root order) and the money its flow should have moved. */
  const expected = new Map<string, Money>();
  /** What the platform said each payment of the purchase was (one receivable each once it is accepted). */
  const payments = new Map<string, string[]>();
  const touched: string[] = [];

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

  const accept = async (id: string, auth: string) =>
    expectOk(await send('POST', `/api/v1/orders/${id}/accept`, auth));
  const cancel = async (id: string, auth: string) =>
    expectOk(
      await send('POST', `/api/v1/orders/${id}/transitions`, auth, {
        to: 'cancelled',
        reason: 'Cliente desistiu',
      }),
    );

  async function toReady(id: string, ship: boolean, auth = LOJA11) {
    await accept(id, auth);
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

  /** One line of the order re-routed to store 3 (which gets its stock first): the new order. */
  async function reroute(id: string, sku: string) {
    await restock(t, [[sku, 1]], '3');
    const res = await send('POST', `/api/v1/orders/${id}/reroute`, LOJA11, {
      lines: [{ sku, quantity: 1 }],
      storeCode: '3',
      reason: 'Sem estoque na loja',
    });
    await expectOk(res);
    const other = res.body.reroutedOrder.id as string;
    touched.push(other);
    return { other, originalCancelled: res.body.order.status === 'cancelled' };
  }

  /** Store 11 without any of `sku` on hand to sell. */
  async function emptyAt11(sku: string) {
    const { available } = await stockOf(t, sku, '11');
    if (available <= 0) return;
    const res = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: ADMIN,
      body: { storeCode: '11', sku, quantity: -available, reason: 'Ruptura para o teste' },
    });
    await expectOk(res, 201);
  }

  const order = fc.record({
    lines: fc.subarray([0, 1, 2], { minLength: 1, maxLength: 3 }),
    ship: fc.boolean(),
    methods: fc.subarray([...METHODS], { minLength: 1, maxLength: 2 }),
    ratio: fc.integer({ min: 1, max: 99 }),
    installments: fc.integer({ min: 1, max: 3 }),
    plan: fc.constantFrom(...PLANS),
    /** After the flow, this share (ratio %) of the customer's credit, if any, is paid back this way. */
    refund: fc.option(fc.constantFrom(...REFUNDS), { nil: null }),
    /** reroute_after: the order that took the re-routed line's advance is cancelled once accepted. */
    cancelMoved: fc.boolean(),
  });
  type Spec = typeof order extends fc.Arbitrary<infer T> ? T : never;
  const flows = fc.record({
    /** IN_MANTER_SALD_ADIAN of stores 11 and 3 during the run. */
    keep: fc.record({ '11': fc.boolean(), '3': fc.boolean() }),
    orders: fc.array(order, { minLength: 1, maxLength: 3 }),
  });
  type Flows = typeof flows extends fc.Arbitrary<infer T> ? T : never;

  async function setKeep(storeCode: string, value: boolean | null) {
    const url = `/api/v1/nodes/${storeCode}/parameters/IN_MANTER_SALD_ADIAN`;
    const res =
      value === null
        ? await t.request('DELETE', url, { auth: ADMIN })
        : await t.request('PUT', url, { auth: ADMIN, body: { value } });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  }

  /** Runs one order's flow and records the money it should have moved; the purchase's root. */
  async function run(spec: Spec, keep: Flows['keep']): Promise<string> {
    const plan: Plan = spec.plan === 'pos_return' && spec.ship ? 'invoice_cancel' : spec.plan;
    // reverse ships: a pickup's reversal also needs the customer's address for the return NF-e (its own
    // case in src/pos/returns/invoice-cancellation.int.test.ts); pos_return is how a pickup sale comes back here.
    const ship = spec.ship || plan === 'reverse';
    const picked = spec.lines.map((i) => SKUS[i]!);
    // reroute_after re-routes two lines one after the other.
    if (plan === 'reroute_after' && picked.length < 2) picked.push(SKUS.find((s) => !picked.includes(s))!);
    const lines = picked.map(([sku, price]) => [sku, 1, price] as [string, number, string]);
    await restock(t, lines);
    if (plan === 'split') lines.push([SPLIT_LINE[0], 1, SPLIT_LINE[1]]);
    const body = orderBody({
      lines,
      deliveryType: ship ? 'ship' : 'pickup',
      freight: ship ? '10.00' : undefined,
    });
    const freight = ship ? 1000n : 0n;
    const total = lines.reduce((a, [, , p]) => a + cents(p), 0n) + freight;
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
    touched.push(id);
    const paid = { ...nothing, paid: total };
    const kept = (storeCode: '11' | '3', amount: bigint) =>
      keep[storeCode] ? { credit: amount } : { released: amount };
    let e: Money = nothing;
    switch (plan) {
      case 'open':
        break;
      case 'accept':
        await accept(id, LOJA11);
        e = { ...paid, held: total };
        break;
      case 'cancel_open':
        await cancel(id, LOJA11);
        break;
      case 'accept_cancel':
        await accept(id, LOJA11);
        await cancel(id, LOJA11);
        e = { ...paid, ...kept('11', total) };
        break;
      case 'invoice':
        await invoice(id, number, ship);
        e = { ...paid, netSales: total };
        break;
      case 'invoice_cancel': {
        const doc = await invoice(id, number, ship);
        e = { ...paid, netSales: total };
        if (!ship) break;
        await expectOk(
          await send('POST', `/api/v1/fiscal-documents/${doc}/cancel`, LOJA11, {
            justification: 'Cliente desistiu da compra antes do envio',
          }),
        );
        e = { ...paid, ...kept('11', total) };
        break;
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
        const returned = cents(lines[0]![2]);
        e = { ...paid, netSales: total - returned, refunded: returned };
        break;
      }
      case 'reroute_accept': {
        const { other, originalCancelled } = await reroute(id, lines.at(-1)![0]);
        if (!originalCancelled) await accept(id, LOJA11);
        await accept(other, LOJA3);
        e = { ...paid, held: total };
        break;
      }
      case 'split': {
        // Store 11 lacks the split line: store 8 sends it (accepts, transfer NF-e, 11 receives), then 11 sells.
        const [sku] = SPLIT_LINE;
        await emptyAt11(sku);
        await restock(t, [[sku, 1]], '8');
        const split = await send('POST', `/api/v1/orders/${id}/split`, LOJA11, {
          allocations: [{ sku, storeCode: '8', quantity: 1 }],
        });
        await expectOk(split);
        const request = split.body.requests[0].id as string;
        for (const [step, auth] of [
          ['accept', LOJA8],
          ['invoice', LOJA8],
          ['receive', LOJA11],
        ] as const)
          await expectOk(await send('POST', `/api/v1/stock-requests/${request}/${step}`, auth));
        await invoice(id, number, ship);
        e = { ...paid, netSales: total };
        break;
      }
      case 'reverse': {
        const doc = await invoice(id, number, true);
        // SEFAZ's window (24 h for an NF-e) is over: the sale is reversed by a return NF-e of its goods.
        await t.database.db.execute(
          sql`update fiscal_documents set authorised_at = authorised_at - interval '2 days' where id = ${doc}`,
        );
        const window = await t.request('GET', `/api/v1/orders/${id}/invoice-cancellation`, { auth: LOJA11 });
        expect(window.body).toMatchObject({ open: false, action: 'reverse_sale' });
        const res = await send('POST', `/api/v1/orders/${id}/invoice-cancellation`, LOJA11, {
          reason: 'Cliente desistiu da compra após o prazo',
        });
        await expectOk(res);
        expect(res.body.outcome).toBe('reversed');
        // The freight stays a sale.
        e = { ...paid, netSales: freight, credit: total - freight };
        break;
      }
      case 'reroute_after': {
        // Store 3 accepts the re-routed last line first: the purchase's advance is raised there. Then the
        // next line leaves the still open original too, and its share of the advance follows it (`reroute`);
        // when it was the original's last line, the freight goes with it and the original is cancelled.
        // (An accepted order's own lines are never re-routed: reserved, none is pending, 422
        // SPLIT.QUANTITY_ABOVE_PENDING; and orders' rerouteLines takes only an open order.)
        const [moved, last] = [lines.at(-2)!, lines.at(-1)!];
        const b = await reroute(id, last[0]);
        await accept(b.other, LOJA3);
        const c = await reroute(id, moved[0]);
        const share = cents(moved[2]) + (lines.length === 2 ? freight : 0n);
        expect(c.originalCancelled).toBe(lines.length === 2);
        const f = (await t.request('GET', `/api/v1/orders/${id}/finance`, { auth: ADMIN })).body;
        expect(
          (f.entries as Entry[])
            .filter((x) => x.kind === 'reroute')
            .flatMap((x) => x.movements.map((m) => [m.storeCode, m.account, m.amount]))
            .sort(),
        ).toEqual(
          [
            ['3', 'customer_advance', money(share)],
            ['3', 'customer_advance', `-${money(share)}`],
          ].sort(),
        );
        if (!c.originalCancelled) await accept(id, LOJA11);
        await accept(c.other, LOJA3);
        e = { ...paid, held: total };
        if (spec.cancelMoved) {
          await cancel(c.other, LOJA3);
          e = { ...paid, held: total - share, ...kept('3', share) };
        }
        break;
      }
    }
    if (spec.refund && e.credit > 0n) {
      const amount = (e.credit * BigInt(spec.ratio)) / 100n;
      const res = await send('POST', `/api/v1/orders/${id}/refunds`, LOJA11, {
        method: spec.refund,
        amount: money(amount),
      });
      await expectOk(res);
      e = { ...e, credit: e.credit - amount, refunded: e.refunded + amount };
    }
    expected.set(id, e);
    payments.set(id, amounts.map(money));
    return id;
  }

  /** What must hold after any flow, for the purchases `roots`. */
  async function invariants(roots: Iterable<string>) {
    const off = await rows<{ company_id: string; total: string }>(
      t.database.db,
      sql`select company_id, sum(amount)::text as total from finance_movements group by company_id having sum(amount) <> 0`,
    );
    expect(off).toEqual([]);
    // An advance is the customer's money held for an order: never negative, and none left on an order
    // invoiced (the sale settled it) or cancelled (kept as credit or released).
    const advances = await rows<{ order_id: string; status: string; held: string }>(
      t.database.db,
      sql`select m.order_id, o.status, (-sum(m.amount))::text as held
          from finance_movements m join orders o on o.id = m.order_id
          where m.account = 'customer_advance'
          group by m.order_id, o.status
          having sum(m.amount) > 0 or (o.status in ('invoiced', 'cancelled') and sum(m.amount) <> 0)`,
    );
    expect(advances).toEqual([]);
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
      const ledger: Money = {
        paid: sum((m) => m.kind === 'acceptance' && m.account === 'receivable'),
        netSales: -sum((m) => m.account === 'sales' || m.account === 'sales_returns'),
        held: -sum((m) => m.account === 'customer_advance'),
        credit: -sum((m) => m.account === 'customer_credit'),
        released: -sum((m) => m.kind === 'advance_release' && m.account === 'receivable'),
        refunded: -sum(
          (m) =>
            m.kind === 'refund' &&
            (m.account === 'receivable' || m.account === 'cash' || m.account === 'store_credit'),
        ),
      };
      const { paid, netSales, held, credit, released, refunded } = ledger;
      expect({ root, paid }).toEqual({ root, paid: netSales + held + credit + released + refunded });
      expect(Object.values(ledger).every((v) => v >= 0n)).toBe(true);
      // Each term is what the flow says: the customer's credit is what they paid less what the network
      // kept (net sales, the advance it still holds) and gave back (released to the payer, refunded).
      expect({ root, ...ledger }).toEqual({ root, ...expected.get(root) });
      expect({ root, credit: cents(res.body.creditBalance) }).toEqual({ root, credit });
      // Each payer is charged what it paid, to the cent, however the orders were re-routed or split.
      const raised = (res.body.receivables as { amount: string }[]).map((r) => r.amount);
      expect({ root, raised: raised.sort() }).toEqual({
        root,
        raised: paid > 0n ? [...payments.get(root)!].sort() : [],
      });
    }
  }

  it('random flows keep every ledger balanced and the purchase’s money accounted for', async () => {
    await fc.assert(
      fc.asyncProperty(flows, async ({ keep, orders }) => {
        await setKeep('11', keep['11']);
        await setKeep('3', keep['3']);
        try {
          const roots: string[] = [];
          for (const spec of orders) roots.push(await run(spec, keep));
          await invariants(roots);
        } finally {
          await setKeep('11', null);
          await setKeep('3', null);
        }
      }),
      {
        numRuns: 25,
        endOnFailure: true,
        // Every kind of flow at least once, whatever the seed.
        examples: [
          [
            {
              keep: { '11': false, '3': false },
              orders: [
                {
                  lines: [0, 1],
                  ship: false,
                  methods: ['pix', 'credit_card'],
                  ratio: 40,
                  installments: 2,
                  plan: 'pos_return',
                  refund: null,
                  cancelMoved: false,
                },
                {
                  lines: [1, 2],
                  ship: true,
                  methods: ['invoice'],
                  ratio: 50,
                  installments: 3,
                  plan: 'reroute_accept',
                  refund: null,
                  cancelMoved: false,
                },
                {
                  lines: [0],
                  ship: true,
                  methods: ['credit_card', 'marketplace'],
                  ratio: 70,
                  installments: 3,
                  plan: 'invoice_cancel',
                  refund: null,
                  cancelMoved: false,
                },
              ],
            },
          ],
          [
            {
              keep: { '11': true, '3': true },
              orders: [
                {
                  lines: [2],
                  ship: false,
                  methods: ['pix'],
                  ratio: 30,
                  installments: 1,
                  plan: 'split',
                  refund: null,
                  cancelMoved: false,
                },
                {
                  lines: [0, 2],
                  ship: true,
                  methods: ['credit_card', 'pix'],
                  ratio: 60,
                  installments: 2,
                  plan: 'reverse',
                  refund: 'card_reversal',
                  cancelMoved: false,
                },
                {
                  lines: [1],
                  ship: true,
                  methods: ['invoice', 'credit_card'],
                  ratio: 45,
                  installments: 2,
                  plan: 'reroute_after',
                  refund: 'store_credit',
                  cancelMoved: true,
                },
              ],
            },
          ],
        ],
      },
    );
    // A posting rule called again (a replayed job) posts nothing twice.
    const before = await entryCount();
    for (const id of touched) {
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
    await invariants(expected.keys());
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
      expected.set(id, { ...nothing, paid: 25980n, netSales: 19990n, held: 5990n });
      payments.set(id, ['259.80']);
      await invariants([id]);
    },
    120_000,
  );
});
