import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { saoPauloDay } from '../platform/format-br.ts';
import { centsOf, fromCents } from '../platform/money.ts';
import { periodOf, type SalesChannel, salesChannels } from './domain.ts';
import * as store from './store.ts';

/**
 * Reports: read models fed by the flows that make the facts. Other contexts write a sale here in their own
 * transaction (`recordSale`) and withdraw it when it is undone; the report reads only these facts.
 */

export { type SalesChannel, salesChannels } from './domain.ts';

export interface SaleFact {
  networkId: string;
  storeId: string;
  channel: SalesChannel;
  sourceType: string;
  sourceId: string;
  invoicedAt: Date;
  /** Decimal string, two places. */
  value: string;
}

/** A sale invoiced, counted on its São Paulo day (once per source). */
export function recordSale(tx: Db, fact: SaleFact): Promise<void> {
  return store.insertSale(tx, { ...fact, day: saoPauloDay(fact.invoicedAt) });
}

/** The sale was cancelled: it no longer counts. */
export function withdrawSale(tx: Db, sourceType: string, sourceId: string): Promise<void> {
  return store.deleteSale(tx, sourceType, sourceId);
}

export interface Tally {
  count: number;
  value: string;
}

export interface SalesByChannel {
  from: string;
  to: string;
  stores: { code: string; name: string }[];
  rows: ({ day: string; storeCode: string; storeName: string; channel: SalesChannel } & Tally)[];
  totals: Record<SalesChannel | 'all', Tally>;
}

/** GET /reports/sales-by-channel: per day and store, the POS's and the e-commerce's sales of the stores in view. */
export async function salesByChannel(
  db: Db,
  viewer: network.Viewer,
  query: { from?: string; to?: string; storeCode?: string[] },
  now = new Date(),
): Promise<Result<SalesByChannel>> {
  const { period, errors } = periodOf(query, saoPauloDay(now));
  const codes = query.storeCode?.length ? [...new Set(query.storeCode)] : undefined;
  const stores = await network.storesWithin(db, viewer, codes);
  if (codes)
    codes.forEach((code, i) => {
      if (!stores.some((s) => s.code === code))
        errors.push({
          path: `/storeCode/${i}`,
          code: 'REPORT.STORE_NOT_VISIBLE',
          message: 'is not a store you see',
        });
    });
  if (!period || errors.length)
    return fail('invalid', 'REPORT.INVALID_QUERY', 'The report cannot be made as asked; see errors.', {
      errors,
    });
  const byId = new Map(stores.map((s) => [s.id, s]));
  const found = await store.salesByDay(db, [...byId.keys()], period.from, period.to);
  const sums = Object.fromEntries(
    [...salesChannels, 'all'].map((c) => [c, { count: 0, cents: 0n }]),
  ) as Record<SalesChannel | 'all', { count: number; cents: bigint }>;
  const rows = found.map((r) => {
    const s = byId.get(r.storeId)!;
    const count = Number(r.count);
    const cents = centsOf(r.value);
    for (const key of [r.channel, 'all'] as const) {
      sums[key].count += count;
      sums[key].cents += cents;
    }
    return {
      day: r.day,
      storeCode: s.code,
      storeName: s.name,
      channel: r.channel,
      count,
      value: fromCents(cents),
    };
  });
  rows.sort(
    (a, b) =>
      a.day.localeCompare(b.day) ||
      a.storeCode.localeCompare(b.storeCode) ||
      a.channel.localeCompare(b.channel),
  );
  return ok({
    ...period,
    stores: stores
      .map((s) => ({ code: s.code, name: s.name }))
      .sort((a, b) => a.code.localeCompare(b.code, 'pt-BR', { numeric: true })),
    rows,
    totals: Object.fromEntries(
      Object.entries(sums).map(([k, v]) => [k, { count: v.count, value: fromCents(v.cents) }]),
    ) as SalesByChannel['totals'],
  });
}
