import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';

describe.each(databaseKinds())('network on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  it('shows a store itself and its public ancestors, never its siblings', async () => {
    const list = await t.request('GET', '/api/v1/nodes', { auth: 'loja11@demo.local' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((n: { code: string }) => n.code).sort()).toEqual(['11', 'DEMO', 'SUL']);
    expect((await t.request('GET', '/api/v1/nodes/8', { auth: 'loja11@demo.local' })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/nodes/11', { auth: 'loja11@demo.local' })).body.cnpj).toBe(
      '45997418000153',
    );
  });

  it('hides a private central from the stores under it, in the list as well as by code', async () => {
    const central = (await t.request('GET', '/api/v1/nodes/SUL', { auth: 'admin@demo.local' })).body;
    const hidden = await t.request('PATCH', '/api/v1/nodes/SUL', {
      auth: 'admin@demo.local',
      body: { version: central.version, visibility: 'private' },
    });
    expect(hidden.status).toBe(200);
    try {
      const list = await t.request('GET', '/api/v1/nodes', { auth: 'loja11@demo.local' });
      expect(list.body.items.map((n: { code: string }) => n.code).sort()).toEqual(['11', 'DEMO']);
      expect((await t.request('GET', '/api/v1/nodes/SUL', { auth: 'loja11@demo.local' })).status).toBe(404);
      const centrals = await t.request('GET', '/api/v1/nodes?kind=central', { auth: 'loja11@demo.local' });
      expect(centrals.body.items).toEqual([]);
      const admin = await t.request('GET', '/api/v1/nodes', { auth: 'admin@demo.local' });
      expect(admin.body.items.map((n: { code: string }) => n.code)).toContain('SUL');
    } finally {
      await t.request('PATCH', '/api/v1/nodes/SUL', {
        auth: 'admin@demo.local',
        body: { version: hidden.body.version, visibility: 'public' },
      });
    }
  });

  it('lets the network admin add a store with an alphanumeric CNPJ and refuses bad check digits', async () => {
    const body = {
      parentCode: 'SUL',
      kind: 'store',
      code: '21',
      name: 'Loja 21',
      legalName: 'Loja 21 Ltda.',
      cnpj: '12.ABC.345/01DE-35',
      address: {
        street: 'Rua A',
        number: '1',
        district: 'Centro',
        city: 'Santos',
        cityCode: '3548500',
        state: 'SP',
        postalCode: '11010-000',
      },
    };
    const created = await t.request('POST', '/api/v1/nodes', { auth: 'admin@demo.local', body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: '21', cnpj: '12ABC34501DE35', parentCode: 'SUL' });

    const bad = await t.request('POST', '/api/v1/nodes', {
      auth: 'admin@demo.local',
      body: { ...body, code: '22', cnpj: '12ABC34501DE36' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toContainEqual({
      path: '/cnpj',
      code: 'NETWORK.CNPJ_INVALID',
      message: 'is not a valid CNPJ (check digits)',
    });
    expect((await t.request('GET', '/api/v1/nodes/22', { auth: 'admin@demo.local' })).status).toBe(404);
  });

  it('refuses a stale version with 409', async () => {
    const node = (await t.request('GET', '/api/v1/nodes/3', { auth: 'admin@demo.local' })).body;
    const first = await t.request('PATCH', '/api/v1/nodes/3', {
      auth: 'admin@demo.local',
      body: { version: node.version, email: 'curitiba@demo.local' },
    });
    expect(first.status).toBe(200);
    const stale = await t.request('PATCH', '/api/v1/nodes/3', {
      auth: 'admin@demo.local',
      body: { version: node.version, email: 'other@demo.local' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('NETWORK.STALE_VERSION');
  });
});
