/**
 * A ship order's tracking (issue 15 §2): the platform sends the carrier's tracking code with the order's
 * shipment, or later; the store types it in the back office; a carrier's adapter obtains it. Whoever states
 * it, it is a fact on the order: the history says what it was and is, and the platform hears
 * `order.shipment_changed`. The order's carrier becomes the shipment's, so the transit rules (a carrier that
 * reports itself, or one the store moves by hand) follow the carrier the goods actually left with.
 */
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { OrderStatus } from './domain.ts';
import { lockOrder, recordFact } from './facts.ts';
import type { OrderCaller } from './lifecycle.ts';
import { normaliseShipment, type ShipmentInput, shipmentErrors, shipmentLine } from './shipment-rules.ts';
import * as shipments from './shipment-store.ts';
import { getOrder } from './view-loader.ts';
import type { OrderView } from './views.ts';

export const ORDER_SHIPMENT_CHANGED = 'order.shipment_changed';

/** Once delivered or cancelled, the journey is over: its tracking is history. */
const CLOSED: readonly OrderStatus[] = ['delivered', 'cancelled'];

/** 409: a carrier's event names the code and must find one order of the network. */
export const trackingCodeTaken = (carrier: string, code: string, path = '/trackingCode') =>
  fail(
    'conflict',
    'ORDER.TRACKING_CODE_TAKEN',
    `${carrier} tracking code ${code} belongs to another order of the network.`,
    { errors: [{ path, code: 'ORDER.TRACKING_CODE_TAKEN', message: 'is taken' }] },
  );

export async function setShipment(
  db: Db,
  caller: OrderCaller,
  orderId: string,
  input: ShipmentInput,
): Promise<Result<OrderView>> {
  const errors = shipmentErrors(input);
  if (errors.length > 0)
    return fail('invalid', 'ORDER.SHIPMENT_INVALID', 'The shipment is not valid; see errors.', { errors });
  const next = normaliseShipment(input);
  const changed = await transaction(db, async (tx) => {
    const found = await lockOrder(tx, caller, orderId);
    if (!found.ok) return found;
    const { order } = found.value;
    if (order.deliveryType !== 'ship')
      return fail(
        'conflict',
        'ORDER.NOT_SHIP',
        `Order ${order.number} is picked up at the store: it has no shipment.`,
      );
    if (CLOSED.includes(order.status))
      return fail(
        'conflict',
        'ORDER.SHIPMENT_LOCKED',
        `Order ${order.number} is ${order.status}: its shipment no longer changes.`,
        { data: { currentStatus: order.status } },
      );
    const holder = await shipments.orderHoldingCode(tx, order.networkId, next.carrier, next.trackingCode);
    if (holder && holder !== order.id) return trackingCodeTaken(next.carrier, next.trackingCode);
    const before = await shipments.shipmentOf(tx, order.id);
    const same =
      before &&
      before.carrier === next.carrier &&
      before.service === next.service &&
      before.trackingCode === next.trackingCode &&
      before.trackingUrl === next.trackingUrl;
    if (same) return ok(null);
    const carrierChanged = before?.carrier !== next.carrier;
    await shipments.saveShipment(
      tx,
      {
        orderId: order.id,
        networkId: order.networkId,
        ...next,
        source:
          caller.actor === 'platform' ? 'platform' : caller.actor === 'system' ? 'carrier' : 'back_office',
        // Another carrier's object is another shipment: the first carrier's id and label no longer apply.
        carrierShipmentId: carrierChanged ? null : (before?.carrierShipmentId ?? null),
        carrierLabel: carrierChanged ? null : (before?.carrierLabel ?? null),
      },
      new Date(),
    );
    await recordFact(tx, caller, order, {
      note: before
        ? `Rastreio corrigido: ${shipmentLine(before)} → ${shipmentLine(next)}`
        : `Rastreio informado: ${shipmentLine(next)}`,
      event: { name: ORDER_SHIPMENT_CHANGED, fields: { shipment: next } },
    });
    return ok(null);
  });
  if (!changed.ok) return changed;
  return getOrder(db, caller, orderId);
}
