/**
 * The WhatsApp channel of a network (the `Channel` port of ../channel.ts): its active account's Cloud API
 * client, or a channel that is not `live` when the network has none.
 *
 * One opened client per network is kept with the account's `updated_at` it was built from. Every call
 * reads that (and the active flag) by primary key and rebuilds when it differs, so a token replaced by
 * an admin — in this process or another sharing the database — is used from the next message on (the
 * pattern of fiscal/authorizer/choice.ts).
 */
import type { Db } from '../../platform/db/index.ts';
import { type Channel, ChannelFault, type OutgoingMessage, type Sent } from '../channel.ts';
import { openAccount } from './account.ts';
import { createWhatsAppClient, DEFAULT_TIMEOUT_MS, type WhatsAppClient } from './client.ts';
import { normalisePhone } from './phone.ts';
import * as store from './store.ts';

export interface WhatsAppChannelOptions {
  /** How long one send waits for the API (default 10 s). */
  readonly timeoutMs?: number;
}

const NOT_CONFIGURED = 'WhatsApp não configurado';

/** The channel of a network without an active account: its messages are recorded, not sent. */
export const notConfiguredChannel: Channel = {
  name: 'whatsapp',
  live: false,
  async send(): Promise<Sent> {
    throw new ChannelFault(NOT_CONFIGURED, { permanent: true });
  },
};

interface Built {
  readonly builtFrom: number;
  readonly channel: Channel;
}

function liveChannel(
  client: WhatsAppClient,
  templates: Readonly<Record<string, string>>,
  language: string,
): Channel {
  return {
    name: 'whatsapp',
    live: true,
    async send(message: OutgoingMessage): Promise<Sent> {
      if (!message.whatsapp)
        throw new ChannelFault(`The message ${message.template} has no WhatsApp template.`, {
          permanent: true,
        });
      const phone = normalisePhone(message.to);
      if (!phone.ok)
        throw new ChannelFault(
          `The number ${message.to} cannot receive WhatsApp messages (${phone.problem}).`,
          {
            permanent: true,
          },
        );
      const code = message.whatsapp.templateName;
      const accepted = await client.sendTemplate({
        to: phone.e164,
        template: templates[code] ?? code,
        language: message.whatsapp.language || language,
        parameters: message.whatsapp.parameters,
        reference: message.id,
      });
      return { providerId: accepted.providerId };
    },
  };
}

/**
 * `whatsAppChannelFor(db, secretKey)(networkId)`: the channel that network's WhatsApp messages go
 * through. A stored token that no longer opens (another secret key) is a permanent fault on send.
 */
export function whatsAppChannelFor(
  db: Db,
  secretKey: Buffer,
  options: WhatsAppChannelOptions = {},
): (networkId: string) => Promise<Channel> {
  const built = new Map<string, Built>();

  return async (networkId) => {
    const current = await store.version(db, networkId);
    if (!current?.active) {
      built.delete(networkId);
      return notConfiguredChannel;
    }
    const builtFrom = current.updatedAt.getTime();
    const cached = built.get(networkId);
    if (cached?.builtFrom === builtFrom) return cached.channel;
    const row = await store.find(db, networkId);
    if (!row?.active) return notConfiguredChannel;
    const opened = openAccount(row, secretKey);
    if (!opened.ok)
      return {
        name: 'whatsapp',
        live: true,
        async send(): Promise<Sent> {
          throw new ChannelFault(`The WhatsApp access token does not open: ${opened.failure.detail}`, {
            permanent: true,
          });
        },
      };
    const client = createWhatsAppClient({
      baseUrl: row.baseUrl,
      apiVersion: row.apiVersion,
      phoneNumberId: row.phoneNumberId,
      accessToken: opened.value.accessToken,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    const channel = liveChannel(client, row.templates, row.language);
    if (built.size >= 10_000) built.clear();
    built.set(networkId, { builtFrom: row.updatedAt.getTime(), channel });
    return channel;
  };
}
