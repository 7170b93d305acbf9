import { and, eq, inArray } from 'drizzle-orm';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { carrierAccounts } from './schema.ts';

/**
 * The carrier codes whose events reach a store's orders by themselves: an active account on the store or one
 * of its ancestors. An order of any other carrier (PROPRIA, a carrier without an account, none at all) is
 * moved to "in transit" and "delivered" by hand, so no ship order is ever stuck after invoicing.
 */
export async function carrierCodesWithAccount(db: Db, storeId: string): Promise<string[]> {
  const chain = await network.lineage(db, storeId);
  if (chain.length === 0) return [];
  const found = await db
    .selectDistinct({ code: carrierAccounts.carrierCode })
    .from(carrierAccounts)
    .where(
      and(
        inArray(
          carrierAccounts.nodeId,
          chain.map((n) => n.id),
        ),
        eq(carrierAccounts.active, true),
      ),
    );
  return found.map((r) => r.code).sort();
}
