import { and, desc, eq, gte, ilike, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import type { AuditActor, AuditEntry, AuditEventView, AuditScope, Snapshot } from './domain.ts';
import { auditEvents } from './schema.ts';

export async function insert(db: Db, actor: AuditActor, scope: AuditScope, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    networkId: scope.networkId,
    nodeId: scope.nodeId,
    nodeCode: scope.nodeCode,
    nodePath: scope.nodePath,
    actorKind: actor.kind,
    actorId: actor.id,
    actorName: actor.name,
    actorRole: actor.role,
    address: actor.address,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    targetLabel: entry.target.label,
    before: entry.before,
    after: entry.after,
  });
}

export interface Filter {
  networkId: string;
  /** Events of this subtree only (the viewer's own, or a node inside it). */
  pathPrefix: string;
  from?: Date;
  to?: Date;
  actor?: string;
  target?: string;
  action?: string;
  /** Keyset: events strictly older than this (at, id). */
  before?: { at: string; id: number };
  limit: number;
}

const likeText = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event with its keyset key: `at` as the database's text, microseconds included. */
export type Listed = AuditEventView & { key: string };

export async function list(db: Db, f: Filter): Promise<Listed[]> {
  const e = auditEvents;
  const conditions: (SQL | undefined)[] = [
    eq(e.networkId, f.networkId),
    sql`${e.nodePath} like ${`${f.pathPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`,
    f.from ? gte(e.at, f.from) : undefined,
    f.to ? lt(e.at, f.to) : undefined,
    f.actor
      ? UUID.test(f.actor)
        ? eq(e.actorId, f.actor)
        : ilike(e.actorName, likeText(f.actor))
      : undefined,
    f.target
      ? or(
          eq(e.targetType, f.target),
          eq(e.targetId, f.target),
          ilike(e.targetLabel, likeText(f.target)),
          eq(e.nodeCode, f.target),
        )
      : undefined,
    f.action ? or(eq(e.action, f.action), sql`${e.action} like ${`${f.action}.%`}`) : undefined,
    f.before ? sql`(${e.at}, ${e.id}) < (${f.before.at}::timestamptz, ${f.before.id})` : undefined,
  ];
  const found = await db
    .select({ row: e, key: sql<string>`${e.at}::text` })
    .from(e)
    .where(and(...conditions))
    .orderBy(desc(e.at), desc(e.id))
    .limit(f.limit);
  return found.map(({ row: r, key }) => ({
    key,
    id: String(r.id),
    at: r.at.toISOString(),
    actor: {
      kind: r.actorKind,
      id: r.actorId,
      name: r.actorName,
      role: r.actorRole,
      address: r.address,
    },
    action: r.action,
    target: { type: r.targetType, id: r.targetId, label: r.targetLabel, nodeCode: r.nodeCode },
    before: r.before as Snapshot,
    after: r.after as Snapshot,
  }));
}
