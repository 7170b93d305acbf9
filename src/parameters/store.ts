import { and, eq, inArray, sql } from 'drizzle-orm';
import { cacheOf } from '../platform/cache/index.ts';
import type { Db } from '../platform/db/index.ts';
import { parameterValues } from './schema.ts';

/** Every value set on a node, by code: what a flow reads on every order, cached (src/platform/cache). */
const nodeValues = cacheOf<Readonly<Record<string, unknown>>>(['parameter_values']);

/**
 * Values set on these nodes, by node id then code. The value is read as jsonb text and parsed here:
 * drizzle's jsonb mapping re-parses strings, which would turn the stored string "01" into the number 1.
 * All of a node's values are read (and cached) at once; `codes` picks among them.
 */
export async function valuesOn(
  db: Db,
  nodeIds: readonly string[],
  codes?: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const byNode = new Map<string, Record<string, unknown>>();
  if (nodeIds.length === 0) return byNode;
  const all = await nodeValues.getMany(db, nodeIds, async (missing) => {
    const rows = await db
      .select({
        nodeId: parameterValues.nodeId,
        code: parameterValues.code,
        json: sql<string>`${parameterValues.value}::text`,
      })
      .from(parameterValues)
      .where(inArray(parameterValues.nodeId, missing));
    const loaded = new Map<string, Record<string, unknown>>(missing.map((id) => [id, {}]));
    for (const row of rows) loaded.get(row.nodeId)![row.code] = JSON.parse(row.json);
    return loaded;
  });
  const wanted = codes && new Set(codes);
  for (const [nodeId, values] of all) {
    const picked: Record<string, unknown> = {};
    for (const [code, value] of Object.entries(values)) if (!wanted || wanted.has(code)) picked[code] = value;
    if (Object.keys(picked).length) byNode.set(nodeId, picked);
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
