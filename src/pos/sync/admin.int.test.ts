import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ADMIN, addDemoUsers, CENTRAL, LOJA8, LOJA11, POS11, STAFF11 } from '../../../test/order-fixtures.ts';
import { rows, sql } from '../../platform/db/sql.ts';
import { posUploadRejections } from '../uploads/schema.ts';
import { posSyncContacts, posSyncControls } from './schema.ts';

const MINUTE = 60_000;

describe.each(databaseKinds())('PDV sync administration on the %s database', (kind) => {
  let t: TestApp;
  let store11: { id: string; networkId: string };
  let store8: { id: string; networkId: string };
  let rejection11: string;
  let rejection8: string;

  const nodeOf = async (code: string) => {
    const [row] = await rows<{ id: string; network_id: string }>(
      t.database.db,
      sql`select id, network_id from nodes where code = ${code}`,
    );
    return { id: row!.id, networkId: row!.network_id };
  };
  const auditActions = async () => {
    const log = await t.request('GET', '/api/v1/audit-events?limit=100', { auth: ADMIN });
    expect(log.status).toBe(200);
    return (log.body.items as { action: string; target: { type: string; id: string } }[]).filter((e) =>
      e.target.type.startsWith('pos_'),
    );
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    await addDemoUsers(t);
    store11 = await nodeOf('11');
    store8 = await nodeOf('8');
    const db = t.database.db;
    const now = Date.now();
    // What the poll (slice sync) and the uploads (slice uploads) write: two terminals of store 11.
    await db.insert(posSyncContacts).values([
      {
        storeId: store11.id,
        terminal: 'caixa-1',
        lastContactAt: new Date(now - 2 * MINUTE),
        pendingUploads: 3,
      },
      {
        storeId: store11.id,
        terminal: 'caixa-2',
        lastContactAt: new Date(now - 30 * MINUTE),
        pendingUploads: 1,
      },
    ]);
    await db.insert(posSyncControls).values([
      { storeId: store11.id, dataType: 'prices', lastDownloadAt: new Date(now - 5 * MINUTE), records: 120 },
      { storeId: store11.id, dataType: 'stock', lastDownloadAt: new Date(now - 3 * MINUTE), records: 40 },
    ]);
    const [r11] = await db
      .insert(posUploadRejections)
      .values({
        networkId: store11.networkId,
        storeId: store11.id,
        terminal: 'caixa-1',
        sequence: 7,
        kind: 'sale',
        posId: 'V-7',
        code: 'POS.UNKNOWN_PRODUCT',
        message: 'The product XYZ is not in the catalog.',
        details: { errors: [{ path: '/items/0/sku', code: 'POS.UNKNOWN_PRODUCT', message: 'unknown' }] },
      })
      .returning();
    const [r8] = await db
      .insert(posUploadRejections)
      .values({
        networkId: store8.networkId,
        storeId: store8.id,
        terminal: 'caixa-1',
        sequence: 1,
        kind: 'customer',
        posId: 'C-1',
        code: 'POS.INVALID_DOCUMENT',
        message: 'The CPF is not valid.',
      })
      .returning();
    rejection11 = r11!.id;
    rejection8 = r8!.id;
  });
  afterAll(() => t?.close());

  it('lists every data type with the seed’s minutes and resolves store → network → default', async () => {
    const initial = await t.request('GET', '/api/v1/pos-sync/data-types', { auth: LOJA11 });
    expect(initial.status).toBe(200);
    const prices = initial.body.items.find((i: { dataType: string }) => i.dataType === 'prices');
    expect(prices).toEqual({
      dataType: 'prices',
      seedName: 'Preco',
      seedMinutes: 60,
      defaultMinutes: 60,
      minutes: 60,
      from: 'default',
      source: 'hub',
    });

    const network = await t.request('PUT', '/api/v1/pos-sync/intervals/prices', {
      auth: ADMIN,
      body: { minutes: 30 },
    });
    expect(network.status, JSON.stringify(network.body)).toBe(200);
    expect(network.body).toMatchObject({ minutes: 30, from: 'network' });
    const own = await t.request('PUT', '/api/v1/pos-sync/intervals/prices', {
      auth: ADMIN,
      body: { minutes: 15, storeCode: '11' },
    });
    expect(own.body).toMatchObject({ minutes: 15, from: 'store' });
    const again = await t.request('PUT', '/api/v1/pos-sync/intervals/prices', {
      auth: ADMIN,
      body: { minutes: 20, storeCode: '11' },
    });
    expect(again.body).toMatchObject({ minutes: 20, from: 'store' });

    const for11 = await t.request('GET', '/api/v1/pos-sync/data-types?storeCode=11', { auth: LOJA11 });
    expect(for11.body.items.find((i: { dataType: string }) => i.dataType === 'prices')).toMatchObject({
      minutes: 20,
      from: 'store',
    });
    const for8 = await t.request('GET', '/api/v1/pos-sync/data-types?storeCode=8', { auth: ADMIN });
    expect(for8.body.items.find((i: { dataType: string }) => i.dataType === 'prices')).toMatchObject({
      minutes: 30,
      from: 'network',
    });

    const back = await t.request('DELETE', '/api/v1/pos-sync/intervals/prices?storeCode=11', { auth: ADMIN });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ minutes: 30, from: 'network' });
    const reset = await t.request('DELETE', '/api/v1/pos-sync/intervals/prices', { auth: ADMIN });
    expect(reset.body).toMatchObject({ minutes: 60, from: 'default' });

    const actions = (await auditActions()).filter((e) => e.target.type === 'pos_sync_interval');
    expect(actions.map((e) => `${e.action} ${e.target.id}`).reverse()).toEqual([
      'pos_sync_interval.updated prices',
      'pos_sync_interval.updated 11/prices',
      'pos_sync_interval.updated 11/prices',
      'pos_sync_interval.removed 11/prices',
      'pos_sync_interval.removed prices',
    ]);
  });

  it('refuses bad intervals, unknown types, and writes from store roles or a central on the network', async () => {
    const tooLong = await t.request('PUT', '/api/v1/pos-sync/intervals/prices', {
      auth: ADMIN,
      body: { minutes: 10081 },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors[0]).toMatchObject({ path: '/minutes', code: 'VALIDATION.MAXIMUM' });
    const negative = await t.request('PUT', '/api/v1/pos-sync/intervals/prices', {
      auth: ADMIN,
      body: { minutes: -1 },
    });
    expect(negative.status).toBe(422);
    const fraction = await t.request('PUT', '/api/v1/pos-sync/intervals/prices', {
      auth: ADMIN,
      body: { minutes: 1.5 },
    });
    expect(fraction.status).toBe(422);
    const unknown = await t.request('PUT', '/api/v1/pos-sync/intervals/nope', {
      auth: ADMIN,
      body: { minutes: 5 },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('POS.UNKNOWN_DATA_TYPE');
    const unseen = await t.request('PUT', '/api/v1/pos-sync/intervals/prices', {
      auth: ADMIN,
      body: { minutes: 5, storeCode: '999' },
    });
    expect(unseen.status).toBe(404);
    for (const auth of [LOJA11, STAFF11, POS11]) {
      const res = await t.request('PUT', '/api/v1/pos-sync/intervals/prices', {
        auth,
        body: { minutes: 5, storeCode: '11' },
      });
      expect(res.status).toBe(403);
    }
    const central = await t.request('PUT', '/api/v1/pos-sync/intervals/prices', {
      auth: CENTRAL,
      body: { minutes: 5 },
    });
    expect(central.status).toBe(403);
    expect(central.body.code).toBe('POS.SYNC_NETWORK_INTERVAL_FORBIDDEN');
    const centralStore = await t.request('PUT', '/api/v1/pos-sync/intervals/stock', {
      auth: CENTRAL,
      body: { minutes: 5, storeCode: '8' },
    });
    expect(centralStore.status).toBe(200);
    expect(centralStore.body).toMatchObject({ minutes: 5, from: 'store' });
  });

  it('lists the stores one sees with terminals, pending and refused uploads; a store without contact too', async () => {
    const admin = await t.request('GET', '/api/v1/pos-sync/stores', { auth: ADMIN });
    expect(admin.status).toBe(200);
    expect(admin.body.items.map((i: { store: { code: string } }) => i.store.code)).toEqual(['3', '8', '11']);
    const s11 = admin.body.items.find((i: { store: { code: string } }) => i.store.code === '11');
    expect(s11).toMatchObject({
      pendingUploads: 4,
      refusedUploads: 1,
      exception: null,
      terminals: [
        { terminal: 'caixa-1', pendingUploads: 3 },
        { terminal: 'caixa-2', pendingUploads: 1 },
      ],
    });
    expect(new Date(s11.lastContactAt).getTime()).toBeGreaterThan(Date.now() - 3 * MINUTE);
    expect(s11.staleTypes).not.toContain('prices');
    expect(s11.staleTypes).toContain('products');
    const s3 = admin.body.items.find((i: { store: { code: string } }) => i.store.code === '3');
    expect(s3).toMatchObject({ lastContactAt: null, terminals: [], pendingUploads: 0, refusedUploads: 0 });

    const page1 = await t.request('GET', '/api/v1/pos-sync/stores?limit=2', { auth: ADMIN });
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toBeTruthy();
    const page2 = await t.request('GET', `/api/v1/pos-sync/stores?limit=2&cursor=${page1.body.nextCursor}`, {
      auth: ADMIN,
    });
    expect(page2.body.items.map((i: { store: { code: string } }) => i.store.code)).toEqual(['11']);
    expect(page2.body.nextCursor).toBeNull();

    const search = await t.request('GET', '/api/v1/pos-sync/stores?q=campinas', { auth: ADMIN });
    expect(search.body.items.map((i: { store: { code: string } }) => i.store.code)).toEqual(['8']);

    const loja = await t.request('GET', '/api/v1/pos-sync/stores', { auth: LOJA11 });
    expect(loja.body.items.map((i: { store: { code: string } }) => i.store.code)).toEqual(['11']);
    const bad = await t.request('GET', '/api/v1/pos-sync/stores?cursor=xyz', { auth: ADMIN });
    expect(bad.status).toBe(422);
    const pos = await t.request('GET', '/api/v1/pos-sync/stores', { auth: POS11 });
    expect(pos.status).toBe(403);
  });

  it('shows a store’s downloads with the next allowed time, and hides the stores one does not see', async () => {
    const res = await t.request('GET', '/api/v1/pos-sync/stores/11', { auth: STAFF11 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.downloads).toHaveLength(31);
    const prices = res.body.downloads.find((d: { dataType: string }) => d.dataType === 'prices');
    expect(prices).toMatchObject({ minutes: 60, from: 'default', records: 120, due: false, stale: false });
    expect(new Date(prices.nextAllowedAt).getTime() - new Date(prices.lastDownloadAt).getTime()).toBe(
      60 * MINUTE,
    );
    const products = res.body.downloads.find((d: { dataType: string }) => d.dataType === 'products');
    expect(products).toMatchObject({ lastDownloadAt: null, nextAllowedAt: null, due: true, stale: true });
    expect(res.body.rejections).toEqual([
      expect.objectContaining({ id: rejection11, kind: 'sale', code: 'POS.UNKNOWN_PRODUCT', sequence: 7 }),
    ]);

    expect((await t.request('GET', '/api/v1/pos-sync/stores/8', { auth: LOJA11 })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/pos-sync/stores/8', { auth: CENTRAL })).status).toBe(200);
  });

  it('flags a full load for one type or all, creating the controls a store lacks (audited)', async () => {
    const one = await t.request('POST', '/api/v1/pos-sync/stores/11/full-load', {
      auth: ADMIN,
      body: { dataType: 'prices' },
    });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body).toEqual({ storeCode: '11', dataTypes: ['prices'] });
    let detail = await t.request('GET', '/api/v1/pos-sync/stores/11', { auth: ADMIN });
    const flagged = detail.body.downloads.filter((d: { fullLoadRequested: boolean }) => d.fullLoadRequested);
    expect(flagged.map((d: { dataType: string }) => d.dataType)).toEqual(['prices']);
    expect(flagged[0]).toMatchObject({ nextAllowedAt: null, due: true, records: 120 });

    const all = await t.request('POST', '/api/v1/pos-sync/stores/3/full-load', { auth: ADMIN, body: {} });
    expect(all.status).toBe(200);
    expect(all.body.dataTypes).toHaveLength(31);
    detail = await t.request('GET', '/api/v1/pos-sync/stores/3', { auth: ADMIN });
    expect(detail.body.downloads.every((d: { fullLoadRequested: boolean }) => d.fullLoadRequested)).toBe(
      true,
    );

    const unknown = await t.request('POST', '/api/v1/pos-sync/stores/11/full-load', {
      auth: ADMIN,
      body: { dataType: 'nope' },
    });
    expect(unknown.status).toBe(422);
    const staff = await t.request('POST', '/api/v1/pos-sync/stores/11/full-load', {
      auth: STAFF11,
      body: {},
    });
    expect(staff.status).toBe(403);
    const unseen = await t.request('POST', '/api/v1/pos-sync/stores/999/full-load', {
      auth: ADMIN,
      body: {},
    });
    expect(unseen.status).toBe(404);

    const actions = (await auditActions()).filter((e) => e.target.type === 'pos_sync_control');
    expect(actions.map((e) => `${e.action} ${e.target.id}`).reverse()).toEqual([
      'pos_sync_control.full_load_requested 11/prices',
      'pos_sync_control.full_load_requested 3',
    ]);
  });

  it('adds one exception per store within 30 days, lists and removes it (audited)', async () => {
    const inADay = new Date(Date.now() + 24 * 60 * MINUTE).toISOString();
    const invalid = await t.request('POST', '/api/v1/pos-sync/exceptions', {
      auth: ADMIN,
      body: { storeCode: '11', reason: '   ab   ', expiresAt: new Date(Date.now() - MINUTE).toISOString() },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)).toEqual([
      '/reason POS.SYNC_EXCEPTION_REASON_LENGTH',
      '/expiresAt POS.SYNC_EXCEPTION_EXPIRY_PAST',
    ]);
    const tooFar = await t.request('POST', '/api/v1/pos-sync/exceptions', {
      auth: ADMIN,
      body: {
        storeCode: '11',
        reason: 'Instalação do PDV',
        expiresAt: new Date(Date.now() + 31 * 24 * 60 * MINUTE).toISOString(),
      },
    });
    expect(tooFar.status).toBe(422);
    expect(tooFar.body.errors[0].code).toBe('POS.SYNC_EXCEPTION_EXPIRY_TOO_FAR');
    const short = await t.request('POST', '/api/v1/pos-sync/exceptions', {
      auth: ADMIN,
      body: { storeCode: '11', reason: 'abc', expiresAt: inADay },
    });
    expect(short.status).toBe(422);
    const staff = await t.request('POST', '/api/v1/pos-sync/exceptions', {
      auth: LOJA11,
      body: { storeCode: '11', reason: 'Instalação do PDV', expiresAt: inADay },
    });
    expect(staff.status).toBe(403);

    const created = await t.request('POST', '/api/v1/pos-sync/exceptions', {
      auth: ADMIN,
      body: { storeCode: '11', reason: 'Instalação do PDV', expiresAt: inADay },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ reason: 'Instalação do PDV', store: { code: '11' } });
    const twice = await t.request('POST', '/api/v1/pos-sync/exceptions', {
      auth: ADMIN,
      body: { storeCode: '11', reason: 'De novo, por favor', expiresAt: inADay },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('POS.SYNC_EXCEPTION_EXISTS');

    const list = await t.request('GET', '/api/v1/pos-sync/exceptions', { auth: LOJA11 });
    expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([created.body.id]);
    expect((await t.request('GET', '/api/v1/pos-sync/exceptions', { auth: LOJA8 })).body.items).toEqual([]);
    const detail = await t.request('GET', '/api/v1/pos-sync/stores/11', { auth: ADMIN });
    expect(detail.body.exception.id).toBe(created.body.id);
    expect(
      detail.body.downloads.every((d: { nextAllowedAt: string | null }) => d.nextAllowedAt === null),
    ).toBe(true);

    // An expired exception gives its place to a new one.
    await t.database.db.execute(
      sql`update pos_sync_exceptions set expires_at = now() - interval '1 minute' where id = ${created.body.id}`,
    );
    const replaced = await t.request('POST', '/api/v1/pos-sync/exceptions', {
      auth: ADMIN,
      body: { storeCode: '11', reason: 'Suporte: troca de servidor', expiresAt: inADay },
    });
    expect(replaced.status).toBe(201);
    expect(replaced.body.id).not.toBe(created.body.id);

    const staffDelete = await t.request('DELETE', `/api/v1/pos-sync/exceptions/${replaced.body.id}`, {
      auth: LOJA11,
    });
    expect(staffDelete.status).toBe(403);
    const removed = await t.request('DELETE', `/api/v1/pos-sync/exceptions/${replaced.body.id}`, {
      auth: ADMIN,
    });
    expect(removed.status).toBe(204);
    const gone = await t.request('DELETE', `/api/v1/pos-sync/exceptions/${replaced.body.id}`, {
      auth: ADMIN,
    });
    expect(gone.status).toBe(404);
    expect((await t.request('GET', '/api/v1/pos-sync/exceptions', { auth: ADMIN })).body.items).toEqual([]);

    const actions = (await auditActions()).filter((e) => e.target.type === 'pos_sync_exception');
    expect(actions.map((e) => e.action).reverse()).toEqual([
      'pos_sync_exception.created',
      'pos_sync_exception.created',
      'pos_sync_exception.removed',
    ]);
  });

  it('lists refused uploads of the stores one sees and resolves them once (audited)', async () => {
    const admin = await t.request('GET', '/api/v1/pos-sync/rejections', { auth: ADMIN });
    expect(admin.status).toBe(200);
    expect(admin.body.items.map((r: { id: string }) => r.id).sort()).toEqual(
      [rejection11, rejection8].sort(),
    );
    const page1 = await t.request('GET', '/api/v1/pos-sync/rejections?limit=1', { auth: ADMIN });
    const page2 = await t.request(
      'GET',
      `/api/v1/pos-sync/rejections?limit=1&cursor=${page1.body.nextCursor}`,
      {
        auth: ADMIN,
      },
    );
    expect([page1.body.items[0].id, page2.body.items[0].id].sort()).toEqual([rejection11, rejection8].sort());
    expect(page2.body.nextCursor).toBeNull();
    const loja = await t.request('GET', '/api/v1/pos-sync/rejections', { auth: LOJA11 });
    expect(loja.body.items.map((r: { id: string }) => r.id)).toEqual([rejection11]);
    expect((await t.request('GET', '/api/v1/pos-sync/rejections?storeCode=8', { auth: LOJA11 })).status).toBe(
      404,
    );

    expect(
      (await t.request('POST', `/api/v1/pos-sync/rejections/${rejection11}/resolve`, { auth: LOJA11 }))
        .status,
    ).toBe(403);
    const resolved = await t.request('POST', `/api/v1/pos-sync/rejections/${rejection11}/resolve`, {
      auth: ADMIN,
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.resolvedAt).toBeTruthy();
    const again = await t.request('POST', `/api/v1/pos-sync/rejections/${rejection11}/resolve`, {
      auth: ADMIN,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('POS.REJECTION_ALREADY_RESOLVED');

    expect(
      (await t.request('GET', '/api/v1/pos-sync/rejections?storeCode=11', { auth: ADMIN })).body.items,
    ).toEqual([]);
    const done = await t.request('GET', '/api/v1/pos-sync/rejections?storeCode=11&state=resolved', {
      auth: ADMIN,
    });
    expect(done.body.items.map((r: { id: string }) => r.id)).toEqual([rejection11]);
    const list = await t.request('GET', '/api/v1/pos-sync/stores?q=11', { auth: ADMIN });
    expect(list.body.items[0].refusedUploads).toBe(0);

    const actions = (await auditActions()).filter((e) => e.target.type === 'pos_upload_rejection');
    expect(actions.map((e) => `${e.action} ${e.target.id}`)).toEqual([
      `pos_upload_rejection.resolved ${rejection11}`,
    ]);
  });
});
