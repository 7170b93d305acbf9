import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import type { Page } from '../platform/pagination.ts';
import { sessions, users } from './schema.ts';

export interface SessionView {
  id: string;
  createdAt: string;
  expiresAt: string;
  address: string | null;
  userAgent: string | null;
  /** The session this request was made with. */
  current: boolean;
}

/** Ends every open session of a user at once (but `except`, the caller's own); how many it ended. */
export async function endSessions(tx: Db, userId: string, except?: string): Promise<number> {
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        except ? ne(sessions.id, except) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return ended.length;
}

const open = () => and(isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`));

/** The caller's own open sessions, newest first (a user has a handful: one page). */
export async function listOwnSessions(db: Db, me: Principal): Promise<Page<SessionView>> {
  const found = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, me.id), open()))
    .orderBy(desc(sessions.createdAt), desc(sessions.id));
  return {
    items: found.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      address: s.address,
      userAgent: s.userAgent,
      current: s.id === me.sessionId,
    })),
    nextCursor: null,
  };
}

/** Ends one of the caller's own open sessions (another device, or this one); anyone else's is not found. */
export async function endOwnSession(db: Db, me: Principal, id: string): Promise<Result<{ id: string }>> {
  const [user] = await db.select().from(users).where(eq(users.id, me.id));
  const node = user && (await network.getNodeById(db, user.nodeId));
  if (!user || !node) return notFound();
  return transaction(db, async (tx) => {
    const [ended] = await tx
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.id, id), eq(sessions.userId, me.id), open()))
      .returning();
    if (!ended) return notFound();
    await audit.record(tx, me, audit.scopeOf(node), {
      action: 'session.ended',
      target: { type: 'session', id, label: user.email },
      before: {
        userId: user.id,
        createdAt: ended.createdAt.toISOString(),
        address: ended.address,
        userAgent: ended.userAgent,
      },
      after: null,
    });
    return ok({ id });
  });
}

const notFound = () => fail('not_found', 'ACCESS.SESSION_NOT_FOUND', 'No such open session of yours.');
