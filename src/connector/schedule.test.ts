import { describe, expect, it } from 'vitest';
import { firstRun, nextCronTime, nextPeriodTime, nextRun, parseCron } from './schedule.ts';

const at = (iso: string) => new Date(iso);
const cron = (expression: string) => {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.cron;
};

describe('interface schedules', () => {
  it('a period runs on the grid of its previous time, once however late the tick', () => {
    const due = at('2026-03-02T12:00:00Z');
    expect(nextPeriodTime(due, 2, at('2026-03-02T12:00:05Z'))).toEqual(at('2026-03-02T12:02:00Z'));
    // Down for 7 minutes: one run now, the next on the grid after now (no catching up).
    expect(nextPeriodTime(due, 2, at('2026-03-02T12:07:30Z'))).toEqual(at('2026-03-02T12:08:00Z'));
    expect(nextPeriodTime(due, 2, at('2026-03-02T12:02:00Z'))).toEqual(at('2026-03-02T12:04:00Z'));
  });

  it('cron reads Brasília time (UTC−3)', () => {
    // 03:00 in Brasília is 06:00 UTC.
    expect(nextCronTime(cron('0 3 * * *'), at('2026-03-02T10:00:00Z'))).toEqual(at('2026-03-03T06:00:00Z'));
    expect(nextCronTime(cron('*/15 * * * *'), at('2026-03-02T10:07:10Z'))).toEqual(
      at('2026-03-02T10:15:00Z'),
    );
    // Strictly after: a tick exactly on time moves to the next slot.
    expect(nextCronTime(cron('*/15 * * * *'), at('2026-03-02T10:15:00Z'))).toEqual(
      at('2026-03-02T10:30:00Z'),
    );
  });

  it('cron fields: ranges, steps, lists, weekdays (7 is Sunday), day-or-weekday when both are set', () => {
    // Monday 2 March 2026; weekdays 1-5 at 08:30 → Tuesday 08:30 Brasília after Monday noon.
    expect(nextCronTime(cron('30 8 * * 1-5'), at('2026-03-02T15:00:00Z'))).toEqual(
      at('2026-03-03T11:30:00Z'),
    );
    // Sundays only (7): the 8th.
    expect(nextCronTime(cron('0 0 * * 7'), at('2026-03-02T15:00:00Z'))).toEqual(at('2026-03-08T03:00:00Z'));
    // The 15th or any Sunday, whichever first: Sunday the 8th.
    expect(nextCronTime(cron('0 0 15 * 0'), at('2026-03-02T15:00:00Z'))).toEqual(at('2026-03-08T03:00:00Z'));
    expect(nextCronTime(cron('0 12 1 1,7 *'), at('2026-03-02T15:00:00Z'))).toEqual(
      at('2026-07-01T15:00:00Z'),
    );
    expect(nextCronTime(cron('0 0 30 2 *'), at('2026-03-02T15:00:00Z'))).toBeNull();
  });

  it('refuses what it does not support, saying which field', () => {
    expect(parseCron('* * * *')).toMatchObject({ ok: false });
    expect(parseCron('60 * * * *')).toEqual({ ok: false, error: 'minute: "60" is outside 0-59' });
    expect(parseCron('0 0 * * MON')).toMatchObject({
      ok: false,
      error: expect.stringContaining('day of week'),
    });
    expect(parseCron('0 0 L * *')).toMatchObject({ ok: false });
  });

  it('a new schedule starts one period from now; neither minutes nor cron: only when asked', () => {
    const now = at('2026-03-02T12:00:00Z');
    expect(firstRun({ scheduleMinutes: 30, cron: null }, now)).toEqual(at('2026-03-02T12:30:00Z'));
    expect(firstRun({ scheduleMinutes: null, cron: '0 * * * *' }, now)).toEqual(at('2026-03-02T13:00:00Z'));
    expect(firstRun({ scheduleMinutes: null, cron: null }, now)).toBeNull();
    expect(nextRun({ scheduleMinutes: 10, cron: null }, now, at('2026-03-02T12:00:01Z'))).toEqual(
      at('2026-03-02T12:10:00Z'),
    );
  });
});
