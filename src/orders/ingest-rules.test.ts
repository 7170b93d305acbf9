import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromCents } from '../platform/money.ts';
import {
  amountsOf,
  type IngestInput,
  normaliseDocument,
  requestHash,
  storedAddress,
  validateIngest,
} from './ingest-rules.ts';

const now = new Date('2026-03-10T15:00:00Z');

const valid = (): IngestInput => ({
  externalId: 'EC-1',
  storeCode: '11',
  deliveryType: 'pickup',
  customer: { name: 'Maria', document: '529.982.247-25', email: 'm@example.com', phone: '11999990000' },
  items: [
    { sku: 'CAL-002', quantity: 2, unitPrice: '199.90', discount: '10.00' },
    { sku: 'CAM-002', quantity: 1, unitPrice: '59.90' },
  ],
  freight: '12.50',
  payments: [
    { method: 'credit_card', amount: '400.00', installments: 3 },
    { method: 'pix', amount: '62.20' },
  ],
  placedAt: '2026-03-10T11:00:00-03:00',
});

const paths = (input: IngestInput) => validateIngest(input, now).map((e) => e.path);

describe('ingest validation', () => {
  it('accepts a consistent order', () => {
    expect(validateIngest(valid(), now)).toEqual([]);
  });

  it.each([
    [
      'a CPF with a wrong digit',
      (i: IngestInput) => (i.customer.document = '52998224726'),
      '/customer/document',
    ],
    ['repeated digits', (i: IngestInput) => (i.customer.document = '111.111.111-11'), '/customer/document'],
    ['a quantity of zero', (i: IngestInput) => (i.items[1]!.quantity = 0), '/items/1/quantity'],
    ['a negative price', (i: IngestInput) => (i.items[0]!.unitPrice = '-0.01'), '/items/0/unitPrice'],
    ['money with one decimal', (i: IngestInput) => (i.items[0]!.unitPrice = '199.9'), '/items/0/unitPrice'],
    ['a discount above the line', (i: IngestInput) => (i.items[1]!.discount = '59.91'), '/items/1/discount'],
    ['a cent missing', (i: IngestInput) => (i.payments[1]!.amount = '62.19'), '/payments'],
    ['negative freight', (i: IngestInput) => (i.freight = '-1.00'), '/freight'],
    ['a duplicate SKU', (i: IngestInput) => (i.items[1]!.sku = 'CAL-002'), '/items/1/sku'],
    ['ship without address', (i: IngestInput) => (i.deliveryType = 'ship'), '/customer/address'],
    ['placed 6 minutes ahead', (i: IngestInput) => (i.placedAt = '2026-03-10T15:06:00Z'), '/placedAt'],
  ])('refuses %s', (_name, change, path) => {
    const input = valid();
    change(input);
    expect(paths(input)).toContain(path);
  });

  it('accepts the country every platform sends for Brazil, and refuses another one', () => {
    const withCountry = (country: string) => {
      const input = valid();
      input.deliveryType = 'ship';
      input.customer.address = {
        street: 'Rua Augusta',
        number: '1200',
        district: 'Consolação',
        city: 'São Paulo',
        state: 'SP',
        postalCode: '01304-001',
        country,
      };
      return validateIngest(input, now);
    };
    for (const country of ['BR', 'BRA', 'Brasil', ' brazil '])
      expect(withCountry(country), country).toEqual([]);
    expect(withCountry('US')).toEqual([
      expect.objectContaining({ path: '/customer/address/country', code: 'ORDER.COUNTRY_UNSUPPORTED' }),
    ]);
  });

  it('keeps an address with the IBGE code resolved from state and city, without the country', () => {
    const sent = {
      street: 'Av. Brasil',
      number: '10',
      district: 'Centro',
      city: 'SAO PAULO',
      state: 'sp',
      postalCode: '01000-000',
      country: 'BRA',
    };
    // Resolved: the city as IBGE names it (the NF-e's xMun), not as typed.
    expect(storedAddress(sent)).toEqual({
      ...sent,
      country: undefined,
      city: 'São Paulo',
      cityCode: '3550308',
    });
    expect(storedAddress({ ...sent, cityCode: '3509502' })).toMatchObject({
      city: 'SAO PAULO',
      cityCode: '3509502',
    });
    // A city the table does not know is kept as sent, for the store to fix before invoicing.
    expect(storedAddress({ ...sent, city: 'Cidade Que Não Existe' }).cityCode).toBeNull();
  });

  it('tolerates a platform clock up to 5 minutes ahead', () => {
    expect(paths({ ...valid(), placedAt: '2026-03-10T15:05:00Z' })).toEqual([]);
  });

  it('refuses totals a numeric(14,2) column cannot hold instead of failing in the database', () => {
    const input = valid();
    input.items = [{ sku: 'X', quantity: 1_000_000, unitPrice: '999999999999.99' }];
    input.freight = undefined;
    input.payments = [{ method: 'pix', amount: '999999999999.99' }];
    expect(paths(input)).toEqual(['/items/0/quantity']);
  });

  it('knows CPF and CNPJ, numeric and alphanumeric', () => {
    expect(normaliseDocument('529.982.247-25')).toEqual({ kind: 'cpf', value: '52998224725' });
    expect(normaliseDocument('45.997.418/0001-53')).toEqual({ kind: 'cnpj', value: '45997418000153' });
    expect(normaliseDocument('12.abc.345/01de-35')).toEqual({ kind: 'cnpj', value: '12ABC34501DE35' });
    expect(normaliseDocument('12ABC34501DE36')).toBeNull();
    expect(normaliseDocument('5299822472')).toBeNull();
  });
});

describe('amounts in cents', () => {
  const line = fc
    .record({
      quantity: fc.integer({ min: 1, max: 1000 }),
      price: fc.integer({ min: 0, max: 10_000_000 }),
      discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ quantity, price, discountShare }) => {
      const gross = quantity * price;
      return { quantity, price, discount: Math.floor(gross * discountShare) };
    });

  it('accepts an order exactly when the payments equal items − discounts + freight, to the cent', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -2, max: 2 }),
        (lines, freight, weights, error) => {
          const expected =
            lines.reduce((sum, l) => sum + BigInt(l.quantity * l.price - l.discount), 0n) + BigInt(freight);
          fc.pre(expected + BigInt(error) > BigInt(weights.length));
          // Split the total (plus a deliberate error of a few cents) over several payments.
          const paid = expected + BigInt(error);
          const totalWeight = weights.reduce((a, b) => a + b, 0);
          const parts = weights.map((w) => (paid * BigInt(w)) / BigInt(totalWeight));
          parts[0] = parts[0]! + paid - parts.reduce((a, b) => a + b, 0n);
          fc.pre(parts.every((p) => p > 0n));
          const input: IngestInput = {
            ...valid(),
            items: lines.map((l, i) => ({
              sku: `SKU-${i}`,
              quantity: l.quantity,
              unitPrice: fromCents(BigInt(l.price)),
              discount: fromCents(BigInt(l.discount)),
            })),
            freight: fromCents(BigInt(freight)),
            payments: parts.map((p) => ({ method: 'pix' as const, amount: fromCents(p) })),
          };
          expect(amountsOf(input).total).toBe(expected);
          expect(paths(input)).toEqual(error === 0 ? [] : ['/payments']);
        },
      ),
    );
  });
});

describe('the request hash', () => {
  it('ignores formatting and key order, not content', () => {
    const a = valid();
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as unknown as IngestInput;
    expect(requestHash(reordered)).toBe(requestHash(a));
    expect(requestHash({ ...a, customer: { ...a.customer, document: '52998224725' } })).toBe(requestHash(a));
    expect(requestHash({ ...a, placedAt: '2026-03-10T14:00:00.000Z' })).toBe(requestHash(a));
    const noDiscount = { ...a, items: [a.items[0]!, { ...a.items[1]!, discount: '0.00' }] };
    expect(requestHash(noDiscount)).toBe(requestHash(a));
    expect(requestHash({ ...a, items: [{ ...a.items[0]!, quantity: 3 }, a.items[1]!] })).not.toBe(
      requestHash(a),
    );
    expect(requestHash({ ...a, storeCode: '8' })).not.toBe(requestHash(a));
  });
});
