import { describe, expect, it } from 'vitest';
import {
  comparePositions,
  dataTypeOf,
  decodeCursor,
  effectiveMinutes,
  encodeCursor,
  isDue,
  nextAllowedAt,
} from './domain.ts';

const at = (iso: string) => new Date(iso);
const last = at('2026-12-07T10:00:00Z');

describe('the due rule (LoteAgendamento, LoteControle, LoteExcecao)', () => {
  const base = { lastDownloadAt: last, minutes: 60, exception: false, fullLoadRequested: false };

  it('is due on the first download, when no control row exists yet', () => {
    expect(isDue({ ...base, lastDownloadAt: null, now: last })).toBe(true);
  });

  it('waits the interval from the last download, then is due', () => {
    expect(isDue({ ...base, now: at('2026-12-07T10:59:59Z') })).toBe(false);
    expect(isDue({ ...base, now: at('2026-12-07T11:00:00Z') })).toBe(true);
    expect(nextAllowedAt(base)?.toISOString()).toBe('2026-12-07T11:00:00.000Z');
  });

  it('is always due for a store in the exception list, which has no next time', () => {
    expect(isDue({ ...base, exception: true, now: last })).toBe(true);
    expect(nextAllowedAt({ ...base, exception: true })).toBeNull();
  });

  it('is due when support asked a full load', () => {
    expect(isDue({ ...base, fullLoadRequested: true, now: last })).toBe(true);
  });

  it('takes the store’s interval, else the network’s, else the seed’s', () => {
    const prices = dataTypeOf('prices')!;
    expect(effectiveMinutes(prices, null, null)).toEqual({ minutes: 60, from: 'default' });
    expect(effectiveMinutes(prices, 30, null)).toEqual({ minutes: 30, from: 'network' });
    expect(effectiveMinutes(prices, 30, 5)).toEqual({ minutes: 5, from: 'store' });
  });
});

describe('the cursor', () => {
  it('round-trips a position as an opaque base64url string', () => {
    const c = encodeCursor({ xid: 987654, seq: 321 });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual({ xid: 987654, seq: 321 });
  });

  it('refuses what this server did not issue', () => {
    expect(decodeCursor('')).toBeUndefined();
    expect(decodeCursor('not a cursor!')).toBeUndefined();
    expect(decodeCursor(Buffer.from('12.34').toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('ps1.-1.2').toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('ps1.01.2').toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('ps1.99999999999999999.2').toString('base64url'))).toBeUndefined();
  });

  it('orders positions by transaction, then sequence', () => {
    expect(comparePositions({ xid: 1, seq: 9 }, { xid: 2, seq: 1 })).toBe(-1);
    expect(comparePositions({ xid: 2, seq: 3 }, { xid: 2, seq: 1 })).toBe(1);
    expect(comparePositions({ xid: 2, seq: 1 }, { xid: 2, seq: 1 })).toBe(0);
  });
});
