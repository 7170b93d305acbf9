import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { products } from '../../catalog/schema.ts';
import { nodes } from '../../network/schema.ts';
import { money, oneOf } from '../../platform/db/columns.ts';

import { cashMovementTypes, salePaymentMethods, uploadKinds } from './domain.ts';

export {
  type CashMovementType,
  cashMovementTypes,
  type SalePaymentMethod,
  salePaymentMethods,
  type UploadKind,
  uploadKinds,
} from './domain.ts';

/**
 * Every upload applied, once: the terminal's sequence and the POS's own id make a re-send after a timeout
 * find its first answer instead of applying twice.
 */
export const posUploads = pgTable(
  'pos_uploads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    terminal: text('terminal').notNull(),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    posId: text('pos_id').notNull(),
    payload: jsonb('payload').notNull(),
    /** The answer given the first time, given again to a re-send. */
    result: jsonb('result').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('pos_uploads_sequence_uq').on(t.storeId, t.terminal, t.sequence),
    uniqueIndex('pos_uploads_pos_id_uq').on(t.storeId, t.kind, t.posId),
    index('pos_uploads_store_idx').on(t.storeId, t.receivedAt),
    check('pos_uploads_kind_chk', oneOf('kind', uploadKinds)),
  ],
);

/** Uploads refused with their reasons, kept for support (the PDV monitoring screen); nothing of them applied. */
export const posUploadRejections = pgTable(
  'pos_upload_rejections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    terminal: text('terminal'),
    sequence: bigint('sequence', { mode: 'number' }),
    kind: text('kind').notNull(),
    posId: text('pos_id'),
    code: text('code').notNull(),
    message: text('message').notNull(),
    /** The field errors or the failure's data, as answered. */
    details: jsonb('details').notNull().default(sql`'{}'::jsonb`),
    payload: jsonb('payload'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Support marks it handled once the POS sent a corrected upload or the case is closed. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(1),
  },
  (t) => [index('pos_upload_rejections_store_idx').on(t.storeId, t.receivedAt)],
);

/**
 * A terminal's cash session (abertura de caixa … fechamento): opened with a float, closed with the amount
 * counted, against the expected one (opening + cash sales + supplies − withdrawals).
 */
export const posCashSessions = pgTable(
  'pos_cash_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    terminal: text('terminal').notNull(),
    /** The POS's id of the session, which movements, sales and the closing refer to. */
    posId: text('pos_id').notNull(),
    operator: text('operator'),
    openingAmount: money('opening_amount').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    closingPosId: text('closing_pos_id'),
    countedAmount: money('counted_amount'),
    expectedAmount: money('expected_amount'),
    difference: money('difference'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('pos_cash_sessions_pos_id_uq').on(t.storeId, t.terminal, t.posId),
    check('pos_cash_sessions_opening_chk', sql`${t.openingAmount} >= 0`),
  ],
);

export const posCashMovements = pgTable(
  'pos_cash_movements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => posCashSessions.id, { onDelete: 'restrict' }),
    posId: text('pos_id').notNull(),
    type: text('type').notNull(),
    amount: money('amount').notNull(),
    reason: text('reason').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('pos_cash_movements_session_idx').on(t.sessionId),
    check('pos_cash_movements_type_chk', oneOf('type', cashMovementTypes)),
    check('pos_cash_movements_amount_chk', sql`${t.amount} > 0`),
  ],
);

/** A sale made at the counter (venda PDV), with its NFC-e: the POS's own (stored here) or one Omnihub issued. */
export const posSales = pgTable(
  'pos_sales',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    terminal: text('terminal').notNull(),
    posId: text('pos_id').notNull(),
    cashSessionId: uuid('cash_session_id').references(() => posCashSessions.id, { onDelete: 'restrict' }),
    customerDocument: text('customer_document'),
    total: money('total').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The NFC-e the POS issued and signed itself, as received (validated against the XSD and its signature). */
    nfceXml: text('nfce_xml'),
    nfceAccessKey: text('nfce_access_key'),
    /** The NFC-e Omnihub issued for a POS without a certificate (fiscal's document, reference `pos_sale`). */
    fiscalDocumentId: uuid('fiscal_document_id'),
    /** SEFAZ's last word on the NFC-e Omnihub issued: sending, authorised, contingency, rejected, denied… */
    fiscalStatus: text('fiscal_status'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('pos_sales_store_idx').on(t.storeId, t.occurredAt),
    index('pos_sales_session_idx').on(t.cashSessionId),
    uniqueIndex('pos_sales_access_key_uq').on(t.nfceAccessKey),
  ],
);

export const posSaleItems = pgTable(
  'pos_sale_items',
  {
    saleId: uuid('sale_id')
      .notNull()
      .references(() => posSales.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    discount: money('discount').notNull(),
  },
  (t) => [
    uniqueIndex('pos_sale_items_pk').on(t.saleId, t.line),
    check('pos_sale_items_quantity_chk', sql`${t.quantity} > 0`),
  ],
);

export const posSalePayments = pgTable(
  'pos_sale_payments',
  {
    saleId: uuid('sale_id')
      .notNull()
      .references(() => posSales.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    method: text('method').notNull(),
    amount: money('amount').notNull(),
  },
  (t) => [
    uniqueIndex('pos_sale_payments_pk').on(t.saleId, t.line),
    check('pos_sale_payments_method_chk', oneOf('method', salePaymentMethods)),
  ],
);

/** The Redução Z a terminal's fiscal printer (or the POS) closes the day with: one per terminal and day. */
export const posZReductions = pgTable(
  'pos_z_reductions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    terminal: text('terminal').notNull(),
    posId: text('pos_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    counter: integer('counter').notNull(),
    salesCount: integer('sales_count').notNull(),
    grossTotal: money('gross_total').notNull(),
    cancellations: money('cancellations').notNull(),
    discounts: money('discounts').notNull(),
    netTotal: money('net_total').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('pos_z_reductions_day_uq').on(t.storeId, t.terminal, t.day)],
);
