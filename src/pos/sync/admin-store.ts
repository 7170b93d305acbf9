/**
 * SQL of the sync administration (the PDV monitoring screen): intervals, controls, contacts, exceptions and
 * the refused uploads. Every query is bounded by store ids the service resolved through network's service.
 */
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.ts';
import { rows, toInt } from '../../platform/db/sql.ts';
import { posSyncContacts, posSyncControls, posSyncExceptions, posSyncIntervals } from './schema.ts';

export type IntervalRow = typeof posSyncIntervals.$inferSelect;
export type ControlRow = typeof posSyncControls.$inferSelect;
export type ContactRow = typeof posSyncContacts.$inferSelect;
export type ExceptionRow = typeof posSyncExceptions.$inferSelect;

/** The network's intervals and, for the given stores, their own. */
export async function intervals(db: Db, networkId: string, storeIds: string[]): Promise<IntervalRow[]> {
  const scope = storeIds.length
    ? sql`(${posSyncIntervals.storeId} is null or ${inArray(posSyncIntervals.storeId, storeIds)})`
    : isNull(posSyncIntervals.storeId);
  return db
    .select()
    .from(posSyncIntervals)
    .where(and(eq(posSyncIntervals.networkId, networkId), scope));
}

export async function findInterval(
  db: Db,
  networkId: string,
  storeId: string | null,
  dataType: string,
): Promise<IntervalRow | undefined> {
  const [row] = await db
    .select()
    .from(posSyncIntervals)
    .where(
      and(
        eq(posSyncIntervals.networkId, networkId),
        eq(posSyncIntervals.dataType, dataType),
        storeId ? eq(posSyncIntervals.storeId, storeId) : isNull(posSyncIntervals.storeId),
      ),
    )
    .for('update');
  return row;
}

/** Writes the interval; the unique index on (network, type, store or network) makes a race one row. */
export async function upsertInterval(
  db: Db,
  row: { networkId: string; storeId: string | null; dataType: string; minutes: number; updatedBy: string },
): Promise<void> {
  await db.execute(sql`
    insert into pos_sync_intervals (network_id, store_id, data_type, minutes, updated_by, updated_at)
    values (${row.networkId}, ${row.storeId}, ${row.dataType}, ${row.minutes}, ${row.updatedBy}, now())
    on conflict (network_id, data_type, coalesce(store_id, network_id))
    do update set minutes = excluded.minutes, updated_by = excluded.updated_by, updated_at = now()`);
}

export async function deleteInterval(db: Db, id: string): Promise<void> {
  await db.delete(posSyncIntervals).where(eq(posSyncIntervals.id, id));
}

export async function controls(db: Db, storeIds: string[]): Promise<ControlRow[]> {
  if (!storeIds.length) return [];
  return db.select().from(posSyncControls).where(inArray(posSyncControls.storeId, storeIds));
}

export async function contacts(db: Db, storeIds: string[]): Promise<ContactRow[]> {
  if (!storeIds.length) return [];
  return db
    .select()
    .from(posSyncContacts)
    .where(inArray(posSyncContacts.storeId, storeIds))
    .orderBy(posSyncContacts.storeId, posSyncContacts.terminal);
}

/** Flags the types for a full load, creating the control rows a store that never polled lacks. */
export async function requestFullLoad(db: Db, storeId: string, dataTypes: string[]): Promise<void> {
  await db
    .insert(posSyncControls)
    .values(dataTypes.map((dataType) => ({ storeId, dataType, fullLoadRequested: true })))
    .onConflictDoUpdate({
      target: [posSyncControls.storeId, posSyncControls.dataType],
      set: { fullLoadRequested: true, updatedAt: new Date() },
    });
}

/** The stores' unexpired exceptions. */
export async function activeExceptions(db: Db, storeIds: string[], now: Date): Promise<ExceptionRow[]> {
  if (!storeIds.length) return [];
  return db
    .select()
    .from(posSyncExceptions)
    .where(and(inArray(posSyncExceptions.storeId, storeIds), gt(posSyncExceptions.expiresAt, now)))
    .orderBy(posSyncExceptions.expiresAt);
}

export async function findException(db: Db, id: string): Promise<ExceptionRow | undefined> {
  const [row] = await db.select().from(posSyncExceptions).where(eq(posSyncExceptions.id, id)).for('update');
  return row;
}

/**
 * Inserts the store's exception, or replaces its expired one (the table keeps one row per store); returns
 * nothing when an unexpired one is there, atomically even when two requests race.
 */
export async function insertException(
  db: Db,
  row: { storeId: string; reason: string; expiresAt: Date; createdBy: string },
  now: Date,
): Promise<ExceptionRow | undefined> {
  const [saved] = await db
    .insert(posSyncExceptions)
    .values({ ...row, createdAt: now })
    .onConflictDoUpdate({
      target: posSyncExceptions.storeId,
      set: {
        id: sql`excluded.id`,
        reason: row.reason,
        expiresAt: row.expiresAt,
        createdAt: now,
        createdBy: row.createdBy,
      },
      setWhere: sql`${posSyncExceptions.expiresAt} <= ${now.toISOString()}::timestamptz`,
    })
    .returning();
  return saved;
}

export async function deleteException(db: Db, id: string): Promise<void> {
  await db.delete(posSyncExceptions).where(eq(posSyncExceptions.id, id));
}

/*
 * The refused uploads are pos_upload_rejections (the uploads sub-folder's table, this same context's): read
 * here in SQL, since a sub-folder reaches a sibling only through its index.
 */

export interface RejectionRow {
  id: string;
  storeId: string;
  terminal: string | null;
  sequence: number | null;
  kind: string;
  posId: string | null;
  code: string;
  message: string;
  details: unknown;
  receivedAt: Date;
  resolvedAt: Date | null;
  attempts: number;
}

interface RawRejection {
  id: string;
  store_id: string;
  terminal: string | null;
  sequence: string | number | null;
  kind: string;
  pos_id: string | null;
  code: string;
  message: string;
  details: unknown;
  received_at: string | Date;
  resolved_at: string | Date | null;
  attempts: number;
  key: string;
}

const rejectionColumns = sql.raw(
  'id, store_id, terminal, sequence, kind, pos_id, code, message, details, received_at, resolved_at, attempts, ' +
    '((extract(epoch from received_at) * 1000000)::bigint)::text as key',
);

const toRejection = (r: RawRejection): RejectionRow & { key: string } => ({
  id: r.id,
  storeId: r.store_id,
  terminal: r.terminal,
  sequence: r.sequence === null ? null : Number(r.sequence),
  kind: r.kind,
  posId: r.pos_id,
  code: r.code,
  message: r.message,
  // pg answers jsonb parsed; keep whatever it is.
  details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
  receivedAt: new Date(r.received_at),
  resolvedAt: r.resolved_at === null ? null : new Date(r.resolved_at),
  attempts: Number(r.attempts),
  key: String(r.key),
});

const uuidList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/** Unresolved refused uploads per store. */
export async function openRejectionCounts(db: Db, storeIds: string[]): Promise<Map<string, number>> {
  if (!storeIds.length) return new Map();
  const found = await rows<{ store_id: string; n: unknown }>(
    db,
    sql`select store_id, count(*) as n from pos_upload_rejections
        where store_id in (${uuidList(storeIds)}) and resolved_at is null group by store_id`,
  );
  return new Map(found.map((r) => [r.store_id, toInt(r.n)]));
}

export interface RejectionFilter {
  storeIds: string[];
  state: 'open' | 'resolved' | 'all';
  /** The last row of the page before: its key (microseconds since the epoch) and id. */
  after?: { key: string; id: string };
  limit: number;
}

/** Refused uploads, newest first; the key keeps microseconds (a millisecond ISO string would skip rows). */
export async function rejections(db: Db, f: RejectionFilter): Promise<(RejectionRow & { key: string })[]> {
  if (!f.storeIds.length) return [];
  const state =
    f.state === 'open'
      ? sql`and resolved_at is null`
      : f.state === 'resolved'
        ? sql`and resolved_at is not null`
        : sql``;
  const after = f.after
    ? sql`and ((extract(epoch from received_at) * 1000000)::bigint, id) < (${f.after.key}::bigint, ${f.after.id}::uuid)`
    : sql``;
  const found = await rows<RawRejection>(
    db,
    sql`select ${rejectionColumns} from pos_upload_rejections
        where store_id in (${uuidList(f.storeIds)}) ${state} ${after}
        order by (extract(epoch from received_at) * 1000000)::bigint desc, id desc
        limit ${f.limit}`,
  );
  return found.map(toRejection);
}

export async function findRejection(db: Db, id: string): Promise<RejectionRow | undefined> {
  const [row] = await rows<RawRejection>(
    db,
    sql`select ${rejectionColumns} from pos_upload_rejections where id = ${id}::uuid for update`,
  );
  return row && toRejection(row);
}

export async function resolveRejection(db: Db, id: string, at: Date): Promise<RejectionRow> {
  const [row] = await rows<RawRejection>(
    db,
    sql`update pos_upload_rejections set resolved_at = ${at.toISOString()}::timestamptz where id = ${id}::uuid
        returning ${rejectionColumns}`,
  );
  return toRejection(row!);
}
