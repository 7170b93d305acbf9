import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { decodeCursor, encodeCursor, type Page } from '../platform/pagination.ts';
import {
  type AuditActor,
  type AuditEntry,
  type AuditEventView,
  type AuditScope,
  maskSecrets,
  plain,
  type Snapshot,
} from './domain.ts';
import * as store from './store.ts';

export type { AuditActor, AuditEntry, AuditEventView, AuditScope, AuditTarget, Snapshot } from './domain.ts';
export { systemActor } from './domain.ts';

/** Who acted, as the log writes it: a principal (from the request, with its address) or an actor already made. */
export function actorOf(who: Principal | AuditActor): AuditActor {
  if ('actor' in who) {
    return { kind: who.kind, id: who.id, name: who.name, role: who.actor, address: who.address ?? null };
  }
  return who;
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
  who: Principal | AuditActor,
  scope: AuditScope,
  entry: AuditEntry & { secrets?: readonly string[] },
): Promise<void> {
  const snap = (s: Snapshot) => (s === null ? null : (maskSecrets(plain(s), entry.secrets) as Snapshot));
  await store.insert(tx, actorOf(who), scope, {
    action: entry.action,
    target: entry.target,
    before: snap(entry.before),
    after: snap(entry.after),
  });
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
  const items = await store.list(db, {
    networkId: viewer.networkId,
    pathPrefix: query.nodePath ?? viewer.nodePath,
    ...period.value,
    actor: query.actor?.trim() || undefined,
    target: query.target?.trim() || undefined,
    action: query.action?.trim() || undefined,
    before: cursor.value ? { at: String(at), id: Number(id) } : undefined,
    limit: limit + 1,
  });
  const page = items.slice(0, limit);
  const last = page[page.length - 1];
  return ok({
    items: page,
    nextCursor: items.length > limit && last ? encodeCursor([last.at, Number(last.id)]) : null,
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

/** `from` and `to` as instants; a bare date means that day in São Paulo (from its start, to its end). */
function periodOf(q: AuditQuery): Result<{ from?: Date; to?: Date }> {
  const parse = (value: string | undefined, end: boolean): Date | null | undefined => {
    if (!value) return undefined;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const day = new Date(`${value}T00:00:00-03:00`);
      if (Number.isNaN(day.getTime())) return null;
      return end ? new Date(day.getTime() + 86_400_000) : day;
    }
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  const from = parse(q.from, false);
  const to = parse(q.to, true);
  const errors = [
    ...(from === null
      ? [{ path: '/from', code: 'AUDIT.DATE_INVALID', message: 'is not a date or date-time' }]
      : []),
    ...(to === null
      ? [{ path: '/to', code: 'AUDIT.DATE_INVALID', message: 'is not a date or date-time' }]
      : []),
  ];
  if (errors.length) return fail('invalid', 'AUDIT.INVALID_PERIOD', 'The period is not valid.', { errors });
  if (from && to && from >= to) {
    return fail('invalid', 'AUDIT.INVALID_PERIOD', 'The period ends before it starts.', {
      errors: [{ path: '/to', code: 'AUDIT.PERIOD_REVERSED', message: 'must be after from' }],
    });
  }
  return ok({ from: from ?? undefined, to: to ?? undefined });
}
