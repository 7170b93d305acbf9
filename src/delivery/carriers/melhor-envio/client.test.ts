import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type MelhorEnvioServer,
  startMelhorEnvioServer,
} from '../../../../test/melhor-envio-server/index.ts';
import { textOf } from '../../../../test/pdf.ts';
import { CarrierFault, type ShipmentRequest } from '../port.ts';
import { createMelhorEnvioCarrier, createMelhorEnvioWebhook, type MelhorEnvioSettings } from './client.ts';
import { melhorEnvioStatus } from './events.ts';

const credentials = { token: 'me-token', webhookSecret: 'me-app-secret' };
let server: MelhorEnvioServer;
let settings: MelhorEnvioSettings;

beforeAll(async () => {
  server = await startMelhorEnvioServer({ ...credentials, unservedPostalCodes: ['69900000'] });
  settings = { baseUrl: server.url, contactEmail: 'ti@rede.com.br', services: ['1', '2'] };
});
afterAll(() => server.close());
afterEach(() => {
  server.failure = 'none';
});

const party = {
  name: 'Loja 11',
  document: '11222333000181',
  phone: '11987654321',
  street: 'Rua Augusta',
  number: '100',
  district: 'Consolação',
  city: 'São Paulo',
  state: 'SP',
  postalCode: '01305000',
};
const shipment = (reference: string): ShipmentRequest => ({
  reference,
  orderNumber: 1001,
  service: '2',
  sender: party,
  recipient: {
    ...party,
    name: 'Maria',
    document: '52998224725',
    postalCode: '80010000',
    city: 'Curitiba',
    state: 'PR',
  },
  parcels: [{ weightGrams: 800, heightCm: 10, widthCm: 20, lengthCm: 30 }],
  declaredValue: '129.90',
  invoice: { number: 42, series: 1, accessKey: '3'.repeat(44), issuedAt: new Date(), total: '129.90' },
  items: [{ description: 'Camiseta', quantity: 1, unitPrice: '129.90' }],
});
const quoteRequest = {
  fromPostalCode: '01305000',
  toPostalCode: '80010000',
  parcels: shipment('q').parcels,
  declaredValue: '129.90',
};

describe('Melhor Envio adapter against the local Melhor Envio', () => {
  it('quotes the services with the headers Melhor Envio requires', async () => {
    const carrier = createMelhorEnvioCarrier(settings, credentials);
    expect(await carrier.quote(quoteRequest)).toEqual([
      { service: '1', serviceName: 'Correios PAC', price: '18.36', days: 6 },
      { service: '2', serviceName: 'Correios SEDEX', price: '31.90', days: 2 },
    ]);
    const call = server.requests.at(-1)!;
    expect(call.path).toBe('/api/v2/me/shipment/calculate');
    expect(call.headers['user-agent']).toBe('Omnihub (ti@rede.com.br)');
    expect(call.headers.accept).toBe('application/json');
    expect(call.body).toMatchObject({ services: '1,2', products: [{ weight: 0.8, insurance_value: 129.9 }] });
  });

  it("a route no service covers is a refusal with Melhor Envio's words", async () => {
    const carrier = createMelhorEnvioCarrier(settings, credentials);
    expect(await carrier.quote({ ...quoteRequest, toPostalCode: '69900000' })).toMatchObject({
      refused: true,
      message: 'Transportadora não atende este trecho.',
    });
  });

  it('buys a shipment: cart → checkout → generate, tagged with the reference, tracking code after generation', async () => {
    const carrier = createMelhorEnvioCarrier(settings, credentials);
    const created = await carrier.createShipment(shipment('order-a'));
    expect(created).toMatchObject({ trackingCode: expect.stringMatching(/^ME26\d+$/) });
    const { carrierShipmentId } = created as { carrierShipmentId: string };
    const order = server.orders.get(carrierShipmentId)!;
    expect(order).toMatchObject({ status: 'generated', purchases: 1, tags: [{ tag: 'order-a', url: null }] });
    expect(order.body.options.invoice).toEqual({ key: '3'.repeat(44) });
    expect(order.body.to).toMatchObject({ postal_code: '80010000', document: '52998224725' });
  });

  it('a retry after a checkout whose answer was lost finds the order and does not buy twice', async () => {
    const flaky = await startMelhorEnvioServer({ ...credentials, failCheckoutOnce: true });
    try {
      const carrier = createMelhorEnvioCarrier({ ...settings, baseUrl: flaky.url }, credentials);
      await expect(carrier.createShipment(shipment('order-b'))).rejects.toMatchObject({
        kind: 'http_status',
        httpStatus: 500,
      });
      const created = (await carrier.createShipment(shipment('order-b'))) as {
        carrierShipmentId: string;
        trackingCode: string;
      };
      expect(flaky.orders.size).toBe(1);
      expect(flaky.orders.get(created.carrierShipmentId)).toMatchObject({
        purchases: 1,
        status: 'generated',
      });
      expect(created.trackingCode).toMatch(/^ME26/);
      // A third call (the job ran again) answers the same shipment and buys nothing.
      expect(await carrier.createShipment(shipment('order-b'))).toEqual(created);
      expect(flaky.requests.filter((r) => r.path.endsWith('/cart'))).toHaveLength(1);
    } finally {
      await flaky.close();
    }
  });

  it('prints the label: the PDF behind the URL Melhor Envio answers', async () => {
    const carrier = createMelhorEnvioCarrier(settings, credentials);
    const created = (await carrier.createShipment(shipment('order-c'))) as {
      carrierShipmentId: string;
      trackingCode: string;
    };
    const label = await carrier.label(created.carrierShipmentId);
    expect(label.ready).toBe(true);
    if (label.ready) expect(textOf(label.pdf)).toContain(created.trackingCode);
    expect(server.requests.find((r) => r.path.endsWith('/shipment/print'))!.body).toEqual({
      mode: 'private',
      orders: [created.carrierShipmentId],
    });
  });

  it('tracks by order id: posted then delivered, each with a stable id', async () => {
    const carrier = createMelhorEnvioCarrier(settings, credentials);
    const created = (await carrier.createShipment(shipment('order-d'))) as {
      carrierShipmentId: string;
      trackingCode: string;
    };
    const tracked = [{ carrierShipmentId: created.carrierShipmentId, trackingCode: created.trackingCode }];
    expect(await carrier.track(tracked)).toEqual([]);
    server.addEvent(created.carrierShipmentId, 'posted');
    server.addEvent(created.carrierShipmentId, 'delivered');
    const events = await carrier.track(tracked);
    expect(events.map((e) => e.status)).toEqual(['posted', 'delivered']);
    expect(events[0]).toMatchObject({
      trackingCode: created.trackingCode,
      carrierShipmentId: created.carrierShipmentId,
    });
    expect((await carrier.track(tracked)).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it('cancels an order not yet posted; a posted one is refused', async () => {
    const carrier = createMelhorEnvioCarrier(settings, credentials);
    const a = (await carrier.createShipment(shipment('order-e'))) as { carrierShipmentId: string };
    expect(await carrier.cancel(a.carrierShipmentId, 'Cliente desistiu')).toEqual({ cancelled: true });
    const b = (await carrier.createShipment(shipment('order-f'))) as { carrierShipmentId: string };
    server.addEvent(b.carrierShipmentId, 'posted');
    expect(await carrier.cancel(b.carrierShipmentId, 'tarde')).toMatchObject({ refused: true });
  });

  it('a wrong token is an unauthorized fault', async () => {
    const carrier = createMelhorEnvioCarrier(settings, { ...credentials, token: 'outro' });
    await expect(carrier.quote(quoteRequest)).rejects.toMatchObject({
      kind: 'unauthorized',
      httpStatus: 401,
    });
  });

  it.each([
    ['http500', 'http_status'],
    ['garbage', 'unexpected_body'],
    ['hang', 'timeout'],
    ['unauthorized', 'unauthorized'],
  ] as const)('a server answering %s is a %s fault', async (failure, kind) => {
    const carrier = createMelhorEnvioCarrier(settings, credentials, { timeoutMs: 200 });
    server.failure = failure;
    const error = await carrier.quote(quoteRequest).catch((e) => e);
    expect(error).toBeInstanceOf(CarrierFault);
    expect(error).toMatchObject({ kind, operation: 'quote' });
  });
});

describe("Melhor Envio's webhook", () => {
  const webhook = createMelhorEnvioWebhook(credentials);

  it('verifies the signature over the raw body and reads the event', async () => {
    const carrier = createMelhorEnvioCarrier(settings, credentials);
    const created = (await carrier.createShipment(shipment('order-w'))) as {
      carrierShipmentId: string;
      trackingCode: string;
    };
    server.addEvent(created.carrierShipmentId, 'posted');
    const { body, headers } = server.signedWebhook('order.posted', created.carrierShipmentId);
    expect(webhook.verify(headers, Buffer.from(body))).toBe(true);
    const events = webhook.parse(Buffer.from(body));
    expect(events).toEqual([
      expect.objectContaining({
        status: 'posted',
        trackingCode: created.trackingCode,
        carrierShipmentId: created.carrierShipmentId,
        carrierCode: 'order.posted',
      }),
    ]);
    // The same event polled says the same id: applied once whichever way it arrives.
    const polled = await carrier.track([
      { carrierShipmentId: created.carrierShipmentId, trackingCode: created.trackingCode },
    ]);
    expect(polled[0]!.eventId).toBe(events[0]!.eventId);
  });

  it('refuses a wrong secret, an altered body, a missing or malformed header', async () => {
    const carrier = createMelhorEnvioCarrier(settings, credentials);
    const { carrierShipmentId } = (await carrier.createShipment(shipment('order-x'))) as {
      carrierShipmentId: string;
    };
    const good = server.signedWebhook('order.delivered', carrierShipmentId);
    const forged = server.signedWebhook('order.delivered', carrierShipmentId, 'outro-segredo');
    expect(webhook.verify(forged.headers, Buffer.from(forged.body))).toBe(false);
    expect(webhook.verify(good.headers, Buffer.from(good.body.replace('delivered', 'canceled')))).toBe(false);
    expect(webhook.verify({}, Buffer.from(good.body))).toBe(false);
    expect(webhook.verify({ 'x-me-signature': 'não é base64!' }, Buffer.from(good.body))).toBe(false);
  });

  it('events about the purchase itself, or bodies that are not events, tell nothing', () => {
    expect(
      webhook.parse(
        Buffer.from('{"event":"order.released","data":{"id":"x","updated_at":"2026-03-10 10:00:00"}}'),
      ),
    ).toEqual([]);
    expect(webhook.parse(Buffer.from('not json'))).toEqual([]);
  });

  it.each([
    ['order.posted', 'posted'],
    ['order.received', 'in_transit'],
    ['order.delivered', 'delivered'],
    ['order.undelivered', 'delivery_failed'],
    ['order.cancelled', 'cancelled'],
    ['canceled', 'cancelled'],
    ['order.generated', null],
    ['order.paused', null],
    ['order.something_new', null],
  ])('%s → %s', (event, status) => {
    expect(melhorEnvioStatus(event)).toBe(status);
  });
});
