import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, createOrder, LOJA11, orderBody, PLATFORM } from '../../test/order-fixtures.ts';

const CENTRAL_ADMIN = 'central.admin@demo.local';

/** A store under SUL: the fields an admin types in the form, the IBGE code left out. */
const storeBody = (code: string, extra: Record<string, unknown> = {}) => ({
  parentCode: 'SUL',
  kind: 'store',
  code,
  name: `Loja ${code}`,
  legalName: `Loja ${code} Ltda.`,
  cnpj: '12.ABC.345/01DE-35',
  stateRegistration: '110.042.490.114',
  address: {
    street: 'Rua Barão de Jaguara',
    number: '900',
    district: 'Centro',
    city: 'campinas',
    state: 'SP',
    postalCode: '13015-001',
  },
  latitude: -22.9,
  longitude: -47.06,
  email: `loja${code}@example.com`,
  visibility: 'private',
  ...extra,
});

describe.each(databaseKinds())('network administration on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const auditOf = async (nodeCode: string, action: string) => {
    const res = await t.request(
      'GET',
      `/api/v1/audit-events?target=${encodeURIComponent(nodeCode)}&limit=100`,
      {
        auth: ADMIN,
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.filter((e: { action: string }) => e.action === action);
  };

  it('creates a store with the IBGE municipality resolved from state + city, and logs it', async () => {
    const created = await t.request('POST', '/api/v1/nodes', { auth: ADMIN, body: storeBody('31') });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      code: '31',
      cnpj: '12ABC34501DE35',
      stateRegistration: '110042490114',
      address: { city: 'Campinas', cityCode: '3509502', state: 'SP', postalCode: '13015001' },
      visibility: 'private',
      active: true,
    });
    const [event] = await auditOf('31', 'node.created');
    expect(event).toMatchObject({
      target: { type: 'node', id: created.body.id },
      before: null,
      after: expect.objectContaining({ code: '31', cnpj: '12ABC34501DE35' }),
    });
  });

  it('refuses an unknown city, and an IBGE code that is not the city’s, naming the field; nothing written', async () => {
    const unknown = await t.request('POST', '/api/v1/nodes', {
      auth: ADMIN,
      body: storeBody('32', {
        cnpj: '11.222.333/0001-81',
        address: { ...storeBody('32').address, city: 'Campinas do Norte' },
      }),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ path: '/address/city', code: 'NETWORK.CITY_UNKNOWN' }),
    ]);
    const mismatch = await t.request('POST', '/api/v1/nodes', {
      auth: ADMIN,
      body: storeBody('32', {
        cnpj: '11.222.333/0001-81',
        address: { ...storeBody('32').address, cityCode: '3550308' },
      }),
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.errors).toEqual([
      expect.objectContaining({
        path: '/address/cityCode',
        code: 'NETWORK.CITY_CODE_MISMATCH',
        params: expect.objectContaining({ expected: '3509502' }),
      }),
    ]);
    // A matching code is still accepted (clients that send it keep working), a renamed city by its former name too.
    const matching = await t.request('POST', '/api/v1/nodes', {
      auth: ADMIN,
      body: storeBody('32', {
        cnpj: '11.222.333/0001-81',
        address: { ...storeBody('32').address, city: 'Embu', cityCode: '3515004' },
      }),
    });
    expect(matching.status, JSON.stringify(matching.body)).toBe(201);
    expect(matching.body.address).toMatchObject({ city: 'Embu das Artes', cityCode: '3515004' });
    expect((await t.request('DELETE', '/api/v1/nodes/32', { auth: ADMIN })).status).toBe(204);
    expect(await auditOf('32', 'node.deleted')).toHaveLength(1);
  });

  it('checks the state registration against the address’s UF (check digits), ISENTO allowed', async () => {
    const wrong = await t.request('POST', '/api/v1/nodes', {
      auth: ADMIN,
      body: storeBody('33', { cnpj: '11.222.333/0001-81', stateRegistration: '110.042.490.115' }),
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([
      expect.objectContaining({
        path: '/stateRegistration',
        code: 'NETWORK.STATE_REGISTRATION_INVALID',
        params: { state: 'SP' },
      }),
    ]);
    // A valid IE of PR is not one of SP.
    const otherState = await t.request('POST', '/api/v1/nodes', {
      auth: ADMIN,
      body: storeBody('33', { cnpj: '11.222.333/0001-81', stateRegistration: '123.45678-50' }),
    });
    expect(otherState.status).toBe(422);
    const exempt = await t.request('POST', '/api/v1/nodes', {
      auth: ADMIN,
      body: storeBody('33', { cnpj: '11.222.333/0001-81', stateRegistration: 'isento' }),
    });
    expect(exempt.status, JSON.stringify(exempt.body)).toBe(201);
    expect(exempt.body.stateRegistration).toBe('ISENTO');
    // Moving the address to PR re-checks the registration it keeps.
    const moved = await t.request('PATCH', '/api/v1/nodes/33', {
      auth: ADMIN,
      body: {
        version: exempt.body.version,
        stateRegistration: '123.45678-50',
        address: { ...storeBody('33').address, city: 'Curitiba', state: 'PR' },
      },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const backToSp = await t.request('PATCH', '/api/v1/nodes/33', {
      auth: ADMIN,
      body: { version: moved.body.version, address: storeBody('33').address },
    });
    expect(backToSp.status).toBe(422);
    expect(backToSp.body.errors[0]).toMatchObject({ path: '/stateRegistration' });
  });

  it('names the field of a conflict: a code or a CNPJ already used (409), nothing written', async () => {
    const code = await t.request('POST', '/api/v1/nodes', {
      auth: ADMIN,
      body: storeBody('11', { cnpj: '11.222.333/0001-81' }),
    });
    expect(code.status).toBe(409);
    expect(code.body.errors).toEqual([
      expect.objectContaining({ path: '/code', code: 'NETWORK.CODE_TAKEN' }),
    ]);
    const cnpj = await t.request('POST', '/api/v1/nodes', {
      auth: ADMIN,
      body: storeBody('34', { cnpj: '45.997.418/0001-53' }),
    });
    expect(cnpj.status).toBe(409);
    expect(cnpj.body.errors).toEqual([
      expect.objectContaining({ path: '/cnpj', code: 'NETWORK.CNPJ_TAKEN' }),
    ]);
    expect((await t.request('GET', '/api/v1/nodes/34', { auth: ADMIN })).status).toBe(404);
    const store8 = (await t.request('GET', '/api/v1/nodes/8', { auth: ADMIN })).body;
    const patched = await t.request('PATCH', '/api/v1/nodes/8', {
      auth: ADMIN,
      body: { version: store8.version, cnpj: '45997418000153' },
    });
    expect(patched.status).toBe(409);
    expect(patched.body.errors[0].path).toBe('/cnpj');
  });

  it('logs the changed fields only, before and after', async () => {
    const node = (await t.request('GET', '/api/v1/nodes/31', { auth: ADMIN })).body;
    const res = await t.request('PATCH', '/api/v1/nodes/31', {
      auth: ADMIN,
      body: { version: node.version, email: 'nova31@example.com', visibility: 'public' },
    });
    expect(res.status).toBe(200);
    const [event] = await auditOf('31', 'node.updated');
    expect(event).toMatchObject({
      before: { email: 'loja31@example.com', visibility: 'private' },
      after: { email: 'nova31@example.com', visibility: 'public' },
    });
  });

  it('refuses to deactivate a store with open orders or stock requests (409 listing them), then allows it', async () => {
    const order = await createOrder(t, { lines: [['CAM-001', 1, '89.90']] });
    const split = await t.request('POST', `/api/v1/orders/${order.id}/split`, {
      auth: LOJA11,
      body: { allocations: [{ sku: 'CAM-001', storeCode: '8', quantity: 1 }] },
    });
    expect(split.status, JSON.stringify(split.body)).toBe(200);

    const store11 = (await t.request('GET', '/api/v1/nodes/11', { auth: ADMIN })).body;
    const blocked = await t.request('PATCH', '/api/v1/nodes/11', {
      auth: ADMIN,
      body: { version: store11.version, active: false },
    });
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('NETWORK.NODE_HAS_OPEN_WORK');
    expect(blocked.body.orders).toContainEqual({
      id: order.id,
      number: order.number,
      status: 'awaiting_stock',
    });
    expect(blocked.body.ordersTotal).toBeGreaterThanOrEqual(1);
    expect(blocked.body.stockRequests).toEqual([
      expect.objectContaining({ orderId: order.id, orderNumber: order.number, status: 'requested' }),
    ]);
    expect(blocked.body.stockRequestsTotal).toBe(1);

    // The supplying store is held by the same request.
    const store8 = (await t.request('GET', '/api/v1/nodes/8', { auth: ADMIN })).body;
    const supplier = await t.request('PATCH', '/api/v1/nodes/8', {
      auth: ADMIN,
      body: { version: store8.version, active: false },
    });
    expect(supplier.status).toBe(409);
    expect(supplier.body.ordersTotal).toBe(0);
    expect(supplier.body.stockRequests[0]).toMatchObject({ orderNumber: order.number });
    expect((await t.request('GET', '/api/v1/nodes/11', { auth: ADMIN })).body.active).toBe(true);

    // Store 31's only order is cancelled (finished): deactivated, it refuses new orders but its queue keeps the
    // history; reactivated; both logged.
    const omni = await t.request('PUT', '/api/v1/nodes/31/parameters/9253', {
      auth: ADMIN,
      body: { value: true },
    });
    expect(omni.status).toBe(200);
    const past = await createOrder(t, { storeCode: '31' });
    const cancelled = await t.request('POST', `/api/v1/orders/${past.id}/cancel`, {
      auth: PLATFORM,
      body: { reason: 'Cliente desistiu da compra' },
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const s31 = (await t.request('GET', '/api/v1/nodes/31', { auth: ADMIN })).body;
    const off = await t.request('PATCH', '/api/v1/nodes/31', {
      auth: ADMIN,
      body: { version: s31.version, active: false },
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.active).toBe(false);
    const refused = await t.request('POST', '/api/v1/orders', {
      auth: PLATFORM,
      body: orderBody({ storeCode: '31' }),
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toContainEqual(
      expect.objectContaining({ path: '/storeCode', code: 'ORDER.STORE_INACTIVE' }),
    );
    const queue = await t.request('GET', '/api/v1/orders?storeCode=31', { auth: ADMIN });
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((o: { id: string }) => o.id)).toContain(past.id);
    const on = await t.request('PATCH', '/api/v1/nodes/31', {
      auth: ADMIN,
      body: { version: off.body.version, active: true },
    });
    expect(on.status).toBe(200);
    expect(await auditOf('31', 'node.deactivated')).toEqual([
      expect.objectContaining({ before: { active: true }, after: { active: false } }),
    ]);
    expect(await auditOf('31', 'node.reactivated')).toHaveLength(1);
  });

  it('refuses to deactivate a central with active stores below it, listing them', async () => {
    const sul = (await t.request('GET', '/api/v1/nodes/SUL', { auth: ADMIN })).body;
    const res = await t.request('PATCH', '/api/v1/nodes/SUL', {
      auth: ADMIN,
      body: { version: sul.version, active: false },
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('NETWORK.NODE_HAS_ACTIVE_STORES');
    expect(res.body.stores.map((s: { code: string }) => s.code)).toEqual(
      expect.arrayContaining(['11', '3', '8']),
    );
    expect(res.body.total).toBe(res.body.stores.length);
  });

  it('lets a central admin manage its subtree only: everything else is 404', async () => {
    const user = await t.request('POST', '/api/v1/users', {
      auth: ADMIN,
      body: {
        email: CENTRAL_ADMIN,
        name: 'Admin da Central Sul',
        password: 'Gestor-da-regiao-2026!',
        role: 'central_admin',
        nodeCode: 'SUL',
      },
    });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const login = await t.request('POST', '/api/v1/auth/login', {
      body: { email: CENTRAL_ADMIN, password: 'Gestor-da-regiao-2026!' },
    });
    const central = login.body.token as string;

    // Another central with a store, added by the network admin.
    const norte = await t.request('POST', '/api/v1/nodes', {
      auth: ADMIN,
      body: { parentCode: 'DEMO', kind: 'central', code: 'NORTE', name: 'Central Norte', legalName: 'Norte' },
    });
    expect(norte.status, JSON.stringify(norte.body)).toBe(201);
    const s41 = await t.request('POST', '/api/v1/nodes', {
      auth: ADMIN,
      body: storeBody('41', { parentCode: 'NORTE', cnpj: '11.444.777/0001-61' }),
    });
    expect(s41.status, JSON.stringify(s41.body)).toBe(201);

    expect((await t.request('GET', '/api/v1/nodes/41', { auth: central })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/nodes/NORTE', { auth: central })).status).toBe(404);
    for (const code of ['41', 'NORTE', 'DEMO']) {
      const res = await t.request('PATCH', `/api/v1/nodes/${code}`, {
        auth: central,
        body: { version: 1, email: 'x@example.com' },
      });
      expect(res.status, code).toBe(404);
      expect((await t.request('DELETE', `/api/v1/nodes/${code}`, { auth: central })).status, code).toBe(404);
    }
    const under = await t.request('POST', '/api/v1/nodes', {
      auth: central,
      body: storeBody('42', { parentCode: 'NORTE', cnpj: '11.444.777/0001-61' }),
    });
    expect(under.status).toBe(422);
    expect(under.body.errors[0]).toMatchObject({ path: '/parentCode', code: 'NETWORK.PARENT_UNKNOWN' });
    const own = await t.request('POST', '/api/v1/nodes', {
      auth: central,
      body: storeBody('43', { cnpj: '34.028.316/0001-03' }),
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const [event] = await auditOf('43', 'node.created');
    expect(event.actor).toMatchObject({ name: 'Admin da Central Sul' });
  });

  it('answers the municipalities of a state for the autocomplete', async () => {
    const res = await t.request('GET', '/api/v1/municipalities?state=SP&q=campinas', { auth: LOJA11 });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toEqual({
      code: '3509502',
      name: 'Campinas',
      state: 'SP',
      latitude: expect.any(Number),
      longitude: expect.any(Number),
    });
    const many = await t.request('GET', '/api/v1/municipalities?state=MG&q=a', { auth: LOJA11 });
    expect(many.body.items).toHaveLength(20);
    const bad = await t.request('GET', '/api/v1/municipalities?state=XX&q=a', { auth: LOJA11 });
    expect(bad.status).toBe(422);
  });
});
