/** The split, stock requests and the order's trace as the back office reads them (src/split/routes.ts). */

import type { Order } from '../types.ts';

export interface SplitCompany {
  storeCode: string;
  storeName: string;
  isMain: boolean;
  available: number;
  distanceKm: number | null;
}

export interface SplitLine {
  sku: string;
  description: string;
  requested: number;
  /** Held by the order at its own store. */
  held: number;
  /** In stock requests still on their way. */
  allocated: number;
  pending: number;
  companies: SplitCompany[];
}

export interface Allocation {
  sku: string;
  storeCode: string;
  quantity: number;
}

export interface SplitOptions {
  order: { id: string; number: number | null; status: string; storeCode: string };
  lines: SplitLine[];
  proposal: Allocation[];
  strategy: string;
}

/** What POST /orders/{id}/reroute answers: the original (maybe cancelled) and the new order. */
export interface Rerouted {
  order: Order;
  reroutedOrder: { id: string; number: number; storeCode: string; status: string };
}

export const requestStatuses = [
  'requested',
  'accepted',
  'invoicing',
  'in_transit',
  'received',
  'rejected',
  'cancelled',
] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export interface StockRequest {
  id: string;
  orderId: string;
  orderNumber: number | null;
  /** The support company asked for the goods. */
  storeCode: string;
  storeName: string;
  mainStoreCode: string;
  status: RequestStatus;
  blockReason: string | null;
  rejectionReason: string | null;
  lines: { line: number; sku: string; quantity: number }[];
  transferDocument: { id: string; accessKey: string; status: string } | null;
  entryCfop: string | null;
  expectedAt: string;
  createdAt: string;
  acceptedAt: string | null;
  invoicedAt: string | null;
  receivedAt: string | null;
  version: number;
}

export type TraceKind = 'order' | 'stock_request' | 'transfer_invoice' | 'invoice';
export type TraceAlert = 'green' | 'yellow' | 'red';

export interface TraceNode {
  kind: TraceKind;
  id: string;
  label: string;
  storeCode: string;
  stage: string;
  stageLabel: string;
  createdAt: string;
  expectedAt: string | null;
  invoicedAt: string | null;
  done: boolean;
  alert: TraceAlert | null;
  daysInProgress: number;
  quantities: { requested: number; invoiced: number; pending: number };
  children: TraceNode[];
}
