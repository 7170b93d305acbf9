import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { rows } from '../platform/db/sql.ts';
import type { SalesChannel } from './domain.ts';
import { channelSales } from './schema.ts';

export type NewChannelSale = typeof channelSales.$inferInsert;

/** Once per sale: an invoicing repeated (or re-sent) does not count twice. */
export async function insertSale(tx: Db, sale: NewChannelSale): Promise<void> {
  await tx.insert(channelSales).values(sale).onConflictDoNothing();
}

export async function deleteSale(tx: Db, sourceType: string, sourceId: string): Promise<void> {
  await tx
    .delete(channelSales)
    .where(and(eq(channelSales.sourceType, sourceType), eq(channelSales.sourceId, sourceId)));
}

export interface DayRow {
  day: string;
  storeId: string;
  channel: SalesChannel;
  count: number | string;
  value: string;
}

/** Per day, store and channel: how many sales and their value, of these stores within the period. */
export async function salesByDay(
  db: Db,
  storeIds: readonly string[],
  from: string,
  to: string,
): Promise<DayRow[]> {
  if (storeIds.length === 0) return [];
  const ids = sql.join(
    storeIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  return rows<DayRow>(
    db,
    sql`select to_char(day, 'YYYY-MM-DD') as "day", store_id as "storeId", channel, count(*) as "count",
               sum(value)::text as "value"
          from channel_sales
         where store_id in (${ids}) and day between ${from}::date and ${to}::date
         group by day, store_id, channel
         order by day, store_id, channel`,
  );
}
