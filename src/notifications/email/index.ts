import nodemailer from 'nodemailer';
import { type Channel, ChannelFault, type OutgoingMessage, type Sent } from '../channel.ts';

/**
 * The e-mail channel: SMTP through nodemailer, to OMNIHUB_SMTP_URL (`smtp://host:port`, `smtps://` for TLS from
 * the first byte, `smtp://user:pass@host:587` for an authenticated relay). Each message carries an HTML and a
 * text part; its Omnihub id is the Message-ID, so a relay's logs lead back to the row in the outbox.
 */

export const DEFAULT_MAIL_FROM = 'Omnihub <nao-responda@omnihub.local>';

export interface SmtpOptions {
  url: string;
  /** OMNIHUB_MAIL_FROM; DEFAULT_MAIL_FROM when unset. */
  from?: string;
  /** How long to wait for the connection, the greeting and each reply (default 10 s). */
  timeoutMs?: number;
}

/** An SMTP URL is checked at start-up, not at the first message: a typo stops the process with a clear message. */
export function parseSmtpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`OMNIHUB_SMTP_URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new Error(`OMNIHUB_SMTP_URL must start with smtp:// or smtps://: ${url}`);
  return parsed;
}

export function smtpChannel(opts: SmtpOptions): Channel {
  const url = parseSmtpUrl(opts.url);
  const timeout = opts.timeoutMs ?? 10_000;
  const secure = url.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 25,
    secure,
    ...(url.username && {
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    }),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const from = opts.from?.trim() || DEFAULT_MAIL_FROM;
  return {
    name: 'email',
    live: true,
    async send(message: OutgoingMessage): Promise<Sent> {
      try {
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.text,
          html: message.html,
          messageId: `<${message.id}@omnihub>`,
          headers: { 'X-Omnihub-Template': message.template },
        });
        return { providerId: info.messageId ?? null };
      } catch (error) {
        throw smtpFault(error);
      }
    },
  };
}

/**
 * SMTP's own split (RFC 5321 §4.2.1): a 5xx reply to the envelope or the data is permanent (the mailbox does
 * not exist, the relay refuses it), a 4xx is "try again later"; a refused connection, a timeout or a failed
 * login (the relay or its password may be fixed meanwhile) is retried too.
 */
export function smtpFault(error: unknown): ChannelFault {
  const e = error as { responseCode?: number; code?: string; response?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const permanent =
    code !== undefined && code >= 500 && code < 600 && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE');
  const text = e.response ?? e.message ?? String(error);
  return new ChannelFault(`SMTP ${code ?? e.code ?? 'error'}: ${text}`, { permanent, cause: error });
}
