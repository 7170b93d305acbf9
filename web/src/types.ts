/** The shapes of the public API the back office reads (see /openapi.json). */

export const orderStatuses = [
  'open',
  'awaiting_stock',
  'accepted',
  'picking',
  'ready_for_pickup',
  'invoicing',
  'invoiced',
  'in_transit',
  'delivered',
  'cancelled',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export type Role = 'network_admin' | 'central_admin' | 'store_manager' | 'store_staff';

export interface Me {
  kind: 'user' | 'client';
  id: string;
  name: string;
  actor: Role;
  nodeId: string;
  nodeCode: string;
  nodeName: string;
  nodeKind: 'network' | 'central' | 'store';
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface QueueItem {
  id: string;
  number: number;
  storeCode: string;
  storeName: string;
  channel: string;
  modality: string;
  placedAt: string;
  total: string;
  customerDocument: string;
  deliveryType: 'pickup' | 'ship';
  paid: boolean;
  status: OrderStatus;
  allowedTransitions: OrderStatus[];
}

export interface QueuePage extends Page<QueueItem> {
  totals: Record<OrderStatus, number>;
}

export interface Address {
  street: string;
  number: string;
  complement?: string | null;
  district: string;
  city: string;
  cityCode?: string | null;
  state: string;
  postalCode: string;
}

export interface Order {
  id: string;
  number: number;
  externalId: string;
  storeCode: string;
  storeName: string;
  channel: string;
  modality: string;
  deliveryType: 'pickup' | 'ship';
  status: OrderStatus;
  paid: boolean;
  customer: { name: string; document: string; email: string; phone: string; address: Address | null };
  carrier: string | null;
  /** The omni classification (CD_TIPOCLAS_OMNI) the order arrived with. */
  classification: string;
  /** Acceptance: the arrival date and the expected invoicing date (DS_LST_DTPREV_OMNI). */
  arrivedAt: string | null;
  expectedInvoiceAt: string | null;
  /** What acceptance could not reserve (a manager accepted short of stock). */
  shortfall: { sku: string; missing: number }[] | null;
  itemsTotal: string;
  discountTotal: string;
  freight: string;
  total: string;
  placedAt: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** The order whose refused lines became this one (re-routed at acceptance). */
  reroutedFromId: string | null;
  items: {
    line: number;
    sku: string;
    description: string;
    quantity: number;
    unitPrice: string;
    discount: string;
    total: string;
  }[];
  payments: { method: string; amount: string; installments: number | null; partyDocument: string | null }[];
  history: {
    at: string;
    from: OrderStatus | null;
    to: OrderStatus;
    actor: { kind: string; id: string; name: string; role: string };
    channel: string;
    reason: string | null;
  }[];
  allowedTransitions: OrderStatus[];
}

// --- catalog, network, integrations -----------------------------------------------------------

export type NodeKind = 'network' | 'central' | 'store';

export interface Product {
  id: string;
  sku: string;
  ean: string;
  description: string;
  ncm: string;
  unit: string;
  /** The effective price at the store asked for (or at the user's own node). */
  price: string;
  defaultPrice: string;
  priceSource: NodeKind;
  priceNodeCode: string | null;
  integratesEcommerce: boolean;
  activeEcommerce: boolean;
  active: boolean;
  ecommerceEnabled: boolean;
  version: number;
}

export type EcommerceFlags = Pick<Product, 'integratesEcommerce' | 'activeEcommerce'>;

export interface StockRow {
  sku: string;
  storeCode: string;
  available: number;
  onHand?: number;
  reserved?: number;
}

export interface Job<R = unknown> {
  id: string;
  queue: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: { done: number; total: number | null; percent: number };
  result: R | null;
  error: string | null;
}

export interface BulkFlagsResult {
  changed: number;
  unchanged: number;
  skipped: number;
  skips: { sku: string; reason: string; detail: string }[];
}

export interface NetworkNode {
  id: string;
  kind: NodeKind;
  code: string;
  parentCode: string | null;
  name: string;
  legalName: string;
  cnpj: string | null;
  stateRegistration: string | null;
  address: Address | null;
  latitude: number | null;
  longitude: number | null;
  email: string | null;
  visibility: string;
  active: boolean;
  version: number;
}

export type ParameterType = 'boolean' | 'integer' | 'string' | 'url' | 'enum' | 'list';

export interface ParameterDefinition {
  code: string;
  /** pt-BR, from the registry. */
  label: string;
  description: string;
  group: string;
  type: ParameterType;
  default: unknown;
  allowedValues?: { value: string; label: string }[];
  pattern?: string;
  min?: number;
  max?: number;
  maxLength?: number;
  maxItems?: number;
  scope: NodeKind[];
  public: boolean;
  /** false: the parameter may be set but no flow reads it yet ("ainda sem efeito"). */
  honoured: boolean;
}

export interface EffectiveParameter {
  code: string;
  value: unknown;
  /** The node whose value applies; null: the system default. */
  source: { nodeCode: string; kind: NodeKind } | null;
  /** A private value set above the user's node: where, not what. */
  hidden: boolean;
}

export interface ApiClient {
  id: string;
  name: string;
  scope: 'platform' | 'pos';
  nodeCode: string;
  active: boolean;
}

export interface Webhook {
  clientId: string;
  url: string;
  secretLast4: string;
  active: boolean;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: string;
  clientId: string;
  orderId: string;
  seq: number;
  event: string;
  status: 'pending' | 'delivered';
  payload: { externalId?: string; status?: string; previousStatus?: string | null; at?: string } | null;
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  lastError: string | null;
}

// --- order queue and detail ------------------------------------------------------------------

/** One try of a webhook delivery (GET /orders/{id}/webhook-deliveries). */
export interface WebhookAttempt {
  attempt: number;
  startedAt: string;
  url: string;
  /** null when no answer came (refused, timeout, reset). */
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export interface OrderWebhookDelivery extends WebhookDelivery {
  attempts: WebhookAttempt[];
}

/** A short line of a refused acceptance (409 ORDER.INSUFFICIENT_STOCK `lines`). */
export interface StockShortage {
  sku: string;
  requested: number;
  available: number;
  missing: number;
}

/** 202 of POST /orders/{id}/status-resend. */
export interface StatusResent {
  orderId: string;
  externalId: string;
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  at: string;
}

export type SlipLayout = 'a4' | 'thermal';

// --- fiscal ------------------------------------------------------------------------------------

export type FiscalDocumentStatus = 'sending' | 'authorised' | 'rejected' | 'cancelled';

export interface FiscalRejection {
  code: number;
  reason: string;
}

/** An event on a document at SEFAZ; 110111 is the cancellation. */
export interface FiscalEvent {
  id: string;
  type: string;
  status: 'sending' | 'registered' | 'rejected';
  justification: string;
  protocol: string | null;
  rejection: FiscalRejection | null;
  createdAt: string;
  registeredAt: string | null;
}

/** GET /orders/{id}/fiscal-documents, GET /fiscal-documents/{id}. */
export interface FiscalDocument {
  id: string;
  /** 55 NF-e, 65 NFC-e. */
  model: 55 | 65;
  series: number;
  number: number;
  accessKey: string;
  formattedAccessKey: string;
  status: FiscalDocumentStatus;
  purpose: string;
  reference: { type: string; id: string };
  storeCode: string;
  protocol: string | null;
  rejection: FiscalRejection | null;
  authorisedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  signatureValid: boolean;
  xml: string;
  events: FiscalEvent[];
}

/** 200/202 of POST /orders/{id}/invoice. */
export interface Invoiced {
  order: Order;
  fiscalDocument: { id: string; accessKey: string; status: FiscalDocumentStatus };
}

/** CRT: 1 Simples Nacional, 2 Simples over the sublimit, 3 regime normal, 4 MEI. */
export type TaxRegime = 1 | 2 | 3 | 4;

/** GET /nodes/{code}/fiscal-settings: the certificate, its password and the CSC token never come back. */
export interface FiscalSettings {
  storeCode: string;
  configured: boolean;
  /** 1 produção, 2 homologação. */
  environment: '1' | '2';
  taxRegime: TaxRegime | null;
  icmsRateIntrastate: string | null;
  icmsRateInterstate: string | null;
  certificate: { subject: string; notAfter: string } | null;
  csc: { id: string } | null;
  updatedAt: string | null;
}

/** PUT /nodes/{code}/fiscal-settings. */
export interface FiscalSettingsInput {
  environment?: '1' | '2';
  taxRegime: TaxRegime;
  icmsRateIntrastate?: string | null;
  icmsRateInterstate?: string | null;
  certificate?: { pkcs12: string; password: string };
  csc?: { id: string; token: string } | null;
}
