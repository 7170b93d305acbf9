import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertOf,
  allocationErrors,
  type Candidate,
  defaultStrategy,
  type LineState,
  pendingOf,
} from './domain.ts';

const line = (productId: string, requested: number, held = 0, allocated = 0): LineState => ({
  productId,
  sku: productId.toUpperCase(),
  requested,
  held,
  allocated,
});
const company = (
  code: string,
  stock: Record<string, number>,
  distanceKm: number | null,
  isMain = false,
): Candidate => ({
  storeId: `id-${code}`,
  storeCode: code,
  storeName: `Loja ${code}`,
  isMain,
  distanceKm,
  available: new Map(Object.entries(stock)),
});

describe('the default router', () => {
  it('reproduces the seeds’ example: 2 from store 8 and 1 from store 3 when store 11 has none', () => {
    const proposal = defaultStrategy.propose(
      [line('cam', 3)],
      [company('11', {}, 0, true), company('8', { cam: 2 }, 84), company('3', { cam: 1 }, 339)],
    );
    expect(proposal).toEqual([
      { sku: 'CAM', storeCode: '3', quantity: 1 },
      { sku: 'CAM', storeCode: '8', quantity: 2 },
    ]);
  });

  it('prefers the fulfilling store, then one company that sends everything over two nearer ones', () => {
    const proposal = defaultStrategy.propose(
      [line('a', 2), line('b', 2)],
      [
        company('11', { a: 1 }, 0, true),
        company('near-a', { a: 5 }, 10),
        company('near-b', { b: 5 }, 12),
        company('far-both', { a: 5, b: 5 }, 500),
      ],
    );
    expect(proposal).toEqual([
      { sku: 'A', storeCode: '11', quantity: 1 },
      { sku: 'A', storeCode: 'far-both', quantity: 1 },
      { sku: 'B', storeCode: 'far-both', quantity: 2 },
    ]);
  });

  it('breaks ties by distance, then stock, then code', () => {
    const tie = defaultStrategy.propose(
      [line('a', 1)],
      [
        company('B', { a: 1 }, 5),
        company('A', { a: 1 }, 5),
        company('C', { a: 9 }, 5),
        company('D', { a: 1 }, 1),
      ],
    );
    expect(tie).toEqual([{ sku: 'A', storeCode: 'D', quantity: 1 }]);
  });

  it('never proposes more than pending nor than a company has, and is deterministic', () => {
    const arb = fc.record({
      lines: fc.array(
        fc.record({ requested: fc.integer({ min: 1, max: 9 }), held: fc.integer({ min: 0, max: 3 }) }),
        {
          minLength: 1,
          maxLength: 6,
        },
      ),
      stock: fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 6, maxLength: 6 }), {
        minLength: 1,
        maxLength: 8,
      }),
      distances: fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 8, maxLength: 8 }),
    });
    fc.assert(
      fc.property(arb, ({ lines, stock, distances }) => {
        const states = lines.map((l, i) => line(`p${i}`, l.requested, Math.min(l.held, l.requested)));
        const companies = stock.map((s, c) =>
          company(`S${c}`, Object.fromEntries(s.map((q, i) => [`p${i}`, q])), distances[c]!, c === 0),
        );
        const proposal = defaultStrategy.propose(states, companies);
        expect(allocationErrors(proposal, states, companies)).toEqual([]);
        expect(defaultStrategy.propose(states, [...companies].reverse())).toEqual(proposal);
        for (const s of states) {
          const given = proposal.filter((a) => a.sku === s.sku).reduce((n, a) => n + a.quantity, 0);
          const there = companies.reduce((n, c) => n + (c.available.get(s.productId) ?? 0), 0);
          expect(given).toBe(Math.min(pendingOf(s), there));
        }
      }),
    );
  });
});

describe('allocations a user commits', () => {
  const lines = [line('cam', 3, 0, 1)];
  const companies = [company('11', {}, 0, true), company('8', { cam: 2 }, 84)];
  it('refuses more than pending, more than available, unknown SKUs and companies, and zero', () => {
    const paths = (a: Parameters<typeof allocationErrors>[0]) =>
      allocationErrors(a, lines, companies).map((e) => e.path);
    expect(paths([{ sku: 'CAM', storeCode: '8', quantity: 2 }])).toEqual([]);
    expect(paths([{ sku: 'CAM', storeCode: '8', quantity: 3 }])).toEqual([
      '/allocations/0/quantity',
      '/allocations',
    ]);
    expect(paths([{ sku: 'XYZ', storeCode: '9', quantity: 0 }])).toEqual([
      '/allocations/0/sku',
      '/allocations/0/storeCode',
      '/allocations/0/quantity',
    ]);
  });
});

describe('the traceability colour', () => {
  const day = 86_400_000;
  const expected = new Date('2026-12-10T15:00:00Z');
  const at = (offsetMs: number) => new Date(expected.getTime() + offsetMs);

  it('is red once the expected date has passed, yellow within the alert days, green before', () => {
    expect(alertOf(expected, false, at(1), 2)).toBe('red');
    expect(alertOf(expected, false, at(3 * day), 2)).toBe('red');
    expect(alertOf(expected, false, at(0), 2)).toBe('yellow');
    expect(alertOf(expected, false, at(-day), 2)).toBe('yellow');
    expect(alertOf(expected, false, at(-2 * day), 2)).toBe('green');
    expect(alertOf(expected, false, at(-5 * day), 2)).toBe('green');
    expect(alertOf(expected, false, at(-1), 0)).toBe('green');
  });

  it('has no colour when done or without an expected date, however late', () => {
    expect(alertOf(expected, true, at(10 * day), 2)).toBeNull();
    expect(alertOf(null, false, at(10 * day), 2)).toBeNull();
  });

  it('never gets greener as time passes', () => {
    const rank = { green: 0, yellow: 1, red: 2 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: -30 * day, max: 30 * day }),
        fc.integer({ min: 0, max: 30 * day }),
        fc.integer({ min: 0, max: 15 }),
        (offset, later, alertDays) => {
          const before = alertOf(expected, false, at(offset), alertDays);
          const after = alertOf(expected, false, at(offset + later), alertDays);
          expect(before && after && rank[after] >= rank[before]).toBe(true);
        },
      ),
    );
  });
});
