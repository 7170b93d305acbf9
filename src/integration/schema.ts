import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { apiClients } from '../access/schema.ts';
import { deliveryStatuses } from './domain.ts';

/** Where a platform client wants its order events: one endpoint per client. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  clientId: uuid('client_id')
    .primaryKey()
    .references(() => apiClients.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  /**
   * How events reach the client: `http` POSTs the signed body to `url` (the contract's webhook); any other
   * kind (`vtex`, `nuvemshop`) is a platform adapter's sender, registered with the delivery worker, that turns
   * the event into that platform's own calls (the connector context's connections own such endpoints).
   */
  kind: text('kind').notNull().default('http'),
  /**
   * Sealed with the installation's key (platform/secret-key.ts), like the stores' certificates and CSCs: an
   * HMAC needs the secret itself, so unlike an API key it cannot be a hash. The worker opens it to sign; the
   * API shows only its last 4 characters.
   */
  secret: text('secret').notNull(),
  active: boolean('active').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The outbox of order events and the connector ticket of each. `order_id` has no foreign key on purpose:
 * a ticket is a record of an exchange with a partner and outlives (and never locks) the order tables.
 * `seq` numbers one order's events without gaps, in the order their transactions committed.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => apiClients.id, { onDelete: 'restrict' }),
    networkId: uuid('network_id').notNull(),
    orderId: uuid('order_id').notNull(),
    seq: integer('seq').notNull(),
    event: text('event').notNull(),
    /** The exact bytes that are signed and sent; never re-serialised. */
    body: text('body').notNull(),
    status: text('status', { enum: deliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Lease of the worker sending it now; an expired lease means that worker died and anyone may retry. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_order_seq_uq').on(t.orderId, t.seq),
    // By client first: a client without an endpoint may pile up events that no claim should scan.
    index('webhook_deliveries_due_idx').on(t.clientId, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_client_idx').on(t.clientId, t.createdAt),
    check('webhook_deliveries_seq_chk', sql`${t.seq} >= 1 and ${t.attempts} >= 0`),
  ],
);

/** One row per HTTP attempt: what was sent where, what came back, how long it took. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    url: text('url').notNull(),
    /** Null when no answer came: refused connection, timeout, reset. */
    responseStatus: integer('response_status'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
    responseExcerpt: text('response_excerpt'),
  },
  (t) => [uniqueIndex('webhook_attempts_delivery_uq').on(t.deliveryId, t.attempt)],
);
