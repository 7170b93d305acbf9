import { describe, expect, it } from 'vitest';
import { vtexOrder } from '../../../test/vtex-server/orders.ts';
import {
  centsToMoney,
  codesOf,
  invoiceNotification,
  type MappedCodes,
  moneyToCents,
  readHook,
  toIngestInput,
  type VtexOrder,
} from './mapping.ts';

const identity = (codes: string[]) => new Map(codes.map((c) => [c, c]));
const codes = (order: VtexOrder, over: Partial<MappedCodes> = {}): MappedCodes => ({
  store: new Map(),
  sku: identity(codesOf(order).sku),
  payment: new Map(),
  defaultStoreCode: '11',
  ...over,
});

describe('a VTEX order as an Omnihub order', () => {
  it('maps a delivery order: cents to decimals, customer, address, carrier, freight, card installments', () => {
    const order = vtexOrder({ orderId: '1400240501234-01' }) as VtexOrder;
    const mapped = toIngestInput(order, codes(order));
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.input).toMatchObject({
      externalId: '1400240501234-01',
      storeCode: '11',
      deliveryType: 'ship',
      carrier: 'CORREIOS',
      customer: {
        name: 'Maria Silva',
        document: '52998224725',
        email: 'a1b2c3d4e5f6@ct.vtex.com.br',
        phone: '+5511999990000',
        address: {
          street: 'Rua Augusta',
          number: '1200',
          complement: 'apto 12',
          district: 'Consolação',
          city: 'São Paulo',
          state: 'SP',
          postalCode: '01304-001',
          country: 'BRA',
        },
      },
      items: [
        { sku: 'CAM-001', quantity: 2, unitPrice: '79.90', discount: '10.00' },
        { sku: 'CAL-002', quantity: 1, unitPrice: '199.90' },
      ],
      freight: '15.00',
      payments: [{ method: 'credit_card', amount: '364.70', installments: 3 }],
    });
    // VTEX's seven fractional digits and offset become an ISO instant.
    expect(mapped.input.placedAt).toBe(new Date(order.creationDate).toISOString());
    expect(mapped.input.placedAt).toMatch(/Z$/);
  });

  it('maps a pickup order to the store of its pickup point, by the full id or the part after the seller', () => {
    const order = vtexOrder({ pickupPointId: '1_loja-centro' }) as VtexOrder;
    expect(codesOf(order).store).toEqual(['1_loja-centro', 'loja-centro', 'doca-centro']);
    const mapped = toIngestInput(order, codes(order, { store: new Map([['loja-centro', '8']]) }));
    expect(mapped.ok && mapped.input).toMatchObject({ storeCode: '8', deliveryType: 'pickup' });
    expect(mapped.ok && mapped.input.customer.address).toBeUndefined();
    expect(mapped.ok && mapped.input.freight).toBeUndefined();
    // No mapping: the connection's default store.
    const fallback = toIngestInput(order, codes(order));
    expect(fallback.ok && fallback.input.storeCode).toBe('11');
  });

  it('names payment groups itself, asks the payment mapping for others, and refuses what neither knows', () => {
    const pix = vtexOrder({ payment: { group: 'instantPayment', paymentSystemName: 'Pix' } }) as VtexOrder;
    const p = toIngestInput(pix, codes(pix));
    expect(p.ok && p.input.payments).toEqual([{ method: 'pix', amount: '364.70' }]);
    const boleto = vtexOrder({ payment: { group: 'bankInvoice', paymentSystemName: 'Boleto Bancário' } });
    const b = toIngestInput(boleto as VtexOrder, codes(boleto as VtexOrder));
    expect(b.ok && b.input.payments[0]!.method).toBe('invoice');
    const vale = vtexOrder({ payment: { group: 'promissory', paymentSystemName: 'Vale Loja' } }) as VtexOrder;
    expect(toIngestInput(vale, codes(vale))).toEqual({
      ok: false,
      reason: 'forma de pagamento Vale Loja (grupo promissory) sem mapeamento',
    });
    const mapped = toIngestInput(vale, codes(vale, { payment: new Map([['Vale Loja', 'marketplace']]) }));
    expect(mapped.ok && mapped.input.payments[0]!.method).toBe('marketplace');
  });

  it('holds an order whose SKU the caller could not map', () => {
    const order = vtexOrder({ items: [['VTEX-REF-9', 1, 1000]] }) as VtexOrder;
    expect(toIngestInput(order, codes(order, { sku: new Map() }))).toEqual({
      ok: false,
      reason: 'SKU VTEX-REF-9 sem mapeamento',
    });
  });

  it('takes the corporate document and name of a company buyer', () => {
    const order = vtexOrder() as VtexOrder;
    order.clientProfileData = {
      ...order.clientProfileData,
      isCorporate: true,
      corporateName: 'ACME Comércio Ltda',
      corporateDocument: '12ABC34501DE35',
    };
    const mapped = toIngestInput(order, codes(order));
    expect(mapped.ok && mapped.input.customer).toMatchObject({
      name: 'ACME Comércio Ltda',
      document: '12ABC34501DE35',
    });
  });
});

describe('VTEX amounts and hooks', () => {
  it('turns integer cents into decimal strings and back', () => {
    expect([0, 5, 12345, 100, -250].map(centsToMoney)).toEqual(['0.00', '0.05', '123.45', '1.00', '-2.50']);
    expect(['123.45', '0.05', '364.70', '10'].map(moneyToCents)).toEqual([12345, 5, 36470, 1000]);
  });

  it('reads VTEX hook bodies, its ping, and refuses what is neither', () => {
    expect(readHook({ hookConfig: 'ping' })).toEqual({ ping: true });
    const hook = {
      Domain: 'Fulfillment',
      OrderId: 'X-01',
      State: 'ready-for-handling',
      LastState: 'window-to-cancel',
    };
    expect(readHook(hook)).toEqual({ hook });
    expect(readHook([])).toEqual({ malformed: 'o corpo não é um objeto JSON' });
    expect(readHook({ State: 'x' })).toEqual({ malformed: 'OrderId ausente ou inválido' });
    expect(readHook({ OrderId: 'X-01' })).toEqual({ malformed: 'State ausente' });
  });

  it('builds the invoice notification with the key, the value in cents and VTEX item ids', () => {
    const order = vtexOrder() as VtexOrder;
    const body = invoiceNotification(order, {
      number: 123,
      accessKey: '35260112345678000195550010000001231000001234',
      total: '364.70',
      issuedAt: '2026-01-10T12:00:00.000Z',
      shipment: { carrier: 'CORREIOS', trackingCode: 'AB123456789BR', trackingUrl: null },
    });
    expect(body).toMatchObject({
      type: 'Output',
      invoiceNumber: '123',
      invoiceKey: '35260112345678000195550010000001231000001234',
      invoiceValue: 36470,
      issuanceDate: '2026-01-10T12:00:00.000Z',
      courier: 'CORREIOS',
      trackingNumber: 'AB123456789BR',
      items: [
        { id: '100', price: 7490, quantity: 2 },
        { id: '101', price: 19990, quantity: 1 },
      ],
    });
  });
});
