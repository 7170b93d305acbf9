import { sql } from 'drizzle-orm';
import { boolean, check, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { nodes } from '../../network/schema.ts';
import { oneOf } from '../../platform/db/columns.ts';
import { carrierAdapters } from './port.ts';

/**
 * A carrier account (issue 15 §3): the contract a network, a central or a store holds with a carrier, and the
 * adapter that speaks to it. A store's orders of `carrier_code` use the account of the store, else of its
 * nearest ancestor. `settings` holds what is not secret (base URL, posting card, contract, service defaults);
 * `sealed_credentials` the secrets (passwords, tokens, webhook secrets), sealed with the installation key as
 * the A1 certificates are (platform/secret-key.ts), never answered by the API.
 */
export const carrierAccounts = pgTable(
  'carrier_accounts',
  {
    id: uuid('id').primaryKey(),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    /** The code orders and delivery experiences name (CORREIOS, JADLOG, …: DS_LST_TRANSPORT_OMNI's codes). */
    carrierCode: text('carrier_code').notNull(),
    adapter: text('adapter', { enum: carrierAdapters }).notNull(),
    settings: jsonb('settings').notNull().default({}),
    sealedCredentials: text('sealed_credentials').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    uniqueIndex('carrier_accounts_node_carrier_uq').on(t.nodeId, t.carrierCode),
    check('carrier_accounts_adapter_chk', oneOf('adapter', carrierAdapters)),
    check('carrier_accounts_code_chk', sql`${t.carrierCode} ~ '^[A-Z0-9_]{1,20}$'`),
  ],
);
