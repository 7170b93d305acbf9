/**
 * The shapes of the public API the back office reads, as aliases onto the types generated from
 * /openapi.json (`schema.d.ts`, `npm run web:types`): a route schema that changes shows up here at type-check.
 */
import type { components, paths } from './schema';

type Schemas = components['schemas'];
type Content<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON answer of a route for one status (200 unless said). */
export type ResponseOf<
  P extends keyof paths,
  M extends keyof paths[P],
  S extends number = 200,
> = paths[P][M] extends { responses: infer R } ? (S extends keyof R ? Content<R[S]> : never) : never;

/** The JSON body a route takes. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: infer B;
}
  ? Content<NonNullable<B>>
  : never;

type Item<T> = T extends { items: (infer I)[] } ? I : never;

// --- orders --------------------------------------------------------------------------------------

export type Order = Schemas['Order'];
export type OrderStatus = Order['status'];

/** Every status in the order of the flow, for filters and counts (checked against the generated union). */
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
] as const satisfies readonly OrderStatus[];
/** A status the server adds but this list lacks fails the type-check here. */
export const allOrderStatusesListed: [Exclude<OrderStatus, (typeof orderStatuses)[number]>] extends [never]
  ? true
  : never = true;

export type Role = ResponseOf<'/api/v1/auth/login', 'post'>['user']['role'];
export type NodeKind = Schemas['Node']['kind'];
/** /auth/me's schema says only `string` for the actor and the node kind: narrowed to what they are. */
export type Me = Omit<ResponseOf<'/api/v1/auth/me', 'get'>, 'actor' | 'nodeKind'> & {
  actor: Role;
  nodeKind: NodeKind;
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type QueuePage = ResponseOf<'/api/v1/orders', 'get'>;
export type QueueItem = Item<QueuePage>;
export type Address = NonNullable<Order['customer']['address']>;

/** The payload is the event as posted (schema: any object); the screens read these members of it. */
type EventPayload = {
  externalId?: string;
  status?: string;
  previousStatus?: string | null;
  at?: string;
} | null;
export type WebhookDelivery = Omit<Item<ResponseOf<'/api/v1/webhook-deliveries', 'get'>>, 'payload'> & {
  payload: EventPayload;
};
export type OrderWebhookDelivery = Omit<
  Item<ResponseOf<'/api/v1/orders/{id}/webhook-deliveries', 'get'>>,
  'payload'
> & { payload: EventPayload };
export type WebhookAttempt = OrderWebhookDelivery['attempts'][number];
export type StatusResent = ResponseOf<'/api/v1/orders/{id}/status-resend', 'post', 202>;
export type SlipLayout = NonNullable<
  NonNullable<paths['/api/v1/picking-slips.pdf']['get']['parameters']['query']>['layout']
>;

/**
 * A short line of a refused acceptance: the `lines` member of the 409 ORDER.INSUFFICIENT_STOCK problem
 * (problem members beyond RFC 9457's are not in the schema).
 */
export interface StockShortage {
  sku: string;
  requested: number;
  available: number;
  missing: number;
}

// --- catalog, network, integrations --------------------------------------------------------------

export type Product = Schemas['Product'];
export type EcommerceFlags = Pick<Product, 'integratesEcommerce' | 'activeEcommerce'>;
export type StockRow = Item<ResponseOf<'/api/v1/stock', 'get'>>;
export type Job<R = unknown> = Omit<ResponseOf<'/api/v1/jobs/{id}', 'get'>, 'result'> & { result: R | null };
export type BulkFlagsResult = {
  changed: number;
  unchanged: number;
  skipped: number;
  skips: { sku: string; reason: string; detail: string }[];
};
export type NetworkNode = Schemas['Node'];
export type NodeCreate = BodyOf<'/api/v1/nodes', 'post'>;
export type NodePatch = BodyOf<'/api/v1/nodes/{code}', 'patch'>;
export type AddressInput = NonNullable<NodeCreate['address']>;
export type Municipality = Item<ResponseOf<'/api/v1/municipalities', 'get'>>;

/** The data of a 409 NETWORK.NODE_HAS_OPEN_WORK / NODE_HAS_ACTIVE_STORES (problem members beside `code`). */
export interface OpenWork {
  orders?: { id: string; number: number | null; status: OrderStatus }[];
  ordersTotal?: number;
  stockRequests?: { id: string; orderId: string; orderNumber: number | null; status: RequestStatus }[];
  stockRequestsTotal?: number;
  stores?: { code: string; name: string }[];
  total?: number;
}
export type ParameterDefinition = Schemas['ParameterDefinition'];
export type ParameterType = ParameterDefinition['type'];
export type EffectiveParameter = Schemas['EffectiveParameter'];
export type ApiClient = Item<ResponseOf<'/api/v1/api-clients', 'get'>>;
export type ApiKey = ApiClient['keys'][number];
export type CreatedApiClient = ResponseOf<'/api/v1/api-clients', 'post', 201>;
export type RotatedApiKey = ResponseOf<'/api/v1/api-clients/{id}/keys', 'post', 201>;
export type PairingCode = ResponseOf<'/api/v1/api-clients/{id}/pairing-codes', 'post', 201>;
export type PosPairing = ResponseOf<'/api/v1/pos/pairing', 'post', 201>;

// --- users, passwords, sessions ------------------------------------------------------------------

export type User = Schemas['User'];
export type CreatedUser = ResponseOf<'/api/v1/users', 'post', 201>;
export type NewUser = BodyOf<'/api/v1/users', 'post'>;
export type GrantableRole = Me['grantableRoles'][number];
export type UserSession = Item<ResponseOf<'/api/v1/auth/sessions', 'get'>>;
export type PasswordChanged = ResponseOf<'/api/v1/auth/password', 'post'>;
export type TemporaryPassword = ResponseOf<'/api/v1/users/{id}/password-reset', 'post'>;
export type Webhook = ResponseOf<'/api/v1/api-clients/{id}/webhook', 'get'>;

// --- fiscal --------------------------------------------------------------------------------------

export type FiscalDocument = Schemas['FiscalDocument'];
export type FiscalDocumentStatus = FiscalDocument['status'];
export type FiscalRejection = NonNullable<FiscalDocument['rejection']>;
export type FiscalEvent = FiscalDocument['events'][number];
/** A range of numbers voided at SEFAZ (inutilização), and the gaps of each series. */
export type VoidedRange = Schemas['FiscalVoidedRange'];
export type NumberGap = Item<ResponseOf<'/api/v1/fiscal/number-gaps', 'get'>>;
export type Invoiced = ResponseOf<'/api/v1/orders/{id}/invoice', 'post'>;
export type InvoiceBatchAccepted = ResponseOf<'/api/v1/orders/invoice-batch', 'post', 202>;
/** The batch invoicing job's result: its shape is the queue's own, so GET /jobs says only `unknown`. */
export interface InvoiceBatchResult {
  counts: { invoiced: number; pending: number; refused: number };
  items: {
    id: string;
    number: number | null;
    outcome: 'invoiced' | 'pending' | 'refused';
    code?: string;
    message?: string;
    fiscalDocumentId?: string;
  }[];
}
export type Salespeople = ResponseOf<'/api/v1/orders/{id}/salespeople', 'get'>;
export type OrderNote = Schemas['OrderNote'];
export type FiscalSettings = ResponseOf<'/api/v1/nodes/{code}/fiscal-settings', 'get'>;
/** CRT: 1 Simples Nacional, 2 Simples over the sublimit, 3 regime normal, 4 MEI (the schema: an integer). */
export type TaxRegime = 1 | 2 | 3 | 4;
export type FiscalSettingsInput = BodyOf<'/api/v1/nodes/{code}/fiscal-settings', 'put'>;
/** A network's WhatsApp Business account (the token is never answered: `tokenStored`). */
export type WhatsAppAccount = ResponseOf<'/api/v1/nodes/{code}/whatsapp', 'get'>;
export type WhatsAppAccountInput = BodyOf<'/api/v1/nodes/{code}/whatsapp', 'put'>;
export type WhatsAppTestResult = ResponseOf<'/api/v1/nodes/{code}/whatsapp/test', 'post'>;
export type FiscalCommunicationTest = ResponseOf<
  '/api/v1/nodes/{code}/fiscal-settings/communication-test',
  'post'
>;
export type FiscalAuthorizer = FiscalSettings['authorizer'];
export type FiscalContingency = ResponseOf<'/api/v1/fiscal/contingency', 'get'>;
export type ContingencyAlarm = FiscalContingency['items'][number];
export type SefazSimulator = ResponseOf<'/api/v1/fiscal/simulator', 'get'>;
export type FiscalDocumentListItem = Schemas['FiscalDocumentListItem'];
export type FiscalConsultation = ResponseOf<'/api/v1/fiscal-documents/{id}/consult', 'post'>;
export type SvcMode = ResponseOf<'/api/v1/fiscal/contingency/svc', 'get'>['items'][number];
export type ContingencyDocumentsPage = ResponseOf<'/api/v1/fiscal/contingency/documents', 'get'>;
export type ContingencyDocument = ContingencyDocumentsPage['items'][number];

// --- split ---------------------------------------------------------------------------------------

export type SplitOptions = ResponseOf<'/api/v1/orders/{id}/split-options', 'get'>;
export type SplitLine = SplitOptions['lines'][number];
export type SplitCompany = SplitLine['companies'][number];
export type Allocation = SplitOptions['proposal'][number];
export type Rerouted = ResponseOf<'/api/v1/orders/{id}/reroute', 'post'>;
export type StockRequest = Schemas['StockRequest'];
export type RequestStatus = StockRequest['status'];
export const requestStatuses = [
  'requested',
  'accepted',
  'invoicing',
  'in_transit',
  'received',
  'rejected',
  'cancelled',
] as const satisfies readonly RequestStatus[];
export const allRequestStatusesListed: [Exclude<RequestStatus, (typeof requestStatuses)[number]>] extends [
  never,
]
  ? true
  : never = true;
export type TraceNode = Schemas['TraceNode'];
export type TraceKind = TraceNode['kind'];
export type TraceAlert = NonNullable<TraceNode['alert']>;

// --- delivery ------------------------------------------------------------------------------------

export type Experience = Schemas['DeliveryExperience'];
export type DeliveryType = Experience['type'];
export type EnabledStore = Experience['stores'][number];
export type Simulation = ResponseOf<'/api/v1/delivery-simulations', 'post'>;
export type DeliveryOption = Simulation['options'][number];

// --- audit ---------------------------------------------------------------------------------------

export type AuditEvent = ResponseOf<'/api/v1/audit-events', 'get'>['items'][number];

// --- the scan conference -------------------------------------------------------------------------

export type Conference = ResponseOf<'/api/v1/orders/{id}/conference', 'get'>;
export type ConferenceLine = Conference['lines'][number];
export type ConferenceScanned = ResponseOf<'/api/v1/orders/{id}/conference/scans', 'post'>;
// --- returns -------------------------------------------------------------------------------------

export type ReturnReason = Schemas['ReturnReason'];
export type ReturnReasonType = ReturnReason['type'];
export type OrderReturn = Schemas['OrderReturn'];
/** What "Cancelar pedido" of an invoiced order will do: cancel the NF-e / NFC-e, or reverse the sale. */
export type CancellationWindow = ResponseOf<'/api/v1/orders/{id}/invoice-cancellation', 'get'>;
export type CancellationAnswer = ResponseOf<'/api/v1/orders/{id}/invoice-cancellation', 'post'>;

// --- carrier accounts ----------------------------------------------------------------------------

export type CarrierAccount = Schemas['CarrierAccount'];
export type CarrierAdapter = CarrierAccount['adapter'];
export type CarrierAccountBody = BodyOf<'/api/v1/nodes/{code}/carrier-accounts/{carrierCode}', 'put'>;
export type CarrierAccountTest = ResponseOf<
  '/api/v1/nodes/{code}/carrier-accounts/{carrierCode}/test',
  'post'
>;
// --- notifications ----------------------------------------------------------------------------------

export type Notification = Schemas['Notification'];
export type NotificationDetails = ResponseOf<'/api/v1/notifications/{id}', 'get'>;
export type NotificationTemplate = Schemas['NotificationTemplate'];
export type ChannelStates = ResponseOf<'/api/v1/notifications/channels', 'get'>;
export type CustomerNotified = ResponseOf<'/api/v1/orders/{id}/notify-customer', 'post'>;
