import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness.ts';
import { saoPauloDay } from '../platform/format-br.ts';
import { addDays } from './domain.ts';
import * as delivery from './service.ts';

const admin = 'admin@demo.local';
const loja11 = 'loja11@demo.local';
const loja8 = 'loja8@demo.local';
const url = '/api/v1/delivery-experiences';
const codes = (items: { code: string }[]) => items.map((i) => i.code);

describe.each(databaseKinds())('delivery experiences on the %s database', (kind) => {
  let t: TestApp;
  const storeId = async (code: string) =>
    (await t.request('GET', `/api/v1/nodes/${code}`, { auth: admin })).body.id;

  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  it('lists the demo experiences with their companies', async () => {
    const res = await t.request('GET', url, { auth: admin });
    expect(res.status).toBe(200);
    expect(codes(res.body.items)).toEqual(['PROPRIA', 'RETIRA', 'SEDEX']);
    const sedex = res.body.items.find((e: { code: string }) => e.code === 'SEDEX');
    expect(sedex).toMatchObject({
      description: 'Envio Correios – SEDEX',
      carrierCode: 'CORREIOS',
      serviceCode: '04014',
      type: 'ship',
      version: 1,
    });
    expect(codes(sedex.stores)).toEqual(['3', '8', '11']);
    const search = await t.request('GET', `${url}?q=retirada`, { auth: admin });
    expect(codes(search.body.items)).toEqual(['RETIRA']);
    const pickup = await t.request('GET', `${url}?type=ship&storeCode=3`, { auth: admin });
    expect(codes(pickup.body.items)).toEqual(['SEDEX']);
    const paged = await t.request('GET', `${url}?limit=2`, { auth: admin });
    expect(codes(paged.body.items)).toEqual(['PROPRIA', 'RETIRA']);
    const next = await t.request('GET', `${url}?limit=2&cursor=${paged.body.nextCursor}`, { auth: admin });
    expect(codes(next.body.items)).toEqual(['SEDEX']);
    expect(next.body.nextCursor).toBeNull();
  });

  it('creates, reads, changes with the version read, refuses a stale version, and removes', async () => {
    const created = await t.request('POST', url, {
      auth: admin,
      body: {
        code: 'PAC',
        description: 'Envio Correios – PAC',
        carrierCode: 'correios',
        serviceCode: '04510 PAC',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: 'PAC',
      carrierCode: 'CORREIOS',
      type: 'ship',
      stores: [],
      version: 1,
    });
    const changed = await t.request('PATCH', `${url}/PAC`, {
      auth: admin,
      body: { version: 1, description: 'Correios PAC', carrierName: 'Correios' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ description: 'Correios PAC', carrierName: 'Correios', version: 2 });
    const stale = await t.request('PATCH', `${url}/PAC`, {
      auth: admin,
      body: { version: 1, description: 'X' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'DELIVERY.STALE_VERSION', currentVersion: 2 });
    expect((await t.request('GET', `${url}/PAC`, { auth: admin })).body.description).toBe('Correios PAC');
    const again = await t.request('POST', url, {
      auth: admin,
      body: { code: 'PAC', description: 'x', type: 'pickup' },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DELIVERY.CODE_TAKEN');
    expect((await t.request('DELETE', `${url}/PAC`, { auth: admin })).status).toBe(204);
    expect((await t.request('GET', `${url}/PAC`, { auth: admin })).status).toBe(404);
    expect((await t.request('DELETE', `${url}/PAC`, { auth: admin })).status).toBe(404);
  });

  it('names each invalid field', async () => {
    const res = await t.request('POST', url, {
      auth: admin,
      body: {
        code: 'BAD',
        description: ' ',
        carrierCode: 'CORREIOS',
        type: 'pickup',
        storeCodes: ['11', 'NOPE'],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('DELIVERY.INVALID_EXPERIENCE');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      '/description',
      '/serviceCode',
      '/type',
      '/storeCodes/1',
    ]);
    const schema = await t.request('POST', url, {
      auth: admin,
      body: { code: 'tem espaço', description: 'x' },
    });
    expect(schema.status).toBe(422);
    expect(schema.body.errors[0].path).toBe('/code');
    const patch = await t.request('PATCH', `${url}/SEDEX`, {
      auth: admin,
      body: { version: 1, serviceCode: null },
    });
    expect(patch.status).toBe(422);
    expect(patch.body.errors).toEqual([
      {
        path: '/serviceCode',
        code: 'DELIVERY.SERVICE_CODE_REQUIRED',
        params: { carrierCode: 'CORREIOS' },
        message: 'is required for CORREIOS (e.g. "04014 SEDEX")',
      },
    ]);
    expect(
      (await t.request('POST', url, { auth: loja11, body: { code: 'X', description: 'x' } })).status,
    ).toBe(403);
  });

  it('shows a store user only the experiences enabling its store, and only its store in them', async () => {
    const only11 = await t.request('POST', url, {
      auth: admin,
      body: { code: 'SO11', description: 'Só a loja 11', type: 'pickup', storeCodes: ['11'] },
    });
    expect(only11.status).toBe(201);
    const seen8 = await t.request('GET', url, { auth: loja8 });
    expect(codes(seen8.body.items)).toEqual(['PROPRIA', 'RETIRA', 'SEDEX']);
    for (const e of seen8.body.items) expect(codes(e.stores)).toEqual(['8']);
    expect((await t.request('GET', `${url}/SO11`, { auth: loja8 })).status).toBe(404);
    expect((await t.request('GET', `${url}/SO11/map.svg`, { auth: loja8 })).status).toBe(404);
    const seen11 = await t.request('GET', `${url}/SO11`, { auth: loja11 });
    expect(seen11.status).toBe(200);
    expect(codes(seen11.body.stores)).toEqual(['11']);
  });

  it('pastes a list of companies over an experience’s own', async () => {
    await t.request('POST', url, { auth: admin, body: { code: 'COLA', description: 'Cola', type: 'ship' } });
    const sedex = (await t.request('GET', `${url}/SEDEX`, { auth: admin })).body;
    const pasted = await t.request('PUT', `${url}/COLA/stores`, {
      auth: admin,
      body: { storeCodes: sedex.stores.map((s: { code: string }) => s.code), version: 1 },
    });
    expect(pasted.status).toBe(200);
    expect(codes(pasted.body.stores)).toEqual(['3', '8', '11']);
    expect(pasted.body.version).toBe(2);
    const stale = await t.request('PUT', `${url}/COLA/stores`, {
      auth: admin,
      body: { storeCodes: [], version: 1 },
    });
    expect(stale.status).toBe(409);
    const bad = await t.request('PUT', `${url}/COLA/stores`, {
      auth: admin,
      body: { storeCodes: ['3', 'SUL', '3'] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['/storeCodes/1', '/storeCodes/2']);
    const emptied = await t.request('PUT', `${url}/COLA/stores`, { auth: admin, body: { storeCodes: [] } });
    expect(emptied.body.stores).toEqual([]);
  });

  it('lets a central admin manage only what it created, with the stores under it', async () => {
    const created = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: {
        email: 'central.sul@demo.local',
        name: 'Central',
        password: TEST_PASSWORD,
        role: 'central_admin',
        nodeCode: 'SUL',
      },
    });
    expect(created.status).toBe(201);
    const central = 'central.sul@demo.local';
    const own = await t.request('POST', url, {
      auth: central,
      body: { code: 'SUL-RET', description: 'Retirada Sul', type: 'pickup', storeCodes: ['3'] },
    });
    expect(own.status).toBe(201);
    expect(codes(own.body.stores)).toEqual(['3']);
    const sedex = await t.request('PATCH', `${url}/SEDEX`, {
      auth: central,
      body: { version: 1, description: 'X' },
    });
    expect(sedex.status).toBe(403);
    expect(sedex.body.code).toBe('DELIVERY.NOT_MANAGER');
    expect((await t.request('DELETE', `${url}/SUL-RET`, { auth: central })).status).toBe(204);
  });

  it('notes the companies without coordinates on the map', async () => {
    const node = (await t.request('GET', '/api/v1/nodes/8', { auth: admin })).body;
    const cleared = await t.request('PATCH', '/api/v1/nodes/8', {
      auth: admin,
      body: { version: node.version, latitude: null, longitude: null },
    });
    expect(cleared.status).toBe(200);
    const svg = String((await t.request('GET', `${url}/PROPRIA/map.svg`, { auth: admin })).body);
    expect(svg).toContain('Empresas sem coordenadas: 8 Loja 8 — Campinas');
    expect(svg.match(/<circle /g)).toHaveLength(1);
    await t.request('PATCH', '/api/v1/nodes/8', {
      auth: admin,
      body: { version: node.version + 1, latitude: node.latitude, longitude: node.longitude },
    });
  });

  it('draws the map of the companies as SVG', async () => {
    const res = await t.request('GET', `${url}/SEDEX/map.svg`, { auth: admin });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = String(res.body);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const name of ['Loja 11 — São Paulo (e-commerce)', 'Loja 8 — Campinas', 'Loja 3 — Curitiba'])
      expect(svg).toContain(name);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toMatch(/2\d°S/);
  });

  it('keeps the carrier transit table, refusing rows that are not states', async () => {
    const res = await t.request('GET', '/api/v1/carrier-transit-times', { auth: loja11 });
    expect(res.status).toBe(200);
    expect(res.body.items).toContainEqual({
      carrierCode: 'CORREIOS',
      serviceCode: '04014',
      fromState: 'SP',
      toState: 'PR',
      days: 3,
    });
    expect(res.body.items).toHaveLength(4);
    const bad = await t.request('PUT', '/api/v1/carrier-transit-times', {
      auth: admin,
      body: {
        items: [{ carrierCode: 'JADLOG', serviceCode: null, fromState: 'XX', toState: 'SP', days: 2 }],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      {
        path: '/items/0/fromState',
        code: 'DELIVERY.STATE_UNKNOWN',
        message: 'is not a Brazilian state (UF)',
      },
    ]);
    expect(
      (await t.request('PUT', '/api/v1/carrier-transit-times', { auth: loja11, body: { items: [] } })).status,
    ).toBe(403);
    const networkId = (await t.request('GET', '/api/v1/nodes/DEMO', { auth: admin })).body.id;
    const db = t.database.db;
    expect(
      await delivery.transitDays(db, networkId, {
        carrierCode: 'CORREIOS',
        serviceCode: '04014',
        fromState: 'SP',
        toState: 'PR',
      }),
    ).toBe(3);
    expect(
      await delivery.transitDays(db, networkId, {
        carrierCode: null,
        serviceCode: null,
        fromState: 'SP',
        toState: 'PR',
      }),
    ).toBe(7);
    expect(
      await delivery.transitDays(db, networkId, {
        carrierCode: 'CORREIOS',
        serviceCode: '04014',
        fromState: 'SP',
        toState: 'RJ',
      }),
    ).toBe(4);
  });

  it('simulates a cart to Curitiba: nobody has 3 CAM-001, store 11 ships and hands over CAL-002', async () => {
    const today = saoPauloDay(new Date());
    const cam = await t.request('POST', '/api/v1/delivery-simulations', {
      auth: 'demo-platform-key',
      body: { postalCode: '80020-310', items: [{ sku: 'CAM-001', quantity: 3 }] },
    });
    expect(cam.status).toBe(200);
    expect(cam.body.destination).toEqual({ postalCode: '80020310', state: 'PR', region: 'sul' });
    expect(cam.body.options.length).toBeGreaterThan(0);
    expect(cam.body.options.every((o: { canServe: boolean }) => !o.canServe)).toBe(true);
    const at = (store: string) =>
      cam.body.options.find((o: { storeCode: string }) => o.storeCode === store).missing[0].available;
    expect([at('11'), at('8'), at('3')]).toEqual([0, 2, 1]);

    const cal = await t.request('POST', '/api/v1/delivery-simulations', {
      auth: admin,
      body: { postalCode: '80020310', items: [{ sku: 'CAL-002', quantity: 1 }] },
    });
    expect(cal.status).toBe(200);
    const option = (experience: string, store: string) =>
      cal.body.options.find(
        (o: { experienceCode: string; storeCode: string }) =>
          o.experienceCode === experience && o.storeCode === store,
      );
    const sedex = option('SEDEX', '11');
    expect(sedex).toMatchObject({ canServe: true, missing: [], transitDays: 3, carrierCode: 'CORREIOS' });
    expect(sedex.expectedDate).toBe(addDays(today, sedex.invoiceDays + 3));
    expect(option('RETIRA', '11')).toMatchObject({ canServe: true, transitDays: 0, type: 'pickup' });
    expect(option('PROPRIA', '11')).toMatchObject({ canServe: true, transitDays: 7 });
    expect(option('PROPRIA', '3')).toBeUndefined();
    const servable = cal.body.options.map((o: { canServe: boolean }) => o.canServe);
    expect(servable).toEqual([...servable].sort((a, b) => Number(b) - Number(a)));
  });

  it('shows a store the companies its TP_VISUAL_EMP_PRATELEIRA shows, as the split does', async () => {
    const simulate = async () => {
      const res = await t.request('POST', '/api/v1/delivery-simulations', {
        auth: loja8,
        body: { postalCode: '01310200', items: [{ sku: 'CAM-001', quantity: 2 }] },
      });
      expect(res.status).toBe(200);
      return res.body.options as { storeCode: string; canServe: boolean }[];
    };
    const servers = (options: { storeCode: string; canServe: boolean }[]) =>
      new Set(options.filter((o) => o.canServe).map((o) => o.storeCode));
    // The demo sets 2 at the central: the stores of SUL.
    const central = await simulate();
    expect(new Set(central.map((o) => o.storeCode))).toEqual(new Set(['8', '11', '3']));
    expect(servers(central)).toEqual(new Set(['8']));
    const param = '/api/v1/nodes/8/parameters/TP_VISUAL_EMP_PRATELEIRA';
    expect((await t.request('PUT', param, { auth: admin, body: { value: '1' } })).status).toBe(200);
    try {
      const mine = await simulate();
      expect(new Set(mine.map((o) => o.storeCode))).toEqual(new Set(['8']));
      expect(mine.every((o) => o.canServe)).toBe(true);
    } finally {
      await t.request('DELETE', param, { auth: admin });
    }
  });

  it('generates the code when none is typed and keeps descriptions unique', async () => {
    const first = await t.request('POST', url, {
      auth: admin,
      body: { description: 'Retirada expressa', type: 'pickup', storeCodes: ['11'] },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.code).toMatch(/^[0-9]+$/);
    const second = await t.request('POST', url, {
      auth: admin,
      body: { description: 'Retirada noturna', type: 'pickup' },
    });
    expect(second.status).toBe(201);
    expect(Number(second.body.code)).toBe(Number(first.body.code) + 1);

    const twin = await t.request('POST', url, {
      auth: admin,
      body: { code: 'OUTRA', description: '  retirada EXPRESSA ', type: 'pickup' },
    });
    expect(twin.status).toBe(409);
    expect(twin.body).toMatchObject({ code: 'DELIVERY.DESCRIPTION_TAKEN' });
    expect(twin.body.detail).toContain(first.body.code);
    const renamed = await t.request('PATCH', `${url}/${second.body.code}`, {
      auth: admin,
      body: { version: second.body.version, description: 'Retirada na loja' },
    });
    expect(renamed.status).toBe(409);
    expect(renamed.body.code).toBe('DELIVERY.DESCRIPTION_TAKEN');
    for (const e of [first.body, second.body])
      expect((await t.request('DELETE', `${url}/${e.code}`, { auth: admin })).status).toBe(204);
  });

  it('keeps an experience’s companies in one pool unless TP_EMPRESA_POOL_DIFERENTE is on', async () => {
    const norte = await t.request('POST', '/api/v1/nodes', {
      auth: admin,
      body: {
        kind: 'central',
        code: 'NORTE',
        name: 'Central Norte',
        legalName: 'Central Norte',
        parentCode: 'DEMO',
      },
    });
    expect(norte.status, JSON.stringify(norte.body)).toBe(201);
    const store = await t.request('POST', '/api/v1/nodes', {
      auth: admin,
      body: {
        kind: 'store',
        code: '21',
        name: 'Loja 21',
        legalName: 'Loja 21 Comércio Ltda',
        cnpj: '12.ABC.345/01DE-35',
        parentCode: 'NORTE',
      },
    });
    expect(store.status, JSON.stringify(store.body)).toBe(201);

    const body = {
      code: 'POOLS',
      description: 'Retirada em duas centrais',
      type: 'pickup',
      storeCodes: ['11', '21'],
    };
    const refused = await t.request('POST', url, { auth: admin, body });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'DELIVERY.POOL_MIXED',
      errors: [{ path: '/storeCodes/1' }],
    });
    const one = await t.request('POST', url, { auth: admin, body: { ...body, storeCodes: ['11', '8'] } });
    expect(one.status).toBe(201);
    const pasted = await t.request('PUT', `${url}/POOLS/stores`, {
      auth: admin,
      body: { storeCodes: ['11', '8', '21'] },
    });
    expect(pasted.status).toBe(422);
    expect(pasted.body.code).toBe('DELIVERY.POOL_MIXED');

    const param = '/api/v1/nodes/DEMO/parameters/TP_EMPRESA_POOL_DIFERENTE';
    expect((await t.request('PUT', param, { auth: admin, body: { value: true } })).status).toBe(200);
    try {
      const mixed = await t.request('PUT', `${url}/POOLS/stores`, {
        auth: admin,
        body: { storeCodes: ['11', '8', '21'] },
      });
      expect(mixed.status, JSON.stringify(mixed.body)).toBe(200);
      expect(codes(mixed.body.stores)).toEqual(['8', '11', '21']);
    } finally {
      await t.request('DELETE', param, { auth: admin });
      await t.request('DELETE', `${url}/POOLS`, { auth: admin });
    }
  });

  it('refuses a CEP of no state and unknown products, naming them', async () => {
    const res = await t.request('POST', '/api/v1/delivery-simulations', {
      auth: admin,
      body: { postalCode: '00500000', items: [{ sku: 'NOPE', quantity: 1 }], storeCode: '99' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      '/postalCode',
      '/items/0/sku',
      '/storeCode',
    ]);
  });

  it('tells the split which companies the experiences of an order allow', async () => {
    const [s11, s8, s3] = [await storeId('11'), await storeId('8'), await storeId('3')];
    const db = t.database.db;
    const pickup = await delivery.allowedStoresFor(db, {
      storeId: s11,
      deliveryType: 'pickup',
      carrier: null,
    });
    expect(pickup.experiences.map((e) => e.code)).toContain('RETIRA');
    expect(pickup.storeIds).toEqual(new Set([s11, s8, s3]));
    const correios = await delivery.allowedStoresFor(db, {
      storeId: s8,
      deliveryType: 'ship',
      carrier: 'correios',
    });
    expect(correios.experiences).toEqual([{ code: 'SEDEX', description: 'Envio Correios – SEDEX' }]);
    const own = await delivery.allowedStoresFor(db, { storeId: s3, deliveryType: 'ship', carrier: null });
    // PROPRIA does not enable store 3; COLA was emptied above.
    expect(own.experiences.map((e) => e.code)).toEqual(['SEDEX']);
    expect(own.storeIds).toEqual(new Set([s11, s8, s3]));
    const unknownCarrier = await delivery.allowedStoresFor(db, {
      storeId: s11,
      deliveryType: 'ship',
      carrier: 'JADLOG',
    });
    expect(unknownCarrier).toEqual({ experiences: [], storeIds: null });
    expect(delivery.stateOfPostalCode('80020-310')).toBe('PR');
  });
});
