import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { and, eq, isNull, sql } from 'drizzle-orm';
import * as network from '../network/service.ts';
import { cacheOf } from '../platform/cache/index.ts';
import type { Db } from '../platform/db/index.ts';
import { preparedRows, rows } from '../platform/db/sql.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Actor, Principal, Role } from '../platform/http/access.ts';
import { touchKey } from './api-clients.ts';
import {
  LOGIN_FAILURES_FORGOTTEN_MS,
  loginLockMs,
  normaliseEmail,
  type Permission,
  SESSION_HOURS,
} from './domain.ts';
import { newSecret, sha256 } from './managed.ts';
import { apiClientKeys, apiClients, loginFailures, sessions, users } from './schema.ts';

export {
  type ApiClientView,
  type ApiKeyView,
  connectorClient,
  createApiClient,
  createPairingCode,
  findApiClients,
  getApiClient,
  listApiClients,
  pair,
  revokeApiClient,
  revokeKey,
  rotateKey,
  seedApiClient,
} from './api-clients.ts';

// Verifying against a fixed hash when the e-mail is unknown keeps the answer time the same.
let dummyHash: Promise<string> | undefined;

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  nodeCode: string;
  active: boolean;
  /** Signed in with a temporary password that is still to be replaced. */
  mustChangePassword: boolean;
  /** Permissions beyond the role (IN_ALT_MENSAGEM). */
  permissions: string[];
}

export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

/** Where a sign-in came from: kept on the session so its owner recognises it. */
export interface SignInPlace {
  address?: string | null;
  userAgent?: string | null;
}

export async function login(
  db: Db,
  email: string,
  password: string,
  place: SignInPlace = {},
): Promise<Result<{ token: string; expiresAt: Date; mustChangePassword: boolean; user: UserView }>> {
  const account = normaliseEmail(email);
  // While locked, the password is not even checked: a guess then tells nothing.
  const [lock] = await rows<{ wait_ms: number }>(
    db,
    sql`select ceil(extract(epoch from (${loginFailures.lockedUntil} - now())) * 1000)::integer as wait_ms
          from ${loginFailures} where ${loginFailures.email} = ${account} and ${loginFailures.lockedUntil} > now()`,
  );
  if (lock) return locked(Number(lock.wait_ms));
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${account}`);
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const valid = await argon2.verify(user?.passwordHash ?? (await dummyHash), password);
  if (!user || !valid || !user.active) {
    await recordLoginFailure(db, account);
    return fail(
      'unauthorized',
      'AUTH.INVALID_LOGIN',
      'E-mail or password is wrong, or the user is inactive.',
    );
  }
  await db.delete(loginFailures).where(eq(loginFailures.email, account));
  const token = newSecret('ohs');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await db.insert(sessions).values({
    userId: user.id,
    tokenHash: sha256(token),
    expiresAt,
    address: place.address ?? null,
    userAgent: place.userAgent?.slice(0, 500) ?? null,
  });
  const node = await network.getNodeById(db, user.nodeId);
  return ok({
    token,
    expiresAt,
    mustChangePassword: user.mustChangePassword,
    user: { ...pickUser(user), nodeCode: node?.code ?? '' },
  });
}

function locked(waitMs: number) {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return fail(
    'rate_limited',
    'AUTH.LOGIN_LOCKED',
    `Too many wrong passwords for this account; try again in ${retryAfter} s.`,
    { data: { retryAfter } },
  );
}

/**
 * Forgets the wrong passwords of accounts that have been quiet longer than the backoff remembers and are not
 * locked (the hourly housekeeping): they would count from one again anyway, and unknown names pile up.
 */
export async function purgeLoginFailures(db: Db, forgottenMs = LOGIN_FAILURES_FORGOTTEN_MS): Promise<number> {
  const f = loginFailures;
  const gone = await db
    .delete(f)
    .where(
      sql`${f.lastFailureAt} < now() - make_interval(secs => ${forgottenMs / 1000})
          and (${f.lockedUntil} is null or ${f.lockedUntil} <= now())`,
    )
    .returning({ email: f.email });
  return gone.length;
}

/** Counts a wrong password atomically (concurrent guesses from many processes all count) and locks per the backoff. */
async function recordLoginFailure(db: Db, account: string): Promise<void> {
  const f = loginFailures;
  const [row] = await db
    .insert(f)
    .values({ email: account, failures: 1, lastFailureAt: sql`now()` })
    .onConflictDoUpdate({
      target: f.email,
      set: {
        failures: sql`case when ${f.lastFailureAt} < now() - make_interval(secs => ${LOGIN_FAILURES_FORGOTTEN_MS / 1000})
                           then 1 else ${f.failures} + 1 end`,
        lastFailureAt: sql`now()`,
      },
    })
    .returning({ failures: f.failures });
  const lockMs = loginLockMs(row!.failures);
  if (lockMs > 0) {
    await db
      .update(f)
      .set({ lockedUntil: sql`now() + make_interval(secs => ${lockMs / 1000})` })
      .where(eq(f.email, account));
  }
}

export async function logout(db: Db, token: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.tokenHash, sha256(token)), isNull(sessions.revokedAt)));
}

/** Resolves a bearer token (session token or API key) to the principal, or null. One query per request. */
interface Credential {
  kind: 'user' | 'client';
  id: string;
  name: string;
  actor: Actor;
  node_id: string;
  key_id: string | null;
  key_expires_at: Date | string | null;
  session_id: string | null;
  must_change_password: boolean;
  permissions: string[] | null;
}

/**
 * API keys by hash, cached (src/platform/cache): a platform or POS sends one with every request. Sessions
 * are not: a user's session is read on each request, so a logout or a deactivation holds at once.
 */
const apiKeys = cacheOf<Credential>(['api_clients', 'api_client_keys']);

export async function authenticate(db: Db, token: string): Promise<Principal | null> {
  const hash = sha256(token);
  const load = async () => {
    const [row] = await preparedRows<Credential>(
      db,
      sql`select 'user' as kind, u.id, u.name, u.role as actor, u.node_id, null::uuid as key_id,
                 null::timestamptz as key_expires_at, s.id as session_id, u.must_change_password, u.permissions
            from ${sessions} s join ${users} u on u.id = s.user_id
           where s.token_hash = ${hash} and s.revoked_at is null and s.expires_at > now() and u.active
          union all
          select 'client', c.id, c.name, c.scope, c.node_id, k.id, k.expires_at, null, false, '{}'::text[]
            from ${apiClientKeys} k join ${apiClients} c on c.id = k.client_id
           where k.key_hash = ${hash} and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
             and c.active
          limit 1`,
    );
    return row;
  };
  let sessionFound: Credential | undefined;
  let found = await apiKeys.get(db, hash, async () => {
    const row = await load();
    // Only keys are kept; a session found here is answered without being cached.
    if (row?.kind === 'client') return row;
    sessionFound = row;
    return undefined;
  });
  found ??= sessionFound;
  // A cached key past its expiry is read again (and found no more).
  if (found?.key_expires_at && new Date(found.key_expires_at).getTime() <= Date.now()) found = await load();
  if (!found) return null;
  if (found.key_id) await touchKey(db, found.key_id);
  const place = await network.placement(db, found.node_id);
  if (!place) return null;
  return {
    kind: found.kind,
    id: found.id,
    name: found.name,
    actor: found.actor,
    nodeId: found.node_id,
    nodePath: place.path,
    networkId: place.networkId,
    ...(found.session_id && { sessionId: found.session_id }),
    ...(found.must_change_password && { mustChangePassword: true }),
    ...(found.permissions?.length && { permissions: found.permissions }),
  };
}

export function pickUser(u: typeof users.$inferSelect) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    mustChangePassword: u.mustChangePassword,
    permissions: u.permissions,
  };
}

/** Demo and CLI set-up: creates a user or client bound to a node id, bypassing the viewer checks. */
export async function seedUser(
  db: Db,
  u: {
    email: string;
    name: string;
    password: string;
    role: Role;
    nodeId: string;
    permissions?: Permission[];
  },
) {
  await db.insert(users).values({
    permissions: u.permissions ?? [],
    email: normaliseEmail(u.email),
    name: u.name,
    role: u.role,
    nodeId: u.nodeId,
    passwordHash: await hashPassword(u.password),
  });
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return Number(row?.n ?? 0);
}

/**
 * The active users of one node, by name: a store's staff, whom invoicing names as the salesperson
 * (TP_DADO_ADIC_BX_PED_ECOMM). With `userId`, that user only, if they are one of them.
 */
export async function usersAt(
  db: Db,
  nodeId: string,
  userId?: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.nodeId, nodeId), eq(users.active, true), userId ? eq(users.id, userId) : undefined))
    .orderBy(users.name, users.id);
}

/**
 * An active API client as the principal its requests ran as: reprocessing a connector ticket re-runs the
 * request as the client that sent it. Null once the client is revoked (its requests are not re-run).
 */
export async function clientPrincipal(db: Db, clientId: string): Promise<Principal | null> {
  const [client] = await db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.id, clientId), eq(apiClients.active, true)));
  if (!client) return null;
  const place = await network.placement(db, client.nodeId);
  if (!place) return null;
  return {
    kind: 'client',
    id: client.id,
    name: client.name,
    actor: client.scope,
    nodeId: client.nodeId,
    nodePath: place.path,
    networkId: place.networkId,
  };
}
