import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.ts';
import { preparedRows, rows } from '../../platform/db/sql.ts';
import type { FeedPosition } from './domain.ts';

/**
 * The oldest transaction that may still commit a record into this database's feed: the statement snapshot's
 * oldest running transaction, skipping those seen running in another database of the same server (they cannot
 * write this table, and one held open there must not stall every store's release here). A transaction that
 * ended between the snapshot and the read of `pg_stat_activity` still bounds it. Without running transactions
 * it is the snapshot's xmax; on the embedded database there never are.
 */
const feedHorizon = sql`(select coalesce(
    (select min(x.xid::text::bigint) from pg_snapshot_xip(s.snap) as x(xid) where not exists (
      select 1 from pg_stat_activity a
      where a.datid <> (select d.oid from pg_database d where d.datname = current_database())
        and a.backend_xid::text::bigint = x.xid::text::bigint % 4294967296)),
    pg_snapshot_xmax(s.snap)::text::bigint)
  from (select pg_current_snapshot() as snap) s)`;

/** Who polls: the store (its POS key's node), its network and its ancestry as the "/root/central/store/" path. */
export interface PollingStore {
  readonly storeId: string;
  readonly networkId: string;
  readonly path: string;
}

export interface PageQuery {
  readonly dataType: string;
  readonly since: FeedPosition;
  /** A full load: tombstones are left out (the POS replaces its copy). */
  readonly omitDeleted: boolean;
  readonly limit: number;
}

export interface FeedItem {
  readonly key: string;
  readonly scopeNodeId: string;
  readonly deleted: boolean;
  readonly data: Record<string, unknown> | null;
  readonly changedAt: string;
  readonly position: FeedPosition;
}

export interface PollState {
  readonly hasControl: boolean;
  readonly lastDownloadAt: Date | null;
  readonly released: FeedPosition;
  readonly fullLoadRequested: boolean;
  readonly networkMinutes: number | null;
  readonly storeMinutes: number | null;
  readonly exception: boolean;
  /**
   * The type's newest releasable position in the network (of a transaction older than every one running):
   * what a release would advance to, so a due poll that finds nothing beyond its release writes nothing.
   */
  readonly head: FeedPosition | null;
  /** Up to limit + 1 items after `since` up to the released position. */
  readonly items: FeedItem[];
}

interface ItemRow {
  record_key: string | null;
  scope_node_id: string;
  deleted: boolean;
  payload: Record<string, unknown> | null;
  changed_at: string | Date;
  xid: string | number;
  seq: string | number;
}

const ancestry = (path: string) => sql`string_to_array(trim(both '/' from ${path}::text), '/')::uuid[]`;

/** The page: rows of the type in the store's ancestry after `since`, up to `upTo` (a SQL pair), limit + 1. */
function pageOf(store: PollingStore, q: PageQuery, upToXid: SQL, upToSeq: SQL): SQL {
  return sql`select r.record_key, r.scope_node_id, r.deleted, r.payload, r.changed_at, r.xid, r.seq
    from pos_sync_records r
    where r.network_id = ${store.networkId} and r.data_type = ${q.dataType}
      and (r.xid, r.seq) > (${q.since.xid}::bigint, ${q.since.seq}::bigint)
      and (r.xid, r.seq) <= (${upToXid}, ${upToSeq})
      and r.scope_node_id = any(${ancestry(store.path)})
      ${q.omitDeleted ? sql`and not r.deleted` : sql``}
    order by r.xid, r.seq
    limit ${q.limit + 1}`;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function itemsOf(list: ItemRow[]): FeedItem[] {
  return list
    .filter((r) => r.record_key !== null)
    .map((r) => ({
      key: r.record_key as string,
      scopeNodeId: r.scope_node_id,
      deleted: r.deleted,
      data: r.payload,
      changedAt: new Date(r.changed_at).toISOString(),
      position: { xid: Number(r.xid), seq: Number(r.seq) },
    }));
}

/**
 * The common path in one statement: the store's control row (LoteControle), its effective interval
 * (LoteAgendamento), its exception (LoteExcecao) and the page of what was already released to it.
 */
export async function readPoll(db: Db, store: PollingStore, q: PageQuery, now: Date): Promise<PollState> {
  const result = await preparedRows<
    ItemRow & {
      has_control: boolean;
      last_download_at: string | Date | null;
      cursor_xid: string | number;
      cursor_seq: string | number;
      full_load_requested: boolean;
      network_minutes: number | null;
      store_minutes: number | null;
      exception: boolean;
      head_xid: string | number | null;
      head_seq: string | number | null;
    }
  >(
    db,
    sql`with ctl as (
        select c.last_download_at, c.cursor_xid, c.cursor_seq, c.full_load_requested
        from pos_sync_controls c where c.store_id = ${store.storeId} and c.data_type = ${q.dataType}
      ), st as (
        select (select count(*) from ctl) > 0 as has_control,
          (select last_download_at from ctl) as last_download_at,
          coalesce((select cursor_xid from ctl), 0) as cursor_xid,
          coalesce((select cursor_seq from ctl), 0) as cursor_seq,
          coalesce((select full_load_requested from ctl), false) as full_load_requested,
          (select i.minutes from pos_sync_intervals i where i.network_id = ${store.networkId}
            and i.data_type = ${q.dataType} and i.store_id is null) as network_minutes,
          (select i.minutes from pos_sync_intervals i where i.network_id = ${store.networkId}
            and i.data_type = ${q.dataType} and i.store_id = ${store.storeId}) as store_minutes,
          exists (select 1 from pos_sync_exceptions e where e.store_id = ${store.storeId}
            and e.expires_at > ${now.toISOString()}::timestamptz) as exception
      ), hd as (
        select r.xid as head_xid, r.seq as head_seq from pos_sync_records r
        where r.network_id = ${store.networkId} and r.data_type = ${q.dataType}
          and r.xid < ${feedHorizon}
        order by r.xid desc, r.seq desc limit 1
      )
      select st.*, hd.head_xid, hd.head_seq, p.*
      from st left join hd on true
      left join lateral (${pageOf(store, q, sql`st.cursor_xid`, sql`st.cursor_seq`)}) p on true`,
  );
  const s = result[0];
  const headXid = num(s?.head_xid);
  return {
    hasControl: Boolean(s?.has_control),
    lastDownloadAt: s?.last_download_at ? new Date(s.last_download_at) : null,
    released: { xid: Number(s?.cursor_xid ?? 0), seq: Number(s?.cursor_seq ?? 0) },
    fullLoadRequested: Boolean(s?.full_load_requested),
    networkMinutes: num(s?.network_minutes),
    storeMinutes: num(s?.store_minutes),
    exception: Boolean(s?.exception),
    head: headXid === null ? null : { xid: headXid, seq: Number(s?.head_seq) },
    items: itemsOf(result),
  };
}

/**
 * The release advances to the feed's head: the newest position of a transaction older than every one still
 * running (a later commit can then never land behind it), never backwards. Records the download and serves the
 * first page of it, in one statement.
 */
export async function advanceAndRead(
  db: Db,
  store: PollingStore,
  q: PageQuery,
  now: Date,
): Promise<{ released: FeedPosition; items: FeedItem[] }> {
  const at = now.toISOString();
  const result = await rows<ItemRow & { rel_xid: string | number; rel_seq: string | number }>(
    db,
    sql`with hd as (
        select r.xid, r.seq from pos_sync_records r
        where r.network_id = ${store.networkId} and r.data_type = ${q.dataType}
          and r.xid < ${feedHorizon}
        order by r.xid desc, r.seq desc limit 1
      ), old as (
        select c.cursor_xid, c.cursor_seq from pos_sync_controls c
        where c.store_id = ${store.storeId} and c.data_type = ${q.dataType}
      ), cand as (
        select xid, seq from hd union all select cursor_xid, cursor_seq from old
        union all select 0::bigint, 0::bigint
      ), rel as (
        select xid as rel_xid, seq as rel_seq from cand order by xid desc, seq desc limit 1
      ), page as (
        ${pageOf(store, q, sql`(select rel_xid from rel)`, sql`(select rel_seq from rel)`)}
      ), served as (
        select count(*)::int as n from page
      ), up as (
        insert into pos_sync_controls as c (store_id, data_type, last_download_at, cursor_xid, cursor_seq,
          in_progress, full_load_requested, records, updated_at)
        select ${store.storeId}, ${q.dataType}, ${at}::timestamptz, rel.rel_xid, rel.rel_seq,
          served.n > ${q.limit}, false, least(served.n, ${q.limit}), ${at}::timestamptz
        from rel, served
        on conflict (store_id, data_type) do update set last_download_at = excluded.last_download_at,
          cursor_xid = excluded.cursor_xid, cursor_seq = excluded.cursor_seq, in_progress = excluded.in_progress,
          full_load_requested = false, records = excluded.records, updated_at = excluded.updated_at
        returning 1
      )
      select rel.rel_xid, rel.rel_seq, page.* from rel left join page on true
      order by page.xid, page.seq`,
  );
  const r = result[0];
  return {
    released: { xid: Number(r?.rel_xid ?? 0), seq: Number(r?.rel_seq ?? 0) },
    items: itemsOf(result),
  };
}

/** A page of an already released download was served: whether more follows, and how many were served. */
export async function recordPageServed(
  db: Db,
  storeId: string,
  dataType: string,
  served: number,
  more: boolean,
): Promise<void> {
  await db.execute(sql`update pos_sync_controls set in_progress = ${more}, records = records + ${served},
      updated_at = now()
    where store_id = ${storeId} and data_type = ${dataType}`);
}
