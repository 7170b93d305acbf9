import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The network tree: network (master) → central → store. A store is a company with its own CNPJ.
 * `path` is the materialised chain of ids from the root ("/root/central/store/"): a subtree is a prefix.
 */
export const nodes = pgTable(
  'nodes',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => nodes.id, { onDelete: 'restrict' }),
    kind: text('kind', { enum: ['network', 'central', 'store'] }).notNull(),
    code: text('code').notNull(),
    path: text('path').notNull(),
    name: text('name').notNull(),
    legalName: text('legal_name').notNull(),
    cnpj: text('cnpj'),
    stateRegistration: text('state_registration'),
    street: text('street'),
    number: text('number'),
    complement: text('complement'),
    district: text('district'),
    city: text('city'),
    cityCode: text('city_code'),
    state: text('state'),
    postalCode: text('postal_code'),
    latitude: numeric('latitude', { precision: 9, scale: 6 }),
    longitude: numeric('longitude', { precision: 9, scale: 6 }),
    email: text('email'),
    visibility: text('visibility', { enum: ['public', 'private'] })
      .notNull()
      .default('private'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('nodes_network_code_uq').on(t.networkId, t.code),
    uniqueIndex('nodes_network_cnpj_uq').on(t.networkId, t.cnpj).where(sql`${t.kind} = 'store'`),
    index('nodes_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    index('nodes_parent_idx').on(t.parentId),
    check('nodes_root_chk', sql`(${t.kind} = 'network') = (${t.parentId} is null)`),
    check('nodes_store_cnpj_chk', sql`${t.kind} <> 'store' or ${t.cnpj} is not null`),
  ],
);
