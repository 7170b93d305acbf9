import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { nodes } from '../network/schema.ts';

/**
 * Delivery experiences (PDVFM093): per network, how an order reaches the customer and which companies
 * may serve it. `owner_path` is the creator's node path (paths never change: there is no re-parenting),
 * so "who may see and manage it" is a prefix match without reading another context's table.
 */
export const deliveryExperiences = pgTable(
  'delivery_experiences',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    description: text('description').notNull(),
    carrierCode: text('carrier_code'),
    carrierName: text('carrier_name'),
    serviceCode: text('service_code'),
    type: text('type', { enum: ['pickup', 'ship'] }).notNull(),
    ownerPath: text('owner_path').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('delivery_experiences_network_code_uq').on(t.networkId, t.code),
    // PDVFM093: "cada nova configuração deve possuir um código e uma descrição únicos" (case and spacing aside).
    uniqueIndex('delivery_experiences_network_description_uq').on(t.networkId, sql`lower(${t.description})`),
    check('delivery_experiences_carrier_ship_chk', sql`${t.carrierCode} is null or ${t.type} = 'ship'`),
  ],
);

/** The companies enabled under an experience; the store's path is copied for visibility checks. */
export const deliveryExperienceStores = pgTable(
  'delivery_experience_stores',
  {
    experienceId: uuid('experience_id')
      .notNull()
      .references(() => deliveryExperiences.id, { onDelete: 'cascade' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    storePath: text('store_path').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.experienceId, t.storeId] }),
    index('delivery_experience_stores_store_idx').on(t.storeId),
  ],
);

/**
 * The carrier's transit days between states, standing in for its API. `service_code` '' is the carrier's
 * row for every service (a primary key cannot hold a null).
 */
export const carrierTransitTimes = pgTable(
  'carrier_transit_times',
  {
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    carrierCode: text('carrier_code').notNull(),
    serviceCode: text('service_code').notNull().default(''),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    days: integer('days').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'carrier_transit_times_pk',
      columns: [t.networkId, t.carrierCode, t.serviceCode, t.fromState, t.toState],
    }),
    check('carrier_transit_times_days_chk', sql`${t.days} between 0 and 99`),
  ],
);
