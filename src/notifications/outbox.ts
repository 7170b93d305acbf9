import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { enqueue } from '../platform/jobs/service.ts';
import { decodeCursor, type Page, pageOf } from '../platform/pagination.ts';
import { type ChannelFor, type ChannelName, channels } from './channel.ts';
import { MAX_ATTEMPTS, type NotificationStatus } from './domain.ts';
import { NOTIFICATION_QUEUE, type SendJob } from './sending.ts';
import * as store from './store.ts';

/** The messages as the back office reads them: an order's, the Caixa de saída, one message, "Reenviar". */

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
