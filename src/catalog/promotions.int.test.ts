import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';

const ADMIN = 'admin@demo.local';
const PLATFORM = 'demo-platform-key';
const POS = 'demo-pos-11';
const codes = (body: { items: { code: string }[] }) => body.items.map((p) => p.code);
const day = 24 * 3600_000;

describe.each(databaseKinds())('promotions on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const get = (url: string, auth = ADMIN) => t.request('GET', url, { auth });
  const create = (body: Record<string, unknown>, auth = ADMIN) =>
    t.request('POST', '/api/v1/promotions', { auth, body });
  const promotion = (over: Record<string, unknown> = {}) => ({
    code: 'INVERNO-ALL',
    description: 'Inverno: R$ 20,00 em moletons e jaquetas',
    modality: 'all',
    discountAmount: '20.00',
    startsAt: new Date(Date.now() - day).toISOString(),
    endsAt: new Date(Date.now() + 10 * day).toISOString(),
    skus: ['MOL-001', 'JAQ-001'],
    ...over,
  });

  it('offers the platform only current promotions of the e-commerce modality, with its enabled SKUs', async () => {
    const platform = await get('/api/v1/promotions', PLATFORM);
    expect(platform.status).toBe(200);
    expect(codes(platform.body)).toEqual(['VERAO-ECOM']);
    expect(platform.body.items[0]).toMatchObject({
      modality: 'ecommerce',
      discountPercent: '10.00',
      discountAmount: null,
      current: true,
      skus: ['CAM-001', 'CAM-002', 'CAM-003'],
    });
    expect((await get('/api/v1/promotions/LOJA-CALCADOS', PLATFORM)).status).toBe(404);
    expect((await get('/api/v1/promotions/BLACK-FRIDAY', PLATFORM)).status).toBe(404);

    expect(codes((await get('/api/v1/promotions', POS)).body)).toEqual(['LOJA-CALCADOS']);
    const admin = await get('/api/v1/promotions');
    expect(codes(admin.body)).toEqual(['BLACK-FRIDAY', 'LOJA-CALCADOS', 'VERAO-ECOM']);
    expect(admin.body.items.find((p: { code: string }) => p.code === 'VERAO-ECOM').skus).toContain('CAM-004');
    expect(codes((await get('/api/v1/promotions?current=false')).body)).toEqual(['BLACK-FRIDAY']);
    expect(codes((await get('/api/v1/promotions?modality=store&modality=all')).body)).toEqual([
      'BLACK-FRIDAY',
      'LOJA-CALCADOS',
    ]);
    expect(codes((await get('/api/v1/promotions?sku=TEN-002')).body)).toEqual(['LOJA-CALCADOS']);
    expect(codes((await get('/api/v1/promotions?sku=NOPE')).body)).toEqual([]);
  });

  it('registers a promotion of every modality; an "all" one reaches the platform', async () => {
    const created = await create(promotion());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: 'INVERNO-ALL',
      version: 1,
      current: true,
      skus: ['JAQ-001', 'MOL-001'],
    });
    // JAQ-001 only integrates: the platform sees the promotion on MOL-001 alone.
    expect((await get('/api/v1/promotions/INVERNO-ALL', PLATFORM)).body.skus).toEqual(['MOL-001']);
    expect(codes((await get('/api/v1/promotions', POS)).body)).toContain('INVERNO-ALL');
    expect((await create(promotion())).status).toBe(409);
  });

  it('refuses invalid promotions with 422 and field paths', async () => {
    const unknown = await create(promotion({ code: 'X1', skus: ['CAM-001', 'NOPE-1'] }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      {
        path: '/skus/1',
        code: 'CATALOG.PRODUCT_UNKNOWN',
        params: { sku: 'NOPE-1' },
        message: 'there is no product NOPE-1',
      },
    ]);
    const both = await create(promotion({ code: 'X2', discountPercent: '5.00' }));
    expect(both.body.errors.map((e: { path: string }) => e.path)).toEqual(['/discountPercent']);
    const range = await create(promotion({ code: 'X3', discountAmount: null, discountPercent: '120.00' }));
    expect(range.status).toBe(422);
    const period = await create(
      promotion({ code: 'X4', endsAt: new Date(Date.now() - 2 * day).toISOString() }),
    );
    expect(period.body.errors.map((e: { path: string }) => e.path)).toEqual(['/endsAt']);
    const number = await create(promotion({ code: 'X5', discountAmount: 20 }));
    expect(number.status).toBe(422);
    const modality = await create(promotion({ code: 'X6', modality: 'marketplace' }));
    expect(modality.status).toBe(422);
    expect((await get('/api/v1/promotions/X1')).status).toBe(404);
  });

  it('changes a promotion under a version guard; moving it to the stores hides it from the platform', async () => {
    const current = (await get('/api/v1/promotions/INVERNO-ALL')).body;
    const moved = await t.request('PATCH', '/api/v1/promotions/INVERNO-ALL', {
      auth: ADMIN,
      body: { version: current.version, modality: 'store', discountPercent: '15.00' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      modality: 'store',
      discountPercent: '15.00',
      discountAmount: null,
      version: 2,
    });
    expect((await get('/api/v1/promotions/INVERNO-ALL', PLATFORM)).status).toBe(404);

    const stale = await t.request('PATCH', '/api/v1/promotions/INVERNO-ALL', {
      auth: ADMIN,
      body: { version: current.version, active: false },
    });
    expect([stale.status, stale.body.code]).toEqual([409, 'CATALOG.STALE_VERSION']);
  });

  it('lets only admins register or change promotions', async () => {
    for (const auth of ['loja11@demo.local', PLATFORM, POS]) {
      expect((await create(promotion({ code: 'NOPE' }), auth)).status).toBe(403);
      const patch = await t.request('PATCH', '/api/v1/promotions/VERAO-ECOM', { auth, body: { version: 1 } });
      expect(patch.status).toBe(403);
    }
  });
});
