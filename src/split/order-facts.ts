import * as delivery from '../delivery/service.ts';
import type * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import * as orders from '../orders/service.ts';
import * as parameters from '../parameters/service.ts';
import { cacheOf } from '../platform/cache/index.ts';
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

/** A company that may serve a store's orders of one kind, without its stock. */
interface Company {
  id: string;
  code: string;
  name: string;
  distanceKm: number | null;
}

/**
 * Who may serve a main store's orders of one delivery type and carrier changes only with the tree, a
 * parameter or a delivery experience: kept per process and dropped when any of those tables changes
 * (src/platform/cache), so a router weighing thousands of stores reads only their stock per call.
 */
const eligible = cacheOf<readonly Company[]>([
  'nodes',
  'parameter_values',
  'delivery_experiences',
  'delivery_experience_stores',
]);

/**
 * The companies that may serve the order: the main store, and the stores of the group that take part in
 * the split (TP_UTILIZA_PRATELEIRA), that the main store sees (its TP_VISUAL_EMP_PRATELEIRA: only
 * itself, its central's stores, or the whole network) and that the order's delivery experiences enable
 * (those of its type and carrier that include the main store; none configured: no such limit). The main
 * store first, then the nearest (without coordinates last), then by code.
 */
async function companiesFor(db: Db, facts: OrderFacts): Promise<readonly Company[]> {
  const { main, order } = facts;
  const key = `${main.id}|${order.deliveryType}|${order.carrier ?? ''}`;
  const found = await eligible.get(db, key, async () => {
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
        deliveryType: order.deliveryType,
        carrier: order.carrier,
      });
      if (storeIds) others = others.filter((s) => storeIds.has(s.id));
    }
    const at = (n: { latitude: number | null; longitude: number | null }) =>
      n.latitude !== null && n.longitude !== null ? { latitude: n.latitude, longitude: n.longitude } : null;
    const origin = at(main);
    const companies = others.map((c) => {
      const there = at(c);
      return {
        id: c.id,
        code: c.code,
        name: c.name,
        distanceKm: origin && there ? Math.round(network.distanceKm(origin, there) * 10) / 10 : null,
      };
    });
    companies.sort(
      (a, b) =>
        (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    );
    return [{ id: main.id, code: main.code, name: main.name, distanceKm: 0 }, ...companies];
  });
  return found!;
}

/**
 * The companies that may serve the order (`companiesFor`, in its order), each with its available stock
 * of these products.
 */
export async function candidatesFor(db: Db, facts: OrderFacts, productIds: string[]): Promise<Candidate[]> {
  const companies = await companiesFor(db, facts);
  const available = new Map<string, Map<string, number>>();
  for (const [productId, byStore] of await stock.availableAcrossStores(db, productIds))
    for (const [storeId, units] of byStore) {
      let m = available.get(storeId);
      if (!m) {
        m = new Map<string, number>();
        available.set(storeId, m);
      }
      m.set(productId, units);
    }
  const none: ReadonlyMap<string, number> = new Map();
  return companies.map((c, i) => ({
    storeId: c.id,
    storeCode: c.code,
    storeName: c.name,
    isMain: i === 0,
    distanceKm: c.distanceKm,
    available: available.get(c.id) ?? none,
  }));
}
