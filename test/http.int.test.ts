import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from './harness.ts';

describe.each(databaseKinds())('HTTP conventions on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const newStore = (code: string) => ({
    parentCode: 'SUL',
    kind: 'store',
    code,
    name: `Loja ${code}`,
    legalName: `Loja ${code} Ltda.`,
    cnpj: '11444777000161',
  });

  it('serves health, the OpenAPI document and the rendered reference', async () => {
    expect(await t.request('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const doc = await t.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/nodes']),
    );
    expect((await t.request('GET', '/docs/')).status).toBe(200);
    // `/` is the back office (web/dist, built by the test setup).
    const home = await t.request('GET', '/');
    expect(home.headers['content-type']).toContain('text/html');
    expect(home.body).toContain('<div id="root">');
  });

  it('answers unknown routes with a 404 problem and echoes a request id', async () => {
    const res = await t.request('GET', '/api/v1/nope', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.body).toMatchObject({ status: 404, code: 'REQUEST.NO_ROUTE' });
  });

  it('tells the server time of every answer in Server-Timing, errors included', async () => {
    const timing = /^app;dur=[0-9]+\.[0-9]$/;
    const queue = await t.request('GET', '/api/v1/orders', { auth: 'loja11@demo.local' });
    expect(queue.status).toBe(200);
    expect(queue.headers['server-timing']).toMatch(timing);
    expect((await t.request('GET', '/health')).headers['server-timing']).toMatch(timing);
    expect((await t.request('GET', '/api/v1/nope')).headers['server-timing']).toMatch(timing);
    expect((await t.request('GET', '/api/v1/nodes')).headers['server-timing']).toMatch(timing);
  });

  it('refuses malformed JSON with 400 and writes nothing', async () => {
    const res = await t.request('POST', '/api/v1/nodes', { auth: 'admin@demo.local', body: '{"code": "x",' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED_JSON', title: 'Bad Request' });
  });

  it('refuses wrong types and unknown fields with 422 and the field paths', async () => {
    const res = await t.request('POST', '/api/v1/nodes', {
      auth: 'admin@demo.local',
      body: { ...newStore('31'), latitude: '-23.5', color: 'blue' },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('REQUEST.INVALID');
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/latitude', '/color']));
    expect((await t.request('GET', '/api/v1/nodes/31', { auth: 'admin@demo.local' })).status).toBe(404);
  });

  it('gives every field error a code and the parameters a client needs to word it in its own language', async () => {
    const { legalName: _, ...missing } = newStore('36');
    const res = await t.request('POST', '/api/v1/nodes', {
      auth: 'admin@demo.local',
      body: { ...missing, latitude: '-23.5', color: 'blue', name: 'x'.repeat(300) },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/legalName', code: 'VALIDATION.REQUIRED', message: 'is required' }),
        expect.objectContaining({ path: '/latitude', code: 'VALIDATION.TYPE', params: { type: 'number' } }),
        expect.objectContaining({ path: '/color', code: 'VALIDATION.ADDITIONAL_PROPERTIES' }),
        expect.objectContaining({ path: '/name', code: 'VALIDATION.MAX_LENGTH', params: { limit: 120 } }),
      ]),
    );
    const business = await t.request('POST', '/api/v1/nodes', {
      auth: 'admin@demo.local',
      body: { ...newStore('37'), cnpj: '11444777000100' },
    });
    expect(business.body.errors).toEqual([
      { path: '/cnpj', code: 'NETWORK.CNPJ_INVALID', message: 'is not a valid CNPJ (check digits)' },
    ]);
    const doc = await t.request('GET', '/openapi.json');
    const fieldError = doc.body.components.schemas.Problem.properties.errors.items;
    expect(fieldError.required).toEqual(expect.arrayContaining(['path', 'code', 'message']));
    expect(Object.keys(fieldError.properties)).toEqual(expect.arrayContaining(['code', 'params']));
  });

  it('refuses NUL characters in text with 422 instead of failing in the database', async () => {
    const body = await t.request('POST', '/api/v1/nodes', {
      auth: 'admin@demo.local',
      body: { ...newStore('34'), name: 'Loja\u0000' },
    });
    expect(body).toMatchObject({ status: 422, body: { errors: [{ path: '/name' }] } });
    const surrogate = await t.request('POST', '/api/v1/nodes', {
      auth: 'admin@demo.local',
      body: `{"parentCode":"SUL","kind":"store","code":"35","name":"x\\ud800","legalName":"L","cnpj":"11444777000161"}`,
    });
    expect(surrogate).toMatchObject({ status: 422, body: { errors: [{ path: '/name' }] } });
    const query = await t.request('GET', '/api/v1/nodes?q=a%00b', { auth: 'admin@demo.local' });
    expect(query).toMatchObject({ status: 422, body: { errors: [{ path: '/q' }] } });
  });

  it('refuses an oversized body with 413', async () => {
    const res = await t.request('POST', '/api/v1/nodes', {
      auth: 'admin@demo.local',
      body: { ...newStore('32'), name: 'x'.repeat(1024 * 1024 + 10) },
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('REQUEST.TOO_LARGE');
  });

  it('answers 401 without or with bad credentials and 403 outside the role', async () => {
    const none = await t.request('GET', '/api/v1/nodes');
    expect(none).toMatchObject({ status: 401, body: { code: 'AUTH.MISSING_CREDENTIALS' } });
    const bad = await t.request('GET', '/api/v1/nodes', { auth: 'not-a-key' });
    expect(bad).toMatchObject({ status: 401, body: { code: 'AUTH.INVALID_CREDENTIALS' } });
    const wrongPassword = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'admin@demo.local', password: 'wrong' },
    });
    expect(wrongPassword).toMatchObject({ status: 401, body: { code: 'AUTH.INVALID_LOGIN' } });
    const staffWrite = await t.request('POST', '/api/v1/nodes', {
      auth: 'loja11@demo.local',
      body: newStore('33'),
    });
    expect(staffWrite).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });
  });

  it('ends a session on logout', async () => {
    const login = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'LOJA8@demo.local', password: 'demo1234' },
    });
    expect(login.status).toBe(200);
    const token = login.body.token;
    expect((await t.request('GET', '/api/v1/auth/me', { auth: token })).body).toMatchObject({
      actor: 'store_manager',
    });
    expect((await t.request('POST', '/api/v1/auth/logout', { auth: token })).status).toBe(204);
    expect((await t.request('GET', '/api/v1/auth/me', { auth: token })).status).toBe(401);
  });

  it('replays a request retried with the same Idempotency-Key and refuses the key for another body', async () => {
    const headers = { 'idempotency-key': 'create-store-41' };
    const first = await t.request('POST', '/api/v1/nodes', {
      auth: 'admin@demo.local',
      body: newStore('41'),
      headers,
    });
    expect(first.status).toBe(201);
    const again = await t.request('POST', '/api/v1/nodes', {
      auth: 'admin@demo.local',
      body: newStore('41'),
      headers,
    });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const other = await t.request('POST', '/api/v1/nodes', {
      auth: 'admin@demo.local',
      body: newStore('42'),
      headers,
    });
    expect(other).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY.KEY_REUSED' } });
    expect((await t.request('GET', '/api/v1/nodes/42', { auth: 'admin@demo.local' })).status).toBe(404);
  });
});
