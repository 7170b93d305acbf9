import { describe, expect, it } from 'vitest';
import { installmentsOf } from './domain.ts';
import { defaultOperations } from './operations.ts';
import { type SaleFacts, saleDocument, totalsMismatch } from './sale-document.ts';

const store = {
  cnpj: '45997418000153',
  legalName: 'Demo Comércio de Vestuário Paulista Ltda.',
  name: 'Loja 11',
  stateRegistration: '110042490114',
  address: {
    street: 'Avenida Paulista',
    number: '1578',
    district: 'Bela Vista',
    city: 'São Paulo',
    cityCode: '3550308',
    state: 'SP',
    postalCode: '01310200',
  },
};

const order = (over: Partial<SaleFacts> = {}): SaleFacts => ({
  number: 42,
  externalId: 'EC-42',
  deliveryType: 'ship',
  customer: {
    name: 'Maria Silva',
    document: '529.982.247-25',
    email: 'maria@example.com',
    phone: '(41) 99999-0000',
    address: {
      ...store.address,
      street: 'Rua XV',
      city: 'Curitiba',
      cityCode: '4106902',
      state: 'PR',
      postalCode: '80060-000',
    },
  },
  itemsTotal: '199.90',
  discountTotal: '0.00',
  freight: '20.00',
  total: '219.90',
  items: [
    {
      line: 1,
      sku: 'CAL-002',
      description: 'Calça jeans',
      quantity: 1,
      unitPrice: '199.90',
      discount: '0.00',
      product: { ean: '7896012010921', ncm: '62034200', unit: 'UN' },
    },
  ],
  payments: [{ method: 'invoice', amount: '219.90', installments: 3 }],
  ...over,
});

const input = (o: SaleFacts) => ({
  model: '55' as const,
  environment: '2' as const,
  series: 1,
  number: 7,
  numericCode: '12345678',
  issuedAt: new Date('2026-11-23T15:00:00Z'),
  operation: 'home_delivery' as const,
  operationConfig: defaultOperations.home_delivery,
  emitter: store,
  tax: { taxRegime: 1 as const, icmsRateIntrastate: null, icmsRateInterstate: null },
  order: o,
});

describe('the sale document of an order', () => {
  it('sells across states to a consumer (6108), with freight and a billed sale in three installments', () => {
    const doc = saleDocument(input(order()));
    if (!doc.ok) throw new Error(doc.failure.detail);
    expect(doc.value.destination).toBe('2');
    expect(doc.value.items[0]!.cfop).toBe('6108');
    expect(doc.value.freight).toEqual({ mode: '0', amount: 2000n });
    expect(doc.value.payments).toEqual([{ method: '15', amount: 21990n }]);
    expect(doc.value.recipient?.address?.postalCode).toBe('80060000');
    expect(doc.value.billing).toEqual({
      number: '42',
      installments: [
        { number: '001', dueDate: '2026-12-23', amount: 7330n },
        { number: '002', dueDate: '2027-01-22', amount: 7330n },
        { number: '003', dueDate: '2027-02-21', amount: 7330n },
      ],
    });
  });

  it('names every missing field at once', () => {
    const o = order();
    const doc = saleDocument({
      ...input({
        ...o,
        customer: { ...o.customer, address: { ...o.customer.address!, cityCode: null, district: '' } },
      }),
      emitter: { ...store, stateRegistration: null },
    });
    expect(doc.ok).toBe(false);
    if (doc.ok) return;
    expect(doc.failure.code).toBe('FISCAL.DATA_INCOMPLETE');
    expect(doc.failure.errors?.map((e) => e.path)).toEqual([
      '/emitter/stateRegistration',
      '/recipient/address/district',
      '/recipient/address/cityCode',
    ]);
  });

  it('compares the order with the document it would issue', () => {
    expect(
      totalsMismatch(order(), { products: 19990n, discount: 0n, freight: 2000n, total: 21990n }),
    ).toEqual([]);
    expect(
      totalsMismatch(order(), { products: 19990n, discount: 0n, freight: 0n, total: 19990n }).map(
        (e) => e.path,
      ),
    ).toEqual(['/freight', '/total']);
  });

  it('splits installments exactly, the leftover cents on the first', () => {
    const parts = installmentsOf(10000n, 3, '2026-01-31');
    expect(parts.map((p) => p.amount)).toEqual([3334n, 3333n, 3333n]);
    expect(parts.map((p) => p.dueDate)).toEqual(['2026-03-02', '2026-04-01', '2026-05-01']);
  });
});
