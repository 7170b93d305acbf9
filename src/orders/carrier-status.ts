/**
 * What the order page shows of the carrier jobs (carrier-shipments.ts): the carrier's last fault or refusal
 * about the order's shipment or label, and whether "Gerar envio na transportadora" applies.
 */
import * as delivery from '../delivery/service.ts';
import type { Db } from '../platform/db/index.ts';
import * as shipments from './shipment-store.ts';
import type * as store from './store.ts';
import * as tracking from './tracking-store.ts';

export const CREATE_SHIPMENT_QUEUE = 'carrier.create_shipment';
export const FETCH_LABEL_QUEUE = 'carrier.fetch_label';
export const TRACK_QUEUE = 'carrier.track';
export const CARRIER_ORDER_QUEUES = [CREATE_SHIPMENT_QUEUE, FETCH_LABEL_QUEUE] as const;

/** Whether the order page offers "Gerar envio na transportadora" (the same test the request makes). */
export async function carrierShipmentAvailable(db: Db, order: store.OrderRow): Promise<boolean> {
  if (order.deliveryType !== 'ship' || order.status !== 'invoiced' || !order.carrier) return false;
  if ((await shipments.shipmentOf(db, order.id))?.trackingCode) return false;
  if (!(await delivery.carrierCodesWithAccount(db, order.storeId)).includes(order.carrier)) return false;
  const last = await tracking.lastJobFor(db, [CREATE_SHIPMENT_QUEUE], order.id);
  return last === undefined || last.status === 'done' || last.status === 'failed';
}

/** The carrier's last word on the order's shipment: a fault being retried or given up on, or a refusal. */
export interface CarrierProblem {
  operation: 'create_shipment' | 'fetch_label';
  message: string;
  attempts: number;
  /** The job gave up (faults) or the carrier refused: the store acts ("Gerar envio", or types the tracking). */
  final: boolean;
  at: string;
}

export async function carrierProblem(db: Db, orderId: string): Promise<CarrierProblem | null> {
  const job = await tracking.lastJobFor(db, CARRIER_ORDER_QUEUES, orderId);
  if (!job) return null;
  const operation = job.queue === CREATE_SHIPMENT_QUEUE ? 'create_shipment' : 'fetch_label';
  const at = (job.finishedAt ?? job.runAt).toISOString();
  const refusal = (job.result as { refused?: { code: string; message: string } } | null)?.refused;
  if (job.status === 'done' && refusal)
    return {
      operation,
      message: `${refusal.code}: ${refusal.message}`,
      attempts: job.attempts,
      final: true,
      at,
    };
  if (job.lastError && (job.status === 'queued' || job.status === 'failed' || job.status === 'running'))
    return { operation, message: job.lastError, attempts: job.attempts, final: job.status === 'failed', at };
  return null;
}
