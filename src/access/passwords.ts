import argon2 from 'argon2';
import { eq } from 'drizzle-orm';
import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { passwordErrors } from './domain.ts';
import { users } from './schema.ts';
import { hashPassword } from './service.ts';
import { endSessions } from './sessions.ts';
import { weakPassword } from './users.ts';

/**
 * A user replaces their own password (also the forced change after a temporary one): the current one must
 * be right, the new one must follow the policy and differ; the user's other sessions end, this one stays.
 */
export async function changeOwnPassword(
  db: Db,
  me: Principal,
  input: { currentPassword: string; newPassword: string },
): Promise<Result<{ mustChangePassword: false; sessionsEnded: number }>> {
  const [user] = me.kind === 'user' ? await db.select().from(users).where(eq(users.id, me.id)) : [];
  const node = user && (await network.getNodeById(db, user.nodeId));
  if (!user || !node) return fail('not_found', 'ACCESS.USER_NOT_FOUND', 'Only users have a password.');
  if (!(await argon2.verify(user.passwordHash, input.currentPassword))) {
    return fail('invalid', 'ACCESS.WRONG_PASSWORD', 'The current password is wrong.', {
      errors: [{ path: '/currentPassword', code: 'ACCESS.PASSWORD_WRONG', message: 'is wrong' }],
    });
  }
  const weak = passwordErrors(input.newPassword, { email: user.email, nodeName: node.name }, '/newPassword');
  if (weak.length) return weakPassword(weak);
  if (input.newPassword === input.currentPassword) {
    return weakPassword([
      {
        path: '/newPassword',
        code: 'ACCESS.PASSWORD_UNCHANGED',
        message: 'must differ from the current one',
      },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  return transaction(db, async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: false, passwordChangedAt: new Date() })
      .where(eq(users.id, user.id));
    const sessionsEnded = await endSessions(tx, user.id, me.sessionId);
    await audit.record(tx, me, audit.scopeOf(node), {
      action: 'user.password_changed',
      target: { type: 'user', id: user.id, label: user.email },
      before: { passwordChangeRequired: user.mustChangePassword },
      after: { passwordChangeRequired: false, otherSessionsEnded: sessionsEnded },
    });
    return ok({ mustChangePassword: false as const, sessionsEnded });
  });
}
