import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { products } from '../../catalog/schema.ts';
import { fiscalDocuments } from '../../fiscal/schema.ts';
import { nodes } from '../../network/schema.ts';
import { orders } from '../../orders/schema.ts';
import { money, oneOf } from '../../platform/db/columns.ts';
import { refundMethods, returnReasonTypes } from './domain.ts';

/**
 * The network's return reasons (seed 000 §3.4.4, "Comercial → Cadastros → Motivos"): a type, a code the
 * POS sends, a description and the days it may be chosen. Never deleted: a return keeps pointing at its
 * reason; an admin deactivates one or ends its period.
 */
export const returnReasons = pgTable(
  'return_reasons',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    type: text('type', { enum: returnReasonTypes }).notNull(),
    description: text('description').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('return_reasons_network_code_uq').on(t.networkId, t.code),
    check('return_reasons_type_chk', oneOf('type', returnReasonTypes)),
    check('return_reasons_period_chk', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
  ],
);

/**
 * Goods of an order a customer brought back to the store's POS: the reason as chosen then, the refund, the
 * NF-e de entrada issued for it (`fiscal_documents`, reference `order_return`). Append-only.
 */
export const orderReturns = pgTable(
  'order_returns',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'restrict' }),
    /** Null only where the network had no valid omni reason (the POS shows no reason screen then). */
    reasonId: uuid('reason_id').references(() => returnReasons.id, { onDelete: 'restrict' }),
    reasonCode: text('reason_code'),
    reasonDescription: text('reason_description'),
    refundMethod: text('refund_method', { enum: refundMethods }),
    refundAmount: money('refund_amount'),
    total: money('total').notNull(),
    /** Nothing of the order is left to give back after this one. */
    full: boolean('full').notNull(),
    fiscalDocumentId: uuid('fiscal_document_id')
      .notNull()
      .references(() => fiscalDocuments.id, { onDelete: 'restrict' }),
    /** The fiscal document of the sale the goods come back from (its key is the NF-e's NFref). */
    originalDocumentId: uuid('original_document_id')
      .notNull()
      .references(() => fiscalDocuments.id, { onDelete: 'restrict' }),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('order_returns_order_idx').on(t.orderId, t.createdAt),
    index('order_returns_store_idx').on(t.storeId, t.createdAt),
    check('order_returns_refund_chk', sql`${t.refundAmount} is null or ${t.refundAmount} >= 0`),
    check('order_returns_total_chk', sql`${t.total} >= 0`),
  ],
);

/** The lines of a return, each at its sale's unit price and share of the discount. */
export const orderReturnItems = pgTable(
  'order_return_items',
  {
    returnId: uuid('return_id')
      .notNull()
      .references(() => orderReturns.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    sku: text('sku').notNull(),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    discount: money('discount').notNull(),
    total: money('total').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.returnId, t.line] }),
    check('order_return_items_quantity_chk', sql`${t.quantity} > 0`),
    check('order_return_items_total_chk', sql`${t.total} = ${t.unitPrice} * ${t.quantity} - ${t.discount}`),
  ],
);
