import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness.ts';
import { enqueue } from '../platform/jobs/service.ts';
import { eanCheckDigit } from './domain.ts';

const ADMIN = 'admin@demo.local';
const PLATFORM = 'demo-platform-key';
const POS = 'demo-pos-11';
const skusOf = (body: { items: { sku: string }[] }) => body.items.map((p) => p.sku);
const ean = (n: number) => {
  const body = `7890000${String(n).padStart(5, '0')}`;
  return `${body}${eanCheckDigit(body)}`;
};

describe.each(databaseKinds())('catalog on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    const staff = await t.request('POST', '/api/v1/users', {
      auth: ADMIN,
      body: {
        email: 'staff11@demo.local',
        name: 'Staff 11',
        password: TEST_PASSWORD,
        role: 'store_staff',
        nodeCode: '11',
      },
    });
    expect(staff.status).toBe(201);
  });
  afterAll(() => t?.close());

  const get = (url: string, auth = ADMIN) => t.request('GET', url, { auth });

  it('pages through the whole catalogue by SKU and filters it', async () => {
    const seen: string[] = [];
    let url = '/api/v1/products?limit=10';
    for (;;) {
      const page = await get(url);
      expect(page.status).toBe(200);
      seen.push(...skusOf(page.body));
      if (!page.body.nextCursor) break;
      url = `/api/v1/products?limit=10&cursor=${page.body.nextCursor}`;
    }
    expect(seen.length).toBeGreaterThanOrEqual(22);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toContain('CAM-001');

    expect(skusOf((await get('/api/v1/products?integratesEcommerce=false')).body)).toEqual([
      'CAL-003',
      'CHI-001',
      'MOC-001',
      'PIJ-001',
    ]);
    expect(
      skusOf((await get('/api/v1/products?integratesEcommerce=true&activeEcommerce=false')).body),
    ).toEqual(['CAM-004', 'JAQ-001']);
    expect(skusOf((await get('/api/v1/products?active=false')).body)).toEqual(['SAN-001']);
    expect(skusOf((await get('/api/v1/products?q=camiseta%20b')).body)).toEqual(['CAM-001', 'CAM-002']);
    expect(skusOf((await get('/api/v1/products?q=7896012010921')).body)).toEqual(['CAL-002']);
    expect(skusOf((await get('/api/v1/products?q=100%25')).body)).toEqual([]);
    expect(skusOf((await get('/api/v1/products?sku=CAL-002&sku=CAM-001&sku=NOPE')).body)).toEqual([
      'CAL-002',
      'CAM-001',
    ]);
    expect((await get('/api/v1/products?cursor=not-a-cursor')).status).toBe(422);
  });

  it('shows the platform only products enabled for the e-commerce, and 404 for the others', async () => {
    const list = await get('/api/v1/products?limit=200', PLATFORM);
    expect(list.status).toBe(200);
    const skus = skusOf(list.body);
    expect(skus).toContain('CAM-001');
    expect(skus).toContain('CAL-002');
    for (const hidden of ['CAM-004', 'CAL-003', 'SAN-001', 'CHI-001']) expect(skus).not.toContain(hidden);
    expect(list.body.items.every((p: { ecommerceEnabled: boolean }) => p.ecommerceEnabled)).toBe(true);
    expect((await get('/api/v1/products?active=false', PLATFORM)).body.items).toEqual([]);

    expect((await get('/api/v1/products/CAM-001', PLATFORM)).body).toMatchObject({
      sku: 'CAM-001',
      price: '59.90',
    });
    const hidden = await get('/api/v1/products/CAM-004', PLATFORM);
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('CATALOG.PRODUCT_NOT_FOUND');
    expect((await get('/api/v1/products/CAM-004')).status).toBe(200);
    expect((await get('/api/v1/products/CAM-004', POS)).status).toBe(200);
  });

  it('prices a product per store: store override, then central, then the network default', async () => {
    const at = async (query: string, auth = ADMIN) =>
      (await get(`/api/v1/products/CAL-002${query}`, auth)).body;
    expect(await at('')).toMatchObject({ price: '199.90', defaultPrice: '199.90', priceSource: 'network' });
    expect(await at('?storeCode=8')).toMatchObject({
      price: '179.90',
      priceSource: 'store',
      priceNodeCode: '8',
    });
    expect(await at('?storeCode=11')).toMatchObject({
      price: '189.90',
      priceSource: 'central',
      priceNodeCode: 'SUL',
    });
    expect(await at('', 'loja11@demo.local')).toMatchObject({ price: '189.90', priceSource: 'central' });
    expect(await at('', POS)).toMatchObject({ price: '189.90' });
    const list = await get('/api/v1/products?sku=CAL-002&sku=CAM-001&storeCode=3');
    expect(list.body.items.map((p: { price: string }) => p.price)).toEqual(['189.90', '64.90']);
    const sibling = await get('/api/v1/products/CAL-002?storeCode=8', 'loja11@demo.local');
    expect(sibling.status).toBe(422);
    expect(sibling.body.errors).toEqual([
      { path: '/storeCode', code: 'CATALOG.STORE_NOT_VISIBLE', message: 'is not a store visible to you' },
    ]);

    const put = await t.request('PUT', '/api/v1/products/CAM-001/prices/11', {
      auth: ADMIN,
      body: { price: '54.90' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      price: '54.90',
      priceSource: 'store',
      priceNodeCode: '11',
      defaultPrice: '59.90',
    });
    expect((await get('/api/v1/products/CAM-001', PLATFORM)).body.price).toBe('59.90');
    expect((await get('/api/v1/products/CAM-001?storeCode=11', PLATFORM)).body.price).toBe('54.90');
    const sheet = (await get('/api/v1/products/CAM-001/prices')).body;
    expect(
      sheet.overrides.map((o: { nodeCode: string; price: string }) => `${o.nodeCode}=${o.price}`),
    ).toEqual(['11=54.90', '3=64.90']);
    expect((await get('/api/v1/products/CAM-001/prices', 'loja11@demo.local')).body.overrides).toHaveLength(
      1,
    );

    expect((await t.request('DELETE', '/api/v1/products/CAM-001/prices/11', { auth: ADMIN })).status).toBe(
      204,
    );
    expect((await t.request('DELETE', '/api/v1/products/CAM-001/prices/11', { auth: ADMIN })).status).toBe(
      404,
    );
    expect((await get('/api/v1/products/CAM-001?storeCode=11')).body.price).toBe('59.90');

    const root = await t.request('PUT', '/api/v1/products/CAM-001/prices/DEMO', {
      auth: ADMIN,
      body: { price: '1.00' },
    });
    expect(root.status).toBe(422);
    const asNumber = await t.request('PUT', '/api/v1/products/CAM-001/prices/11', {
      auth: ADMIN,
      body: { price: 54.9 },
    });
    expect(asNumber.status).toBe(422);
    expect(asNumber.body.errors[0].path).toBe('/price');
  });

  it('registers a product, refusing bad EAN/NCM (422), money as a number (422) and duplicates (409)', async () => {
    const body = {
      sku: 'REG-001',
      ean: ean(1),
      description: 'Regata algodão branca M',
      ncm: '6109.10.00',
      price: '39.90',
      integratesEcommerce: true,
    };
    const created = await t.request('POST', '/api/v1/products', { auth: ADMIN, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      sku: 'REG-001',
      ncm: '61091000',
      unit: 'UN',
      version: 1,
      ecommerceEnabled: false,
    });

    const bad = await t.request('POST', '/api/v1/products', {
      auth: ADMIN,
      body: {
        ...body,
        sku: 'REG-002',
        ean: `${ean(2).slice(0, 12)}${(Number(ean(2)[12]) + 1) % 10}`,
        ncm: '1234',
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['/ean', '/ncm']);

    const number = await t.request('POST', '/api/v1/products', {
      auth: ADMIN,
      body: { ...body, sku: 'REG-003', price: 39.9 },
    });
    expect(number.status).toBe(422);
    expect(number.body.errors).toContainEqual(expect.objectContaining({ path: '/price' }));
    const extra = await t.request('POST', '/api/v1/products', {
      auth: ADMIN,
      body: { ...body, sku: 'REG-004', colour: 'red' },
    });
    expect(extra.status).toBe(422);
    const nul = await t.request('POST', '/api/v1/products', {
      auth: ADMIN,
      body: { ...body, sku: 'REG-005', ean: ean(5), description: 'a\u0000b' },
    });
    expect(nul.status).toBe(422);
    expect((await get('/api/v1/products?q=%00')).status).toBe(422);

    const dupSku = await t.request('POST', '/api/v1/products', {
      auth: ADMIN,
      body: { ...body, ean: ean(6) },
    });
    expect([dupSku.status, dupSku.body.code]).toEqual([409, 'CATALOG.DUPLICATE_SKU']);
    const dupEan = await t.request('POST', '/api/v1/products', {
      auth: ADMIN,
      body: { ...body, sku: 'REG-006' },
    });
    expect([dupEan.status, dupEan.body.code]).toEqual([409, 'CATALOG.DUPLICATE_EAN']);
    const contradiction = await t.request('POST', '/api/v1/products', {
      auth: ADMIN,
      body: { ...body, sku: 'REG-007', ean: ean(7), integratesEcommerce: false, activeEcommerce: true },
    });
    expect(contradiction.status).toBe(422);
  });

  it('refuses a stale version with 409 CATALOG.STALE_VERSION', async () => {
    const product = (await get('/api/v1/products/BER-001')).body;
    const first = await t.request('PATCH', '/api/v1/products/BER-001', {
      auth: ADMIN,
      body: { version: product.version, description: 'Bermuda sarja cáqui 42', price: '129.90' },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: product.version + 1, price: '129.90' });
    const stale = await t.request('PATCH', '/api/v1/products/BER-001', {
      auth: ADMIN,
      body: { version: product.version, description: 'Outra' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'CATALOG.STALE_VERSION', currentVersion: product.version + 1 });
    const takenEan = await t.request('PATCH', '/api/v1/products/BER-001', {
      auth: ADMIN,
      body: { version: product.version + 1, ean: '7896012010013' },
    });
    expect([takenEan.status, takenEan.body.code]).toEqual([409, 'CATALOG.DUPLICATE_EAN']);
  });

  it('sets the e-commerce flags one by one: activation needs integration, clearing it clears both', async () => {
    const activate = await t.request('PUT', '/api/v1/products/CAL-003/ecommerce', {
      auth: ADMIN,
      body: { activeEcommerce: true },
    });
    expect([activate.status, activate.body.code]).toEqual([409, 'CATALOG.NOT_INTEGRATED']);

    const cleared = await t.request('PUT', '/api/v1/products/MOL-001/ecommerce', {
      auth: ADMIN,
      body: { integratesEcommerce: false },
    });
    expect(cleared.body).toMatchObject({
      integratesEcommerce: false,
      activeEcommerce: false,
      ecommerceEnabled: false,
    });
    expect((await get('/api/v1/products/MOL-001', PLATFORM)).status).toBe(404);

    const both = await t.request('PUT', '/api/v1/products/MOL-001/ecommerce', {
      auth: ADMIN,
      body: { integratesEcommerce: true, activeEcommerce: true },
    });
    expect(both.body.ecommerceEnabled).toBe(true);
    expect((await get('/api/v1/products/MOL-001', PLATFORM)).status).toBe(200);
  });

  it('keeps store staff, store managers and API clients out of the admin routes (403)', async () => {
    const calls: [string, 'POST' | 'PATCH' | 'PUT' | 'DELETE', unknown?][] = [
      ['/api/v1/products', 'POST', {}],
      ['/api/v1/products/CAM-001', 'PATCH', { version: 1 }],
      ['/api/v1/products/CAM-001/ecommerce', 'PUT', { activeEcommerce: false }],
      ['/api/v1/products/CAM-001/prices/11', 'PUT', { price: '1.00' }],
      ['/api/v1/products/CAM-001/prices/3', 'DELETE'],
      ['/api/v1/products/ecommerce/bulk', 'POST', { filter: {}, set: { activeEcommerce: false } }],
    ];
    for (const auth of ['staff11@demo.local', 'loja11@demo.local', PLATFORM, POS]) {
      for (const [url, method, body] of calls) {
        const res = await t.request(method, url, { auth, body });
        expect(`${auth} ${method} ${url} → ${res.status} ${res.body.code}`).toBe(
          `${auth} ${method} ${url} → 403 AUTH.FORBIDDEN`,
        );
      }
    }
    expect((await get('/api/v1/products/CAM-001', 'staff11@demo.local')).status).toBe(200);
  });

  it('changes the flags of a filtered selection in the background, batch by batch, to 100 %', async () => {
    for (let i = 0; i < 130; i++) {
      const res = await t.request('POST', '/api/v1/products', {
        auth: ADMIN,
        body: {
          sku: `LOTE-${String(i).padStart(3, '0')}`,
          ean: ean(1000 + i),
          description: `Peça do lote ${i}`,
          ncm: '61091000',
          price: '10.00',
          integratesEcommerce: i % 10 !== 0,
        },
      });
      expect(res.status).toBe(201);
    }
    const bulk = await t.request('POST', '/api/v1/products/ecommerce/bulk', {
      auth: ADMIN,
      body: { filter: { q: 'LOTE-' }, set: { activeEcommerce: true } },
    });
    expect(bulk.status).toBe(202);
    expect(bulk.body.total).toBe(130);
    expect(bulk.headers.location).toBe(`/api/v1/jobs/${bulk.body.jobId}`);

    const job = await until(t, bulk.body.jobId);
    expect(job).toMatchObject({
      status: 'done',
      queue: 'catalog.bulk-ecommerce-flags',
      progress: { done: 130, total: 130, percent: 100 },
      result: { changed: 117, unchanged: 0, skipped: 13 },
      error: null,
    });
    expect(job.result.skips[0]).toMatchObject({ sku: 'LOTE-000', reason: 'CATALOG.NOT_INTEGRATED' });
    expect(job.finishedAt).not.toBeNull();

    const enabled = await get('/api/v1/products?q=LOTE-&limit=200', PLATFORM);
    expect(enabled.body.items).toHaveLength(117);
    const product = (await get('/api/v1/products/LOTE-001')).body;
    expect(product).toMatchObject({ activeEcommerce: true, version: 2 });

    const again = await t.request('POST', '/api/v1/products/ecommerce/bulk', {
      auth: ADMIN,
      body: { filter: { q: 'LOTE-', activeEcommerce: true }, set: { integratesEcommerce: false } },
    });
    const second = await until(t, again.body.jobId);
    expect(second.result).toMatchObject({ changed: 117, unchanged: 0, skipped: 0 });
    expect((await get('/api/v1/products?q=LOTE-&limit=200', PLATFORM)).body.items).toEqual([]);

    const contradictory = await t.request('POST', '/api/v1/products/ecommerce/bulk', {
      auth: ADMIN,
      body: { filter: {}, set: { integratesEcommerce: false, activeEcommerce: true } },
    });
    expect(contradictory.status).toBe(422);
    const empty = await t.request('POST', '/api/v1/products/ecommerce/bulk', {
      auth: ADMIN,
      body: { filter: {}, set: {} },
    });
    expect(empty.status).toBe(422);
  });

  it('shows a job only to its owner node and the nodes above it (404 for another store)', async () => {
    const store8 = (await get('/api/v1/nodes/8')).body;
    const job = await enqueue(t.database.db, 'test.nobody-runs-this', {}, { ownerNodeId: store8.id });
    const status = (auth: string) => t.request('GET', `/api/v1/jobs/${job.id}`, { auth });
    expect((await status('loja8@demo.local')).body).toMatchObject({
      id: job.id,
      status: 'queued',
      progress: { done: 0, total: null, percent: 0 },
    });
    expect((await status(ADMIN)).status).toBe(200);
    const other = await status('loja11@demo.local');
    expect([other.status, other.body.code]).toEqual([404, 'JOBS.NOT_FOUND']);
    expect((await status(POS)).status).toBe(404);
    expect(
      (await t.request('GET', '/api/v1/jobs/00000000-0000-4000-8000-000000000000', { auth: ADMIN })).status,
    ).toBe(404);
  });
});

async function until(t: TestApp, jobId: string) {
  const end = Date.now() + 20_000;
  for (;;) {
    const res = await t.request('GET', `/api/v1/jobs/${jobId}`, { auth: ADMIN });
    expect(res.status).toBe(200);
    if (res.body.status === 'done' || res.body.status === 'failed' || Date.now() > end) return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
}
