import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { decodeCursor, encodeCursor, type Page } from '../platform/pagination.ts';
import {
  type AuditActor,
  type AuditEntry,
  type AuditEventView,
  type AuditScope,
  maskChange,
  parseInstant,
  plain,
  type Snapshot,
} from './domain.ts';
import * as store from './store.ts';

export type { AuditActor, AuditEntry, AuditEventView, AuditScope, AuditTarget, Snapshot } from './domain.ts';
export { MASK, MASK_CHANGED, parseInstant, systemActor } from './domain.ts';

/**
 * Who acted: a principal (from the request, with its address), an actor already made, or a bare viewer
 * (a node and its network, no identity) — what the demo seed passes when it builds the demo through the
 * same use cases. The demo's own data is not an administrative change, so a bare viewer records nothing.
 */
export type Who = Principal | AuditActor | { readonly networkId: string; readonly nodePath: string };

/** The actor the log names, or null for a bare viewer. */
export function actorOf(who: Who): AuditActor | null {
  if ('actor' in who && 'id' in who && 'name' in who) {
    return { kind: who.kind, id: who.id, name: who.name, role: who.actor, address: who.address ?? null };
  }
  if ('kind' in who && 'name' in who && 'role' in who) return who;
  return null;
}

/** The audit scope of a node: its events are seen by whoever manages that node. */
export const scopeOf = (node: { id: string; code: string; path: string; networkId: string }): AuditScope => ({
  networkId: node.networkId,
  nodeId: node.id,
  nodeCode: node.code,
  nodePath: node.path,
});

/**
 * Writes one event. Call it with the transaction of the change, so the change and its record commit or
 * roll back together. Secrets in the snapshots are masked here, whatever the caller passed.
 */
export async function record(
  tx: Db,
  who: Who,
  scope: AuditScope,
  entry: AuditEntry & { secrets?: readonly string[] },
): Promise<void> {
  const actor = actorOf(who);
  if (!actor) return;
  const masked = maskChange(plain(entry.before) as Snapshot, plain(entry.after) as Snapshot, entry.secrets);
  await store.insert(tx, actor, scope, { action: entry.action, target: entry.target, ...masked });
}

export interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  target?: string;
  action?: string;
  cursor?: string;
  limit?: number;
}

/** A timestamp as the database writes it as text (see store.list): the cursor's first half. */
const CURSOR_AT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

/** The viewer's events (its subtree, or the given node's inside it), newest first. */
export async function list(
  db: Db,
  viewer: { networkId: string; nodePath: string },
  query: AuditQuery & { nodePath?: string },
): Promise<Result<Page<AuditEventView>>> {
  const cursor = decodeCursor(query.cursor);
  if (!cursor.ok) return cursor;
  const period = periodOf(query);
  if (!period.ok) return period;
  const limit = query.limit ?? 50;
  const [at, id] = cursor.value ?? [];
  if (cursor.value && (typeof at !== 'string' || !CURSOR_AT.test(at) || !Number.isSafeInteger(id))) {
    return fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
      errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
    });
  }
  const items = await store.list(db, {
    networkId: viewer.networkId,
    pathPrefix: query.nodePath ?? viewer.nodePath,
    ...period.value,
    actor: query.actor?.trim() || undefined,
    target: query.target?.trim() || undefined,
    action: query.action?.trim() || undefined,
    before: cursor.value ? { at: at as string, id: id as number } : undefined,
    limit: limit + 1,
  });
  const page = items.slice(0, limit);
  const last = page[page.length - 1];
  return ok({
    items: page.map(({ key: _key, ...view }) => view),
    // The key keeps the database's microseconds: a millisecond ISO string would skip events within that ms.
    nextCursor: items.length > limit && last ? encodeCursor([last.key, Number(last.id)]) : null,
  });
}

/** Every matching event, page after page, for the CSV export (bounded: a year of a big network is fine). */
export async function* all(
  db: Db,
  viewer: { networkId: string; nodePath: string },
  query: AuditQuery & { nodePath?: string },
  max = 100_000,
): AsyncGenerator<AuditEventView> {
  let cursor: string | undefined;
  let n = 0;
  do {
    const page = await list(db, viewer, { ...query, cursor, limit: 200 });
    if (!page.ok) return;
    for (const e of page.value.items) {
      if (n++ >= max) return;
      yield e;
    }
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor);
}

/** `from` and `to` as instants (see parseInstant); each bad end is named. */
function periodOf(q: AuditQuery): Result<{ from?: Date; to?: Date }> {
  const from = q.from ? parseInstant(q.from, false) : undefined;
  const to = q.to ? parseInstant(q.to, true) : undefined;
  const bad = (path: string) => ({
    path,
    code: 'AUDIT.DATE_INVALID',
    message: 'is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS][offset])',
  });
  const errors = [...(from === null ? [bad('/from')] : []), ...(to === null ? [bad('/to')] : [])];
  if (errors.length) return fail('invalid', 'AUDIT.INVALID_PERIOD', 'The period is not valid.', { errors });
  if (from && to && from >= to) {
    return fail('invalid', 'AUDIT.INVALID_PERIOD', 'The period ends before it starts.', {
      errors: [{ path: '/to', code: 'AUDIT.PERIOD_REVERSED', message: 'must be after from' }],
    });
  }
  return ok({ from: from ?? undefined, to: to ?? undefined });
}
