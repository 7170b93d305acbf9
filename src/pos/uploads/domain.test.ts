import { describe, expect, it } from 'vitest';
import {
  closingOf,
  customerFill,
  expectedCash,
  isSameUpload,
  nfceMatchErrors,
  type SaleBody,
  saleErrors,
  uploadErrors,
  type ZReductionBody,
  zReductionErrors,
} from './domain.ts';

const header = { terminal: 'PDV-1', sequence: 1, posId: 'V-1', occurredAt: '2026-12-07T12:00:00Z' };
const now = new Date('2026-12-07T12:05:00Z');

const sale = (over: Partial<SaleBody> = {}): SaleBody => ({
  ...header,
  items: [
    { sku: 'CAM-001', quantity: 2, unitPrice: '59.90', discount: '11.98' },
    { sku: 'CAL-002', quantity: 1, unitPrice: '199.90' },
  ],
  payments: [
    { method: 'cash', amount: '100.00' },
    { method: 'credit_card', amount: '207.72' },
  ],
  total: '307.72',
  ...over,
});
const codes = (errors: { code: string }[]) => errors.map((e) => e.code);

describe('a sale adds up', () => {
  it('accepts lines less discounts and payments both equal to the total, counting the cash received', () => {
    const { errors, totals } = saleErrors(sale());
    expect(errors).toEqual([]);
    expect(totals).toEqual({ total: 30772n, itemsTotal: 31970n, discountTotal: 1198n, cash: 10000n });
  });

  it('refuses a quantity that is not a positive integer, naming the line', () => {
    const { errors } = saleErrors(
      sale({ items: [{ sku: 'CAM-001', quantity: -1, unitPrice: '59.90' }], total: '0.00' }),
    );
    expect(errors[0]).toMatchObject({ path: '/items/0/quantity', code: 'POS.INVALID_QUANTITY' });
    expect(
      codes(saleErrors(sale({ items: [{ sku: 'X', quantity: 0, unitPrice: '1.00' }] })).errors),
    ).toContain('POS.INVALID_QUANTITY');
  });

  it('refuses lines or payments that do not make the total', () => {
    expect(codes(saleErrors(sale({ total: '300.00' })).errors)).toEqual([
      'POS.TOTAL_MISMATCH',
      'POS.PAYMENTS_MISMATCH',
    ]);
    const short = sale({ payments: [{ method: 'pix', amount: '300.00' }] });
    expect(saleErrors(short).errors).toEqual([
      expect.objectContaining({
        path: '/payments',
        code: 'POS.PAYMENTS_MISMATCH',
        params: { paid: '300.00', total: '307.72' },
      }),
    ]);
  });

  it('refuses a discount above its line, a negative price and a customer document with bad check digits', () => {
    const errors = saleErrors(
      sale({
        items: [{ sku: 'CAM-001', quantity: 1, unitPrice: '-1.00', discount: '5.00' }],
        customerDocument: '111.111.111-12',
      }),
    ).errors;
    expect(codes(errors)).toEqual(
      expect.arrayContaining(['POS.AMOUNT_NEGATIVE', 'POS.DISCOUNT_ABOVE_LINE', 'POS.INVALID_DOCUMENT']),
    );
  });
});

describe('the POS’s own NFC-e', () => {
  const match = { storeCnpj: '45997418000153', total: 30772n };
  it('is this sale’s: model 65, the store as emitter, vNF = total', () => {
    expect(nfceMatchErrors({ model: '65', emitterCnpj: '45997418000153', total: '307.72' }, match)).toEqual(
      [],
    );
    expect(
      codes(nfceMatchErrors({ model: '55', emitterCnpj: '11222333000181', total: '300.00' }, match)),
    ).toEqual(['POS.NFCE_NOT_MODEL_65', 'POS.NFCE_OTHER_EMITTER', 'POS.NFCE_TOTAL_MISMATCH']);
  });
});

describe('the cash drawer', () => {
  it('expects opening + cash sales + supplies − withdrawals; the difference is counted − expected', () => {
    const expected = expectedCash({ opening: 10000n, cashSales: 5990n, supplies: 2000n, withdrawals: 3000n });
    expect(expected).toBe(14990n);
    expect(closingOf(expected, 14900n)).toEqual({
      expectedAmount: '149.90',
      countedAmount: '149.00',
      difference: '-0.90',
    });
    expect(closingOf(expected, 15000n).difference).toBe('0.10');
  });
});

describe('customers: server wins', () => {
  const sent = {
    ...header,
    document: '39053344705',
    name: 'Outro',
    email: 'b@x.com',
    phone: '11 9',
    birthDate: '1990-01-02',
  };
  it('fills only what the network lacks', () => {
    expect(customerFill({ name: 'Bruno', email: 'a@x.com', phone: null, birthDate: null }, sent)).toEqual({
      phone: '11 9',
      birthDate: '1990-01-02',
    });
    expect(
      customerFill({ name: 'Bruno', email: 'a@x.com', phone: '1', birthDate: '1980-01-01' }, sent),
    ).toEqual({});
  });
  it('refuses a document with bad check digits and a day that is not one', () => {
    expect(
      codes(uploadErrors('customer', { ...sent, document: '39053344700', birthDate: '1990-02-30' }, now)),
    ).toEqual(['POS.INVALID_DOCUMENT', 'POS.INVALID_DATE']);
  });
});

describe('Z reduction', () => {
  const z: ZReductionBody = {
    ...header,
    day: '2026-12-07',
    counter: 12,
    salesCount: 3,
    grossTotal: '500.00',
    cancellations: '20.00',
    discounts: '10.00',
    netTotal: '470.00',
  };
  it('net = gross − cancellations − discounts', () => {
    expect(zReductionErrors(z)).toEqual([]);
    expect(zReductionErrors({ ...z, netTotal: '480.00' })).toEqual([
      expect.objectContaining({
        path: '/netTotal',
        code: 'POS.Z_TOTALS_MISMATCH',
        params: { expected: '470.00' },
      }),
    ]);
    expect(codes(zReductionErrors({ ...z, counter: 0, salesCount: -1 }))).toEqual([
      'POS.INVALID_COUNTER',
      'POS.INVALID_COUNT',
    ]);
  });
});

describe('uploads', () => {
  it('refuses a time beyond the terminal clock’s drift', () => {
    const body = { ...header, amount: '10.00', occurredAt: '2026-12-07T13:00:00Z' };
    expect(codes(uploadErrors('cash-opening', body, now))).toEqual(['POS.TIME_IN_FUTURE']);
  });
  it('is the same upload when kind and POS id are', () => {
    expect(isSameUpload({ kind: 'sale', posId: 'V-1' }, { kind: 'sale', posId: 'V-1' })).toBe(true);
    expect(isSameUpload({ kind: 'sale', posId: 'V-1' }, { kind: 'sale', posId: 'V-2' })).toBe(false);
    expect(isSameUpload({ kind: 'customer', posId: 'V-1' }, { kind: 'sale', posId: 'V-1' })).toBe(false);
  });
});
