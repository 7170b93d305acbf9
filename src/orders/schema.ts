import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { apiClients } from '../access/schema.ts';
import { products } from '../catalog/schema.ts';
import { trackingStatuses } from '../delivery/service.ts';
import { nodes } from '../network/schema.ts';
import { money, oneOf } from '../platform/db/columns.ts';
import {
  deliveryTypes,
  historyActorKinds,
  historyChannels,
  modalities,
  orderStatuses,
  paymentMethods,
} from './domain.ts';

/**
 * Omni sales orders ("pedido de venda omni"). Immutable once ingested except for `status`, `version`
 * and `updated_at`, which change only through the transition function (service.ts) together with a
 * history row. `number` is the store's human number: taken from `order_counters` by the last statement
 * of the ingest transaction, so it is never null once committed and the counter lock is held only briefly.
 */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    storeId: uuid('store_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    /** The platform API client that pushed the order: webhooks go back to it. */
    clientId: uuid('client_id')
      .notNull()
      .references(() => apiClients.id, { onDelete: 'restrict' }),
    number: integer('number'),
    externalId: text('external_id').notNull(),
    /** SHA-256 of the canonical request: the same externalId with another body is a conflict. */
    requestHash: text('request_hash').notNull(),
    channel: text('channel').notNull(),
    modality: text('modality', { enum: modalities }).notNull(),
    deliveryType: text('delivery_type', { enum: deliveryTypes }).notNull(),
    status: text('status', { enum: orderStatuses }).notNull(),
    customerName: text('customer_name').notNull(),
    /** CPF (11 digits) or CNPJ (14 characters, alphanumeric since 2026), without punctuation. */
    customerDocument: text('customer_document').notNull(),
    customerEmail: text('customer_email').notNull(),
    customerPhone: text('customer_phone').notNull(),
    customerAddress: jsonb('customer_address'),
    carrier: text('carrier'),
    itemsTotal: money('items_total').notNull(),
    discountTotal: money('discount_total').notNull(),
    freight: money('freight').notNull(),
    total: money('total').notNull(),
    paid: boolean('paid').notNull().default(true),
    /**
     * The network's omni classification (CD_TIPOCLAS_OMNI) when the order arrived: only an order carrying
     * the classification in force is accepted through the omni acceptance (seeds: PEDFP144).
     */
    classification: text('classification').notNull(),
    /** When the store accepted it (seeds: "data de chegada", set to the system date at acceptance). */
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
    /** Acceptance + the store's DS_LST_DTPREV_OMNI days for the delivery type (seeds: "data de faturamento"). */
    expectedInvoiceAt: timestamp('expected_invoice_at', { withTimezone: true }),
    /**
     * What acceptance could not reserve, `[{sku, missing}]`: a manager accepted it short of stock after
     * confirming, where IN_BLOQ_SALDO_NEG is off. Null when every unit was held.
     */
    shortfall: jsonb('shortfall'),
    /**
     * When the items were confirmed (seeds 003, Conferência): the scan conference finished (fulfilment), or
     * the acceptance where TP_CONF_ACEITE_PED = 1. The guards of picking → ready_for_pickup and of invoicing
     * read it; a conference restarted before the order moved on clears it.
     */
    conferredAt: timestamp('conferred_at', { withTimezone: true }),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    /**
     * When the store's POS first downloaded it as a pending pickup (seeds 000 §3.4: "Pedido Recebido" is
     * confirmed by the store but not yet downloaded to the POS, "Confirmado Loja" already downloaded).
     * Set once, by `GET /pos/pending-orders`; never cleared (a released order stays known to the POS).
     */
    posDownloadedAt: timestamp('pos_downloaded_at', { withTimezone: true }),
    /** The order these lines were re-routed from (the main store refused them at acceptance). */
    reroutedFromId: uuid('rerouted_from_id').references((): AnyPgColumn => orders.id, {
      onDelete: 'restrict',
    }),
    /**
     * The salesperson named at invoicing (TP_DADO_ADIC_BX_PED_ECOMM 1 or 2): a user of the order's store.
     * The name is kept as it was then, as the NF-e printed it.
     */
    salespersonId: uuid('salesperson_id'),
    salespersonName: text('salesperson_name'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_network_external_uq').on(t.networkId, t.externalId),
    index('orders_rerouted_from_idx').on(t.reroutedFromId).where(sql`${t.reroutedFromId} is not null`),
    uniqueIndex('orders_store_number_uq').on(t.storeId, t.number),
    // The store queue reads one store's page straight off these, in either direction. Plain ascending
    // columns on purpose: a backward scan gives `desc nulls first`, which `order by … desc` means, while
    // drizzle's `.desc()` is `desc nulls last`, an order no query asks for, so every page was a full sort.
    // One store's orders of a status by placement:
    index('orders_queue_idx').on(t.storeId, t.status, t.placedAt, t.id),
    // …and of any status by placement. `status` last (an INCLUDE in effect: `id` is unique) lets the
    // queue's per-status counters of a period be an index-only scan where the visibility map allows.
    index('orders_store_placed_idx').on(t.storeId, t.placedAt, t.id, t.status),
    // …and by total (the queue's sort by total): a page is read in order, not a sort of the store's orders
    // of the period (700,000 of them, 1.1 s embedded, for a store's all-time view at a million orders).
    index('orders_store_total_idx').on(t.storeId, t.total, t.id),
    // "Endereço a corrigir": the few ship orders whose city has no IBGE code, per store by placement, so the
    // queue's filter reads them straight off this small partial index (queue.ts's lateral page).
    index('orders_address_issue_idx')
      .on(t.storeId, t.placedAt, t.id)
      .where(sql`${t.deliveryType} = 'ship' and (${t.customerAddress} ->> 'cityCode') is null`),
    check('orders_status_chk', oneOf('status', orderStatuses)),
    check('orders_delivery_type_chk', oneOf('delivery_type', deliveryTypes)),
    check('orders_modality_chk', oneOf('modality', modalities)),
    check('orders_number_chk', sql`${t.number} is null or ${t.number} > 0`),
    check(
      'orders_amounts_chk',
      sql`${t.itemsTotal} >= 0 and ${t.discountTotal} >= 0 and ${t.discountTotal} <= ${t.itemsTotal} and ${t.freight} >= 0`,
    ),
    check('orders_total_chk', sql`${t.total} = ${t.itemsTotal} - ${t.discountTotal} + ${t.freight}`),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    /** SKU and description as sold: the catalogue may change afterwards, the order may not. */
    sku: text('sku').notNull(),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    discount: money('discount').notNull(),
    total: money('total').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.line] }),
    uniqueIndex('order_items_order_product_uq').on(t.orderId, t.productId),
    check('order_items_quantity_chk', sql`${t.quantity} > 0`),
    check(
      'order_items_amounts_chk',
      sql`${t.unitPrice} >= 0 and ${t.discount} >= 0 and ${t.discount} <= ${t.unitPrice} * ${t.quantity}`,
    ),
    check('order_items_total_chk', sql`${t.total} = ${t.unitPrice} * ${t.quantity} - ${t.discount}`),
  ],
);

export const orderPayments = pgTable(
  'order_payments',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    method: text('method', { enum: paymentMethods }).notNull(),
    amount: money('amount').notNull(),
    installments: integer('installments'),
    /** The marketplace or invoiced party the receivable is raised against (seeds: "pessoa vinculada"). */
    partyDocument: text('party_document'),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.line] }),
    check('order_payments_method_chk', oneOf('method', paymentMethods)),
    check('order_payments_amount_chk', sql`${t.amount} > 0`),
  ],
);

/** Append-only: who moved the order from which status to which, when, and through which channel. */
export const orderHistory = pgTable(
  'order_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorKind: text('actor_kind', { enum: historyActorKinds }).notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    /** The role or scope the actor acted as (store_manager, pos, system…). */
    actorRole: text('actor_role').notNull(),
    channel: text('channel', { enum: historyChannels }).notNull(),
    /** Null on the row that records the order's creation. */
    fromStatus: text('from_status', { enum: orderStatuses }),
    toStatus: text('to_status', { enum: orderStatuses }).notNull(),
    reason: text('reason'),
  },
  (t) => [
    index('order_history_order_idx').on(t.orderId, t.id),
    check('order_history_channel_chk', oneOf('channel', historyChannels)),
  ],
);

/** The last number given per store: numbers are consecutive, without gaps (a rolled-back ingest gives its back). */
export const orderCounters = pgTable(
  'order_counters',
  {
    storeId: uuid('store_id')
      .primaryKey()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [check('order_counters_last_chk', sql`${t.lastNumber} > 0`)],
);

/**
 * The store queue's status counters (issue 19): how many orders of a store placed on a São Paulo day are in
 * each status, so the counters of a period read a row per store, day and status instead of every order.
 * Written only by `foldStatusCounts` (main.ts, every minute), which moves `order_status_count_changes` in;
 * the true count is always this plus those changes (the queue reads both in one statement).
 */
export const orderStatusCounts = pgTable(
  'order_status_counts',
  {
    storeId: uuid('store_id').notNull(),
    /** The São Paulo day of `placed_at`. */
    day: date('day', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    orders: integer('orders').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.day, t.status] })],
);

/**
 * What changed the counts since the last fold: a row per (store, day, status) and statement, +n or −n,
 * appended by the triggers on `orders` (schema.sql) in the changing transaction. Appended, never updated:
 * ingests and transitions of one store never wait for each other on a counter row.
 */
export const orderStatusCountChanges = pgTable(
  'order_status_count_changes',
  {
    storeId: uuid('store_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    orders: integer('orders').notNull(),
  },
  (t) => [index('order_status_count_changes_idx').on(t.storeId, t.day)],
);

/**
 * The handover of a pickup order (seeds 003, "Comprovante de Entrega": the status becomes "Entregue" when the
 * customer collects it): who collected it, with which document, when, and who at the store handed it over.
 * One per order, written with the invoiced → delivered change in the same transaction.
 */
export const orderPickups = pgTable(
  'order_pickups',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** The person who collected the goods (the customer or someone on their behalf). */
    name: text('name').notNull(),
    /** CPF or CNPJ without punctuation (check digits verified), or an RG-like document as typed. */
    document: text('document'),
    documentKind: text('document_kind'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    handedByKind: text('handed_by_kind', { enum: historyActorKinds }).notNull(),
    handedById: text('handed_by_id').notNull(),
    handedByName: text('handed_by_name').notNull(),
    channel: text('channel', { enum: historyChannels }).notNull(),
  },
  (t) => [
    check('order_pickups_name_chk', sql`char_length(${t.name}) between 2 and 100`),
    check('order_pickups_document_kind_chk', sql`${t.documentKind} in ('cpf', 'cnpj', 'other')`),
  ],
);

/**
 * What an endless-aisle sale ("prateleira infinita", seeds 003 PDVFM001) carries besides the order: the POS
 * store that sold it, the representative (CD_REPRE_PRATELEIRA) and print model (CD_MOD_VENDA_PRATELEIRA) of that
 * store, and the blocking reason (CD_MOTIVOBLOQ_PED_PRATELE) it was born with, blocking it until accepted.
 */
export const endlessAisleSales = pgTable('endless_aisle_sales', {
  orderId: uuid('order_id')
    .primaryKey()
    .references(() => orders.id, { onDelete: 'cascade' }),
  sellingStoreId: uuid('selling_store_id')
    .notNull()
    .references(() => nodes.id, { onDelete: 'restrict' }),
  representative: text('representative'),
  printModel: text('print_model'),
  blockReason: text('block_reason').notNull(),
});

export const shipmentSources = ['platform', 'back_office', 'carrier'] as const;

/**
 * How a ship order travels (seed 003, Etiqueta and Em Transporte): the carrier and service, the object's
 * tracking code and link — sent by the platform, typed by the store, or obtained from the carrier's adapter
 * (`carrier_shipment_id` is then the carrier's own id, `carrier_label` its label PDF, base64). One per order;
 * a correction replaces it and the order's history keeps what it was. The tracking code is unique per network
 * and carrier: a carrier's event names the code, and it must find one order.
 */
export const orderShipments = pgTable(
  'order_shipments',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id, { onDelete: 'cascade' }),
    networkId: uuid('network_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'restrict' }),
    carrier: text('carrier').notNull(),
    service: text('service'),
    /** Null only while a carrier's adapter has created the shipment but not yet assigned the code. */
    trackingCode: text('tracking_code'),
    trackingUrl: text('tracking_url'),
    source: text('source', { enum: shipmentSources }).notNull(),
    carrierShipmentId: text('carrier_shipment_id'),
    carrierLabel: text('carrier_label'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('order_shipments_tracking_uq')
      .on(t.networkId, t.carrier, t.trackingCode)
      .where(sql`${t.trackingCode} is not null`),
    check('order_shipments_source_chk', oneOf('source', shipmentSources)),
  ],
);

/**
 * The store's notes on an order ("Observação", seeds 003 PEDFM237): append-only, never edited or deleted;
 * each with its author and time. Read newest first.
 */
export const orderNotes = pgTable(
  'order_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    authorKind: text('author_kind', { enum: historyActorKinds }).notNull(),
    authorId: text('author_id').notNull(),
    authorName: text('author_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('order_notes_order_idx').on(t.orderId, t.at, t.id),
    check('order_notes_text_chk', sql`char_length(${t.text}) between 1 and 2000`),
  ],
);

export const trackingSources = ['webhook', 'poll', 'manual'] as const;

/**
 * A carrier's tracking events (issue 15 §2, §5; seed 003 Em Transporte), as the carrier's webhook or the
 * polling brought them: the carrier's own code and words beside what they mean (`status`). Unique per
 * carrier, tracking code and the carrier's event id, so a repeated webhook or poll records an event once and
 * applies it once. `order_id` is null when no order held the tracking code when it arrived: such an event is
 * recorded and ignored.
 */
export const orderTrackingEvents = pgTable(
  'order_tracking_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'cascade' }),
    networkId: uuid('network_id').references(() => nodes.id, { onDelete: 'cascade' }),
    /** The order's carrier code (CORREIOS, JADLOG, …), the same as order_shipments.carrier. */
    carrier: text('carrier').notNull(),
    trackingCode: text('tracking_code').notNull(),
    eventId: text('event_id').notNull(),
    status: text('status', { enum: trackingStatuses }).notNull(),
    /** The carrier's own event code ("BDE 01") and words ("Objeto entregue ao destinatário"). */
    carrierEventCode: text('carrier_event_code').notNull(),
    description: text('description').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    location: text('location'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    source: text('source', { enum: trackingSources }).notNull(),
  },
  (t) => [
    uniqueIndex('order_tracking_events_uq').on(t.carrier, t.trackingCode, t.eventId),
    index('order_tracking_events_order_idx').on(t.orderId, t.at),
    check('order_tracking_events_status_chk', oneOf('status', trackingStatuses)),
    check('order_tracking_events_source_chk', oneOf('source', trackingSources)),
  ],
);
