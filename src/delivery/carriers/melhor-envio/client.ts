import { createHmac, timingSafeEqual } from 'node:crypto';
import { fromCents, toCents } from '../../../platform/money.ts';
import {
  assertPdf,
  type CarrierResponse,
  type CarrierTicketOptions,
  carrierDownload,
  carrierRequest,
  moneyOfCarrier,
  objectOf,
  ticketingOf,
  unexpected,
} from '../http.ts';
import type {
  Carrier,
  CarrierRefusal,
  CarrierWebhook,
  CreatedShipment,
  Quote,
  ShipmentParty,
  ShipmentRequest,
  TrackingEvent,
  TrackingStatus,
} from '../port.ts';
import { melhorEnvioEventId, melhorEnvioStatus, melhorEnvioWords, timestampOf } from './events.ts';

/**
 * Melhor Envio, the multi-carrier gateway (docs.melhorenvio.com.br), API v2 under `/api/v2/me`:
 * `Authorization: Bearer <token>`, `Accept: application/json` and a `User-Agent: <app> (<contact e-mail>)`
 * they require of every integration.
 * - quote `POST /shipment/calculate` → per service `{id, name, price, delivery_time, company}` or `{error}`;
 * - a shipment is bought in steps: `POST /cart` (→ `{id, protocol, status: "pending"}`), `POST
 *   /shipment/checkout {orders}` (paid from the account's balance), `POST /shipment/generate {orders}`;
 *   each order carries our reference as a tag, so a retry finds it with `GET /orders/search?q=<reference>`
 *   and continues from the step it reached instead of buying twice;
 * - label `POST /shipment/print {mode: "private", orders}` → `{url}` of the PDF;
 * - tracking `POST /shipment/tracking {orders}` → per order `{status, tracking, posted_at, delivered_at, …}`;
 * - cancel `POST /shipment/cancel {order: {id, reason_id, description}}` → per order `{canceled}`.
 * Errors: 401 `{message: "Unauthenticated."}`; 422 `{message, errors: {field: [..]}}` (a refusal).
 */
export const MELHOR_ENVIO_BASE_URL = 'https://melhorenvio.com.br';
export const MELHOR_ENVIO_SANDBOX_URL = 'https://sandbox.melhorenvio.com.br';
export const MELHOR_RASTREIO_URL = 'https://melhorrastreio.com.br/rastreio/';
export const SIGNATURE_HEADER = 'x-me-signature';

export interface MelhorEnvioSettings {
  readonly baseUrl: string;
  /** The technical contact Melhor Envio asks for in the User-Agent. */
  readonly contactEmail: string;
  /** The service ids quoted when a request names none ("1" Correios PAC, "2" SEDEX, "3" Jadlog .Package …). */
  readonly services: readonly string[];
}

export interface MelhorEnvioCredentials {
  readonly token: string;
  /** The application's secret: Melhor Envio signs its webhooks with it. */
  readonly webhookSecret: string;
}

export interface MelhorEnvioOptions extends CarrierTicketOptions {
  readonly timeoutMs?: number;
}

const REFUSALS = [400, 404, 422];
/** Cancel reason 2 of Melhor Envio's list: "Desistência do envio" (the sender gave up). */
const CANCEL_REASON = '2';

export function createMelhorEnvioCarrier(
  settings: MelhorEnvioSettings,
  credentials: MelhorEnvioCredentials,
  options: MelhorEnvioOptions = {},
): Carrier {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const base = `${settings.baseUrl.replace(/\/+$/, '')}/api/v2/me`;
  const ticket = ticketingOf('melhor-envio', options);
  const headers = {
    authorization: `Bearer ${credentials.token}`,
    'user-agent': `Omnihub (${settings.contactEmail})`,
  };

  const call = (operation: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    carrierRequest({
      operation,
      method,
      url: `${base}${path}`,
      headers,
      body,
      timeoutMs,
      passStatuses: REFUSALS,
      ticket,
    });

  async function step(
    operation: string,
    path: string,
    body: unknown,
  ): Promise<CarrierResponse | CarrierRefusal> {
    const res = await call(operation, 'POST', path, body);
    return res.status >= 400 ? refusal(res) : res;
  }

  /** The order bought for this reference by an earlier try, if any (and not cancelled). */
  async function findOrder(reference: string): Promise<Record<string, unknown> | null> {
    const res = await call('createShipment', 'GET', `/orders/search?q=${encodeURIComponent(reference)}`);
    if (res.status >= 400) return null;
    const list = Array.isArray(res.json) ? res.json : (res.json as { data?: unknown })?.data;
    if (!Array.isArray(list)) throw unexpected('createShipment', 'the orders found');
    const mine = list
      .map((o) => objectOf('createShipment', o, 'an order'))
      .filter((o) => tagsOf(o).includes(reference) && o.status !== 'canceled' && o.status !== 'expired');
    return mine[0] ?? null;
  }

  async function trackingOf(orderId: string): Promise<Record<string, unknown> | null> {
    const res = await call('createShipment', 'POST', '/shipment/tracking', { orders: [orderId] });
    if (res.status >= 400) return null;
    const body = objectOf('createShipment', res.json, 'tracking per order');
    return body[orderId] ? objectOf('createShipment', body[orderId], 'an order tracking') : null;
  }

  return {
    adapter: 'melhor_envio',

    async quote(req) {
      const services = req.service ? [req.service] : settings.services;
      const share = insured(req.declaredValue, req.parcels.length);
      const res = await call('quote', 'POST', '/shipment/calculate', {
        from: { postal_code: req.fromPostalCode },
        to: { postal_code: req.toPostalCode },
        // Melhor Envio takes kilograms and the insured value as JSON numbers.
        products: req.parcels.map((p, i) => ({
          id: `volume-${i + 1}`,
          width: p.widthCm,
          height: p.heightCm,
          length: p.lengthCm,
          weight: p.weightGrams / 1000,
          insurance_value: share,
          quantity: 1,
        })),
        options: { receipt: false, own_hand: false },
        services: services.join(','),
      });
      if (res.status >= 400) return refusal(res);
      if (!Array.isArray(res.json)) throw unexpected('quote', 'a list of services');
      const quotes: Quote[] = [];
      let refused: CarrierRefusal | null = null;
      for (const raw of res.json) {
        const s = objectOf('quote', raw, 'a service');
        if (typeof s.error === 'string' && s.error) {
          refused = { refused: true, code: String(s.id ?? 'error'), message: s.error };
          continue;
        }
        const price = moneyOfCarrier(String(s.custom_price ?? s.price ?? ''), false);
        const days = Number(s.custom_delivery_time ?? s.delivery_time);
        if (price === null || !Number.isInteger(days)) throw unexpected('quote', 'price and delivery_time');
        const company = (s.company ?? {}) as { name?: unknown };
        quotes.push({
          service: String(s.id),
          serviceName: [company.name, s.name].filter((x) => typeof x === 'string').join(' '),
          price,
          days,
        });
      }
      if (quotes.length === 0 && refused) return refused;
      return quotes;
    },

    async createShipment(req): Promise<CreatedShipment | CarrierRefusal> {
      let order = await findOrder(req.reference);
      if (!order) {
        const cart = await step('createShipment', '/cart', cartBody(req));
        if ('refused' in cart) return cart;
        order = objectOf('createShipment', cart.json, 'the cart item');
      }
      const id = typeof order.id === 'string' ? order.id : null;
      if (!id) throw unexpected('createShipment', 'the order id');
      // pending → paid (released) → generated: each step only once, whatever an earlier try reached.
      if (order.status === 'pending') {
        const paid = await step('createShipment', '/shipment/checkout', { orders: [id] });
        if ('refused' in paid) return paid;
      }
      if (order.status === 'pending' || order.status === 'released') {
        const generated = await step('createShipment', '/shipment/generate', { orders: [id] });
        if ('refused' in generated) return generated;
        const result = objectOf('createShipment', generated.json, 'the generation result')[id] as
          | { status?: unknown; message?: unknown }
          | undefined;
        if (result && result.status === false)
          return {
            refused: true,
            code: 'generate',
            message: String(result.message ?? 'Etiqueta não gerada'),
          };
      }
      const tracked = await trackingOf(id);
      const code = typeof tracked?.tracking === 'string' && tracked.tracking ? tracked.tracking : null;
      return {
        carrierShipmentId: id,
        trackingCode: code,
        trackingUrl: code ? `${MELHOR_RASTREIO_URL}${code}` : null,
      };
    },

    async label(id) {
      const res = await call('label', 'POST', '/shipment/print', { mode: 'private', orders: [id] });
      if (res.status >= 400) throw unexpected('label', `print answered ${res.status}`);
      const url = objectOf('label', res.json, 'the print url').url;
      if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw unexpected('label', 'url');
      const pdf = await carrierDownload({ operation: 'label', url, headers, timeoutMs, ticket });
      return { ready: true, pdf: assertPdf('label', pdf) };
    },

    async track(shipments) {
      const ids = [...new Set(shipments.map((s) => s.carrierShipmentId).filter((s): s is string => !!s))];
      if (ids.length === 0) return [];
      const res = await call('track', 'POST', '/shipment/tracking', { orders: ids });
      if (res.status >= 400) return [];
      const body = objectOf('track', res.json, 'tracking per order');
      const events: TrackingEvent[] = [];
      for (const id of ids) {
        if (!body[id]) continue;
        events.push(...orderEvents(id, objectOf('track', body[id], 'an order tracking')));
      }
      return events.sort((a, b) => a.at.getTime() - b.at.getTime());
    },

    async cancel(id, reason) {
      const res = await step('cancel', '/shipment/cancel', {
        order: { id, reason_id: CANCEL_REASON, description: reason.slice(0, 255) },
      });
      if ('refused' in res) return res;
      const result = objectOf('cancel', res.json, 'the cancel result')[id] as
        | { canceled?: unknown }
        | undefined;
      if (result?.canceled === true) return { cancelled: true };
      return { refused: true, code: 'cancel', message: 'Melhor Envio did not cancel the order' };
    },
  };

  function cartBody(req: ShipmentRequest) {
    return {
      service: Number(req.service),
      from: party(req.sender),
      to: party(req.recipient),
      products: req.items.map((item) => ({
        name: item.description,
        quantity: item.quantity,
        unitary_value: insured(item.unitPrice, 1),
      })),
      volumes: req.parcels.map((p) => ({
        height: p.heightCm,
        width: p.widthCm,
        length: p.lengthCm,
        weight: p.weightGrams / 1000,
      })),
      options: {
        insurance_value: insured(req.declaredValue, 1),
        receipt: false,
        own_hand: false,
        reverse: false,
        non_commercial: !req.invoice,
        ...(req.invoice ? { invoice: { key: req.invoice.accessKey } } : {}),
        platform: 'Omnihub',
        tags: [{ tag: req.reference, url: null }],
      },
    };
  }
}

/**
 * Melhor Envio takes amounts as JSON numbers: a money string's share, divided in cents and written from the
 * exact decimal text, so no float arithmetic ever touches it.
 */
function insured(amount: string, parts: number): number {
  return Number(fromCents(toCents(amount) / BigInt(parts)));
}

function party(p: ShipmentParty) {
  const company = p.document.length === 14;
  return {
    name: p.name,
    phone: (p.phone ?? '').replace(/\D/g, ''),
    email: p.email ?? '',
    ...(company ? { company_document: p.document } : { document: p.document }),
    address: p.street,
    complement: p.complement ?? '',
    number: p.number,
    district: p.district,
    city: p.city,
    state_abbr: p.state,
    country_id: 'BR',
    postal_code: p.postalCode,
  };
}

function refusal(res: CarrierResponse): CarrierRefusal {
  const body = (res.json ?? {}) as { message?: unknown; error?: unknown; errors?: unknown };
  const details =
    body.errors && typeof body.errors === 'object'
      ? Object.values(body.errors as Record<string, unknown>)
          .flat()
          .map(String)
      : [];
  const message = [body.message ?? body.error, ...details]
    .filter((x) => typeof x === 'string' && x)
    .join(' ');
  return { refused: true, code: String(res.status), message: message || `HTTP ${res.status}` };
}

function tagsOf(order: Record<string, unknown>): string[] {
  return Array.isArray(order.tags)
    ? order.tags.map((t) => (t && typeof t === 'object' ? String((t as { tag?: unknown }).tag) : String(t)))
    : [];
}

/** The events an order's tracking answer tells: one per status it has reached with a timestamp. */
function orderEvents(id: string, o: Record<string, unknown>): TrackingEvent[] {
  const code = typeof o.tracking === 'string' && o.tracking ? o.tracking : id;
  const events: TrackingEvent[] = [];
  for (const status of ['posted', 'delivered', 'cancelled'] as TrackingStatus[]) {
    const when = o[timestampOf[status]!];
    if (typeof when !== 'string' || !when) continue;
    const at = meInstant(when);
    if (!at) throw unexpected('track', timestampOf[status]!);
    events.push(event(id, code, status, when, at, String(o.status ?? status)));
  }
  const now = melhorEnvioStatus(String(o.status ?? ''));
  if (now === 'delivery_failed' || now === 'in_transit') {
    const when = String(o.updated_at ?? o.posted_at ?? '');
    const at = meInstant(when);
    if (at) events.push(event(id, code, now, when, at, String(o.status)));
  }
  return events;
}

function event(
  id: string,
  code: string,
  status: TrackingStatus,
  when: string,
  at: Date,
  carrierCode: string,
): TrackingEvent {
  return {
    trackingCode: code,
    carrierShipmentId: id,
    eventId: melhorEnvioEventId(id, status, when),
    status,
    carrierCode,
    description: melhorEnvioWords[status],
    at,
  };
}

/** Melhor Envio writes "2026-03-10 14:32:05" in São Paulo time, or ISO 8601 with an offset. */
function meInstant(text: string): Date | null {
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  const at = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}-03:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * Melhor Envio's webhook: the raw body signed with HMAC-SHA256 by the application's secret, base64 in
 * `X-ME-Signature`; the body is `{event: "order.posted", data: {id, status, tracking, posted_at, …}}`.
 */
export function createMelhorEnvioWebhook(
  credentials: Pick<MelhorEnvioCredentials, 'webhookSecret'>,
): CarrierWebhook {
  return {
    verify(headers, rawBody) {
      const raw = headers[SIGNATURE_HEADER] ?? headers['X-ME-Signature'];
      const given = Array.isArray(raw) ? raw[0] : raw;
      if (!given || !credentials.webhookSecret) return false;
      const expected = createHmac('sha256', credentials.webhookSecret).update(rawBody).digest();
      const received = Buffer.from(given.trim(), 'base64');
      return received.length === expected.length && timingSafeEqual(received, expected);
    },
    parse(rawBody) {
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return [];
      }
      const b = (body ?? {}) as { event?: unknown; data?: unknown };
      if (typeof b.event !== 'string' || !b.data || typeof b.data !== 'object') return [];
      const data = b.data as Record<string, unknown>;
      const status = melhorEnvioStatus(b.event);
      const id = typeof data.id === 'string' ? data.id : null;
      if (!status || !id) return [];
      const when = String(data[timestampOf[status] ?? 'updated_at'] ?? data.updated_at ?? '');
      const at = meInstant(when);
      if (!at) return [];
      const code = typeof data.tracking === 'string' && data.tracking ? data.tracking : id;
      return [{ ...event(id, code, status, when, at, b.event) }];
    },
  };
}
