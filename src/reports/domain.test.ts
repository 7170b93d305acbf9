import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, periodOf } from './domain.ts';

describe('the period of the channel report', () => {
  const today = '2026-12-06';

  it('defaults to the last 30 days, today included, and follows the one end given', () => {
    expect(periodOf({}, today).period).toEqual({ from: '2026-11-07', to: today });
    expect(periodOf({ to: '2026-03-01' }, today).period).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(periodOf({ from: '2026-01-01' }, today).period).toEqual({ from: '2026-01-01', to: '2026-01-30' });
    expect(daysBetween('2026-11-07', today)).toBe(30);
  });

  it('takes up to 366 days and names the field it refuses', () => {
    expect(periodOf({ from: '2024-01-01', to: '2024-12-31' }, today).period).toBeDefined();
    const paths = (q: { from?: string; to?: string }) =>
      periodOf(q, today).errors.map((e) => `${e.path} ${e.code}`);
    expect(paths({ from: '2024-01-01', to: '2025-01-01' })).toEqual(['/to REPORT.PERIOD_TOO_LONG']);
    expect(paths({ from: '2026-02-30' })).toEqual(['/from REPORT.DATE_INVALID']);
    expect(paths({ from: '2026-05-02', to: '2026-05-01' })).toEqual(['/from REPORT.PERIOD_REVERSED']);
    expect(paths({ to: '2026-13-01' })).toEqual(['/to REPORT.DATE_INVALID']);
  });

  it('counts calendar days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });
});
