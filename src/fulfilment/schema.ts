import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orders } from '../orders/schema.ts';
import { oneOf } from '../platform/db/columns.ts';
import { conferenceRecordStatuses } from './conference-rules.ts';

/**
 * The scan conference of an order (seeds 003, Conferência): one count per order, started by the first
 * scanned item. A manager's restart closes the count as `restarted` (kept, with who and why) and the next
 * scan opens a new one; the partial unique index keeps at most one count in force per order.
 */
export const orderConferences = pgTable(
  'order_conferences',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    status: text('status', { enum: conferenceRecordStatuses }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    startedById: text('started_by_id').notNull(),
    startedByName: text('started_by_name').notNull(),
    startedByRole: text('started_by_role').notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    finishedById: text('finished_by_id'),
    finishedByName: text('finished_by_name'),
    finishedByRole: text('finished_by_role'),
    restartedAt: timestamp('restarted_at', { withTimezone: true }),
    restartedByName: text('restarted_by_name'),
    restartReason: text('restart_reason'),
  },
  (t) => [
    uniqueIndex('order_conferences_current_uq').on(t.orderId).where(sql`${t.status} <> 'restarted'`),
    check('order_conferences_status_chk', oneOf('status', conferenceRecordStatuses)),
    check(
      'order_conferences_finished_chk',
      sql`(${t.status} = 'counting') = (${t.finishedAt} is null) or ${t.status} = 'restarted'`,
    ),
  ],
);

/** Units counted per order line in one conference; never above the line's quantity (the scan refuses it). */
export const orderConferenceCounts = pgTable(
  'order_conference_counts',
  {
    conferenceId: uuid('conference_id')
      .notNull()
      .references(() => orderConferences.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    counted: integer('counted').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conferenceId, t.line] }),
    check('order_conference_counts_counted_chk', sql`${t.counted} >= 0`),
  ],
);

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
