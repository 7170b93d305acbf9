import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import {
  backoffMs,
  enqueue,
  enqueueStatement,
  type JobContext,
  type JobHandler,
} from '../platform/jobs/service.ts';
import { DANFE_LINK, signLink } from '../platform/public-links.ts';
import { type Channel, ChannelFault, type ChannelFor, type ChannelName } from './channel.ts';
import {
  isTemplateCode,
  MAX_ATTEMPTS,
  notSentReasons,
  offlineReason,
  type TemplateCode,
  waMeLink,
} from './domain.ts';
import { smtpChannel } from './email/index.ts';
import * as store from './store.ts';
import { render, type TemplateText, templates } from './templates.ts';

/**
 * Writing a message in the caller's transaction, and the worker that renders and sends it after the commit,
 * with retries (the jobs table).
 */

export const NOTIFICATION_QUEUE = 'notifications.send';
/** How long a DANFE link in a message opens the PDF. */
export const DANFE_LINK_DAYS = 30;

/** Ids the worker turns into links when it renders (a DANFE link is signed and expires, so it is made late). */
export interface NotificationLinks {
  /** orderUrl: the order's page in the back office. */
  orderId?: string;
  /** requestsUrl: the stock requests' page. */
  stockRequests?: boolean;
  /** danfeUrl: the document's DANFE without a login. */
  danfeDocumentId?: string;
}

export interface NewNotification {
  networkId: string;
  storeId: string;
  reference: { type: string; id: string };
  orderId?: string | null;
  channel: ChannelName;
  /** Empty when the recipient has none: the message is recorded `not_sent` with `notSentReason`. */
  to: string;
  template: TemplateCode;
  variables: Readonly<Record<string, unknown>>;
  links?: NotificationLinks;
  /** Recorded and never sent, for this reason (no e-mail on the store, the store e-mail switched off). */
  notSentReason?: string;
}

/**
 * Writes the message and its delivery job in the caller's transaction: the message exists if and only if the
 * change committed, and nothing is sent before it did.
 */
export async function enqueueNotification(tx: Db, n: NewNotification): Promise<string> {
  const { id, statements } = notificationStatements(tx, n);
  const [message, job] = statements;
  await tx.execute(sql`with message as (${message}) ${job}`);
  return id;
}

/**
 * The INSERTs that enqueue a notification (the message, its sending job), for a caller that sends them
 * within a larger statement of its transaction, e.g. to fill a variable from that statement (`variables`
 * may then be an SQL expression yielding the jsonb).
 */
export function notificationStatements(
  tx: Db,
  n: Omit<NewNotification, 'variables'> & { variables: NewNotification['variables'] | SQL },
): { id: string; statements: [SQL, SQL] } {
  const reason =
    n.notSentReason ??
    (n.to.trim() === ''
      ? n.channel === 'email'
        ? notSentReasons.noRecipientEmail
        : notSentReasons.noRecipientPhone
      : undefined);
  const id = randomUUID();
  const message = store.insertNotificationStatement(tx, {
    id,
    networkId: n.networkId,
    storeId: n.storeId,
    referenceType: n.reference.type,
    referenceId: n.reference.id,
    orderId: n.orderId ?? null,
    channel: n.channel,
    recipient: n.to.trim(),
    template: n.template,
    variables: n.variables,
    links: n.links ?? {},
    status: reason ? 'not_sent' : 'queued',
    lastError: reason ?? null,
    nextAttemptAt: reason ? null : new Date(),
  });
  // A not_sent message is rendered too, so the outbox shows what would have been said.
  const job = enqueueStatement(tx, NOTIFICATION_QUEUE, { id, lastAttempt: MAX_ATTEMPTS } satisfies SendJob, {
    ownerNodeId: n.storeId,
    maxAttempts: 3,
  });
  return { id, statements: [message.getSQL(), job.getSQL()] };
}

export interface SendJob {
  id: string;
  /** The attempt after which a failing message is `failed` (a manual retry grants MAX_ATTEMPTS more). */
  lastAttempt: number;
}

export interface SendDeps {
  channelFor: ChannelFor;
  /** Signs the DANFE links (platform/public-links.ts). */
  secretKey: Buffer;
  /** OMNIHUB_PUBLIC_URL: where links in messages point. */
  publicUrl: string;
  /** The first retry's delay (default 1 s), doubled each time, capped at 10 minutes. */
  retryBaseMs?: number;
  clock?: () => Date;
}

/**
 * Where messages go by default: e-mail through OMNIHUB_SMTP_URL (not live without it); WhatsApp not live
 * (the composition root passes a `ChannelFor` that adds the networks' WhatsApp accounts).
 */
export function defaultChannelFor(env: { smtpUrl?: string; mailFrom?: string }): ChannelFor {
  const email: Channel = env.smtpUrl
    ? smtpChannel({ url: env.smtpUrl, from: env.mailFrom })
    : offlineChannel('email');
  const whatsapp = offlineChannel('whatsapp');
  return async (_networkId, channel) => (channel === 'email' ? email : whatsapp);
}

/** A channel that is not configured: its messages are recorded as `not_sent`. */
export function offlineChannel(name: ChannelName): Channel {
  return {
    name,
    live: false,
    async send() {
      throw new ChannelFault(offlineReason(name), { permanent: true });
    },
  };
}

export function notificationJobHandlers(deps: SendDeps): Record<string, JobHandler> {
  return { [NOTIFICATION_QUEUE]: (ctx) => deliver(ctx, deps) };
}

async function deliver(ctx: JobContext, deps: SendDeps) {
  const { db } = ctx;
  const job = ctx.job.payload as SendJob;
  let row = await store.findNotification(db, job.id);
  if (!row || row.status === 'sent' || row.status === 'failed') return { status: row?.status ?? 'gone' };
  if (row.text === null) {
    const rendered = await renderRow(db, deps, row);
    if (!rendered.ok) {
      await store.updateNotification(db, row.id, {
        status: 'failed',
        lastError: rendered.failure.detail,
        nextAttemptAt: null,
      });
      return { status: 'failed' };
    }
    row = (await store.updateNotification(db, row.id, rendered.value))!;
  }
  if (row.status === 'not_sent') return { status: 'not_sent' };
  const channel = await deps.channelFor(row.networkId, row.channel);
  if (!channel.live) {
    await store.updateNotification(db, row.id, {
      status: 'not_sent',
      lastError: offlineReason(row.channel),
      nextAttemptAt: null,
    });
    return { status: 'not_sent' };
  }
  const attempt = row.attempts + 1;
  await store.updateNotification(db, row.id, { status: 'sending', attempts: attempt });
  const now = deps.clock ?? (() => new Date());
  try {
    const sent = await channel.send({
      id: row.id,
      channel: row.channel,
      to: row.recipient,
      template: row.template,
      subject: row.subject ?? undefined,
      html: row.html ?? undefined,
      text: row.text ?? '',
      whatsapp: row.channel === 'whatsapp' ? whatsAppPart(row) : undefined,
    });
    await store.updateNotification(db, row.id, {
      status: 'sent',
      providerId: sent.providerId,
      sentAt: now(),
      lastError: null,
      nextAttemptAt: null,
    });
    return { status: 'sent', attempts: attempt };
  } catch (error) {
    const fault = error instanceof ChannelFault ? error : new ChannelFault(String(error), { cause: error });
    if (fault.permanent || attempt >= job.lastAttempt) {
      await store.updateNotification(db, row.id, {
        status: 'failed',
        lastError: fault.message,
        nextAttemptAt: null,
      });
      return { status: 'failed', attempts: attempt };
    }
    const runAt = new Date(now().getTime() + backoffMs(attempt, Math.random, { baseMs: deps.retryBaseMs }));
    await transaction(db, async (tx) => {
      await store.updateNotification(tx, row.id, {
        status: 'queued',
        lastError: fault.message,
        nextAttemptAt: runAt,
      });
      await enqueue(tx, NOTIFICATION_QUEUE, job, { ownerNodeId: row.storeId, maxAttempts: 3, runAt });
      return ok(null);
    });
    return { status: 'queued', attempts: attempt };
  }
}

function whatsAppPart(row: store.NotificationRow) {
  return {
    templateName: row.template,
    language: 'pt_BR',
    parameters: (row.whatsappParameters as string[] | null) ?? [],
  };
}

/** The links a message's template may print, made from the ids it was written with. */
export function linksOf(deps: Pick<SendDeps, 'secretKey' | 'publicUrl' | 'clock'>, links: NotificationLinks) {
  const base = deps.publicUrl.replace(/\/+$/, '');
  const now = (deps.clock ?? (() => new Date()))();
  return {
    ...(links.orderId && { orderUrl: `${base}/orders/${links.orderId}` }),
    ...(links.stockRequests && { requestsUrl: `${base}/stock-requests` }),
    ...(links.danfeDocumentId && {
      danfeUrl: `${base}/api/v1/public/danfe/${signLink(
        deps.secretKey,
        DANFE_LINK,
        links.danfeDocumentId,
        new Date(now.getTime() + DANFE_LINK_DAYS * 86_400_000),
      )}`,
    }),
  };
}

/** The network's text of a template, or the shipped one. */
async function textOf(db: Db, networkId: string, code: TemplateCode): Promise<TemplateText> {
  const own = await store.findTemplate(db, networkId, code);
  return own ? { subject: own.subject, text: own.text, html: own.html } : templates[code];
}

interface Rendered {
  subject: string | null;
  text: string;
  html: string | null;
  whatsappParameters: string[] | null;
}

async function renderRow(
  db: Db,
  deps: Pick<SendDeps, 'secretKey' | 'publicUrl' | 'clock'>,
  row: Pick<store.NotificationRow, 'networkId' | 'template' | 'variables' | 'links' | 'channel'>,
): Promise<Result<Rendered>> {
  if (!isTemplateCode(row.template))
    return fail('invalid', 'NOTIFICATION.UNKNOWN_TEMPLATE', `There is no template ${row.template}.`);
  const variables: Record<string, unknown> = {
    ...(row.variables as Record<string, unknown>),
    ...linksOf(deps, row.links as NotificationLinks),
  };
  try {
    const out = await render(await textOf(db, row.networkId, row.template), variables);
    const whatsapp = row.channel === 'whatsapp';
    return ok({
      subject: out.subject,
      text: out.text,
      html: whatsapp ? null : out.html,
      whatsappParameters: whatsapp
        ? templates[row.template].whatsapp.map((name) => String(variables[name] ?? ''))
        : null,
    });
  } catch (error) {
    return fail(
      'invalid',
      'NOTIFICATION.RENDER_FAILED',
      `The template did not render: ${(error as Error).message}`,
    );
  }
}

/**
 * The manual WhatsApp fallback ("Notificar cliente"): the message rendered now, its wa.me link, and a record of
 * it as sent by hand (the user opens the link; Omnihub cannot know more).
 */
export async function recordManualWhatsApp(
  db: Db,
  deps: Pick<SendDeps, 'secretKey' | 'publicUrl' | 'clock'>,
  n: Omit<NewNotification, 'channel' | 'notSentReason'>,
  by: { kind: string; id: string },
): Promise<Result<{ id: string; text: string; link: string; to: string }>> {
  const links = n.links ?? {};
  const rendered = await renderRow(db, deps, {
    networkId: n.networkId,
    template: n.template,
    variables: n.variables,
    links,
    channel: 'whatsapp',
  });
  if (!rendered.ok) return rendered;
  const now = (deps.clock ?? (() => new Date()))();
  const row = await store.insertNotification(db, {
    networkId: n.networkId,
    storeId: n.storeId,
    referenceType: n.reference.type,
    referenceId: n.reference.id,
    orderId: n.orderId ?? null,
    channel: 'whatsapp',
    recipient: n.to,
    template: n.template,
    variables: n.variables,
    links,
    ...rendered.value,
    status: 'sent',
    attempts: 1,
    providerId: MANUAL_PROVIDER,
    sentAt: now,
    sentBy: `${by.kind}:${by.id}`,
  });
  return ok({ id: row.id, text: rendered.value.text, link: waMeLink(n.to, rendered.value.text), to: n.to });
}

export const MANUAL_PROVIDER = 'wa.me manual';

export interface StoreEmail {
  address: string;
  /** Why the store is not e-mailed (no e-mail registered, switched off). */
  reason?: string;
}

/**
 * Where the stores are e-mailed. The seeds pick the e-mail of the type CD_EMAIL_ENVPRATELEIRAPDV names among
 * the store's contacts; an Omnihub store has one registered e-mail, so the parameter says whether it is used.
 */
export async function storeEmail(
  db: Db,
  node: Pick<network.NetworkNode, 'id' | 'email'>,
): Promise<StoreEmail> {
  const mode = (await parameters.resolve(db, node.id, 'CD_EMAIL_ENVPRATELEIRAPDV')).value;
  if (mode === 'NAO_ENVIA') return { address: '', reason: notSentReasons.storeEmailOff };
  const address = node.email?.trim() ?? '';
  return address ? { address } : { address: '', reason: notSentReasons.storeWithoutEmail };
}
