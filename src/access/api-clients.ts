import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal, Role, Scope } from '../platform/http/access.ts';
import { decodeCursor, type Page, type PageQuery, pageOf } from '../platform/pagination.ts';
import {
  DEFAULT_OVERLAP_HOURS,
  grantableScopes,
  keyPrefixOf,
  normalisePairingCode,
  PAIRING_CODE_MINUTES,
  pairingCodeFrom,
  showPairingCode,
} from './domain.ts';
import { bindableNode, managedNodes, newSecret, sha256 } from './managed.ts';
import { apiClientKeys, apiClientPairingCodes, apiClients } from './schema.ts';

export interface ApiKeyView {
  id: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface ApiClientView {
  id: string;
  name: string;
  scope: Scope;
  nodeCode: string;
  nodeName: string;
  active: boolean;
  createdAt: string;
  revokedAt: string | null;
  /** The latest use of any of its keys. */
  lastUsedAt: string | null;
  keys: ApiKeyView[];
}

export interface ApiClientFilter extends PageQuery {
  scope?: Scope;
  nodeCode?: string;
  active?: boolean;
}

type ClientRow = typeof apiClients.$inferSelect;
type KeyRow = typeof apiClientKeys.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function keyView(k: KeyRow): ApiKeyView {
  return {
    id: k.id,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    lastUsedAt: iso(k.lastUsedAt),
  };
}

function clientView(c: ClientRow, node: { code: string; name: string }, keys: KeyRow[]): ApiClientView {
  const used = keys.map((k) => k.lastUsedAt?.getTime() ?? 0).reduce((a, b) => Math.max(a, b), 0);
  return {
    id: c.id,
    name: c.name,
    scope: c.scope,
    nodeCode: node.code,
    nodeName: node.name,
    active: c.active,
    createdAt: c.createdAt.toISOString(),
    revokedAt: iso(c.revokedAt),
    lastUsedAt: used ? new Date(used).toISOString() : null,
    keys: keys.map(keyView),
  };
}

async function keysOf(db: Db, clientIds: string[]): Promise<Map<string, KeyRow[]>> {
  const byClient = new Map<string, KeyRow[]>();
  if (clientIds.length === 0) return byClient;
  const rows = await db
    .select()
    .from(apiClientKeys)
    .where(inArray(apiClientKeys.clientId, clientIds))
    .orderBy(asc(apiClientKeys.createdAt), asc(apiClientKeys.id));
  for (const k of rows) byClient.set(k.clientId, [...(byClient.get(k.clientId) ?? []), k]);
  return byClient;
}

async function insertKey(
  db: Db,
  clientId: string,
  key = newSecret('ohk'),
): Promise<{ key: string; row: KeyRow }> {
  const [row] = await db
    .insert(apiClientKeys)
    .values({ clientId, keyHash: sha256(key), prefix: keyPrefixOf(key) })
    .returning();
  return { key, row: row! };
}

/** The client and its node when the viewer manages it; otherwise the same 404 whether it exists or not. */
async function managedClient(
  db: Db,
  viewer: Principal,
  id: string,
): Promise<Result<{ client: ClientRow; node: network.NetworkNode }>> {
  const [client] = await db.select().from(apiClients).where(eq(apiClients.id, id));
  const node = client ? await network.getNodeById(db, client.nodeId) : undefined;
  if (
    !client ||
    !node ||
    !network.isWithin(node.path, viewer.nodePath) ||
    node.networkId !== viewer.networkId
  ) {
    return fail('not_found', 'ACCESS.CLIENT_NOT_FOUND', 'No such API client visible to you.');
  }
  return ok({ client, node });
}

const target = (c: ClientRow) => ({ type: 'api_client', id: c.id, label: c.name });

export async function createApiClient(
  db: Db,
  viewer: Principal,
  input: { name: string; scope: Scope; nodeCode: string },
  key = newSecret('ohk'),
): Promise<Result<ApiClientView & { key: string }>> {
  if (!grantableScopes[viewer.actor as Role]?.includes(input.scope)) {
    return fail(
      'forbidden',
      'ACCESS.SCOPE_NOT_GRANTABLE',
      `You cannot create API clients with scope ${input.scope}.`,
    );
  }
  return transaction(db, async (tx) => {
    const node = await bindableNode(tx, viewer, input.nodeCode, input.scope);
    if (!node.ok) return node;
    const [row] = await tx
      .insert(apiClients)
      .values({ name: input.name.trim(), scope: input.scope, nodeId: node.value.id })
      .returning();
    const created = await insertKey(tx, row!.id, key);
    await audit.record(tx, viewer, audit.scopeOf(node.value), {
      action: 'api_client.created',
      target: target(row!),
      before: null,
      after: { name: row!.name, scope: row!.scope, nodeCode: node.value.code, keyPrefix: created.row.prefix },
    });
    return ok({ ...clientView(row!, node.value, [created.row]), key: created.key });
  });
}

/** A page of the API clients of the viewer's subtree, by name. */
export async function findApiClients(
  db: Db,
  viewer: Principal,
  filter: ApiClientFilter = {},
): Promise<Result<Page<ApiClientView>>> {
  const cursor = decodeCursor(filter.cursor);
  if (!cursor.ok) return cursor;
  const limit = filter.limit ?? 50;
  const within = await managedNodes(db, viewer);
  const nodeIds = [...within.values()]
    .filter((n) => !filter.nodeCode || n.code === filter.nodeCode)
    .map((n) => n.id);
  if (nodeIds.length === 0) return ok({ items: [], nextCursor: null });
  const [afterName, afterId] = cursor.value ?? [];
  const rows = await db
    .select()
    .from(apiClients)
    .where(
      and(
        inArray(apiClients.nodeId, nodeIds),
        filter.scope ? eq(apiClients.scope, filter.scope) : undefined,
        filter.active === undefined ? undefined : eq(apiClients.active, filter.active),
        cursor.value
          ? sql`(${apiClients.name}, ${apiClients.id}) > (${String(afterName)}, ${String(afterId)}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(apiClients.name), asc(apiClients.id))
    .limit(limit + 1);
  const keys = await keysOf(
    db,
    rows.map((c) => c.id),
  );
  const items = rows.map((c) => clientView(c, within.get(c.nodeId)!, keys.get(c.id) ?? []));
  return ok(pageOf(items, limit, (c) => [c.name, c.id]));
}

/** One API client of the viewer's subtree (what other contexts attach settings to), or undefined. */
export async function getApiClient(
  db: Db,
  viewer: Principal,
  id: string,
): Promise<ApiClientView | undefined> {
  const found = await managedClient(db, viewer, id);
  if (!found.ok) return undefined;
  const keys = await keysOf(db, [id]);
  return clientView(found.value.client, found.value.node, keys.get(id) ?? []);
}

/** Every API client of the viewer's subtree, by name. */
export async function listApiClients(db: Db, viewer: Principal): Promise<ApiClientView[]> {
  const all: ApiClientView[] = [];
  let cursor: string | undefined;
  do {
    const page = await findApiClients(db, viewer, { cursor, limit: 200 });
    if (!page.ok) break;
    all.push(...page.value.items);
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

/**
 * Rotation: a new key; the client's live keys keep working for `overlapHours` more (0: they stop now), so a
 * client can switch over without downtime.
 */
export async function rotateKey(
  db: Db,
  viewer: Principal,
  id: string,
  overlapHours = DEFAULT_OVERLAP_HOURS,
): Promise<Result<ApiKeyView & { key: string }>> {
  return transaction(db, async (tx) => {
    const found = await managedClient(tx, viewer, id);
    if (!found.ok) return found;
    const { client, node } = found.value;
    if (!client.active) return revokedClient();
    const k = apiClientKeys;
    const until = sql`now() + make_interval(hours => ${overlapHours})`;
    const ending = await tx
      .update(k)
      .set({ expiresAt: sql`least(coalesce(${k.expiresAt}, 'infinity'::timestamptz), ${until})` })
      .where(
        and(eq(k.clientId, id), isNull(k.revokedAt), sql`(${k.expiresAt} is null or ${k.expiresAt} > now())`),
      )
      .returning({ id: k.id, prefix: k.prefix, expiresAt: k.expiresAt });
    const created = await insertKey(tx, id);
    await audit.record(tx, viewer, audit.scopeOf(node), {
      action: 'api_client.key_created',
      target: target(client),
      before: { liveKeys: ending.map((e) => ({ id: e.id, prefix: e.prefix })) },
      after: {
        keyId: created.row.id,
        keyPrefix: created.row.prefix,
        overlapHours,
        replacedKeys: ending.map((e) => ({ id: e.id, prefix: e.prefix, expiresAt: iso(e.expiresAt) })),
      },
    });
    return ok({ ...keyView(created.row), key: created.key });
  });
}

const revokedClient = () =>
  fail('conflict', 'ACCESS.CLIENT_REVOKED', 'This API client is revoked; create a new one.');

/** Revokes one key at once (the client's other keys keep working). Revoking a revoked key changes nothing. */
export async function revokeKey(
  db: Db,
  viewer: Principal,
  id: string,
  keyId: string,
): Promise<Result<ApiKeyView>> {
  return transaction(db, async (tx) => {
    const found = await managedClient(tx, viewer, id);
    if (!found.ok) return found;
    const { client, node } = found.value;
    const [key] = await tx
      .select()
      .from(apiClientKeys)
      .where(and(eq(apiClientKeys.id, keyId), eq(apiClientKeys.clientId, id)));
    if (!key) return fail('not_found', 'ACCESS.KEY_NOT_FOUND', 'This API client has no such key.');
    if (key.revokedAt) return ok(keyView(key));
    const [row] = await tx
      .update(apiClientKeys)
      .set({ revokedAt: sql`now()` })
      .where(eq(apiClientKeys.id, keyId))
      .returning();
    await audit.record(tx, viewer, audit.scopeOf(node), {
      action: 'api_client.key_revoked',
      target: target(client),
      before: { keyId, keyPrefix: key.prefix, revoked: false },
      after: { keyId, keyPrefix: key.prefix, revoked: true },
    });
    return ok(keyView(row!));
  });
}

export async function revokeApiClient(
  db: Db,
  viewer: Principal,
  id: string,
): Promise<Result<{ id: string }>> {
  return transaction(db, async (tx) => {
    const found = await managedClient(tx, viewer, id);
    if (!found.ok) return found;
    const { client, node } = found.value;
    if (!client.active) return ok({ id });
    await tx.update(apiClients).set({ active: false, revokedAt: sql`now()` }).where(eq(apiClients.id, id));
    await tx
      .update(apiClientPairingCodes)
      .set({ usedAt: sql`now()` })
      .where(and(eq(apiClientPairingCodes.clientId, id), isNull(apiClientPairingCodes.usedAt)));
    await audit.record(tx, viewer, audit.scopeOf(node), {
      action: 'api_client.revoked',
      target: target(client),
      before: { active: true },
      after: { active: false },
    });
    return ok({ id });
  });
}

/**
 * A pairing code for a POS client: single use, 10 minutes, kept only as a hash; a new one voids the client's
 * unused older ones, so only the code last shown works.
 */
export async function createPairingCode(
  db: Db,
  viewer: Principal,
  id: string,
): Promise<Result<{ code: string; expiresAt: string }>> {
  return transaction(db, async (tx) => {
    const found = await managedClient(tx, viewer, id);
    if (!found.ok) return found;
    const { client, node } = found.value;
    if (client.scope !== 'pos') {
      return fail('conflict', 'ACCESS.PAIRING_ONLY_POS', 'Only POS clients pair with a code.');
    }
    if (!client.active) return revokedClient();
    const c = apiClientPairingCodes;
    await tx
      .update(c)
      .set({ usedAt: sql`now()` })
      .where(and(eq(c.clientId, id), isNull(c.usedAt)));
    // A clash with another code is one in billions; a fresh draw settles it.
    for (;;) {
      let code: string | null = null;
      while (!code) code = pairingCodeFrom(randomBytes(16));
      const [row] = await tx
        .insert(c)
        .values({
          clientId: id,
          codeHash: sha256(code),
          expiresAt: sql`now() + make_interval(mins => ${PAIRING_CODE_MINUTES})`,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) continue;
      await audit.record(tx, viewer, audit.scopeOf(node), {
        action: 'api_client.pairing_code_created',
        target: target(client),
        before: null,
        after: { pairingCodeId: row.id, expiresAt: row.expiresAt.toISOString() },
      });
      return ok({ code: showPairingCode(code), expiresAt: row.expiresAt.toISOString() });
    }
  });
}

const invalidCode = () =>
  fail('invalid', 'ACCESS.PAIRING_CODE_INVALID', 'This pairing code is not valid.', {
    errors: [{ path: '/code', code: 'ACCESS.PAIRING_CODE_INVALID', message: 'is not a valid pairing code' }],
  });

/**
 * A POS exchanges a pairing code for a new key of its client (its other keys are untouched). Unknown, used,
 * expired and revoked-client codes all get the same answer, so a guess learns nothing.
 */
export async function pair(
  db: Db,
  typed: string,
  address: string | null,
): Promise<
  Result<{ key: string; client: { id: string; name: string; storeCode: string; storeName: string } }>
> {
  const code = normalisePairingCode(typed);
  if (!code) return invalidCode();
  return transaction(db, async (tx) => {
    const c = apiClientPairingCodes;
    // Used up in the same statement that finds it: two POS racing with one code, one wins.
    const [used] = await tx
      .update(c)
      .set({ usedAt: sql`now()` })
      .where(and(eq(c.codeHash, sha256(code)), isNull(c.usedAt), sql`${c.expiresAt} > now()`))
      .returning({ id: c.id, clientId: c.clientId });
    if (!used) return invalidCode();
    const [client] = await tx.select().from(apiClients).where(eq(apiClients.id, used.clientId));
    const node = client ? await network.getNodeById(tx, client.nodeId) : undefined;
    if (!client?.active || client.scope !== 'pos' || !node) return invalidCode();
    const created = await insertKey(tx, client.id);
    await audit.record(
      tx,
      { kind: 'client', id: client.id, name: client.name, role: client.scope, address },
      audit.scopeOf(node),
      {
        action: 'api_client.paired',
        target: target(client),
        before: null,
        after: { pairingCodeId: used.id, keyId: created.row.id, keyPrefix: created.row.prefix },
      },
    );
    return ok({
      key: created.key,
      client: { id: client.id, name: client.name, storeCode: node.code, storeName: node.name },
    });
  });
}

/**
 * "Last used" of a key: written at most once a minute per key by this process, and never failing the
 * request that used it (it is a hint for admins, not an access log).
 */
const lastWritten = new WeakMap<Db, Map<string, number>>();
const TOUCH_EVERY_MS = 60_000;

export async function touchKey(db: Db, keyId: string, now = Date.now()): Promise<void> {
  const written = lastWritten.get(db) ?? new Map<string, number>();
  lastWritten.set(db, written);
  const last = written.get(keyId);
  if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
  if (written.size > 10_000) written.clear();
  written.set(keyId, now);
  try {
    await db.update(apiClientKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiClientKeys.id, keyId));
  } catch {
    written.delete(keyId);
  }
}

/** Demo and CLI set-up: a client bound to a node id with a known key, bypassing the viewer checks. */
export async function seedApiClient(db: Db, c: { name: string; key: string; scope: Scope; nodeId: string }) {
  const [row] = await db
    .insert(apiClients)
    .values({ name: c.name, scope: c.scope, nodeId: c.nodeId })
    .returning({ id: apiClients.id });
  await insertKey(db, row!.id, c.key);
}

/**
 * A keyless platform client at the network root, for a connector's connection: orders the connector brings
 * in are ingested as it, and its webhook endpoint carries the events back to the platform's adapter. No one
 * can authenticate as it (it has no key); revoking the connection deactivates it.
 */
export async function connectorClient(
  tx: Db,
  c: { name: string; networkRootId: string },
): Promise<{ id: string }> {
  const [row] = await tx
    .insert(apiClients)
    .values({ name: c.name, scope: 'platform', nodeId: c.networkRootId })
    .returning({ id: apiClients.id });
  return row!;
}
