import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { pgErrorCode } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import { decodeCursor, type Page, type PageQuery, pageOf } from '../platform/pagination.ts';
import {
  type Address,
  canManage,
  canSee,
  childKinds,
  type NetworkNode,
  type NodeKind,
  normaliseCnpj,
  normaliseStateRegistration,
  pathOf,
  type Viewer,
  type Visibility,
  validateNode,
} from './domain.ts';
import { nodes } from './schema.ts';
import * as store from './store.ts';

export type { NetworkNode, Viewer } from './domain.ts';
export { canSee, distanceKm, isWithin } from './domain.ts';

export interface NodeFields {
  name: string;
  legalName: string;
  cnpj?: string | null;
  stateRegistration?: string | null;
  address?: Address | null;
  latitude?: number | null;
  longitude?: number | null;
  email?: string | null;
  visibility?: Visibility;
  active?: boolean;
}

export interface CreateNode extends NodeFields {
  parentCode: string;
  kind: NodeKind;
  code: string;
}

const notFound = (code: string) =>
  fail('not_found', 'NETWORK.NODE_NOT_FOUND', `There is no node ${code} visible to you.`);

function invalid(errors: FieldError[]) {
  return fail('invalid', 'NETWORK.INVALID_NODE', 'Some fields of the node are invalid.', { errors });
}

function columns(f: Partial<NodeFields>) {
  return {
    ...(f.name !== undefined && { name: f.name }),
    ...(f.legalName !== undefined && { legalName: f.legalName }),
    ...(f.cnpj !== undefined && { cnpj: f.cnpj === null ? null : normaliseCnpj(f.cnpj) }),
    ...(f.stateRegistration !== undefined && {
      stateRegistration:
        f.stateRegistration === null ? null : normaliseStateRegistration(f.stateRegistration),
    }),
    ...store.addressColumns(f.address),
    ...(f.latitude !== undefined && { latitude: f.latitude === null ? null : f.latitude.toFixed(6) }),
    ...(f.longitude !== undefined && { longitude: f.longitude === null ? null : f.longitude.toFixed(6) }),
    ...(f.email !== undefined && { email: f.email }),
    ...(f.visibility !== undefined && { visibility: f.visibility }),
    ...(f.active !== undefined && { active: f.active }),
  };
}

/** Creates a network root (master). Used by the demo seed and the admin CLI, not by the API. */
export async function createNetwork(
  db: Db,
  input: NodeFields & { code: string },
): Promise<Result<NetworkNode>> {
  const errors = validateNode(input, 'network');
  if (errors.length) return invalid(errors);
  const id = randomUUID();
  const [row] = await db
    .insert(nodes)
    .values({
      id,
      networkId: id,
      parentId: null,
      kind: 'network',
      code: input.code,
      path: pathOf(null, id),
      visibility: 'public',
      ...columns(input),
      name: input.name,
      legalName: input.legalName,
    })
    .returning();
  return ok(store.toNode(row!));
}

export async function getNode(db: Db, viewer: Viewer, code: string): Promise<Result<NetworkNode>> {
  const node = await store.findByCode(db, viewer.networkId, code);
  return node && canSee(viewer, node) ? ok(node) : notFound(code);
}

export async function getNodeById(db: Db, id: string): Promise<NetworkNode | undefined> {
  return store.findById(db, id);
}

export interface Placement {
  path: string;
  networkId: string;
}

/** What never changes about a node: there is no re-parenting and no change of code or kind. */
export interface NodeIdentity extends Placement {
  id: string;
  code: string;
  kind: NodeKind;
}

// Immutable, so remembered for the process's life; bounded so a huge network cannot grow it without end.
const identities = new Map<string, NodeIdentity>();

function remember(node: NetworkNode): NodeIdentity {
  if (identities.size >= 50_000) identities.clear();
  const identity = {
    id: node.id,
    code: node.code,
    kind: node.kind,
    path: node.path,
    networkId: node.networkId,
  };
  identities.set(node.id, identity);
  return identity;
}

/** Where a node sits in the tree: what every authenticated request needs, without a query once known. */
export async function placement(db: Db, id: string): Promise<Placement | undefined> {
  const known = identities.get(id);
  if (known) return known;
  const node = await store.findById(db, id);
  return node ? remember(node) : undefined;
}

/**
 * The chain root → … → node by identity only (id, code, kind, path): enough to resolve inherited
 * settings, and served from memory once each node has been seen.
 */
export async function lineage(db: Db, nodeId: string): Promise<NodeIdentity[]> {
  const place = await placement(db, nodeId);
  if (!place) return [];
  const ids = place.path.split('/').filter(Boolean);
  const missing = ids.filter((id) => !identities.has(id));
  for (const node of await store.findManyById(db, missing)) remember(node);
  return ids.map((id) => identities.get(id)).filter((n): n is NodeIdentity => n !== undefined);
}

export async function listNodes(
  db: Db,
  viewer: Viewer,
  query: PageQuery & { kind?: NodeKind[]; parentCode?: string; q?: string },
): Promise<Result<Page<NetworkNode>>> {
  const cursor = decodeCursor(query.cursor);
  if (!cursor.ok) return cursor;
  let parentId: string | undefined;
  if (query.parentCode) {
    const parent = await getNode(db, viewer, query.parentCode);
    if (!parent.ok) return parent;
    parentId = parent.value.id;
  }
  const limit = query.limit ?? 50;
  const rows = await store.listVisible(db, viewer, {
    kind: query.kind,
    parentId,
    q: query.q,
    afterCode: cursor.value ? String(cursor.value[0]) : undefined,
    limit: limit + 1,
  });
  return ok(pageOf(rows, limit, (n) => [n.code]));
}

export async function createNode(db: Db, viewer: Viewer, input: CreateNode): Promise<Result<NetworkNode>> {
  const parent = await store.findByCode(db, viewer.networkId, input.parentCode);
  if (!parent || !canSee(viewer, parent)) {
    return invalid([
      {
        path: '/parentCode',
        code: 'NETWORK.PARENT_UNKNOWN',
        params: { parentCode: input.parentCode },
        message: `there is no node ${input.parentCode} visible to you`,
      },
    ]);
  }
  if (!canManage(viewer, parent)) {
    return fail(
      'forbidden',
      'NETWORK.NOT_MANAGER',
      `Only ${parent.code} or its ancestors may add nodes under it.`,
    );
  }
  const errors = validateNode(input, input.kind);
  if (!childKinds[parent.kind].includes(input.kind)) {
    errors.push({
      path: '/kind',
      code: 'NETWORK.KIND_NOT_ALLOWED',
      params: { parentKind: parent.kind, kind: input.kind },
      message: `a ${parent.kind} cannot hold a ${input.kind}`,
    });
  }
  if (input.kind === 'store' && input.cnpj == null) {
    errors.push({
      path: '/cnpj',
      code: 'NETWORK.CNPJ_REQUIRED',
      message: 'is required for a store (company)',
    });
  }
  if (errors.length) return invalid(errors);
  if (await store.findByCode(db, viewer.networkId, input.code)) {
    return fail('conflict', 'NETWORK.CODE_TAKEN', `The code ${input.code} is already used in this network.`);
  }
  const id = randomUUID();
  try {
    const [row] = await db
      .insert(nodes)
      .values({
        id,
        networkId: viewer.networkId,
        parentId: parent.id,
        kind: input.kind,
        code: input.code,
        path: pathOf(parent.path, id),
        ...columns(input),
        name: input.name,
        legalName: input.legalName,
      })
      .returning();
    return ok(store.toNode(row!));
  } catch (error) {
    return uniqueViolation(error) ?? rethrow(error);
  }
}

export async function updateNode(
  db: Db,
  viewer: Viewer,
  code: string,
  patch: Partial<NodeFields> & { version: number },
): Promise<Result<NetworkNode>> {
  return transaction(db, async (tx) => {
    const found = await store.findByCode(tx, viewer.networkId, code);
    if (!found || !canSee(viewer, found)) return notFound(code);
    const node = (await store.findById(tx, found.id, true))!;
    if (!canManage(viewer, node)) {
      return fail('forbidden', 'NETWORK.NOT_MANAGER', `Node ${code} is managed above you.`);
    }
    if (node.version !== patch.version) {
      return fail(
        'conflict',
        'NETWORK.STALE_VERSION',
        'The node changed since you read it; reload and retry.',
        {
          data: { currentVersion: node.version },
        },
      );
    }
    const merged = { ...node, ...patch };
    const errors = validateNode(
      { ...patch, cnpj: patch.cnpj === undefined ? undefined : patch.cnpj },
      node.kind,
    );
    if (node.kind === 'store' && merged.cnpj == null) {
      errors.push({
        path: '/cnpj',
        code: 'NETWORK.CNPJ_REQUIRED',
        message: 'is required for a store (company)',
      });
    }
    if (errors.length) return invalid(errors);
    try {
      const [row] = await tx
        .update(nodes)
        .set({ ...columns(patch), version: node.version + 1, updatedAt: new Date() })
        .where(and(eq(nodes.id, node.id), eq(nodes.version, node.version)))
        .returning();
      return ok(store.toNode(row!));
    } catch (error) {
      return uniqueViolation(error) ?? rethrow(error);
    }
  });
}

export async function deleteNode(db: Db, viewer: Viewer, code: string): Promise<Result<{ code: string }>> {
  return transaction(db, async (tx) => {
    const node = await store.findByCode(tx, viewer.networkId, code);
    if (!node || !canSee(viewer, node)) return notFound(code);
    if (!canManage(viewer, node) || node.id === viewer.nodeId || node.kind === 'network') {
      return fail('forbidden', 'NETWORK.NOT_MANAGER', `Node ${code} can only be removed from above it.`);
    }
    if ((await store.countChildren(tx, node.id)) > 0) {
      return fail('conflict', 'NETWORK.NODE_HAS_CHILDREN', `Node ${code} still has nodes under it.`);
    }
    try {
      await tx.transaction(async (sp) => {
        await sp.delete(nodes).where(eq(nodes.id, node.id));
      });
    } catch (error) {
      if (pgErrorCode(error) === '23503') {
        return fail(
          'conflict',
          'NETWORK.NODE_IN_USE',
          `Node ${code} has users, stock or other records; deactivate it instead (active: false).`,
        );
      }
      throw error;
    }
    return ok({ code });
  });
}

/** Stores the viewer may act on (its subtree), optionally restricted to some codes. */
export type { StoreSummary } from './store.ts';

/** Every store of a network in brief (id, code, name, parent, active, coordinates), by code. */
export const storeSummaries = (db: Db, networkId: string) => store.storeSummaries(db, networkId);

export function storesWithin(db: Db, viewer: Viewer, codes?: string[]): Promise<NetworkNode[]> {
  return store.storesWithin(db, viewer, codes);
}

/** One store the viewer may act on, or a not-found failure that names the code. */
export async function findStore(db: Db, viewer: Viewer, code: string): Promise<Result<NetworkNode>> {
  const [node] = await store.storesWithin(db, viewer, [code]);
  return node
    ? ok(node)
    : fail('not_found', 'NETWORK.STORE_NOT_FOUND', `There is no store ${code} visible to you.`);
}

/** The chain root → … → node, used to resolve inherited settings. */
export async function ancestry(db: Db, nodeId: string): Promise<NetworkNode[]> {
  const place = await placement(db, nodeId);
  if (!place) return [];
  const ids = place.path.split('/').filter(Boolean);
  const found = await store.findManyById(db, ids);
  return ids.map((id) => found.find((n) => n.id === id)!).filter(Boolean);
}

function uniqueViolation(error: unknown) {
  return pgErrorCode(error) === '23505'
    ? fail('conflict', 'NETWORK.DUPLICATE', 'Another node already has this code or CNPJ.')
    : undefined;
}

function rethrow(error: unknown): never {
  throw error;
}
