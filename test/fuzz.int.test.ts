import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from './harness.ts';

/**
 * "No input a client can send produces a 500": every documented endpoint gets random JSON bodies,
 * random path parameters and random query strings, as the most privileged user, a store user, the platform
 * and a store's POS.
 */
describe.each(databaseKinds())('random input on the %s database', (kind) => {
  let t: TestApp;
  let endpoints: { method: string; path: string }[] = [];
  beforeAll(async () => {
    t = await startTestApp(kind);
    const doc = (await t.request('GET', '/openapi.json')).body;
    endpoints = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      // Logout would end the session the rest uses; the event streams never end (live.int.test.ts and
      // pos.int.test.ts cover them).
      .filter(
        ([path]) =>
          path.startsWith('/api/') &&
          path !== '/api/v1/auth/logout' &&
          path !== '/api/v1/orders/events' &&
          path !== '/api/v1/pos/events',
      )
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })));
  });
  afterAll(() => t?.close());

  const segment = fc.oneof(
    fc.constantFrom(
      '11',
      '8',
      'CAM-001',
      'DEMO',
      '00000000-0000-4000-8000-000000000000',
      '%00',
      '..',
      '9253',
    ),
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
  );
  const query = fc
    .dictionary(
      fc.constantFrom(
        'sku',
        'storeCode',
        'cursor',
        'limit',
        'q',
        'kind',
        'status',
        'from',
        'to',
        'active',
        'x',
      ),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.integer().map(String),
        fc.constant('-1'),
        fc.constant('1e309'),
      ),
    )
    .map((d) => new URLSearchParams(d).toString());

  it('never answers 500', async () => {
    const failures: string[] = [];
    for (const endpoint of endpoints) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment, { minLength: 3, maxLength: 3 }),
          query,
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom('admin@demo.local', 'demo-platform-key', 'loja11@demo.local', 'demo-pos-11'),
          async (segments, qs, body, auth) => {
            let i = 0;
            const url = `${endpoint.path.replace(/\{[^}]+\}/g, () => segments[i++]!)}?${qs}`;
            const hasBody = endpoint.method !== 'GET' && endpoint.method !== 'DELETE';
            const res = await t.request(endpoint.method as 'GET', url, {
              auth,
              ...(hasBody ? { body: JSON.stringify(body) } : {}),
            });
            if (res.status >= 500)
              failures.push(`${endpoint.method} ${url} ${JSON.stringify(body)} → ${res.status}`);
            return res.status < 500;
          },
        ),
        { numRuns: 15, seed: 42 },
      );
    }
    expect(failures).toEqual([]);
  });
});
