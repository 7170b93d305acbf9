import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/platform/actors.ts';
import { actors } from '../src/platform/actors.ts';
import { endpointMatrix, excludedFromMatrix } from './endpoint-matrix.ts';
import { databaseKinds, startTestApp, TEST_PASSWORD, type TestApp } from './harness.ts';

/** One credential per actor; central admin and store staff are created by the admin in beforeAll. */
const credentials: Record<Actor, string> = {
  network_admin: 'admin@demo.local',
  central_admin: 'central.sul@demo.local',
  store_manager: 'loja11@demo.local',
  store_staff: 'staff11@demo.local',
  platform: 'demo-platform-key',
  pos: 'demo-pos-11',
  erp: 'demo-erp-key',
};

describe.each(databaseKinds())('role × endpoint on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const [email, role, nodeCode] of [
      ['central.sul@demo.local', 'central_admin', 'SUL'],
      ['staff11@demo.local', 'store_staff', '11'],
    ]) {
      const res = await t.request('POST', '/api/v1/users', {
        auth: 'admin@demo.local',
        body: { email, name: email, password: TEST_PASSWORD, role, nodeCode },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t?.close());

  it('has a row for every documented endpoint', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const covered = new Set([
      ...endpointMatrix.map((row) => `${row.method} ${row.route}`),
      ...excludedFromMatrix,
    ]);
    expect(documented.filter((e) => !covered.has(e))).toEqual([]);
  });

  for (const row of endpointMatrix) {
    it(`${row.method} ${row.path}`, async () => {
      for (const actor of actors) {
        const res = await t.request(row.method, row.path, { auth: credentials[actor], body: row.body });
        const answer = `${actor} → ${res.status} ${res.body?.code ?? ''}`;
        if (row.hidden?.includes(actor)) {
          expect(answer).toBe(`${actor} → 404 ${res.body?.code ?? ''}`);
        } else if (row.allow.includes(actor)) {
          expect(res.status, answer).not.toBe(401);
          expect(res.body?.code, answer).not.toBe('AUTH.FORBIDDEN');
          expect(res.status, answer).toBeLessThan(500);
        } else {
          expect(answer).toBe(`${actor} → 403 AUTH.FORBIDDEN`);
        }
      }
    });
  }
});
