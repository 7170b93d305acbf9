import { Type } from '@sinclair/typebox';
import * as notifications from '../notifications/service.ts';
import type { Db } from '../platform/db/index.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import { EmptyBody, IdParams } from './payloads.ts';
import { callerOf, notificationsOf, notifyByHand } from './service.ts';

export interface OrderNotificationDeps {
  /** Signs the DANFE link of the prepared message. */
  secretKey: Buffer;
  /** OMNIHUB_PUBLIC_URL: where the message's links point. */
  publicUrl: string;
}

/** The order's messages (contract) and "Notificar cliente", the manual WhatsApp fallback. */
export function registerOrderNotificationRoutes(app: App, db: Db, deps: OrderNotificationDeps) {
  const tags = ['orders'];
  const caller = (req: Parameters<typeof principalOf>[0]) => callerOf(principalOf(req));

  app.get(
    '/api/v1/orders/:id/notifications',
    {
      config: { access: [...backOffice, 'platform'] },
      schema: {
        tags,
        summary:
          'The messages sent (or recorded) about an order: channel, recipient, template, status, attempts',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(notifications.NotificationPayload) }) },
      },
    },
    async (req) => unwrap(await notificationsOf(db, caller(req), req.params.id)),
  );

  app.post(
    '/api/v1/orders/:id/notify-customer',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          'Notificar cliente: the current status’s customer message and its wa.me link, recorded as sent',
        description:
          'The back office opens `link` (WhatsApp with the text written) in a new tab; the message is kept ' +
          'as channel whatsapp, status sent, provider "wa.me manual". 409 ORDER.NOTHING_TO_NOTIFY when the ' +
          'status has no customer message, ORDER.CUSTOMER_PHONE_MISSING without a usable phone.',
        params: IdParams,
        body: EmptyBody,
        response: {
          200: Type.Object({
            template: Type.String(),
            to: Type.String({ description: 'The customer’s WhatsApp number (E.164 digits)' }),
            text: Type.String(),
            link: Type.String({ description: 'https://wa.me/<number>?text=<the text>' }),
          }),
        },
      },
    },
    async (req) => unwrap(await notifyByHand(db, deps, caller(req), req.params.id)),
  );
}
