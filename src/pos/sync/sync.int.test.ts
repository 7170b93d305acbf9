import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ADMIN, POS11 } from '../../../test/order-fixtures.ts';
import { rows } from '../../platform/db/sql.ts';
import { encodeCursor } from './domain.ts';

/** Store 11's POS downloading through its key (seed 000 §2 Taskmanager), on each database. */
describe.each(databaseKinds())('the POS data sync on %s', (kind) => {
  let t: TestApp;
  let now = new Date('2026-12-07T12:00:00.000Z');
  const step = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };
  let store11: string;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => now });
    store11 = (await rows<{ id: string }>(t.database.db, sql`select id from nodes where code = '11'`))[0]!.id;
  }, 60_000);
  afterAll(() => t?.close());

  const poll = (type: string, query = '', headers?: Record<string, string>) =>
    t.request('GET', `/api/v1/pos/sync/${type}${query ? `?${query}` : ''}`, { auth: POS11, headers });

  /** Every page from `since` (absent: a full load), following nextCursor. */
  async function drain(type: string, since?: string, limit = 500) {
    const items: any[] = [];
    let cursor = since;
    let first: any;
    for (let i = 0; i < 100; i++) {
      const q = new URLSearchParams({ limit: String(limit), ...(cursor ? { since: cursor } : {}) });
      const res = await poll(type, q.toString());
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      first ??= res.body;
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!res.body.hasMore) break;
    }
    return { first, items, cursor: cursor! };
  }

  const priceOf = (items: any[], sku: string, scope: string) =>
    items.find((i) => i.key === sku && i.scope === scope)?.data?.price;

  let pricesCursor: string;

  it('full-loads the prices the store sees: the network’s and its own, never another store’s', async () => {
    const other = await t.request('PUT', '/api/v1/products/CAM-001/prices/8', {
      auth: ADMIN,
      body: { price: '77.77' },
    });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    const { first, items, cursor } = await drain('prices');
    expect(first.full).toBe(true);
    expect(first.dataType).toBe('prices');
    expect(priceOf(items, 'CAL-002', 'network')).toMatch(/^\d+\.\d{2}$/);
    expect(items.every((i: any) => !i.deleted && i.data.price !== '77.77')).toBe(true);
    expect(items.some((i: any) => i.data.price === '77.77')).toBe(false);
    pricesCursor = cursor;
  });

  it('pages with limit, each record once, in feed order', async () => {
    const all = await drain('prices');
    const paged = await drain('prices', undefined, 5);
    expect(paged.items.length).toBe(all.items.length);
    expect(paged.items.map((i: any) => `${i.scope}:${i.key}`)).toEqual(
      all.items.map((i: any) => `${i.scope}:${i.key}`),
    );
    expect(new Set(paged.items.map((i: any) => `${i.scope}:${i.key}`)).size).toBe(paged.items.length);
  });

  it('offers a central’s new price only once the price interval passed', async () => {
    const put = await t.request('PUT', '/api/v1/products/CAL-002/prices/SUL', {
      auth: ADMIN,
      body: { price: '149.90' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    step(30);
    const early = await poll('prices', `since=${pricesCursor}`);
    expect(early.status).toBe(200);
    expect(early.body.items).toEqual([]);
    expect(early.body.full).toBe(false);
    expect(early.body.nextAllowedAt).toBe('2026-12-07T13:00:00.000Z');
    expect(Number(early.headers['retry-after'])).toBe(30 * 60);
    step(31);
    const due = await poll('prices', `since=${pricesCursor}`);
    expect(due.status).toBe(200);
    expect(due.body.items).toEqual([
      expect.objectContaining({ key: 'CAL-002', scope: 'central', deleted: false, data: expect.anything() }),
    ]);
    expect(due.body.items[0].data.price).toBe('149.90');
    expect(due.body.nextAllowedAt).toBe(new Date(now.getTime() + 60 * 60_000).toISOString());
    pricesCursor = due.body.nextCursor;
  });

  it('gives a store in the exception list what changed at once, with no next time', async () => {
    await t.database.db.execute(sql`insert into pos_sync_exceptions (store_id, reason, expires_at, created_by)
      values (${store11}, 'Instalação do PDV', ${new Date(now.getTime() + 86_400_000).toISOString()}, 'test')`);
    const put = await t.request('PUT', '/api/v1/products/CAL-002/prices/SUL', {
      auth: ADMIN,
      body: { price: '139.90' },
    });
    expect(put.status).toBe(200);
    const res = await poll('prices', `since=${pricesCursor}`);
    expect(res.body.items.map((i: any) => i.data.price)).toEqual(['139.90']);
    expect(res.body.nextAllowedAt).toBeNull();
    pricesCursor = res.body.nextCursor;

    // Nothing new since: the poll reads and writes nothing (the store's control row stays as it was).
    const control = sql`select last_download_at, updated_at, cursor_seq from pos_sync_controls
      where store_id = ${store11} and data_type = 'prices'`;
    const [before] = await rows(t.database.db, control);
    const quiet = await poll('prices', `since=${pricesCursor}`);
    expect(quiet.body).toMatchObject({
      items: [],
      hasMore: false,
      nextAllowedAt: null,
      nextCursor: pricesCursor,
    });
    expect(await rows(t.database.db, control)).toEqual([before]);
  });

  it('sends a deactivated promotion as a tombstone', async () => {
    const loaded = await drain('campaigns');
    expect(loaded.items.length).toBeGreaterThan(0);
    const code = loaded.items[0].key;
    const promo = (await t.request('GET', `/api/v1/promotions/${code}`, { auth: ADMIN })).body;
    const off = await t.request('PATCH', `/api/v1/promotions/${code}`, {
      auth: ADMIN,
      body: { version: promo.version, active: false },
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    const next = await poll('campaigns', `since=${loaded.cursor}`);
    expect(next.body.items).toEqual([expect.objectContaining({ key: code, deleted: true, data: null })]);
    const again = await drain('campaigns');
    expect(again.items.some((i: any) => i.key === code)).toBe(false);
  });

  it('offers the central-fed types the demo seeds, and the records API writes them', async () => {
    const states = await drain('states');
    expect(states.items.map((i: any) => i.key)).toEqual(expect.arrayContaining(['SP', 'RJ', 'MG']));
    const put = await t.request('PUT', '/api/v1/pos-sync/records/sales-channels/MKT', {
      auth: ADMIN,
      body: { data: { code: 'MKT', name: 'Marketplace' } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    const channels = await drain('sales-channels');
    expect(channels.items.find((i: any) => i.key === 'MKT')?.data).toEqual({
      code: 'MKT',
      name: 'Marketplace',
    });
    const owned = await t.request('PUT', '/api/v1/pos-sync/records/prices/CAL-002', {
      auth: ADMIN,
      body: { data: { price: '1.00' } },
    });
    expect(owned.status).toBe(409);
    expect(owned.body.code).toBe('POS.SYNC_TYPE_OWNED_BY_HUB');
    const gone = await t.request('DELETE', '/api/v1/pos-sync/records/sales-channels/MKT', { auth: ADMIN });
    expect(gone.status).toBe(204);
    const after = await poll('sales-channels', `since=${channels.cursor}`);
    expect(after.body.items).toEqual([expect.objectContaining({ key: 'MKT', deleted: true })]);
  });

  it('lets the ERP feed the network or one store, and a store sees only its own', async () => {
    const erp = 'demo-erp-key';
    const forEight = await t.request('PUT', '/api/v1/pos-sync/records/kits/KIT-8', {
      auth: erp,
      body: { storeCode: '8', data: { code: 'KIT-8', items: [] } },
    });
    expect(forEight.status, JSON.stringify(forEight.body)).toBe(201);
    const forAll = await t.request('PUT', '/api/v1/pos-sync/records/kits/KIT-ALL', {
      auth: erp,
      body: { data: { code: 'KIT-ALL', items: [] } },
    });
    expect(forAll.status).toBe(201);
    const again = await t.request('PUT', '/api/v1/pos-sync/records/kits/KIT-ALL', {
      auth: erp,
      body: { data: { code: 'KIT-ALL', items: [] } },
    });
    expect(again.status).toBe(200);
    const kits = (await drain('kits')).items;
    expect(kits.map((i: any) => `${i.scope}:${i.key}`)).toEqual(['network:KIT-ALL']);
    const unknownStore = await t.request('PUT', '/api/v1/pos-sync/records/kits/KIT-X', {
      auth: erp,
      body: { storeCode: '999', data: {} },
    });
    expect(unknownStore.status).toBe(404);
  });

  it('refuses a cursor it did not issue or one ahead of the feed, and an unknown type', async () => {
    const garbage = await poll('prices', 'since=bm90LWEtY3Vyc29y');
    expect(garbage.status).toBe(422);
    expect(garbage.body.code).toBe('POS.BAD_CURSOR');
    const ahead = await poll('prices', `since=${encodeCursor({ xid: 9_000_000_000, seq: 1 })}`);
    expect(ahead.status).toBe(422);
    expect(ahead.body.code).toBe('POS.BAD_CURSOR');
    expect((await poll('prices', 'limit=0')).status).toBe(422);
    expect((await poll('prices', 'limit=2001')).status).toBe(422);
    const unknown = await poll('nonsense');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('POS.UNKNOWN_DATA_TYPE');
  });

  it('keeps each terminal’s last contact and what it holds queued', async () => {
    await poll('stock', '', { 'x-pos-terminal': 'CX-02', 'x-pos-pending-uploads': '3' });
    await t.app.close();
    const [contact] = await rows<{ pending_uploads: number }>(
      t.database.db,
      sql`select pending_uploads from pos_sync_contacts where store_id = ${store11} and terminal = 'CX-02'`,
    );
    expect(contact?.pending_uploads).toBe(3);
  });
});

describe.runIf(databaseKinds().includes('server'))('the POS data sync against concurrent writers', () => {
  let t: TestApp;
  let store11: string;
  beforeAll(async () => {
    t = await startTestApp('server');
    store11 = (await rows<{ id: string }>(t.database.db, sql`select id from nodes where code = '11'`))[0]!.id;
    await t.database.db.execute(sql`insert into pos_sync_exceptions (store_id, reason, expires_at, created_by)
      values (${store11}, 'Suporte', now() + interval '1 day', 'test')`);
  }, 60_000);
  afterAll(() => t?.close());

  it('never lets a cursor pass a record written by a transaction still open at the poll', async () => {
    const poll = (since?: string) =>
      t.request('GET', `/api/v1/pos/sync/prices${since ? `?since=${since}` : ''}`, { auth: POS11 });
    const loaded = await poll();
    expect(loaded.status).toBe(200);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${new URL(t.database.location.replace(/^postgres(ql)?:/, 'http:')).pathname.slice(1)}`;
    const writer = new pg.Client({ connectionString: url.toString() });
    await writer.connect();
    try {
      await writer.query('begin');
      await writer.query(
        `select pos_sync_put(network_id, 'prices', id, 'LATE-001', '{"sku":"LATE-001","price":"9.90"}') from nodes where id = $1`,
        [store11],
      );
      // A later transaction commits meanwhile: it may not carry the cursor past the open one.
      await t.request('PUT', '/api/v1/products/CAM-001/prices/11', { auth: ADMIN, body: { price: '55.50' } });
      const during = await poll(loaded.body.nextCursor);
      expect(during.status).toBe(200);
      expect(during.body.items.map((i: any) => i.key)).not.toContain('LATE-001');
      expect(during.body.items.map((i: any) => i.key)).not.toContain('CAM-001');
      await writer.query('commit');
      let seen: string[] = during.body.items.map((i: any) => i.key);
      let cursor = during.body.nextCursor;
      for (let i = 0; i < 5 && !seen.includes('LATE-001'); i++) {
        const next = await poll(cursor);
        seen = [...seen, ...next.body.items.map((x: any) => x.key)];
        cursor = next.body.nextCursor;
      }
      expect(seen).toContain('LATE-001');
      expect(seen).toContain('CAM-001');
    } finally {
      await writer.end();
    }
  });

  it('is not held back by a transaction left open in another database of the same server', async () => {
    const poll = (since?: string) =>
      t.request('GET', `/api/v1/pos/sync/prices${since ? `?since=${since}` : ''}`, { auth: POS11 });
    const loaded = await poll();
    expect(loaded.status).toBe(200);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/postgres';
    const elsewhere = new pg.Client({ connectionString: url.toString() });
    await elsewhere.connect();
    try {
      await elsewhere.query('begin');
      await elsewhere.query('select pg_current_xact_id()');
      await t.request('PUT', '/api/v1/products/CAM-001/prices/11', { auth: ADMIN, body: { price: '56.50' } });
      const next = await poll(loaded.body.nextCursor);
      expect(next.status).toBe(200);
      expect(next.body.items.map((i: any) => i.key)).toContain('CAM-001');
    } finally {
      await elsewhere.query('rollback');
      await elsewhere.end();
    }
  });
});
