import { sql } from 'drizzle-orm';
import { check, integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orders } from '../orders/schema.ts';

/**
 * How often an order's pickup receipt was printed (seeds 003: it may be printed at the finish and again when the
 * customer comes): the second print on is marked "2ª via".
 */
export const pickupReceiptPrints = pgTable(
  'pickup_receipt_prints',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id, { onDelete: 'cascade' }),
    prints: integer('prints').notNull(),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('pickup_receipt_prints_chk', sql`${t.prints} > 0`)],
);
