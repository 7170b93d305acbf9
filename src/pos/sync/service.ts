import * as audit from '../../audit/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import {
  comparePositions,
  DEFAULT_PAGE,
  dataTypeOf,
  decodeCursor,
  effectiveMinutes,
  encodeCursor,
  FEED_START,
  type FeedPosition,
  isDue,
  MAX_PAGE,
  nextAllowedAt,
} from './domain.ts';
import * as records from './records-store.ts';
import * as store from './store.ts';

export { ContactBuffer } from './contacts.ts';
export type { PollingStore } from './store.ts';

export interface PollInput {
  readonly dataType: string;
  readonly since?: string;
  readonly full?: boolean;
  readonly limit?: number;
}

export interface PollItem {
  key: string;
  scope: 'network' | 'central' | 'store';
  deleted: boolean;
  data: Record<string, unknown> | null;
  changedAt: string;
}

export interface PollAnswer {
  dataType: string;
  full: boolean;
  items: PollItem[];
  nextCursor: string;
  hasMore: boolean;
  nextAllowedAt: string | null;
  /** Seconds until the next release, when the page is empty because the type is not due (Retry-After). */
  retryAfter: number | null;
}

const badCursor = () =>
  fail('invalid', 'POS.BAD_CURSOR', 'The cursor was not issued by this server or is ahead of the feed.', {
    errors: [{ path: '/since', code: 'POS.BAD_CURSOR', message: 'is not a cursor of this feed' }],
  });

/**
 * GET /pos/sync/{dataType}: the Taskmanager's download for one store and type. Each statement is atomic on
 * its own and the poll is the POS's hot path, so it runs without a surrounding transaction: the common
 * (not due) path is one statement, and a second one only advances the release or records a served page.
 */
export async function poll(
  db: Db,
  polling: store.PollingStore,
  input: PollInput,
  now: Date,
): Promise<Result<PollAnswer>> {
  const type = dataTypeOf(input.dataType);
  if (!type)
    return fail('not_found', 'POS.UNKNOWN_DATA_TYPE', `The POS has no data type ${input.dataType}.`, {
      data: { dataType: input.dataType },
    });
  const limit = input.limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    return fail('invalid', 'POS.BAD_LIMIT', `limit must be between 1 and ${MAX_PAGE}.`, {
      errors: [{ path: '/limit', code: 'POS.BAD_LIMIT', params: { max: MAX_PAGE }, message: 'out of range' }],
    });
  let since: FeedPosition | undefined;
  if (input.since !== undefined && input.since !== '') {
    since = decodeCursor(input.since);
    if (!since) return badCursor();
  }
  let full = !since || input.full === true;
  const query = (f: boolean): store.PageQuery => ({
    dataType: type.code,
    since: f ? FEED_START : (since ?? FEED_START),
    omitDeleted: f,
    limit,
  });
  const state = await store.readPoll(db, polling, query(full), now);
  if (since && !full) {
    const known = state.hasControl ? state.released : (state.head ?? FEED_START);
    if (comparePositions(since, known) > 0) return badCursor();
  }
  // Support's "forçar carga completa": the next poll starts from the beginning whatever the POS asked.
  if (state.fullLoadRequested) full = true;
  const { minutes } = effectiveMinutes(type, state.networkMinutes, state.storeMinutes);
  const due = isDue({
    lastDownloadAt: state.lastDownloadAt,
    minutes,
    exception: state.exception,
    fullLoadRequested: state.fullLoadRequested,
    now,
  });
  let released = state.released;
  let items = state.items;
  let lastDownloadAt = state.lastDownloadAt;
  // A store in the exception list is due at every poll: when nothing was written since its release, the one
  // read above is the whole poll (a poll that finds nothing new costs one statement). Any other store records
  // its download once per interval (LoteControle), found something or not, and is not due in between.
  const nothingNew =
    due &&
    state.exception &&
    state.hasControl &&
    !state.fullLoadRequested &&
    (state.head === null || comparePositions(state.head, state.released) <= 0);
  if (nothingNew) {
    if (items.length > 0)
      await store.recordPageServed(
        db,
        polling.storeId,
        type.code,
        Math.min(items.length, limit),
        items.length > limit,
      );
    lastDownloadAt = now;
  } else if (due) {
    const advanced = await store.advanceAndRead(db, polling, query(full), now);
    released = advanced.released;
    items = advanced.items;
    lastDownloadAt = now;
  } else if (items.length > 0) {
    await store.recordPageServed(
      db,
      polling.storeId,
      type.code,
      Math.min(items.length, limit),
      items.length > limit,
    );
  }
  const hasMore = items.length > limit;
  const page = items.slice(0, limit);
  const last = page[page.length - 1];
  const next = nextAllowedAt({ lastDownloadAt, minutes, exception: state.exception });
  const waiting = !due && page.length === 0 && next !== null;
  return ok({
    dataType: type.code,
    full,
    items: page.map((i) => ({
      key: i.key,
      scope: scopeName(polling, i.scopeNodeId),
      deleted: i.deleted,
      data: i.data,
      changedAt: i.changedAt,
    })),
    nextCursor: encodeCursor(hasMore && last ? last.position : released),
    hasMore,
    nextAllowedAt: next ? next.toISOString() : null,
    retryAfter: waiting ? Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 1000)) : null,
  });
}

function scopeName(polling: store.PollingStore, scopeNodeId: string): PollItem['scope'] {
  if (scopeNodeId === polling.storeId) return 'store';
  if (scopeNodeId === polling.networkId) return 'network';
  return 'central';
}

export interface RecordInput {
  readonly storeCode?: string;
  readonly data: Record<string, unknown>;
}

const RECORD_KEY = /^[A-Za-z0-9._:/-]{1,120}$/;

/** Where a central-fed record goes: a store the writer sees, else the writer's own level (network or central). */
async function recordTarget(
  db: Db,
  writer: Principal,
  dataType: string,
  key: string,
  storeCode: string | undefined,
): Promise<Result<{ scope: { id: string; code: string; path: string; networkId: string } }>> {
  const type = dataTypeOf(dataType);
  if (!type)
    return fail('not_found', 'POS.UNKNOWN_DATA_TYPE', `The POS has no data type ${dataType}.`, {
      data: { dataType },
    });
  if (type.source === 'hub')
    return fail(
      'conflict',
      'POS.SYNC_TYPE_OWNED_BY_HUB',
      `${dataType} is Omnihub's own data: it reaches the POS by itself when it changes here.`,
      { data: { dataType } },
    );
  if (!RECORD_KEY.test(key))
    return fail('invalid', 'POS.SYNC_BAD_KEY', 'The record key is not valid.', {
      errors: [{ path: '/key', code: 'POS.SYNC_BAD_KEY', message: 'must be 1–120 letters, digits or ._:/-' }],
    });
  if (storeCode !== undefined) {
    const node = await network.getNode(db, writer, storeCode);
    if (!node.ok || node.value.kind !== 'store')
      return fail('not_found', 'POS.STORE_NOT_FOUND', `There is no store ${storeCode} you see.`, {
        errors: [{ path: '/storeCode', code: 'POS.STORE_NOT_FOUND', message: 'no such store' }],
      });
    return ok({ scope: node.value });
  }
  const own = await network.getNodeById(db, writer.nodeId);
  if (!own || own.kind === 'store')
    return fail('invalid', 'POS.SYNC_SCOPE_REQUIRED', 'Say which store the record is for (storeCode).', {
      errors: [{ path: '/storeCode', code: 'POS.SYNC_SCOPE_REQUIRED', message: 'is required' }],
    });
  return ok({ scope: own });
}

const MAX_RECORD_BYTES = 64 * 1024;

/** PUT /pos-sync/records/{dataType}/{key}: the central's systems feed a type they own (ERP, tax engine). */
export async function putRecord(
  db: Db,
  writer: Principal,
  dataType: string,
  key: string,
  input: RecordInput,
): Promise<Result<{ dataType: string; key: string; storeCode: string | null; created: boolean }>> {
  if (JSON.stringify(input.data).length > MAX_RECORD_BYTES)
    return fail('invalid', 'POS.SYNC_RECORD_TOO_LARGE', 'The record is larger than 64 KB.', {
      errors: [{ path: '/data', code: 'POS.SYNC_RECORD_TOO_LARGE', message: 'is larger than 64 KB' }],
    });
  const target = await recordTarget(db, writer, dataType, key, input.storeCode);
  if (!target.ok) return target;
  const scope = target.value.scope;
  return transaction(db, async (tx) => {
    const before = await records.current(tx, dataType, scope.id, key);
    await records.put(tx, scope.networkId, dataType, scope.id, key, input.data);
    if (JSON.stringify(before) !== JSON.stringify(input.data))
      await audit.record(tx, writer, audit.scopeOf(scope), {
        action: before ? 'pos_sync_record.updated' : 'pos_sync_record.created',
        target: { type: 'pos_sync_record', id: `${dataType}/${key}`, label: `${dataType} ${key}` },
        before: before ? { data: before } : null,
        after: { data: input.data },
      });
    return ok({ dataType, key, storeCode: input.storeCode ?? null, created: !before });
  });
}

/** DELETE /pos-sync/records/{dataType}/{key}: the record becomes a tombstone every POS applies. */
export async function deleteRecord(
  db: Db,
  writer: Principal,
  dataType: string,
  key: string,
  storeCode: string | undefined,
): Promise<Result<{ dataType: string; key: string }>> {
  const target = await recordTarget(db, writer, dataType, key, storeCode);
  if (!target.ok) return target;
  const scope = target.value.scope;
  return transaction(db, async (tx) => {
    const before = await records.current(tx, dataType, scope.id, key);
    if (!before)
      return fail('not_found', 'POS.SYNC_RECORD_NOT_FOUND', `There is no ${dataType} record ${key} there.`);
    await records.put(tx, scope.networkId, dataType, scope.id, key, null);
    await audit.record(tx, writer, audit.scopeOf(scope), {
      action: 'pos_sync_record.deleted',
      target: { type: 'pos_sync_record', id: `${dataType}/${key}`, label: `${dataType} ${key}` },
      before: { data: before },
      after: null,
    });
    return ok({ dataType, key });
  });
}

export { seedDemoSyncData } from './demo.ts';
