import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { nodes } from '../../network/schema.ts';
import { oneOf } from '../../platform/db/columns.ts';

/** What a POS sends back (seed 000 §2, "Integração de dados que são recebidos do PDV"). */
export const uploadKinds = [
  'cash-opening',
  'cash-movement',
  'cash-closing',
  'customer',
  'sale',
  'z-reduction',
] as const;
export type UploadKind = (typeof uploadKinds)[number];

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
