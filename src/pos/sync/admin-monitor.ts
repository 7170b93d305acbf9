/**
 * PDV monitoring (LoteControle): the stores the viewer sees with their terminals' last contact, each store's
 * downloads per data type with the next release, and "forçar carga completa".
 */
import * as audit from '../../audit/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { effectiveInterval, type IntervalFrom, isStale, nextAllowedAt, unknownType } from './admin.ts';
import * as store from './admin-store.ts';
import { type DataType, dataTypeOf, dataTypes } from './domain.ts';

type Viewer = network.Viewer;
type Store = network.NetworkNode;

// ---- monitoring ------------------------------------------------------------------------------------------

export interface TerminalView {
  terminal: string;
  lastContactAt: string;
  pendingUploads: number;
}

export interface ExceptionView {
  id: string;
  reason: string;
  expiresAt: string;
  createdAt: string;
  createdBy: string;
}

export interface StoreRef {
  id: string;
  code: string;
  name: string;
}

export interface StoreMonitorView {
  store: StoreRef;
  lastContactAt: string | null;
  terminals: TerminalView[];
  pendingUploads: number;
  refusedUploads: number;
  exception: ExceptionView | null;
  staleTypes: string[];
}

export const storeRef = (s: Store): StoreRef => ({ id: s.id, code: s.code, name: s.name });
const terminalView = (c: store.ContactRow): TerminalView => ({
  terminal: c.terminal,
  lastContactAt: c.lastContactAt.toISOString(),
  pendingUploads: c.pendingUploads,
});
export const exceptionView = (e: store.ExceptionRow): ExceptionView => ({
  id: e.id,
  reason: e.reason,
  expiresAt: e.expiresAt.toISOString(),
  createdAt: e.createdAt.toISOString(),
  createdBy: e.createdBy,
});

export const STORES_DEFAULT_LIMIT = 50;

/** The stores the viewer sees, by code, with their terminals' contact and what needs support's eye. */
export async function listStores(
  db: Db,
  viewer: Viewer,
  query: { q?: string; cursor?: string; limit?: number },
): Promise<Result<{ items: StoreMonitorView[]; nextCursor: string | null }>> {
  const cursor = decodeCursor(query.cursor);
  if (!cursor.ok) return cursor;
  const after = cursor.value?.[0];
  if (cursor.value && typeof after !== 'string')
    return fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
      errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
    });
  const limit = query.limit ?? STORES_DEFAULT_LIMIT;
  const text = query.q?.trim().toLocaleLowerCase('pt-BR');
  const all = (await network.storesWithin(db, viewer))
    .filter(
      (s) =>
        !text ||
        s.code.toLocaleLowerCase('pt-BR').includes(text) ||
        s.name.toLocaleLowerCase('pt-BR').includes(text),
    )
    .sort((a, b) => compareCodes(a.code, b.code));
  const from = typeof after === 'string' ? all.filter((s) => compareCodes(s.code, after) > 0) : all;
  const page = from.slice(0, limit);
  const items = await monitorViews(db, viewer.networkId, page);
  const last = page[page.length - 1];
  return ok({ items, nextCursor: from.length > limit && last ? encodeCursor([last.code]) : null });
}

/** Store codes are mostly numbers: 3 before 11. */
const compareCodes = (a: string, b: string) => a.localeCompare(b, 'pt-BR', { numeric: true });

async function monitorViews(db: Db, networkId: string, stores: Store[]): Promise<StoreMonitorView[]> {
  const ids = stores.map((s) => s.id);
  const now = new Date();
  const [intervalRows, controlRows, contactRows, exceptionRows, refused] = await Promise.all([
    store.intervals(db, networkId, ids),
    store.controls(db, ids),
    store.contacts(db, ids),
    store.activeExceptions(db, ids, now),
    store.openRejectionCounts(db, ids),
  ]);
  return stores.map((s) => {
    const terminals = contactRows.filter((c) => c.storeId === s.id);
    const exception = exceptionRows.find((e) => e.storeId === s.id);
    const last = terminals.reduce<Date | null>(
      (max, c) => (!max || c.lastContactAt > max ? c.lastContactAt : max),
      null,
    );
    const staleTypes = dataTypes
      .filter((type) => {
        const control = controlRows.find((c) => c.storeId === s.id && c.dataType === type.code);
        return isStale(control?.lastDownloadAt, effectiveInterval(type, intervalRows, s.id).minutes, now);
      })
      .map((t) => t.code);
    return {
      store: storeRef(s),
      lastContactAt: last?.toISOString() ?? null,
      terminals: terminals.map(terminalView),
      pendingUploads: terminals.reduce((n, c) => n + c.pendingUploads, 0),
      refusedUploads: refused.get(s.id) ?? 0,
      exception: exception ? exceptionView(exception) : null,
      staleTypes,
    };
  });
}

export interface DownloadView {
  dataType: string;
  seedName: string | null;
  source: DataType['source'];
  minutes: number;
  from: IntervalFrom;
  lastDownloadAt: string | null;
  nextAllowedAt: string | null;
  due: boolean;
  stale: boolean;
  inProgress: boolean;
  fullLoadRequested: boolean;
  records: number;
}

export interface RejectionView {
  id: string;
  storeCode: string;
  storeName: string;
  terminal: string | null;
  sequence: number | null;
  kind: string;
  posId: string | null;
  code: string;
  message: string;
  details: unknown;
  receivedAt: string;
  resolvedAt: string | null;
  attempts: number;
}

export interface StoreDetailView extends StoreMonitorView {
  downloads: DownloadView[];
  /** The store's most recent refused uploads still open. */
  rejections: RejectionView[];
}

const RECENT_REJECTIONS = 20;

export async function storeDetail(db: Db, viewer: Viewer, code: string): Promise<Result<StoreDetailView>> {
  const found = await network.findStore(db, viewer, code);
  if (!found.ok) return found;
  const s = found.value;
  const [view] = await monitorViews(db, viewer.networkId, [s]);
  const now = new Date();
  const [intervalRows, controlRows, recent] = await Promise.all([
    store.intervals(db, viewer.networkId, [s.id]),
    store.controls(db, [s.id]),
    store.rejections(db, { storeIds: [s.id], state: 'open', limit: RECENT_REJECTIONS }),
  ]);
  const downloads = dataTypes.map((type): DownloadView => {
    const control = controlRows.find((c) => c.dataType === type.code);
    const effective = effectiveInterval(type, intervalRows, s.id);
    const next = nextAllowedAt(control, effective.minutes, Boolean(view!.exception));
    return {
      dataType: type.code,
      seedName: type.seedName,
      source: type.source,
      ...effective,
      lastDownloadAt: control?.lastDownloadAt?.toISOString() ?? null,
      nextAllowedAt: next?.toISOString() ?? null,
      due: !next || next <= now,
      stale: isStale(control?.lastDownloadAt, effective.minutes, now),
      inProgress: control?.inProgress ?? false,
      fullLoadRequested: control?.fullLoadRequested ?? false,
      records: control?.records ?? 0,
    };
  });
  return ok({ ...view!, downloads, rejections: recent.map((r) => rejectionView(r, s)) });
}

/** "Forçar carga completa": the store's next poll of each type (or one) starts from the beginning. */
export async function requestFullLoad(
  db: Db,
  editor: Principal,
  code: string,
  dataType?: string,
): Promise<Result<{ storeCode: string; dataTypes: string[] }>> {
  const type = dataType === undefined ? undefined : dataTypeOf(dataType);
  if (dataType !== undefined && !type) return unknownType(dataType);
  const found = await network.findStore(db, editor, code);
  if (!found.ok) return found;
  const s = found.value;
  const codes = type ? [type.code] : dataTypes.map((t) => t.code);
  return transaction(db, async (tx) => {
    await store.requestFullLoad(tx, s.id, codes);
    await audit.record(tx, editor, audit.scopeOf(s), {
      action: 'pos_sync_control.full_load_requested',
      target: { type: 'pos_sync_control', id: type ? `${s.code}/${type.code}` : s.code, label: s.name },
      before: null,
      after: { dataTypes: type ? [type.code] : 'all' },
    });
    return ok({ storeCode: s.code, dataTypes: codes });
  });
}

export const rejectionView = (r: store.RejectionRow, s: { code: string; name: string }): RejectionView => ({
  id: r.id,
  storeCode: s.code,
  storeName: s.name,
  terminal: r.terminal,
  sequence: r.sequence === null ? null : Number(r.sequence),
  kind: r.kind,
  posId: r.posId,
  code: r.code,
  message: r.message,
  details: r.details,
  receivedAt: r.receivedAt.toISOString(),
  resolvedAt: r.resolvedAt?.toISOString() ?? null,
  attempts: r.attempts,
});
