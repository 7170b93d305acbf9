import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../test/harness.ts';
import { ADMIN, LOJA11 } from '../../test/order-fixtures.ts';
import { TEST_SECRET_KEY } from '../../test/secret-key.ts';
import { buildApp, defaultAuthorizer } from '../app.ts';
import type { Database } from '../platform/db/index.ts';
import { rows, sql } from '../platform/db/sql.ts';
import type { App } from '../platform/http/server.ts';
import {
  type Authorizer,
  AuthorizerUnavailable,
  type SefazClientInput,
  SefazFault,
  type ServiceStatus,
} from './authorizer/index.ts';
import { generateTestCertificate, sealSecret } from './xml/index.ts';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** What a SEFAZ client answers in these tests: set per test; it records every client built. */
let statusAnswer: (model: 55 | 65) => Promise<ServiceStatus>;
const built: SefazClientInput[] = [];
const refuse = async (): Promise<never> => {
  throw new Error('not used by these tests');
};
function recordingSefazClient(options: SefazClientInput): Authorizer {
  built.push(options);
  return {
    authorize: refuse,
    registerEvent: refuse,
    consult: refuse,
    voidRange: refuse,
    status: (model) => statusAnswer(model),
  };
}

describe.each(databaseKinds())('a store’s authoriser and “testar comunicação” on %s', (kind) => {
  let database: Database;
  let app: App;
  const tokens = new Map<string, string>();

  async function request(method: 'GET' | 'PUT' | 'POST', url: string, auth: string, body?: unknown) {
    let token = tokens.get(auth);
    if (!token) {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: auth, password: 'demo1234' },
      });
      token = login.json().token as string;
      tokens.set(auth, token);
    }
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: res.statusCode, body: res.json() };
  }
  const settingsOf = (code: string) => request('GET', `/api/v1/nodes/${code}/fiscal-settings`, ADMIN);
  const put = (code: string, body: unknown) =>
    request('PUT', `/api/v1/nodes/${code}/fiscal-settings`, ADMIN, body);
  const communicationTest = (code: string, auth = ADMIN) =>
    request('POST', `/api/v1/nodes/${code}/fiscal-settings/communication-test`, auth);
  const storeId = async (code: string) =>
    (await rows<{ id: string }>(database.db, sql`select id from nodes where code = ${code}`))[0]!.id;
  const cnpjOf = async (code: string) =>
    (await rows<{ cnpj: string }>(database.db, sql`select cnpj from nodes where code = ${code}`))[0]!.cnpj;

  /** Stores a certificate straight into the row, as one uploaded long ago would now be. */
  async function storeCertificate(code: string, validFrom: Date) {
    const password = 'antiga';
    const { pkcs12, certificate } = generateTestCertificate({
      legalName: `Loja ${code}`,
      cnpj: await cnpjOf(code),
      password,
      now: validFrom,
    });
    await database.db.execute(sql`
      update fiscal_settings set certificate = ${sealSecret(TEST_SECRET_KEY, pkcs12)},
        certificate_password = ${sealSecret(TEST_SECRET_KEY, password)},
        certificate_subject = ${certificate.subject}, certificate_not_after = ${certificate.notAfter}
      where store_id = ${await storeId(code)}`);
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    app = await buildApp(database, {
      logger: false,
      secretKey: TEST_SECRET_KEY,
      sefazClient: recordingSefazClient,
      communicationTimeoutMs: 300,
    });
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('answers the simulator by default and tests it: 107 for both models, a fault once it is switched off', async () => {
    const shown = await request('GET', '/api/v1/nodes/11/fiscal-settings', LOJA11);
    expect(shown.body).toMatchObject({ authorizer: 'simulator', environment: '2' });

    const test = await communicationTest('11', LOJA11);
    expect(test.status, JSON.stringify(test.body)).toBe(200);
    expect(test.body).toMatchObject({ storeCode: '11', authorizer: 'simulator', environment: '2' });
    expect(test.body.results).toEqual([
      expect.objectContaining({
        model: 55,
        ok: true,
        status: 107,
        reason: 'Serviço em Operação',
        averageSeconds: 1,
      }),
      expect.objectContaining({ model: 65, ok: true, status: 107 }),
    ]);
    expect(test.body.results[0].elapsedMs).toBeGreaterThanOrEqual(0);

    const off = await request('PUT', '/api/v1/fiscal/simulator', ADMIN, { available: false });
    expect(off.status).toBe(200);
    try {
      const down = await communicationTest('11', LOJA11);
      expect(down.status).toBe(200);
      expect(down.body.results).toEqual([
        expect.objectContaining({ model: 55, ok: false, kind: 'unreachable' }),
        expect.objectContaining({ model: 65, ok: false, kind: 'unreachable' }),
      ]);
      expect(down.body.results[0].message).toContain('NFeStatusServico4');
    } finally {
      await request('PUT', '/api/v1/fiscal/simulator', ADMIN, { available: true });
    }

    const central = await communicationTest('SUL');
    expect(central.status).toBe(422);
    expect(central.body.code).toBe('FISCAL.NOT_A_STORE');
  });

  it('refuses SEFAZ without a valid certificate or a known state, and changes nothing', async () => {
    const before = await settingsOf('8');

    await storeCertificate('8', new Date(Date.now() - YEAR - 30 * DAY));
    const expired = await put('8', { taxRegime: 1, authorizer: 'sefaz' });
    expect(expired.status).toBe(422);
    expect(expired.body.code).toBe('FISCAL.SEFAZ_NOT_READY');
    expect(expired.body.errors).toEqual([
      expect.objectContaining({ path: '/certificate', code: 'FISCAL.CERTIFICATE_EXPIRED' }),
    ]);

    const early = generateTestCertificate({
      legalName: 'Loja 8',
      cnpj: await cnpjOf('8'),
      password: 'nova',
      now: new Date(Date.now() + 2 * DAY),
    });
    const notYet = await put('8', {
      taxRegime: 1,
      authorizer: 'sefaz',
      certificate: { pkcs12: early.pkcs12.toString('base64'), password: 'nova' },
    });
    expect(notYet.status).toBe(422);
    expect(notYet.body.errors).toEqual([
      expect.objectContaining({ path: '/certificate', code: 'FISCAL.CERTIFICATE_NOT_YET_VALID' }),
    ]);

    const expiredUpload = generateTestCertificate({
      legalName: 'Loja 8',
      cnpj: await cnpjOf('8'),
      password: 'velha',
      now: new Date(Date.now() - YEAR - DAY),
    });
    const refusedUpload = await put('8', {
      taxRegime: 1,
      authorizer: 'sefaz',
      certificate: { pkcs12: expiredUpload.pkcs12.toString('base64'), password: 'velha' },
    });
    expect(refusedUpload.status).toBe(422);
    expect(refusedUpload.body.code).toBe('FISCAL.CERTIFICATE_EXPIRED');

    await database.db.execute(
      sql`update fiscal_settings set certificate = null, certificate_password = null where store_id = ${await storeId('8')}`,
    );
    const missing = await put('8', { taxRegime: 1, authorizer: 'sefaz' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([
      expect.objectContaining({ path: '/certificate', code: 'FISCAL.CERTIFICATE_MISSING' }),
    ]);

    const after = await settingsOf('8');
    expect(after.body.authorizer).toBe('simulator');
    expect(after.body.updatedAt).toBe(before.body.updatedAt);

    // A valid certificate in the same request is enough.
    const fresh = generateTestCertificate({ legalName: 'Loja 8', cnpj: await cnpjOf('8'), password: 'nova' });
    const chosen = await put('8', {
      taxRegime: 1,
      authorizer: 'sefaz',
      certificate: { pkcs12: fresh.pkcs12.toString('base64'), password: 'nova' },
    });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    expect(chosen.body.authorizer).toBe('sefaz');

    // The store's state decides its authoriser: a store whose registration has none cannot choose SEFAZ.
    await database.db.execute(sql`
      update nodes set street = null, number = null, complement = null, district = null, city = null,
        city_code = null, state = null, postal_code = null
      where code = '3'`);
    const stateless = await put('3', { taxRegime: 1, authorizer: 'sefaz' });
    expect(stateless.status).toBe(422);
    expect(stateless.body.errors).toEqual([
      expect.objectContaining({ path: '/authorizer', code: 'FISCAL.STORE_STATE_UNKNOWN' }),
    ]);
    expect((await put('3', { taxRegime: 1, authorizer: 'planeta' })).status).toBe(422);
    expect(
      (
        await request('PUT', '/api/v1/nodes/11/fiscal-settings', LOJA11, {
          taxRegime: 1,
          authorizer: 'sefaz',
        })
      ).status,
    ).toBe(403);
  });

  it('switches store 11 to SEFAZ: audited, its client built from its certificate, state and environment', async () => {
    built.length = 0;
    statusAnswer = async (model) =>
      model === 55
        ? {
            status: 108,
            reason: 'Serviço Paralisado Momentaneamente (curto prazo)',
            checkedAt: new Date('2026-12-06T12:00:00Z'),
            averageSeconds: 3,
            expectedBackAt: new Date('2026-12-06T13:00:00Z'),
            observation: 'Manutenção programada',
          }
        : Promise.reject(new SefazFault('tls', 'NFeStatusServico4', 'the client certificate was refused'));

    const saved = await put('11', { taxRegime: 1, authorizer: 'sefaz' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ authorizer: 'sefaz', environment: '2' });
    const audit = await request('GET', '/api/v1/audit-events?action=fiscal_settings', ADMIN);
    const changed = audit.body.items.find(
      (e: { target: { nodeCode?: string }; before: { authorizer?: string } }) =>
        e.target.nodeCode === '11' && e.before?.authorizer === 'simulator',
    );
    expect(changed?.after).toMatchObject({ authorizer: 'sefaz' });

    const test = await communicationTest('11', LOJA11);
    expect(test.status, JSON.stringify(test.body)).toBe(200);
    expect(test.body).toMatchObject({ authorizer: 'sefaz', environment: '2' });
    expect(test.body.results).toEqual([
      expect.objectContaining({
        model: 55,
        ok: true,
        status: 108,
        averageSeconds: 3,
        expectedBackAt: '2026-12-06T13:00:00.000Z',
        observation: 'Manutenção programada',
      }),
      expect.objectContaining({
        model: 65,
        ok: false,
        kind: 'tls',
        message: 'the client certificate was refused',
      }),
    ]);
    expect(built).toHaveLength(1);
    expect(built[0]).toMatchObject({ uf: 'SP', environment: '2' });
    expect(built[0]!.certificate.subject).toContain('45997418000153');

    // One client per store while the settings stay; a change builds the next one.
    await communicationTest('11');
    expect(built).toHaveLength(1);
    expect((await put('11', { taxRegime: 1, environment: '1' })).status).toBe(200);
    statusAnswer = () => new Promise(() => {});
    const hanging = await communicationTest('11');
    expect(hanging.body).toMatchObject({ authorizer: 'sefaz', environment: '1' });
    expect(hanging.body.results).toEqual([
      expect.objectContaining({ model: 55, ok: false, kind: 'timeout' }),
      expect.objectContaining({ model: 65, ok: false, kind: 'timeout' }),
    ]);
    expect(built).toHaveLength(2);
    expect(built[1]).toMatchObject({ environment: '1' });
  });

  it('resolves each store: the simulator by default, the SEFAZ client for `sefaz`, rebuilt after a change', async () => {
    const clients: SefazClientInput[] = [];
    const resolver = defaultAuthorizer(database, undefined, {
      secretKey: TEST_SECRET_KEY,
      sefazClient: (options) => {
        clients.push(options);
        return { ...recordingSefazClient(options) };
      },
    });
    const store8 = await storeId('8');
    const first = await resolver(store8);
    expect(await resolver(store8)).toBe(first);
    expect(clients).toHaveLength(1);
    expect((await resolver.choose(store8)).kind).toBe('sefaz');

    expect((await put('8', { taxRegime: 1, authorizer: 'simulator' })).status).toBe(200);
    expect((await resolver.choose(store8)).kind).toBe('simulator');
    expect((await put('8', { taxRegime: 1, authorizer: 'sefaz' })).status).toBe(200);
    const rebuilt = await resolver(store8);
    expect(rebuilt).not.toBe(first);
    expect(clients).toHaveLength(2);

    const plain = defaultAuthorizer(database);
    expect((await plain.choose(await storeId('3'))).kind).toBe('simulator');
    await expect(plain(store8)).rejects.toBeInstanceOf(AuthorizerUnavailable);
  });
});
