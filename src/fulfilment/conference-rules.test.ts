import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConferenceLine,
  isComplete,
  lineOf,
  missingOf,
  normaliseEan,
  scan,
  totalsOf,
} from './conference-rules.ts';

const lines: ConferenceLine[] = [
  { line: 1, sku: 'CAL-002', ean: '7896012010921', description: 'Calça', expected: 2, counted: 0 },
  { line: 2, sku: 'BER-001', ean: '0012345678905', description: 'Bermuda', expected: 1, counted: 1 },
];

describe('what a scanned code names', () => {
  it('finds the line by EAN as the catalogue keeps it, or as GTIN-14 and UPC-A readers send it', () => {
    expect(lineOf(lines, { ean: '7896012010921' })?.line).toBe(1);
    expect(lineOf(lines, { ean: '07896012010921' })?.line).toBe(1);
    expect(lineOf(lines, { ean: ' 7896012010921 ' })?.line).toBe(1);
    expect(lineOf(lines, { ean: '012345678905' })?.line).toBe(2);
    expect(lineOf(lines, { ean: '7896012010922' })).toBeUndefined();
    expect(normaliseEan('17896012010921')).toBe('17896012010921');
  });

  it('finds the line by SKU whatever the case and spaces', () => {
    expect(lineOf(lines, { sku: ' cal-002' })?.line).toBe(1);
    expect(lineOf(lines, { sku: 'CAL-00' })).toBeUndefined();
  });
});

describe('counting (seeds 003: finished only when every unit is counted)', () => {
  it('counts up to the ordered quantity and refuses past it, or what is not in the order', () => {
    expect(scan(lines, { sku: 'CAL-002' }, 2)).toMatchObject({ ok: true, counted: 2 });
    expect(scan(lines, { sku: 'CAL-002' }, 3)).toMatchObject({
      ok: false,
      reason: 'over_quantity',
      remaining: 2,
    });
    expect(scan(lines, { sku: 'BER-001' }, 1)).toMatchObject({
      ok: false,
      reason: 'over_quantity',
      remaining: 0,
    });
    expect(scan(lines, { ean: '7896012012093' }, 1)).toEqual({ ok: false, reason: 'not_in_order' });
  });

  it('lists per line what is missing, and is complete only with nothing missing', () => {
    expect(missingOf(lines)).toEqual([{ ...lines[0], missing: 2 }]);
    expect(isComplete(lines)).toBe(false);
    expect(isComplete(lines.map((l) => ({ ...l, counted: l.expected })))).toBe(true);
    expect(totalsOf(lines)).toEqual({ expected: 3, counted: 1 });
  });

  it('never counts past the ordered quantity, whatever the sequence of scans', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(4), fc.integer({ min: 1, max: 4 })), { maxLength: 40 }),
        (expected, scans) => {
          let state: ConferenceLine[] = expected.map((q, i) => ({
            line: i + 1,
            sku: `SKU-${i}`,
            ean: '',
            description: '',
            expected: q,
            counted: 0,
          }));
          for (const [index, quantity] of scans) {
            const outcome = scan(state, { sku: `SKU-${index}` }, quantity);
            if (outcome.ok)
              state = state.map((l) =>
                l.line === outcome.line.line ? { ...l, counted: outcome.counted } : l,
              );
          }
          for (const l of state) expect(l.counted).toBeLessThanOrEqual(l.expected);
          expect(isComplete(state)).toBe(missingOf(state).length === 0);
          const totals = totalsOf(state);
          expect(totals.expected - totals.counted).toBe(missingOf(state).reduce((s, m) => s + m.missing, 0));
        },
      ),
    );
  });
});
