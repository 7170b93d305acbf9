import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import * as catalog from '../../catalog/service.ts';
import { type Database, openServer } from '../db/index.ts';
import { rows } from '../db/sql.ts';
import { type Caches, settled, startCaching } from './index.ts';

const admin = 'admin@demo.local';

describe.each(databaseKinds())('caches on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const networkId = async () =>
    (
      await rows<{ network_id: string }>(t.database.db, sql`select network_id from nodes where code = '11'`)
    )[0]!.network_id;

  it('refuses a revoked API key on the very next request', async () => {
    const created = await t.request('POST', '/api/v1/api-clients', {
      auth: admin,
      body: { name: 'Plataforma de teste', scope: 'platform', nodeCode: 'DEMO' },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const asClient = () =>
      t.request('GET', '/api/v1/products?limit=1', { headers: { authorization: `Bearer ${key}` } });
    expect((await asClient()).status).toBe(200);
    expect((await asClient()).status).toBe(200);
    const revoked = await t.request('DELETE', `/api/v1/api-clients/${created.body.id}`, { auth: admin });
    expect(revoked.status).toBeLessThan(300);
    expect((await asClient()).status).toBe(401);
  });

  it('answers a changed product at once after the change, through any path that wrote it', async () => {
    const network = await networkId();
    const before = await catalog.productsBySku(t.database.db, network, ['CAM-001']);
    expect(before[0]?.description).toBeTruthy();
    // A statement of this process outside any service: the caches still see it.
    await t.database.db.execute(
      sql`update products set description = 'Camiseta renomeada' where sku = 'CAM-001'`,
    );
    expect((await catalog.productsBySku(t.database.db, network, ['CAM-001']))[0]?.description).toBe(
      'Camiseta renomeada',
    );
    await settled(t.database.db);
    expect((await catalog.productsBySku(t.database.db, network, ['CAM-001']))[0]?.description).toBe(
      'Camiseta renomeada',
    );
    await t.database.db.execute(
      sql`update products set description = ${before[0]!.description} where sku = 'CAM-001'`,
    );
    await settled(t.database.db);
  });

  it('a parameter set through the API holds for the next order', async () => {
    // Read back through the cached values right after each change.
    const put = await t.request('PUT', '/api/v1/nodes/11/parameters/IN_BLOQ_SALDO_NEG', {
      auth: admin,
      body: { value: false },
    });
    expect(put.status).toBeLessThan(300);
    const read = await t.request('GET', '/api/v1/nodes/11/parameters/IN_BLOQ_SALDO_NEG', { auth: admin });
    expect(read.body.value).toBe(false);
    const back = await t.request('PUT', '/api/v1/nodes/11/parameters/IN_BLOQ_SALDO_NEG', {
      auth: admin,
      body: { value: true },
    });
    expect(back.status).toBeLessThan(300);
    expect(
      (await t.request('GET', '/api/v1/nodes/11/parameters/IN_BLOQ_SALDO_NEG', { auth: admin })).body.value,
    ).toBe(true);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('caches of two processes on one server', () => {
  let t: TestApp;
  let other: Database;
  let otherCaches: Caches;
  beforeAll(async () => {
    t = await startTestApp('server');
    // A second "process": its own pool and its own LISTEN on the same database.
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${(await rows<{ name: string }>(t.database.db, sql`select current_database() as name`))[0]!.name}`;
    other = await openServer(url.toString(), 2);
    otherCaches = await startCaching(other);
  });
  afterAll(async () => {
    await otherCaches?.stop();
    await other?.close();
    await t?.close();
  });

  it('drops what the other process cached once the change is acknowledged', async () => {
    const network = (
      await rows<{ network_id: string }>(other.db, sql`select network_id from nodes where code = '11'`)
    )[0]!.network_id;
    const read = async () => (await catalog.productsBySku(other.db, network, ['CAL-002']))[0]?.description;
    const original = await read();
    expect(await read()).toBe(original);
    // This process changes the product and acknowledges once its notification is back.
    await t.database.db.execute(sql`update products set description = 'Calça nova' where sku = 'CAL-002'`);
    await settled(t.database.db);
    // The other process's LISTEN backend was handed the same notification at the same commit, and delivers
    // it once the operating system schedules it: on a loaded machine that can be after this process's echo.
    await expect.poll(read, { timeout: 2_000, interval: 5 }).toBe('Calça nova');
    await t.database.db.execute(sql`update products set description = ${original} where sku = 'CAL-002'`);
  });

  it('reads uncached while its LISTEN connection is down', async () => {
    expect(otherCaches.live).toBe(true);
    await t.database.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity
           where datname = current_database() and query like 'listen %' and pid <> pg_backend_pid()`,
    );
    await expect.poll(() => otherCaches.live, { timeout: 5_000 }).toBe(false);
    await expect.poll(() => otherCaches.live, { timeout: 10_000 }).toBe(true);
  });
});
