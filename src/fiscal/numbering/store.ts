/** SQL of voiding: the series' facts, the voided ranges, and the gaps of each series. */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.ts';
import { rows, toInt } from '../../platform/db/sql.ts';
import type { VoidedRangeStatus, VoidOrigin } from '../domain.ts';
import { fiscalSeriesCounters, fiscalVoidedRanges } from '../schema.ts';
import type { Gap, SeriesFacts } from './domain.ts';

export type VoidedRangeRow = typeof fiscalVoidedRanges.$inferSelect;

export interface SeriesKey {
  storeId: string;
  model: number;
  series: number;
}

/**
 * The counter's last number, its row locked until the transaction ends: no number is reserved in the series
 * (store.ts `nextNumber` updates that row) while a range of it is checked and recorded, and two requests for
 * the same series queue. A series that never issued has no row: 0.
 */
export async function lockCounter(tx: Db, key: SeriesKey): Promise<number> {
  const [row] = await tx
    .select({ lastNumber: fiscalSeriesCounters.lastNumber })
    .from(fiscalSeriesCounters)
    .where(
      and(
        eq(fiscalSeriesCounters.storeId, key.storeId),
        eq(fiscalSeriesCounters.model, key.model),
        eq(fiscalSeriesCounters.series, key.series),
      ),
    )
    .for('update');
  return row?.lastNumber ?? 0;
}

export async function seriesFacts(
  tx: Db,
  key: SeriesKey,
  range: { from: number; to: number },
  yearBegan: Date,
): Promise<SeriesFacts> {
  const lastNumber = await lockCounter(tx, key);
  const usedInRange = await rows<{ number: number; status: string }>(
    tx,
    sql`select number, status from fiscal_documents
        where store_id = ${key.storeId} and model = ${key.model} and series = ${key.series}
          and number between ${range.from} and ${range.to} and status <> 'rejected'
        order by number limit 20`,
  );
  const overlapping = await rows<{ from: number; to: number; status: VoidedRangeStatus }>(
    tx,
    sql`select from_number as "from", to_number as "to", status from fiscal_voided_ranges
        where store_id = ${key.storeId} and model = ${key.model} and series = ${key.series}
          and status in ('sending', 'voided') and from_number <= ${range.to} and to_number >= ${range.from}
        order by from_number limit 20`,
  );
  const [earlier] = await rows<{ last: number | null }>(
    tx,
    sql`select max(number) as last from fiscal_documents
        where store_id = ${key.storeId} and model = ${key.model} and series = ${key.series}
          and created_at < ${yearBegan}`,
  );
  return {
    lastNumber,
    usedInRange: usedInRange.map((r) => ({ number: toInt(r.number), status: r.status })),
    overlapping: overlapping.map((r) => ({ from: toInt(r.from), to: toInt(r.to), status: r.status })),
    lastNumberOfEarlierYears: earlier?.last == null ? null : toInt(earlier.last),
  };
}

export async function insertRange(tx: Db, values: typeof fiscalVoidedRanges.$inferInsert) {
  const [row] = await tx.insert(fiscalVoidedRanges).values(values).returning();
  return row!;
}

export async function findRange(db: Db, id: string, lock = false): Promise<VoidedRangeRow | undefined> {
  const q = db.select().from(fiscalVoidedRanges).where(eq(fiscalVoidedRanges.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function updateRange(
  tx: Db,
  id: string,
  set: Partial<Omit<typeof fiscalVoidedRanges.$inferInsert, 'id'>>,
): Promise<VoidedRangeRow> {
  const [row] = await tx.update(fiscalVoidedRanges).set(set).where(eq(fiscalVoidedRanges.id, id)).returning();
  return row!;
}

export interface RangeFilter {
  storeIds: readonly string[];
  model?: number;
  series?: number;
  status?: VoidedRangeStatus;
  origin?: VoidOrigin;
  /** Keyset: the last row of the previous page (created_at desc, id desc). */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** Newest first; limit + 1 rows so the caller knows whether another page follows. */
export async function listRanges(db: Db, f: RangeFilter): Promise<VoidedRangeRow[]> {
  if (f.storeIds.length === 0) return [];
  const t = fiscalVoidedRanges;
  const conditions = [
    sql`${t.storeId} in (${sql.join(
      f.storeIds.map((id) => sql`${id}`),
      sql`, `,
    )})`,
  ];
  if (f.model !== undefined) conditions.push(sql`${t.model} = ${f.model}`);
  if (f.series !== undefined) conditions.push(sql`${t.series} = ${f.series}`);
  if (f.status) conditions.push(sql`${t.status} = ${f.status}`);
  if (f.origin) conditions.push(sql`${t.origin} = ${f.origin}`);
  if (f.after) conditions.push(sql`(${t.createdAt}, ${t.id}) < (${f.after.createdAt}, ${f.after.id}::uuid)`);
  return db
    .select()
    .from(t)
    .where(and(...conditions))
    .orderBy(sql`${t.createdAt} desc, ${t.id} desc`)
    .limit(f.limit + 1);
}

/** A range voided or on its way whose numbers include `number` (the number may not be issued again). */
export async function voidedCovering(db: Db, key: SeriesKey, number: number): Promise<boolean> {
  const [row] = await rows<{ id: string }>(
    db,
    sql`select id from fiscal_voided_ranges
        where store_id = ${key.storeId} and model = ${key.model} and series = ${key.series}
          and status in ('sending', 'voided') and ${number} between from_number and to_number limit 1`,
  );
  return row !== undefined;
}

export interface SeriesGaps extends SeriesKey {
  lastNumber: number;
  gaps: (Gap & { rejectedNumbers: number[] })[];
}

/**
 * The gaps of every series of the stores: runs of numbers up to the counter held by no document but a
 * rejected one and by no range voided or on its way. A gap is dated by the document issued right after it
 * (its numbers were reserved before that one) and by the last change of a rejected document inside it,
 * whichever is later; a gap at the top of a series with no rejected document has no date.
 */
export async function gapsOf(db: Db, storeIds: readonly string[]): Promise<SeriesGaps[]> {
  if (storeIds.length === 0) return [];
  const ids = sql.join(
    storeIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const raw = await rows<{
    store_id: string;
    model: number;
    series: number;
    last_number: number;
    gap_from: number;
    gap_to: number;
    next_at: Date | string | null;
  }>(
    db,
    sql`with used as (
          select store_id, model, series, number as lo, number as hi, created_at from fiscal_documents
            where store_id in (${ids}) and status <> 'rejected'
          union all
          select store_id, model, series, from_number, to_number, created_at from fiscal_voided_ranges
            where store_id in (${ids}) and status in ('sending', 'voided')
        ),
        bounded as (
          select c.store_id, c.model, c.series, c.last_number, u.lo, u.hi, u.created_at,
                 coalesce(max(u.hi) over (partition by c.store_id, c.model, c.series order by u.lo
                   rows between unbounded preceding and 1 preceding), 0) as prev_hi
          from fiscal_series_counters c
          join used u on u.store_id = c.store_id and u.model = c.model and u.series = c.series
          where c.store_id in (${ids})
        ),
        inner_gaps as (
          select store_id, model, series, last_number, prev_hi + 1 as gap_from, lo - 1 as gap_to,
                 created_at as next_at
          from bounded where lo > prev_hi + 1
        ),
        tops as (
          select c.store_id, c.model, c.series, c.last_number,
                 coalesce((select max(u.hi) from used u where u.store_id = c.store_id and u.model = c.model
                           and u.series = c.series), 0) + 1 as gap_from,
                 c.last_number as gap_to, null::timestamptz as next_at
          from fiscal_series_counters c where c.store_id in (${ids})
        )
        select * from inner_gaps
        union all
        select * from tops where gap_from <= gap_to
        order by store_id, model, series, gap_from`,
  );
  if (raw.length === 0) return [];
  const rejected = await rows<{
    store_id: string;
    model: number;
    series: number;
    number: number;
    updated_at: Date | string;
  }>(
    db,
    sql`select store_id, model, series, number, updated_at from fiscal_documents
        where store_id in (${ids}) and status = 'rejected' order by number`,
  );
  const bySeries = new Map<string, SeriesGaps>();
  for (const r of raw) {
    const model = toInt(r.model);
    const series = toInt(r.series);
    const k = `${r.store_id}|${model}|${series}`;
    let entry = bySeries.get(k);
    if (!entry) {
      entry = { storeId: r.store_id, model, series, lastNumber: toInt(r.last_number), gaps: [] };
      bySeries.set(k, entry);
    }
    const from = toInt(r.gap_from);
    const to = toInt(r.gap_to);
    const inside = rejected.filter(
      (d) =>
        d.store_id === r.store_id &&
        toInt(d.model) === model &&
        toInt(d.series) === series &&
        toInt(d.number) >= from &&
        toInt(d.number) <= to,
    );
    const dates = [...(r.next_at ? [new Date(r.next_at)] : []), ...inside.map((d) => new Date(d.updated_at))];
    entry.gaps.push({
      from,
      to,
      since: dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null,
      rejectedNumbers: inside.map((d) => toInt(d.number)),
    });
  }
  return [...bySeries.values()];
}

/** Stores with a range still on its way to SEFAZ for longer than `before` and no live job: to send again. */
export async function stuckRanges(
  db: Db,
  before: Date,
  queue: string,
): Promise<{ id: string; storeId: string }[]> {
  return rows<{ id: string; storeId: string }>(
    db,
    sql`select r.id, r.store_id as "storeId" from fiscal_voided_ranges r
        where r.status = 'sending' and r.created_at < ${before}
          and not exists (select 1 from jobs j where j.queue = ${queue}
                          and j.status in ('queued', 'running') and j.payload->>'rangeId' = r.id::text)
        limit 100`,
  );
}

/** The stores that ever issued (have a series counter): the night job looks at these. */
export async function storesWithSeries(db: Db): Promise<string[]> {
  const found = await rows<{ store_id: string }>(
    db,
    sql`select distinct store_id from fiscal_series_counters order by store_id`,
  );
  return found.map((r) => r.store_id);
}
