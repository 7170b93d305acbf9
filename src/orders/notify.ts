import { type SQL, sql } from 'drizzle-orm';
import * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import * as notifications from '../notifications/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { formatDateTime, formatMoney } from '../platform/format-br.ts';
import { toCents } from '../platform/money.ts';
import { ORDER_REFERENCE, type OrderStatus } from './domain.ts';
import { shipmentOf } from './shipment-store.ts';
import type * as store from './store.ts';

/**
 * Who hears of an order, and what (seed 003 "Notificações", seed 000 §4.2): the order decides the template and
 * its variables, the notifications context renders, records and sends. Everything here runs in the
 * transaction of the change, so a message exists exactly when the change committed.
 */

/**
 * The store hears of a new order at its e-mail (`to`: notifications' `storeEmail`, looked up before the
 * transaction): the message and its job as statements for the ingest's last statement, which gives the
 * order its number (`number`, an SQL expression there) in the same round trip.
 */
export function newOrderNotice(
  tx: Db,
  order: store.OrderRow,
  items: readonly { sku: string; description: string; quantity: number }[],
  storeNode: network.NetworkNode,
  number: SQL,
  to: notifications.StoreEmail,
): SQL[] {
  const variables = {
    storeName: storeNode.name,
    orderNumber: '',
    externalId: order.externalId,
    customerName: order.customerName,
    deliveryLabel: order.deliveryType === 'pickup' ? 'Retira na loja' : 'Envio pela loja',
    total: formatMoney(toCents(order.total)),
    placedAt: formatDateTime(order.placedAt),
    items: items.map(({ sku, description, quantity }) => ({ sku, description, quantity })),
  };
  return notifications.notificationStatements(tx, {
    networkId: order.networkId,
    storeId: order.storeId,
    reference: { type: ORDER_REFERENCE, id: order.id },
    orderId: order.id,
    channel: 'email',
    to: to.address,
    notSentReason: to.reason,
    template: 'store_new_order',
    variables: sql`jsonb_set(${JSON.stringify(variables)}::jsonb, '{orderNumber}', to_jsonb((${number})::text))`,
    links: { orderId: order.id },
  }).statements;
}

/** The customer's message of the status an order enters, by the channels of DS_FORMA_NOTIFICA_CLIENTE. */
export async function notifyStatusChange(tx: Db, order: store.OrderRow, to: OrderStatus): Promise<void> {
  const template = notifications.customerTemplateFor[to];
  if (!template) return;
  const configured = (await parameters.resolve(tx, order.storeId, 'DS_FORMA_NOTIFICA_CLIENTE')).value ?? [];
  const targets = notifications.customerChannels(configured, {
    email: order.customerEmail,
    phone: order.customerPhone,
  });
  if (targets.length === 0) return;
  const message = await customerMessage(tx, order, template);
  for (const target of targets) {
    await notifications.enqueueNotification(tx, {
      networkId: order.networkId,
      storeId: order.storeId,
      reference: { type: ORDER_REFERENCE, id: order.id },
      orderId: order.id,
      channel: target.channel,
      to: target.to,
      template,
      ...message,
    });
  }
}

/** A customer template's variables and links for the order as it is now. */
export async function customerMessage(
  db: Db,
  order: store.OrderRow,
  template: notifications.TemplateCode,
): Promise<{ variables: Record<string, unknown>; links: { danfeDocumentId?: string } }> {
  const node = await network.getNodeById(db, order.storeId);
  const variables: Record<string, unknown> = {
    customerName: order.customerName,
    orderNumber: String(order.number ?? ''),
    externalId: order.externalId,
    storeName: node?.name ?? '',
    deliveryType: order.deliveryType,
  };
  const links: { danfeDocumentId?: string } = {};
  if (template === 'order_ready_for_pickup' && node?.address) {
    const a = node.address;
    variables.storeAddress = `${a.street}, ${a.number} — ${a.district}, ${a.city}/${a.state}`;
  }
  if (template === 'order_invoiced') {
    const documents = (await fiscal.documentsFor(db, ORDER_REFERENCE, order.id)).filter(
      // The handler of SEFAZ's answer moves the order in the transaction that authorises the document.
      (d) => d.purpose === 'sale' && !['rejected', 'denied', 'cancelled'].includes(d.status),
    );
    const latest = documents.at(-1);
    if (latest) {
      variables.invoiceNumber = String(latest.number);
      links.danfeDocumentId = latest.id;
    }
  }
  if (template === 'order_in_transit') {
    const shipment = await shipmentOf(db, order.id);
    variables.carrier = shipment?.carrier ?? order.carrier ?? '';
    variables.trackingCode = shipment?.trackingCode ?? '';
    variables.trackingUrl = shipment?.trackingUrl ?? '';
  }
  return { variables, links };
}
