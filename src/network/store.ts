import { and, asc, eq, gt, ilike, inArray, like, or, sql } from 'drizzle-orm';
import { cacheOf } from '../platform/cache/index.ts';
import type { Db } from '../platform/db/index.ts';
import { rows } from '../platform/db/sql.ts';
import { type Address, canSee, type NetworkNode, type NodeKind, type Viewer } from './domain.ts';
import { nodes } from './schema.ts';

type Row = typeof nodes.$inferSelect;

export function toNode(row: Row): NetworkNode {
  const address: Address | null = row.street
    ? {
        street: row.street,
        number: row.number ?? '',
        complement: row.complement,
        district: row.district ?? '',
        city: row.city ?? '',
        cityCode: row.cityCode ?? '',
        state: row.state ?? '',
        postalCode: row.postalCode ?? '',
      }
    : null;
  return {
    id: row.id,
    networkId: row.networkId,
    parentId: row.parentId,
    kind: row.kind,
    code: row.code,
    path: row.path,
    name: row.name,
    legalName: row.legalName,
    cnpj: row.cnpj,
    stateRegistration: row.stateRegistration,
    address,
    latitude: row.latitude === null ? null : Number(row.latitude),
    longitude: row.longitude === null ? null : Number(row.longitude),
    email: row.email,
    visibility: row.visibility,
    active: row.active,
    version: row.version,
  };
}

export function addressColumns(address: Address | null | undefined) {
  if (address === undefined) return {};
  return {
    street: address?.street ?? null,
    number: address?.number ?? null,
    complement: address?.complement ?? null,
    district: address?.district ?? null,
    city: address?.city ?? null,
    cityCode: address?.cityCode ?? null,
    state: address?.state ?? null,
    postalCode: address?.postalCode?.replace('-', '') ?? null,
  };
}

export async function findByCode(db: Db, networkId: string, code: string): Promise<NetworkNode | undefined> {
  const [row] = await db
    .select()
    .from(nodes)
    .where(and(eq(nodes.networkId, networkId), eq(nodes.code, code)));
  return row && toNode(row);
}

/** Nodes by id and by network and code: what every order reads of its store, cached (src/platform/cache). */
const byId = cacheOf<NetworkNode>(['nodes']);
const byCode = cacheOf<NetworkNode>(['nodes']);
/** A copy, so a caller that changes what it got does not change the cache. */
const copy = (n: NetworkNode): NetworkNode => ({ ...n, address: n.address && { ...n.address } });

export async function findById(db: Db, id: string, lock = false): Promise<NetworkNode | undefined> {
  const q = db.select().from(nodes).where(eq(nodes.id, id));
  if (lock) {
    const [row] = await q.for('update');
    return row && toNode(row);
  }
  const node = await byId.get(db, id, async () => {
    const [row] = await q;
    return row && toNode(row);
  });
  return node && copy(node);
}

export async function findManyById(db: Db, ids: string[]): Promise<NetworkNode[]> {
  if (ids.length === 0) return [];
  return (await db.select().from(nodes).where(inArray(nodes.id, ids))).map(toNode);
}

export interface NodeFilter {
  kind?: NodeKind[];
  parentId?: string;
  codes?: string[];
  q?: string;
  afterCode?: string;
  limit: number;
}

/**
 * Nodes the viewer sees: its subtree, plus public ancestors. SQL narrows the rows to the subtree and the
 * ancestors; whether an ancestor may be seen is `canSee`'s alone, so the rule lives in one place. At most one
 * row per ancestor is dropped, so asking for that many more still fills the page.
 */
export async function listVisible(db: Db, viewer: Viewer, f: NodeFilter): Promise<NetworkNode[]> {
  const ancestorIds = viewer.nodePath.split('/').filter(Boolean);
  const rows = await db
    .select()
    .from(nodes)
    .where(
      and(
        eq(nodes.networkId, viewer.networkId),
        or(like(nodes.path, `${viewer.nodePath}%`), inArray(nodes.id, ancestorIds)),
        f.kind?.length ? inArray(nodes.kind, f.kind) : undefined,
        f.parentId ? eq(nodes.parentId, f.parentId) : undefined,
        f.codes?.length ? inArray(nodes.code, f.codes) : undefined,
        f.q
          ? or(ilike(nodes.name, `%${f.q}%`), ilike(nodes.code, `${f.q}%`), ilike(nodes.city, `%${f.q}%`))
          : undefined,
        f.afterCode !== undefined ? gt(nodes.code, f.afterCode) : undefined,
      ),
    )
    .orderBy(asc(nodes.code))
    .limit(f.limit + ancestorIds.length);
  return rows
    .map(toNode)
    .filter((node) => canSee(viewer, node))
    .slice(0, f.limit);
}

/** Stores in the viewer's subtree (what a viewer may act on), optionally only those codes. */
export async function storesWithin(db: Db, viewer: Viewer, codes?: string[]): Promise<NetworkNode[]> {
  // A few stores by code (an order's store, a request's): from the cache, filtered here as the query would.
  if (codes?.length && codes.length <= 10) {
    const found = await byCode.getMany(
      db,
      codes.map((code) => `${viewer.networkId}\u0000${code}`),
      async (missing) => {
        const rows = await db
          .select()
          .from(nodes)
          .where(
            and(
              eq(nodes.networkId, viewer.networkId),
              inArray(
                nodes.code,
                missing.map((key) => key.slice(viewer.networkId.length + 1)),
              ),
            ),
          );
        return new Map(rows.map((row) => [`${viewer.networkId}\u0000${row.code}`, toNode(row)]));
      },
    );
    return [...found.values()]
      .filter((n) => n.kind === 'store' && n.path.startsWith(viewer.nodePath))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map(copy);
  }
  const rows = await db
    .select()
    .from(nodes)
    .where(
      and(
        eq(nodes.networkId, viewer.networkId),
        like(nodes.path, `${viewer.nodePath}%`),
        eq(nodes.kind, 'store'),
        codes?.length ? inArray(nodes.code, codes) : undefined,
      ),
    )
    .orderBy(asc(nodes.code));
  return rows.map(toNode);
}

export async function countChildren(db: Db, id: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(nodes).where(eq(nodes.parentId, id));
  return Number(row?.n ?? 0);
}

export interface StoreSummary {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  active: boolean;
  latitude: number | null;
  longitude: number | null;
}

/**
 * Every store of a network in brief, as one row of JSON: what a flow weighing the whole network (the
 * split's router) needs, without a thousand rows through the driver.
 */
export async function storeSummaries(db: Db, networkId: string): Promise<StoreSummary[]> {
  const [row] = await rows<{ list: string }>(
    db,
    sql`select coalesce(json_agg(json_build_object('id', id, 'code', code, 'name', name,
          'parentId', parent_id, 'active', active, 'latitude', latitude, 'longitude', longitude)
          order by code), '[]')::text as list
        from ${nodes} where network_id = ${networkId} and kind = 'store'`,
  );
  return (JSON.parse(row?.list ?? '[]') as StoreSummary[]).map((s) => ({
    ...s,
    latitude: s.latitude === null ? null : Number(s.latitude),
    longitude: s.longitude === null ? null : Number(s.longitude),
  }));
}

/** The store of a network with that CNPJ (normalised), if any. */
export async function findStoreByCnpj(
  db: Db,
  networkId: string,
  cnpj: string,
): Promise<NetworkNode | undefined> {
  const [row] = await db
    .select()
    .from(nodes)
    .where(and(eq(nodes.networkId, networkId), eq(nodes.kind, 'store'), eq(nodes.cnpj, cnpj)));
  return row && toNode(row);
}

/** Active stores below a node (by code), the first `limit` of them and how many there are. */
export async function activeStoresBelow(
  db: Db,
  path: string,
  limit: number,
): Promise<{ items: { code: string; name: string }[]; total: number }> {
  const where = and(like(nodes.path, `${path}%`), eq(nodes.kind, 'store'), eq(nodes.active, true));
  const items = await db
    .select({ code: nodes.code, name: nodes.name })
    .from(nodes)
    .where(where)
    .orderBy(asc(nodes.code))
    .limit(limit);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(nodes).where(where);
  return { items, total: Number(count?.n ?? 0) };
}
