import { and, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { TrackingEvent } from '../delivery/service.ts';
import type { Db } from '../platform/db/index.ts';
import { jobs } from '../platform/jobs/schema.ts';
import { orderShipments, orders, orderTrackingEvents, type trackingSources } from './schema.ts';

export type TrackingEventRow = typeof orderTrackingEvents.$inferSelect;
export type TrackingSource = (typeof trackingSources)[number];

/**
 * The orders holding these tracking codes of a carrier (in the network when one is named; otherwise only a
 * code that one order alone holds across networks is matched), by code.
 */
export async function ordersHoldingCodes(
  db: Db,
  carrier: string,
  codes: readonly string[],
  networkId?: string,
): Promise<Map<string, { orderId: string; networkId: string }>> {
  if (codes.length === 0) return new Map();
  const found = await db
    .select({
      orderId: orderShipments.orderId,
      networkId: orderShipments.networkId,
      code: orderShipments.trackingCode,
    })
    .from(orderShipments)
    .where(
      and(
        eq(orderShipments.carrier, carrier),
        inArray(orderShipments.trackingCode, [...codes]),
        networkId ? eq(orderShipments.networkId, networkId) : undefined,
      ),
    );
  const byCode = new Map<string, { orderId: string; networkId: string }[]>();
  for (const r of found) byCode.set(r.code!, [...(byCode.get(r.code!) ?? []), r]);
  return new Map(
    [...byCode].flatMap(([code, holders]) => (holders.length === 1 ? [[code, holders[0]!] as const] : [])),
  );
}

/** The carrier's words as text the database stores: no NUL, a lone surrogate replaced, at most 500 characters. */
const storable = (text: string) =>
  text
    .replaceAll('\u0000', '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .slice(0, 500);

/** Records the events not seen yet (carrier, code, event id); answers those it recorded now. */
export async function recordEvents(
  tx: Db,
  carrier: string,
  events: readonly (TrackingEvent & { orderId: string | null; networkId: string | null })[],
  source: TrackingSource,
  at: Date,
): Promise<TrackingEventRow[]> {
  if (events.length === 0) return [];
  return tx
    .insert(orderTrackingEvents)
    .values(
      events.map((e) => ({
        orderId: e.orderId,
        networkId: e.networkId,
        carrier,
        trackingCode: e.trackingCode,
        eventId: e.eventId,
        status: e.status,
        carrierEventCode: storable(e.carrierCode),
        description: storable(e.description),
        at: e.at,
        location: e.location ? storable(e.location) : null,
        receivedAt: at,
        source,
      })),
    )
    .onConflictDoNothing({
      target: [orderTrackingEvents.carrier, orderTrackingEvents.trackingCode, orderTrackingEvents.eventId],
    })
    .returning();
}

/** The order's tracking timeline, newest first. */
export function eventsOf(db: Db, orderId: string): Promise<TrackingEventRow[]> {
  return db
    .select()
    .from(orderTrackingEvents)
    .where(eq(orderTrackingEvents.orderId, orderId))
    .orderBy(desc(orderTrackingEvents.at), desc(orderTrackingEvents.receivedAt));
}

export async function saveCarrierLabel(tx: Db, orderId: string, pdfBase64: string, at: Date) {
  await tx
    .update(orderShipments)
    .set({ carrierLabel: pdfBase64, updatedAt: at })
    .where(eq(orderShipments.orderId, orderId));
}

/**
 * Ship orders the carrier carries now (invoiced, in transit) with a tracking code, or with the carrier's own
 * shipment id while the carrier has not assigned the code yet (a gateway may give it only later), by store and
 * carrier.
 */
export function shipmentsInTransit(db: Db) {
  return db
    .select({
      orderId: orders.id,
      networkId: orders.networkId,
      storeId: orders.storeId,
      carrier: orderShipments.carrier,
      carrierShipmentId: orderShipments.carrierShipmentId,
      trackingCode: orderShipments.trackingCode,
    })
    .from(orders)
    .innerJoin(orderShipments, eq(orderShipments.orderId, orders.id))
    .where(
      and(
        inArray(orders.status, ['invoiced', 'in_transit']),
        eq(orders.deliveryType, 'ship'),
        or(isNotNull(orderShipments.trackingCode), isNotNull(orderShipments.carrierShipmentId)),
      ),
    )
    .orderBy(orders.storeId, orderShipments.carrier, orders.id);
}

/** Whether a job of this queue is waiting or running (the polling does not pile up behind a slow carrier). */
/**
 * Holds, until the transaction ends, the right to queue a polling round of `queue`: every process polls on
 * its own timer (`--processes N` start theirs together), and the one that waited here sees the jobs of the
 * one before it.
 */
export async function lockRounds(tx: Db, queue: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`orders.rounds:${queue}`}))`);
}

export async function jobPending(db: Db, queue: string): Promise<boolean> {
  const [row] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.queue, queue), inArray(jobs.status, ['queued', 'running'])))
    .limit(1);
  return row !== undefined;
}

/** The order's latest job of these queues (its carrier's last answer or fault, shown on the order). */
export async function lastJobFor(db: Db, queues: readonly string[], orderId: string) {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(inArray(jobs.queue, [...queues]), sql`${jobs.payload}->>'orderId' = ${orderId}`))
    .orderBy(desc(jobs.createdAt))
    .limit(1);
  return row;
}
