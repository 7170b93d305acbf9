import * as delivery from '../delivery/service.ts';
import type * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import * as orders from '../orders/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { ok, type Result } from '../platform/errors.ts';
import * as stock from '../stock/service.ts';
import type { Candidate, LineState, RoutingStrategy } from './domain.ts';
import * as store from './store.ts';

export const STOCK_REQUEST_REFERENCE = 'stock_request';
export const DAY = 86_400_000;

export interface SplitDeps extends fiscal.IssuingDeps {
  strategy?: RoutingStrategy;
}

export const splitCaller: orders.OrderCaller = { ...orders.systemCaller('split'), name: 'Split de pedido' };
export const actorOf = (caller: orders.OrderCaller) => `${caller.kind}:${caller.id}`;

export interface OrderFacts {
  order: orders.OrderRow;
  items: { productId: string; sku: string; description: string; quantity: number; unitPrice: string }[];
  main: network.NetworkNode;
}

export async function orderFacts(
  db: Db,
  caller: orders.OrderCaller,
  orderId: string,
): Promise<Result<OrderFacts>> {
  const details = await orders.orderDetails(db, orderId);
  if (!details || !(await orders.canSee(db, caller, details.order))) return orders.orderNotFound(orderId);
  const main = await network.getNodeById(db, details.order.storeId);
  if (!main) throw new Error(`order ${orderId}: its store is gone`);
  return ok({ order: details.order, items: details.items, main });
}

/** Requested, held at the main store and on its way, per line. */
export async function lineStates(db: Db, facts: OrderFacts): Promise<LineState[]> {
  const held = new Map<string, number>();
  for (const r of await stock.reservationsOf(db, { type: 'order', id: facts.order.id }))
    if (r.status === 'active' && r.storeId === facts.order.storeId)
      held.set(r.productId, (held.get(r.productId) ?? 0) + r.quantity);
  const allocated = await store.allocatedOf(db, facts.order.id);
  return facts.items.map((i) => ({
    productId: i.productId,
    sku: i.sku,
    requested: i.quantity,
    held: held.get(i.productId) ?? 0,
    allocated: allocated.get(i.productId) ?? 0,
  }));
}

/**
 * The companies that may serve the order: the main store, and the stores of the group that take part in
 * the split (TP_UTILIZA_PRATELEIRA), that the main store sees (its TP_VISUAL_EMP_PRATELEIRA: only
 * itself, its central's stores, or the whole network) and that the order's delivery experiences enable
 * (those of its type and carrier that include the main store; none configured: no such limit), each with
 * its available stock and its distance.
 */
export async function candidatesFor(db: Db, facts: OrderFacts, productIds: string[]): Promise<Candidate[]> {
  const { main } = facts;
  const visibility = (await parameters.resolve(db, main.id, 'TP_VISUAL_EMP_PRATELEIRA')).value;
  const mainUses = (await parameters.resolve(db, main.id, 'TP_UTILIZA_PRATELEIRA')).value === true;
  let others: network.StoreSummary[] = [];
  if (mainUses && visibility !== '1') {
    const all = await network.storeSummaries(db, main.networkId);
    others = all.filter(
      (s) => s.id !== main.id && s.active && (visibility === '3' || s.parentId === main.parentId),
    );
    const uses = await parameters.resolveAtNodes(
      db,
      others.map((s) => s.id),
      'TP_UTILIZA_PRATELEIRA',
    );
    others = others.filter((s) => uses.get(s.id) === true);
    const { storeIds } = await delivery.allowedStoresFor(db, {
      storeId: main.id,
      deliveryType: facts.order.deliveryType,
      carrier: facts.order.carrier,
    });
    if (storeIds) others = others.filter((s) => storeIds.has(s.id));
  }
  const companies = [main, ...others];
  const eligible = new Set(companies.map((c) => c.id));
  const available = new Map<string, Map<string, number>>();
  for (const [productId, byStore] of await stock.availableAcrossStores(db, productIds))
    for (const [storeId, units] of byStore) {
      if (!eligible.has(storeId)) continue;
      const m = available.get(storeId) ?? new Map<string, number>();
      m.set(productId, units);
      available.set(storeId, m);
    }
  const at = (n: { latitude: number | null; longitude: number | null }) =>
    n.latitude !== null && n.longitude !== null ? { latitude: n.latitude, longitude: n.longitude } : null;
  const origin = at(main);
  return companies.map((c) => {
    const there = at(c);
    return {
      storeId: c.id,
      storeCode: c.code,
      storeName: c.name,
      isMain: c.id === main.id,
      distanceKm:
        c.id === main.id
          ? 0
          : origin && there
            ? Math.round(network.distanceKm(origin, there) * 10) / 10
            : null,
      available: available.get(c.id) ?? new Map(),
    };
  });
}
