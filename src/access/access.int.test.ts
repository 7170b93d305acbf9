import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';

describe.each(databaseKinds())('users and API clients on the %s database', (kind) => {
  let t: TestApp;
  const admin = 'admin@demo.local';
  beforeAll(async () => {
    t = await startTestApp(kind);
    const central = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: {
        email: 'central@demo.local',
        name: 'Central',
        password: 'demo1234',
        role: 'central_admin',
        nodeCode: 'SUL',
      },
    });
    expect(central.status).toBe(201);
  });
  afterAll(() => t?.close());

  it('never hands out a role above the creator, nor binds a role to the wrong kind of node', async () => {
    const above = await t.request('POST', '/api/v1/users', {
      auth: 'central@demo.local',
      body: {
        email: 'x@demo.local',
        name: 'X',
        password: 'demo1234',
        role: 'network_admin',
        nodeCode: 'DEMO',
      },
    });
    expect(above).toMatchObject({ status: 403, body: { code: 'ACCESS.ROLE_NOT_GRANTABLE' } });
    const wrongNode = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: { email: 'y@demo.local', name: 'Y', password: 'demo1234', role: 'store_staff', nodeCode: 'SUL' },
    });
    expect(wrongNode).toMatchObject({ status: 422, body: { code: 'ACCESS.ROLE_NODE_MISMATCH' } });
  });

  it('refuses weak passwords and duplicate e-mails', async () => {
    const weak = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: { email: 'w@demo.local', name: 'W', password: 'abcdefgh', role: 'store_staff', nodeCode: '8' },
    });
    expect(weak).toMatchObject({ status: 422, body: { code: 'ACCESS.WEAK_PASSWORD' } });
    const dup = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: {
        email: 'LOJA8@demo.local',
        name: 'D',
        password: 'demo1234',
        role: 'store_staff',
        nodeCode: '8',
      },
    });
    expect(dup).toMatchObject({ status: 409, body: { code: 'ACCESS.EMAIL_TAKEN' } });
  });

  it('a central admin lists only the users of its subtree', async () => {
    const list = await t.request('GET', '/api/v1/users', { auth: 'central@demo.local' });
    const emails = list.body.items.map((u: { email: string }) => u.email);
    expect(emails).toContain('loja8@demo.local');
    expect(emails).not.toContain('admin@demo.local');
  });

  it('deactivating a user ends its sessions', async () => {
    const created = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: {
        email: 'temp@demo.local',
        name: 'Temp',
        password: 'demo1234',
        role: 'store_staff',
        nodeCode: '3',
      },
    });
    const token = await t.token('temp@demo.local');
    expect((await t.request('GET', '/api/v1/auth/me', { auth: token })).status).toBe(200);
    const off = await t.request('PATCH', `/api/v1/users/${created.body.id}`, {
      auth: admin,
      body: { active: false },
    });
    expect(off).toMatchObject({ status: 200, body: { active: false } });
    expect((await t.request('GET', '/api/v1/auth/me', { auth: token })).status).toBe(401);
    const relogin = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'temp@demo.local', password: 'demo1234' },
    });
    expect(relogin.status).toBe(401);
  });

  it('shows a new API key once, authenticates with it, and refuses it once revoked', async () => {
    const created = await t.request('POST', '/api/v1/api-clients', {
      auth: admin,
      body: { name: 'PDV loja 8', scope: 'pos', nodeCode: '8' },
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^ohk_/);
    expect((await t.request('GET', '/api/v1/auth/me', { auth: created.body.key })).body).toMatchObject({
      actor: 'pos',
    });
    const listed = await t.request('GET', '/api/v1/api-clients', { auth: admin });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect(
      (await t.request('DELETE', `/api/v1/api-clients/${created.body.id}`, { auth: admin })).status,
    ).toBe(204);
    expect((await t.request('GET', '/api/v1/auth/me', { auth: created.body.key })).status).toBe(401);
  });

  it('throttles repeated login attempts with 429', async () => {
    let last: { status: number; body: any } = { status: 0, body: null };
    for (let i = 0; i < 25; i++) {
      last = await t.request('POST', '/api/v1/auth/login', {
        body: { email: 'nobody@demo.local', password: 'x' },
      });
    }
    expect(last).toMatchObject({ status: 429, body: { status: 429, code: 'REQUEST.RATE_LIMITED' } });
  });
});
