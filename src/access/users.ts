import { randomInt } from 'node:crypto';
import { and, asc, eq, gt, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { pgErrorCode } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal, Role } from '../platform/http/access.ts';
import { decodeCursor, type Page, type PageQuery, pageOf } from '../platform/pagination.ts';
import {
  grantable,
  nodeKindOf,
  normaliseEmail,
  type Permission,
  passwordErrors,
  temporaryPassword,
} from './domain.ts';
import { bindableNode, subtreeNodes } from './managed.ts';
import { loginFailures, users } from './schema.ts';
import { hashPassword, pickUser, type UserView } from './service.ts';
import { endSessions } from './sessions.ts';

export interface UserQuery extends PageQuery {
  /** Users of this node and of the nodes below it. */
  nodeCode?: string;
  role?: Role;
  active?: boolean;
  /** Part of the name or of the e-mail. */
  q?: string;
}

const likeText = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Users of the viewer's subtree (or of a node inside it), by e-mail. */
export async function listUsers(
  db: Db,
  viewer: Principal,
  query: UserQuery,
): Promise<Result<Page<UserView>>> {
  const cursor = decodeCursor(query.cursor);
  if (!cursor.ok) return cursor;
  let root: Principal = viewer;
  if (query.nodeCode) {
    const node = await network.getNode(db, viewer, query.nodeCode);
    if (!node.ok || !network.isWithin(node.value.path, viewer.nodePath)) {
      return fail('not_found', 'ACCESS.NODE_NOT_FOUND', `There is no node ${query.nodeCode} you manage.`, {
        errors: [{ path: '/nodeCode', code: 'ACCESS.NODE_NOT_MANAGED', message: 'is not a node you manage' }],
      });
    }
    root = { ...viewer, nodeId: node.value.id, nodePath: node.value.path };
  }
  const within = await subtreeNodes(db, root);
  const limit = query.limit ?? 50;
  const q = query.q?.trim();
  const conditions: (SQL | undefined)[] = [
    inArray(users.nodeId, [...within.keys()]),
    query.role ? eq(users.role, query.role) : undefined,
    query.active === undefined ? undefined : eq(users.active, query.active),
    q ? or(ilike(users.name, likeText(q)), ilike(users.email, likeText(q))) : undefined,
    cursor.value ? gt(users.email, String(cursor.value[0])) : undefined,
  ];
  const found = within.size
    ? await db
        .select()
        .from(users)
        .where(and(...conditions))
        .orderBy(asc(users.email))
        .limit(limit + 1)
    : [];
  return ok(
    pageOf(
      found.map((u) => ({ ...pickUser(u), nodeCode: within.get(u.nodeId) ?? '' })),
      limit,
      (u) => [u.email],
    ),
  );
}

const notGrantable = (role: Role) =>
  fail('forbidden', 'ACCESS.ROLE_NOT_GRANTABLE', `You cannot grant the role ${role}.`, {
    errors: [
      {
        path: '/role',
        code: 'ACCESS.ROLE_NOT_GRANTABLE',
        params: { role },
        message: 'is above your own role',
      },
    ],
  });

const emailTaken = (email: string) =>
  fail('conflict', 'ACCESS.EMAIL_TAKEN', `A user with e-mail ${email} already exists.`, {
    errors: [{ path: '/email', code: 'ACCESS.EMAIL_TAKEN', message: 'belongs to another user' }],
  });

export const weakPassword = (errors: ReturnType<typeof passwordErrors>) =>
  fail('invalid', 'ACCESS.WEAK_PASSWORD', 'The password does not follow the password policy.', { errors });

/** A readable temporary password that also passes the policy (the owner will replace it anyway). */
export function newTemporaryPassword(owner: { email: string; nodeName: string }): string {
  for (;;) {
    const candidate = temporaryPassword(randomInt);
    if (passwordErrors(candidate, owner, '/password').length === 0) return candidate;
  }
}

export interface CreateUser {
  email: string;
  name: string;
  role: Role;
  nodeCode: string;
  /** Given (scripts provisioning): it must pass the policy. Absent: a temporary one, to change at first sign-in. */
  password?: string;
}

export async function createUser(
  db: Db,
  viewer: Principal,
  input: CreateUser,
): Promise<Result<UserView & { temporaryPassword?: string }>> {
  if (!grantable[viewer.actor as Role]?.includes(input.role)) return notGrantable(input.role);
  const node = await bindableNode(db, viewer, input.nodeCode, input.role);
  if (!node.ok) return node;
  const email = normaliseEmail(input.email);
  const owner = { email, nodeName: node.value.name };
  if (input.password !== undefined) {
    const weak = passwordErrors(input.password, owner, '/password');
    if (weak.length) return weakPassword(weak);
  }
  const temporary = input.password === undefined ? newTemporaryPassword(owner) : undefined;
  const passwordHash = await hashPassword(input.password ?? temporary!);
  try {
    return await transaction(db, async (tx) => {
      const [taken] = await tx
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.email}) = ${email}`);
      if (taken) return emailTaken(email);
      const [row] = await tx
        .insert(users)
        .values({
          email,
          name: input.name,
          role: input.role,
          nodeId: node.value.id,
          passwordHash,
          mustChangePassword: temporary !== undefined,
        })
        .returning();
      const user = { ...pickUser(row!), nodeCode: node.value.code };
      await audit.record(tx, viewer, audit.scopeOf(node.value), {
        action: 'user.created',
        target: { type: 'user', id: user.id, label: user.email },
        before: null,
        after: {
          email: user.email,
          name: user.name,
          role: user.role,
          nodeCode: user.nodeCode,
          active: true,
          // Not "mustChangePassword": the audit log masks any field named like a password.
          passwordChangeRequired: user.mustChangePassword,
        },
      });
      return ok(temporary === undefined ? user : { ...user, temporaryPassword: temporary });
    });
  } catch (error) {
    // Two admins creating the same e-mail at once: the unique index decides.
    if (pgErrorCode(error) === '23505') return emailTaken(email);
    throw error;
  }
}

/** A user the viewer manages (its subtree, a role it may grant) with its node; 404 otherwise, 409 for oneself. */
async function managedUser(db: Db, viewer: Principal, id: string) {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  const node = user && (await network.getNodeById(db, user.nodeId));
  if (!user || !node || !network.isWithin(node.path, viewer.nodePath)) {
    return fail('not_found', 'ACCESS.USER_NOT_FOUND', 'No such user visible to you.');
  }
  if (user.id === viewer.id) {
    return fail('conflict', 'ACCESS.SELF', 'You cannot change your own access here; use "Minha conta".');
  }
  if (!grantable[viewer.actor as Role]?.includes(user.role)) return notGrantable(user.role);
  return ok({ user, node });
}

export interface UserPatch {
  role?: Role;
  active?: boolean;
  name?: string;
  permissions?: Permission[];
}

/** Role, name, deactivation (its sessions end at once) and reactivation: one audit event per change. */
export async function updateUser(
  db: Db,
  viewer: Principal,
  id: string,
  patch: UserPatch,
): Promise<Result<UserView>> {
  const found = await managedUser(db, viewer, id);
  if (!found.ok) return found;
  const { user, node } = found.value;
  const role = patch.role !== undefined && patch.role !== user.role ? patch.role : undefined;
  if (role) {
    if (!grantable[viewer.actor as Role]?.includes(role)) return notGrantable(role);
    if (nodeKindOf[role] !== node.kind) {
      return fail('invalid', 'ACCESS.ROLE_NODE_MISMATCH', `${role} belongs on a ${nodeKindOf[role]} node.`, {
        errors: [
          {
            path: '/role',
            code: 'ACCESS.ROLE_FOR_NODE_KIND',
            params: { kind: node.kind, role },
            message: `does not fit a user of a ${node.kind}`,
          },
        ],
      });
    }
  }
  const name = patch.name !== undefined && patch.name !== user.name ? patch.name : undefined;
  const active = patch.active !== undefined && patch.active !== user.active ? patch.active : undefined;
  const granted =
    patch.permissions !== undefined &&
    [...patch.permissions].sort().join() !== [...user.permissions].sort().join()
      ? [...patch.permissions].sort()
      : undefined;
  return transaction(db, async (tx) => {
    const [row] = await tx
      .update(users)
      .set({
        ...(role && { role }),
        ...(name !== undefined && { name }),
        ...(active !== undefined && { active }),
        ...(granted !== undefined && { permissions: granted }),
      })
      .where(eq(users.id, id))
      .returning();
    const scope = audit.scopeOf(node);
    const target = { type: 'user', id, label: user.email };
    if (role) {
      await audit.record(tx, viewer, scope, {
        action: 'user.role_changed',
        target,
        before: { role: user.role },
        after: { role },
      });
    }
    if (name !== undefined) {
      await audit.record(tx, viewer, scope, {
        action: 'user.updated',
        target,
        before: { name: user.name },
        after: { name },
      });
    }
    if (granted !== undefined) {
      await audit.record(tx, viewer, scope, {
        action: 'user.permissions_changed',
        target,
        before: { permissions: user.permissions },
        after: { permissions: granted },
      });
    }
    if (active === false) {
      const sessionsEnded = await endSessions(tx, id);
      await audit.record(tx, viewer, scope, {
        action: 'user.deactivated',
        target,
        before: { active: true },
        after: { active: false, sessionsEnded },
      });
    } else if (active === true) {
      await audit.record(tx, viewer, scope, {
        action: 'user.reactivated',
        target,
        before: { active: false },
        after: { active: true },
      });
    }
    return ok({ ...pickUser(row!), nodeCode: node.code });
  });
}

/**
 * An admin's reset: a temporary password answered once, to be changed at the next sign-in; the user's
 * sessions end and a login lock on the account is lifted (the admin vouches for whoever signs in next).
 */
export async function resetPassword(
  db: Db,
  viewer: Principal,
  id: string,
): Promise<Result<{ temporaryPassword: string }>> {
  const found = await managedUser(db, viewer, id);
  if (!found.ok) return found;
  const { user, node } = found.value;
  const temporary = newTemporaryPassword({ email: user.email, nodeName: node.name });
  const passwordHash = await hashPassword(temporary);
  return transaction(db, async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: true, passwordChangedAt: new Date() })
      .where(eq(users.id, id));
    const sessionsEnded = await endSessions(tx, id);
    await tx.delete(loginFailures).where(eq(loginFailures.email, normaliseEmail(user.email)));
    await audit.record(tx, viewer, audit.scopeOf(node), {
      action: 'user.password_reset',
      target: { type: 'user', id, label: user.email },
      before: { passwordChangeRequired: user.mustChangePassword },
      after: { passwordChangeRequired: true, sessionsEnded },
    });
    return ok({ temporaryPassword: temporary });
  });
}
