import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { parameterValues } from './schema.ts';

/**
 * Values set on these nodes, by node id then code. The value is read as jsonb text and parsed here:
 * drizzle's jsonb mapping re-parses strings, which would turn the stored string "01" into the number 1.
 */
export async function valuesOn(
  db: Db,
  nodeIds: readonly string[],
  codes?: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const byNode = new Map<string, Record<string, unknown>>();
  if (nodeIds.length === 0) return byNode;
  const rows = await db
    .select({
      nodeId: parameterValues.nodeId,
      code: parameterValues.code,
      json: sql<string>`${parameterValues.value}::text`,
    })
    .from(parameterValues)
    .where(
      and(
        inArray(parameterValues.nodeId, [...nodeIds]),
        codes ? inArray(parameterValues.code, [...codes]) : undefined,
      ),
    );
  for (const row of rows) {
    const values = byNode.get(row.nodeId) ?? {};
    values[row.code] = JSON.parse(row.json);
    byNode.set(row.nodeId, values);
  }
  return byNode;
}

export async function upsertValue(
  db: Db,
  row: { nodeId: string; code: string; value: unknown; updatedBy: string },
): Promise<void> {
  const now = new Date();
  await db
    .insert(parameterValues)
    .values({ ...row, updatedAt: now })
    .onConflictDoUpdate({
      target: [parameterValues.nodeId, parameterValues.code],
      set: { value: row.value, updatedBy: row.updatedBy, updatedAt: now },
    });
}

export async function deleteValue(db: Db, nodeId: string, code: string): Promise<boolean> {
  const deleted = await db
    .delete(parameterValues)
    .where(and(eq(parameterValues.nodeId, nodeId), eq(parameterValues.code, code)))
    .returning({ code: parameterValues.code });
  return deleted.length > 0;
}
