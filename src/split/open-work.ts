import * as network from '../network/service.ts';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import * as store from './store.ts';

/**
 * A store's stock requests still on their way, as the one asking for goods or the one supplying them: the
 * network asks before deactivating the store (handed to it in app.ts: the network sits below the split).
 */
export async function openWorkAt(db: Db, storeId: string): Promise<Pick<network.OpenWork, 'stockRequests'>> {
  const found = await store.inFlightAt(db, storeId, network.OPEN_WORK_LISTED);
  const numbers = await orders.numbersOf(
    db,
    found.items.map((r) => r.orderId),
  );
  return {
    stockRequests: {
      items: found.items.map((r) => ({
        id: r.id,
        orderId: r.orderId,
        orderNumber: numbers.get(r.orderId) ?? null,
        status: r.status,
      })),
      total: found.total,
    },
  };
}
