import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.ts';
import { posSyncRecords } from './schema.ts';

/** The live payload of a record (null when absent or a tombstone). */
export async function current(
  db: Db,
  dataType: string,
  scopeNodeId: string,
  key: string,
): Promise<Record<string, unknown> | null> {
  const [row] = await db
    .select({ payload: posSyncRecords.payload })
    .from(posSyncRecords)
    .where(
      and(
        eq(posSyncRecords.dataType, dataType),
        eq(posSyncRecords.scopeNodeId, scopeNodeId),
        eq(posSyncRecords.recordKey, key),
      ),
    );
  return (row?.payload as Record<string, unknown> | null | undefined) ?? null;
}

/** Through pos_sync_put, as the triggers write: one way into the feed, one position rule. */
export async function put(
  db: Db,
  networkId: string,
  dataType: string,
  scopeNodeId: string,
  key: string,
  payload: Record<string, unknown> | null,
): Promise<void> {
  await db.execute(
    sql`select pos_sync_put(${networkId}::uuid, ${dataType}::text, ${scopeNodeId}::uuid, ${key}::text,
      ${payload === null ? null : JSON.stringify(payload)}::jsonb)`,
  );
}
