import { normaliseMoney } from '../platform/money.ts';
import type { CarrierProblem } from './carrier-status.ts';
import type { EndlessAisleRow, PickupRow } from './counter-store.ts';
import type { DeliveryType, HistoryChannel, Modality, OrderStatus, PaymentMethod } from './domain.ts';
import type { CustomerAddress } from './ingest-rules.ts';
import type { ShipmentRow } from './shipment-store.ts';
import type { HistoryRow, ItemRow, OrderRow, PaymentRow } from './store.ts';
import type { TrackingEventRow } from './tracking-store.ts';

/** What the API shows of an order: codes instead of ids, money as decimal strings, times in ISO 8601 (UTC). */
export interface OrderView {
  id: string;
  number: number;
  externalId: string;
  storeCode: string;
  storeName: string;
  channel: string;
  modality: Modality;
  deliveryType: DeliveryType;
  status: OrderStatus;
  paid: boolean;
  reroutedFromId: string | null;
  customer: {
    name: string;
    document: string;
    email: string;
    phone: string;
    address: CustomerAddress | null;
  };
  carrier: string | null;
  classification: string;
  arrivedAt: string | null;
  expectedInvoiceAt: string | null;
  /** When the store's POS first downloaded it as a pending pickup ("Confirmado loja"); null before. */
  posDownloadedAt: string | null;
  shortfall: { sku: string; missing: number }[] | null;
  itemsTotal: string;
  discountTotal: string;
  freight: string;
  total: string;
  placedAt: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  items: {
    line: number;
    sku: string;
    description: string;
    quantity: number;
    unitPrice: string;
    discount: string;
    total: string;
  }[];
  payments: {
    method: PaymentMethod;
    amount: string;
    installments: number | null;
    partyDocument: string | null;
  }[];
  history: {
    at: string;
    from: OrderStatus | null;
    to: OrderStatus;
    actor: { kind: string; id: string; name: string; role: string };
    channel: HistoryChannel;
    reason: string | null;
  }[];
  /** The statuses the caller may move the order to now (transitions or cancel). */
  allowedTransitions: OrderStatus[];
  /** The salesperson named at invoicing (TP_DADO_ADIC_BX_PED_ECOMM); null when none was. */
  salesperson: { id: string; name: string } | null;
  /** How many notes ("Observações") the order has: GET /orders/{id}/notes. */
  notesCount: number;
  /** Who collected a pickup order (the handover); null until then. */
  pickup: {
    name: string;
    document: string | null;
    documentKind: 'cpf' | 'cnpj' | 'other' | null;
    at: string;
    handedBy: { kind: string; name: string; channel: string };
  } | null;
  /** The endless-aisle sale's facts (modality endless_aisle); null for e-commerce orders. */
  endlessAisle: {
    sellingStoreCode: string;
    representative: string | null;
    printModel: string | null;
    blockReason: string;
    blocked: boolean;
  } | null;
  /** How a ship order travels: carrier, service, tracking code and link; null until someone states it. */
  shipment: {
    carrier: string;
    service: string | null;
    trackingCode: string | null;
    trackingUrl: string | null;
    source: ShipmentRow['source'];
    /** The carrier's own label is stored (the label PDF prints it). */
    carrierLabel: boolean;
    updatedAt: string;
  } | null;
  /** The carrier's tracking events of a ship order, newest first (webhook, polling). */
  trackingEvents: {
    at: string;
    status: TrackingEventRow['status'];
    description: string;
    location: string | null;
    /** The carrier's own event code ("BDE 01"). */
    carrierCode: string;
    carrier: string;
    source: TrackingEventRow['source'];
  }[];
  /** The carrier's last fault or refusal about the order's shipment or label; null when none. */
  carrierProblem: CarrierProblem | null;
  /** "Gerar envio na transportadora" applies: invoiced, no tracking, the carrier has an account, nothing queued. */
  carrierShipmentAvailable: boolean;
}

export interface OrderParts {
  items: ItemRow[];
  payments: PaymentRow[];
  history: Omit<HistoryRow, 'id'>[];
  pickup?: PickupRow;
  endlessAisle?: EndlessAisleRow & { sellingStoreCode: string };
  shipment?: ShipmentRow;
  notesCount?: number;
  trackingEvents?: TrackingEventRow[];
  carrierProblem?: CarrierProblem | null;
  carrierShipmentAvailable?: boolean;
}

export function orderView(
  order: OrderRow,
  parts: OrderParts,
  store: { code: string; name: string },
  allowedTransitions: OrderStatus[],
): OrderView {
  return {
    id: order.id,
    // Null only inside the ingest transaction; a committed order always has its number.
    number: order.number ?? 0,
    externalId: order.externalId,
    storeCode: store.code,
    storeName: store.name,
    channel: order.channel,
    modality: order.modality,
    deliveryType: order.deliveryType,
    status: order.status,
    paid: order.paid,
    reroutedFromId: order.reroutedFromId,
    customer: {
      name: order.customerName,
      document: order.customerDocument,
      email: order.customerEmail,
      phone: order.customerPhone,
      address: order.customerAddress,
    },
    carrier: order.carrier,
    classification: order.classification,
    arrivedAt: order.arrivedAt?.toISOString() ?? null,
    expectedInvoiceAt: order.expectedInvoiceAt?.toISOString() ?? null,
    posDownloadedAt: order.posDownloadedAt?.toISOString() ?? null,
    shortfall: order.shortfall,
    itemsTotal: normaliseMoney(order.itemsTotal),
    discountTotal: normaliseMoney(order.discountTotal),
    freight: normaliseMoney(order.freight),
    total: normaliseMoney(order.total),
    placedAt: order.placedAt.toISOString(),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    version: order.version,
    items: parts.items.map((i) => ({
      line: i.line,
      sku: i.sku,
      description: i.description,
      quantity: i.quantity,
      unitPrice: normaliseMoney(i.unitPrice),
      discount: normaliseMoney(i.discount),
      total: normaliseMoney(i.total),
    })),
    payments: parts.payments.map((p) => ({
      method: p.method,
      amount: normaliseMoney(p.amount),
      installments: p.installments,
      partyDocument: p.partyDocument,
    })),
    history: parts.history.map((h) => ({
      at: h.at!.toISOString(),
      from: h.fromStatus ?? null,
      to: h.toStatus,
      actor: { kind: h.actorKind, id: h.actorId, name: h.actorName, role: h.actorRole },
      channel: h.channel,
      reason: h.reason ?? null,
    })),
    allowedTransitions,
    salesperson:
      order.salespersonId && order.salespersonName
        ? { id: order.salespersonId, name: order.salespersonName }
        : null,
    notesCount: parts.notesCount ?? 0,
    pickup: parts.pickup
      ? {
          name: parts.pickup.name,
          document: parts.pickup.document,
          documentKind: parts.pickup.documentKind as 'cpf' | 'cnpj' | 'other' | null,
          at: parts.pickup.at.toISOString(),
          handedBy: {
            kind: parts.pickup.handedByKind,
            name: parts.pickup.handedByName,
            channel: parts.pickup.channel,
          },
        }
      : null,
    endlessAisle: parts.endlessAisle
      ? {
          sellingStoreCode: parts.endlessAisle.sellingStoreCode,
          representative: parts.endlessAisle.representative,
          printModel: parts.endlessAisle.printModel,
          blockReason: parts.endlessAisle.blockReason,
          // Born blocked (CD_MOTIVOBLOQ_PED_PRATELE); the store's acceptance is what releases it.
          blocked: order.status === 'open' || order.status === 'awaiting_stock',
        }
      : null,
    shipment: parts.shipment
      ? {
          carrier: parts.shipment.carrier,
          service: parts.shipment.service,
          trackingCode: parts.shipment.trackingCode,
          trackingUrl: parts.shipment.trackingUrl,
          source: parts.shipment.source,
          carrierLabel: parts.shipment.carrierLabel !== null,
          updatedAt: parts.shipment.updatedAt.toISOString(),
        }
      : null,
    trackingEvents: (parts.trackingEvents ?? []).map((e) => ({
      at: e.at.toISOString(),
      status: e.status,
      description: e.description,
      location: e.location,
      carrierCode: e.carrierEventCode,
      carrier: e.carrier,
      source: e.source,
    })),
    carrierProblem: parts.carrierProblem ?? null,
    carrierShipmentAvailable: parts.carrierShipmentAvailable ?? false,
  };
}
