import { asc, eq } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal, Role, Scope } from '../platform/http/access.ts';
import { grantableScopes } from './domain.ts';
import { bindableNode, newSecret, sha256, subtreeNodes } from './managed.ts';
import { apiClients } from './schema.ts';

export interface ApiClientView {
  id: string;
  name: string;
  scope: Scope;
  nodeCode: string;
  active: boolean;
}

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
  const node = await bindableNode(db, viewer, input.nodeCode, input.scope);
  if (!node.ok) return node;
  const [row] = await db
    .insert(apiClients)
    .values({ name: input.name, scope: input.scope, nodeId: node.value.id, keyHash: sha256(key) })
    .returning();
  return ok({
    id: row!.id,
    name: row!.name,
    scope: row!.scope,
    nodeCode: node.value.code,
    active: true,
    key,
  });
}

export async function listApiClients(db: Db, viewer: Principal): Promise<ApiClientView[]> {
  const within = await subtreeNodes(db, viewer);
  const rows = await db.select().from(apiClients).orderBy(asc(apiClients.name));
  return rows
    .filter((c) => within.has(c.nodeId))
    .map((c) => ({
      id: c.id,
      name: c.name,
      scope: c.scope,
      nodeCode: within.get(c.nodeId)!,
      active: c.active,
    }));
}

/** One API client of the viewer's subtree (what other contexts attach settings to), or undefined. */
export async function getApiClient(
  db: Db,
  viewer: Principal,
  id: string,
): Promise<ApiClientView | undefined> {
  const [client] = await db.select().from(apiClients).where(eq(apiClients.id, id));
  if (!client) return undefined;
  const within = await subtreeNodes(db, viewer);
  const nodeCode = within.get(client.nodeId);
  if (nodeCode === undefined) return undefined;
  return { id: client.id, name: client.name, scope: client.scope, nodeCode, active: client.active };
}

export async function revokeApiClient(
  db: Db,
  viewer: Principal,
  id: string,
): Promise<Result<{ id: string }>> {
  const within = await subtreeNodes(db, viewer);
  const [client] = await db.select().from(apiClients).where(eq(apiClients.id, id));
  if (!client || !within.has(client.nodeId)) {
    return fail('not_found', 'ACCESS.CLIENT_NOT_FOUND', 'No such API client visible to you.');
  }
  await db.update(apiClients).set({ active: false, revokedAt: new Date() }).where(eq(apiClients.id, id));
  return ok({ id });
}

export async function seedApiClient(db: Db, c: { name: string; key: string; scope: Scope; nodeId: string }) {
  await db
    .insert(apiClients)
    .values({ name: c.name, scope: c.scope, nodeId: c.nodeId, keyHash: sha256(c.key) });
}
