import { sql } from 'drizzle-orm';
import {
  char,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { nodes } from '../network/schema.ts';
import { fiscalDocumentStatuses, fiscalPurposes } from './domain.ts';
import { fiscalOperations } from './operations.ts';

const within = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

/**
 * The last number issued per store, model and series. Taken by one upsert whose row lock lasts until the
 * issuing transaction ends, so numbers follow commit order and a rolled-back issue gives its number back:
 * no gaps (which would need an inutilização at SEFAZ) and no duplicates (rejection 539).
 */
export const fiscalSeriesCounters = pgTable(
  'fiscal_series_counters',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    model: smallint('model').notNull(),
    series: integer('series').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.model, t.series] }),
    check('fiscal_series_counters_model_chk', sql`${t.model} in (55, 65)`),
    check('fiscal_series_counters_series_chk', sql`${t.series} between 0 and 999`),
    check('fiscal_series_counters_last_chk', sql`${t.lastNumber} between 0 and 999999999`),
  ],
);

/**
 * NF-e (55) and NFC-e (65) issued by a store: the XML as signed and sent, SEFAZ's protocol or rejection,
 * and what the document is for (`reference_type`/`reference_id`: the order or transfer it invoices).
 */
export const fiscalDocuments = pgTable(
  'fiscal_documents',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    model: smallint('model').notNull(),
    series: integer('series').notNull(),
    number: integer('number').notNull(),
    accessKey: char('access_key', { length: 44 }).notNull(),
    /** cNF, the key's eight-digit random code (access-key.ts: generateNumericCode). */
    numericCode: char('cnf', { length: 8 }).notNull(),
    status: text('status', { enum: fiscalDocumentStatuses }).notNull(),
    purpose: text('purpose', { enum: fiscalPurposes }).notNull(),
    referenceType: text('reference_type').notNull(),
    referenceId: text('reference_id').notNull(),
    xml: text('xml').notNull(),
    /** nProt of the authorisation (or of the cancellation event once cancelled). */
    protocol: text('protocol'),
    /** cStat and xMotivo of SEFAZ's rejection. */
    rejectionCode: integer('rejection_code'),
    rejectionReason: text('rejection_reason'),
    authorisedAt: timestamp('authorised_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('fiscal_documents_number_uq').on(t.storeId, t.model, t.series, t.number),
    uniqueIndex('fiscal_documents_access_key_uq').on(t.accessKey),
    index('fiscal_documents_reference_idx').on(t.referenceType, t.referenceId),
    check('fiscal_documents_model_chk', sql`${t.model} in (55, 65)`),
    check('fiscal_documents_series_chk', sql`${t.series} between 0 and 999`),
    check('fiscal_documents_number_chk', sql`${t.number} between 1 and 999999999`),
    check('fiscal_documents_status_chk', within('status', fiscalDocumentStatuses)),
    check('fiscal_documents_purpose_chk', within('purpose', fiscalPurposes)),
  ],
);

/**
 * CFOP and natOp per operation set at a node (network, central or store); a node without a row inherits
 * from its ancestors, and the built-in defaults (operations.ts) apply when no node sets one.
 */
export const fiscalOperationSettings = pgTable(
  'fiscal_operations',
  {
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    operation: text('operation', { enum: fiscalOperations }).notNull(),
    cfopIntrastate: char('cfop_intrastate', { length: 4 }).notNull(),
    cfopInterstate: char('cfop_interstate', { length: 4 }).notNull(),
    cfopInterstateNonContributor: char('cfop_interstate_non_contributor', { length: 4 }),
    natOp: text('nat_op').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.nodeId, t.operation] }),
    check('fiscal_operations_operation_chk', within('operation', fiscalOperations)),
  ],
);
