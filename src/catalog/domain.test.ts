import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromCents, toCents } from '../platform/money.ts';
import { demoProducts } from './demo-data.ts';
import {
  applyFlags,
  discountedPrice,
  eanCheckDigit,
  isCurrent,
  isValidEan13,
  normaliseNcm,
  offeredOn,
  resolvePrice,
  validateProduct,
  validatePromotion,
} from './domain.ts';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });
const withCheck = (body: number[]) => `${body.join('')}${eanCheckDigit(body.join(''))}`;

describe('EAN-13 check digit (GS1 mod 10)', () => {
  it('accepts published barcodes and refuses a wrong check digit', () => {
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('7891000315507')).toBe(true);
    expect(isValidEan13('7891000315508')).toBe(false);
    expect(isValidEan13('789100031550')).toBe(false);
    expect(isValidEan13('789100031550X')).toBe(false);
  });

  it('completes every 12-digit body into a valid EAN-13, with exactly one check digit', () => {
    fc.assert(
      fc.property(digits(12), (body) => {
        const ean = withCheck(body);
        expect(isValidEan13(ean)).toBe(true);
        const others = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => isValidEan13(`${body.join('')}${d}`));
        expect(others).toEqual([Number(ean[12])]);
      }),
    );
  });

  it('detects every single-digit error', () => {
    fc.assert(
      fc.property(
        digits(12),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        (body, at, delta) => {
          const ean = withCheck(body).split('');
          ean[at] = String((Number(ean[at]) + delta) % 10);
          expect(isValidEan13(ean.join(''))).toBe(false);
        },
      ),
    );
  });

  it('detects swapped neighbours unless they differ by 5 (the known blind spot of weights 1 and 3)', () => {
    fc.assert(
      fc.property(digits(12), fc.integer({ min: 0, max: 11 }), (body, at) => {
        const ean = withCheck(body).split('');
        const [a, b] = [Number(ean[at]), Number(ean[at + 1])];
        fc.pre(a !== b);
        [ean[at], ean[at + 1]] = [ean[at + 1]!, ean[at]!];
        expect(isValidEan13(ean.join(''))).toBe(Math.abs(a - b) === 5);
      }),
    );
  });
});

describe('product fields', () => {
  it('normalises NCMs of 8 digits within chapters 01–97', () => {
    expect(normaliseNcm('6109.10.00')).toBe('61091000');
    expect(normaliseNcm('64039990')).toBe('64039990');
    expect(normaliseNcm('00001234')).toBeNull();
    expect(normaliseNcm('98010000')).toBeNull();
    expect(normaliseNcm('6109100')).toBeNull();
  });

  it('names each bad field by its JSON pointer', () => {
    expect(validateProduct({ ean: '7891000315508', ncm: '123', price: '-1.00' })).toEqual([
      { path: '/ean', code: 'CATALOG.EAN_INVALID', message: expect.stringContaining('EAN-13') },
      { path: '/ncm', code: 'CATALOG.NCM_INVALID', message: expect.stringContaining('NCM') },
      { path: '/price', code: 'CATALOG.PRICE_NEGATIVE', message: 'must not be negative' },
    ]);
  });

  it('ships a demo catalogue whose EANs and NCMs are all valid and unique', () => {
    expect(demoProducts.length).toBeGreaterThanOrEqual(22);
    for (const p of demoProducts) expect(validateProduct(p), p.sku).toEqual([]);
    expect(new Set(demoProducts.map((p) => p.ean)).size).toBe(demoProducts.length);
    expect(demoProducts.every((p) => p.ean.startsWith('789'))).toBe(true);
  });
});

describe('e-commerce flags', () => {
  const none = { integratesEcommerce: false, activeEcommerce: false };
  const both = { integratesEcommerce: true, activeEcommerce: true };

  it('refuses to activate a product that does not integrate', () => {
    const r = applyFlags(none, { activeEcommerce: true });
    expect(r.ok || r.failure.code).toBe('CATALOG.NOT_INTEGRATED');
  });

  it('activates when integration is set in the same change', () => {
    expect(applyFlags(none, { integratesEcommerce: true, activeEcommerce: true })).toEqual({
      ok: true,
      value: both,
    });
  });

  it('clears "active" when "integrates" is cleared', () => {
    expect(applyFlags(both, { integratesEcommerce: false })).toEqual({ ok: true, value: none });
  });

  it('refuses a change that contradicts itself', () => {
    const r = applyFlags(both, { integratesEcommerce: false, activeEcommerce: true });
    expect(r.ok || r.failure.code).toBe('CATALOG.CONTRADICTORY_FLAGS');
  });

  it('never yields active without integrates, whatever the start and the change', () => {
    const flags = fc.record({ integratesEcommerce: fc.boolean(), activeEcommerce: fc.boolean() });
    const change = fc.record(
      { integratesEcommerce: fc.boolean(), activeEcommerce: fc.boolean() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(flags, change, (current, c) => {
        fc.pre(!current.activeEcommerce || current.integratesEcommerce);
        const r = applyFlags(current, c);
        if (r.ok) expect(!r.value.activeEcommerce || r.value.integratesEcommerce).toBe(true);
      }),
    );
  });
});

describe('price resolution: nearest node wins', () => {
  const chain = [
    { id: 'root', kind: 'network' as const },
    { id: 'sul', kind: 'central' as const },
    { id: 's8', kind: 'store' as const },
  ];

  it('takes the store override, then the central one, then the network default', () => {
    expect(
      resolvePrice(
        '199.90',
        chain,
        new Map([
          ['sul', '189.90'],
          ['s8', '179.90'],
        ]),
      ),
    ).toEqual({
      price: '179.90',
      source: 'store',
      nodeId: 's8',
    });
    expect(resolvePrice('199.90', chain, new Map([['sul', '189.90']]))).toMatchObject({
      price: '189.90',
      source: 'central',
    });
    expect(resolvePrice('199.90', chain, new Map())).toEqual({
      price: '199.90',
      source: 'network',
      nodeId: null,
    });
  });

  it('ignores overrides of nodes outside the chain', () => {
    expect(resolvePrice('10.00', chain, new Map([['s3', '1.00']])).price).toBe('10.00');
  });
});

describe('promotions', () => {
  const base = {
    discountPercent: '10.00',
    discountAmount: null,
    startsAt: new Date('2026-01-01T00:00:00Z'),
    endsAt: new Date('2026-02-01T00:00:00Z'),
    active: true,
  };

  it('offers ecommerce and all modalities to the e-commerce, store and all to the stores', () => {
    expect(offeredOn('ecommerce', 'ecommerce')).toBe(true);
    expect(offeredOn('all', 'ecommerce')).toBe(true);
    expect(offeredOn('store', 'ecommerce')).toBe(false);
    expect(offeredOn('ecommerce', 'store')).toBe(false);
  });

  it('is current from its start (inclusive) to its end (exclusive), while active', () => {
    expect(isCurrent(base, new Date('2026-01-01T00:00:00Z'))).toBe(true);
    expect(isCurrent(base, new Date('2026-02-01T00:00:00Z'))).toBe(false);
    expect(isCurrent({ ...base, active: false }, new Date('2026-01-15T00:00:00Z'))).toBe(false);
  });

  it('wants exactly one discount within range and a period that ends after it starts', () => {
    expect(validatePromotion(base)).toEqual([]);
    expect(validatePromotion({ ...base, discountAmount: '5.00' }).map((e) => e.path)).toEqual([
      '/discountPercent',
    ]);
    expect(validatePromotion({ ...base, discountPercent: '100.01' }).map((e) => e.path)).toEqual([
      '/discountPercent',
    ]);
    expect(validatePromotion({ ...base, endsAt: base.startsAt }).map((e) => e.path)).toEqual(['/endsAt']);
  });

  it('discounts to the cent, half-up, never below zero nor above the price', () => {
    expect(discountedPrice('59.90', { discountPercent: '10.00', discountAmount: null })).toBe('53.91');
    expect(discountedPrice('0.05', { discountPercent: '50.00', discountAmount: null })).toBe('0.02');
    expect(discountedPrice('29.90', { discountPercent: null, discountAmount: '30.00' })).toBe('0.00');
    const price = fc.bigInt({ min: 0n, max: 10n ** 12n }).map(fromCents);
    const percent = fc.bigInt({ min: 1n, max: 10_000n }).map(fromCents);
    fc.assert(
      fc.property(price, percent, (p, pct) => {
        const after = toCents(discountedPrice(p, { discountPercent: pct, discountAmount: null }));
        expect(after >= 0n && after <= toCents(p)).toBe(true);
      }),
    );
  });
});
