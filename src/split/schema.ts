import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { products } from '../catalog/schema.ts';
import { fiscalDocuments } from '../fiscal/schema.ts';
import { nodes } from '../network/schema.ts';
import { orders } from '../orders/schema.ts';
import { oneOf } from '../platform/db/columns.ts';
import { requestStatuses } from './domain.ts';

/**
 * A stock request (seeds: "pedido de prateleira"): what a support company is asked to send the main store
 * for one order. Born blocked with the support company's CD_MOTIVOBLOQ_PED_PRATELE until it accepts.
 */
export const stockRequests = pgTable(
  'stock_requests',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id').notNull(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'restrict' }),
    mainStoreId: uuid('main_store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    supportStoreId: uuid('support_store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    status: text('status', { enum: requestStatuses }).notNull(),
    /** CD_MOTIVOBLOQ_PED_PRATELE of the support company while the request waits for its acceptance. */
    blockReason: text('block_reason'),
    rejectionReason: text('rejection_reason'),
    transferDocumentId: uuid('transfer_document_id').references(() => fiscalDocuments.id, {
      onDelete: 'restrict',
    }),
    /** CFOP the main store books the entry under (1152 / 2152), set when received. */
    entryCfop: text('entry_cfop'),
    /** When the goods are expected at the main store: acceptance and invoicing day plus transit. */
    expectedAt: timestamp('expected_at', { withTimezone: true }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    invoicedAt: timestamp('invoiced_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('stock_requests_support_idx').on(t.supportStoreId, t.status, t.createdAt),
    index('stock_requests_main_idx').on(t.mainStoreId, t.status, t.createdAt),
    index('stock_requests_order_idx').on(t.orderId),
    check('stock_requests_status_chk', oneOf('status', requestStatuses)),
    check('stock_requests_stores_chk', sql`${t.mainStoreId} <> ${t.supportStoreId}`),
  ],
);

/** The goods of a request; each line holds a reservation at the support company until the goods leave. */
export const stockRequestLines = pgTable(
  'stock_request_lines',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => stockRequests.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    /** The reservation at the support company (stock context). */
    reservationId: uuid('reservation_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.line] }),
    check('stock_request_lines_quantity_chk', sql`${t.quantity} > 0`),
  ],
);
