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
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { nodes } from '../../network/schema.ts';
import { oneOf } from '../../platform/db/columns.ts';
import { dataTypeCodes } from './domain.ts';

/**
 * The POS sync (seed 000 §2 Taskmanager): what each store's POS may download, when, and what it did.
 * LoteAgendamento → pos_sync_intervals, LoteControle → pos_sync_controls, LoteExcecao →
 * pos_sync_exceptions; the data itself is the feed pos_sync_records.
 */

/** The interval of a data type for the network (store_id null) or one store, overriding domain.ts's default. */
export const posSyncIntervals = pgTable(
  'pos_sync_intervals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    /** Null: the network's interval; a store: that store's own. */
    storeId: uuid('store_id').references(() => nodes.id, { onDelete: 'cascade' }),
    dataType: text('data_type').notNull(),
    minutes: integer('minutes').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    uniqueIndex('pos_sync_intervals_uq').on(
      t.networkId,
      t.dataType,
      sql`coalesce(${t.storeId}, ${t.networkId})`,
    ),
    check('pos_sync_intervals_type_chk', oneOf('data_type', dataTypeCodes)),
    check('pos_sync_intervals_minutes_chk', sql`${t.minutes} between 0 and 10080`),
  ],
);

/** LoteControle: per store and data type, the last download and where the store's POS stands in the feed. */
export const posSyncControls = pgTable(
  'pos_sync_controls',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    dataType: text('data_type').notNull(),
    /** When the last download began (its first page): the interval counts from here. */
    lastDownloadAt: timestamp('last_download_at', { withTimezone: true }),
    /** The feed position the store has been given (opaque to the POS, encoded as its cursor). */
    cursorXid: bigint('cursor_xid', { mode: 'number' }).notNull().default(0),
    cursorSeq: bigint('cursor_seq', { mode: 'number' }).notNull().default(0),
    /** A download is under way: its next page may be fetched whatever the interval. */
    inProgress: boolean('in_progress').notNull().default(false),
    /** Support asked for a full load ("forçar carga completa"): the next poll starts from the beginning. */
    fullLoadRequested: boolean('full_load_requested').notNull().default(false),
    records: integer('records').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.dataType] }),
    check('pos_sync_controls_type_chk', oneOf('data_type', dataTypeCodes)),
  ],
);

/** LoteExcecao: a store that bypasses the intervals until it expires (POS install, or support). */
export const posSyncExceptions = pgTable(
  'pos_sync_exceptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [uniqueIndex('pos_sync_exceptions_store_uq').on(t.storeId)],
);

/** Each terminal's last contact (written in batches, not on every poll) and the uploads it says it holds. */
export const posSyncContacts = pgTable(
  'pos_sync_contacts',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    terminal: text('terminal').notNull(),
    lastContactAt: timestamp('last_contact_at', { withTimezone: true }).notNull(),
    /** What the terminal reported queued and not yet uploaded (X-Pos-Pending-Uploads). */
    pendingUploads: integer('pending_uploads').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.terminal] })],
);

/**
 * The feed: the current state of every record a POS may download, one row per (type, scope, key), a
 * tombstone (`deleted`, payload null) once its source is gone. `xid` is the writing transaction and `seq`
 * the order within it: a reader serves only rows of transactions older than every transaction still
 * running, so a late commit can never fall behind a cursor already handed out.
 */
export const posSyncRecords = pgTable(
  'pos_sync_records',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    dataType: text('data_type').notNull(),
    /** The node the record belongs to: the network root, a central or a store; a store sees its ancestry's. */
    scopeNodeId: uuid('scope_node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    recordKey: text('record_key').notNull(),
    payload: jsonb('payload'),
    deleted: boolean('deleted').notNull().default(false),
    /** pg_current_xact_id() of the writing transaction, as a number. */
    xid: bigint('xid', { mode: 'number' }).notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('pos_sync_records_key_uq').on(t.dataType, t.scopeNodeId, t.recordKey),
    // The type's head in the network (what a release advances to).
    index('pos_sync_records_feed_idx').on(t.networkId, t.dataType, t.xid, t.seq),
    // A store's pages: its ancestry's rows only, so a download costs what the store holds, not what the
    // network's thousand stores hold (stock is one row per store and product).
    index('pos_sync_records_scope_idx').on(t.dataType, t.scopeNodeId, t.xid, t.seq),
    check('pos_sync_records_type_chk', oneOf('data_type', dataTypeCodes)),
    check('pos_sync_records_tombstone_chk', sql`(${t.payload} is null) = ${t.deleted}`),
  ],
);

/**
 * The network's customers (Cliente): written by the POS's customer uploads and by the central, offered to
 * every POS of the network. Server wins: an upload fills what the server does not know, never overwrites.
 */
export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    /** CPF or CNPJ, digits (and letters, for the 2026 alphanumeric CNPJ) only. */
    document: text('document').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    birthDate: date('birth_date', { mode: 'string' }),
    /** The store whose POS registered the customer first, when one did. */
    originStoreId: uuid('origin_store_id').references(() => nodes.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('customers_document_uq').on(t.networkId, t.document)],
);
