import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import * as audit from '../audit/service.ts';
import type { Db } from '../platform/db/index.ts';
import { pgErrorCode } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import {
  type Municipality,
  resolveMunicipality,
  searchMunicipalities as search,
} from '../platform/municipalities/index.ts';
import { decodeCursor, type Page, type PageQuery, pageOf } from '../platform/pagination.ts';
import { isUf } from '../platform/uf.ts';
import {
  type Address,
  type AddressInput,
  canManage,
  canSee,
  changedFields,
  childKinds,
  hasOpenWork,
  type NetworkNode,
  type NodeKind,
  normaliseCnpj,
  normaliseStateRegistration,
  OPEN_WORK_LISTED,
  type OpenWork,
  pathOf,
  snapshotOf,
  type Viewer,
  type Visibility,
  validateNode,
} from './domain.ts';
import { nodes } from './schema.ts';
import * as store from './store.ts';

export type { NetworkNode, OpenOrder, OpenStockRequest, OpenWork, Viewer } from './domain.ts';
export { canSee, distanceKm, isWithin, OPEN_WORK_LISTED } from './domain.ts';

export interface NodeFields {
  name: string;
  legalName: string;
  cnpj?: string | null;
  stateRegistration?: string | null;
  address?: AddressInput | null;
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

function columns(f: Partial<Omit<NodeFields, 'address'>> & { address?: Address | null }) {
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
  const prepared = prepare(input, 'network');
  if (!prepared.ok) return prepared;
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
      ...columns(prepared.value),
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

/** Every node's code as a subquery, for a context that writes codes beside its ids in one INSERT … SELECT. */
export function nodeCodes(db: Db) {
  return db.select({ id: nodes.id, code: nodes.code }).from(nodes).as('node_codes');
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

/**
 * Who changes the network: a principal of a request (its admins), or Omnihub itself placed at a node (the demo
 * seed). Either is written to the audit log as the actor.
 */
export type Editor = Principal | (Viewer & { system: audit.AuditActor });

const actorOf = (editor: Editor): Principal | audit.AuditActor =>
  'system' in editor ? editor.system : editor;

/** What other contexts tell the network about a store, handed over in app.ts (network sits below them). */
export interface NetworkHooks {
  /** Unfinished work at a store (orders, stock requests): a store with some cannot be deactivated. */
  openWork?: readonly ((db: Db, storeId: string) => Promise<OpenWork>)[];
}

const targetOf = (node: NetworkNode) => ({ type: 'node', id: node.id, label: `${node.code} — ${node.name}` });

/**
 * The address as stored: the IBGE municipality resolved from state + city (its current name kept), the code
 * a request sent checked against it.
 */
function resolveAddress(address: AddressInput): { address?: Address; errors: FieldError[] } {
  if (!isUf(address.state)) return { errors: [] };
  const found = resolveMunicipality(address.state, address.city);
  if (!found) {
    return {
      errors: [
        {
          path: '/address/city',
          code: 'NETWORK.CITY_UNKNOWN',
          params: { city: address.city, state: address.state },
          message: `is not a municipality of ${address.state}`,
        },
      ],
    };
  }
  if (address.cityCode != null && address.cityCode !== found.code) {
    return {
      errors: [
        {
          path: '/address/cityCode',
          code: 'NETWORK.CITY_CODE_MISMATCH',
          params: { cityCode: address.cityCode, expected: found.code, city: found.name },
          message: `is not the IBGE code of ${found.name}/${found.state} (${found.code})`,
        },
      ],
    };
  }
  return { address: { ...address, city: found.name, cityCode: found.code }, errors: [] };
}

/** Field checks plus the address resolved; the fields ready to store, or the errors. */
function prepare<T extends Partial<NodeFields>>(
  input: T,
  kind: NodeKind,
  current?: NetworkNode,
): Result<T & { address?: Address | null }> {
  const errors = validateNode(input, kind, current);
  let address: Address | null | undefined = input.address === null ? null : undefined;
  if (input.address) {
    const resolved = resolveAddress(input.address);
    errors.push(...resolved.errors);
    address = resolved.address;
  }
  const cnpj = input.cnpj !== undefined ? input.cnpj : current?.cnpj;
  if (kind === 'store' && cnpj == null && !errors.some((e) => e.path === '/cnpj')) {
    errors.push({
      path: '/cnpj',
      code: 'NETWORK.CNPJ_REQUIRED',
      message: 'is required for a store (company)',
    });
  }
  if (errors.length) return invalid(errors);
  return ok({ ...input, ...(address !== undefined && { address }) });
}

const codeTaken = (code: string) =>
  fail('conflict', 'NETWORK.CODE_TAKEN', `The code ${code} is already used in this network.`, {
    errors: [
      {
        path: '/code',
        code: 'NETWORK.CODE_TAKEN',
        params: { code },
        message: 'is already used in this network',
      },
    ],
  });

const cnpjTaken = () =>
  fail('conflict', 'NETWORK.CNPJ_TAKEN', 'Another store of this network already has this CNPJ.', {
    errors: [{ path: '/cnpj', code: 'NETWORK.CNPJ_TAKEN', message: 'is already the CNPJ of another store' }],
  });

async function cnpjConflict(
  db: Db,
  networkId: string,
  kind: NodeKind,
  cnpj: string | null | undefined,
  self?: string,
) {
  if (kind !== 'store' || !cnpj) return undefined;
  const normalised = normaliseCnpj(cnpj);
  if (!normalised) return undefined;
  const other = await store.findStoreByCnpj(db, networkId, normalised);
  return other && other.id !== self ? cnpjTaken() : undefined;
}

export async function createNode(db: Db, editor: Editor, input: CreateNode): Promise<Result<NetworkNode>> {
  return transaction(db, async (tx) => {
    const parent = await store.findByCode(tx, editor.networkId, input.parentCode);
    // A parent outside the editor's subtree is answered as one that does not exist (it may be a visible ancestor).
    if (!parent || !canManage(editor, parent)) {
      return invalid([
        {
          path: '/parentCode',
          code: 'NETWORK.PARENT_UNKNOWN',
          params: { parentCode: input.parentCode },
          message: `there is no node ${input.parentCode} you manage`,
        },
      ]);
    }
    const prepared = prepare(input, input.kind);
    const kindErrors: FieldError[] = childKinds[parent.kind].includes(input.kind)
      ? []
      : [
          {
            path: '/kind',
            code: 'NETWORK.KIND_NOT_ALLOWED',
            params: { parentKind: parent.kind, kind: input.kind },
            message: `a ${parent.kind} cannot hold a ${input.kind}`,
          },
        ];
    if (!prepared.ok) {
      return kindErrors.length ? invalid([...kindErrors, ...(prepared.failure.errors ?? [])]) : prepared;
    }
    if (kindErrors.length) return invalid(kindErrors);
    if (await store.findByCode(tx, editor.networkId, input.code)) return codeTaken(input.code);
    const taken = await cnpjConflict(tx, editor.networkId, input.kind, input.cnpj);
    if (taken) return taken;
    const id = randomUUID();
    try {
      const [row] = await tx
        .insert(nodes)
        .values({
          id,
          networkId: editor.networkId,
          parentId: parent.id,
          kind: input.kind,
          code: input.code,
          path: pathOf(parent.path, id),
          ...columns(prepared.value),
          name: input.name,
          legalName: input.legalName,
        })
        .returning();
      const node = store.toNode(row!);
      await audit.record(tx, actorOf(editor), audit.scopeOf(node), {
        action: 'node.created',
        target: targetOf(node),
        before: null,
        after: snapshotOf(node),
      });
      return ok(node);
    } catch (error) {
      return uniqueViolation(error, input.code) ?? rethrow(error);
    }
  });
}

export async function updateNode(
  db: Db,
  editor: Editor,
  code: string,
  patch: Partial<NodeFields> & { version: number },
  hooks: NetworkHooks = {},
): Promise<Result<NetworkNode>> {
  return transaction(db, async (tx) => {
    const found = await store.findByCode(tx, editor.networkId, code);
    // Outside the editor's subtree a node is not found, even a public ancestor it may read.
    if (!found || !canManage(editor, found)) return notFound(code);
    const node = (await store.findById(tx, found.id, true))!;
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
    const prepared = prepare(patch, node.kind, node);
    if (!prepared.ok) return prepared;
    const taken = await cnpjConflict(tx, editor.networkId, node.kind, patch.cnpj, node.id);
    if (taken) return taken;
    if (patch.active === false && node.active) {
      const refused = await deactivationRefused(tx, editor, node, hooks);
      if (refused) return refused;
    }
    const { version: _version, ...fields } = prepared.value;
    let row: typeof nodes.$inferSelect | undefined;
    try {
      [row] = await tx
        .update(nodes)
        .set({ ...columns(fields), version: node.version + 1, updatedAt: new Date() })
        .where(and(eq(nodes.id, node.id), eq(nodes.version, node.version)))
        .returning();
    } catch (error) {
      return uniqueViolation(error, node.code) ?? rethrow(error);
    }
    const updated = store.toNode(row!);
    const scope = audit.scopeOf(updated);
    const diff = changedFields(node, updated);
    if (diff.changed.length) {
      await audit.record(tx, actorOf(editor), scope, {
        action: 'node.updated',
        target: targetOf(updated),
        before: diff.before,
        after: diff.after,
      });
    }
    if (node.active !== updated.active) {
      await audit.record(tx, actorOf(editor), scope, {
        action: updated.active ? 'node.reactivated' : 'node.deactivated',
        target: targetOf(updated),
        before: { active: node.active },
        after: { active: updated.active },
      });
    }
    return ok(updated);
  });
}

/**
 * Why a node may not be deactivated now: a store with unfinished orders or stock requests (409 listing them),
 * a central with active stores below it, the network itself, the editor's own node.
 */
async function deactivationRefused(tx: Db, editor: Editor, node: NetworkNode, hooks: NetworkHooks) {
  if (node.kind === 'network' || node.id === editor.nodeId) {
    return fail(
      'forbidden',
      'NETWORK.CANNOT_DEACTIVATE',
      `Node ${node.code} can only be deactivated from above it.`,
    );
  }
  if (node.kind === 'central') {
    const active = await store.activeStoresBelow(tx, node.path, OPEN_WORK_LISTED);
    if (active.total === 0) return undefined;
    return fail(
      'conflict',
      'NETWORK.NODE_HAS_ACTIVE_STORES',
      `Central ${node.code} still has ${active.total} active store(s); deactivate them first.`,
      { data: { stores: active.items, total: active.total } },
    );
  }
  const work: OpenWork = {};
  for (const probe of hooks.openWork ?? []) Object.assign(work, await probe(tx, node.id));
  if (!hasOpenWork(work)) return undefined;
  const orders = work.orders ?? { items: [], total: 0 };
  const stockRequests = work.stockRequests ?? { items: [], total: 0 };
  return fail(
    'conflict',
    'NETWORK.NODE_HAS_OPEN_WORK',
    `Store ${node.code} has ${orders.total} open order(s) and ${stockRequests.total} open stock request(s); finish or move them first.`,
    {
      data: {
        orders: orders.items,
        ordersTotal: orders.total,
        stockRequests: stockRequests.items,
        stockRequestsTotal: stockRequests.total,
      },
    },
  );
}

export async function deleteNode(db: Db, editor: Editor, code: string): Promise<Result<{ code: string }>> {
  return transaction(db, async (tx) => {
    const node = await store.findByCode(tx, editor.networkId, code);
    if (!node || !canManage(editor, node)) return notFound(code);
    if (node.id === editor.nodeId || node.kind === 'network') {
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
    await audit.record(tx, actorOf(editor), audit.scopeOf(node), {
      action: 'node.deleted',
      target: targetOf(node),
      before: snapshotOf(node),
      after: null,
    });
    return ok({ code });
  });
}

/** Municipalities of a state whose name contains the text (accents, case and punctuation aside). */
export function searchMunicipalities(state: string, text: string, limit: number): Result<Municipality[]> {
  const uf = state.toUpperCase();
  if (!isUf(uf)) {
    return invalid([
      {
        path: '/state',
        code: 'NETWORK.STATE_UNKNOWN',
        params: { state },
        message: 'is not a Brazilian state (UF)',
      },
    ]);
  }
  return ok(search(uf, text, limit));
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

/** The field a unique index names, when an insert or update raced another one past the checks above. */
function uniqueViolation(error: unknown, code: string) {
  if (pgErrorCode(error) !== '23505') return undefined;
  return constraintOf(error) === 'nodes_network_cnpj_uq' ? cnpjTaken() : codeTaken(code);
}

function constraintOf(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const name = (e as { constraint?: unknown }).constraint;
    if (typeof name === 'string') return name;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function rethrow(error: unknown): never {
  throw error;
}
