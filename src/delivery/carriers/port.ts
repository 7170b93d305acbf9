/**
 * The port to a carrier (issue 15 §3): quote, create a shipment, fetch its label, track it, cancel it.
 * Adapters, one folder each: `correios/` (the Correios web services: token by posting card, pre-postagem,
 * asynchronous label PDF, SRO tracking) and `melhor-envio/` (the multi-carrier gateway: quote → cart →
 * checkout → generate → print, tracking, signed webhooks). `PROPRIA` (the store's own fleet) and any carrier
 * without a configured account have no adapter: the store moves those orders by hand.
 *
 * Calls are made by jobs, never inside a transaction. A carrier's answer about the request (a CEP it does not
 * serve, a service it does not offer) is a value (`CarrierRefusal`); only faults throw (`CarrierFault`):
 * the carrier could not be reached, timed out, refused the credentials, answered an HTTP error or a body
 * that is not its documented answer. Jobs retry faults with backoff and never lose the order's state.
 */

/** A party of the shipment (the store sending, the customer receiving), as the carriers' forms ask for it. */
export interface ShipmentParty {
  readonly name: string;
  /** CPF or CNPJ, digits (and letters for the 2026 CNPJ) only. */
  readonly document: string;
  readonly phone?: string;
  readonly email?: string;
  readonly street: string;
  readonly number: string;
  readonly complement?: string;
  readonly district: string;
  readonly city: string;
  /** IBGE municipality code, when known. */
  readonly cityCode?: string;
  readonly state: string;
  /** Eight digits. */
  readonly postalCode: string;
}

/** One volume. Grams and centimetres, integers. */
export interface Parcel {
  readonly weightGrams: number;
  readonly heightCm: number;
  readonly widthCm: number;
  readonly lengthCm: number;
}

export interface QuoteRequest {
  /** Eight-digit CEPs. */
  readonly fromPostalCode: string;
  readonly toPostalCode: string;
  readonly parcels: readonly Parcel[];
  /** Money as a decimal string with two places ("129.90"). */
  readonly declaredValue: string;
  /** Only this service's price; every service the account offers when absent. */
  readonly service?: string;
}

export interface Quote {
  /** The carrier's service code (Correios "03220" SEDEX, Melhor Envio service id "1"). */
  readonly service: string;
  readonly serviceName: string;
  /** Decimal string with two places. */
  readonly price: string;
  /** Business days to deliver. */
  readonly days: number;
}

/** The NF-e the goods travel with (the carriers print its key and need it to accept the parcel). */
export interface ShipmentInvoice {
  readonly number: number;
  readonly series: number;
  /** 44 characters. */
  readonly accessKey: string;
  readonly issuedAt: Date;
  /** Decimal string with two places. */
  readonly total: string;
}

export interface ShipmentItem {
  readonly description: string;
  readonly quantity: number;
  /** Unit price, decimal string with two places. */
  readonly unitPrice: string;
}

export interface ShipmentRequest {
  /** Omnihub's order id: the adapters send it as their external reference, so a retry finds the first try. */
  readonly reference: string;
  readonly orderNumber: number;
  readonly service: string;
  readonly sender: ShipmentParty;
  readonly recipient: ShipmentParty;
  readonly parcels: readonly Parcel[];
  readonly declaredValue: string;
  readonly invoice?: ShipmentInvoice;
  readonly items: readonly ShipmentItem[];
}

export interface CreatedShipment {
  /** The carrier's own id of the shipment (Correios pre-postagem id, Melhor Envio order id). */
  readonly carrierShipmentId: string;
  /** The object's tracking code (Correios "AB123456789BR"); null while the carrier has not assigned it yet. */
  readonly trackingCode: string | null;
  readonly trackingUrl: string | null;
}

/** The carrier's own label: ready (a PDF), or still being generated (ask again after the delay). */
export type CarrierLabel =
  | { readonly ready: true; readonly pdf: Buffer }
  | { readonly ready: false; readonly retryAfterMs: number };

/** What a tracking event means for the order; the carrier's own code and words are kept beside it. */
export const trackingStatuses = [
  'posted',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'delivery_failed',
  'returning',
  'cancelled',
] as const;
export type TrackingStatus = (typeof trackingStatuses)[number];

export interface TrackingEvent {
  /** The object this event is about. */
  readonly trackingCode: string;
  /**
   * The carrier's own id of the shipment, when the carrier names it (Melhor Envio's order id: its events may
   * come before a tracking code exists, then `trackingCode` is that id too).
   */
  readonly carrierShipmentId?: string;
  /** Stable across repeated reads and webhook retries of the same event: duplicates are applied once. */
  readonly eventId: string;
  readonly status: TrackingStatus;
  /** The carrier's own event code (Correios "BDE 01", Melhor Envio "delivered"). */
  readonly carrierCode: string;
  /** The carrier's own words, shown on the order's timeline as written. */
  readonly description: string;
  readonly at: Date;
  readonly location?: string;
}

/** The identifiers a shipment is tracked by (Melhor Envio tracks by its order id, Correios by the code). */
export interface TrackedShipment {
  readonly carrierShipmentId: string | null;
  readonly trackingCode: string;
}

/** The carrier refused the request itself (a CEP it does not serve, a service it does not offer). */
export interface CarrierRefusal {
  readonly refused: true;
  /** The carrier's own code or HTTP status, and its message, as written. */
  readonly code: string;
  readonly message: string;
}

export const carrierFaultKinds = [
  'unreachable',
  'timeout',
  'unauthorized',
  'http_status',
  'unexpected_body',
] as const;
export type CarrierFaultKind = (typeof carrierFaultKinds)[number];

export class CarrierFault extends Error {
  readonly kind: CarrierFaultKind;
  /** The operation (quote, createShipment, label, track, cancel). */
  readonly operation: string;
  readonly httpStatus?: number;

  constructor(
    kind: CarrierFaultKind,
    operation: string,
    message: string,
    opts: { httpStatus?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'CarrierFault';
    this.kind = kind;
    this.operation = operation;
    this.httpStatus = opts.httpStatus;
  }
}

export const carrierAdapters = ['correios', 'melhor_envio'] as const;
export type CarrierAdapter = (typeof carrierAdapters)[number];

export interface Carrier {
  readonly adapter: CarrierAdapter;
  quote(request: QuoteRequest): Promise<readonly Quote[] | CarrierRefusal>;
  createShipment(request: ShipmentRequest): Promise<CreatedShipment | CarrierRefusal>;
  label(carrierShipmentId: string): Promise<CarrierLabel>;
  /** Every event the carrier knows for each shipment, oldest first; unknown objects are simply absent. */
  track(shipments: readonly TrackedShipment[]): Promise<readonly TrackingEvent[]>;
  cancel(carrierShipmentId: string, reason: string): Promise<{ cancelled: true } | CarrierRefusal>;
}

/**
 * A carrier that pushes its events (Melhor Envio's webhook): checks the signature over the raw body and
 * reads the events. `verify` false → 401 and nothing changes.
 */
export interface CarrierWebhook {
  verify(headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: Buffer): boolean;
  parse(rawBody: Buffer): readonly TrackingEvent[];
}

/**
 * The carrier account that serves a store's orders of a carrier code (the delivery experience's carrier,
 * e.g. CORREIOS, JADLOG), or null: no account, or a carrier moved by hand (PROPRIA).
 */
export type CarrierFor = (storeId: string, carrierCode: string) => Promise<Carrier | null>;
