import * as notifications from '../notifications/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { ORDER_REFERENCE } from './domain.ts';
import { canSee, type OrderCaller, orderNotFound } from './lifecycle.ts';
import { customerMessage } from './notify.ts';
import * as store from './store.ts';

/** An order's messages and the manual fallback, behind the order's visibility (orders decides, notifications lists). */

/** The order's messages, if the caller may see the order. */
export async function notificationsOf(db: Db, caller: OrderCaller, orderId: string) {
  const order = await store.findOrder(db, orderId);
  if (!order || !(await canSee(db, caller, order))) return orderNotFound(orderId);
  return ok({ items: await notifications.notificationsOfOrder(db, order.networkId, order.id) });
}

/**
 * "Notificar cliente" (seed 003: WhatsApp Web with the prepared message): the current status's customer
 * message as text, its wa.me link, recorded as sent by hand.
 */
export async function notifyByHand(
  db: Db,
  deps: { secretKey: Buffer; publicUrl: string },
  caller: OrderCaller,
  orderId: string,
): Promise<Result<{ text: string; link: string; to: string; template: string }>> {
  const order = await store.findOrder(db, orderId);
  if (!order || !(await canSee(db, caller, order))) return orderNotFound(orderId);
  const template = notifications.customerTemplateFor[order.status];
  if (!template)
    return fail(
      'conflict',
      'ORDER.NOTHING_TO_NOTIFY',
      `There is no customer message for an order ${order.status}.`,
      {
        data: { status: order.status },
      },
    );
  const phone = notifications.whatsAppNumber(order.customerPhone);
  if (!phone)
    return fail(
      'conflict',
      'ORDER.CUSTOMER_PHONE_MISSING',
      'The customer has no phone number WhatsApp can reach.',
    );
  const message = await customerMessage(db, order, template);
  const recorded = await notifications.recordManualWhatsApp(
    db,
    deps,
    {
      networkId: order.networkId,
      storeId: order.storeId,
      reference: { type: ORDER_REFERENCE, id: order.id },
      orderId: order.id,
      to: phone,
      template,
      ...message,
    },
    caller,
  );
  if (!recorded.ok) return recorded;
  return ok({ text: recorded.value.text, link: recorded.value.link, to: phone, template });
}
