import * as access from '../access/service.ts';
import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { decodeCursor, type Page, type PageQuery, pageOf } from '../platform/pagination.ts';
import { openSecret, sealSecret } from '../platform/secret-key.ts';
import {
  type DeliveryStatus,
  ORDER_STATUS_CHANGED,
  type OrderEvent,
  orderEventBody,
  orderStatusChangedBody,
  secretLast4,
  webhookConfigErrors,
} from './domain.ts';
import * as store from './store.ts';
import type { TargetPolicy } from './targets.ts';

export { ORDER_STATUS_CHANGED, type OrderEvent, verifySignature } from './domain.ts';
export type { Claimed, Outcome } from './store.ts';
export { createTargetPolicy, type Resolve, type TargetPolicy } from './targets.ts';
export { AttemptSchema, DeliverySchema, DeliveryWithAttemptsSchema } from './views.ts';
export {
  type DeliveryWorker,
  type DeliveryWorkerOptions,
  type EventSender,
  RETRY_CAP_MS,
  startDeliveryWorker,
} from './worker.ts';

/**
 * Points a client's events at a platform adapter instead of an HTTP webhook (the connector's connections):
 * the delivery worker hands them to the sender registered for `kind`. Inside the caller's transaction.
 * The secret is sealed like a webhook's; adapters that sign nothing may pass any value.
 */
export async function setSenderEndpoint(
  tx: Db,
  e: { clientId: string; kind: string; url: string; active: boolean; secret: string; secretKey: Buffer },
): Promise<void> {
  if (e.kind === 'http') throw new Error('an http endpoint is set with setWebhook');
  await store.upsertEndpoint(tx, {
    clientId: e.clientId,
    kind: e.kind,
    url: e.url,
    secret: sealSecret(e.secretKey, e.secret),
    active: e.active,
  });
}

/** What webhook settings need: the key that seals secrets and where deliveries may go. */
export interface WebhookContext {
  secretKey: Buffer;
  targets: TargetPolicy;
}

export interface WebhookView {
  clientId: string;
  url: string;
  secretLast4: string;
  active: boolean;
  updatedAt: string;
}

export interface AttemptView {
  attempt: number;
  startedAt: string;
  url: string;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export interface DeliveryView {
  id: string;
  clientId: string;
  orderId: string;
  seq: number;
  event: string;
  status: DeliveryStatus;
  payload: unknown;
  /** Attempts made so far (claims, including one in flight). */
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  lastError: string | null;
}

export type DeliveryWithAttempts = DeliveryView & { attempts: AttemptView[] };

/**
 * Writes an order's status change to the webhook outbox. Call it inside the transaction that changes the
 * status, while holding the order's row lock: the event then exists if and only if the change committed, and
 * the per-order sequence numbers that keep deliveries in order are gap-free. Nothing is sent here.
 */
export async function enqueueOrderStatusChange(
  tx: Db,
  e: {
    networkId: string;
    clientId: string;
    orderId: string;
    externalId: string;
    status: string;
    previousStatus: string | null;
    at: Date;
  },
): Promise<void> {
  await store.insertDelivery(tx, {
    clientId: e.clientId,
    networkId: e.networkId,
    orderId: e.orderId,
    event: ORDER_STATUS_CHANGED,
    body: orderStatusChangedBody(e),
  });
}

/** The order a delivery belongs to: whose row lock `copyDelivery` must be called under. */
export async function deliveryOrder(db: Db, deliveryId: string): Promise<string | null> {
  return (await store.findDelivery(db, deliveryId))?.orderId ?? null;
}

/**
 * Queues a delivery's event again (a connector ticket reprocessed): the same event and body, as a new delivery
 * at the end of its order's sequence, so the receiver gets it after whatever the order sent since. Call it
 * inside the transaction holding the order's row lock, like every enqueue. Idempotent: while a copy is still
 * pending, asking again returns that one instead of queueing a third.
 */
export async function copyDelivery(
  tx: Db,
  deliveryId: string,
): Promise<Result<{ id: string; orderId: string }>> {
  const original = await store.findDelivery(tx, deliveryId);
  if (!original) return fail('not_found', 'WEBHOOK.DELIVERY_NOT_FOUND', `No delivery ${deliveryId}.`);
  const waiting = await store.pendingCopyOf(tx, original);
  if (waiting) return ok({ id: waiting, orderId: original.orderId });
  const id = await store.insertDelivery(tx, {
    clientId: original.clientId,
    networkId: original.networkId,
    orderId: original.orderId,
    event: original.event,
    body: original.body,
  });
  return ok({ id, orderId: original.orderId });
}

/**
 * Writes another fact of an order (`order.returned`, …) to the same outbox, in the same per-order sequence as
 * its status changes: the same rule applies, call it inside the transaction holding the order's row lock.
 */
export async function enqueueOrderEvent(
  tx: Db,
  e: OrderEvent & { networkId: string; clientId: string },
): Promise<void> {
  await store.insertDelivery(tx, {
    clientId: e.clientId,
    networkId: e.networkId,
    orderId: e.orderId,
    event: e.event,
    body: orderEventBody(e),
  });
}

const clientNotFound = () =>
  fail('not_found', 'INTEGRATION.CLIENT_NOT_FOUND', 'No such API client visible to you.');
const webhookNotFound = () =>
  fail('not_found', 'INTEGRATION.WEBHOOK_NOT_CONFIGURED', 'This API client has no webhook.');
const deliveryNotFound = () =>
  fail('not_found', 'INTEGRATION.DELIVERY_NOT_FOUND', 'No such webhook delivery visible to you.');
const invalidCursor = () =>
  fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
    errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toWebhook(row: store.EndpointRow, secretKey: Buffer): WebhookView {
  const secret = openSecret(secretKey, row.secret);
  return {
    clientId: row.clientId,
    url: row.url,
    secretLast4: secret.ok ? secretLast4(secret.value.toString('utf8')) : '????',
    active: row.active,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Webhooks are for platform clients the admin manages (its subtree), the same rule as revoking them. */
async function managedPlatformClient(db: Db, viewer: Principal, clientId: string) {
  const client = await access.getApiClient(db, viewer, clientId);
  return client ? ok(client) : clientNotFound();
}

export async function getWebhook(
  db: Db,
  viewer: Principal,
  clientId: string,
  ctx: WebhookContext,
): Promise<Result<WebhookView>> {
  const client = await managedPlatformClient(db, viewer, clientId);
  if (!client.ok) return client;
  const row = await store.findEndpoint(db, clientId);
  return row ? ok(toWebhook(row, ctx.secretKey)) : webhookNotFound();
}

export async function setWebhook(
  db: Db,
  viewer: Principal,
  clientId: string,
  input: { url: string; secret?: string; active?: boolean },
  ctx: WebhookContext,
): Promise<Result<WebhookView>> {
  const client = await managedPlatformClient(db, viewer, clientId);
  if (!client.ok) return client;
  if (client.value.scope !== 'platform') {
    return fail('invalid', 'INTEGRATION.NOT_A_PLATFORM_CLIENT', 'Only platform clients receive webhooks.', {
      errors: [
        {
          path: '/',
          code: 'INTEGRATION.NO_ORDER_EVENTS',
          params: { scope: client.value.scope },
          message: `a ${client.value.scope} client receives no order events`,
        },
      ],
    });
  }
  // Without a secret the current (sealed) one stays: changing the URL or pausing does not rotate the key.
  const current = input.secret === undefined ? (await store.findEndpoint(db, clientId))?.secret : undefined;
  if (input.secret === undefined && current === undefined) {
    return fail('invalid', 'INTEGRATION.INVALID_WEBHOOK', 'A new webhook needs its secret.', {
      errors: [
        {
          path: '/secret',
          code: 'INTEGRATION.SECRET_REQUIRED',
          message: 'is required when the client has no webhook yet',
        },
      ],
    });
  }
  const errors = webhookConfigErrors({ url: input.url, secret: input.secret });
  if (errors.length) {
    return fail('invalid', 'INTEGRATION.INVALID_WEBHOOK', 'The webhook settings are invalid.', { errors });
  }
  const refused = await ctx.targets.refusal(input.url);
  if (refused) {
    return fail(
      'invalid',
      'INTEGRATION.WEBHOOK_TARGET_NOT_ALLOWED',
      'Webhooks go to public addresses only; an on-premises receiver must be named in ' +
        'OMNIHUB_WEBHOOK_ALLOW_HOSTS.',
      { errors: [{ path: '/url', code: 'INTEGRATION.WEBHOOK_TARGET_NOT_ALLOWED', message: refused }] },
    );
  }
  return transaction(db, async (tx) => {
    const before = await store.findEndpoint(tx, clientId);
    const row = await store.upsertEndpoint(tx, {
      clientId,
      url: input.url,
      secret: input.secret === undefined ? current! : sealSecret(ctx.secretKey, input.secret),
      active: input.active ?? true,
    });
    if (row.active) await store.retryNow(tx, clientId);
    await recordWebhook(tx, viewer, client.value, 'webhook.set', before, row);
    return ok(toWebhook(row, ctx.secretKey));
  });
}

/**
 * The webhook's audit event, scoped to the client's node. The secret goes in sealed (sealed anew when
 * replaced) only so that it is masked and shown as changed; the log never keeps it.
 */
async function recordWebhook(
  tx: Db,
  viewer: Principal,
  client: access.ApiClientView,
  action: string,
  before: store.EndpointRow | undefined,
  after: store.EndpointRow | undefined,
) {
  const node = await network.getNode(tx, viewer, client.nodeCode);
  if (!node.ok) return;
  const snapshot = (e: store.EndpointRow | undefined) =>
    e ? { url: e.url, active: e.active, secret: e.secret } : null;
  await audit.record(tx, viewer, audit.scopeOf(node.value), {
    action,
    target: { type: 'webhook', id: client.id, label: client.name },
    before: snapshot(before),
    after: snapshot(after),
  });
}

/** Removing the endpoint pauses deliveries: they stay pending and go out once one is configured again. */
export async function deleteWebhook(db: Db, viewer: Principal, clientId: string): Promise<Result<null>> {
  const client = await managedPlatformClient(db, viewer, clientId);
  if (!client.ok) return client;
  return transaction(db, async (tx) => {
    const before = await store.findEndpoint(tx, clientId);
    if (!before || !(await store.deleteEndpoint(tx, clientId))) return webhookNotFound();
    await recordWebhook(tx, viewer, client.value, 'webhook.removed', before, undefined);
    return ok(null);
  });
}

/** The clients whose tickets the viewer may read: a platform client its own, an admin its subtree's. */
async function readableClients(db: Db, viewer: Principal): Promise<string[]> {
  if (viewer.kind === 'client') return [viewer.id];
  return (await access.listApiClients(db, viewer)).map((c) => c.id);
}

function toDelivery(row: store.DeliveryRow): DeliveryView {
  return {
    id: row.id,
    clientId: row.clientId,
    orderId: row.orderId,
    seq: row.seq,
    event: row.event,
    status: row.status,
    payload: JSON.parse(row.body),
    attemptCount: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    lastError: row.lastError,
  };
}

/**
 * The partner's answer is shown to admins only: an API client reading it back would turn a webhook
 * pointed at an internal address into a way to read that address.
 */
function toAttempt(row: store.AttemptRow, excerpts: boolean): AttemptView {
  return {
    attempt: row.attempt,
    startedAt: row.startedAt.toISOString(),
    url: row.url,
    responseStatus: row.responseStatus,
    latencyMs: row.latencyMs,
    error: row.error,
    responseExcerpt: excerpts ? row.responseExcerpt : null,
  };
}

/** Whether a principal reads partners' answers in attempts: admins only. */
export const readsExcerpts = (actor: string) => actor === 'network_admin' || actor === 'central_admin';

async function withAttempts(
  db: Db,
  rows: store.DeliveryRow[],
  excerpts: boolean,
): Promise<DeliveryWithAttempts[]> {
  const attempts = await store.attemptsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    ...toDelivery(r),
    attempts: attempts.filter((a) => a.deliveryId === r.id).map((a) => toAttempt(a, excerpts)),
  }));
}

/** Connector tickets of the viewer's clients, newest first. */
export async function listVisibleDeliveries(
  db: Db,
  viewer: Principal,
  query: PageQuery & { orderId?: string; status?: DeliveryStatus },
): Promise<Result<Page<DeliveryView>>> {
  const cursor = decodeCursor(query.cursor);
  if (!cursor.ok) return cursor;
  const afterId = cursor.value?.[0];
  if (cursor.value && (typeof afterId !== 'string' || !UUID.test(afterId))) return invalidCursor();
  const limit = query.limit ?? 50;
  const rows = await store.listNewestFirst(db, {
    clientIds: await readableClients(db, viewer),
    orderId: query.orderId,
    status: query.status,
    afterId: afterId as string | undefined,
    limit: limit + 1,
  });
  return ok(pageOf(rows.map(toDelivery), limit, (d) => [d.id]));
}

export async function getDelivery(
  db: Db,
  viewer: Principal,
  id: string,
): Promise<Result<DeliveryWithAttempts>> {
  const row = await store.findDelivery(db, id);
  if (!row || !(await readableClients(db, viewer)).includes(row.clientId)) return deliveryNotFound();
  return ok((await withAttempts(db, [row], readsExcerpts(viewer.actor)))[0]!);
}

/**
 * One order's webhook deliveries with every attempt, in sequence order. The caller has already decided the
 * order is visible (the orders context owns that rule).
 */
export async function listDeliveries(
  db: Db,
  query: { orderId: string; cursor?: string; limit?: number; excerpts?: boolean },
): Promise<Result<Page<DeliveryWithAttempts>>> {
  const cursor = decodeCursor(query.cursor);
  if (!cursor.ok) return cursor;
  const afterSeq = cursor.value?.[0];
  if (cursor.value && !(Number.isSafeInteger(afterSeq) && (afterSeq as number) >= 0)) return invalidCursor();
  const limit = query.limit ?? 50;
  const rows = await store.listOfOrder(db, {
    orderId: query.orderId,
    afterSeq: afterSeq as number | undefined,
    limit: limit + 1,
  });
  const page = pageOf(rows, limit, (d) => [d.seq]);
  return ok({
    items: await withAttempts(db, page.items, query.excerpts ?? false),
    nextCursor: page.nextCursor,
  });
}
