import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ADMIN, addDemoUsers, CENTRAL, LOJA11 } from '../../../test/order-fixtures.ts';
import { TEST_SECRET_KEY } from '../../../test/secret-key.ts';
import { startWhatsAppServer, type WhatsAppServer } from '../../../test/whatsapp-server/index.ts';
import { rows, sql } from '../../platform/db/sql.ts';
import { ChannelFault, type OutgoingMessage } from '../channel.ts';
import { whatsAppChannelFor } from './index.ts';

const URL = '/api/v1/nodes/DEMO/whatsapp';

describe.each(databaseKinds())('a network’s WhatsApp account on %s', (kind) => {
  let t: TestApp;
  let server: WhatsAppServer;
  let networkId: string;

  const account = (over: Record<string, unknown> = {}) => ({
    phoneNumberId: server.phoneNumberId,
    businessAccountId: '102290129340398',
    accessToken: server.accessToken,
    baseUrl: server.url,
    templates: { order_in_transit: 'pedido_em_transporte' },
    ...over,
  });
  const auditOf = async (action: string) =>
    (await t.request('GET', `/api/v1/audit-events?action=${action}`, { auth: ADMIN })).body.items as {
      action: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    }[];
  const message = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    id: 'b0b5e0c2-3f57-4a8e-9d0c-5a8f3e2b1c01',
    channel: 'whatsapp',
    to: '(11) 98765-4321',
    template: 'order_in_transit',
    text: 'Seu pedido 1042 está a caminho.',
    whatsapp: { templateName: 'order_in_transit', language: '', parameters: ['Maria', '1042'] },
    ...over,
  });

  beforeAll(async () => {
    server = await startWhatsAppServer({
      templates: {
        pedido_em_transporte: { languages: ['pt_BR'], parameters: 2 },
        order_accepted: { languages: ['pt_BR'], parameters: 1 },
      },
    });
    t = await startTestApp(kind);
    await addDemoUsers(t);
    networkId = (await rows<{ id: string }>(t.database.db, sql`select id from nodes where code = 'DEMO'`))[0]!
      .id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  it('answers the defaults before an account is set, and refuses a node that is not a network', async () => {
    const shown = await t.request('GET', URL, { auth: ADMIN });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      networkCode: 'DEMO',
      configured: false,
      tokenStored: false,
      baseUrl: 'https://graph.facebook.com',
      apiVersion: 'v21.0',
      language: 'pt_BR',
      templates: { order_accepted: 'order_accepted', order_delivered: 'order_delivered' },
    });
    const store = await t.request('PUT', '/api/v1/nodes/11/whatsapp', { auth: ADMIN, body: account() });
    expect(store.status).toBe(422);
    expect(store.body.code).toBe('WHATSAPP.NOT_A_NETWORK');
  });

  it('refuses an invalid account with each field’s error and stores nothing', async () => {
    const res = await t.request('PUT', URL, {
      auth: ADMIN,
      body: {
        phoneNumberId: '12a',
        businessAccountId: '102290129340398',
        baseUrl: 'ftp://graph.facebook.com',
        apiVersion: '21',
        language: 'português',
        templates: { order_accepted: 'Pedido Aceito', order_lost: 'x' },
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('WHATSAPP.ACCOUNT_INVALID');
    expect(res.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort()).toEqual([
      '/accessToken WHATSAPP.TOKEN_REQUIRED',
      '/apiVersion WHATSAPP.API_VERSION_FORMAT',
      '/baseUrl WHATSAPP.BASE_URL_INVALID',
      '/language WHATSAPP.LANGUAGE_FORMAT',
      '/phoneNumberId WHATSAPP.GRAPH_ID_FORMAT',
      '/templates/order_accepted WHATSAPP.TEMPLATE_NAME_FORMAT',
      '/templates/order_lost WHATSAPP.TEMPLATE_UNKNOWN',
    ]);
    expect((await t.request('GET', URL, { auth: ADMIN })).body.configured).toBe(false);
  });

  it('keeps store users out, and lets a central admin see but not change the network’s account', async () => {
    const store = await t.request('GET', URL, { auth: LOJA11 });
    expect(store.status).toBe(403);
    expect(store.body.code).toBe('AUTH.FORBIDDEN');
    expect((await t.request('PUT', URL, { auth: LOJA11, body: account() })).status).toBe(403);
    expect((await t.request('GET', URL, { auth: CENTRAL })).status).toBe(200);
    const central = await t.request('PUT', URL, { auth: CENTRAL, body: account() });
    expect(central.status).toBe(403);
    expect(central.body.code).toBe('WHATSAPP.NOT_NETWORK_ADMIN');
    const test = await t.request('POST', `${URL}/test`, { auth: CENTRAL, body: { to: '11987654321' } });
    expect(test.status).toBe(403);
  });

  it('stores the token sealed, never answers it, and the audit log masks it', async () => {
    const saved = await t.request('PUT', URL, { auth: ADMIN, body: account() });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({
      configured: true,
      tokenStored: true,
      active: true,
      phoneNumberId: server.phoneNumberId,
      templates: { order_in_transit: 'pedido_em_transporte', order_accepted: 'order_accepted' },
    });
    expect(JSON.stringify(saved.body)).not.toContain(server.accessToken);
    expect(JSON.stringify((await t.request('GET', URL, { auth: ADMIN })).body)).not.toContain(
      server.accessToken,
    );
    const [stored] = await rows<{ access_token: string }>(
      t.database.db,
      sql`select access_token from whatsapp_accounts where network_id = ${networkId}`,
    );
    expect(stored!.access_token).toMatch(/^v1\./);
    expect(stored!.access_token).not.toContain(server.accessToken);

    // Saved again without the token: the stored one stays; only the language changes.
    const { accessToken: _omit, ...withoutToken } = account();
    const again = await t.request('PUT', URL, { auth: ADMIN, body: { ...withoutToken, language: 'pt_PT' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ tokenStored: true, language: 'pt_PT' });
    await t.request('PUT', URL, { auth: ADMIN, body: { ...withoutToken, language: 'pt_BR' } });

    const created = await auditOf('whatsapp_account.created');
    expect(created).toHaveLength(1);
    expect(created[0]!.after).toMatchObject({ accessToken: '••••••', phoneNumberId: server.phoneNumberId });
    const changed = await auditOf('whatsapp_account.changed');
    expect(changed.length).toBeGreaterThanOrEqual(2);
    expect(changed.at(-1)!.after).toMatchObject({ language: 'pt_PT', accessToken: '••••••' });
    expect(JSON.stringify([...created, ...changed])).not.toContain(server.accessToken);
  });

  it('“Enviar teste” sends hello_world and answers what the API said', async () => {
    const sent = await t.request('POST', `${URL}/test`, { auth: ADMIN, body: { to: '(11) 98765-4321' } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, to: '5511987654321', template: 'hello_world' });
    expect(sent.body.providerId).toMatch(/^wamid\./);
    expect(server.calls.at(-1)!.body).toMatchObject({
      to: '5511987654321',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });

    server.behave('rate-limit');
    const limited = await t.request('POST', `${URL}/test`, { auth: ADMIN, body: { to: '11987654321' } });
    expect(limited.status).toBe(200);
    expect(limited.body).toMatchObject({ ok: false, kind: 'rate_limit', permanent: false, code: 130429 });

    const bad = await t.request('POST', `${URL}/test`, { auth: ADMIN, body: { to: '(20) 1234' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ path: '/to', code: 'WHATSAPP.PHONE_INVALID' }),
    ]);
  });

  it('is the network’s live channel: template codes mapped, language from the account, rebuilt on a change', async () => {
    const channelFor = whatsAppChannelFor(t.database.db, TEST_SECRET_KEY, { timeoutMs: 2_000 });
    const channel = await channelFor(networkId);
    expect(channel).toMatchObject({ name: 'whatsapp', live: true });
    const sent = await channel.send(message());
    expect(sent.providerId).toMatch(/^wamid\./);
    expect(server.calls.at(-1)!.body).toMatchObject({
      to: '5511987654321',
      template: { name: 'pedido_em_transporte', language: { code: 'pt_BR' } },
      biz_opaque_callback_data: message().id,
    });
    expect(await channelFor(networkId)).toBe(channel);

    // An impossible number and a template the account lacks are permanent faults.
    await expect(channel.send(message({ to: '123' }))).rejects.toMatchObject({ permanent: true });
    await expect(
      channel.send(
        message({ whatsapp: { templateName: 'order_delivered', language: 'pt_BR', parameters: [] } }),
      ),
    ).rejects.toMatchObject({ permanent: true, kind: 'template' });

    // A replaced token is used from the next message on.
    const wrong = await t.request('PUT', URL, {
      auth: ADMIN,
      body: account({ accessToken: 'EAAG-another-token-0000' }),
    });
    expect(wrong.status).toBe(200);
    const rebuilt = await channelFor(networkId);
    expect(rebuilt).not.toBe(channel);
    await expect(rebuilt.send(message())).rejects.toMatchObject({ permanent: true, kind: 'configuration' });
    expect(server.calls.at(-1)!.authorization).toBe('Bearer EAAG-another-token-0000');

    // Switched off: recorded, not sent.
    await t.request('PUT', URL, { auth: ADMIN, body: account({ active: false }) });
    const off = await channelFor(networkId);
    expect(off.live).toBe(false);
    const fault = await off.send(message()).catch((e: unknown) => e);
    expect(fault).toBeInstanceOf(ChannelFault);
    expect(fault).toMatchObject({ permanent: true, message: 'WhatsApp não configurado' });
  });

  it('removes the account: the channel is no longer live and the log says who removed it', async () => {
    const removed = await t.request('DELETE', URL, { auth: ADMIN });
    expect(removed.status).toBe(204);
    expect((await t.request('GET', URL, { auth: ADMIN })).body).toMatchObject({ configured: false });
    expect((await whatsAppChannelFor(t.database.db, TEST_SECRET_KEY)(networkId)).live).toBe(false);
    const [event] = await auditOf('whatsapp_account.removed');
    expect(event).toMatchObject({ after: null, before: { accessToken: '••••••' } });
    expect((await t.request('DELETE', URL, { auth: ADMIN })).status).toBe(404);
    const test = await t.request('POST', `${URL}/test`, { auth: ADMIN, body: { to: '11987654321' } });
    expect(test.status).toBe(404);
    expect(test.body.code).toBe('WHATSAPP.NOT_CONFIGURED');
  });
});
