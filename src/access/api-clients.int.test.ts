import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness.ts';

const ADMIN = 'admin@demo.local';
const CENTRAL = 'central.keys@demo.local';

describe.each(databaseKinds())('API clients, keys and POS pairing on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    const central = await t.request('POST', '/api/v1/users', {
      auth: ADMIN,
      body: {
        email: CENTRAL,
        name: 'Central',
        password: TEST_PASSWORD,
        role: 'central_admin',
        nodeCode: 'SUL',
      },
    });
    expect(central.status).toBe(201);
  });
  afterAll(() => t?.close());

  const me = (key: string) => t.request('GET', '/api/v1/auth/me', { auth: key });
  const createPos = async (name: string, nodeCode = '8', auth = ADMIN) => {
    const res = await t.request('POST', '/api/v1/api-clients', {
      auth,
      body: { name, scope: 'pos', nodeCode },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; key: string; keys: { id: string; prefix: string }[] };
  };
  const events = async (clientId: string) =>
    (await t.request('GET', `/api/v1/audit-events?target=${clientId}&limit=100`, { auth: ADMIN })).body
      .items as { action: string; before: unknown; after: unknown }[];

  it('creates a client whose key is answered once and works; the list shows its keys by prefix only', async () => {
    const created = await createPos('PDV caixa 1');
    expect(created).toMatchObject({ scope: 'pos', nodeCode: '8', active: true, lastUsedAt: null });
    expect(created.key).toMatch(/^ohk_/);
    expect(created.keys).toEqual([
      expect.objectContaining({ prefix: created.key.slice(0, 8), lastUsedAt: null }),
    ]);
    expect((await me(created.key)).body).toMatchObject({ kind: 'client', actor: 'pos', nodeCode: '8' });

    const list = await t.request('GET', '/api/v1/api-clients?scope=pos&nodeCode=8&active=true', {
      auth: ADMIN,
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(created.id);
    expect(JSON.stringify(list.body)).not.toContain(created.key);
    const one = await t.request('GET', `/api/v1/api-clients/${created.id}`, { auth: ADMIN });
    expect(one.body).toMatchObject({ id: created.id, nodeName: expect.any(String) });
    expect(one.body.keys[0].lastUsedAt).not.toBeNull();
    expect(one.body.lastUsedAt).toBe(one.body.keys[0].lastUsedAt);
    const platforms = await t.request('GET', '/api/v1/api-clients?scope=platform', { auth: ADMIN });
    expect(platforms.body.items.every((c: { scope: string }) => c.scope === 'platform')).toBe(true);

    const audit = await events(created.id);
    expect(audit.map((e) => e.action)).toContain('api_client.created');
    expect(JSON.stringify(audit)).not.toContain(created.key);
  });

  it('never keeps a new key for an Idempotency-Key replay: the retry is told, nothing is created twice', async () => {
    const send = () =>
      t.request('POST', '/api/v1/api-clients', {
        auth: ADMIN,
        headers: { 'idempotency-key': 'create-pdv-once' },
        body: { name: 'PDV idempotente', scope: 'pos', nodeCode: '3' },
      });
    const first = await send();
    expect(first.status).toBe(201);
    const again = await send();
    expect(again).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY.SECRET_NOT_REPLAYED' } });
    const list = (await t.request('GET', '/api/v1/api-clients?nodeCode=3', { auth: ADMIN })).body.items;
    expect(list.filter((c: { name: string }) => c.name === 'PDV idempotente')).toHaveLength(1);
    const kept = await t.database.db.execute(
      sql`select count(*)::int as n from idempotency_keys where response_body like ${`%${first.body.key}%`}`,
    );
    expect(Number((kept as unknown as { rows: { n: number }[] }).rows[0]!.n)).toBe(0);
  });

  it('refuses a POS client without a store, naming /nodeCode, and writes nothing', async () => {
    const before = (await t.request('GET', '/api/v1/api-clients', { auth: ADMIN })).body.items.length;
    const res = await t.request('POST', '/api/v1/api-clients', {
      auth: ADMIN,
      body: { name: 'PDV sem loja', scope: 'pos', nodeCode: 'SUL' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: '/nodeCode', code: 'ACCESS.NODE_KIND_FOR_ROLE' }),
    ]);
    const missing = await t.request('POST', '/api/v1/api-clients', {
      auth: ADMIN,
      body: { name: 'PDV', scope: 'pos' },
    });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body.errors)).toContain('nodeCode');
    expect((await t.request('GET', '/api/v1/api-clients', { auth: ADMIN })).body.items.length).toBe(before);
  });

  it('rotates with an overlap: the old key works within it and stops at its end', async () => {
    const created = await createPos('PDV rotação');
    const rotated = await t.request('POST', `/api/v1/api-clients/${created.id}/keys`, {
      auth: ADMIN,
      body: { overlapHours: 24 },
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body.key).not.toBe(created.key);
    expect((await me(created.key)).status).toBe(200);
    expect((await me(rotated.body.key)).status).toBe(200);
    const detail = (await t.request('GET', `/api/v1/api-clients/${created.id}`, { auth: ADMIN })).body;
    const old = detail.keys.find((k: { id: string }) => k.id === created.keys[0]!.id);
    const hours = (Date.parse(old.expiresAt) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    // The end of the overlap, without waiting a day.
    await t.database.db.execute(
      sql`update api_client_keys set expires_at = now() - interval '1 second' where id = ${old.id}`,
    );
    expect((await me(created.key)).status).toBe(401);
    expect((await me(rotated.body.key)).status).toBe(200);

    const now = await t.request('POST', `/api/v1/api-clients/${created.id}/keys`, {
      auth: ADMIN,
      body: { overlapHours: 0 },
    });
    expect(now.status).toBe(201);
    expect((await me(rotated.body.key)).status).toBe(401);
    expect((await me(now.body.key)).status).toBe(200);
    const tooLong = await t.request('POST', `/api/v1/api-clients/${created.id}/keys`, {
      auth: ADMIN,
      body: { overlapHours: 169 },
    });
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(tooLong.body.errors)).toContain('/overlapHours');
    const audit = await events(created.id);
    expect(audit.filter((e) => e.action === 'api_client.key_created')).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(now.body.key);
  });

  it('revokes one key, then the client: their keys answer 401', async () => {
    const created = await createPos('PDV revogação');
    const second = (
      await t.request('POST', `/api/v1/api-clients/${created.id}/keys`, { auth: ADMIN, body: {} })
    ).body;
    const revokeKey = await t.request(
      'DELETE',
      `/api/v1/api-clients/${created.id}/keys/${created.keys[0]!.id}`,
      {
        auth: ADMIN,
      },
    );
    expect(revokeKey.status).toBe(204);
    expect((await me(created.key)).status).toBe(401);
    expect((await me(second.key)).status).toBe(200);
    const revoke = await t.request('DELETE', `/api/v1/api-clients/${created.id}`, { auth: ADMIN });
    expect(revoke.status).toBe(204);
    expect((await me(second.key)).status).toBe(401);
    const detail = (await t.request('GET', `/api/v1/api-clients/${created.id}`, { auth: ADMIN })).body;
    expect(detail).toMatchObject({ active: false, revokedAt: expect.any(String) });
    const inactive = await t.request('GET', '/api/v1/api-clients?active=false', { auth: ADMIN });
    expect(inactive.body.items.map((c: { id: string }) => c.id)).toContain(created.id);
    const actions = (await events(created.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['api_client.key_revoked', 'api_client.revoked']));
    const rotateRevoked = await t.request('POST', `/api/v1/api-clients/${created.id}/keys`, {
      auth: ADMIN,
      body: {},
    });
    expect(rotateRevoked).toMatchObject({ status: 409, body: { code: 'ACCESS.CLIENT_REVOKED' } });
  });

  it('pairs a POS with a code: single use, expiring, the same answer for unknown, used and expired', async () => {
    const created = await createPos('PDV pareamento');
    const codeRes = await t.request('POST', `/api/v1/api-clients/${created.id}/pairing-codes`, {
      auth: ADMIN,
    });
    expect(codeRes.status).toBe(201);
    const { code, expiresAt } = codeRes.body;
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    const minutes = (Date.parse(expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(9.9);
    expect(minutes).toBeLessThanOrEqual(10);

    const typed = code.replace('-', '').toLowerCase();
    const paired = await t.request('POST', '/api/v1/pos/pairing', { body: { code: typed } });
    expect(paired.status).toBe(201);
    expect(paired.body.client).toMatchObject({ id: created.id, storeCode: '8', name: 'PDV pareamento' });
    expect((await me(paired.body.key)).body).toMatchObject({ kind: 'client', id: created.id, nodeCode: '8' });
    expect((await me(created.key)).status).toBe(200);

    const again = await t.request('POST', '/api/v1/pos/pairing', { body: { code } });
    const unknown = await t.request('POST', '/api/v1/pos/pairing', { body: { code: 'AAAA-AAAA' } });
    const expiring = (
      await t.request('POST', `/api/v1/api-clients/${created.id}/pairing-codes`, { auth: ADMIN })
    ).body.code;
    await t.database.db.execute(
      sql`update api_client_pairing_codes set expires_at = now() - interval '1 second'
           where client_id = ${created.id} and used_at is null`,
    );
    const expired = await t.request('POST', '/api/v1/pos/pairing', { body: { code: expiring } });
    const failures = [again, unknown, expired];
    for (const f of failures) {
      expect(f.status).toBe(422);
      expect(f.body).toMatchObject({ code: 'ACCESS.PAIRING_CODE_INVALID' });
      expect(f.body.errors).toEqual([expect.objectContaining({ path: '/code' })]);
    }
    expect(new Set(failures.map((f) => JSON.stringify(f.body)))).toHaveProperty('size', 1);

    // A new code voids the unused older one.
    const first = (
      await t.request('POST', `/api/v1/api-clients/${created.id}/pairing-codes`, { auth: ADMIN })
    ).body;
    const second = (
      await t.request('POST', `/api/v1/api-clients/${created.id}/pairing-codes`, { auth: ADMIN })
    ).body;
    expect((await t.request('POST', '/api/v1/pos/pairing', { body: { code: first.code } })).status).toBe(422);
    expect((await t.request('POST', '/api/v1/pos/pairing', { body: { code: second.code } })).status).toBe(
      201,
    );

    const audit = await events(created.id);
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['api_client.pairing_code_created', 'api_client.paired']),
    );
    const text = JSON.stringify(audit);
    for (const secret of [code, code.replace('-', ''), paired.body.key]) expect(text).not.toContain(secret);
  });

  it('gives pairing codes to POS clients only', async () => {
    const platform = await t.request('POST', '/api/v1/api-clients', {
      auth: ADMIN,
      body: { name: 'Loja virtual 2', scope: 'platform', nodeCode: 'DEMO' },
    });
    expect(platform.status).toBe(201);
    const res = await t.request('POST', `/api/v1/api-clients/${platform.body.id}/pairing-codes`, {
      auth: ADMIN,
    });
    expect(res).toMatchObject({ status: 409, body: { code: 'ACCESS.PAIRING_ONLY_POS' } });
  });

  it('lets a central admin manage only its subtree: 404 outside it', async () => {
    const network = await t.request('POST', '/api/v1/api-clients', {
      auth: ADMIN,
      body: { name: 'Plataforma da rede', scope: 'platform', nodeCode: 'DEMO' },
    });
    const id = network.body.id;
    for (const [method, url] of [
      ['GET', `/api/v1/api-clients/${id}`],
      ['POST', `/api/v1/api-clients/${id}/keys`],
      ['DELETE', `/api/v1/api-clients/${id}/keys/${network.body.keys[0].id}`],
      ['DELETE', `/api/v1/api-clients/${id}`],
    ] as const) {
      const res = await t.request(method, url, { auth: CENTRAL, ...(method === 'POST' ? { body: {} } : {}) });
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    const list = await t.request('GET', '/api/v1/api-clients', { auth: CENTRAL });
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(id);
    expect((await me(network.body.key)).status).toBe(200);
    // Inside its subtree it creates and pairs POS clients.
    const own = await createPos('PDV da central', '3', CENTRAL);
    const code = await t.request('POST', `/api/v1/api-clients/${own.id}/pairing-codes`, { auth: CENTRAL });
    expect(code.status).toBe(201);
  });

  it('keeps the demo keys working', async () => {
    expect((await me('demo-platform-key')).body).toMatchObject({ kind: 'client', actor: 'platform' });
    expect((await me('demo-pos-11')).body).toMatchObject({ kind: 'client', actor: 'pos', nodeCode: '11' });
    const list = (await t.request('GET', '/api/v1/api-clients', { auth: ADMIN })).body.items;
    const demo = list.find(
      (c: { scope: string; nodeCode: string }) => c.scope === 'pos' && c.nodeCode === '11',
    );
    expect(demo.keys[0]).toMatchObject({ prefix: 'demo-pos', lastUsedAt: expect.any(String) });
  });

  // Last: it uses up this address's pairing attempts for the minute.
  it('limits pairing attempts per address: guessing codes meets 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await t.request('POST', '/api/v1/pos/pairing', { body: { code: 'AAAA-AAAA' } })).status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 422 && s !== 429)).toEqual([]);
  });
});
