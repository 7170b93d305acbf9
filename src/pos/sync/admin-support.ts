/**
 * Support's tools on the PDV screen: the exceptions (LoteExcecao) that let a store bypass the intervals, and
 * the refused uploads with their reasons, marked resolved once handled.
 */
import * as audit from '../../audit/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { MINUTE } from './admin.ts';
import {
  type ExceptionView,
  exceptionView,
  type RejectionView,
  rejectionView,
  type StoreRef,
  storeRef,
} from './admin-monitor.ts';
import * as store from './admin-store.ts';

type Viewer = network.Viewer;
type Store = network.NetworkNode;

/** An exception lasts at most this long: support sets it for an install or an incident, not for good. */
export const MAX_EXCEPTION_DAYS = 30;

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
