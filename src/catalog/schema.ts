import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { nodes } from '../network/schema.ts';
import { money } from '../platform/db/columns.ts';

/** Products belong to a network (its root node) and are public to every node below it. */
export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    sku: text('sku').notNull(),
    ean: text('ean').notNull(),
    description: text('description').notNull(),
    ncm: text('ncm').notNull(),
    unit: text('unit').notNull().default('UN'),
    /** Network default price; a store (or central) may override it in product_prices. */
    price: money('price').notNull(),
    /** "Integra e-commerce": the product is sent to the e-commerce platform. */
    integratesEcommerce: boolean('integrates_ecommerce').notNull().default(false),
    /** "Ativo e-commerce": the product is sellable on the e-commerce. */
    activeEcommerce: boolean('active_ecommerce').notNull().default(false),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('products_network_sku_uq').on(t.networkId, t.sku),
    uniqueIndex('products_network_ean_uq').on(t.networkId, t.ean),
    index('products_ecommerce_idx').on(t.networkId, t.integratesEcommerce, t.activeEcommerce),
    check('products_price_chk', sql`${t.price} >= 0`),
    check('products_ean_chk', sql`${t.ean} ~ '^[0-9]{13}$'`),
    check('products_ncm_chk', sql`${t.ncm} ~ '^[0-9]{8}$'`),
    // A product is active on the e-commerce only if it integrates with it (domain.applyFlags).
    check('products_flags_chk', sql`not ${t.activeEcommerce} or ${t.integratesEcommerce}`),
  ],
);

export const productPrices = pgTable(
  'product_prices',
  {
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    price: money('price').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.nodeId] }),
    check('product_prices_price_chk', sql`${t.price} >= 0`),
  ],
);

/**
 * Promotions of the network's promotions engine. The modality says on which channel a promotion is
 * offered: only `ecommerce` (and `all`) ones reach the e-commerce platform.
 */
export const promotions = pgTable(
  'promotions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    code: text('code').notNull(),
    description: text('description').notNull(),
    modality: text('modality', { enum: ['ecommerce', 'store', 'all'] }).notNull(),
    discountPercent: numeric('discount_percent', { precision: 5, scale: 2 }),
    discountAmount: money('discount_amount'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('promotions_network_code_uq').on(t.networkId, t.code),
    index('promotions_current_idx').on(t.networkId, t.active, t.startsAt, t.endsAt),
    check('promotions_discount_chk', sql`(${t.discountPercent} is null) <> (${t.discountAmount} is null)`),
    check(
      'promotions_discount_range_chk',
      sql`(${t.discountPercent} > 0 and ${t.discountPercent} <= 100) or ${t.discountAmount} > 0`,
    ),
    check('promotions_period_chk', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export const promotionProducts = pgTable(
  'promotion_products',
  {
    promotionId: uuid('promotion_id')
      .notNull()
      .references(() => promotions.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.promotionId, t.productId] }),
    index('promotion_products_product_idx').on(t.productId),
  ],
);
