import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorreiosServer, startCorreiosServer } from '../../test/correios-server/index.ts';
import { databaseKinds, startTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness.ts';
import { type MelhorEnvioServer, startMelhorEnvioServer } from '../../test/melhor-envio-server/index.ts';
import { TEST_SECRET_KEY } from '../../test/secret-key.ts';
import { MASK, MASK_CHANGED } from '../audit/service.ts';
import * as delivery from './service.ts';

const admin = 'admin@demo.local';
const loja11 = 'loja11@demo.local';
const central = 'central.carriers@demo.local';
const ACCESS_CODE = 'codigo-secreto-correios-123';
const ME_TOKEN = 'token-secreto-melhor-envio';
const ME_SECRET = 'segredo-do-webhook';
const accounts = (node: string) => `/api/v1/nodes/${node}/carrier-accounts`;

describe.each(databaseKinds())('carrier accounts on the %s database', (kind) => {
  let t: TestApp;
  let correios: CorreiosServer;
  let melhorEnvio: MelhorEnvioServer;
  const correiosAccount = () => ({
    adapter: 'correios',
    settings: { baseUrl: correios.url, postingCard: '0076770702', contract: '9912345678', dr: 74 },
    credentials: { user: 'rede-demo', accessCode: ACCESS_CODE },
  });
  const put = (node: string, carrier: string, body: unknown, auth = admin) =>
    t.request('PUT', `${accounts(node)}/${carrier}`, { auth, body });
  const list = async (node: string, auth = admin) => {
    const res = await t.request('GET', accounts(node), { auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as Array<Record<string, unknown>>;
  };
  const storeId = async (code: string) =>
    (await t.request('GET', `/api/v1/nodes/${code}`, { auth: admin })).body.id;

  beforeAll(async () => {
    t = await startTestApp(kind);
    correios = await startCorreiosServer({
      user: 'rede-demo',
      accessCode: ACCESS_CODE,
      postingCard: '0076770702',
      unservedPostalCodes: ['69900000'],
    });
    melhorEnvio = await startMelhorEnvioServer({ token: ME_TOKEN, webhookSecret: ME_SECRET });
    const created = await t.request('POST', '/api/v1/users', {
      auth: admin,
      body: {
        email: central,
        name: 'Central Sul',
        password: TEST_PASSWORD,
        role: 'central_admin',
        nodeCode: 'SUL',
      },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await correios?.close();
    await melhorEnvio?.close();
  });

  it('refuses an account that does not fit its adapter, field by field, and stores nothing', async () => {
    const res = await put('DEMO', 'CORREIOS', {
      adapter: 'correios',
      settings: { postingCard: '123', contract: '9912345678', dr: 0, services: ['SEDEX'], colour: 'blue' },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('CARRIER.ACCOUNT_INVALID');
    expect(res.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort()).toEqual([
      '/credentials/accessCode CARRIER.CREDENTIAL_REQUIRED',
      '/credentials/user CARRIER.CREDENTIAL_REQUIRED',
      '/settings/colour CARRIER.SETTING_UNKNOWN',
      '/settings/dr CARRIER.DR_INVALID',
      '/settings/postingCard CARRIER.POSTING_CARD_INVALID',
      '/settings/services/0 CARRIER.SERVICE_INVALID',
    ]);
    const me = await put('DEMO', 'MELHORENVIO', {
      adapter: 'melhor_envio',
      settings: { contactEmail: 'não é e-mail', baseUrl: 'ftp://x' },
      credentials: { token: ME_TOKEN },
    });
    expect(me.status).toBe(422);
    expect(me.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/credentials/webhookSecret',
      '/settings/baseUrl',
      '/settings/contactEmail',
    ]);
    expect(await list('DEMO')).toEqual([]);
  });

  it('keeps an account at the network, inherited by the stores, secrets never answered', async () => {
    const res = await put('DEMO', 'correios', correiosAccount());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      nodeCode: 'DEMO',
      carrierCode: 'CORREIOS',
      adapter: 'correios',
      credentials: 'stored',
      active: true,
      inherited: false,
      effective: true,
      settings: { baseUrl: correios.url, postingCard: '0076770702', dr: 74, services: ['03220', '03298'] },
    });
    expect(JSON.stringify(res.body)).not.toContain(ACCESS_CODE);
    const atStore = await list('11');
    expect(atStore).toEqual([
      expect.objectContaining({
        nodeCode: 'DEMO',
        carrierCode: 'CORREIOS',
        inherited: true,
        effective: true,
      }),
    ]);
    expect(JSON.stringify(atStore)).not.toContain(ACCESS_CODE);
  });

  it("a store's own account wins over the network's; an inactive one does not serve", async () => {
    const own = await put('11', 'CORREIOS', {
      ...correiosAccount(),
      settings: { ...correiosAccount().settings, services: ['03220'] },
    });
    expect(own.status).toBe(200);
    const at11 = await list('11');
    expect(at11.map((a) => [a.nodeCode, a.inherited, a.effective])).toEqual([
      ['11', false, true],
      ['DEMO', true, false],
    ]);
    expect((await list('8')).map((a) => a.nodeCode)).toEqual(['DEMO']);
    const resolve = delivery.carrierFor(t.database.db, TEST_SECRET_KEY);
    const client = await resolve(await storeId('11'), 'CORREIOS');
    expect(client?.adapter).toBe('correios');
    expect(await resolve(await storeId('11'), 'JADLOG')).toBeNull();
    expect(
      await client!.quote({
        fromPostalCode: '01305000',
        toPostalCode: '80010000',
        parcels: [{ weightGrams: 500, heightCm: 5, widthCm: 11, lengthCm: 16 }],
        declaredValue: '10.00',
      }),
    ).toHaveLength(1);

    const off = await put('11', 'CORREIOS', {
      adapter: 'correios',
      settings: correiosAccount().settings,
      active: false,
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect((await list('11')).map((a) => [a.nodeCode, a.active, a.effective])).toEqual([
      ['11', false, false],
      ['DEMO', true, true],
    ]);
    const again = await resolve(await storeId('11'), 'CORREIOS');
    expect(again).not.toBe(client);
    expect(
      await again!.quote({
        fromPostalCode: '01305000',
        toPostalCode: '80010000',
        parcels: [{ weightGrams: 500, heightCm: 5, widthCm: 11, lengthCm: 16 }],
        declaredValue: '10.00',
      }),
    ).toHaveLength(2);
  });

  it('an update without credentials keeps them; every change is audited with the secrets masked', async () => {
    const kept = await put('DEMO', 'CORREIOS', {
      adapter: 'correios',
      settings: { ...correiosAccount().settings, services: ['03298'] },
    });
    expect(kept.status).toBe(200);
    const test = await t.request('POST', `${accounts('DEMO')}/CORREIOS/test`, {
      auth: admin,
      body: { toPostalCode: '80010000' },
    });
    expect(test.status, JSON.stringify(test.body)).toBe(200);
    expect(test.body).toEqual({
      outcome: 'quoted',
      quotes: [{ service: '03298', serviceName: 'PAC', price: '25.50', days: 3 }],
    });

    const replaced = await put('DEMO', 'CORREIOS', {
      ...correiosAccount(),
      credentials: { user: 'rede-demo', accessCode: 'outro-codigo' },
    });
    expect(replaced.status).toBe(200);
    const log = await t.request('GET', '/api/v1/audit-events?limit=50', { auth: admin });
    const events = log.body.items.filter(
      (e: { target: { type: string } }) => e.target.type === 'carrier_account',
    );
    expect(JSON.stringify(events)).not.toContain(ACCESS_CODE);
    expect(JSON.stringify(events)).not.toContain('outro-codigo');
    const created = events.find(
      (e: { action: string; target: { id: string } }) =>
        e.action === 'carrier_account.created' && e.target.id === 'CORREIOS@DEMO',
    );
    expect(created.after.credentials).toEqual({ user: 'rede-demo', accessCode: MASK });
    const change = events.find(
      (e: { after: { credentials?: { accessCode?: string } } }) =>
        e.after?.credentials?.accessCode === MASK_CHANGED,
    );
    expect(change).toMatchObject({ action: 'carrier_account.changed', target: { id: 'CORREIOS@DEMO' } });
  });

  it('"Testar" answers what the carrier said: a refusal, or the fault (wrong credentials)', async () => {
    // Store 11's own account (inactive, but tested all the same) still has the right access code.
    const refused = await t.request('POST', `${accounts('11')}/CORREIOS/test`, {
      auth: admin,
      body: { toPostalCode: '69900000' },
    });
    expect(refused.body).toMatchObject({ outcome: 'refused', code: '400' });
    expect(refused.body.message).toContain('indisponível');
    // The network's access code was replaced by one the Correios do not know.
    const fault = await t.request('POST', `${accounts('DEMO')}/CORREIOS/test`, { auth: admin, body: {} });
    expect(fault.status).toBe(200);
    expect(fault.body).toMatchObject({ outcome: 'fault', kind: 'unauthorized' });
    const none = await t.request('POST', `${accounts('8')}/CORREIOS/test`, { auth: admin, body: {} });
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('CARRIER.ACCOUNT_NOT_FOUND');
  });

  it("a Melhor Envio account's webhook is found by the carrier code with its network", async () => {
    const res = await put(
      'SUL',
      'MELHORENVIO',
      {
        adapter: 'melhor_envio',
        settings: { baseUrl: melhorEnvio.url, contactEmail: 'ti@demo.local', services: ['1', '2'] },
        credentials: { token: ME_TOKEN, webhookSecret: ME_SECRET },
      },
      central,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const test = await t.request('POST', `${accounts('SUL')}/MELHORENVIO/test`, {
      auth: central,
      body: { toPostalCode: '80010000' },
    });
    expect(test.body).toMatchObject({
      outcome: 'quoted',
      quotes: [{ service: '1', price: '18.36' }, { service: '2' }],
    });
    const webhooks = await delivery.carrierWebhookFor(t.database.db, TEST_SECRET_KEY)('MELHORENVIO');
    expect(webhooks).toHaveLength(1);
    const network = (await t.request('GET', '/api/v1/nodes/DEMO', { auth: admin })).body;
    expect(webhooks[0]!.networkId).toBe(network.networkId ?? network.id);
    expect(await delivery.carrierWebhookFor(t.database.db, TEST_SECRET_KEY)('CORREIOS')).toEqual([]);
  });

  it('store users may not see or change accounts; a central admin only at its node or below', async () => {
    expect((await t.request('GET', accounts('11'), { auth: loja11 })).status).toBe(403);
    expect((await put('11', 'JADLOG', correiosAccount(), loja11)).status).toBe(403);
    const above = await put('DEMO', 'JADLOG', correiosAccount(), central);
    expect(above.status).toBe(403);
    expect(above.body.code).toBe('CARRIER.NOT_MANAGER');
    expect((await t.request('DELETE', `${accounts('DEMO')}/CORREIOS`, { auth: central })).status).toBe(403);
  });

  it("removing a store's own account makes it inherit again", async () => {
    expect((await t.request('DELETE', `${accounts('11')}/CORREIOS`, { auth: admin })).status).toBe(204);
    expect((await list('11')).map((a) => [a.nodeCode, a.carrierCode, a.effective])).toEqual([
      ['DEMO', 'CORREIOS', true],
      ['SUL', 'MELHORENVIO', true],
    ]);
    const twice = await t.request('DELETE', `${accounts('11')}/CORREIOS`, { auth: admin });
    expect(twice.status).toBe(404);
    const log = await t.request('GET', '/api/v1/audit-events?limit=50', { auth: admin });
    expect(
      log.body.items.some(
        (e: { action: string; target: { id: string } }) =>
          e.action === 'carrier_account.removed' && e.target.id === 'CORREIOS@11',
      ),
    ).toBe(true);
  });
});
