/**
 * The download side of the POS sync (seed 000 §2 Taskmanager, seen from the POS): each type is polled when
 * the server said it will release more (`nextAllowedAt`) and at least every minute (a full load asked by
 * support, an exception for the store), pages are followed while `hasMore`, and each page is applied with
 * its cursor in one IndexedDB transaction, so an interrupted download resumes where it stopped.
 */
import { ApiError } from '../../api.ts';
import { posRequest } from '../pos-api.ts';
import {
  type OfflineDb,
  type OfflineType,
  offlineTypes,
  type RecordScope,
  type SyncMeta,
  terminalId,
} from './db.ts';

/** The most the loop waits between two polls of a type, whatever `nextAllowedAt` says. */
export const MAX_POLL_MS = 60_000;
/** Records asked per page (the server's default; its maximum is 2000). */
export const PAGE_LIMIT = 500;
/** The wait before trying again after a failed connection or a server error. */
export const RETRY_MS = 15_000;
/** Pages followed in one run at most: a runaway `hasMore` must not keep the loop busy forever. */
const MAX_PAGES = 200;

/** One page of `GET /api/v1/pos/sync/{dataType}` as api.md agrees it. */
export interface SyncPage {
  dataType: string;
  full: boolean;
  items: {
    key: string;
    scope: RecordScope;
    deleted: boolean;
    data: Record<string, unknown> | null;
    changedAt: string;
  }[];
  nextCursor: string;
  hasMore: boolean;
  nextAllowedAt: string | null;
}

export interface SyncOutcome {
  dataType: OfflineType;
  pages: number;
  applied: number;
  full: boolean;
  /** When the loop should poll this type again. */
  nextPollAt: number;
  /** The server does not know the type (404): the loop leaves it alone for a long while. */
  unknown?: boolean;
}

export interface SyncOptions {
  now?: () => number;
  /** What the terminal holds queued (X-Pos-Pending-Uploads). */
  pendingUploads?: () => Promise<number>;
  signal?: AbortSignal;
}

export function emptyMeta(dataType: OfflineType): SyncMeta {
  return { dataType, cursor: null, nextAllowedAt: null, lastSyncAt: null, lastFullAt: null, records: 0 };
}

/**
 * Applies one page in one transaction with the new position: a full load's first page clears the copy,
 * a tombstone deletes the record of its scope, anything else replaces it.
 */
export async function applyPage(
  db: OfflineDb,
  type: OfflineType,
  page: SyncPage,
  opts: { clear: boolean; at: string },
): Promise<SyncMeta> {
  const tx = db.transaction([type, 'meta'], 'readwrite');
  const records = tx.objectStore(type);
  const metaStore = tx.objectStore('meta');
  const before = (await metaStore.get(type)) ?? emptyMeta(type);
  if (opts.clear) await records.clear();
  for (const item of page.items) {
    if (item.deleted || item.data === null) await records.delete([item.key, item.scope]);
    else await records.put({ key: item.key, scope: item.scope, data: item.data, changedAt: item.changedAt });
  }
  const meta: SyncMeta = {
    ...before,
    cursor: page.nextCursor,
    nextAllowedAt: page.nextAllowedAt,
    lastSyncAt: opts.at,
    lastFullAt: opts.clear ? opts.at : before.lastFullAt,
    records: await records.count(),
  };
  await metaStore.put(meta);
  await tx.done;
  return meta;
}

/** When the loop should come back to a type, given what the server last said. */
export function nextPollOf(meta: SyncMeta | undefined, now: number): number {
  const cap = now + MAX_POLL_MS;
  if (!meta?.nextAllowedAt) return cap;
  const allowed = Date.parse(meta.nextAllowedAt);
  return Number.isNaN(allowed) ? cap : Math.max(now, Math.min(allowed, cap));
}

function pathOf(type: OfflineType, since: string | null): string {
  const query = new URLSearchParams({ limit: String(PAGE_LIMIT) });
  if (since) query.set('since', since);
  return `/api/v1/pos/sync/${type}?${query}`;
}

/**
 * Downloads what the server releases of one type now, following `hasMore`. A cursor the server no longer
 * accepts (422 POS.BAD_CURSOR: a restored database, another server) starts a full load. Connection
 * failures throw (ApiError status 0) for the loop to retry; the pages already applied stay.
 */
export async function syncType(
  db: OfflineDb,
  type: OfflineType,
  opts: SyncOptions = {},
): Promise<SyncOutcome> {
  const now = opts.now ?? Date.now;
  let meta = (await db.get('meta', type)) ?? emptyMeta(type);
  let since = meta.cursor;
  let pages = 0;
  let applied = 0;
  let full = false;
  let badCursorRetried = false;
  while (pages < MAX_PAGES) {
    const headers = {
      'x-pos-terminal': terminalId(),
      'x-pos-pending-uploads': String((await opts.pendingUploads?.()) ?? 0),
    };
    let page: SyncPage;
    try {
      const res = await posRequest('GET', pathOf(type, since), { headers, signal: opts.signal });
      page = (await res.json()) as SyncPage;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'POS.BAD_CURSOR' && !badCursorRetried) {
        badCursorRetried = true;
        since = null;
        continue;
      }
      if (error instanceof ApiError && error.status === 404 && error.code === 'POS.UNKNOWN_DATA_TYPE')
        return { dataType: type, pages, applied, full, nextPollAt: now() + 60 * MAX_POLL_MS, unknown: true };
      throw error;
    }
    // Only the first page of a run may start a full load: later pages continue the one already begun.
    const clear = page.full && pages === 0;
    full ||= page.full;
    meta = await applyPage(db, type, page, { clear, at: new Date(now()).toISOString() });
    pages += 1;
    applied += page.items.length;
    since = page.nextCursor;
    if (!page.hasMore) break;
  }
  return { dataType: type, pages, applied, full, nextPollAt: nextPollOf(meta, now()) };
}

export interface SyncLoop {
  stop(): void;
  /** Polls every type now (the "Sincronizar" tap, the connection coming back). */
  kick(): void;
}

/**
 * Runs while the POS shell is mounted: each type on its own schedule, one type at a time (a POS on a shop's
 * line should not open ten downloads at once). A failed connection retries the type within a minute.
 */
export function startSyncLoop(
  db: OfflineDb,
  opts: SyncOptions & { onSynced?: (outcome: SyncOutcome) => void; tickMs?: number } = {},
): SyncLoop {
  const now = opts.now ?? Date.now;
  const due = new Map<OfflineType, number>();
  const abort = new AbortController();
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!abort.signal.aborted) timer = setTimeout(() => void tick(), ms);
  };

  const tick = async () => {
    if (running || abort.signal.aborted) return;
    running = true;
    try {
      // At start-up a type never loaded is due at once; the stored nextAllowedAt decides the others.
      for (const type of offlineTypes) {
        if (due.has(type)) continue;
        const meta = await db.get('meta', type);
        due.set(type, meta?.cursor ? nextPollOf(meta, now()) : now());
      }
      for (const type of offlineTypes) {
        if (abort.signal.aborted) break;
        if ((due.get(type) ?? 0) > now()) continue;
        try {
          const outcome = await syncType(db, type, { ...opts, signal: abort.signal });
          due.set(type, outcome.nextPollAt);
          opts.onSynced?.(outcome);
        } catch (error) {
          if ((error as Error).name === 'AbortError') break;
          due.set(type, now() + RETRY_MS);
          // No server: the other types would fail the same way; they wait with this one.
          if (error instanceof ApiError && error.status === 0) {
            for (const other of offlineTypes)
              if ((due.get(other) ?? 0) <= now()) due.set(other, now() + RETRY_MS);
            break;
          }
        }
      }
    } finally {
      running = false;
    }
    const next = Math.min(...offlineTypes.map((type) => due.get(type) ?? now()));
    schedule(Math.max(opts.tickMs ?? 1000, next - now()));
  };

  schedule(0);
  return {
    stop() {
      abort.abort();
      clearTimeout(timer);
    },
    kick() {
      for (const type of offlineTypes) due.set(type, 0);
      schedule(0);
    },
  };
}
