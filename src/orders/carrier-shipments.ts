/**
 * The carrier's side of a ship order (issue 15 §2–§5; seed 003 Etiqueta, Em Transporte), as jobs, never
 * inside a transaction: once the order's NF-e is authorised (`invoiced`), `carrier.create_shipment` asks the
 * carrier of the store's account (the injected `CarrierFor`) for a shipment, saves its tracking as a fact on
 * the order, and `carrier.fetch_label` fetches the carrier's label until it is ready; `carrier.track` polls
 * the accounts' shipments in batches and applies the events (tracking.ts). A carrier's refusal is recorded on
 * the order in its own words; a fault (`CarrierFault`, or anything thrown) is retried by the jobs table with
 * backoff, the last error shown on the order, and the order's state is never touched by a failed call.
 */
import * as delivery from '../delivery/service.ts';
import * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { enqueue, type JobHandler } from '../platform/jobs/service.ts';
import { centsOf, normaliseMoney } from '../platform/money.ts';
import { aboutOrder } from '../platform/tickets/service.ts';
import { CREATE_SHIPMENT_QUEUE, FETCH_LABEL_QUEUE, TRACK_QUEUE } from './carrier-status.ts';
import { lockOrder, recordFact } from './facts.ts';
import { type OrderCaller, systemCaller } from './lifecycle.ts';
import { ORDER_SHIPMENT_CHANGED } from './shipment.ts';
import { defaultTrackingUrl, shipmentLine } from './shipment-rules.ts';
import * as shipments from './shipment-store.ts';
import * as store from './store.ts';
import { applyTrackingEvents } from './tracking.ts';
import { carrierName } from './tracking-rules.ts';
import * as tracking from './tracking-store.ts';

// The port's request types, read off `Carrier` (the delivery context's public face exports the port itself).
type ShipmentRequest = Parameters<delivery.Carrier['createShipment']>[0];
type ShipmentParty = ShipmentRequest['sender'];
type Parcel = ShipmentRequest['parcels'][number];
type CarrierRefusal = Extract<Awaited<ReturnType<delivery.Carrier['createShipment']>>, { refused: true }>;

/** A carrier down for an afternoon is retried with backoff (up to 10 minutes apart) before the job gives up. */
const CARRIER_MAX_ATTEMPTS = 10;
/** The label is asked for again after the carrier's delay, this many times at most (then a fault). */
const MAX_LABEL_ROUNDS = 60;
/** How many shipments one `track` call asks about (the carriers page their tracking queries). */
export const TRACK_BATCH = 50;
/** How often the shipments in transit are polled (main.ts): the carriers update their events every few minutes. */
export const TRACKING_POLL_MS = 30 * 60_000;

/**
 * The carriers whose events arrive by webhook: for a carrier code, the webhook of each account that has one,
 * and the network of that account (the delivery context's `carrierWebhookFor`, injected in app.ts).
 */
export type CarrierWebhookFor = (
  carrierCode: string,
) => Promise<readonly { webhook: delivery.CarrierWebhook; networkId: string }[]>;

/** What the carrier jobs need: the adapter of a store's account for a carrier (none: no carrier is called). */
export interface CarrierJobDeps {
  carrierFor: delivery.CarrierFor;
}

export const noCarriers: delivery.CarrierFor = async () => null;
export const noCarrierWebhooks: CarrierWebhookFor = async () => [];

/**
 * Parcels when the catalogue has no dimensions or weights (it has none yet): one box of 30 × 20 × 10 cm
 * (within every carrier's limits, above the Correios minimum of 16 × 11 × 2 cm) weighing 500 g per unit,
 * at least 300 g. The declared value is the NF-e's total.
 */
export const DEFAULT_BOX = { heightCm: 10, widthCm: 20, lengthCm: 30 } as const;
export const defaultParcels = (units: number): Parcel[] => [
  { ...DEFAULT_BOX, weightGrams: Math.max(300, 500 * units) },
];

const carrierCaller = (carrier: string): OrderCaller => ({
  ...systemCaller('carrier'),
  name: `Transportadora ${carrierName(carrier)}`,
});

/**
 * In the transaction that makes a ship order `invoiced` (or of the store's "Gerar envio na transportadora"):
 * queue the carrier's shipment when its carrier has an account for the store and the order has no tracking
 * code yet. Answers whether it was queued.
 */
export async function enqueueCarrierShipment(tx: Db, orderId: string, createdBy?: string): Promise<boolean> {
  const order = await store.findOrder(tx, orderId);
  if (order?.deliveryType !== 'ship' || order.status !== 'invoiced' || !order.carrier) return false;
  const shipment = await shipments.shipmentOf(tx, orderId);
  if (shipment?.trackingCode) return false;
  if (!(await delivery.carrierCodesWithAccount(tx, order.storeId)).includes(order.carrier)) return false;
  await enqueue(tx, CREATE_SHIPMENT_QUEUE, { orderId }, { maxAttempts: CARRIER_MAX_ATTEMPTS, createdBy });
  return true;
}

/** "Gerar envio na transportadora": an invoiced ship order without tracking asks its carrier again. */
export async function requestCarrierShipment(
  db: Db,
  caller: OrderCaller,
  orderId: string,
  wakeWorker?: () => void,
): Promise<Result<{ queued: true }>> {
  const done = await transaction(db, async (tx) => {
    const found = await lockOrder(tx, caller, orderId);
    if (!found.ok) return found;
    const { order } = found.value;
    if (!(await enqueueCarrierShipment(tx, orderId, `${caller.kind}:${caller.id}`)))
      return fail(
        'conflict',
        'ORDER.CARRIER_SHIPMENT_NOT_APPLICABLE',
        `Order ${order.number} is not an invoiced ship order without tracking whose carrier has an account.`,
        { data: { currentStatus: order.status, carrier: order.carrier } },
      );
    await recordFact(tx, caller, order, {
      note: `Envio solicitado à transportadora ${carrierName(order.carrier!)}`,
    });
    return ok({ queued: true as const });
  });
  if (done.ok) wakeWorker?.();
  return done;
}

async function senderOf(db: Db, storeId: string): Promise<ShipmentParty> {
  const node = await network.getNodeById(db, storeId);
  if (!node?.address || !node.cnpj)
    // A store invoices only with its CNPJ and address: missing here means the node changed since; retry later.
    throw new Error(`Store ${node?.code ?? storeId} has no CNPJ or address to send from.`);
  return {
    name: node.legalName || node.name,
    document: node.cnpj,
    email: node.email ?? undefined,
    street: node.address.street,
    number: node.address.number,
    complement: node.address.complement ?? undefined,
    district: node.address.district,
    city: node.address.city,
    cityCode: node.address.cityCode,
    state: node.address.state,
    postalCode: node.address.postalCode.replace(/\D/g, ''),
  };
}

async function shipmentRequest(
  db: Db,
  details: store.OrderDetails,
  service: string,
): Promise<ShipmentRequest> {
  const { order, items } = details;
  const address = order.customerAddress;
  if (!address) throw new Error(`Order ${order.number} has no delivery address.`);
  const nfe = (await fiscal.documentsFor(db, 'order', order.id)).find(
    (d) => d.model === 55 && d.status === 'authorised',
  );
  const total = normaliseMoney(order.total);
  return {
    reference: order.id,
    orderNumber: order.number ?? 0,
    service,
    sender: await senderOf(db, order.storeId),
    recipient: {
      name: order.customerName,
      document: order.customerDocument.replace(/[^0-9A-Za-z]/g, ''),
      phone: order.customerPhone,
      email: order.customerEmail,
      street: address.street,
      number: address.number,
      complement: address.complement ?? undefined,
      district: address.district,
      city: address.city,
      cityCode: address.cityCode ?? undefined,
      state: address.state,
      postalCode: address.postalCode.replace(/\D/g, ''),
    },
    parcels: defaultParcels(items.reduce((n, i) => n + i.quantity, 0)),
    declaredValue: total,
    invoice: nfe && {
      number: nfe.number,
      series: nfe.series,
      accessKey: nfe.accessKey,
      issuedAt: nfe.authorisedAt ?? nfe.createdAt,
      total,
    },
    items: items.map((i) => ({
      description: i.description,
      quantity: i.quantity,
      unitPrice: normaliseMoney(i.unitPrice),
    })),
  };
}

const isRefusal = (r: unknown): r is CarrierRefusal =>
  typeof r === 'object' && r !== null && 'refused' in r && r.refused === true;

/** The cheapest of the account's services for the request's parcels (a refusal when it quotes none). */
async function cheapestService(
  carrier: delivery.Carrier,
  request: ShipmentRequest,
): Promise<string | CarrierRefusal> {
  const quotes = await carrier.quote({
    fromPostalCode: request.sender.postalCode,
    toPostalCode: request.recipient.postalCode,
    parcels: request.parcels,
    declaredValue: request.declaredValue,
  });
  if (isRefusal(quotes)) return quotes;
  const [best] = [...quotes].sort((a, b) => {
    const price = centsOf(a.price) - centsOf(b.price);
    return price !== 0n ? (price < 0n ? -1 : 1) : a.days - b.days;
  });
  return best
    ? best.service
    : { refused: true, code: 'NO_SERVICE', message: 'nenhum serviço da conta atende este envio' };
}

/** The job handlers by queue (registered in app.ts `jobHandlers`). */
export function carrierJobHandlers(deps: CarrierJobDeps): Record<string, JobHandler> {
  return {
    [CREATE_SHIPMENT_QUEUE]: async ({ db, job }) => {
      const { orderId } = job.payload as { orderId: string };
      const details = await store.orderDetails(db, orderId);
      if (!details) return { skipped: 'order not found' };
      const { order } = details;
      if (order.deliveryType !== 'ship' || order.status !== 'invoiced' || !order.carrier)
        return { skipped: `order is ${order.status}` };
      const before = await shipments.shipmentOf(db, orderId);
      if (before?.trackingCode) return { skipped: 'tracking code already stated' };
      const carrier = await deps.carrierFor(order.storeId, order.carrier);
      if (!carrier) return { skipped: `no carrier account for ${order.carrier}` };
      const caller = carrierCaller(order.carrier);
      const request = await shipmentRequest(db, details, before?.service ?? '');
      // No service named (the platform sent the carrier only): the one the store's delivery experiences name
      // for this carrier, else the account's cheapest for this parcel (the customer already paid the freight).
      const service =
        request.service ||
        (await delivery.experienceServiceFor(db, order.storeId, order.carrier)) ||
        (await aboutOrder(orderId, () => cheapestService(carrier, request)));
      const created = isRefusal(service)
        ? service
        : await aboutOrder(orderId, () => carrier.createShipment({ ...request, service }));
      if (isRefusal(created)) {
        await transaction(db, async (tx) => {
          const found = await lockOrder(tx, caller, orderId);
          if (!found.ok) return found;
          await recordFact(tx, caller, found.value.order, {
            note: `${carrierName(order.carrier!)} recusou o envio: ${created.message} (${created.code})`,
          });
          return ok(null);
        });
        return { refused: { code: created.code, message: created.message } };
      }
      const saved = await transaction(db, async (tx) => {
        const found = await lockOrder(tx, caller, orderId);
        if (!found.ok) return found;
        const current = await shipments.shipmentOf(tx, orderId);
        // Someone stated the tracking while the carrier answered: theirs stands, the carrier's id is kept.
        const trackingCode = current?.trackingCode ?? created.trackingCode?.trim().toUpperCase() ?? null;
        const next = {
          carrier: order.carrier!,
          service: current?.service ?? (service as string),
          trackingCode,
          trackingUrl:
            current?.trackingUrl ??
            created.trackingUrl ??
            (trackingCode ? defaultTrackingUrl(order.carrier!, trackingCode) : null),
        };
        await shipments.saveShipment(
          tx,
          {
            orderId,
            networkId: order.networkId,
            ...next,
            source: current?.trackingCode ? current.source : 'carrier',
            carrierShipmentId: created.carrierShipmentId,
            carrierLabel: null,
          },
          new Date(),
        );
        await recordFact(tx, caller, found.value.order, {
          note: `Envio criado na transportadora (${created.carrierShipmentId}): ${shipmentLine(next)}`,
          event: { name: ORDER_SHIPMENT_CHANGED, fields: { shipment: next } },
        });
        await enqueue(tx, FETCH_LABEL_QUEUE, { orderId, round: 1 }, { maxAttempts: CARRIER_MAX_ATTEMPTS });
        return ok(next);
      });
      if (!saved.ok) return { skipped: saved.failure.detail };
      return { carrierShipmentId: created.carrierShipmentId, trackingCode: saved.value.trackingCode };
    },

    [FETCH_LABEL_QUEUE]: async ({ db, job }) => {
      const { orderId, round } = job.payload as { orderId: string; round: number };
      const order = await store.findOrder(db, orderId);
      const shipment = await shipments.shipmentOf(db, orderId);
      if (!order || !shipment?.carrierShipmentId) return { skipped: 'no carrier shipment' };
      if (shipment.carrierLabel) return { skipped: 'label already stored' };
      const carrier = await deps.carrierFor(order.storeId, shipment.carrier);
      if (!carrier) return { skipped: `no carrier account for ${shipment.carrier}` };
      const shipmentId = shipment.carrierShipmentId;
      const label = await aboutOrder(orderId, () => carrier.label(shipmentId));
      if (label.ready) {
        await tracking.saveCarrierLabel(db, orderId, label.pdf.toString('base64'), new Date());
        return { stored: label.pdf.length };
      }
      if (round >= MAX_LABEL_ROUNDS)
        throw new Error(`The carrier's label was still not ready after ${round} requests.`);
      await enqueue(
        db,
        FETCH_LABEL_QUEUE,
        { orderId, round: round + 1 },
        { maxAttempts: CARRIER_MAX_ATTEMPTS, runAt: new Date(Date.now() + label.retryAfterMs) },
      );
      return { notReady: true, retryAfterMs: label.retryAfterMs };
    },

    [TRACK_QUEUE]: async ({ db, job }) => {
      const { storeId, networkId, carrierCode, shipments: tracked } = job.payload as TrackPayload;
      const carrier = await deps.carrierFor(storeId, carrierCode);
      if (!carrier) return { skipped: `no carrier account for ${carrierCode}` };
      const events = await carrier.track(tracked.map(({ orderId: _id, ...t }) => t));
      await adoptLateCodes(db, carrierCode, tracked, events);
      return applyTrackingEvents(db, { carrierCode, networkId, events, source: 'poll' });
    },
  };
}

interface TrackPayload {
  storeId: string;
  networkId: string;
  carrierCode: string;
  /** `trackingCode` '' while the carrier has not assigned one: it is tracked by its own shipment id. */
  shipments: { orderId: string; carrierShipmentId: string | null; trackingCode: string }[];
}

/**
 * A gateway may assign the object's code only after its shipment was created (Melhor Envio answers
 * `tracking: null` until the carrier's label exists): the poll's events name the carrier's shipment id and,
 * once known, the code, which the shipment then takes as the carrier stated it.
 */
async function adoptLateCodes(
  db: Db,
  carrierCode: string,
  tracked: TrackPayload['shipments'],
  events: readonly delivery.TrackingEvent[],
): Promise<void> {
  for (const shipment of tracked) {
    if (shipment.trackingCode || !shipment.carrierShipmentId) continue;
    const code = events.find(
      (e) =>
        e.carrierShipmentId === shipment.carrierShipmentId &&
        e.trackingCode &&
        e.trackingCode !== shipment.carrierShipmentId,
    )?.trackingCode;
    if (!code) continue;
    const caller = carrierCaller(carrierCode);
    await transaction(db, async (tx) => {
      const found = await lockOrder(tx, caller, shipment.orderId);
      if (!found.ok) return found;
      const current = await shipments.shipmentOf(tx, shipment.orderId);
      if (!current || current.trackingCode) return ok(null);
      const trackingCode = code.trim().toUpperCase();
      const next = {
        carrier: current.carrier,
        service: current.service,
        trackingCode,
        trackingUrl: current.trackingUrl ?? defaultTrackingUrl(current.carrier, trackingCode),
      };
      await shipments.saveShipment(tx, { ...current, ...next }, new Date());
      await recordFact(tx, caller, found.value.order, {
        note: `Código de rastreio atribuído pela transportadora: ${shipmentLine(next)}`,
        event: { name: ORDER_SHIPMENT_CHANGED, fields: { shipment: next } },
      });
      return ok(null);
    });
  }
}

/**
 * The periodic polling (main.ts, every TRACKING_POLL_MS): one `carrier.track` job per store, carrier and
 * batch of TRACK_BATCH shipments of orders invoiced or in transit whose carrier has an account for the
 * store. Nothing is queued while a previous round is still waiting or running, whichever process queued it.
 * Answers the jobs queued.
 */
export async function enqueueTrackingPolls(db: Db): Promise<number> {
  if (await tracking.jobPending(db, TRACK_QUEUE)) return 0;
  const rows = await tracking.shipmentsInTransit(db);
  const groups = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = `${r.storeId} ${r.carrier}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const accounts = new Map<string, string[]>();
  let queued = 0;
  await transaction(db, async (tx) => {
    await tracking.lockRounds(tx, TRACK_QUEUE);
    if (await tracking.jobPending(tx, TRACK_QUEUE)) return ok(null);
    for (const group of groups.values()) {
      const { storeId, networkId, carrier } = group[0]!;
      if (!accounts.has(storeId)) accounts.set(storeId, await delivery.carrierCodesWithAccount(tx, storeId));
      if (!accounts.get(storeId)!.includes(carrier)) continue;
      for (let i = 0; i < group.length; i += TRACK_BATCH) {
        const payload: TrackPayload = {
          storeId,
          networkId,
          carrierCode: carrier,
          shipments: group.slice(i, i + TRACK_BATCH).map((r) => ({
            orderId: r.orderId,
            carrierShipmentId: r.carrierShipmentId,
            trackingCode: r.trackingCode ?? '',
          })),
        };
        await enqueue(tx, TRACK_QUEUE, payload, { maxAttempts: 3 });
        queued++;
      }
    }
    return ok(null);
  });
  return queued;
}
