import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { rows } from '../platform/db/sql.ts';
import { recordTicket, type TicketInput } from '../platform/tickets/service.ts';
import type { DeliveryStatus } from './domain.ts';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from './schema.ts';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;
export type EndpointRow = typeof webhookEndpoints.$inferSelect;

/**
 * Appends an event to the order's outbox with the next sequence number. The caller holds the order's row
 * lock, so no two transactions number the same order at once: seqs are gap-free and in commit order.
 * Behind a pending event it is due no sooner than that one (see `recordOutcome`).
 */
export async function insertDelivery(
  tx: Db,
  d: { clientId: string; networkId: string; orderId: string; event: string; body: string },
): Promise<string> {
  const [row] = await rows<{ id: string }>(
    tx,
    sql`
    insert into ${webhookDeliveries} (client_id, network_id, order_id, seq, event, body, next_attempt_at)
    select ${d.clientId}, ${d.networkId}, ${d.orderId}, coalesce(max(seq), 0) + 1, ${d.event}, ${d.body},
           greatest(now(), max(next_attempt_at) filter (where status = 'pending'))
      from ${webhookDeliveries} where order_id = ${d.orderId}
    returning id`,
  );
  return row!.id;
}

/** A later, still pending delivery of the same event and body: a copy that has not been sent yet. */
export async function pendingCopyOf(
  db: Db,
  d: Pick<DeliveryRow, 'orderId' | 'seq' | 'event' | 'body'>,
): Promise<string | null> {
  const [row] = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.orderId, d.orderId),
        sql`${webhookDeliveries.seq} > ${d.seq}`,
        eq(webhookDeliveries.status, 'pending'),
        eq(webhookDeliveries.event, d.event),
        eq(webhookDeliveries.body, d.body),
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

export interface Claimed {
  id: string;
  clientId: string;
  orderId: string;
  seq: number;
  event: string;
  body: string;
  /** This claim's attempt number; also the fencing token when the outcome is written. */
  attempt: number;
  url: string;
  /** Sealed (platform/secret-key.ts); the worker opens it to sign. */
  secret: string;
  /** The endpoint's kind: `http`, or the platform whose sender delivers it (schema.ts). */
  kind: string;
  networkId: string;
}

/**
 * Claims due deliveries for one worker, in one statement (no transaction stays open during the HTTP call).
 * SKIP LOCKED lets several processes claim side by side; the lease keeps a claimed row away from them until
 * this worker reports, or until the lease runs out because the worker died. A delivery waits while an
 * earlier one of the same order is pending (failing or in flight): that is what keeps each order's events
 * in order at the receiver. Candidates are read per active endpoint through the (client, due) index, so the
 * events of a client without an endpoint, or those waiting behind a failing one, cost a claim nothing.
 */
export async function claimDue(db: Db, opts: { batch: number; leaseMs: number }): Promise<Claimed[]> {
  const claimed = await rows<{
    id: string;
    client_id: string;
    order_id: string;
    seq: number;
    event: string;
    body: string;
    attempts: number;
    url: string;
    secret: string;
    kind: string;
    network_id: string;
  }>(
    db,
    sql`update webhook_deliveries d
           set attempts = d.attempts + 1,
               locked_until = now() + make_interval(secs => ${opts.leaseMs / 1000})
          from webhook_endpoints e
         where e.client_id = d.client_id
           and d.id in (
             select due.id
               from webhook_endpoints ce
              cross join lateral (
                select c.id, c.next_attempt_at
                  from webhook_deliveries c
                 where c.client_id = ce.client_id
                   and c.status = 'pending'
                   and c.next_attempt_at <= now()
                   and (c.locked_until is null or c.locked_until < now())
                   and not exists (
                     select 1 from webhook_deliveries p
                      where p.order_id = c.order_id and p.seq < c.seq and p.status = 'pending')
                 order by c.next_attempt_at
                 limit ${opts.batch}
                 for update of c skip locked) due
              where ce.active
              order by due.next_attempt_at
              limit ${opts.batch})
        returning d.id, d.client_id, d.order_id, d.seq, d.event, d.body, d.attempts, e.url, e.secret, e.kind,
                  d.network_id`,
  );
  return claimed.map((c) => ({
    id: c.id,
    clientId: c.client_id,
    orderId: c.order_id,
    seq: Number(c.seq),
    event: c.event,
    body: c.body,
    attempt: Number(c.attempts),
    url: c.url,
    secret: c.secret,
    kind: c.kind,
    networkId: c.network_id,
  }));
}

export interface Outcome {
  startedAt: Date;
  url: string;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

/**
 * Records an attempt and its effect. The attempt number fences the update: a worker whose lease ran out and
 * was re-claimed by another still logs what it saw, but no longer decides the delivery's state.
 *
 * The order's later events wait as long as this one: keeping them out of the due range means a partner that
 * is down for hours costs each claim the failing heads only, not the whole backlog behind them. A 2xx shows
 * the endpoint is back: everything waiting for it is due at once, not after the backoff each delivery earned
 * during the outage.
 *
 * An `http` endpoint's attempt is also a connector ticket, in the same transaction; a platform sender's calls
 * are ticketed by its adapter, so its attempts are not recorded twice.
 */
export async function recordOutcome(
  db: Db,
  claim: Pick<
    Claimed,
    'id' | 'attempt' | 'clientId' | 'orderId' | 'seq' | 'event' | 'body' | 'kind' | 'networkId'
  >,
  outcome: Outcome,
  next: { delivered: true } | { delivered: false; retryInMs: number },
): Promise<void> {
  const d = webhookDeliveries;
  await db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({ deliveryId: claim.id, attempt: claim.attempt, ...outcome });
    if (claim.kind === 'http') await recordTicket(tx, attemptTicket(claim, outcome, next.delivered));
    const mine = and(eq(d.id, claim.id), eq(d.attempts, claim.attempt), eq(d.status, 'pending'));
    const followers = and(
      eq(d.orderId, claim.orderId),
      sql`${d.seq} > ${claim.seq}`,
      eq(d.status, 'pending'),
    );
    if (next.delivered) {
      const done = await tx
        .update(d)
        .set({ status: 'delivered', deliveredAt: sql`now()`, lockedUntil: null, lastError: null })
        .where(mine)
        .returning({ id: d.id });
      if (done.length) {
        await tx
          .update(d)
          .set({ nextAttemptAt: sql`now()` })
          .where(
            and(eq(d.clientId, claim.clientId), eq(d.status, 'pending'), sql`${d.nextAttemptAt} > now()`),
          );
      }
    } else {
      const retryAt = sql`now() + make_interval(secs => ${next.retryInMs / 1000})`;
      const failed = await tx
        .update(d)
        .set({ lockedUntil: null, lastError: outcome.error, nextAttemptAt: retryAt })
        .where(mine)
        .returning({ id: d.id });
      if (failed.length) {
        await tx
          .update(d)
          .set({ nextAttemptAt: retryAt })
          .where(and(followers, sql`${d.nextAttemptAt} < ${retryAt}`));
      }
    }
  });
}

function attemptTicket(
  claim: Pick<Claimed, 'id' | 'attempt' | 'orderId' | 'event' | 'body' | 'networkId'>,
  outcome: Outcome,
  delivered: boolean,
): TicketInput {
  return {
    networkId: claim.networkId,
    direction: 'out',
    system: 'webhook',
    method: claim.event,
    kind: 'webhook.delivery',
    status: delivered ? 'processed' : 'failed',
    attempts: claim.attempt,
    orderId: claim.orderId,
    reference: claim.id,
    url: outcome.url,
    httpStatus: outcome.responseStatus,
    latencyMs: outcome.latencyMs,
    request: claim.body,
    response: outcome.responseExcerpt,
    error: outcome.error,
    startedAt: outcome.startedAt,
  };
}

/** A corrected or newly activated endpoint is tried at once, not after the backoff its failures earned. */
export async function retryNow(db: Db, clientId: string): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: sql`now()` })
    .where(and(eq(webhookDeliveries.clientId, clientId), eq(webhookDeliveries.status, 'pending')));
}

export async function findEndpoint(db: Db, clientId: string): Promise<EndpointRow | undefined> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.clientId, clientId));
  return row;
}

export async function upsertEndpoint(
  db: Db,
  e: { clientId: string; url: string; secret: string; active: boolean; kind?: string },
): Promise<EndpointRow> {
  const kind = e.kind ?? 'http';
  const [row] = await db
    .insert(webhookEndpoints)
    .values({ ...e, kind })
    .onConflictDoUpdate({
      target: webhookEndpoints.clientId,
      set: { url: e.url, secret: e.secret, active: e.active, kind, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

export async function deleteEndpoint(db: Db, clientId: string): Promise<boolean> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.clientId, clientId))
    .returning({ clientId: webhookEndpoints.clientId });
  return deleted.length > 0;
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return row;
}

/** Newest first; one transaction's events share a timestamp, so their order comes from seq. */
export async function listNewestFirst(
  db: Db,
  q: {
    clientIds: string[];
    orderId?: string;
    status?: DeliveryStatus;
    afterId?: string;
    limit: number;
  },
): Promise<DeliveryRow[]> {
  if (q.clientIds.length === 0) return [];
  const d = webhookDeliveries;
  return db
    .select()
    .from(d)
    .where(
      and(
        inArray(d.clientId, q.clientIds),
        q.orderId ? eq(d.orderId, q.orderId) : undefined,
        q.status ? eq(d.status, q.status) : undefined,
        // Compared in SQL: a JS Date would drop the microseconds that tell one row's time from the next.
        q.afterId
          ? sql`(${d.createdAt}, ${d.seq}, ${d.id}) <
                (select c.created_at, c.seq, c.id from ${d} c where c.id = ${q.afterId})`
          : undefined,
      ),
    )
    .orderBy(desc(d.createdAt), desc(d.seq), desc(d.id))
    .limit(q.limit);
}

/** One order's events in the order they happened (and were sent). */
export async function listOfOrder(
  db: Db,
  q: { orderId: string; afterSeq?: number; limit: number },
): Promise<DeliveryRow[]> {
  const d = webhookDeliveries;
  return db
    .select()
    .from(d)
    .where(
      and(eq(d.orderId, q.orderId), q.afterSeq === undefined ? undefined : sql`${d.seq} > ${q.afterSeq}`),
    )
    .orderBy(asc(d.seq))
    .limit(q.limit);
}

export async function attemptsOf(db: Db, deliveryIds: string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .select()
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, deliveryIds))
    .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt));
}
