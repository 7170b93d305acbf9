import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FieldError } from '../platform/errors.ts';

export const deliveryStatuses = ['pending', 'delivered'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const ORDER_STATUS_CHANGED = 'order.status_changed';

export const SIGNATURE_HEADER = 'x-omnihub-signature';
export const DELIVERY_HEADER = 'x-omnihub-delivery';
export const EVENT_HEADER = 'x-omnihub-event';

export const MIN_SECRET_LENGTH = 16;
/** What an attempt keeps of the partner's answer: enough to read an error page, not a whole document. */
export const EXCERPT_CHARS = 500;

export interface OrderStatusChange {
  orderId: string;
  externalId: string;
  status: string;
  previousStatus: string | null;
  at: Date;
}

/** The webhook body promised to the platform (README, Webhooks), serialised once: these bytes are signed, stored and sent unchanged. */
export function orderStatusChangedBody(e: OrderStatusChange): string {
  return JSON.stringify({
    event: ORDER_STATUS_CHANGED,
    orderId: e.orderId,
    externalId: e.externalId,
    status: e.status,
    previousStatus: e.previousStatus,
    at: e.at.toISOString(),
  });
}

/** An order's fact other than a status change (a return): the event name, the order and what happened. */
export interface OrderEvent {
  event: string;
  orderId: string;
  externalId: string;
  at: Date;
  /** The event's own fields, after `orderId` and `externalId` in the body. */
  fields: Readonly<Record<string, unknown>>;
}

/** The body of any other order event, shaped like the status change's: event, orderId, externalId, …, at. */
export function orderEventBody(e: OrderEvent): string {
  return JSON.stringify({
    event: e.event,
    orderId: e.orderId,
    externalId: e.externalId,
    ...e.fields,
    at: e.at.toISOString(),
  });
}

/** `sha256=<hex>`, the HMAC-SHA256 of the exact body bytes with the endpoint's secret (as GitHub does). */
export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does; kept here so tests and docs check the same rule the sender applies. */
export function verifySignature(body: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Only a 2xx ends the retries: a 3xx is not followed (the partner must give its final URL) and 4xx may be transient. */
export const isDelivered = (status: number | null) => status !== null && status >= 200 && status < 300;

/** The URL's shape, and the secret's when a new one is given. */
export function webhookConfigErrors(input: { url: string; secret?: string }): FieldError[] {
  const errors: FieldError[] = [];
  let url: URL | undefined;
  try {
    url = new URL(input.url);
  } catch {
    errors.push({ path: '/url', code: 'INTEGRATION.URL_INVALID', message: 'is not an absolute URL' });
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
    errors.push({ path: '/url', code: 'INTEGRATION.URL_SCHEME', message: 'must use http or https' });
  } else if (url && (url.username || url.password)) {
    // Credentials in the URL would be shown back by GET and land in every attempt record.
    errors.push({
      path: '/url',
      code: 'INTEGRATION.URL_CREDENTIALS',
      message: 'must not carry a user or password; the signature authenticates',
    });
  } else if (url && !url.hostname) {
    errors.push({ path: '/url', code: 'INTEGRATION.URL_HOST_REQUIRED', message: 'needs a host' });
  }
  if (input.secret === undefined) return errors;
  if (input.secret.length < MIN_SECRET_LENGTH) {
    errors.push({
      path: '/secret',
      code: 'INTEGRATION.SECRET_TOO_SHORT',
      params: { minLength: MIN_SECRET_LENGTH },
      message: `must have at least ${MIN_SECRET_LENGTH} characters`,
    });
  } else if (input.secret.trim() !== input.secret) {
    errors.push({
      path: '/secret',
      code: 'INTEGRATION.SECRET_SPACES',
      message: 'must not start or end with spaces',
    });
  }
  return errors;
}

/** The secret is write-only: a user recognises it by its last characters. */
export const secretLast4 = (secret: string) => secret.slice(-4);
