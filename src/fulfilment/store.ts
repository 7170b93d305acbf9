import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { orderConferenceCounts, orderConferences, pickupReceiptPrints } from './schema.ts';

/** SQL of the fulfilment context: the scan conferences. */

export type ConferenceRow = typeof orderConferences.$inferSelect;

/** The count in force for the order (not a restarted one), if any. */
export async function currentConference(db: Db, orderId: string): Promise<ConferenceRow | undefined> {
  const [row] = await db
    .select()
    .from(orderConferences)
    .where(and(eq(orderConferences.orderId, orderId), ne(orderConferences.status, 'restarted')));
  return row;
}

export async function openConference(
  tx: Db,
  values: Pick<
    ConferenceRow,
    'id' | 'orderId' | 'startedAt' | 'startedById' | 'startedByName' | 'startedByRole'
  >,
): Promise<ConferenceRow> {
  const [row] = await tx
    .insert(orderConferences)
    .values({ ...values, status: 'counting' })
    .returning();
  return row!;
}

/** Units counted per line of a conference. */
export async function countsOf(db: Db, conferenceId: string): Promise<Map<number, number>> {
  const rows = await db
    .select({ line: orderConferenceCounts.line, counted: orderConferenceCounts.counted })
    .from(orderConferenceCounts)
    .where(eq(orderConferenceCounts.conferenceId, conferenceId));
  return new Map(rows.map((r) => [r.line, r.counted]));
}

export async function setCount(tx: Db, conferenceId: string, line: number, counted: number): Promise<void> {
  await tx
    .insert(orderConferenceCounts)
    .values({ conferenceId, line, counted })
    .onConflictDoUpdate({
      target: [orderConferenceCounts.conferenceId, orderConferenceCounts.line],
      set: { counted: sql`excluded.counted` },
    });
}

export async function finishConference(
  tx: Db,
  id: string,
  by: { at: Date; id: string; name: string; role: string },
): Promise<void> {
  await tx
    .update(orderConferences)
    .set({
      status: 'finished',
      finishedAt: by.at,
      finishedById: by.id,
      finishedByName: by.name,
      finishedByRole: by.role,
    })
    .where(eq(orderConferences.id, id));
}

export async function restartConference(
  tx: Db,
  id: string,
  by: { at: Date; name: string; reason: string },
): Promise<void> {
  await tx
    .update(orderConferences)
    .set({ status: 'restarted', restartedAt: by.at, restartedByName: by.name, restartReason: by.reason })
    .where(eq(orderConferences.id, id));
}

/** Counts one more print of the order's pickup receipt and answers which print this is (1 = the original). */
export async function countReceiptPrint(db: Db, orderId: string, at: Date): Promise<number> {
  const [row] = await db
    .insert(pickupReceiptPrints)
    .values({ orderId, prints: 1, firstAt: at, lastAt: at })
    .onConflictDoUpdate({
      target: pickupReceiptPrints.orderId,
      set: { prints: sql`${pickupReceiptPrints.prints} + 1`, lastAt: at },
    })
    .returning({ prints: pickupReceiptPrints.prints });
  return row!.prints;
}
