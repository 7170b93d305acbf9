import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { ok, type Result } from '../platform/errors.ts';
import { carrierProblem, carrierShipmentAvailable } from './carrier-status.ts';
import * as counter from './counter-store.ts';
import { allowedFor, canSee, type OrderCaller, orderNotFound } from './lifecycle.ts';
import * as shipments from './shipment-store.ts';
import * as store from './store.ts';
import * as tracking from './tracking-store.ts';
import { type OrderView, orderView } from './views.ts';

/** The order with its items, payments and history as the caller may see it; undefined when it may not. */
export async function loadView(db: Db, caller: OrderCaller, id: string): Promise<OrderView | undefined> {
  // The order's own rows in one round trip; a ship order's shipment and tracking besides.
  const found = await store.findOrderWithParts(db, id);
  if (!found || !(await canSee(db, caller, found.order))) return undefined;
  const { order, pickup, notesCount, ...parts } = found;
  const ship = order.deliveryType === 'ship';
  const [storeNode, allowed, endlessAisle, shipment, events, problem, available] = await Promise.all([
    network.getNodeById(db, order.storeId),
    allowedFor(db, caller, order),
    order.modality === 'endless_aisle' ? counter.endlessAisleOf(db, id) : undefined,
    ship ? shipments.shipmentOf(db, id) : undefined,
    ship ? tracking.eventsOf(db, id) : [],
    ship ? carrierProblem(db, id) : null,
    ship ? carrierShipmentAvailable(db, order) : false,
  ]);
  const seller = endlessAisle && (await network.getNodeById(db, endlessAisle.sellingStoreId));
  return orderView(
    order,
    {
      ...parts,
      pickup: order.deliveryType === 'pickup' ? pickup : undefined,
      shipment,
      trackingEvents: events,
      carrierProblem: problem,
      carrierShipmentAvailable: available,
      endlessAisle: endlessAisle && { ...endlessAisle, sellingStoreCode: seller?.code ?? '' },
      notesCount,
    },
    { code: storeNode?.code ?? '', name: storeNode?.name ?? '' },
    allowed,
  );
}

export async function getOrder(db: Db, caller: OrderCaller, id: string): Promise<Result<OrderView>> {
  const view = await loadView(db, caller, id);
  return view ? ok(view) : orderNotFound(id);
}
