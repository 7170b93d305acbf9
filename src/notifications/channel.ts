/**
 * The port to a notification channel (issue 15 §7): e-mail through SMTP (nodemailer, `email/`) and
 * WhatsApp through the WhatsApp Business Cloud API (`whatsapp/`). The outbox worker sends one message per
 * call, never inside a transaction. A channel that is not configured (no OMNIHUB_SMTP_URL, no WhatsApp
 * account for the network) is not `live`: its messages are recorded as `not_sent` and the back office says so.
 */

export const channels = ['email', 'whatsapp'] as const;
export type ChannelName = (typeof channels)[number];

/** One message, already rendered from its template. */
export interface OutgoingMessage {
  /** Omnihub's id of the message: sent as the provider's idempotency/reference where it takes one. */
  readonly id: string;
  readonly channel: ChannelName;
  /** An e-mail address, or a phone number in E.164 digits (5511987654321). */
  readonly to: string;
  /** The template's code (order_accepted, order_in_transit, store_new_order, ...). */
  readonly template: string;
  /** E-mail only. */
  readonly subject?: string;
  readonly html?: string;
  /** The plain text: the e-mail's text part, the wa.me fallback's prepared text. */
  readonly text: string;
  /**
   * WhatsApp only: the approved utility template's name and language, and its body parameters in order
   * (the Cloud API sends a template, not free text, outside a customer's 24-hour window).
   */
  readonly whatsapp?: {
    readonly templateName: string;
    readonly language: string;
    readonly parameters: readonly string[];
  };
}

export interface Sent {
  /** The provider's id of the message (SMTP Message-ID / the Cloud API's wamid). */
  readonly providerId: string | null;
}

/**
 * A send that failed. `permanent` (a recipient the provider refuses for good, a template it does not know):
 * not retried. Otherwise (unreachable, timeout, 4xx/5xx of the server, a malformed answer) the outbox retries
 * with backoff.
 */
export class ChannelFault extends Error {
  readonly permanent: boolean;

  constructor(message: string, opts: { permanent?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'ChannelFault';
    this.permanent = opts.permanent ?? false;
  }
}

export interface Channel {
  readonly name: ChannelName;
  /** False: messages are recorded but not sent (no SMTP URL, no WhatsApp account). */
  readonly live: boolean;
  send(message: OutgoingMessage): Promise<Sent>;
}

/** The channel a network's messages go through (WhatsApp accounts are per network). */
export type ChannelFor = (networkId: string, channel: ChannelName) => Promise<Channel>;
