import { sql } from 'drizzle-orm';
import { bigint, check, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { nodes } from '../network/schema.ts';
import { money } from '../platform/db/columns.ts';
import { salesChannels } from './domain.ts';

/**
 * One row per sale invoiced ("Consulta Analítica - Canal de Venda", seeds 000 §3.4.3): the fact the channel
 * report sums. Written by the flow that invoices the sale in its own transaction (an order's invoicing today;
 * the POS's uploaded sales later, as another `source_type`), withdrawn when the sale is cancelled.
 */
export const channelSales = pgTable(
  'channel_sales',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    /** `omni`: the e-commerce's orders; `pos`: sales made at the counter. */
    channel: text('channel', { enum: salesChannels }).notNull(),
    /** What the sale is (`order`, later `pos_sale`) and its id there: one fact per sale. */
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id').notNull(),
    /** The São Paulo day it was invoiced on: the day it counts on. */
    day: date('day', { mode: 'string' }).notNull(),
    invoicedAt: timestamp('invoiced_at', { withTimezone: true }).notNull(),
    value: money('value').notNull(),
  },
  (t) => [
    uniqueIndex('channel_sales_source_uq').on(t.sourceType, t.sourceId),
    index('channel_sales_store_day_idx').on(t.storeId, t.day, t.channel),
    check('channel_sales_channel_chk', sql`${t.channel} in ('omni', 'pos')`),
    check('channel_sales_value_chk', sql`${t.value} >= 0`),
  ],
);
