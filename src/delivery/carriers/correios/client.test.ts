import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CorreiosServer, startCorreiosServer } from '../../../../test/correios-server/index.ts';
import { textOf } from '../../../../test/pdf.ts';
import { CarrierFault, type ShipmentRequest } from '../port.ts';
import { type CorreiosSettings, createCorreiosCarrier } from './client.ts';

const credentials = { user: 'loja11', accessCode: 'codigo-de-acesso' };
let server: CorreiosServer;
let settings: CorreiosSettings;

beforeAll(async () => {
  server = await startCorreiosServer({
    ...credentials,
    postingCard: '0076770702',
    prices: { '03220': '1.025,50', '03298': '19,9' },
    days: { '03220': 1, '03298': 6 },
    unservedPostalCodes: ['69900000'],
  });
  settings = {
    baseUrl: server.url,
    postingCard: '0076770702',
    contract: '9912345678',
    dr: 74,
    services: ['03220', '03298'],
  };
});
afterAll(() => server.close());
afterEach(() => {
  server.failure = 'none';
});

const party = {
  name: 'Loja 11',
  document: '11222333000181',
  phone: '(11) 98765-4321',
  street: 'Rua Augusta',
  number: '100',
  district: 'Consolação',
  city: 'São Paulo',
  state: 'SP',
  postalCode: '01305000',
};
const shipment: ShipmentRequest = {
  reference: 'order-1',
  orderNumber: 1001,
  service: '03220',
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
  items: [{ description: 'Camiseta', quantity: 1, unitPrice: '129.90' }],
};
const quoteRequest = {
  fromPostalCode: '01305000',
  toPostalCode: '80010000',
  parcels: shipment.parcels,
  declaredValue: '129.90',
};

describe('Correios adapter against the local API Correios', () => {
  it('quotes every service of the account, prices converted exactly from "1.025,50"', async () => {
    const carrier = createCorreiosCarrier(settings, credentials);
    const quotes = await carrier.quote(quoteRequest);
    expect(quotes).toEqual([
      { service: '03220', serviceName: 'SEDEX', price: '1025.50', days: 1 },
      { service: '03298', serviceName: 'PAC', price: '19.90', days: 6 },
    ]);
    const price = server.requests.find((r) => r.path === '/preco/v1/nacional/03220')!;
    expect(Object.fromEntries(price.query)).toMatchObject({
      cepOrigem: '01305000',
      psObjeto: '800',
      tpObjeto: '2',
    });
  });

  it('a CEP the Correios do not serve is a refusal with their message, not a fault', async () => {
    const carrier = createCorreiosCarrier(settings, credentials);
    const answer = await carrier.quote({ ...quoteRequest, toPostalCode: '69900000', service: '03220' });
    expect(answer).toMatchObject({ refused: true, code: '400' });
    expect((answer as { message: string }).message).toContain('indisponível');
  });

  it('keeps the token until shortly before it expires, and asks again after', async () => {
    let now = Date.now();
    const carrier = createCorreiosCarrier(settings, credentials, { clock: () => new Date(now) });
    const before = server.tokensIssued;
    await carrier.quote({ ...quoteRequest, service: '03220' });
    await carrier.quote({ ...quoteRequest, service: '03298' });
    expect(server.tokensIssued).toBe(before + 1);
    now += 23 * 3600_000;
    await carrier.quote({ ...quoteRequest, service: '03220' });
    expect(server.tokensIssued).toBe(before + 1);
    // Within the last minute of its 24 h the token is renewed before it is used.
    now += 3600_000 - 30_000;
    await carrier.quote({ ...quoteRequest, service: '03220' });
    expect(server.tokensIssued).toBeGreaterThan(before + 1);
  });

  it('a token revoked by the Correios is replaced once', async () => {
    const carrier = createCorreiosCarrier(settings, credentials);
    await carrier.quote({ ...quoteRequest, service: '03220' });
    const before = server.tokensIssued;
    server.expireTokens();
    expect(await carrier.quote({ ...quoteRequest, service: '03220' })).toHaveLength(1);
    expect(server.tokensIssued).toBe(before + 1);
  });

  it('wrong credentials are an unauthorized fault', async () => {
    const carrier = createCorreiosCarrier(settings, { ...credentials, accessCode: 'errado' });
    await expect(carrier.quote(quoteRequest)).rejects.toMatchObject({
      kind: 'unauthorized',
      operation: 'quote',
    });
  });

  it('creates a pre-postagem with the NF-e key, or a content declaration without one', async () => {
    const carrier = createCorreiosCarrier(settings, credentials);
    const withInvoice = await carrier.createShipment({
      ...shipment,
      invoice: { number: 42, series: 1, accessKey: '3'.repeat(44), issuedAt: new Date(), total: '129.90' },
    });
    expect(withInvoice).toMatchObject({ trackingCode: expect.stringMatching(/^AB\d{8}BR$/) });
    const created = withInvoice as { carrierShipmentId: string; trackingCode: string; trackingUrl: string };
    expect(created.trackingUrl).toContain(created.trackingCode);
    const body = server.prePostagens.get(created.carrierShipmentId)!.body;
    expect(body).toMatchObject({
      codigoServico: '03220',
      chaveNFe: '3'.repeat(44),
      numeroNotaFiscal: '42',
      pesoInformado: '800',
      destinatario: { endereco: { cep: '80010000', uf: 'PR' } },
      remetente: { dddCelular: '11', celular: '987654321' },
    });
    const withoutInvoice = (await carrier.createShipment(shipment)) as { carrierShipmentId: string };
    expect(server.prePostagens.get(withoutInvoice.carrierShipmentId)!.body.itensDeclaracaoConteudo).toEqual([
      { conteudo: 'Camiseta', quantidade: '1', valor: '129.90' },
    ]);
  });

  it('asks for the label once, answers "not ready" while Correios generates it, then the PDF', async () => {
    const carrier = createCorreiosCarrier(settings, credentials, { labelRetryAfterMs: 10 });
    const created = (await carrier.createShipment(shipment)) as {
      carrierShipmentId: string;
      trackingCode: string;
    };
    expect(await carrier.label(created.carrierShipmentId)).toEqual({ ready: false, retryAfterMs: 10 });
    const label = await carrier.label(created.carrierShipmentId);
    expect(label.ready).toBe(true);
    if (label.ready) expect(textOf(label.pdf)).toContain(created.trackingCode);
    const requested = server.requests.filter((r) => r.path.endsWith('/rotulo/assincrono/pdf'));
    expect(requested.filter((r) => r.body.idsPrePostagem[0] === created.carrierShipmentId)).toHaveLength(1);
  });

  it('reads SRO events oldest first, mapped by the event table, with stable ids; unknown objects are absent', async () => {
    const carrier = createCorreiosCarrier(settings, credentials);
    const { trackingCode } = (await carrier.createShipment(shipment)) as { trackingCode: string };
    server.addEvent(trackingCode, {
      codigo: 'PO',
      tipo: '01',
      descricao: 'Objeto postado',
      dtHrCriado: '2026-03-10T09:00:00',
    });
    server.addEvent(trackingCode, {
      codigo: 'RO',
      tipo: '01',
      descricao: 'Objeto em trânsito - por favor aguarde',
      dtHrCriado: '2026-03-10T18:00:00',
    });
    server.addEvent(trackingCode, {
      codigo: 'OEC',
      tipo: '01',
      descricao: 'Objeto saiu para entrega ao destinatário',
      dtHrCriado: '2026-03-11T08:00:00',
      cidade: 'CURITIBA',
      uf: 'PR',
    });
    server.addEvent(trackingCode, {
      codigo: 'BDE',
      tipo: '01',
      descricao: 'Objeto entregue ao destinatário',
      dtHrCriado: '2026-03-11T14:32:05',
      cidade: 'CURITIBA',
      uf: 'PR',
    });
    const events = await carrier.track([
      { carrierShipmentId: null, trackingCode },
      { carrierShipmentId: null, trackingCode: 'ZZ000000000BR' },
    ]);
    expect(events.map((e) => [e.status, e.carrierCode])).toEqual([
      ['posted', 'PO 01'],
      ['in_transit', 'RO 01'],
      ['out_for_delivery', 'OEC 01'],
      ['delivered', 'BDE 01'],
    ]);
    expect(events[3]).toMatchObject({
      at: new Date('2026-03-11T17:32:05Z'),
      location: 'CURITIBA/PR',
      trackingCode,
    });
    const again = await carrier.track([{ carrierShipmentId: null, trackingCode }]);
    expect(again.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    expect(new Set(events.map((e) => e.eventId)).size).toBe(4);
  });

  it('cancels a pre-postagem; one already posted is refused with the Correios message', async () => {
    const carrier = createCorreiosCarrier(settings, credentials);
    const a = (await carrier.createShipment(shipment)) as { carrierShipmentId: string; trackingCode: string };
    expect(await carrier.cancel(a.carrierShipmentId, 'cliente desistiu')).toEqual({ cancelled: true });
    expect(server.prePostagens.get(a.carrierShipmentId)!.cancelled).toBe(true);
    const b = (await carrier.createShipment(shipment)) as { carrierShipmentId: string; trackingCode: string };
    server.addEvent(b.trackingCode, { codigo: 'PO', tipo: '01', descricao: 'Objeto postado' });
    expect(await carrier.cancel(b.carrierShipmentId, 'tarde demais')).toMatchObject({
      refused: true,
      code: '400',
    });
  });

  it.each([
    ['http500', 'http_status'],
    ['garbage', 'unexpected_body'],
    ['hang', 'timeout'],
    ['unauthorized', 'unauthorized'],
  ] as const)('a server answering %s is a %s fault', async (failure, kind) => {
    const carrier = createCorreiosCarrier(settings, credentials, { timeoutMs: 200 });
    server.failure = failure;
    const error = await carrier.track([{ carrierShipmentId: null, trackingCode: 'AB1BR' }]).catch((e) => e);
    expect(error).toBeInstanceOf(CarrierFault);
    expect(error).toMatchObject({ kind, operation: 'track' });
  });

  it('a server nobody listens on is unreachable', async () => {
    const carrier = createCorreiosCarrier({ ...settings, baseUrl: 'http://127.0.0.1:9' }, credentials);
    await expect(carrier.quote(quoteRequest)).rejects.toMatchObject({ kind: 'unreachable' });
  });
});
