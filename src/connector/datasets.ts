import * as catalog from '../catalog/service.ts';
import * as network from '../network/service.ts';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import * as stock from '../stock/service.ts';
import type { DatasetRecord } from './adapters/index.ts';
import type { InterfaceSource } from './domain.ts';

/** The most records one run sends; the next run sends the rest (orders) or the same snapshot (stock). */
export const DATASET_LIMIT = 10_000;

/**
 * What an outbound interface sends (issue 16 §1), as flat records any format can carry:
 * - `stock`: the available quantity of each e-commerce product in each store of the network;
 * - `orders`: the orders changed since the interface's last successful run (all of them on the first).
 */
export async function buildDataset(
  db: Db,
  networkId: string,
  source: InterfaceSource,
  since: Date | null,
): Promise<DatasetRecord[]> {
  const stores = await network.storeSummaries(db, networkId);
  const storeCode = new Map(stores.map((s) => [s.id, s.code]));
  if (source === 'orders') {
    const changed = await orders.ordersChangedSince(db, networkId, since, DATASET_LIMIT);
    return changed.map((o) => ({
      id: o.id,
      storeCode: storeCode.get(o.storeId) ?? null,
      number: o.number,
      externalId: o.externalId,
      status: o.status,
      total: o.total,
      updatedAt: o.updatedAt.toISOString(),
    }));
  }
  if (source === 'stock') {
    const products = await catalog.listProductRefs(db, networkId, {
      ecommerceOnly: true,
      limit: DATASET_LIMIT,
    });
    const sku = new Map(products.map((p) => [p.id, p.sku]));
    const balances = await stock.balances(db, {
      storeIds: stores.filter((s) => s.active).map((s) => s.id),
      productIds: products.map((p) => p.id),
    });
    return balances
      .map((b) => ({
        storeCode: storeCode.get(b.storeId)!,
        sku: sku.get(b.productId)!,
        available: b.available,
      }))
      .sort((a, b) => a.storeCode.localeCompare(b.storeCode) || a.sku.localeCompare(b.sku))
      .slice(0, DATASET_LIMIT);
  }
  throw new Error(`the ${source} dataset is not built`);
}
