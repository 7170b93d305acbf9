/**
 * The sync administration (seed 000 §2 Taskmanager, the PDV monitoring screen): the intervals per data type
 * (LoteAgendamento) for the network and per store, each store's downloads (LoteControle) and terminals,
 * full-load requests, the exceptions (LoteExcecao) and the refused uploads. One transaction per use case.
 */
import * as audit from '../../audit/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import * as store from './admin-store.ts';
import { type DataType, dataTypeOf, dataTypes, MAX_INTERVAL_MINUTES } from './domain.ts';

type Viewer = network.Viewer;
type Store = network.NetworkNode;

/** An exception lasts at most this long: support sets it for an install or an incident, not for good. */
export const MAX_EXCEPTION_DAYS = 30;
/** A type is stale once it missed two intervals, and never before this many minutes (interval 0: always due). */
const STALE_FLOOR_MINUTES = 10;
const MINUTE = 60_000;

export type IntervalFrom = 'default' | 'network' | 'store';

export interface Effective {
  minutes: number;
  from: IntervalFrom;
}

/** The interval in force: the store's own, else the network's, else the domain's default. */
export function effectiveInterval(
  type: DataType,
  rows: readonly { storeId: string | null; dataType: string; minutes: number }[],
  storeId: string | null,
): Effective {
  const own = storeId ? rows.find((r) => r.dataType === type.code && r.storeId === storeId) : undefined;
  if (own) return { minutes: own.minutes, from: 'store' };
  const net = rows.find((r) => r.dataType === type.code && r.storeId === null);
  if (net) return { minutes: net.minutes, from: 'network' };
  return { minutes: type.minutes, from: 'default' };
}

/** When the store may advance its release of a type again (null: whenever it polls). */
export function nextAllowedAt(
  control: { lastDownloadAt: Date | null; fullLoadRequested: boolean } | undefined,
  minutes: number,
  exception: boolean,
): Date | null {
  if (exception || !control?.lastDownloadAt || control.fullLoadRequested) return null;
  return new Date(control.lastDownloadAt.getTime() + minutes * MINUTE);
}

/** Never downloaded, or nothing downloaded for twice its interval: the POS is likely not polling it. */
export function isStale(lastDownloadAt: Date | null | undefined, minutes: number, now: Date): boolean {
  if (!lastDownloadAt) return true;
  return now.getTime() - lastDownloadAt.getTime() > Math.max(2 * minutes, STALE_FLOOR_MINUTES) * MINUTE;
}

const unknownType = (code: string) =>
  fail('not_found', 'POS.UNKNOWN_DATA_TYPE', `There is no POS data type ${code}.`, {
    data: { dataType: code },
  });

const who = (p: Principal) => `${p.kind}:${p.id}`;

async function scopeOfNode(tx: Db, id: string) {
  const node = await network.getNodeById(tx, id);
  if (!node) throw new Error(`node ${id} is gone`);
  return audit.scopeOf(node);
}

// ---- intervals -------------------------------------------------------------------------------------------

export interface DataTypeView {
  dataType: string;
  seedName: string | null;
  seedMinutes: number | null;
  defaultMinutes: number;
  minutes: number;
  from: IntervalFrom;
  source: DataType['source'];
}

/** Every data type with its interval in force for the network, or for one store the viewer sees. */
export async function listDataTypes(
  db: Db,
  viewer: Viewer,
  storeCode?: string,
): Promise<Result<{ items: DataTypeView[] }>> {
  let storeId: string | null = null;
  if (storeCode) {
    const found = await network.findStore(db, viewer, storeCode);
    if (!found.ok) return found;
    storeId = found.value.id;
  }
  const rows = await store.intervals(db, viewer.networkId, storeId ? [storeId] : []);
  return ok({
    items: dataTypes.map((type) => ({
      dataType: type.code,
      seedName: type.seedName,
      seedMinutes: type.seedMinutes,
      defaultMinutes: type.minutes,
      ...effectiveInterval(type, rows, storeId),
      source: type.source,
    })),
  });
}

/** The store an interval change targets (null: the network), or why the editor may not change it. */
async function intervalTarget(db: Db, editor: Principal, storeCode?: string): Promise<Result<Store | null>> {
  if (storeCode) return network.findStore(db, editor, storeCode);
  // The network's interval reaches every central's stores: only the network's own admins set it.
  if (editor.nodeId !== editor.networkId)
    return fail(
      'forbidden',
      'POS.SYNC_NETWORK_INTERVAL_FORBIDDEN',
      'Only the network’s administrators change the network’s interval; send storeCode for one of your stores.',
    );
  return ok(null);
}

export async function setInterval(
  db: Db,
  editor: Principal,
  dataType: string,
  input: { minutes: number; storeCode?: string },
): Promise<Result<DataTypeView>> {
  const type = dataTypeOf(dataType);
  if (!type) return unknownType(dataType);
  if (!Number.isInteger(input.minutes) || input.minutes < 0 || input.minutes > MAX_INTERVAL_MINUTES)
    return fail('invalid', 'POS.SYNC_INTERVAL_INVALID', 'The interval is not valid.', {
      errors: [
        {
          path: '/minutes',
          code: 'POS.SYNC_INTERVAL_OUT_OF_RANGE',
          params: { minimum: 0, maximum: MAX_INTERVAL_MINUTES },
          message: `must be a whole number of minutes from 0 to ${MAX_INTERVAL_MINUTES}`,
        },
      ],
    });
  const target = await intervalTarget(db, editor, input.storeCode);
  if (!target.ok) return target;
  const storeId = target.value?.id ?? null;
  return transaction(db, async (tx) => {
    const before = await store.findInterval(tx, editor.networkId, storeId, type.code);
    await store.upsertInterval(tx, {
      networkId: editor.networkId,
      storeId,
      dataType: type.code,
      minutes: input.minutes,
      updatedBy: who(editor),
    });
    if (before?.minutes !== input.minutes)
      await audit.record(tx, editor, await scopeOfNode(tx, storeId ?? editor.networkId), {
        action: 'pos_sync_interval.updated',
        target: intervalTarget2(type, target.value),
        before: before ? { minutes: before.minutes } : null,
        after: { minutes: input.minutes },
      });
    return intervalView(tx, editor.networkId, type, storeId);
  });
}

/** Removes the store's own interval (back to the network's) or the network's (back to the default). */
export async function clearInterval(
  db: Db,
  editor: Principal,
  dataType: string,
  storeCode?: string,
): Promise<Result<DataTypeView>> {
  const type = dataTypeOf(dataType);
  if (!type) return unknownType(dataType);
  const target = await intervalTarget(db, editor, storeCode);
  if (!target.ok) return target;
  const storeId = target.value?.id ?? null;
  return transaction(db, async (tx) => {
    const before = await store.findInterval(tx, editor.networkId, storeId, type.code);
    if (before) {
      await store.deleteInterval(tx, before.id);
      await audit.record(tx, editor, await scopeOfNode(tx, storeId ?? editor.networkId), {
        action: 'pos_sync_interval.removed',
        target: intervalTarget2(type, target.value),
        before: { minutes: before.minutes },
        after: null,
      });
    }
    return intervalView(tx, editor.networkId, type, storeId);
  });
}

function intervalTarget2(type: DataType, storeNode: Store | null) {
  return {
    type: 'pos_sync_interval',
    id: storeNode ? `${storeNode.code}/${type.code}` : type.code,
    label: storeNode ? `${type.code} (loja ${storeNode.code})` : type.code,
  };
}

async function intervalView(
  tx: Db,
  networkId: string,
  type: DataType,
  storeId: string | null,
): Promise<Result<DataTypeView>> {
  const rows = await store.intervals(tx, networkId, storeId ? [storeId] : []);
  return ok({
    dataType: type.code,
    seedName: type.seedName,
    seedMinutes: type.seedMinutes,
    defaultMinutes: type.minutes,
    ...effectiveInterval(type, rows, storeId),
    source: type.source,
  });
}

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

const storeRef = (s: Store): StoreRef => ({ id: s.id, code: s.code, name: s.name });
const terminalView = (c: store.ContactRow): TerminalView => ({
  terminal: c.terminal,
  lastContactAt: c.lastContactAt.toISOString(),
  pendingUploads: c.pendingUploads,
});
const exceptionView = (e: store.ExceptionRow): ExceptionView => ({
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

// ---- exceptions ------------------------------------------------------------------------------------------

export interface StoreExceptionView extends ExceptionView {
  store: StoreRef;
}

/** The unexpired exceptions of the stores the viewer sees, soonest to expire first. */
export async function listExceptions(db: Db, viewer: Viewer): Promise<{ items: StoreExceptionView[] }> {
  const stores = await network.storesWithin(db, viewer);
  const byId = new Map(stores.map((s) => [s.id, s]));
  const found = await store.activeExceptions(db, [...byId.keys()], new Date());
  return { items: found.map((e) => ({ ...exceptionView(e), store: storeRef(byId.get(e.storeId)!) })) };
}

export async function addException(
  db: Db,
  editor: Principal,
  input: { storeCode: string; reason: string; expiresAt: string },
): Promise<Result<StoreExceptionView>> {
  const now = new Date();
  const reason = input.reason.trim();
  const expiresAt = new Date(input.expiresAt);
  const errors: FieldError[] = [];
  if (reason.length < 5 || reason.length > 255)
    errors.push({
      path: '/reason',
      code: 'POS.SYNC_EXCEPTION_REASON_LENGTH',
      params: { minLength: 5, maxLength: 255 },
      message: 'must say why in 5 to 255 characters',
    });
  if (Number.isNaN(expiresAt.getTime()))
    errors.push({
      path: '/expiresAt',
      code: 'POS.SYNC_EXCEPTION_EXPIRY_INVALID',
      message: 'is not a date-time',
    });
  else if (expiresAt <= now)
    errors.push({
      path: '/expiresAt',
      code: 'POS.SYNC_EXCEPTION_EXPIRY_PAST',
      message: 'must be in the future',
    });
  else if (expiresAt.getTime() > now.getTime() + MAX_EXCEPTION_DAYS * 24 * 60 * MINUTE)
    errors.push({
      path: '/expiresAt',
      code: 'POS.SYNC_EXCEPTION_EXPIRY_TOO_FAR',
      params: { maxDays: MAX_EXCEPTION_DAYS },
      message: `must be at most ${MAX_EXCEPTION_DAYS} days ahead`,
    });
  if (errors.length)
    return fail('invalid', 'POS.SYNC_EXCEPTION_INVALID', 'The exception is not valid.', { errors });
  const found = await network.findStore(db, editor, input.storeCode);
  if (!found.ok) return found;
  const s = found.value;
  return transaction(db, async (tx) => {
    const saved = await store.insertException(
      tx,
      { storeId: s.id, reason, expiresAt, createdBy: editor.name },
      now,
    );
    if (!saved) {
      const [active] = await store.activeExceptions(tx, [s.id], now);
      return fail(
        'conflict',
        'POS.SYNC_EXCEPTION_EXISTS',
        `Store ${s.code} already has an exception until ${active?.expiresAt.toISOString() ?? 'later'}; remove it first.`,
        { data: { exceptionId: active?.id ?? null } },
      );
    }
    await audit.record(tx, editor, audit.scopeOf(s), {
      action: 'pos_sync_exception.created',
      target: { type: 'pos_sync_exception', id: saved.id, label: `${s.code} ${s.name}` },
      before: null,
      after: { reason, expiresAt: expiresAt.toISOString() },
    });
    return ok({ ...exceptionView(saved), store: storeRef(s) });
  });
}

export async function removeException(
  db: Db,
  editor: Principal,
  id: string,
): Promise<Result<{ id: string }>> {
  const notFound = fail(
    'not_found',
    'POS.SYNC_EXCEPTION_NOT_FOUND',
    `There is no exception ${id} visible to you.`,
  );
  return transaction(db, async (tx) => {
    const found = await store.findException(tx, id);
    const node = found && (await network.getNodeById(tx, found.storeId));
    if (!found || !node || !network.isWithin(node.path, editor.nodePath)) return notFound;
    await store.deleteException(tx, id);
    await audit.record(tx, editor, audit.scopeOf(node), {
      action: 'pos_sync_exception.removed',
      target: { type: 'pos_sync_exception', id, label: `${node.code} ${node.name}` },
      before: { reason: found.reason, expiresAt: found.expiresAt.toISOString() },
      after: null,
    });
    return ok({ id });
  });
}

// ---- refused uploads -------------------------------------------------------------------------------------

const rejectionView = (r: store.RejectionRow, s: { code: string; name: string }): RejectionView => ({
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

export const REJECTIONS_DEFAULT_LIMIT = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listRejections(
  db: Db,
  viewer: Viewer,
  query: { storeCode?: string; state?: 'open' | 'resolved' | 'all'; cursor?: string; limit?: number },
): Promise<Result<{ items: RejectionView[]; nextCursor: string | null }>> {
  const cursor = decodeCursor(query.cursor);
  if (!cursor.ok) return cursor;
  const [key, id] = cursor.value ?? [];
  if (
    cursor.value &&
    (typeof key !== 'string' || !/^-?\d{1,19}$/.test(key) || typeof id !== 'string' || !UUID.test(id))
  )
    return fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
      errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
    });
  let stores: Store[];
  if (query.storeCode) {
    const found = await network.findStore(db, viewer, query.storeCode);
    if (!found.ok) return found;
    stores = [found.value];
  } else stores = await network.storesWithin(db, viewer);
  const byId = new Map(stores.map((s) => [s.id, s]));
  const limit = query.limit ?? REJECTIONS_DEFAULT_LIMIT;
  const found = await store.rejections(db, {
    storeIds: [...byId.keys()],
    state: query.state ?? 'open',
    after: cursor.value ? { key: key as string, id: id as string } : undefined,
    limit: limit + 1,
  });
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return ok({
    items: page.map((r) => rejectionView(r, byId.get(r.storeId)!)),
    nextCursor: found.length > limit && last ? encodeCursor([last.key, last.id]) : null,
  });
}

/** Support closes a refused upload (the POS sent a corrected one, or the case is settled). */
export async function resolveRejection(
  db: Db,
  editor: Principal,
  id: string,
): Promise<Result<RejectionView>> {
  return transaction(db, async (tx) => {
    const found = UUID.test(id) ? await store.findRejection(tx, id) : undefined;
    const node = found && (await network.getNodeById(tx, found.storeId));
    if (!found || !node || !network.isWithin(node.path, editor.nodePath))
      return fail('not_found', 'POS.REJECTION_NOT_FOUND', `There is no refused upload ${id} visible to you.`);
    if (found.resolvedAt)
      return fail(
        'conflict',
        'POS.REJECTION_ALREADY_RESOLVED',
        `The refused upload was already marked resolved at ${found.resolvedAt.toISOString()}.`,
        { data: { resolvedAt: found.resolvedAt.toISOString() } },
      );
    const resolved = await store.resolveRejection(tx, id, new Date());
    await audit.record(tx, editor, audit.scopeOf(node), {
      action: 'pos_upload_rejection.resolved',
      target: { type: 'pos_upload_rejection', id, label: `${node.code} ${found.kind} ${found.code}` },
      before: { resolvedAt: null },
      after: { resolvedAt: resolved.resolvedAt?.toISOString() ?? null },
    });
    return ok(rejectionView(resolved, node));
  });
}
