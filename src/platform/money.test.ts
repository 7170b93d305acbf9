import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsOf, fromCents, MAX_CENTS, normaliseMoney, parseMoney, toCents } from './money.ts';

const cents = fc.bigInt({ min: -MAX_CENTS, max: MAX_CENTS });

describe('money', () => {
  it('round-trips every amount a numeric(14,2) column holds through its string', () => {
    fc.assert(
      fc.property(cents, (c) => {
        expect(toCents(fromCents(c))).toBe(c);
        expect(parseMoney(fromCents(c))).toBe(c);
        expect(centsOf(fromCents(c))).toBe(c);
      }),
    );
  });

  it('writes two places, whatever the amount', () => {
    fc.assert(
      fc.property(cents, (c) => {
        expect(fromCents(c)).toMatch(/^-?(0|[1-9][0-9]*)\.[0-9]{2}$/);
      }),
    );
    expect(fromCents(0n)).toBe('0.00');
    expect(fromCents(5n)).toBe('0.05');
    expect(fromCents(-12_990n)).toBe('-129.90');
    expect(fromCents(123_456_789_012_345n)).toBe('1234567890123.45');
  });

  it('refuses what is not a money string: parseMoney answers null, toCents throws', () => {
    for (const bad of ['', '1', '1.5', '1.234', '1,50', ' 1.50', '1e2', '--1.00', '1234567890123.00', 'NaN'])
      expect(parseMoney(bad), bad).toBeNull();
    expect(() => toCents('12.5')).toThrow(/Not a money string/);
  });

  it('reads the database numeric as any driver answers it', () => {
    expect(centsOf('199.90')).toBe(19_990n);
    expect(centsOf('0.5')).toBe(50n);
    expect(centsOf('7')).toBe(700n);
    expect(centsOf(12)).toBe(1_200n);
    expect(centsOf(' 3.10 ')).toBe(310n);
    expect(() => centsOf('1.234')).toThrow(RangeError);
    expect(normaliseMoney('59.9')).toBe('59.90');
    expect(normaliseMoney('7')).toBe('7.00');
    expect(normaliseMoney(12.5)).toBe('12.50');
    fc.assert(
      fc.property(cents, (c) => {
        expect(normaliseMoney(fromCents(c))).toBe(fromCents(c));
      }),
    );
  });
});
