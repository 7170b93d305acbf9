import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { products } from '../catalog/schema.ts';
import { nodes } from '../network/schema.ts';
import { oneOf } from '../platform/db/columns.ts';
import { type DeltaSign, deltaRules, movementKinds, reservationStatuses } from './domain.ts';

/**
 * One row per store and product, created on first use. The CHECKs are the last word on overselling:
 * whatever a process believes, the database refuses a row where more is reserved than is on hand.
 */
export const stockBalances = pgTable(
  'stock_balances',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.productId] }),
    index('stock_balances_product_idx').on(t.productId),
    check('stock_balances_reserved_chk', sql`${t.reserved} >= 0`),
    check('stock_balances_on_hand_chk', sql`${t.onHand} >= ${t.reserved}`),
  ],
);

/** Holds on stock (an order's items, a customer's item kept at the counter) until released or consumed. */
export const stockReservations = pgTable(
  'stock_reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    quantity: integer('quantity').notNull(),
    status: text('status', { enum: reservationStatuses }).notNull().default('active'),
    referenceType: text('reference_type'),
    referenceId: text('reference_id'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('stock_reservations_active_idx').on(t.storeId, t.productId).where(sql`${t.status} = 'active'`),
    index('stock_reservations_reference_idx').on(t.referenceType, t.referenceId),
    check('stock_reservations_quantity_chk', sql`${t.quantity} > 0`),
    check('stock_reservations_status_chk', oneOf('status', reservationStatuses)),
    check('stock_reservations_closed_chk', sql`(${t.status} = 'active') = (${t.closedAt} is null)`),
  ],
);

/** The ledger: append-only; per store and product, the sums of the deltas equal the balance. */
export const stockMovements = pgTable(
  'stock_movements',
  {
    // A sequence, not a uuid: the ledger has an order, and history pages follow it.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    kind: text('kind', { enum: movementKinds }).notNull(),
    onHandDelta: integer('on_hand_delta').notNull(),
    reservedDelta: integer('reserved_delta').notNull(),
    reason: text('reason'),
    referenceType: text('reference_type'),
    referenceId: text('reference_id'),
    reservationId: uuid('reservation_id').references((): AnyPgColumn => stockReservations.id, {
      onDelete: 'restrict',
    }),
    actor: text('actor').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('stock_movements_history_idx').on(t.storeId, t.productId, t.id),
    index('stock_movements_store_idx').on(t.storeId, t.id),
    index('stock_movements_reference_idx').on(t.referenceType, t.referenceId),
    index('stock_movements_reservation_idx').on(t.reservationId),
    check('stock_movements_deltas_chk', deltasCheck()),
  ],
);

/** The sign rules of domain.ts as one CHECK, so the table cannot drift from them. */
function deltasCheck(): SQL {
  const term = (column: string, sign: DeltaSign) => {
    switch (sign) {
      case 'positive':
        return `${column} > 0`;
      case 'negative':
        return `${column} < 0`;
      case 'zero':
        return `${column} = 0`;
      case 'nonzero':
        return `${column} <> 0`;
      case 'down_to_on_hand':
        return `${column} between on_hand_delta and 0`;
    }
  };
  const cases = movementKinds
    .map((kind) => {
      const rule = deltaRules[kind];
      return `when '${kind}' then ${term('on_hand_delta', rule.onHand)} and ${term('reserved_delta', rule.reserved)}`;
    })
    .join(' ');
  return sql.raw(`case kind ${cases} else false end`);
}

/**
 * The stock feed's outbox (issue 16 §7): one row per store and e-commerce product changed by a stock
 * transaction, written in that transaction, with the balance after it. The rows are the feed's truth: the
 * NATS publisher marks `published_at`, the platform adapter (VTEX inventory) `platform_pushed_at`; published
 * rows are purged after a week, unpublished ones wait.
 */
export const stockFeed = pgTable(
  'stock_feed',
  {
    // The order of the feed: per store and product, a later change always has a higher seq, as the balance's row
    // lock makes the second transaction wait for the first one's commit before it writes its own row.
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeCode: text('store_code').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    sku: text('sku').notNull(),
    onHand: integer('on_hand').notNull(),
    reserved: integer('reserved').notNull(),
    available: integer('available').notNull(),
    kind: text('kind', { enum: movementKinds }).notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    platformPushedAt: timestamp('platform_pushed_at', { withTimezone: true }),
  },
  (t) => [
    index('stock_feed_unpublished_idx').on(t.networkId, t.seq).where(sql`${t.publishedAt} is null`),
    index('stock_feed_unpushed_idx').on(t.networkId, t.seq).where(sql`${t.platformPushedAt} is null`),
    index('stock_feed_published_idx').on(t.publishedAt),
  ],
);

/**
 * Who works a network's feed for one consumer (`nats`, `vtex`): a lease, so that of several Omnihub processes
 * only one publishes a network at a time; a dead holder's lease runs out and another takes it.
 */
export const stockFeedLeases = pgTable(
  'stock_feed_leases',
  {
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    consumer: text('consumer').notNull(),
    holder: text('holder').notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.networkId, t.consumer] })],
);
