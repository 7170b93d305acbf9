import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { apiClients } from '../access/schema.ts';
import { nodes } from '../network/schema.ts';
import { mappingKinds, platforms } from './domain.ts';

/**
 * A network's connection to an e-commerce platform: one per network and platform. `settings` holds what may
 * be shown (account name, base URL, default store code); `secrets` the sealed credentials (app key/token,
 * hook token, HMAC secret), never answered. Orders it brings in are ingested as its API client, whose
 * webhook endpoint has the platform as its kind: the outbox then reaches the platform through its adapter.
 */
export const connectorConnections = pgTable(
  'connector_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    platform: text('platform', { enum: platforms }).notNull(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => apiClients.id, { onDelete: 'restrict' }),
    settings: jsonb('settings').notNull().$type<Record<string, unknown>>(),
    /** Sealed with the installation's key (platform/secret-key.ts): a JSON object of the secret fields. */
    secrets: text('secrets').notNull(),
    active: boolean('active').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [uniqueIndex('connector_connections_network_platform_uq').on(t.networkId, t.platform)],
);

/** A platform's code translated to Omnihub's, per network (domain.ts `mappingKinds`). */
export const connectorMappings = pgTable(
  'connector_mappings',
  {
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    platform: text('platform', { enum: platforms }).notNull(),
    kind: text('kind', { enum: mappingKinds }).notNull(),
    externalCode: text('external_code').notNull(),
    internalCode: text('internal_code').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    primaryKey({ columns: [t.networkId, t.platform, t.kind, t.externalCode] }),
    check(
      'connector_mappings_codes_chk',
      sql`length(${t.externalCode}) between 1 and 120 and length(${t.internalCode}) between 1 and 120`,
    ),
  ],
);
