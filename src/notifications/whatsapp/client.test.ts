import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWhatsAppServer, type WhatsAppServer } from '../../../test/whatsapp-server/index.ts';
import { ChannelFault } from '../channel.ts';
import { createWhatsAppClient, type TemplateMessage, WhatsAppFault } from './client.ts';

let server: WhatsAppServer;
beforeAll(async () => {
  server = await startWhatsAppServer({
    templates: { pedido_aceito: { languages: ['pt_BR'], parameters: 2 } },
    undeliverable: ['5511900000000'],
  });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const client = (over: { token?: string; phoneNumberId?: string; timeoutMs?: number } = {}) =>
  createWhatsAppClient({
    baseUrl: server.url,
    apiVersion: 'v21.0',
    phoneNumberId: over.phoneNumberId ?? server.phoneNumberId,
    accessToken: over.token ?? server.accessToken,
    timeoutMs: over.timeoutMs ?? 2_000,
  });
const accepted: TemplateMessage = {
  to: '5511987654321',
  template: 'pedido_aceito',
  language: 'pt_BR',
  parameters: ['Maria', '1042'],
  reference: 'msg-1',
};

async function faultOf(promise: Promise<unknown>): Promise<WhatsAppFault> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WhatsAppFault);
  expect(error).toBeInstanceOf(ChannelFault);
  return error as WhatsAppFault;
}

describe('the Cloud API client against a local server that answers as Meta documents', () => {
  it('sends the template with its body parameters and answers the wamid', async () => {
    const sent = await client().sendTemplate(accepted);
    expect(sent.providerId).toMatch(/^wamid\./);
    expect(sent.waId).toBe('5511987654321');
    const call = server.calls.at(-1)!;
    expect(call.path).toBe(`/v21.0/${server.phoneNumberId}/messages`);
    expect(call.authorization).toBe(`Bearer ${server.accessToken}`);
    expect(call.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '5511987654321',
      type: 'template',
      template: {
        name: 'pedido_aceito',
        language: { code: 'pt_BR' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Maria' },
              { type: 'text', text: '1042' },
            ],
          },
        ],
      },
      biz_opaque_callback_data: 'msg-1',
    });
  });

  it('sends Meta’s hello_world sample without components', async () => {
    const sent = await client().sendTemplate({
      to: '5511987654321',
      template: 'hello_world',
      language: 'en_US',
      parameters: [],
    });
    expect(sent.providerId).toMatch(/^wamid\./);
  });

  it('a token the API refuses (190) is permanent and says so', async () => {
    const fault = await faultOf(client({ token: 'revoked' }).sendTemplate(accepted));
    expect(fault).toMatchObject({ kind: 'configuration', permanent: true, status: 401 });
    expect(fault.graph?.code).toBe(190);
  });

  it('an unknown phone number id (100, subcode 33) is permanent', async () => {
    const fault = await faultOf(client({ phoneNumberId: '999' }).sendTemplate(accepted));
    expect(fault).toMatchObject({ kind: 'configuration', permanent: true, status: 400 });
    expect(fault.graph).toMatchObject({ code: 100, subcode: 33 });
  });

  it('a template the account lacks (132001) and a wrong parameter count (132000) are permanent', async () => {
    const missing = await faultOf(client().sendTemplate({ ...accepted, template: 'nao_existe' }));
    expect(missing).toMatchObject({ kind: 'template', permanent: true, status: 404 });
    expect(missing.message).toContain('#132001');
    const count = await faultOf(client().sendTemplate({ ...accepted, parameters: ['Maria'] }));
    expect(count).toMatchObject({ kind: 'template', permanent: true });
    expect(count.graph?.code).toBe(132000);
  });

  it('a number not on WhatsApp (131026) is permanent', async () => {
    const fault = await faultOf(client().sendTemplate({ ...accepted, to: '5511900000000' }));
    expect(fault).toMatchObject({ kind: 'recipient', permanent: true });
  });

  it('a 500 (131000) and a rate limit (130429) are retried', async () => {
    server.behave('error-500');
    expect(await faultOf(client().sendTemplate(accepted))).toMatchObject({
      kind: 'unavailable',
      permanent: false,
      status: 500,
    });
    server.behave('rate-limit');
    expect(await faultOf(client().sendTemplate(accepted))).toMatchObject({
      kind: 'rate_limit',
      permanent: false,
    });
    // Once each: the next call goes through.
    await expect(client().sendTemplate(accepted)).resolves.toMatchObject({
      providerId: expect.stringMatching(/^wamid\./),
    });
  });

  it('a server that hangs is given up after the timeout, retryable', async () => {
    server.behave('hang');
    const started = Date.now();
    const fault = await faultOf(client({ timeoutMs: 300 }).sendTemplate(accepted));
    expect(fault).toMatchObject({ kind: 'unavailable', permanent: false });
    expect(fault.message).toContain('300 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('garbage, a reset connection and an unreachable server are retryable', async () => {
    server.behave('garbage');
    expect(await faultOf(client().sendTemplate(accepted))).toMatchObject({
      kind: 'protocol',
      permanent: false,
    });
    server.behave('reset');
    expect(await faultOf(client().sendTemplate(accepted))).toMatchObject({
      kind: 'unavailable',
      permanent: false,
    });
    const nowhere = createWhatsAppClient({
      baseUrl: 'http://127.0.0.1:9',
      phoneNumberId: '1',
      accessToken: 't',
      timeoutMs: 2_000,
    });
    expect(await faultOf(nowhere.sendTemplate(accepted))).toMatchObject({
      kind: 'unavailable',
      permanent: false,
    });
  });

  it('a server that fails every time keeps failing until told otherwise', async () => {
    server.behave('error-500', Number.POSITIVE_INFINITY);
    for (let i = 0; i < 3; i++)
      expect((await faultOf(client().sendTemplate(accepted))).permanent).toBe(false);
    server.reset();
    await expect(client().sendTemplate(accepted)).resolves.toBeTruthy();
  });
});
