import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.ts';
import { connectorConnections } from '../schema.ts';
import type { ConnectionRow } from '../store.ts';

/**
 * The Nuvemshop connections of a store id, whatever their network: a webhook names only the store, and its
 * signature is checked with that connection's app secret. Saving refuses a store id another network holds,
 * so there is at most one.
 */
export async function connectionsOfStore(db: Db, storeId: string): Promise<ConnectionRow[]> {
  return db
    .select()
    .from(connectorConnections)
    .where(
      and(
        eq(connectorConnections.platform, 'nuvemshop'),
        sql`${connectorConnections.settings}->>'storeId' = ${storeId}`,
      ),
    );
}
