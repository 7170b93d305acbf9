import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as access from '../src/access/service.ts';
import { rows } from '../src/platform/db/sql.ts';
import { databaseKinds, startTestApp, type TestApp } from './harness.ts';
import { ADMIN, createOrder, LOJA11, stockOf } from './order-fixtures.ts';

/** Issue 11 §5: what a hostile or careless client can send, and what a browser is told. */
describe.each(databaseKinds())('reliability and security of the HTTP layer on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const isProblem = (res: { headers: Record<string, unknown>; body: any }, status: number) => {
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  };

  it('refuses deeply nested JSON with a 400 problem on every body route, anonymous login included', async () => {
    for (const body of [
      '['.repeat(10_000) + ']'.repeat(10_000),
      `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
    ]) {
      const login = await t.request('POST', '/api/v1/auth/login', { body });
      expect(login.status).toBe(400);
      isProblem(login, 400);
      expect(login.body.code).toBe('REQUEST.JSON_TOO_DEEP');
      const node = await t.request('POST', '/api/v1/nodes', { auth: ADMIN, body });
      expect(node.status).toBe(400);
    }
    // 400,000 levels in 800 kB are refused by one scan, not after seconds of CPU.
    const started = performance.now();
    const huge = await t.request('POST', '/api/v1/auth/login', {
      body: '['.repeat(400_000) + ']'.repeat(400_000),
    });
    expect(huge.status).toBe(400);
    expect(performance.now() - started).toBeLessThan(1000);
    // Brackets inside strings are text, not nesting; ordinary depth passes.
    const text = await t.request('POST', '/api/v1/auth/login', {
      body: JSON.stringify({ email: '['.repeat(200), password: '{'.repeat(200) }),
    });
    expect(text.status).toBe(401);
  });

  it('answers a path parameter past the router limit with a 414 problem that does not echo the path', async () => {
    const long = 'x'.repeat(300);
    for (const url of [`/api/v1/orders/${long}`, `/api/v1/delivery-experiences/${long}/map.svg`]) {
      const res = await t.request('GET', url, { auth: ADMIN });
      expect(res.status).toBe(414);
      isProblem(res, 414);
      expect(res.body.code).toBe('REQUEST.URI_TOO_LONG');
      expect(JSON.stringify(res.body)).not.toContain(long);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it("answers Fastify's other built-in errors as problems that do not echo the request", async () => {
    const marker = 'zz-echo-marker-zz';
    const notFound = await t.request('GET', `/api/v1/${marker}`);
    expect(notFound.status).toBe(404);
    isProblem(notFound, 404);
    const method = await t.app.inject({ method: 'PROPFIND' as 'GET', url: `/api/v1/${marker}` });
    expect(method.statusCode).toBe(404);
    expect(method.headers['content-type']).toContain('application/problem+json');
    const media = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': `text/${marker}` },
      payload: marker,
    });
    expect(media.statusCode).toBe(415);
    expect(media.headers['content-type']).toContain('application/problem+json');
    const badJson = await t.request('POST', '/api/v1/auth/login', { body: `{"${marker}":` });
    isProblem(badJson, 400);
    const tooLarge = await t.request('POST', '/api/v1/auth/login', {
      body: JSON.stringify({ email: marker.repeat(80_000), password: 'x' }),
    });
    isProblem(tooLarge, 413);
    const badUrl = await t.app.inject({ method: 'GET', url: `/api/v1/orders/%E0%A4%A${marker}` });
    expect(badUrl.headers['content-type']).toContain('application/problem+json');
    for (const res of [notFound, badJson, tooLarge]) expect(JSON.stringify(res.body)).not.toContain(marker);
    for (const res of [method, media, badUrl]) expect(res.body).not.toContain(marker);
  });

  it('sends nosniff everywhere, a CSP with frame-ancestors on the app and the docs, and no-store on API answers', async () => {
    const me = await t.request('GET', '/api/v1/auth/me', { auth: LOJA11 });
    expect(me.status).toBe(200);
    expect(me.headers['x-content-type-options']).toBe('nosniff');
    expect(me.headers['cache-control']).toBe('no-store');
    const refused = await t.request('GET', '/api/v1/orders');
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    for (const url of ['/', '/docs/', '/orders']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBeTruthy();
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
    // The docs still render: Swagger UI's page loads its scripts from /docs/static.
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.body).toContain('swagger-initializer.js');
    expect(docs.body).not.toMatch(/<script>[^<]/);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec((await t.app.inject({ method: 'GET', url: '/' })).body);
    if (asset) {
      const js = await t.app.inject({ method: 'GET', url: asset[1]! });
      expect(js.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('refuses a JSON null body on accept, status re-send, reservation release and logout, changing nothing', async () => {
    const order = await createOrder(t);
    const json = { 'content-type': 'application/json' };
    const accept = await t.request('POST', `/api/v1/orders/${order.id}/accept`, {
      auth: LOJA11,
      body: 'null',
      headers: json,
    });
    expect(accept.status).toBe(422);
    isProblem(accept, 422);
    expect((await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 })).body.status).toBe('open');

    const resend = await t.request('POST', `/api/v1/orders/${order.id}/status-resend`, {
      auth: LOJA11,
      body: 'null',
    });
    expect(resend.status).toBe(422);

    const hold = await t.request('POST', '/api/v1/stock/reservations', {
      auth: LOJA11,
      body: { storeCode: '11', sku: 'CAL-002', quantity: 1 },
    });
    expect(hold.status, JSON.stringify(hold.body)).toBe(201);
    const before = await stockOf(t, 'CAL-002', '11');
    const release = await t.request('POST', `/api/v1/stock/reservations/${hold.body.id}/release`, {
      auth: LOJA11,
      body: 'null',
    });
    expect(release.status).toBe(422);
    expect(await stockOf(t, 'CAL-002', '11')).toEqual(before);

    const login = await t.request('POST', '/api/v1/auth/login', {
      body: { email: LOJA11, password: 'demo1234' },
    });
    const logout = await t.request('POST', '/api/v1/auth/logout', { auth: login.body.token, body: 'null' });
    expect(logout.status).toBe(422);
    expect((await t.request('GET', '/api/v1/auth/me', { auth: login.body.token })).status).toBe(200);
    // A bare POST still works.
    expect((await t.request('POST', '/api/v1/auth/logout', { auth: login.body.token })).status).toBe(204);
    expect((await t.request('GET', '/api/v1/auth/me', { auth: login.body.token })).status).toBe(401);
  });

  const login = (email: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });

  it('locks an account after 5 wrong passwords from any addresses, with Retry-After, and not the other accounts', async () => {
    const victim = 'loja3@demo.local';
    for (let i = 1; i <= 5; i++) {
      expect((await login(victim, `guess-${i}`, `203.0.113.${i}`)).statusCode).toBe(401);
    }
    // Even the right password waits: a guess during the lock would tell nothing anyway.
    const lockedOut = await login(victim, 'demo1234', '198.51.100.7');
    expect(lockedOut.statusCode).toBe(429);
    expect(lockedOut.headers['content-type']).toContain('application/problem+json');
    expect(lockedOut.json()).toMatchObject({ status: 429, code: 'AUTH.LOGIN_LOCKED' });
    expect(Number(lockedOut.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Other accounts, from the same addresses, are not affected.
    expect((await login('loja8@demo.local', 'demo1234', '203.0.113.1')).statusCode).toBe(200);
    // Once the lock runs out the right password works and clears the count.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await login(victim, 'demo1234', '198.51.100.7')).statusCode).toBe(200);
    expect((await login(victim, 'wrong-again', '198.51.100.7')).statusCode).toBe(401);
    expect((await login(victim, 'demo1234', '198.51.100.7')).statusCode).toBe(200);
  });

  it('throttles one address per account, so an address hammering one account does not lock other users out', async () => {
    const address = '192.0.2.44';
    let last = await login('nobody-here@demo.local', 'x', address);
    for (let i = 0; i < 24; i++) last = await login('nobody-here@demo.local', 'x', address);
    expect(last.statusCode).toBe(429);
    expect(last.headers['retry-after']).toBeDefined();
    expect((await login('loja8@demo.local', 'demo1234', address)).statusCode).toBe(200);
  });

  it('forgets the failures of quiet, unlocked accounts in the hourly purge, never a running lock', async () => {
    await login('quiet@demo.local', 'x', '192.0.2.50');
    for (let i = 1; i <= 5; i++) await login('locked@demo.local', 'x', `192.0.2.${60 + i}`);
    await access.purgeLoginFailures(t.database.db, 0);
    const left = await rows<{ email: string }>(t.database.db, sql`select email from login_failures`);
    const emails = left.map((r) => r.email);
    expect(emails).toContain('locked@demo.local');
    expect(emails).not.toContain('quiet@demo.local');
  });
});
