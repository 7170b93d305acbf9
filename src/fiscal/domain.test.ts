import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRate, apportion, computeDocument, formatRate, parseRate } from './domain.ts';
import { arbitraryDocument, saleWithinSaoPaulo, shipFromStoreToCuritiba } from './fixtures.test-support.ts';

describe('apportion (freight split across items by value)', () => {
  const weights = fc.array(fc.bigInt({ min: 0n, max: 10_000_000n }), { minLength: 1, maxLength: 40 });

  it('splits exactly: the shares add up to the total, none negative, each within a cent of its proportion', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 100_000_000n }), weights, (total, ws) => {
        const shares = apportion(total, ws);
        expect(shares).toHaveLength(ws.length);
        expect(shares.reduce((a, b) => a + b, 0n)).toBe(total);
        const sum = ws.reduce((a, b) => a + b, 0n);
        shares.forEach((share, i) => {
          expect(share >= 0n).toBe(true);
          // |share − total·w/sum| < 1 cent, in integers: |share·sum − total·w| < sum.
          const exact = sum === 0n ? total : total * ws[i]!;
          const scale = sum === 0n ? BigInt(ws.length) : sum;
          const diff = share * scale - exact;
          expect(diff < scale && -diff < scale).toBe(true);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('gives an item of no value no freight, unless every item is of no value', () => {
    expect(apportion(1000n, [0n, 500n, 500n])).toEqual([0n, 500n, 500n]);
    expect(apportion(1000n, [0n, 0n, 0n])).toEqual([334n, 333n, 333n]);
    expect(apportion(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(apportion(2500n, [10782n, 19990n])).toEqual([876n, 1624n]);
  });

  it('is fair under reordering: an item gets the same share wherever it stands (up to the tie cent)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1_000_000n }), weights, (total, ws) => {
        const forward = apportion(total, ws);
        const backward = apportion(total, [...ws].reverse()).reverse();
        forward.forEach((share, i) => {
          const d = share - backward[i]!;
          expect(d <= 1n && d >= -1n).toBe(true);
        });
      }),
    );
  });
});

describe('rates and money', () => {
  it('reads percentages with up to four decimals and refuses anything else', () => {
    expect(parseRate('18')).toBe(180_000n);
    expect(parseRate('1.65')).toBe(16_500n);
    expect(parseRate('7.6000')).toBe(76_000n);
    expect(parseRate('100')).toBe(1_000_000n);
    for (const bad of ['', '-1', '1,65', '18.12345', '100.01', 'abc', '1e2'])
      expect(parseRate(bad), bad).toBeNull();
  });

  it('formats rates with 2 to 4 decimals, never through a float', () => {
    expect(formatRate(180_000n)).toBe('18.00');
    expect(formatRate(16_500n)).toBe('1.65');
    expect(formatRate(76_550n)).toBe('7.655');
    expect(formatRate(76_555n)).toBe('7.6555');
  });

  it('rounds a tax half up to the cent', () => {
    expect(applyRate(10_000n, 180_000n)).toBe(1_800n);
    expect(applyRate(1_990n, 16_500n)).toBe(33n); // 32.835 → 33
    expect(applyRate(30n, 165_000n)).toBe(5n); // 4.95 → 5
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        (base, rate) => {
          const tax = applyRate(base, rate);
          // tax is the nearest cent to base·rate/10^6: 2·|tax·10^6 − base·rate| ≤ 10^6.
          const diff = tax * 1_000_000n - base * rate;
          expect(2n * diff <= 1_000_000n && -2n * diff < 1_000_000n).toBe(true);
        },
      ),
    );
  });
});

describe('computeDocument', () => {
  it('computes the ship-from-store sale: vProd − vDesc + vFrete = vNF, freight split by item value', () => {
    const result = computeDocument(shipFromStoreToCuritiba());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.totals).toMatchObject({
      products: 31970n,
      discount: 1198n,
      freight: 2500n,
      total: 33272n,
      icmsBase: 0n,
      icmsValue: 0n,
    });
    expect(result.value.items.map((i) => i.freight)).toEqual([876n, 1624n]);
    expect(result.value.change).toBe(0n);
  });

  it('taxes the regime-normal sale: ICMS 18 % on value plus freight, PIS 1.65 %, COFINS 7.6 %', () => {
    const result = computeDocument(saleWithinSaoPaulo());
    if (!result.ok) throw new Error(result.failure.detail);
    const [shirt, trousers] = result.value.items;
    expect(shirt).toMatchObject({
      grossValue: 11980n,
      discount: 1198n,
      freight: 452n,
      icmsBase: 11234n,
      icmsValue: 2022n,
    });
    expect(trousers).toMatchObject({
      freight: 838n,
      icmsBase: 20828n,
      icmsValue: 3749n,
      pisValue: 344n,
      cofinsValue: 1583n,
    });
    expect(result.value.totals).toMatchObject({ icmsBase: 32062n, icmsValue: 5771n, total: 32062n });
    expect(result.value.change).toBe(35000n - 32062n);
  });

  it('keeps every total equal to the sum of its item fields, for any document', () => {
    fc.assert(
      fc.property(arbitraryDocument, (doc) => {
        const result = computeDocument(doc);
        if (!result.ok) throw new Error(JSON.stringify(result.failure));
        const { items, totals, change } = result.value;
        const sum = (pick: (i: (typeof items)[number]) => bigint) => items.reduce((a, i) => a + pick(i), 0n);
        expect(totals.products).toBe(sum((i) => i.grossValue));
        expect(totals.discount).toBe(sum((i) => i.discount));
        expect(totals.freight).toBe(doc.freight.amount);
        expect(totals.icmsValue).toBe(sum((i) => i.icmsValue));
        expect(totals.pis).toBe(sum((i) => i.pisValue));
        expect(totals.total).toBe(totals.products - totals.discount + totals.freight);
        expect(change).toBe(doc.payments.reduce((a, p) => a + p.amount, 0n) - totals.total);
        expect(change >= 0n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses payments below the total (rejection 865) and values the layout cannot carry', () => {
    const short = computeDocument(shipFromStoreToCuritiba({ payments: [{ method: '17', amount: 33271n }] }));
    expect(!short.ok && short.failure).toMatchObject({
      code: 'FISCAL.DOCUMENT_INVALID',
      errors: [{ path: 'payments' }],
    });
    const doc = shipFromStoreToCuritiba();
    const bad = computeDocument({
      ...doc,
      items: [
        { ...doc.items[0]!, quantity: 0 },
        { ...doc.items[1]!, discount: 20000n },
      ],
      freight: { mode: '9', amount: 100n },
    });
    expect(!bad.ok && bad.failure.errors?.map((e) => e.path)).toEqual([
      'items/0/quantity',
      'items/0/discount',
      'items/1/discount',
      'freight/mode',
    ]);
    expect(computeDocument({ ...doc, items: [] }).ok).toBe(false);
  });
});
