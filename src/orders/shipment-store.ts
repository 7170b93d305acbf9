import { and, eq } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { orderShipments, orders } from './schema.ts';

export type ShipmentRow = typeof orderShipments.$inferSelect;
export type ShipmentSource = ShipmentRow['source'];

export async function shipmentOf(db: Db, orderId: string): Promise<ShipmentRow | undefined> {
  const [row] = await db.select().from(orderShipments).where(eq(orderShipments.orderId, orderId));
  return row;
}

/** The order another of the network's orders holds this carrier's tracking code for, if any. */
export async function orderHoldingCode(
  db: Db,
  networkId: string,
  carrier: string,
  trackingCode: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ orderId: orderShipments.orderId })
    .from(orderShipments)
    .where(
      and(
        eq(orderShipments.networkId, networkId),
        eq(orderShipments.carrier, carrier),
        eq(orderShipments.trackingCode, trackingCode),
      ),
    );
  return row?.orderId;
}

export type ShipmentValues = Omit<ShipmentRow, 'createdAt' | 'updatedAt'>;

/** Writes the order's shipment (a correction replaces it) and makes the order's carrier the shipment's. */
export async function saveShipment(tx: Db, values: ShipmentValues, at: Date): Promise<ShipmentRow> {
  const [row] = await tx
    .insert(orderShipments)
    .values({ ...values, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({
      target: orderShipments.orderId,
      set: {
        carrier: values.carrier,
        service: values.service,
        trackingCode: values.trackingCode,
        trackingUrl: values.trackingUrl,
        source: values.source,
        carrierShipmentId: values.carrierShipmentId,
        carrierLabel: values.carrierLabel,
        updatedAt: at,
      },
    })
    .returning();
  await tx
    .update(orders)
    .set({ carrier: values.carrier, updatedAt: at })
    .where(eq(orders.id, values.orderId));
  return row!;
}
