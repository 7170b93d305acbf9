import { type TSchema, Type } from '@sinclair/typebox';
import { trackingStatuses } from '../delivery/service.ts';
import { Money, Quantity, StringEnum } from '../platform/http/schemas.ts';
import { PageQuery } from '../platform/pagination.ts';
import { deliveryTypes, modalities, orderStatuses, paymentMethods } from './domain.ts';
import { sorts } from './queue-rules.ts';

/** The orders API's request and response shapes (field names promised to the platform: keep them). */

const StoreCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: 'Store code' });
export const Status = StringEnum(orderStatuses);
const Reason = Type.String({ minLength: 1, maxLength: 500 });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Address = Type.Object(
  {
    street: Type.String({ minLength: 1, maxLength: 120 }),
    number: Type.String({ minLength: 1, maxLength: 20 }),
    complement: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    district: Type.String({ minLength: 1, maxLength: 60 }),
    city: Type.String({ minLength: 1, maxLength: 60 }),
    cityCode: Type.Optional(
      Nullable(
        Type.String({
          description: 'IBGE municipality code, 7 digits; resolved from state + city when absent',
        }),
      ),
    ),
    state: Type.String({ minLength: 2, maxLength: 2, description: 'UF' }),
    postalCode: Type.String({ maxLength: 9, description: 'CEP, 8 digits' }),
    country: Type.Optional(
      Nullable(Type.String({ maxLength: 40, description: 'BR, BRA or Brasil: only Brazilian addresses' })),
    ),
  },
  { additionalProperties: false },
);

export const ShipmentBody = Type.Object(
  {
    carrier: Type.String({
      pattern: '^[A-Z0-9_]{1,20}$',
      description: 'Carrier code (CORREIOS, JADLOG, PROPRIA, …: the codes of DS_LST_TRANSPORT_OMNI)',
    }),
    service: Type.Optional(
      Nullable(Type.String({ maxLength: 40, description: 'The carrier’s service (SEDEX, PAC, …)' })),
    ),
    trackingCode: Type.String({
      pattern: '^\\s*[A-Za-z0-9-]{4,40}\\s*$',
      description: 'The object’s tracking code (stored upper-case)',
    }),
    trackingUrl: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 500,
          description: 'http(s) tracking page; for CORREIOS the Correios page is used when absent',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const IngestBody = Type.Object(
  {
    externalId: Type.String({ minLength: 1, maxLength: 100, description: "The platform's order id" }),
    storeCode: StoreCode,
    deliveryType: StringEnum(deliveryTypes),
    channel: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 60,
        description: 'Sales channel shown in the queue; default ecommerce',
      }),
    ),
    carrier: Type.Optional(
      Type.String({
        pattern: '^[A-Z0-9_]{1,20}$',
        description: 'Carrier code, ship orders only (DS_LST_TRANSPORT_OMNI)',
      }),
    ),
    shipment: Type.Optional({
      ...ShipmentBody,
      description:
        'The tracking, when the platform already has it (else later: PUT /orders/{id}/shipment); ship orders ' +
        'only; its carrier is the order’s',
    }),
    customer: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 120 }),
        document: Type.String({ minLength: 1, maxLength: 20, description: 'CPF or CNPJ (alphanumeric too)' }),
        email: Type.String({ format: 'email', maxLength: 254 }),
        phone: Type.String({ minLength: 1, maxLength: 30 }),
        address: Type.Optional(Address),
      },
      { additionalProperties: false },
    ),
    items: Type.Array(
      Type.Object(
        {
          sku: Type.String({ minLength: 1, maxLength: 60 }),
          quantity: Quantity(),
          unitPrice: Money(),
          discount: Type.Optional(Money()),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
    freight: Type.Optional(Money()),
    payments: Type.Array(
      Type.Object(
        {
          method: StringEnum(paymentMethods),
          amount: Money(),
          installments: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
          partyDocument: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 20,
              description:
                'CPF/CNPJ of the marketplace or invoiced party. Optional: a marketplace payment without it is ' +
                'accepted and its receivable booked against the customer, marked `party.marketplaceUnnamed`',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    placedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export const Order = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    number: Type.Integer({ description: 'Human number, consecutive per store' }),
    externalId: Type.String(),
    storeCode: Type.String(),
    storeName: Type.String(),
    channel: Type.String(),
    modality: StringEnum(modalities),
    deliveryType: StringEnum(deliveryTypes),
    status: Status,
    paid: Type.Boolean(),
    reroutedFromId: Nullable(
      Type.String({ format: 'uuid', description: 'the order whose refused lines became this one' }),
    ),
    customer: Type.Object({
      name: Type.String(),
      document: Type.String(),
      email: Type.String(),
      phone: Type.String(),
      address: Nullable(Address),
    }),
    carrier: Nullable(Type.String()),
    classification: Type.String({
      description: 'The omni classification (CD_TIPOCLAS_OMNI) at ingest; acceptance needs the one in force',
    }),
    arrivedAt: Nullable(
      Type.String({ format: 'date-time', description: 'When the store accepted it (arrival date)' }),
    ),
    expectedInvoiceAt: Nullable(
      Type.String({
        format: 'date-time',
        description: 'Acceptance + DS_LST_DTPREV_OMNI days for the delivery type: expected invoicing date',
      }),
    ),
    posDownloadedAt: Nullable(
      Type.String({
        format: 'date-time',
        description:
          'When the store’s POS first downloaded it as a pending pickup: set, "Confirmado loja"; null while ' +
          'ready for pickup, "Pedido recebido" (confirmed by the store, not yet at the POS)',
      }),
    ),
    shortfall: Nullable(
      Type.Array(Type.Object({ sku: Type.String(), missing: Type.Integer() }), {
        description:
          'Units acceptance could not reserve: a manager accepted short of stock (IN_BLOQ_SALDO_NEG off)',
      }),
    ),
    itemsTotal: Money(),
    discountTotal: Money(),
    freight: Money(),
    total: Money(),
    placedAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    version: Type.Integer(),
    items: Type.Array(
      Type.Object({
        line: Type.Integer(),
        sku: Type.String(),
        description: Type.String(),
        quantity: Type.Integer(),
        unitPrice: Money(),
        discount: Money(),
        total: Money(),
      }),
    ),
    payments: Type.Array(
      Type.Object({
        method: StringEnum(paymentMethods),
        amount: Money(),
        installments: Nullable(Type.Integer()),
        partyDocument: Nullable(Type.String()),
      }),
    ),
    history: Type.Array(
      Type.Object({
        at: Type.String({ format: 'date-time' }),
        from: Nullable(Status),
        to: Status,
        actor: Type.Object({
          kind: Type.String(),
          id: Type.String(),
          name: Type.String(),
          role: Type.String(),
        }),
        channel: Type.String({ description: 'platform, back_office, pos or system' }),
        reason: Nullable(Type.String()),
      }),
    ),
    allowedTransitions: Type.Array(Status, { description: 'Statuses you may move the order to now' }),
    salesperson: Nullable(
      Type.Object(
        { id: Type.String(), name: Type.String() },
        { description: 'The salesperson named at invoicing (TP_DADO_ADIC_BX_PED_ECOMM)' },
      ),
    ),
    notesCount: Type.Integer({ description: 'How many notes the order has (GET /orders/{id}/notes)' }),
    pickup: Nullable(
      Type.Object(
        {
          name: Type.String(),
          document: Nullable(Type.String()),
          documentKind: Nullable(StringEnum(['cpf', 'cnpj', 'other'] as const)),
          at: Type.String({ format: 'date-time' }),
          handedBy: Type.Object({ kind: Type.String(), name: Type.String(), channel: Type.String() }),
        },
        { description: 'Who collected a pickup order, when, and who handed it over (POST …/handover)' },
      ),
    ),
    endlessAisle: Nullable(
      Type.Object(
        {
          sellingStoreCode: Type.String({ description: 'The store whose POS sold it' }),
          representative: Nullable(Type.String({ description: 'CD_REPRE_PRATELEIRA of the selling store' })),
          printModel: Nullable(Type.String({ description: 'CD_MOD_VENDA_PRATELEIRA of the selling store' })),
          blockReason: Type.String({ description: 'CD_MOTIVOBLOQ_PED_PRATELE it was born blocked with' }),
          blocked: Type.Boolean({ description: 'Still blocked: not accepted yet' }),
        },
        { description: 'An endless-aisle sale made at a POS (modality endless_aisle)' },
      ),
    ),
    shipment: Nullable(
      Type.Object(
        {
          carrier: Type.String({ description: 'Carrier code (the order’s carrier follows it)' }),
          service: Nullable(Type.String()),
          trackingCode: Nullable(
            Type.String({ description: 'Null only while the carrier’s adapter has not assigned it yet' }),
          ),
          trackingUrl: Nullable(Type.String()),
          source: StringEnum(['platform', 'back_office', 'carrier'] as const),
          carrierLabel: Type.Boolean({
            description: 'The carrier’s own label is stored (label.pdf prints it)',
          }),
          updatedAt: Type.String({ format: 'date-time' }),
        },
        { description: 'How a ship order travels (PUT …/shipment, or the carrier’s adapter)' },
      ),
    ),
    trackingEvents: Type.Array(
      Type.Object({
        at: Type.String({ format: 'date-time', description: 'When the carrier says it happened' }),
        status: StringEnum(trackingStatuses, { description: 'What the event means for the order' }),
        description: Type.String({ description: 'The carrier’s own words' }),
        location: Nullable(Type.String()),
        carrierCode: Type.String({ description: 'The carrier’s own event code (Correios "BDE 01")' }),
        carrier: Type.String({ description: 'The order’s carrier code (CORREIOS, …)' }),
        source: StringEnum(['webhook', 'poll', 'manual'] as const),
      }),
      { description: 'The carrier’s tracking events of a ship order, newest first' },
    ),
    carrierProblem: Nullable(
      Type.Object(
        {
          operation: StringEnum(['create_shipment', 'fetch_label'] as const),
          message: Type.String({ description: 'The carrier’s refusal or the last fault, as written' }),
          attempts: Type.Integer(),
          final: Type.Boolean({ description: 'Given up (or refused): the store acts' }),
          at: Type.String({ format: 'date-time' }),
        },
        { description: 'The carrier’s last fault or refusal about the shipment or its label' },
      ),
    ),
    carrierShipmentAvailable: Type.Boolean({
      description: 'POST …/carrier-shipment applies: invoiced, no tracking, the carrier has an account',
    }),
  },
  { $id: 'Order' },
);

export const QueueItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  storeCode: Type.String(),
  storeName: Type.String(),
  channel: Type.String(),
  modality: Type.String(),
  placedAt: Type.String({ format: 'date-time' }),
  total: Money(),
  customerDocument: Type.String(),
  deliveryType: StringEnum(deliveryTypes),
  paid: Type.Boolean(),
  status: Status,
  posDownloadedAt: Nullable(
    Type.String({
      format: 'date-time',
      description: 'When the store’s POS first downloaded it ("Confirmado loja"); null: not yet',
    }),
  ),
  allowedTransitions: Type.Array(Status, { description: 'Statuses you may move the order to now' }),
  addressIssue: Nullable(
    StringEnum(['city_unresolved'] as const, {
      description:
        'city_unresolved: a ship order whose city has no IBGE code (not found for its state): correct the ' +
        'address (PUT /orders/{id}/delivery-address) before invoicing',
    }),
  ),
});

const Bound = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T.*)?$',
  description: 'A São Paulo day (YYYY-MM-DD, the whole day) or a date-time',
});

export const QueueQuery = Type.Object({
  status: Type.Optional(Type.Array(Status, { maxItems: 10 })),
  number: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  from: Type.Optional(Bound),
  to: Type.Optional(Bound),
  storeCode: Type.Optional(Type.Array(StoreCode, { maxItems: 200 })),
  addressIssue: Type.Optional(
    StringEnum(['city_unresolved'] as const, {
      description: 'Only ship orders whose address needs correcting ("Endereço a corrigir")',
    }),
  ),
  sort: Type.Optional(StringEnum(sorts, { default: '-placedAt' })),
  ...PageQuery,
});

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const AllowShortfall = Type.Boolean({
  description:
    'Accept without the whole stock, holding what there is (a manager, where IN_BLOQ_SALDO_NEG is off): ' +
    'the confirmation the 409 ORDER.INSUFFICIENT_STOCK asks for when `shortfallAllowed` is true',
});
export const TransitionBody = Type.Object(
  { to: Status, reason: Type.Optional(Reason), allowShortfall: Type.Optional(AllowShortfall) },
  { additionalProperties: false },
);
export const AcceptBody = Type.Object(
  { allowShortfall: Type.Optional(AllowShortfall) },
  { additionalProperties: false },
);
export const CancelBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const EmptyBody = Type.Object({}, { additionalProperties: false });
export const HandoverBody = Type.Object(
  {
    name: Type.String({ maxLength: 200, description: 'Who collects the goods (2-100 characters)' }),
    document: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 30,
          description: 'CPF or CNPJ (check digits verified) or an identity document such as the RG',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);
