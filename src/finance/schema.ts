import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
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
import { nodes } from '../network/schema.ts';
import { money, oneOf } from '../platform/db/columns.ts';
import { accountNames, documentTypeNames, entryKindNames, refundMethods } from './domain.ts';

/**
 * The finance ledger (domain.ts): entries and their movements, append-only (schema.sql refuses updates and
 * deletes, and checks at commit that each entry balances in every company). Orders are referenced by id
 * without a foreign key: finance sits below orders, which hands it the facts.
 */
export const financeEntries = pgTable(
  'finance_entries',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    kind: text('kind', { enum: entryKindNames as [string, ...string[]] }).notNull(),
    /** What makes the event happen once: a second post with the same key writes nothing. */
    key: text('key'),
    /** The purchase: the first order of the re-routing family. */
    rootOrderId: uuid('root_order_id'),
    orderId: uuid('order_id'),
    customerDocument: text('customer_document'),
    /** The fiscal document key or return id the entry follows from, when one. */
    reference: text('reference'),
    description: text('description').notNull(),
    actor: text('actor').notNull(),
    /** The São Paulo day it counts on (the daily closing). */
    day: date('day', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('finance_entries_key_uq').on(t.key),
    index('finance_entries_root_idx').on(t.rootOrderId, t.createdAt),
    index('finance_entries_order_idx').on(t.orderId),
    index('finance_entries_customer_idx').on(t.networkId, t.customerDocument),
    check('finance_entries_kind_chk', oneOf('kind', entryKindNames)),
  ],
);

export const financeMovements = pgTable(
  'finance_movements',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => financeEntries.id, { onDelete: 'restrict' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    account: text('account', { enum: accountNames as [string, ...string[]] }).notNull(),
    /** Debit positive, credit negative. */
    amount: money('amount').notNull(),
    orderId: uuid('order_id'),
    receivableId: uuid('receivable_id').references(() => receivables.id, { onDelete: 'restrict' }),
    counterpartyId: uuid('counterparty_id').references(() => nodes.id, { onDelete: 'restrict' }),
    day: date('day', { mode: 'string' }).notNull(),
  },
  (t) => [
    index('finance_movements_entry_idx').on(t.entryId),
    index('finance_movements_company_idx').on(t.companyId, t.account, t.day),
    index('finance_movements_order_idx').on(t.orderId, t.account),
    index('finance_movements_receivable_idx').on(t.receivableId),
    check('finance_movements_account_chk', oneOf('account', accountNames)),
    check('finance_movements_amount_chk', sql`${t.amount} <> 0`),
  ],
);

/**
 * Receivables (faturas, seed 003 Financeiro): one per payment document of a purchase, raised at its first
 * acceptance in the accepting company. Their open balance is the `receivable` movements that name them.
 */
export const receivables = pgTable(
  'receivables',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    rootOrderId: uuid('root_order_id').notNull(),
    /** The order the platform sent the payment with. */
    orderId: uuid('order_id').notNull(),
    /** The platform's method (`credit_card`, `invoice`, ...) and the document type it maps to. */
    method: text('method').notNull(),
    documentType: text('document_type', { enum: documentTypeNames as [string, ...string[]] }).notNull(),
    /** The network's omni payment method (CD_FORMA_PAGTO_OMNI) in force at the company. */
    paymentMethodCode: text('payment_method_code').notNull(),
    /**
     * Whether the network had that payment method configured (finance_payment_methods) when the receivable
     * was raised; false: none was, and the platform's method was taken as the document type as it is.
     */
    paymentMethodConfigured: boolean('payment_method_configured').notNull().default(true),
    partyKind: text('party_kind', { enum: ['customer', 'marketplace', 'party'] }).notNull(),
    partyDocument: text('party_document').notNull(),
    partyName: text('party_name'),
    /**
     * True: a marketplace payment that named no marketplace (`partyDocument`), booked against the customer
     * (domain.ts `receivableOf`); whom to collect it from is not known.
     */
    marketplaceUnnamed: boolean('marketplace_unnamed').notNull().default(false),
    amount: money('amount').notNull(),
    installments: integer('installments').notNull().default(1),
    /** The São Paulo day the instalments count from (the acceptance). */
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('receivables_company_idx').on(t.companyId, t.issuedOn, t.id),
    index('receivables_root_idx').on(t.rootOrderId),
    check('receivables_document_type_chk', oneOf('document_type', documentTypeNames)),
    check('receivables_party_kind_chk', oneOf('party_kind', ['customer', 'marketplace', 'party'])),
    check('receivables_amount_chk', sql`${t.amount} > 0`),
    check('receivables_installments_chk', sql`${t.installments} between 1 and 120`),
  ],
);

/** How a customer's credit went back to them (seed 003: refunds are apart from returns). */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    orderId: uuid('order_id').notNull(),
    rootOrderId: uuid('root_order_id').notNull(),
    method: text('method', { enum: refundMethods }).notNull(),
    amount: money('amount').notNull(),
    /** The entry that paid it (its `refund` movements). */
    entryId: uuid('entry_id')
      .notNull()
      .references(() => financeEntries.id, { onDelete: 'restrict' }),
    note: text('note'),
    actor: text('actor').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('refunds_root_idx').on(t.rootOrderId),
    check('refunds_method_chk', oneOf('method', refundMethods)),
    check('refunds_amount_chk', sql`${t.amount} > 0`),
  ],
);

/**
 * The network's omni payment methods (seed 000 §2.2: a dedicated "Omni" payment method per business unit,
 * chosen by CD_FORMA_PAGTO_OMNI): how each of the platform's payment methods maps to the finance document
 * type of its receivable. Configuration, edited in place (audited), not part of the ledger.
 */
export const financePaymentMethods = pgTable(
  'finance_payment_methods',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    /** The platform's method (`credit_card`, `pix`, ...) → a document type (domain.ts `documentTypes`). */
    mapping: jsonb('mapping').notNull().$type<Record<string, string>>(),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('finance_payment_methods_code_uq').on(t.networkId, t.code),
    check('finance_payment_methods_code_chk', sql`${t.code} ~ '^[A-Za-z0-9_-]{1,20}$'`),
  ],
);
