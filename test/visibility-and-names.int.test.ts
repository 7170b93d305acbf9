import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestCertificate } from '../src/fiscal/xml/index.ts';
import { databaseKinds, startTestApp, type TestApp } from './harness.ts';
import { ADMIN, LOJA8, PLATFORM } from './order-fixtures.ts';

/** Issue 11 §5: who reads a job and a map, and how a certificate's accented subject reads back. */
describe.each(databaseKinds())('visibility and certificate names on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  it("keeps an admin's catalog bulk job from the platform key, which sits above it", async () => {
    const bulk = await t.request('POST', '/api/v1/products/ecommerce/bulk', {
      auth: ADMIN,
      body: { filter: { q: 'NO-SUCH-SKU' }, set: { activeEcommerce: false } },
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(202);
    const url = `/api/v1/jobs/${bulk.body.jobId}`;
    expect((await t.request('GET', url, { auth: ADMIN })).status).toBe(200);
    const byPlatform = await t.request('GET', url, { auth: PLATFORM });
    expect(byPlatform.status).toBe(404);
    expect(byPlatform.body.code).toBe('JOBS.NOT_FOUND');
    expect((await t.request('GET', url, { auth: 'demo-pos-11' })).status).toBe(404);
  });

  it('gives stores 3 and 8 the map of every experience they can read, with their own company only', async () => {
    for (const [user, code] of [
      ['loja3@demo.local', '3'],
      [LOJA8, '8'],
    ] as const) {
      const experiences = await t.request('GET', '/api/v1/delivery-experiences?limit=100', { auth: user });
      expect(experiences.status).toBe(200);
      const codes = experiences.body.items.map((e: { code: string }) => e.code);
      expect(codes).toContain('SEDEX');
      for (const experience of codes) {
        const one = await t.request('GET', `/api/v1/delivery-experiences/${experience}`, { auth: user });
        expect(one.status).toBe(200);
        const map = await t.request('GET', `/api/v1/delivery-experiences/${experience}/map.svg`, {
          auth: user,
        });
        expect(`${user} ${experience} map → ${map.status}`).toBe(`${user} ${experience} map → 200`);
        expect(map.headers['content-type']).toContain('image/svg+xml');
        for (const store of one.body.stores) expect(map.body).toContain(store.name);
        if (experience === 'SEDEX')
          expect(one.body.stores.map((s: { code: string }) => s.code)).toEqual([code]);
      }
    }
  });

  it('reads an accented certificate subject back as written (UTF-8), not as Latin-1 mojibake', async () => {
    const legalName = 'Demo Comércio de Vestuário e Calçados Ltda';
    const { pkcs12, certificate } = generateTestCertificate({
      legalName,
      cnpj: '45997418000153',
      password: 'certa',
    });
    // The name is a UTF8String holding UTF-8 bytes, as in ICP-Brasil certificates.
    const der = Buffer.from(certificate.certificateBase64, 'base64');
    expect(der.includes(Buffer.from(legalName, 'utf8'))).toBe(true);
    const saved = await t.request('PUT', '/api/v1/nodes/11/fiscal-settings', {
      auth: ADMIN,
      body: { taxRegime: 1, certificate: { pkcs12: pkcs12.toString('base64'), password: 'certa' } },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.certificate.subject).toContain(`CN=${legalName}:45997418000153`);
    const shown = await t.request('GET', '/api/v1/nodes/11/fiscal-settings', { auth: ADMIN });
    expect(shown.body.certificate.subject).toContain(legalName);
    expect(shown.body.certificate.subject).not.toContain('Ã');
  });
});
