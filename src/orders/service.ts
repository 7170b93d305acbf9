import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { ok, type Result } from '../platform/errors.ts';
import { type OrderStatus, terminalStatuses } from './domain.ts';
import { type ChangeOptions, canSee, type OrderCaller, transition } from './lifecycle.ts';
import * as store from './store.ts';
import { getOrder } from './view-loader.ts';
import type { OrderView } from './views.ts';

/**
 * The orders context as others use it. Other flows (the split, POS, carriers) move an order with
 * `changeStatus(tx, systemCaller('split'), id, 'awaiting_stock')` inside their own transaction, so their
 * records, the status, the stock, the history and the webhook outbox commit together.
 */

export {
  type CarrierJobDeps,
  type CarrierWebhookFor,
  carrierJobHandlers,
  DEFAULT_BOX,
  enqueueCarrierShipment,
  enqueueTrackingPolls,
  noCarriers,
  noCarrierWebhooks,
  requestCarrierShipment,
  TRACKING_POLL_MS,
} from './carrier-shipments.ts';
export { CREATE_SHIPMENT_QUEUE, FETCH_LABEL_QUEUE, TRACK_QUEUE } from './carrier-status.ts';
export { type ChangedOrder, ordersChangedSince } from './changed-since.ts';
export { changeDeliveryAddress, ORDER_ADDRESS_CHANGED } from './delivery-address.ts';
export type {
  ConferenceMode,
  DeliveryType,
  GuardName,
  Modality,
  OrderActor,
  OrderFlow,
  OrderStatus,
  PaymentMethod,
  Transition,
} from './domain.ts';
export {
  allowedTargets,
  cancellers,
  conferenceMode,
  conferenceModes,
  deliveryTypes,
  guards,
  orderFlows,
  orderStatuses,
  paymentMethods,
  statusLabels,
  transitions,
} from './domain.ts';
export { type EndlessAisleInput, sellFromEndlessAisle } from './endless-aisle.ts';
export { lockOrder, type OrderFact, orderFor, recordFact } from './facts.ts';
export { type HandoverInput, handover } from './handover.ts';
export { type Ingested, ingest } from './ingest.ts';
export type { CustomerAddress, IngestInput } from './ingest-rules.ts';
export { type DocumentKind, normaliseDocument } from './ingest-rules.ts';
export { INVOICE_BATCH_QUEUE, type InvoiceBatchResult, invoiceBatchHandler } from './invoice-batch.ts';
export { invoicingHandlers, issueConsumerReceipt, ORDER_REFERENCE } from './invoicing.ts';
export {
  type ChangeOptions,
  callerOf,
  canSee,
  changeStatus,
  type OrderCaller,
  orderNotFound,
  stockActor,
  systemCaller,
  transition,
} from './lifecycle.ts';
export { notificationsOf, notifyByHand } from './notification-reads.ts';
/** The order's answer schema, for other contexts' routes that answer an order (invoicing). */
export { IngestBody as IngestPayload, Order as OrderPayload } from './payloads.ts';
export {
  DOWNLOADED_NOTE,
  markDownloadedByPos,
  type PendingPickup,
  pendingPickupCount,
  pendingPickups,
} from './pos-pickups.ts';
export { financeOrderLabels, purchaseOf } from './purchase.ts';
export { listQueue, type QueueItem, type QueuePage, type QueueQuery } from './queue.ts';
export { type Sort, sorts } from './queue-rules.ts';
export { reprocessDelivery, reprocessIngest } from './reprocess.ts';
export { type RerouteInput, rerouteLines } from './reroute.ts';
export { ORDER_SHIPMENT_CHANGED, setShipment } from './shipment.ts';
export { defaultTrackingUrl, type ShipmentInput } from './shipment-rules.ts';
export {
  type ShipmentRow,
  type ShipmentSource,
  type ShipmentValues,
  saveShipment,
  shipmentOf,
} from './shipment-store.ts';
export { foldStatusCounts, type OrderDetails, type OrderRow, orderDetails } from './store.ts';
export { applyTrackingEvents, type TrackingBatch, type TrackingOutcome } from './tracking.ts';
export { getOrder } from './view-loader.ts';
export type { OrderView } from './views.ts';
export { deliveriesOf, type Resent, resendStatus } from './webhooks.ts';

/** Changes the status in a transaction of its own and answers the order as the caller now sees it. */
export async function changeAndShow(
  db: Db,
  caller: OrderCaller,
  id: string,
  to: OrderStatus,
  opts: ChangeOptions = {},
): Promise<Result<OrderView>> {
  const changed = await transition(db, caller, id, to, opts);
  if (!changed.ok) return changed;
  return getOrder(db, caller, id);
}

/**
 * Acceptance (POST /orders/{id}/accept and `to: accepted`): every line reserved at the store, or 409; short
 * lines only with a manager's `allowShortfall` where IN_BLOQ_SALDO_NEG is off.
 */
export const accept = (db: Db, caller: OrderCaller, id: string, opts: { allowShortfall?: boolean } = {}) =>
  changeAndShow(db, caller, id, 'accepted', opts);

/** Cancellation with its reason; the reservations, if any, go back to the store's available stock. */
export const cancel = (db: Db, caller: OrderCaller, id: string, reason: string) =>
  changeAndShow(db, caller, id, 'cancelled', { reason });

/** The order a store knows by its number (the POS rescues by number), if the caller may see it. */
export async function findByNumber(
  db: Db,
  caller: OrderCaller,
  storeId: string,
  number: number,
): Promise<Result<store.OrderRow | undefined>> {
  const order = await store.findByNumber(db, storeId, number);
  return ok(order && (await canSee(db, caller, order)) ? order : undefined);
}

/** The order a platform knows by its own id (a connector's cancellation names only that), if any. */
export const orderIdOfExternal = async (db: Db, networkId: string, externalId: string) =>
  (await store.findByExternalId(db, networkId, externalId))?.id;

/** The orders re-routed from this one (its refused lines), oldest first. */
export const reroutedFrom = (db: Db, orderId: string) => store.reroutedFrom(db, orderId);

/**
 * A store's unfinished orders (any status but a final one), as the network asks before deactivating the store
 * (handed to it in app.ts: the network sits below orders).
 */
export async function openWorkAt(db: Db, storeId: string): Promise<Pick<network.OpenWork, 'orders'>> {
  return { orders: await store.unfinishedAt(db, storeId, terminalStatuses, network.OPEN_WORK_LISTED) };
}

/** The numbers of some orders, by id (null while an order has none). */
export const numbersOf = (db: Db, ids: readonly string[]) => store.numbersOf(db, ids);

/** The network's order of a platform's externalId, if any (a platform adapter cancelling what it sent). */
export const findByExternalId = (db: Db, networkId: string, externalId: string) =>
  store.findByExternalId(db, networkId, externalId);

// --- for the conference (fulfilment) ------------------------------------------------------------

/** Records (or withdraws, with null) that the order's items were confirmed; the guards read it. */
export const setConferred = (tx: Db, orderId: string, at: Date | null) => store.setConferred(tx, orderId, at);
