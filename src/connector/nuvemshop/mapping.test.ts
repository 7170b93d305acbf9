import { describe, expect, it } from 'vitest';
import { nuvemshopOrder } from '../../../test/nuvemshop-server/index.ts';
import {
  codesOf,
  decimalCents,
  externalIdOf,
  nuvemshopIdOf,
  spreadDiscount,
  type Translations,
  toIngestInput,
  ufOf,
} from './mapping.ts';

const none: Translations = {
  skus: new Map([['CAL-002', 'CAL-002']]),
  stores: new Map(),
  payments: new Map(),
  defaultStoreCode: '11',
};

describe('a Nuvemshop order as Omnihub ingests it', () => {
  it('keeps the decimal strings, the CPF, the address with its bairro and UF, the card and its installments', () => {
    const mapped = toIngestInput(nuvemshopOrder(456), none);
    expect(mapped).toEqual({
      ok: true,
      input: expect.objectContaining({
        externalId: 'NS-456',
        storeCode: '11',
        deliveryType: 'ship',
        channel: 'nuvemshop',
        items: [{ sku: 'CAL-002', quantity: 1, unitPrice: '199.90' }],
        freight: '15.00',
        payments: [{ method: 'credit_card', amount: '214.90', installments: 2 }],
      }),
    });
    if (!mapped.ok) return;
    expect(mapped.input.customer).toEqual({
      name: 'Maria Silva',
      document: '52998224725',
      email: 'maria@example.com',
      phone: '+55 11 99999-0000',
      address: {
        street: 'Rua Augusta',
        number: '1200',
        complement: 'apto 5',
        district: 'Consolação',
        city: 'São Paulo',
        state: 'SP',
        postalCode: '01304-001',
        country: 'BR',
      },
    });
  });

  it('reads the UF from a code or a state name, in any case and without accents', () => {
    expect(ufOf('SP')).toBe('SP');
    expect(ufOf('rj')).toBe('RJ');
    expect(ufOf('Sao Paulo')).toBe('SP');
    expect(ufOf('  rio grande do sul ')).toBe('RS');
    expect(ufOf('Espírito Santo')).toBe('ES');
    expect(ufOf('Buenos Aires')).toBeNull();
  });

  it('reads decimals without a float, and refuses what is not an amount', () => {
    expect(decimalCents('10.00')).toBe(1000n);
    expect(decimalCents('10.5')).toBe(1050n);
    expect(decimalCents('10')).toBe(1000n);
    expect(decimalCents('0.1')).toBe(10n);
    expect(decimalCents('-1.00')).toBeNull();
    expect(decimalCents('1,00')).toBeNull();
  });

  it('spreads the order discount over the lines by their gross, the last line taking the rounding', () => {
    expect(spreadDiscount([1000n, 2000n], 300n)).toEqual([100n, 200n]);
    expect(spreadDiscount([1000n, 1000n, 1000n], 100n)).toEqual([33n, 33n, 34n]);
    expect(spreadDiscount([1000n], 0n)).toEqual([0n]);
    const mapped = toIngestInput(
      nuvemshopOrder(1, {
        products: [
          { sku: 'A', price: '10.00', quantity: 2, name: 'a' },
          { sku: 'B', price: '30.00', quantity: 1, name: 'b' },
        ],
        discount: '5.00',
        total: '55.00',
        shipping_cost_customer: '10.00',
      }),
      {
        ...none,
        skus: new Map([
          ['A', 'A'],
          ['B', 'B'],
        ]),
      },
    );
    expect(mapped.ok && mapped.input.items).toEqual([
      { sku: 'A', quantity: 2, unitPrice: '10.00', discount: '2.00' },
      { sku: 'B', quantity: 1, unitPrice: '30.00', discount: '3.00' },
    ]);
  });

  it('sends a pickup to the store its branch is mapped to, else to the default store', () => {
    const pickup = nuvemshopOrder(7, {
      shipping_pickup_type: 'pickup',
      shipping_store_branch_name: 'Loja Centro',
      shipping_address: null,
    });
    expect(codesOf(pickup).stores).toEqual(['Loja Centro']);
    const mapped = toIngestInput(pickup, { ...none, stores: new Map([['Loja Centro', '8']]) });
    expect(mapped.ok && mapped.input).toMatchObject({ storeCode: '8', deliveryType: 'pickup' });
    expect(mapped.ok && mapped.input.customer.address).toBeUndefined();
    const unmapped = toIngestInput(pickup, none);
    expect(unmapped.ok && unmapped.input.storeCode).toBe('11');
  });

  it('maps SKUs through the mapping and holds an order whose SKU has none, saying which', () => {
    const order = nuvemshopOrder(8, {
      products: [{ sku: 'NS-CAMISA-P', price: '59.90', quantity: 1, name: 'Camisa P' }],
    });
    expect(codesOf(order).skus).toEqual(['NS-CAMISA-P']);
    expect(toIngestInput(order, none)).toEqual({
      ok: false,
      reasons: ['SKU NS-CAMISA-P is not mapped to an Omnihub SKU'],
    });
    const mapped = toIngestInput(order, { ...none, skus: new Map([['NS-CAMISA-P', 'CAM-001']]) });
    expect(mapped.ok && mapped.input.items[0]!.sku).toBe('CAM-001');
  });

  it('knows pix and boleto; other methods need a payment mapping of the method or the gateway', () => {
    const pix = toIngestInput(nuvemshopOrder(9, { payment_details: { method: 'pix' } }), none);
    expect(pix.ok && pix.input.payments[0]).toEqual({ method: 'pix', amount: '214.90', installments: 1 });
    const boleto = toIngestInput(nuvemshopOrder(9, { payment_details: { method: 'boleto' } }), none);
    expect(boleto.ok && boleto.input.payments[0]!.method).toBe('invoice');
    const wallet = nuvemshopOrder(9, { gateway: 'mercadopago', payment_details: { method: 'wallet' } });
    expect(codesOf(wallet).payments).toEqual(['wallet', 'mercadopago']);
    const refused = toIngestInput(wallet, none);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reasons[0]).toContain('"wallet"');
    const byGateway = toIngestInput(wallet, { ...none, payments: new Map([['mercadopago', 'marketplace']]) });
    expect(byGateway.ok && byGateway.input.payments[0]!.method).toBe('marketplace');
  });

  it('gives every reason at once: no document, a foreign province, a bad price', () => {
    const mapped = toIngestInput(
      nuvemshopOrder(10, {
        contact_identification: '',
        shipping_address: { address: 'Calle 1', city: 'La Plata', province: 'Buenos Aires', zipcode: '1900' },
        products: [{ sku: 'CAL-002', price: '1,00', quantity: 1, name: 'x' }],
      }),
      none,
    );
    expect(!mapped.ok && mapped.reasons).toEqual([
      'the price of CAL-002 "1,00" is not an amount',
      'the customer has no CPF/CNPJ (contact_identification)',
      'the province "Buenos Aires" is not a Brazilian state',
    ]);
  });

  it('prefixes the externalId so the sender finds the Nuvemshop id again', () => {
    expect(externalIdOf(456)).toBe('NS-456');
    expect(nuvemshopIdOf('NS-456')).toBe('456');
    expect(nuvemshopIdOf('v123-01')).toBeNull();
  });
});
