import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { rows } from '../platform/db/sql.ts';
import * as connector from './service.ts';

const admin = 'admin@demo.local';
const mapping = (kind: string, code: string) => `/api/v1/connectors/vtex/mappings/${kind}/${code}`;

describe.each(databaseKinds())('platform code mappings on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('maps SKUs, stores and payment systems; names nothing unknown; audits each change', async () => {
    const sku = await t.request('PUT', mapping('sku', 'VTEX-REF-1'), {
      auth: admin,
      body: { internalCode: 'CAM-001' },
    });
    expect(sku.status, JSON.stringify(sku.body)).toBe(200);
    expect(sku.body).toMatchObject({
      platform: 'vtex',
      kind: 'sku',
      externalCode: 'VTEX-REF-1',
      internalCode: 'CAM-001',
    });
    const store = await t.request('PUT', mapping('store', 'pickup-centro'), {
      auth: admin,
      body: { internalCode: '11' },
    });
    expect(store.status).toBe(200);
    const pay = await t.request('PUT', mapping('payment', 'Visa'), {
      auth: admin,
      body: { internalCode: 'credit_card' },
    });
    expect(pay.status).toBe(200);

    const refused = await Promise.all([
      t.request('PUT', mapping('sku', 'X'), { auth: admin, body: { internalCode: 'NO-SUCH' } }),
      t.request('PUT', mapping('store', 'X'), { auth: admin, body: { internalCode: '999' } }),
      t.request('PUT', mapping('payment', 'X'), { auth: admin, body: { internalCode: 'cash' } }),
      t.request('PUT', mapping('colour', 'X'), { auth: admin, body: { internalCode: 'x' } }),
      t.request('PUT', mapping('sku', 'X'), { auth: admin, body: { internalCode: '' } }),
    ]);
    expect(refused.map((r) => r.status)).toEqual([422, 422, 422, 422, 422]);
    expect(refused[0]!.body.errors[0]).toMatchObject({
      path: '/internalCode',
      code: 'CONNECTOR.UNKNOWN_TARGET',
    });

    const listed = await t.request('GET', '/api/v1/connectors/vtex/mappings?kind=sku', { auth: admin });
    expect(listed.body.items.map((m: { externalCode: string }) => m.externalCode)).toEqual(['VTEX-REF-1']);
    expect(
      (await t.request('GET', '/api/v1/connectors/nuvemshop/mappings', { auth: admin })).body.items,
    ).toEqual([]);

    // The adapters' look-up: mapped codes, then the fallback (the identity for SKUs), else missing.
    const [root] = await rows<{ id: string }>(
      t.database.db,
      sql`select id from nodes where parent_id is null`,
    );
    const networkId = root!.id;
    const mapped = await connector.mapCodes(
      t.database.db,
      networkId,
      'vtex',
      'sku',
      ['VTEX-REF-1', 'CAM-002'],
      (c) => c,
    );
    expect([...mapped]).toEqual([
      ['VTEX-REF-1', 'CAM-001'],
      ['CAM-002', 'CAM-002'],
    ]);
    const strict = await connector.mapCodes(t.database.db, networkId, 'vtex', 'store', [
      'pickup-centro',
      'outro',
    ]);
    expect([...strict]).toEqual([['pickup-centro', '11']]);

    expect((await t.request('DELETE', mapping('sku', 'VTEX-REF-1'), { auth: admin })).status).toBe(204);
    expect((await t.request('DELETE', mapping('sku', 'VTEX-REF-1'), { auth: admin })).status).toBe(404);
    const events = await t.request('GET', '/api/v1/audit-events?target=connector_mapping', { auth: admin });
    expect(events.status).toBe(200);
  });
});
