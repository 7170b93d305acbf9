import { Type } from '@sinclair/typebox';
import { StringEnum } from '../platform/http/schemas.ts';
import { deliveryStatuses } from './domain.ts';

/**
 * Response shapes of webhook tickets. Exported through service.ts so the orders routes describe
 * `GET /orders/{id}/webhook-deliveries` with the same schema.
 */
export const AttemptSchema = Type.Object({
  attempt: Type.Integer({ minimum: 1 }),
  startedAt: Type.String({ format: 'date-time' }),
  url: Type.String({ description: 'Where the request went' }),
  responseStatus: Type.Union([Type.Integer(), Type.Null()], {
    description: 'HTTP status of the answer; null when none came (refused, timeout, reset)',
  }),
  latencyMs: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  responseExcerpt: Type.Union([Type.String(), Type.Null()], {
    description: 'The first 500 characters of the answer',
  }),
});

export const DeliverySchema = Type.Object({
  id: Type.String({ format: 'uuid', description: 'Sent as X-Omnihub-Delivery; receivers dedupe on it' }),
  clientId: Type.String({ format: 'uuid' }),
  orderId: Type.String({ format: 'uuid' }),
  seq: Type.Integer({ minimum: 1, description: "Position among the order's events; sent in this order" }),
  event: Type.String(),
  status: StringEnum(deliveryStatuses, {
    description: 'pending until the receiver answers 2xx; retried with backoff until then',
  }),
  payload: Type.Unknown({ description: 'The JSON body sent (and signed)' }),
  attemptCount: Type.Integer({ minimum: 0 }),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

export const DeliveryWithAttemptsSchema = Type.Intersect([
  DeliverySchema,
  Type.Object({ attempts: Type.Array(AttemptSchema) }),
]);
