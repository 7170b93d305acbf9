import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as finance from '../src/finance/service.ts';
import { rows, sql } from '../src/platform/db/sql.ts';
import { transaction } from '../src/platform/db/transaction.ts';
import { ok } from '../src/platform/errors.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { ADMIN, confer, LOJA11, orderBody, PLATFORM } from './order-fixtures.ts';
import { move, restock } from './pickup-fixtures.ts';
import { exited, start } from './process.ts';
import { TEST_SECRET_KEY } from './secret-key.ts';

/**
 * Several Omnihub processes against one PostgreSQL server is how Omnihub scales: correctness must come
 * from the database (row locks, constraints), never from anything one process keeps in memory.
 */
describe.runIf(process.env.DATABASE_URL)(
  'two Omnihub processes sharing one PostgreSQL server',
  { timeout: 180_000 },
  () => {
    let t: TestApp;
    let other: ReturnType<typeof start>;
    let otherUrl: string;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-multi-'));

    beforeAll(async () => {
      t = await startTestApp('server');
      // The same key as this process: the other one signs NF-es with the stores' sealed certificates too.
      other = start(dataDir, {
        DATABASE_URL: t.database.location,
        OMNIHUB_SECRET_KEY: TEST_SECRET_KEY.toString('hex'),
      });
      otherUrl = await other.url;
    });
    afterAll(async () => {
      other?.child.kill('SIGTERM');
      if (other) await exited(other.child);
      await t?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const order = (i: number) => ({
      externalId: `multi-${i}`,
      storeCode: '11',
      deliveryType: 'pickup',
      customer: {
        name: `Cliente ${i}`,
        document: '52998224725',
        email: 'c@demo.local',
        phone: '11999990000',
      },
      items: [{ sku: 'CAL-002', quantity: 1, unitPrice: '199.90' }],
      payments: [{ method: 'pix', amount: '199.90' }],
      placedAt: new Date().toISOString(),
    });

    it('64 accepts racing for 10 units across both processes: exactly 10 accepted, never oversold', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 64; i++) {
        const res = await t.request('POST', '/api/v1/orders', { auth: 'demo-platform-key', body: order(i) });
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      const token = await t.token('loja11@demo.local');
      const statuses = await Promise.all(
        ids.map(async (id, i) => {
          if (i % 2 === 0)
            return (await t.request('POST', `/api/v1/orders/${id}/accept`, { auth: token })).status;
          const res = await fetch(`${otherUrl}/api/v1/orders/${id}/accept`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          });
          return res.status;
        }),
      );
      const count = (s: number) => statuses.filter((x) => x === s).length;
      expect({
        accepted: count(200),
        refused: count(409),
        other: statuses.length - count(200) - count(409),
      }).toEqual({
        accepted: 10,
        refused: 54,
        other: 0,
      });
      const stock = await t.request('GET', '/api/v1/stock?sku=CAL-002&storeCode=11', {
        auth: 'loja11@demo.local',
      });
      expect(stock.body.items[0]).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    });

    const LOJA3 = 'loja3@demo.local';

    /** A POST through the other process, as a user of this one. */
    async function viaOther(url: string, auth: string, opts: { key?: string; body?: unknown } = {}) {
      const res = await fetch(`${otherUrl}${url}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await t.token(auth)}`,
          ...(opts.key ? { 'idempotency-key': opts.key } : {}),
          ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
      return { status: res.status, body: await res.json() };
    }

    /** A ship order of store 11 with these lines, paid by pix and card; its id. */
    async function purchase(
      lines: [string, number, string][],
      payments: { method: string; amount: string }[],
    ) {
      await restock(t, lines);
      const body = orderBody({ lines, deliveryType: 'ship', freight: '10.00' });
      body.payments = payments.map((p) => ({ ...p, installments: 2 })) as typeof body.payments;
      const created = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id as string;
    }

    /** `sku` re-routed from the order to store 3 (given the stock first); the new order's id. */
    async function reroute(id: string, sku: string) {
      await restock(t, [[sku, 1]], '3');
      const res = await t.request('POST', `/api/v1/orders/${id}/reroute`, {
        auth: LOJA11,
        body: { lines: [{ sku, quantity: 1 }], storeCode: '3', reason: 'Sem estoque na loja' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.reroutedOrder.id as string;
    }

    const waitingForLocks = async () =>
      Number(
        (
          await rows<{ n: string }>(
            t.database.db,
            sql`select count(*)::text as n from pg_locks where locktype = 'advisory' and not granted
                and database = (select oid from pg_database where datname = current_database())`,
          )
        )[0]!.n,
      );

    /**
     * The requests sent one by one while the purchase's finance is locked, each sent once the one before
     * waits for that lock; then the lock is let go and they run in that order. Reading the purchase before
     * its lock, a request would act on what it read while the one before it was still running.
     */
    async function queued<T>(root: string, requests: (() => Promise<T>)[]): Promise<T[]> {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const lock = transaction(t.database.db, async (tx) => {
        await finance.lockPurchase(tx, root);
        locked();
        await gate;
        return ok(null);
      });
      await holding;
      const answers: Promise<T>[] = [];
      for (const request of requests) {
        answers.push(request());
        const queue = answers.length;
        for (let i = 0; i < 1000 && (await waitingForLocks()) < queue; i++)
          await new Promise((resolve) => setTimeout(resolve, 10));
        expect(await waitingForLocks()).toBe(queue);
      }
      release();
      await lock;
      return Promise.all(answers);
    }

    const advances = async (root: string) =>
      Object.fromEntries(
        (
          await rows<{ order_id: string; held: string }>(
            t.database.db,
            sql`select m.order_id, (-sum(m.amount))::text as held from finance_movements m
                join finance_entries e on e.id = m.entry_id
                where e.root_order_id = ${root} and m.account = 'customer_advance' group by m.order_id`,
          )
        ).map((r) => [r.order_id, r.held]),
      );

    it('one purchase accepted and invoiced through both processes at once posts each finance entry once', async () => {
      /** The same request through this process and the other one at once, with one Idempotency-Key or none. */
      const race = async (url: string, auth: string, key?: string) => {
        const [here, there] = await Promise.all([
          t.request('POST', url, { auth, headers: key ? { 'idempotency-key': key } : {} }),
          viaOther(url, auth, { key }),
        ]);
        return [here.status, there.status];
      };
      /** With one key: the first runs, the other gets its answer replayed or 409 while it runs; without: 409. */
      const once = (statuses: number[], keyed: boolean) =>
        expect([[200, 409], ...(keyed ? [[200, 200]] : [])]).toContainEqual([...statuses].sort());

      // A purchase of two orders in two companies: store 11's, and the line it re-routed to store 3.
      const id = await purchase(
        [
          ['CAL-002', 1, '199.90'],
          ['CAM-002', 1, '59.90'],
        ],
        [
          { method: 'pix', amount: '100.00' },
          { method: 'credit_card', amount: '169.80' },
        ],
      );
      const other = await reroute(id, 'CAM-002');

      // Each order accepted through both processes, the two orders at once: one with a key, one without.
      const [keyed, bare] = await Promise.all([
        race(`/api/v1/orders/${id}/accept`, LOJA11, `accept-${id}`),
        race(`/api/v1/orders/${other}/accept`, LOJA3),
      ]);
      once(keyed!, true);
      once(bare!, false);
      await move(t, id, 'picking');
      await confer(t, id);
      await move(t, other, 'picking', LOJA3);
      await confer(t, other, LOJA3);
      const [bareInvoice, keyedInvoice] = await Promise.all([
        race(`/api/v1/orders/${id}/invoice`, LOJA11),
        race(`/api/v1/orders/${other}/invoice`, LOJA3, `invoice-${other}`),
      ]);
      once(bareInvoice!, false);
      once(keyedInvoice!, true);

      // Each event posted once: one acceptance, the advance of the second company's order brought over
      // once, one invoice per order; every company's ledger sums to zero and the whole advance settled.
      const posted = await rows<{ kind: string; n: string }>(
        t.database.db,
        sql`select kind, count(*)::text as n from finance_entries where root_order_id = ${id}
            group by kind, order_id order by kind`,
      );
      expect(posted.map((p) => [p.kind, p.n])).toEqual([
        ['acceptance', '1'],
        ['advance_transfer', '1'],
        ['invoice', '1'],
        ['invoice', '1'],
      ]);
      const off = await rows<{ company_id: string }>(
        t.database.db,
        sql`select company_id from finance_movements group by company_id having sum(amount) <> 0`,
      );
      expect(off).toEqual([]);
      const money = await t.request('GET', `/api/v1/orders/${id}/finance`, { auth: ADMIN });
      expect(money.body).toMatchObject({ balanced: true, creditBalance: '0.00' });
      expect(money.body.advance).toMatchObject({ amount: '269.80', balance: '0.00', settled: '269.80' });
      expect(money.body.receivables.map((r: { amount: string }) => r.amount).sort()).toEqual([
        '100.00',
        '169.80',
      ]);
    });

    it('an order accepted while another process cancels its sibling: the cancelled one is neither charged nor held', async () => {
      const id = await purchase(
        [
          ['CAL-002', 1, '199.90'],
          ['CAM-002', 1, '59.90'],
        ],
        [{ method: 'pix', amount: '269.80' }],
      );
      const other = await reroute(id, 'CAM-002');
      const [cancelled, accepted] = await queued(id, [
        () =>
          viaOther(`/api/v1/orders/${other}/transitions`, LOJA3, {
            body: { to: 'cancelled', reason: 'Cliente desistiu' },
          }),
        () => t.request('POST', `/api/v1/orders/${id}/accept`, { auth: LOJA11 }),
      ]);
      expect([cancelled!.status, accepted!.status]).toEqual([200, 200]);
      const money = (await t.request('GET', `/api/v1/orders/${id}/finance`, { auth: ADMIN })).body;
      expect(money.receivables.map((r: { amount: string }) => r.amount)).toEqual(['209.90']);
      expect(money.advance).toMatchObject({ amount: '209.90', balance: '209.90' });
      expect(await advances(id)).toEqual({ [id]: '209.90' });
    });

    it('an order accepted while another process re-routes a line of its sibling: the advance follows each order', async () => {
      const id = await purchase(
        [
          ['CAL-002', 1, '199.90'],
          ['CAM-002', 1, '59.90'],
          ['CAM-001', 1, '49.90'],
        ],
        [{ method: 'credit_card', amount: '319.70' }],
      );
      const other = await reroute(id, 'CAM-001');
      await restock(t, [['CAM-002', 1]], '3');
      const [rerouted, accepted] = await queued(id, [
        () =>
          viaOther(`/api/v1/orders/${id}/reroute`, LOJA11, {
            body: { lines: [{ sku: 'CAM-002', quantity: 1 }], storeCode: '3', reason: 'Sem estoque na loja' },
          }),
        () => t.request('POST', `/api/v1/orders/${other}/accept`, { auth: LOJA3 }),
      ]);
      expect([rerouted!.status, accepted!.status]).toEqual([200, 200]);
      const moved = rerouted!.body.reroutedOrder.id as string;
      expect(await advances(id)).toEqual({ [id]: '209.90', [other]: '49.90', [moved]: '59.90' });
    });
  },
);
