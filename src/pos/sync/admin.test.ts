import { describe, expect, it } from 'vitest';
import { effectiveInterval, isStale, nextAllowedAt } from './admin.ts';
import { dataTypeOf } from './domain.ts';

const MINUTE = 60_000;
const prices = dataTypeOf('prices')!;

describe('the interval in force (LoteAgendamento)', () => {
  const rows = [
    { storeId: null, dataType: 'prices', minutes: 30 },
    { storeId: 's11', dataType: 'prices', minutes: 15 },
    { storeId: 's8', dataType: 'stock', minutes: 5 },
  ];
  it('is the store’s own, else the network’s, else the seed’s default', () => {
    expect(effectiveInterval(prices, rows, 's11')).toEqual({ minutes: 15, from: 'store' });
    expect(effectiveInterval(prices, rows, 's8')).toEqual({ minutes: 30, from: 'network' });
    expect(effectiveInterval(prices, rows, null)).toEqual({ minutes: 30, from: 'network' });
    expect(effectiveInterval(prices, [], 's11')).toEqual({ minutes: 60, from: 'default' });
  });
});

describe('the next release of a type (LoteControle)', () => {
  const at = new Date('2026-12-01T12:00:00Z');
  it('counts the interval from the last download', () => {
    expect(nextAllowedAt({ lastDownloadAt: at, fullLoadRequested: false }, 60, false)).toEqual(
      new Date('2026-12-01T13:00:00Z'),
    );
  });
  it('is the next poll for a store never served, asked for a full load, or in the exception list', () => {
    expect(nextAllowedAt(undefined, 60, false)).toBeNull();
    expect(nextAllowedAt({ lastDownloadAt: null, fullLoadRequested: false }, 60, false)).toBeNull();
    expect(nextAllowedAt({ lastDownloadAt: at, fullLoadRequested: true }, 60, false)).toBeNull();
    expect(nextAllowedAt({ lastDownloadAt: at, fullLoadRequested: false }, 60, true)).toBeNull();
  });
  it('calls a type stale once it missed two intervals, never under ten minutes', () => {
    const now = new Date(at.getTime() + 121 * MINUTE);
    expect(isStale(null, 60, now)).toBe(true);
    expect(isStale(at, 60, now)).toBe(true);
    expect(isStale(at, 61, now)).toBe(false);
    expect(isStale(at, 0, new Date(at.getTime() + 9 * MINUTE))).toBe(false);
    expect(isStale(at, 0, new Date(at.getTime() + 11 * MINUTE))).toBe(true);
  });
});
