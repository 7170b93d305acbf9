import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { pickupReceiptPrints } from './schema.ts';

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
