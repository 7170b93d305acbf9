import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import {
  ADMIN,
  addDemoUsers,
  CENTRAL,
  createOrder,
  LOJA8,
  LOJA11,
  POS11,
  STAFF11,
} from '../../test/order-fixtures.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { saoPauloDay, startOfDay } from '../platform/format-br.ts';
import { countByStatus, foldStatusCounts } from './store.ts';

type Item = {
  id: string;
  number: number;
  storeCode: string;
  status: string;
  total: string;
  placedAt: string;
  allowedTransitions?: string[];
};

describe.each(databaseKinds())('the store queue on the %s database', (kind) => {
  let t: TestApp;
  const o: Record<string, { id: string; number: number }> = {};
  const day = 86_400_000;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await addDemoUsers(t);
    const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
    const make = async (name: string, storeCode: string, price: string, placedAt: string) => {
      o[name] = await createOrder(t, { storeCode, lines: [['CAM-002', 1, price]], placedAt });
    };
    await make('a', '11', '10.00', at(50_000));
    await make('b', '11', '30.00', at(40_000));
    await make('c', '11', '20.00', at(30_000));
    await make('d', '11', '40.00', at(day));
    await make('e', '11', '50.00', at(3 * day));
    await make('f', '8', '60.00', at(20_000));
    await make('g', '8', '70.00', at(10_000));
    await make('h', '3', '80.00', at(5_000));
    const move = async (name: string, auth: string, ...path: string[]) => {
      for (const to of path) {
        const res = await t.request('POST', `/api/v1/orders/${o[name]!.id}/transitions`, {
          auth,
          body: { to, reason: 'teste' },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
    };
    await move('b', LOJA11, 'accepted', 'picking');
    await move('c', LOJA11, 'accepted');
    await move('e', LOJA11, 'cancelled');
    await move('g', LOJA8, 'accepted', 'picking');
  });
  afterAll(() => t?.close());

  const list = async (query: string, auth: string) => {
    const res = await t.request('GET', `/api/v1/orders${query ? `?${query}` : ''}`, { auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: Item[]; nextCursor: string | null; totals: Record<string, number> };
  };
  const names = (items: Item[]) => items.map((i) => Object.keys(o).find((k) => o[k]!.id === i.id) ?? i.id);

  it('shows today’s open and picking orders of the user’s stores when no filter is given, newest first', async () => {
    const mine = await list('', LOJA11);
    expect(names(mine.items)).toEqual(['b', 'a']);
    expect(mine.totals).toMatchObject({ open: 1, picking: 1, accepted: 1, cancelled: 0, delivered: 0 });
    expect(Object.keys(mine.totals)).toHaveLength(10);
    expect(names((await list('', LOJA8)).items)).toEqual(['g', 'f']);
    for (const auth of [CENTRAL, ADMIN])
      expect(names((await list('', auth)).items)).toEqual(['h', 'g', 'f', 'b', 'a']);
  });

  it('answers the columns of the order screen', async () => {
    const [first] = (await list(`number=${o.a!.number}&storeCode=11`, LOJA11)).items;
    expect(first).toEqual({
      id: o.a!.id,
      number: o.a!.number,
      storeCode: '11',
      storeName: 'Loja 11 — São Paulo (e-commerce)',
      channel: 'ecommerce',
      modality: 'ecommerce',
      placedAt: expect.any(String),
      total: '10.00',
      customerDocument: '52998224725',
      deliveryType: 'pickup',
      paid: true,
      status: 'open',
      posDownloadedAt: null,
      allowedTransitions: ['accepted', 'picking', 'awaiting_stock', 'cancelled'],
      addressIssue: null,
    });
  });

  it('offers on each row exactly the changes this user may make (the row menu)', async () => {
    const allowed = async (auth: string) => {
      const page = await list('status=open&status=accepted&status=picking&status=cancelled', auth);
      return Object.fromEntries(page.items.map((i: Item) => [i.id, i.allowedTransitions]));
    };
    const manager = await allowed(LOJA11);
    expect(manager[o.a!.id]).toEqual(['accepted', 'picking', 'awaiting_stock', 'cancelled']);
    expect(manager[o.c!.id]).toEqual(['picking', 'cancelled']);
    // A pickup order in picking waits for its scan conference (TP_CONF_ACEITE_PED = 0) to be offered.
    expect(manager[o.b!.id]).toEqual(['cancelled']);
    expect(manager[o.e!.id]).toEqual([]);
    // A clerk works the order but does not cancel it.
    const clerk = await allowed(STAFF11);
    expect(clerk[o.a!.id]).toEqual(['accepted', 'picking', 'awaiting_stock']);
    expect(clerk[o.b!.id]).toEqual([]);
  });

  it('filters by statuses, number, period and stores; totals ignore the status filter', async () => {
    const open = await list('status=open', LOJA11);
    expect(names(open.items)).toEqual(['a', 'd']);
    expect(open.totals).toMatchObject({ open: 2, accepted: 1, picking: 1, cancelled: 1 });
    expect(names((await list('status=open&status=cancelled', LOJA11)).items)).toEqual(['a', 'd', 'e']);
    expect(names((await list(`number=${o.c!.number}`, LOJA11)).items)).toEqual(['c']);
    const yesterday = saoPauloDay(new Date(Date.now() - day));
    const period = await list(`from=${yesterday}&to=${yesterday}`, LOJA11);
    expect(names(period.items)).toEqual(['d']);
    expect(period.totals).toMatchObject({ open: 1, accepted: 0 });
    const lastDays = saoPauloDay(new Date(Date.now() - 4 * day));
    expect(names((await list(`from=${lastDays}`, LOJA11)).items)).toEqual(['c', 'b', 'a', 'd', 'e']);
    expect(names((await list('storeCode=8&storeCode=3', CENTRAL)).items)).toEqual(['h', 'g', 'f']);
    expect(names((await list('storeCode=8&status=picking', ADMIN)).items)).toEqual(['g']);
  });

  it('sorts by placed time, number or total, either way', async () => {
    const all = 'storeCode=11';
    expect(names((await list(`${all}&sort=placedAt`, LOJA11)).items)).toEqual(['e', 'd', 'a', 'b', 'c']);
    const byNumber = (await list(`${all}&sort=number`, LOJA11)).items.map((i) => i.number);
    expect(byNumber).toEqual([...byNumber].sort((x, y) => x - y));
    expect(names((await list(`${all}&sort=-total`, LOJA11)).items)).toEqual(['e', 'd', 'b', 'c', 'a']);
    expect(names((await list(`${all}&sort=total`, LOJA11)).items)).toEqual(['a', 'c', 'b', 'd', 'e']);
  });

  it('pages with a cursor through the same set, totals on every page', async () => {
    for (const sort of ['-placedAt', 'number', '-total']) {
      const query = `storeCode=11&storeCode=8&storeCode=3&sort=${sort}`;
      const whole = await list(query, ADMIN);
      expect(whole.items).toHaveLength(8);
      const seen: Item[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(`${query}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, ADMIN);
        expect(page.items.length).toBeLessThanOrEqual(3);
        expect(page.totals).toEqual(whole.totals);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.map((i) => i.id)).toEqual(whole.items.map((i) => i.id));
    }
  });

  it('refuses a bad cursor, a cursor of another sort and an inverted period with 422', async () => {
    const first = await list('storeCode=11&limit=1', LOJA11);
    const other = await t.request(
      'GET',
      `/api/v1/orders?storeCode=11&sort=total&cursor=${first.nextCursor}`,
      {
        auth: LOJA11,
      },
    );
    expect(other.status).toBe(422);
    for (const query of [
      'cursor=abc',
      'from=2026-03-10&to=2026-03-09',
      'from=2026-02-30',
      'number=0',
      'status=lost',
    ]) {
      const res = await t.request('GET', `/api/v1/orders?${query}`, { auth: LOJA11 });
      expect(res.status, query).toBe(422);
    }
  });

  it('keeps each store’s orders to the store, its central and the admins', async () => {
    const store8 = await t.request('GET', '/api/v1/orders?storeCode=11', { auth: LOJA8 });
    expect(store8.status).toBe(404);
    expect((await t.request('GET', `/api/v1/orders/${o.a!.id}`, { auth: LOJA8 })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/orders/${o.f!.id}`, { auth: POS11 })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/orders/${o.a!.id}`, { auth: POS11 })).status).toBe(200);
    expect((await t.request('GET', `/api/v1/orders/${o.f!.id}`, { auth: CENTRAL })).status).toBe(200);
    const all = await list('status=open&status=picking&status=accepted&status=cancelled', LOJA8);
    expect(all.items.every((i) => i.storeCode === '8')).toBe(true);
    expect((await t.request('GET', '/api/v1/orders', { auth: POS11 })).status).toBe(403);
  });

  it('counts a period from the per-day counts as the orders themselves count it, before and after a fold', async () => {
    const db = t.database.db;
    const stores = await rows<{ id: string }>(db, sql`select id from nodes where kind = 'store'`);
    const storeIds = stores.map((s) => s.id);
    const now = Date.now();
    const at = (msAgo: number) => new Date(now - msAgo);
    const dayOf = (msAgo: number) => startOfDay(saoPauloDay(at(msAgo)));
    const periods: [Date | undefined, Date | undefined][] = [
      [undefined, undefined],
      [dayOf(4 * day), undefined],
      [dayOf(day), dayOf(0)],
      // Instants: whole days between the parts of a day at each end, or no whole day at all.
      [at(2 * day), at(20_000)],
      [undefined, at(35_000)],
      [at(45_000), at(25_000)],
      [at(4 * day), undefined],
    ];
    const direct = async (from?: Date, before?: Date) => {
      const found = await rows<{ status: string; n: number }>(
        db,
        sql`select status, count(*)::int as n from orders
            where store_id = any(${`{${storeIds.join(',')}}`}::uuid[])
              ${from ? sql`and placed_at >= ${from.toISOString()}::timestamptz` : sql``}
              ${before ? sql`and placed_at < ${before.toISOString()}::timestamptz` : sql``}
            group by status`,
      );
      return Object.fromEntries(found.map((r) => [r.status, Number(r.n)]));
    };
    const check = async (when: string) => {
      for (const [from, before] of periods) {
        const counted = await countByStatus(db, { storeIds, placedFrom: from, placedBefore: before });
        expect(
          Object.fromEntries(counted),
          `${when}: ${from?.toISOString()} to ${before?.toISOString()}`,
        ).toEqual(await direct(from, before));
      }
    };
    await check('appended');
    expect(await foldStatusCounts(db)).toBeGreaterThan(0);
    await check('folded');
    // A change after the fold is counted at once, from the appended changes.
    const res = await t.request('POST', `/api/v1/orders/${o.f!.id}/transitions`, {
      auth: LOJA8,
      body: { to: 'accepted', reason: 'teste' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await check('changed after the fold');
    expect(await foldStatusCounts(db)).toBe(2);
    await check('folded again');
  });
});
