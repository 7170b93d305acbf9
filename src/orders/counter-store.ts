import { eq } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { endlessAisleSales, orderPickups } from './schema.ts';

/** SQL of the counter's facts about an order: its handover (pickups) and its endless-aisle sale. */

export type PickupRow = typeof orderPickups.$inferSelect;
export type EndlessAisleRow = typeof endlessAisleSales.$inferSelect;

export async function insertPickup(tx: Db, row: PickupRow): Promise<void> {
  await tx.insert(orderPickups).values(row);
}

export async function pickupOf(db: Db, orderId: string): Promise<PickupRow | undefined> {
  const [row] = await db.select().from(orderPickups).where(eq(orderPickups.orderId, orderId));
  return row;
}

export async function insertEndlessAisle(tx: Db, row: EndlessAisleRow): Promise<void> {
  await tx.insert(endlessAisleSales).values(row);
}

export async function endlessAisleOf(db: Db, orderId: string): Promise<EndlessAisleRow | undefined> {
  const [row] = await db.select().from(endlessAisleSales).where(eq(endlessAisleSales.orderId, orderId));
  return row;
}
