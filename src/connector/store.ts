import { and, eq, inArray } from 'drizzle-orm';
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

/** The internal codes of some external codes of one kind: one query for an order's SKUs. */
export async function mappedCodes(
  db: Db,
  networkId: string,
  platform: Platform,
  kind: MappingKind,
  externalCodes: readonly string[],
): Promise<Map<string, string>> {
  if (externalCodes.length === 0) return new Map();
  const found = await db
    .select({ external: connectorMappings.externalCode, internal: connectorMappings.internalCode })
    .from(connectorMappings)
    .where(
      and(
        eq(connectorMappings.networkId, networkId),
        eq(connectorMappings.platform, platform),
        eq(connectorMappings.kind, kind),
        inArray(connectorMappings.externalCode, [...new Set(externalCodes)]),
      ),
    );
  return new Map(found.map((r) => [r.external, r.internal]));
}
