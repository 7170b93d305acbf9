import { describe, expect, it } from 'vitest';
import { saoPauloDay } from '../platform/format-br.ts';
import {
  countedSpan,
  cursorPosition,
  effectiveFilters,
  nextDay,
  parseBound,
  startOfDay,
} from './queue-rules.ts';

describe('queue rules', () => {
  it('counts days in São Paulo, not in UTC', () => {
    expect(startOfDay('2026-03-10').toISOString()).toBe('2026-03-10T03:00:00.000Z');
    // 01:30 UTC is still the evening before in São Paulo.
    expect(saoPauloDay(new Date('2026-03-11T01:30:00Z'))).toBe('2026-03-10');
    expect(nextDay('2026-02-28')).toBe('2026-03-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('reads a day as the whole day and an instant as given', () => {
    expect(parseBound('2026-03-10', false)?.toISOString()).toBe('2026-03-10T03:00:00.000Z');
    expect(parseBound('2026-03-10', true)?.toISOString()).toBe('2026-03-11T03:00:00.000Z');
    expect(parseBound('2026-03-10T12:00:00Z', false)?.toISOString()).toBe('2026-03-10T12:00:00.000Z');
    expect(parseBound('2026-03-10T12:00:00Z', true)?.toISOString()).toBe('2026-03-10T12:00:00.001Z');
    for (const bad of ['2026-02-30', '2026-13-01', '2026-03-10Tnoon', '0000-01-01']) {
      expect(parseBound(bad, false), bad).toBeNull();
    }
  });

  it('shows today’s open and picking orders when no filter is given', () => {
    const now = new Date('2026-03-11T01:30:00Z');
    expect(effectiveFilters({}, now)).toEqual({
      status: ['open', 'picking'],
      from: '2026-03-10',
      to: '2026-03-10',
    });
    expect(effectiveFilters({ number: 7 }, now)).toEqual({ number: 7 });
    expect(effectiveFilters({ storeCode: ['11'] }, now)).toEqual({ storeCode: ['11'] });
  });

  it('counts a period as its whole São Paulo days and the parts of a day at its ends', () => {
    const at = (iso: string) => new Date(iso);
    // Whole days, as the screen's from/to give them: only days.
    expect(countedSpan(startOfDay('2026-03-01'), startOfDay('2026-03-31'))).toEqual({
      days: { fromDay: '2026-03-01', beforeDay: '2026-03-31' },
      edges: [],
    });
    // Open on either side, or both.
    expect(countedSpan(undefined, undefined)).toEqual({ days: {}, edges: [] });
    expect(countedSpan(startOfDay('2026-03-01'), undefined)).toEqual({
      days: { fromDay: '2026-03-01' },
      edges: [],
    });
    // Instants: the whole days between them, and the two ends from the orders.
    expect(countedSpan(at('2026-03-01T15:00:00Z'), at('2026-03-05T12:00:00Z'))).toEqual({
      days: { fromDay: '2026-03-02', beforeDay: '2026-03-05' },
      edges: [
        { from: at('2026-03-01T15:00:00Z'), before: startOfDay('2026-03-02') },
        { from: startOfDay('2026-03-05'), before: at('2026-03-05T12:00:00Z') },
      ],
    });
    expect(countedSpan(undefined, at('2026-03-05T12:00:00Z'))).toEqual({
      days: { beforeDay: '2026-03-05' },
      edges: [{ from: startOfDay('2026-03-05'), before: at('2026-03-05T12:00:00Z') }],
    });
    // No whole day inside: all from the orders.
    for (const [from, before] of [
      [at('2026-03-01T15:00:00Z'), at('2026-03-01T20:00:00Z')],
      [at('2026-03-01T15:00:00Z'), at('2026-03-02T12:00:00Z')],
    ] as const) {
      expect(countedSpan(from, before)).toEqual({ days: null, edges: [{ from, before }] });
    }
  });

  it('accepts only cursors of the same sort with a well-formed position', () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect(cursorPosition(null, '-placedAt')).toBeNull();
    expect(cursorPosition(['-placedAt', '2026-03-10T12:00:00.000Z', id], '-placedAt')).toEqual({
      value: '2026-03-10T12:00:00.000Z',
      id,
    });
    expect(cursorPosition(['number', 12, id], 'number')).toEqual({ value: 12, id });
    expect(cursorPosition(['-total', '129.90', id], '-total')).toEqual({ value: '129.90', id });
    for (const bad of [
      ['number', 12, id],
      ['-placedAt', 'yesterday', id],
      ['-placedAt', '2026-03-10T12:00:00.000Z', 'x'],
      ['-placedAt', '2026-03-10T12:00:00.000Z'],
    ]) {
      expect(cursorPosition(bad, '-placedAt')).toBe('invalid');
    }
    expect(cursorPosition(['number', 2 ** 40, id], 'number')).toBe('invalid');
    expect(cursorPosition(['total', '1e3', id], 'total')).toBe('invalid');
  });
});
