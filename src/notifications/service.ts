import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { backoffMs, enqueue, type JobContext, type JobHandler } from '../platform/jobs/service.ts';
import { decodeCursor, type Page, pageOf } from '../platform/pagination.ts';
import { DANFE_LINK, signLink } from '../platform/public-links.ts';
import { type Channel, ChannelFault, type ChannelFor, type ChannelName, channels } from './channel.ts';
import {
  isTemplateCode,
  MAX_ATTEMPTS,
  type NotificationStatus,
  notSentReasons,
  offlineReason,
  type TemplateCode,
  templateCodes,
  waMeLink,
} from './domain.ts';
import { smtpChannel } from './email/index.ts';
import * as store from './store.ts';
import { render, type TemplateText, templates, validateTemplate } from './templates.ts';

/**
 * The notifications context's door. A lower context: orders and split decide who is told what and call
 * `enqueueNotification` in the transaction of their change; the worker (`notificationJobHandlers`) renders and
 * sends each message after the commit, with retries.
 */
export {
  type Channel,
  ChannelFault,
  type ChannelFor,
  type ChannelName,
  channels,
  type OutgoingMessage,
  type Sent,
} from './channel.ts';
export {
  customerChannels,
  customerTemplateFor,
  MAX_ATTEMPTS,
  type NotificationStatus,
  notificationStatuses,
  notSentReasons,
  type TemplateCode,
  templateCodes,
  waMeLink,
  whatsAppNumber,
} from './domain.ts';
export { DEFAULT_MAIL_FROM, parseSmtpUrl, smtpChannel } from './email/index.ts';
/** The message's schema, for the order's route that lists its messages. */
export { Notification as NotificationPayload } from './payloads.ts';

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
  const reason =
    n.notSentReason ??
    (n.to.trim() === ''
      ? n.channel === 'email'
        ? notSentReasons.noRecipientEmail
        : notSentReasons.noRecipientPhone
      : undefined);
  const row = await store.insertNotification(tx, {
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
  await enqueue(tx, NOTIFICATION_QUEUE, { id: row.id, lastAttempt: MAX_ATTEMPTS } satisfies SendJob, {
    ownerNodeId: n.storeId,
    maxAttempts: 3,
  });
  return row.id;
}

interface SendJob {
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

export interface NotificationView {
  id: string;
  channel: ChannelName;
  to: string;
  template: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  providerId: string | null;
  storeCode: string | null;
  orderId: string | null;
  reference: { type: string; id: string };
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
  subject: string | null;
}

export interface NotificationDetails extends NotificationView {
  text: string | null;
  html: string | null;
  whatsappParameters: string[] | null;
}

function view(row: store.NotificationRow, codes: ReadonlyMap<string, string>): NotificationView {
  return {
    id: row.id,
    channel: row.channel,
    to: row.recipient,
    template: row.template,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    providerId: row.providerId,
    storeCode: codes.get(row.storeId) ?? null,
    orderId: row.orderId,
    reference: { type: row.referenceType, id: row.referenceId },
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    subject: row.subject,
  };
}

async function storeCodes(db: Db, networkId: string): Promise<Map<string, string>> {
  return new Map((await network.storeSummaries(db, networkId)).map((s) => [s.id, s.code]));
}

/** An order's messages, oldest first; the order's context has decided the caller may see the order. */
export async function notificationsOfOrder(
  db: Db,
  networkId: string,
  orderId: string,
): Promise<NotificationView[]> {
  const codes = await storeCodes(db, networkId);
  return (await store.notificationsOfOrder(db, orderId)).map((r) => view(r, codes));
}

export interface OutboxQuery {
  status?: NotificationStatus;
  channel?: ChannelName;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

/** The "Caixa de saída": the messages of the stores in the viewer's subtree, newest first. */
export async function listOutbox(
  db: Db,
  viewer: network.Viewer,
  q: OutboxQuery,
): Promise<Result<Page<NotificationView>>> {
  const cursor = decodeCursor(q.cursor);
  if (!cursor.ok) return cursor;
  const range = dayRange(q.from, q.to);
  if (!range.ok) return range;
  const limit = q.limit ?? 50;
  const stores = await network.storesWithin(db, viewer);
  const after = cursor.value
    ? { createdAt: new Date(String(cursor.value[0])), id: String(cursor.value[1]) }
    : undefined;
  const rows = await store.outbox(db, {
    storeIds: stores.map((s) => s.id),
    status: q.status,
    channel: q.channel,
    ...range.value,
    after,
    limit,
  });
  const codes = new Map(stores.map((s) => [s.id, s.code]));
  const page = pageOf(rows, limit, (r) => [r.createdAt.toISOString(), r.id]);
  return ok({ items: page.items.map((r) => view(r, codes)), nextCursor: page.nextCursor });
}

/** from / to as days (YYYY-MM-DD, São Paulo) or instants; `to` as a day includes that whole day. */
function dayRange(from?: string, to?: string): Result<{ from?: Date; to?: Date }> {
  const parse = (value: string | undefined, end: boolean, path: string): Result<Date | undefined> => {
    if (!value) return ok(undefined);
    const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const at = new Date(day ? `${value}T00:00:00-03:00` : value);
    if (Number.isNaN(at.getTime()))
      return fail('invalid', 'REQUEST.INVALID', `${path.slice(1)} is not a date.`, {
        errors: [{ path, code: 'REQUEST.DATE_INVALID', message: 'is not a date (YYYY-MM-DD) or an instant' }],
      });
    return ok(day && end ? new Date(at.getTime() + 86_400_000) : at);
  };
  const f = parse(from, false, '/from');
  if (!f.ok) return f;
  const t = parse(to, true, '/to');
  if (!t.ok) return t;
  return ok({ from: f.value, to: t.value });
}

const notFound = (id: string) =>
  fail('not_found', 'NOTIFICATION.NOT_FOUND', `There is no message ${id} visible to you.`);

async function visible(db: Db, viewer: network.Viewer, id: string, lock = false) {
  const row = await store.findNotification(db, id, lock);
  if (!row || row.networkId !== viewer.networkId) return undefined;
  const place = await network.placement(db, row.storeId);
  return place && network.isWithin(place.path, viewer.nodePath) ? row : undefined;
}

/** One message with what it says (subject, text, HTML), for the outbox's view. */
export async function getNotification(
  db: Db,
  viewer: network.Viewer,
  id: string,
): Promise<Result<NotificationDetails>> {
  const row = await visible(db, viewer, id);
  if (!row) return notFound(id);
  return ok({
    ...view(row, await storeCodes(db, row.networkId)),
    text: row.text,
    html: row.html,
    whatsappParameters: (row.whatsappParameters as string[] | null) ?? null,
  });
}

/** "Reenviar": a failed message is queued again with MAX_ATTEMPTS more attempts. */
export function retryNotification(
  db: Db,
  viewer: network.Viewer,
  id: string,
): Promise<Result<NotificationView>> {
  return transaction(db, async (tx) => {
    const row = await visible(tx, viewer, id, true);
    if (!row) return notFound(id);
    if (row.status !== 'failed')
      return fail(
        'conflict',
        'NOTIFICATION.NOT_FAILED',
        `Only a failed message is sent again; this one is ${row.status}.`,
        {
          data: { status: row.status },
        },
      );
    const updated = await store.updateNotification(tx, id, {
      status: 'queued',
      nextAttemptAt: new Date(),
    });
    await enqueue(
      tx,
      NOTIFICATION_QUEUE,
      { id, lastAttempt: row.attempts + MAX_ATTEMPTS } satisfies SendJob,
      { ownerNodeId: row.storeId, maxAttempts: 3 },
    );
    return ok(view(updated!, await storeCodes(tx, row.networkId)));
  });
}

/** Whether each channel sends for the viewer's network (the outbox's banner when e-mail is off). */
export async function channelStates(
  channelFor: ChannelFor,
  networkId: string,
): Promise<{ channel: ChannelName; live: boolean }[]> {
  return Promise.all(
    channels.map(async (channel) => ({ channel, live: (await channelFor(networkId, channel)).live })),
  );
}

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

/** The permission that lets a user change the messages' texts (seed 003, Notificações). */
export const EDIT_PERMISSION = 'IN_ALT_MENSAGEM';

export interface TemplateView extends TemplateText {
  code: TemplateCode;
  title: string;
  variables: Readonly<Record<string, string>>;
  /** The network changed it (else the shipped text). */
  customised: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
  whatsappParameters: string[];
}

export async function listTemplates(db: Db, viewer: network.Viewer): Promise<TemplateView[]> {
  const own = new Map((await store.templatesOf(db, viewer.networkId)).map((t) => [t.code, t]));
  return templateCodes.map((code) => {
    const mine = own.get(code);
    const shipped = templates[code];
    return {
      code,
      title: shipped.title,
      variables: shipped.variables,
      whatsappParameters: [...shipped.whatsapp],
      subject: mine?.subject ?? shipped.subject,
      text: mine?.text ?? shipped.text,
      html: mine?.html ?? shipped.html,
      customised: mine !== undefined,
      updatedBy: mine?.updatedBy ?? null,
      updatedAt: mine?.updatedAt.toISOString() ?? null,
    };
  });
}

function mayEdit(editor: Principal): Result<null> {
  return editor.permissions?.includes(EDIT_PERMISSION)
    ? ok(null)
    : fail(
        'forbidden',
        'NOTIFICATION.PERMISSION_REQUIRED',
        `Changing the messages' texts needs the permission ${EDIT_PERMISSION}.`,
        { data: { permission: EDIT_PERMISSION } },
      );
}

const unknownTemplate = (code: string) =>
  fail('not_found', 'NOTIFICATION.TEMPLATE_NOT_FOUND', `There is no template ${code}.`);

async function auditScope(db: Db, editor: Principal) {
  const node = await network.getNodeById(db, editor.nodeId);
  return audit.scopeOf(node!);
}

/** The network's own text of a template: taken only if it compiles (422 with the engine's error and line). */
export async function saveTemplate(
  db: Db,
  editor: Principal,
  code: string,
  text: TemplateText,
): Promise<Result<TemplateView>> {
  const allowed = mayEdit(editor);
  if (!allowed.ok) return allowed;
  if (!isTemplateCode(code)) return unknownTemplate(code);
  const valid = validateTemplate(text);
  if (!valid.ok) return valid;
  const scope = await auditScope(db, editor);
  await transaction(db, async (tx) => {
    const before = await store.findTemplate(tx, editor.networkId, code);
    await store.saveTemplate(tx, {
      networkId: editor.networkId,
      code,
      ...text,
      updatedBy: editor.name,
      updatedAt: new Date(),
    });
    await audit.record(tx, editor, scope, {
      action: 'notification_template.changed',
      target: { type: 'notification_template', id: code, label: templates[code].title },
      before: before ? { subject: before.subject, text: before.text, html: before.html } : { shipped: true },
      after: { ...text },
    });
    return ok(null);
  });
  return ok((await listTemplates(db, editor)).find((t) => t.code === code)!);
}

/** "Restaurar padrão": back to the shipped text. */
export async function resetTemplate(db: Db, editor: Principal, code: string): Promise<Result<TemplateView>> {
  const allowed = mayEdit(editor);
  if (!allowed.ok) return allowed;
  if (!isTemplateCode(code)) return unknownTemplate(code);
  const scope = await auditScope(db, editor);
  await transaction(db, async (tx) => {
    const removed = await store.deleteTemplate(tx, editor.networkId, code);
    if (!removed) return ok(null);
    await audit.record(tx, editor, scope, {
      action: 'notification_template.reset',
      target: { type: 'notification_template', id: code, label: templates[code].title },
      before: { subject: removed.subject, text: removed.text, html: removed.html },
      after: { shipped: true },
    });
    return ok(null);
  });
  return ok((await listTemplates(db, editor)).find((t) => t.code === code)!);
}
