import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ticketDirections, ticketStatuses } from './domain.ts';

/**
 * One exchange with a system outside Omnihub (seed 000 §5.3 `ticket`). No foreign keys on purpose: a ticket
 * is a record of what crossed the border, outlives what it names, and never locks the order tables.
 */
export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id'),
    direction: text('direction', { enum: ticketDirections }).notNull(),
    system: text('system').notNull(),
    method: text('method').notNull(),
    kind: text('kind').notNull(),
    moduleCode: integer('module_code'),
    status: text('status', { enum: ticketStatuses }).notNull(),
    attempts: integer('attempts').notNull().default(1),
    orderId: uuid('order_id'),
    /** The API client an inbound request came from: reprocessing re-runs it as that client. */
    clientId: uuid('client_id'),
    reference: text('reference'),
    url: text('url'),
    httpStatus: integer('http_status'),
    latencyMs: integer('latency_ms').notNull().default(0),
    requestBytes: integer('request_bytes').notNull().default(0),
    responseBytes: integer('response_bytes').notNull().default(0),
    error: text('error'),
    reprocessOf: uuid('reprocess_of'),
    reprocessReason: text('reprocess_reason'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tickets_network_started_idx').on(t.networkId, t.startedAt),
    index('tickets_system_started_idx').on(t.networkId, t.system, t.startedAt),
    index('tickets_status_started_idx').on(t.networkId, t.status, t.startedAt),
    index('tickets_module_started_idx').on(t.networkId, t.moduleCode, t.startedAt),
    index('tickets_order_idx').on(t.orderId),
    index('tickets_reference_idx').on(t.kind, t.reference),
    check('tickets_counts_chk', sql`${t.attempts} >= 0 and ${t.latencyMs} >= 0`),
  ],
);

/** What a ticket sent and received (seed 000 §5.3 `conteudoticket`), capped per side (domain.ts). */
export const ticketContents = pgTable('ticket_contents', {
  ticketId: uuid('ticket_id')
    .primaryKey()
    .references(() => tickets.id, { onDelete: 'cascade' }),
  request: text('request'),
  response: text('response'),
  truncated: boolean('truncated').notNull().default(false),
});
