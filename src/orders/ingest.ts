import { randomUUID } from 'node:crypto';
import * as catalog from '../catalog/service.ts';
import * as network from '../network/service.ts';
import * as notifications from '../notifications/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { fromCents } from '../platform/money.ts';
import * as counter from './counter-store.ts';
import { allowedTargets, channelOf, type Modality, noContext } from './domain.ts';
import {
  amountsOf,
  DEFAULT_CHANNEL,
  type FieldError,
  type IngestInput,
  normaliseDocument,
  requestHash,
  storedAddress,
  validateIngest,
} from './ingest-rules.ts';
import { type OrderCaller, orderNotFound } from './lifecycle.ts';
import { newOrderNotice } from './notify.ts';
import { trackingCodeTaken } from './shipment.ts';
import { normaliseShipment } from './shipment-rules.ts';
import * as shipments from './shipment-store.ts';
import * as store from './store.ts';
import { loadView } from './view-loader.ts';
import { type OrderView, orderView } from './views.ts';

export interface Ingested {
  order: OrderView;
  /** False when the externalId was already known with the same body: nothing was written. */
  created: boolean;
}

/** How a sale other than the platform's enters through the same ingest (the POS's endless aisle). */
export interface IngestOptions {
  modality?: Modality;
  /** Recorded instead of the body's channel. */
  channel?: string;
  /** Where the fulfilling store is looked up and a repeat is read back (default: the client's own node). */
  scope?: network.Viewer;
  /** The endless-aisle facts, written with the order; the store it goes to is passed to decide them. */
  endlessAisle?: (
    tx: Db,
    fulfilling: network.NetworkNode,
  ) => Promise<Omit<counter.EndlessAisleRow, 'orderId'> & { sellingStoreCode: string }>;
}

/**
 * A paid order from the e-commerce platform. Idempotent on its externalId within the network: the same
 * body again answers the existing order, another body is 409 ORDER.EXTERNAL_ID_CONFLICT. Concurrent
 * posts of one externalId meet at the unique index, so exactly one inserts and the others find it.
 */
export async function ingest(
  db: Db,
  client: OrderCaller,
  input: IngestInput,
  opts: IngestOptions = {},
): Promise<Result<Ingested>> {
  const { networkId, nodeId, nodePath } = client;
  if (!networkId || !nodeId || !nodePath) throw new Error('ingest needs a platform client bound to a node');
  const scope = opts.scope ?? { nodeId, nodePath, networkId };
  // A repeat is read back as the client sees it, within the scope it sold in.
  const reader: OrderCaller = { ...client, nodeId: scope.nodeId, nodePath: scope.nodePath };
  const hash = requestHash(input);
  const now = new Date();
  const errors = validateIngest(input, now);
  const placed = await placedWith(db, scope, input, errors);
  if (errors.length || !placed) {
    // A retry of an order received earlier is answered as such, even if (say) a SKU was disabled since.
    // Looked up only here: on the common path the unique index catches repeats for free.
    const known = await store.findByExternalId(db, networkId, input.externalId);
    if (known) return existing(db, reader, known, hash);
    return fail(
      'invalid',
      'ORDER.INVALID',
      'The order cannot be accepted as sent; see errors for each field.',
      {
        errors,
      },
    );
  }

  const { storeNode, products } = placed;
  const amounts = amountsOf(input);
  // The network's omni classification now: acceptance later checks the order still carries the one in force.
  const classification = (await parameters.resolve(db, storeNode.id, 'CD_TIPOCLAS_OMNI')).value;
  const id = randomUUID();
  const order: store.OrderRow = {
    id,
    networkId,
    storeId: storeNode.id,
    clientId: client.id,
    number: null,
    externalId: input.externalId,
    requestHash: hash,
    channel: opts.channel ?? input.channel ?? DEFAULT_CHANNEL,
    modality: opts.modality ?? 'ecommerce',
    deliveryType: input.deliveryType,
    status: 'open',
    customerName: input.customer.name,
    customerDocument: normaliseDocument(input.customer.document)!.value,
    customerEmail: input.customer.email,
    customerPhone: input.customer.phone,
    customerAddress: input.customer.address ? storedAddress(input.customer.address) : null,
    carrier: input.carrier ?? input.shipment?.carrier ?? null,
    itemsTotal: fromCents(amounts.itemsTotal),
    discountTotal: fromCents(amounts.discountTotal),
    freight: fromCents(amounts.freight),
    total: fromCents(amounts.total),
    paid: true,
    classification,
    arrivedAt: null,
    expectedInvoiceAt: null,
    shortfall: null,
    conferredAt: null,
    posDownloadedAt: null,
    placedAt: new Date(input.placedAt),
    reroutedFromId: null,
    salespersonId: null,
    salespersonName: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  // Lines are numbered from 1, as the slip, the screen and the NF-e's nItem count them.
  const items = input.items.map((item, index) => {
    const product = products.get(item.sku)!;
    return {
      orderId: id,
      line: index + 1,
      productId: product.id,
      sku: product.sku,
      description: product.description,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      discount: item.discount ?? '0.00',
      total: fromCents(amounts.lines[index]!.total),
    };
  });
  const payments = input.payments.map((p, index) => ({
    orderId: id,
    line: index + 1,
    method: p.method,
    amount: p.amount,
    installments: p.installments ?? null,
    partyDocument: p.partyDocument ? normaliseDocument(p.partyDocument)!.value : null,
  }));
  const created = {
    orderId: id,
    at: now,
    actorKind: client.kind,
    actorId: client.id,
    actorName: client.name,
    actorRole: client.actor,
    channel: channelOf(client.actor),
    fromStatus: null,
    toStatus: 'open' as const,
    reason: null,
  };

  const storeInbox = await notifications.storeEmail(db, storeNode);
  let endlessAisle: Awaited<ReturnType<NonNullable<IngestOptions['endlessAisle']>>> | undefined;
  let shipment: shipments.ShipmentRow | undefined;
  const inserted = await transaction(db, async (tx) => {
    if (!(await store.insertOrder(tx, order))) return ok(null);
    if (input.shipment) {
      // The platform already has the tracking: the order arrives with its shipment (PUT …/shipment later).
      const next = normaliseShipment(input.shipment);
      if (await shipments.orderHoldingCode(tx, networkId, next.carrier, next.trackingCode))
        return trackingCodeTaken(next.carrier, next.trackingCode, '/shipment/trackingCode');
      shipment = await shipments.saveShipment(
        tx,
        { orderId: id, networkId, ...next, source: 'platform', carrierShipmentId: null, carrierLabel: null },
        now,
      );
    }
    if (opts.endlessAisle) {
      endlessAisle = await opts.endlessAisle(tx, storeNode);
      const { sellingStoreCode: _code, ...row } = endlessAisle;
      await counter.insertEndlessAisle(tx, { orderId: id, ...row });
    }
    // Lines, payments, history, the live queues' notice, the number and the store's e-mail in one round
    // trip; last, so the store's counter row is locked only for the commit.
    const number = await store.insertContents(
      tx,
      { id, storeId: storeNode.id },
      items,
      payments,
      created,
      { storeId: storeNode.id, orderId: id, status: 'open' },
      (assigned) => newOrderNotice(tx, order, items, storeNode, assigned, storeInbox),
    );
    return ok(number);
  });
  if (!inserted.ok) return inserted;
  if (inserted.value === null) {
    // Another request with this externalId committed first.
    const winner = await store.findByExternalId(db, networkId, input.externalId);
    if (!winner) throw new Error(`order ${input.externalId} vanished after a conflict`);
    return existing(db, reader, winner, hash);
  }
  const view = orderView(
    { ...order, number: inserted.value },
    {
      items,
      payments,
      history: [created],
      shipment,
      endlessAisle: endlessAisle && { orderId: id, ...endlessAisle },
    },
    storeNode,
    allowedTargets(order, client.actor, noContext),
  );
  return ok({ order: view, created: true });
}

async function existing(
  db: Db,
  client: OrderCaller,
  known: { id: string; requestHash: string },
  hash: string,
): Promise<Result<Ingested>> {
  if (known.requestHash !== hash) {
    return fail(
      'conflict',
      'ORDER.EXTERNAL_ID_CONFLICT',
      'An order with this externalId was already received with a different body; send a new externalId for a new order.',
      { data: { orderId: known.id } },
    );
  }
  const view = await loadView(db, client, known.id);
  return view ? ok({ order: view, created: false }) : orderNotFound(known.id);
}

/**
 * The checks that need the database, appended to `errors`: the store belongs to the client's network,
 * is active and takes omni orders (9253); every SKU exists and is enabled for the e-commerce.
 */
async function placedWith(
  db: Db,
  viewer: network.Viewer,
  input: IngestInput,
  errors: FieldError[],
): Promise<{ storeNode: network.NetworkNode; products: Map<string, catalog.ProductRef> } | undefined> {
  const [storeNode] = await network.storesWithin(db, viewer, [input.storeCode]);
  if (!storeNode) {
    errors.push({
      path: '/storeCode',
      code: 'ORDER.STORE_NOT_IN_NETWORK',
      message: 'is not a store of your network',
    });
  } else if (!storeNode.active) {
    errors.push({
      path: '/storeCode',
      code: 'ORDER.STORE_INACTIVE',
      message: 'is a store that is not active',
    });
  } else if ((await parameters.resolve(db, storeNode.id, '9253')).value !== true) {
    errors.push({
      path: '/storeCode',
      code: 'ORDER.STORE_NOT_OMNI',
      params: { parameter: '9253' },
      message: 'is a store that does not take omni orders (parameter 9253)',
    });
  }
  const found = await catalog.productsBySku(db, viewer.networkId, [
    ...new Set(input.items.map((i) => i.sku)),
  ]);
  const products = new Map(found.map((p) => [p.sku, p]));
  input.items.forEach((item, i) => {
    const product = products.get(item.sku);
    if (!product)
      errors.push({
        path: `/items/${i}/sku`,
        code: 'ORDER.PRODUCT_UNKNOWN',
        message: 'is not a product of this network',
      });
    else if (!catalog.isEcommerceEnabled(product)) {
      errors.push({
        path: `/items/${i}/sku`,
        code: 'ORDER.PRODUCT_NOT_ECOMMERCE',
        message: 'is not enabled for the e-commerce',
      });
    }
  });
  return storeNode ? { storeNode, products } : undefined;
}
