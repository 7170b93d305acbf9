import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agedGaps,
  brasiliaYear,
  checkAgainstSeries,
  checkRequest,
  chunks,
  MAX_RANGE_WIDTH,
  startOfBrasiliaYear,
} from './domain.ts';

const request = { model: 55, series: 1, from: 10, to: 12, justification: 'Numeracao pulada por falha' };
const facts = { lastNumber: 20, usedInRange: [], overlapping: [], lastNumberOfEarlierYears: null };
const code = (r: { ok: boolean; failure?: { code: string } }) => (r.ok ? 'ok' : r.failure?.code);

describe('a range to void', () => {
  it('takes model 55/65, a series 0–999, ends in order, 15–255 characters of justification', () => {
    expect(code(checkRequest(request))).toBe('ok');
    expect(code(checkRequest({ ...request, model: 57 }))).toBe('FISCAL.VOID_INVALID');
    expect(code(checkRequest({ ...request, series: 1000 }))).toBe('FISCAL.VOID_INVALID');
    expect(code(checkRequest({ ...request, from: 12, to: 10 }))).toBe('FISCAL.VOID_INVALID');
    expect(code(checkRequest({ ...request, justification: '  curta   demais ' }))).toBe(
      'FISCAL.VOID_INVALID',
    );
    expect(code(checkRequest({ ...request, justification: 'x'.repeat(256) }))).toBe('FISCAL.VOID_INVALID');
  });

  it('is at most 10,000 numbers (rejection 201)', () => {
    expect(code(checkRequest({ ...request, from: 1, to: MAX_RANGE_WIDTH }))).toBe('ok');
    expect(code(checkRequest({ ...request, from: 1, to: MAX_RANGE_WIDTH + 1 }))).toBe('FISCAL.VOID_TOO_WIDE');
  });

  it('stays within the counter and this year, off documents and off other voided ranges', () => {
    expect(code(checkAgainstSeries(request, facts))).toBe('ok');
    expect(code(checkAgainstSeries(request, { ...facts, lastNumber: 11 }))).toBe(
      'FISCAL.VOID_BEYOND_COUNTER',
    );
    expect(code(checkAgainstSeries(request, { ...facts, lastNumberOfEarlierYears: 10 }))).toBe(
      'FISCAL.VOID_OTHER_YEAR',
    );
    expect(code(checkAgainstSeries(request, { ...facts, lastNumberOfEarlierYears: 9 }))).toBe('ok');
    expect(
      code(checkAgainstSeries(request, { ...facts, usedInRange: [{ number: 11, status: 'authorised' }] })),
    ).toBe('FISCAL.VOID_NUMBER_USED');
    expect(
      code(checkAgainstSeries(request, { ...facts, overlapping: [{ from: 12, to: 15, status: 'voided' }] })),
    ).toBe('FISCAL.VOID_OVERLAP');
  });
});

describe('the night job’s arithmetic', () => {
  it('splits a gap into requests of at most 10,000 numbers that cover it exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 900_000_000 }),
        fc.integer({ min: 0, max: 45_000 }),
        (from, width) => {
          const parts = chunks({ from, to: from + width });
          expect(parts[0]!.from).toBe(from);
          expect(parts.at(-1)!.to).toBe(from + width);
          for (const [i, p] of parts.entries()) {
            expect(p.to - p.from + 1).toBeLessThanOrEqual(MAX_RANGE_WIDTH);
            if (i > 0) expect(p.from).toBe(parts[i - 1]!.to + 1);
          }
        },
      ),
    );
  });

  it('takes only dated gaps at least the parameter’s days old, none when it is 0', () => {
    const now = new Date('2026-12-06T06:00:00Z');
    const gaps = [
      { from: 1, to: 2, since: new Date('2026-11-28T06:00:00Z') },
      { from: 4, to: 4, since: new Date('2026-12-05T06:00:00Z') },
      { from: 6, to: 9, since: null },
    ];
    expect(agedGaps(gaps, 7, now).map((g) => g.from)).toEqual([1]);
    expect(agedGaps(gaps, 1, now).map((g) => g.from)).toEqual([1, 4]);
    expect(agedGaps(gaps, 0, now)).toEqual([]);
  });

  it('counts the year in Brasília (UTC−3)', () => {
    expect(brasiliaYear(new Date('2027-01-01T02:59:00Z'))).toBe(2026);
    expect(brasiliaYear(new Date('2027-01-01T03:00:00Z'))).toBe(2027);
    expect(startOfBrasiliaYear(new Date('2026-07-01T12:00:00Z')).toISOString()).toBe(
      '2026-01-01T03:00:00.000Z',
    );
  });
});
