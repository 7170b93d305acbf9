import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import type { MappingKind, Platform } from './domain.ts';
import { connectorConnections, connectorMappings } from './schema.ts';

export type ConnectionRow = typeof connectorConnections.$inferSelect;
export type MappingRow = typeof connectorMappings.$inferSelect;

export async function findConnection(
  db: Db,
  networkId: string,
  platform: Platform,
): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .select()
    .from(connectorConnections)
    .where(and(eq(connectorConnections.networkId, networkId), eq(connectorConnections.platform, platform)));
  return row;
}

export async function findConnectionByClient(db: Db, clientId: string): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .select()
    .from(connectorConnections)
    .where(eq(connectorConnections.clientId, clientId));
  return row;
}

/** The mappings of one kind whose `side` code is one of `codes`: both lookups below are this one query. */
function mappingsWhere(
  db: Db,
  key: { networkId: string; platform: Platform; kind: MappingKind },
  side: 'external' | 'internal',
  codes: readonly string[],
) {
  const column = side === 'external' ? connectorMappings.externalCode : connectorMappings.internalCode;
  return db
    .select({ external: connectorMappings.externalCode, internal: connectorMappings.internalCode })
    .from(connectorMappings)
    .where(
      and(
        eq(connectorMappings.networkId, key.networkId),
        eq(connectorMappings.platform, key.platform),
        eq(connectorMappings.kind, key.kind),
        inArray(column, [...new Set(codes)]),
      ),
    );
}

/** The internal codes of some external codes of one kind: one query for an order's SKUs. */
export async function mappedCodes(
  db: Db,
  networkId: string,
  platform: Platform,
  kind: MappingKind,
  externalCodes: readonly string[],
): Promise<Map<string, string>> {
  if (externalCodes.length === 0) return new Map();
  const found = await mappingsWhere(db, { networkId, platform, kind }, 'external', externalCodes);
  return new Map(found.map((r) => [r.external, r.internal]));
}

/**
 * The platform's codes of some internal codes of one kind (the reverse of `mappedCodes`): an Omnihub store's
 * warehouse, an Omnihub SKU's platform SKU. When several external codes map to one internal code, the first
 * by external code answers, so the choice is stable.
 */
export async function externalCodes(
  db: Db,
  networkId: string,
  platform: Platform,
  kind: MappingKind,
  internalCodes: readonly string[],
): Promise<Map<string, string>> {
  if (internalCodes.length === 0) return new Map();
  const found = await mappingsWhere(db, { networkId, platform, kind }, 'internal', internalCodes).orderBy(
    desc(connectorMappings.externalCode),
  );
  // Descending, so the first external code by order is the one left in the map.
  return new Map(found.map((r) => [r.internal, r.external]));
}

export async function listMappings(
  db: Db,
  networkId: string,
  platform: Platform,
  kind?: MappingKind,
): Promise<MappingRow[]> {
  return db
    .select()
    .from(connectorMappings)
    .where(
      and(
        eq(connectorMappings.networkId, networkId),
        eq(connectorMappings.platform, platform),
        kind ? eq(connectorMappings.kind, kind) : undefined,
      ),
    )
    .orderBy(connectorMappings.kind, connectorMappings.externalCode);
}

export async function findMapping(
  db: Db,
  key: { networkId: string; platform: Platform; kind: MappingKind; externalCode: string },
): Promise<MappingRow | undefined> {
  const [row] = await db
    .select()
    .from(connectorMappings)
    .where(
      and(
        eq(connectorMappings.networkId, key.networkId),
        eq(connectorMappings.platform, key.platform),
        eq(connectorMappings.kind, key.kind),
        eq(connectorMappings.externalCode, key.externalCode),
      ),
    );
  return row;
}

export async function upsertMapping(db: Db, m: Omit<MappingRow, 'updatedAt'>): Promise<MappingRow> {
  const [row] = await db
    .insert(connectorMappings)
    .values(m)
    .onConflictDoUpdate({
      target: [
        connectorMappings.networkId,
        connectorMappings.platform,
        connectorMappings.kind,
        connectorMappings.externalCode,
      ],
      set: { internalCode: m.internalCode, updatedBy: m.updatedBy, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

export async function deleteMapping(
  db: Db,
  key: { networkId: string; platform: Platform; kind: MappingKind; externalCode: string },
): Promise<MappingRow | undefined> {
  const [row] = await db
    .delete(connectorMappings)
    .where(
      and(
        eq(connectorMappings.networkId, key.networkId),
        eq(connectorMappings.platform, key.platform),
        eq(connectorMappings.kind, key.kind),
        eq(connectorMappings.externalCode, key.externalCode),
      ),
    )
    .returning();
  return row;
}

export async function saveConnectionRow(
  db: Db,
  c: Omit<ConnectionRow, 'id' | 'updatedAt'>,
): Promise<ConnectionRow> {
  const [row] = await db
    .insert(connectorConnections)
    .values(c)
    .onConflictDoUpdate({
      target: [connectorConnections.networkId, connectorConnections.platform],
      set: {
        settings: c.settings,
        secrets: c.secrets,
        active: c.active,
        updatedBy: c.updatedBy,
        updatedAt: new Date(),
      },
    })
    .returning();
  return row!;
}
