import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness.ts';
import { idempotencyKeys } from '../platform/http/schema.ts';

const TEMPORARY = /^[A-HJ-NP-Za-km-z2-9]{16}$/;

describe.each(databaseKinds())('users, passwords and sessions on the %s database', (kind) => {
  let t: TestApp;
  const admin = 'admin@demo.local';
  const central = 'central@demo.local';

  const createUser = (body: Record<string, unknown>, auth = admin) =>
    t.request('POST', '/api/v1/users', { auth, body: { name: 'Fulano de Tal', ...body } });
  const login = (email: string, password: string) =>
    t.request('POST', '/api/v1/auth/login', { body: { email, password } });
  const findUser = async (q: string) =>
    (await t.request('GET', `/api/v1/users?q=${encodeURIComponent(q)}`, { auth: admin })).body.items;
  const auditOf = async (label: string) =>
    (await t.request('GET', `/api/v1/audit-events?target=${encodeURIComponent(label)}`, { auth: admin })).body
      .items as { action: string; before: unknown; after: unknown }[];

  beforeAll(async () => {
    t = await startTestApp(kind);
    const res = await createUser({
      email: central,
      name: 'Central',
      password: TEST_PASSWORD,
      role: 'central_admin',
      nodeCode: 'SUL',
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => t?.close());

  it('creates a user with a temporary password shown once, to be changed before anything else', async () => {
    const created = await createUser({ email: 'Nova@demo.local', role: 'store_manager', nodeCode: '8' });
    expect(created).toMatchObject({
      status: 201,
      body: { email: 'nova@demo.local', nodeCode: '8', active: true, mustChangePassword: true },
    });
    const temporary: string = created.body.temporaryPassword;
    expect(temporary).toMatch(TEMPORARY);
    const [listed] = await findUser('nova@');
    expect(listed).toMatchObject({ id: created.body.id, mustChangePassword: true });
    expect(listed).not.toHaveProperty('temporaryPassword');

    const session = await login('nova@demo.local', temporary);
    expect(session).toMatchObject({ status: 200, body: { mustChangePassword: true } });
    const token = session.body.token;
    expect(await t.request('GET', '/api/v1/orders', { auth: token })).toMatchObject({
      status: 403,
      body: { code: 'AUTH.PASSWORD_CHANGE_REQUIRED' },
    });
    expect(await t.request('GET', '/api/v1/auth/me', { auth: token })).toMatchObject({
      status: 200,
      body: { mustChangePassword: true, grantableRoles: [] },
    });
    expect((await t.request('GET', '/api/v1/auth/sessions', { auth: token })).status).toBe(200);

    const change = (currentPassword: string, newPassword: string) =>
      t.request('POST', '/api/v1/auth/password', { auth: token, body: { currentPassword, newPassword } });
    expect(await change('errada-errada-1', 'Boa-senha-de-teste-1')).toMatchObject({
      status: 422,
      body: { errors: [{ path: '/currentPassword', code: 'ACCESS.PASSWORD_WRONG' }] },
    });
    expect(await change(temporary, 'curta-2026')).toMatchObject({
      status: 422,
      body: { errors: [{ path: '/newPassword', code: 'ACCESS.PASSWORD_TOO_SHORT', params: { min: 12 } }] },
    });
    expect((await change(temporary, 'NOVA-senha-2026')).body.errors).toEqual([
      expect.objectContaining({ path: '/newPassword', code: 'ACCESS.PASSWORD_CONTAINS_EMAIL' }),
    ]);
    expect((await change(temporary, 'Campinas-2026!')).body.errors).toEqual([
      expect.objectContaining({ path: '/newPassword', code: 'ACCESS.PASSWORD_CONTAINS_NODE_NAME' }),
    ]);
    expect((await change(temporary, temporary)).body.errors).toEqual([
      expect.objectContaining({ path: '/newPassword', code: 'ACCESS.PASSWORD_UNCHANGED' }),
    ]);
    expect(await change(temporary, 'Boa-senha-de-teste-1')).toMatchObject({
      status: 200,
      body: { mustChangePassword: false },
    });

    expect((await t.request('GET', '/api/v1/orders', { auth: token })).status).toBe(200);
    expect((await login('nova@demo.local', temporary)).status).toBe(401);
    expect(await login('nova@demo.local', 'Boa-senha-de-teste-1')).toMatchObject({
      status: 200,
      body: { mustChangePassword: false, user: { mustChangePassword: false } },
    });
    const events = await auditOf('nova@demo.local');
    expect(events.map((e) => e.action).sort()).toEqual(['user.created', 'user.password_changed']);
    const logged = JSON.stringify(events);
    expect(logged).not.toContain(temporary);
    expect(logged).not.toContain('Boa-senha-de-teste-1');
  });

  it('keeps no temporary password for an idempotent replay: a retry is refused, nothing made twice', async () => {
    const headers = { 'idempotency-key': 'novo-usuario-1' };
    const body = { email: 'repetido@demo.local', name: 'Repetido', role: 'store_staff', nodeCode: '11' };
    const first = await t.request('POST', '/api/v1/users', { auth: admin, body, headers });
    expect(first.status).toBe(201);
    const again = await t.request('POST', '/api/v1/users', { auth: admin, body, headers });
    expect(again).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY.SECRET_NOT_REPLAYED' } });
    const reset = await t.request('POST', `/api/v1/users/${first.body.id}/password-reset`, {
      auth: admin,
      headers: { 'idempotency-key': 'reset-1' },
    });
    expect(reset.status).toBe(200);
    const kept = JSON.stringify(await t.database.db.select().from(idempotencyKeys));
    expect(kept).not.toContain(first.body.temporaryPassword);
    expect(kept).not.toContain(reset.body.temporaryPassword);
  });

  it('holds a provisioned password to the policy, and then needs no change', async () => {
    const short = await createUser({
      email: 'prov@demo.local',
      role: 'store_staff',
      nodeCode: '3',
      password: 'curta',
    });
    expect(short).toMatchObject({
      status: 422,
      body: {
        code: 'ACCESS.WEAK_PASSWORD',
        errors: [{ path: '/password', code: 'ACCESS.PASSWORD_TOO_SHORT', params: { min: 12 } }],
      },
    });
    const named = await createUser({
      email: 'prov@demo.local',
      role: 'store_staff',
      nodeCode: '3',
      password: 'curitiba-forever-9',
    });
    expect(named.body.errors).toEqual([
      expect.objectContaining({ path: '/password', code: 'ACCESS.PASSWORD_CONTAINS_NODE_NAME' }),
    ]);
    expect(await findUser('prov@')).toEqual([]);

    const good = await createUser({
      email: 'prov@demo.local',
      role: 'store_staff',
      nodeCode: '3',
      password: TEST_PASSWORD,
    });
    expect(good).toMatchObject({ status: 201, body: { mustChangePassword: false } });
    expect(good.body).not.toHaveProperty('temporaryPassword');
    expect((await t.request('GET', '/api/v1/orders', { auth: 'prov@demo.local' })).status).toBe(200);
  });

  it('refuses a role above your own (403), a node of the wrong kind (422) and a taken e-mail (409), naming the field', async () => {
    const above = await createUser(
      { email: 'x@demo.local', role: 'network_admin', nodeCode: 'DEMO' },
      central,
    );
    expect(above).toMatchObject({
      status: 403,
      body: {
        code: 'ACCESS.ROLE_NOT_GRANTABLE',
        errors: [{ path: '/role', code: 'ACCESS.ROLE_NOT_GRANTABLE' }],
      },
    });
    const wrongNode = await createUser({ email: 'y@demo.local', role: 'store_staff', nodeCode: 'SUL' });
    expect(wrongNode).toMatchObject({
      status: 422,
      body: {
        code: 'ACCESS.ROLE_NODE_MISMATCH',
        errors: [{ path: '/nodeCode', code: 'ACCESS.NODE_KIND_FOR_ROLE' }],
      },
    });
    const dup = await createUser({ email: 'LOJA8@demo.local', role: 'store_staff', nodeCode: '8' });
    expect(dup).toMatchObject({
      status: 409,
      body: { code: 'ACCESS.EMAIL_TAKEN', errors: [{ path: '/email', code: 'ACCESS.EMAIL_TAKEN' }] },
    });
    expect(await findUser('x@demo')).toEqual([]);
    expect(await findUser('y@demo')).toEqual([]);
  });

  it('lets a central admin manage its subtree only: everything outside is not found', async () => {
    const norte = await t.request('POST', '/api/v1/nodes', {
      auth: admin,
      body: {
        parentCode: 'DEMO',
        kind: 'central',
        code: 'NORTE',
        name: 'Central Norte',
        legalName: 'Norte Ltda.',
      },
    });
    expect(norte.status).toBe(201);
    const outsider = await createUser({
      email: 'norte@demo.local',
      role: 'central_admin',
      nodeCode: 'NORTE',
      password: TEST_PASSWORD,
    });
    expect(outsider.status).toBe(201);
    const network = (await findUser('admin@demo.local'))[0];

    const emails = (await t.request('GET', '/api/v1/users?limit=200', { auth: central })).body.items.map(
      (u: { email: string }) => u.email,
    );
    expect(emails).toContain('loja8@demo.local');
    expect(emails).not.toContain('admin@demo.local');
    expect(emails).not.toContain('norte@demo.local');

    expect(await t.request('GET', '/api/v1/users?nodeCode=NORTE', { auth: central })).toMatchObject({
      status: 404,
      body: { errors: [{ path: '/nodeCode' }] },
    });
    for (const id of [outsider.body.id, network.id]) {
      expect(
        (await t.request('PATCH', `/api/v1/users/${id}`, { auth: central, body: { active: false } })).status,
      ).toBe(404);
      expect((await t.request('POST', `/api/v1/users/${id}/password-reset`, { auth: central })).status).toBe(
        404,
      );
    }
    const there = await createUser(
      { email: 'z@demo.local', role: 'central_admin', nodeCode: 'NORTE' },
      central,
    );
    expect(there).toMatchObject({
      status: 422,
      body: { errors: [{ path: '/nodeCode', code: 'ACCESS.NODE_NOT_MANAGED' }] },
    });
    expect(await findUser('z@demo')).toEqual([]);
    expect((await login('norte@demo.local', TEST_PASSWORD)).status).toBe(200);
  });

  it('filters by node, role, activity and text, page after page', async () => {
    const get = async (q: string) => (await t.request('GET', `/api/v1/users?${q}`, { auth: admin })).body;
    const at8 = (await get('nodeCode=8')).items;
    expect(at8.length).toBeGreaterThan(0);
    expect(at8.every((u: { nodeCode: string }) => u.nodeCode === '8')).toBe(true);
    const underSul = (await get('nodeCode=SUL&limit=200')).items.map((u: { nodeCode: string }) => u.nodeCode);
    expect(new Set(underSul)).toEqual(new Set(['SUL', '11', '8', '3']));
    const managers = (await get('role=store_manager&limit=200')).items;
    expect(managers.every((u: { role: string }) => u.role === 'store_manager')).toBe(true);
    expect((await get('q=LOJA1')).items.map((u: { email: string }) => u.email)).toEqual([
      'loja11@demo.local',
    ]);
    expect((await get('q=Gerente da Loja 3')).items.map((u: { email: string }) => u.email)).toEqual([
      'loja3@demo.local',
    ]);
    expect((await get('active=false')).items.every((u: { active: boolean }) => !u.active)).toBe(true);

    const all = (await get('limit=200')).items.map((u: { email: string }) => u.email);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.items.map((u: { email: string }) => u.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it('changes a role within what you may grant and what the node allows, never your own', async () => {
    const user = (
      await createUser({
        email: 'staff3@demo.local',
        role: 'store_staff',
        nodeCode: '3',
        password: TEST_PASSWORD,
      })
    ).body;
    const patch = (body: unknown, auth = admin, id = user.id) =>
      t.request('PATCH', `/api/v1/users/${id}`, { auth, body });
    expect(await patch({ role: 'store_manager' })).toMatchObject({
      status: 200,
      body: { role: 'store_manager' },
    });
    expect(await patch({ role: 'central_admin' })).toMatchObject({
      status: 422,
      body: { errors: [{ path: '/role', code: 'ACCESS.ROLE_FOR_NODE_KIND', params: { kind: 'store' } }] },
    });
    expect(await patch({ role: 'network_admin' }, central)).toMatchObject({
      status: 403,
      body: { errors: [{ path: '/role', code: 'ACCESS.ROLE_NOT_GRANTABLE' }] },
    });
    const me = (await t.request('GET', '/api/v1/auth/me', { auth: central })).body;
    expect(await patch({ name: 'Eu mesmo' }, central, me.id)).toMatchObject({
      status: 409,
      body: { code: 'ACCESS.SELF' },
    });
    expect(await patch({ name: 'Equipe Três' }, central)).toMatchObject({
      status: 200,
      body: { name: 'Equipe Três' },
    });
    const events = await auditOf('staff3@demo.local');
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'user.role_changed',
        before: { role: 'store_staff' },
        after: { role: 'store_manager' },
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ action: 'user.updated', after: { name: 'Equipe Três' } }),
    );
  });

  it('deactivating ends the sessions at once; reactivating lets the user in again', async () => {
    const created = await createUser({
      email: 'temp@demo.local',
      role: 'store_staff',
      nodeCode: '3',
      password: TEST_PASSWORD,
    });
    const token = await t.token('temp@demo.local');
    expect((await t.request('GET', '/api/v1/auth/me', { auth: token })).status).toBe(200);
    const off = await t.request('PATCH', `/api/v1/users/${created.body.id}`, {
      auth: admin,
      body: { active: false },
    });
    expect(off).toMatchObject({ status: 200, body: { active: false } });
    expect((await t.request('GET', '/api/v1/auth/me', { auth: token })).status).toBe(401);
    expect((await login('temp@demo.local', TEST_PASSWORD)).status).toBe(401);
    const on = await t.request('PATCH', `/api/v1/users/${created.body.id}`, {
      auth: admin,
      body: { active: true },
    });
    expect(on).toMatchObject({ status: 200, body: { active: true } });
    expect((await t.request('GET', '/api/v1/auth/me', { auth: token })).status).toBe(401);
    expect((await login('temp@demo.local', TEST_PASSWORD)).status).toBe(200);
    const actions = (await auditOf('temp@demo.local')).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.deactivated', 'user.reactivated']));
    expect((await auditOf('temp@demo.local')).find((e) => e.action === 'user.deactivated')?.after).toEqual({
      active: false,
      sessionsEnded: 1,
    });
  });

  it('a reset answers a temporary password once, ends the sessions and forces a change at sign-in', async () => {
    const created = await createUser({
      email: 'reset@demo.local',
      role: 'store_staff',
      nodeCode: '11',
      password: TEST_PASSWORD,
    });
    const token = await t.token('reset@demo.local');
    const reset = await t.request('POST', `/api/v1/users/${created.body.id}/password-reset`, { auth: admin });
    expect(reset.status).toBe(200);
    expect(reset.body.temporaryPassword).toMatch(TEMPORARY);
    expect((await t.request('GET', '/api/v1/auth/me', { auth: token })).status).toBe(401);
    expect((await login('reset@demo.local', TEST_PASSWORD)).status).toBe(401);
    const again = await login('reset@demo.local', reset.body.temporaryPassword);
    expect(again).toMatchObject({ status: 200, body: { mustChangePassword: true } });
    expect((await t.request('GET', '/api/v1/stock', { auth: again.body.token })).body.code).toBe(
      'AUTH.PASSWORD_CHANGE_REQUIRED',
    );
    expect(
      (await t.request('POST', '/api/v1/auth/logout', { auth: again.body.token, body: {} })).status,
    ).toBe(204);
    const me = (await t.request('GET', '/api/v1/auth/me', { auth: admin })).body;
    expect((await t.request('POST', `/api/v1/users/${me.id}/password-reset`, { auth: admin })).status).toBe(
      409,
    );
    const events = await auditOf('reset@demo.local');
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'user.password_reset',
        after: { passwordChangeRequired: true, sessionsEnded: 1 },
      }),
    );
    expect(JSON.stringify(events)).not.toContain(reset.body.temporaryPassword);
  });

  it('shows your own sessions and ends one of them; changing the password ends the others', async () => {
    await createUser({
      email: 'dois@demo.local',
      role: 'store_staff',
      nodeCode: '8',
      password: TEST_PASSWORD,
    });
    const first = (await login('dois@demo.local', TEST_PASSWORD)).body.token;
    const second = (await login('dois@demo.local', TEST_PASSWORD)).body.token;
    const third = (await login('dois@demo.local', TEST_PASSWORD)).body.token;
    const listed = await t.request('GET', '/api/v1/auth/sessions', { auth: second });
    expect(listed.body.items).toHaveLength(3);
    const current = listed.body.items.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ address: '127.0.0.1', userAgent: expect.any(String) });
    const other = listed.body.items.find((s: { current: boolean }) => !s.current);

    const foreign = await t.request('DELETE', `/api/v1/auth/sessions/${other.id}`, {
      auth: 'loja8@demo.local',
    });
    expect(foreign).toMatchObject({ status: 404, body: { code: 'ACCESS.SESSION_NOT_FOUND' } });
    expect((await t.request('DELETE', `/api/v1/auth/sessions/${other.id}`, { auth: second })).status).toBe(
      204,
    );
    expect((await t.request('DELETE', `/api/v1/auth/sessions/${other.id}`, { auth: second })).status).toBe(
      404,
    );
    const statuses: number[] = [];
    for (const tok of [first, third]) {
      statuses.push((await t.request('GET', '/api/v1/auth/me', { auth: tok })).status);
    }
    expect(statuses.sort()).toEqual([200, 401]);
    expect((await auditOf('dois@demo.local')).map((e) => e.action)).toContain('session.ended');

    const changed = await t.request('POST', '/api/v1/auth/password', {
      auth: second,
      body: { currentPassword: TEST_PASSWORD, newPassword: 'Outra-senha-boa-7' },
    });
    expect(changed).toMatchObject({ status: 200, body: { sessionsEnded: 1 } });
    expect((await t.request('GET', '/api/v1/auth/me', { auth: second })).status).toBe(200);
    for (const tok of [first, third]) {
      expect((await t.request('GET', '/api/v1/auth/me', { auth: tok })).status).toBe(401);
    }
    expect((await t.request('GET', '/api/v1/auth/sessions', { auth: second })).body.items).toHaveLength(1);
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
      mustChangePassword: false,
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
      last = await login('nobody@demo.local', 'x');
    }
    expect(last).toMatchObject({ status: 429, body: { status: 429, code: 'REQUEST.RATE_LIMITED' } });
  });
});
