import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  discountShare,
  fullyReturned,
  isValidOn,
  reasonErrors,
  remainingBySku,
  returnedValue,
  returnLineProblems,
} from './domain.ts';

describe('return reasons', () => {
  const reason = { active: true, validFrom: '2026-01-01', validTo: '2026-06-30' };

  it('may be chosen only while active and within its period, both ends included', () => {
    expect(isValidOn(reason, '2025-12-31')).toBe(false);
    expect(isValidOn(reason, '2026-01-01')).toBe(true);
    expect(isValidOn(reason, '2026-06-30')).toBe(true);
    expect(isValidOn(reason, '2026-07-01')).toBe(false);
    expect(isValidOn({ ...reason, validTo: null }, '2099-01-01')).toBe(true);
    expect(isValidOn({ ...reason, active: false }, '2026-03-01')).toBe(false);
  });

  it('names each bad field: blank description, a date that is not one, a period that ends before it starts', () => {
    expect(reasonErrors({ description: 'Defeito', validFrom: '2026-01-01', validTo: null })).toEqual([]);
    const errors = reasonErrors({ description: '  ', validFrom: '2026-13-01', validTo: '2025-01-01' });
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['/description', 'RETURN.REASON_DESCRIPTION_LENGTH'],
      ['/validFrom', 'RETURN.DATE_INVALID'],
    ]);
    expect(reasonErrors({ validFrom: '2026-02-30' })[0]).toMatchObject({ code: 'RETURN.DATE_INVALID' });
    expect(reasonErrors({ validFrom: '0000-01-01' })[0]).toMatchObject({ code: 'RETURN.DATE_INVALID' });
    expect(reasonErrors({ validFrom: '2026-02-01', validTo: '2026-01-31' })[0]).toMatchObject({
      path: '/validTo',
      code: 'RETURN.PERIOD_INVERTED',
    });
  });
});

describe('what an order may still give back', () => {
  const sold = [
    { sku: 'A', quantity: 3 },
    { sku: 'B', quantity: 1 },
  ];

  it('is sold minus every return so far, per SKU', () => {
    const left = remainingBySku(sold, [
      { sku: 'A', quantity: 1 },
      { sku: 'A', quantity: 1 },
    ]);
    expect(left.get('A')).toEqual({ sold: 3, returned: 2, remaining: 1 });
    expect(left.get('B')).toEqual({ sold: 1, returned: 0, remaining: 1 });
  });

  it('refuses more than remains (naming /items/i/quantity with what remains) and SKUs the order did not sell', () => {
    const left = remainingBySku(sold, [{ sku: 'A', quantity: 2 }]);
    const problems = returnLineProblems(
      [
        { sku: 'A', quantity: 2 },
        { sku: 'Z', quantity: 1 },
        { sku: 'B', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
      left,
    );
    expect(problems.exceeded).toEqual([
      expect.objectContaining({
        path: '/items/0/quantity',
        code: 'RETURN.QUANTITY_EXCEEDS_REMAINING',
        params: { sku: 'A', requested: 2, sold: 3, returned: 2, remaining: 1 },
      }),
    ]);
    expect(problems.invalid.map((e) => [e.path, e.code])).toEqual([
      ['/items/1/sku', 'RETURN.SKU_NOT_SOLD'],
      ['/items/3/sku', 'RETURN.SKU_REPEATED'],
    ]);
  });

  it('never lets the returns of a line add up to more than was sold, whatever the partial returns asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 12 }),
        (quantity, asks) => {
          const accepted: { sku: string; quantity: number }[] = [];
          for (const ask of asks) {
            const left = remainingBySku([{ sku: 'A', quantity }], accepted);
            const problems = returnLineProblems([{ sku: 'A', quantity: ask }], left);
            if (problems.exceeded.length === 0) accepted.push({ sku: 'A', quantity: ask });
            else expect(ask).toBeGreaterThan(left.get('A')!.remaining);
          }
          const back = accepted.reduce((a, r) => a + r.quantity, 0);
          expect(back).toBeLessThanOrEqual(quantity);
        },
      ),
    );
  });

  it('knows when a return takes the last units back', () => {
    const left = remainingBySku(sold, [{ sku: 'A', quantity: 1 }]);
    expect(fullyReturned(left, [{ sku: 'A', quantity: 2 }])).toBe(false);
    expect(
      fullyReturned(left, [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ]),
    ).toBe(true);
  });
});

describe('the values that come back', () => {
  it('are the sale’s unit price with the units’ share of the line discount', () => {
    expect(returnedValue({ unitPrice: '59.90', discount: '10.00', quantity: 3 }, 0, 1)).toEqual({
      unitPrice: '59.90',
      discount: '3.33',
      total: '56.57',
    });
    expect(returnedValue({ unitPrice: '59.90', discount: '10.00', quantity: 3 }, 1, 2)).toEqual({
      unitPrice: '59.90',
      discount: '6.67',
      total: '113.13',
    });
  });

  it('give back exactly the line’s discount once every unit came back, in any partial returns', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10_000_000n }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 10 }),
        (discount, parts) => {
          const quantity = parts.reduce((a, b) => a + b, 0);
          let before = 0;
          let given = 0n;
          for (const part of parts) {
            const share = discountShare(discount, quantity, before, part);
            expect(share).toBeGreaterThanOrEqual(0n);
            given += share;
            before += part;
          }
          expect(given).toBe(discount);
        },
      ),
    );
  });
});
