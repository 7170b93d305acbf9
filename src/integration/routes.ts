import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { admins, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import { deliveryStatuses, MIN_SECRET_LENGTH } from './domain.ts';
import * as integration from './service.ts';
import { DeliverySchema, DeliveryWithAttemptsSchema } from './views.ts';

const Webhook = Type.Object({
  clientId: Type.String({ format: 'uuid' }),
  url: Type.String(),
  secretLast4: Type.String({ description: 'The secret is never shown again; its last 4 characters are' }),
  active: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
});

const WebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'http or https URL that receives POSTs' }),
    secret: Type.Optional(
      Type.String({
        minLength: MIN_SECRET_LENGTH,
        maxLength: 256,
        description:
          'Key of the X-Omnihub-Signature HMAC-SHA256; write-only. Leave it out to keep the current one ' +
          '(required for a new webhook)',
      }),
    ),
    active: Type.Optional(Type.Boolean({ description: 'false pauses deliveries; they wait, pending' })),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const DeliveryQuery = Type.Object({
  orderId: Type.Optional(Type.String({ format: 'uuid' })),
  status: Type.Optional(StringEnum(deliveryStatuses)),
  ...PageQuery,
});

/** The platform reads its own tickets too: that is how it learns what it missed and why. */
const ticketReaders = [...admins, 'platform'] as const;

export function registerIntegrationRoutes(
  app: App,
  db: Db,
  opts: integration.WebhookContext & { wakeDeliveries?: () => void },
) {
  const tags = ['integration'];

  app.get(
    '/api/v1/api-clients/:id/webhook',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: "A platform client's webhook (the secret is never returned)",
        params: IdParams,
        response: { 200: Webhook },
      },
    },
    async (req) => unwrap(await integration.getWebhook(db, principalOf(req), req.params.id, opts)),
  );

  app.put(
    '/api/v1/api-clients/:id/webhook',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Set where order status changes are POSTed, signed with the secret',
        description:
          'Each status change is POSTed as {event: "order.status_changed", orderId, externalId, status, ' +
          'previousStatus, at} with X-Omnihub-Signature: sha256=<hex HMAC-SHA256 of the body>, ' +
          'X-Omnihub-Delivery and X-Omnihub-Event, and retried with backoff until a 2xx. Pending ' +
          'deliveries are tried again at once. 422 INTEGRATION.WEBHOOK_TARGET_NOT_ALLOWED when the host is or ' +
          'resolves to a private, loopback, link-local or other special address (see OMNIHUB_WEBHOOK_ALLOW_HOSTS).',
        params: IdParams,
        body: WebhookBody,
        response: { 200: Webhook },
      },
    },
    async (req) => {
      const body = req.body as Static<typeof WebhookBody>;
      const webhook = unwrap(await integration.setWebhook(db, principalOf(req), req.params.id, body, opts));
      opts.wakeDeliveries?.();
      return webhook;
    },
  );

  app.delete(
    '/api/v1/api-clients/:id/webhook',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Remove the webhook; deliveries wait, pending, until one is set again',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      unwrap(await integration.deleteWebhook(db, principalOf(req), req.params.id));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/webhook-deliveries',
    {
      config: { access: ticketReaders },
      schema: {
        tags,
        summary: 'Webhook deliveries (connector tickets), newest first',
        description:
          'An admin sees those of the API clients it manages; a platform client its own. Only admins see the ' +
          "partner's answer (responseExcerpt) in the attempts.",
        querystring: DeliveryQuery,
        response: { 200: PageOf(DeliverySchema) },
      },
    },
    async (req) =>
      unwrap(
        await integration.listVisibleDeliveries(
          db,
          principalOf(req),
          req.query as Static<typeof DeliveryQuery>,
        ),
      ),
  );

  app.get(
    '/api/v1/webhook-deliveries/:id',
    {
      config: { access: ticketReaders },
      schema: {
        tags,
        summary: 'One webhook delivery with every attempt: request, response code, latency, error',
        params: IdParams,
        response: { 200: DeliveryWithAttemptsSchema },
      },
    },
    async (req) => unwrap(await integration.getDelivery(db, principalOf(req), req.params.id)),
  );
}
