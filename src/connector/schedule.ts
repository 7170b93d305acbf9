/**
 * When an interface runs next (issue 16 §2). Pure: no db, no clock of its own.
 *
 * A schedule is either a period in minutes (the seed's "a cada N minutos") or a cron expression of five
 * fields — minute, hour, day of month, month, day of week — read in Brasília time (UTC−3: Brazil has had no
 * daylight saving since 2019). Each field takes `*`, a number, a range `a-b`, a step `*\/n` or `a-b/n`, and
 * lists of those separated by commas; names (`MON`, `JAN`) and the `L`/`W`/`#` extensions are not supported.
 * Neither: the interface runs only when asked ("sob demanda", or called by the satellite system).
 */

export interface Schedule {
  scheduleMinutes: number | null;
  cron: string | null;
}

/** The longest period in minutes: a week. */
export const MAX_SCHEDULE_MINUTES = 7 * 24 * 60;

const BRASILIA_OFFSET_MS = -3 * 3_600_000;

interface Field {
  name: string;
  min: number;
  max: number;
}
const fields: Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

/** A parsed cron expression: the allowed values of each field, and whether the day fields were `*`. */
export interface Cron {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  anyDay: boolean;
  anyWeekday: boolean;
}

export type CronParse = { ok: true; cron: Cron } | { ok: false; error: string };

function parseField(text: string, f: Field): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return `${f.name}: "${part}" is not a number, range, step or *`;
    const from = m[1] === '*' ? f.min : Number(m[2]);
    const to = m[1] === '*' ? f.max : m[3] !== undefined ? Number(m[3]) : m[4] ? f.max : from;
    const step = m[4] ? Number(m[4]) : 1;
    if (from < f.min || to > f.max || from > to || step < 1)
      return `${f.name}: "${part}" is outside ${f.min}-${f.max}`;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): CronParse {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5)
    return { ok: false, error: 'a cron expression has 5 fields: minute hour day month weekday' };
  const sets: Set<number>[] = [];
  for (const [i, part] of parts.entries()) {
    const parsed = parseField(part, fields[i]!);
    if (typeof parsed === 'string') return { ok: false, error: parsed };
    sets.push(parsed);
  }
  const weekdays = sets[4]!;
  if (weekdays.has(7)) weekdays.add(0); // 7 is Sunday too
  return {
    ok: true,
    cron: {
      minutes: sets[0]!,
      hours: sets[1]!,
      days: sets[2]!,
      months: sets[3]!,
      weekdays,
      anyDay: parts[2] === '*',
      anyWeekday: parts[4] === '*',
    },
  };
}

/** Whether a Brasília wall-clock minute (given as a UTC-based Date shifted by the offset) matches. */
function matches(c: Cron, local: Date): boolean {
  if (!c.minutes.has(local.getUTCMinutes()) || !c.hours.has(local.getUTCHours())) return false;
  if (!c.months.has(local.getUTCMonth() + 1)) return false;
  const day = c.days.has(local.getUTCDate());
  const weekday = c.weekdays.has(local.getUTCDay());
  // As in cron: when both day fields are restricted, either one matching is enough.
  if (!c.anyDay && !c.anyWeekday) return day || weekday;
  return day && weekday;
}

/** The first minute strictly after `after` that the expression names; null when none within ~4 years. */
export function nextCronTime(c: Cron, after: Date): Date | null {
  const start = Math.floor((after.getTime() + BRASILIA_OFFSET_MS) / 60_000) * 60_000 + 60_000;
  let t = start;
  const limit = start + 4 * 366 * 24 * 3_600_000;
  while (t < limit) {
    const local = new Date(t);
    if (!c.months.has(local.getUTCMonth() + 1)) {
      // Jump to the first minute of the next month.
      t = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1);
      continue;
    }
    if (!c.hours.has(local.getUTCHours())) {
      t = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), local.getUTCHours() + 1);
      continue;
    }
    if (matches(c, local)) return new Date(t - BRASILIA_OFFSET_MS);
    t += 60_000;
  }
  return null;
}

/**
 * The next run after `now` for a schedule in minutes, on the grid of the previous due time: a tick that
 * comes late (or a process that was down for hours) runs once and lands on the next slot after now, never
 * catching up with one run per missed period.
 */
export function nextPeriodTime(previousDue: Date, minutes: number, now: Date): Date {
  const period = minutes * 60_000;
  const missed = Math.max(0, Math.floor((now.getTime() - previousDue.getTime()) / period));
  return new Date(previousDue.getTime() + (missed + 1) * period);
}

/** When a schedule first runs from now (a new or changed schedule), or null when it has none. */
export function firstRun(s: Schedule, now: Date): Date | null {
  if (s.scheduleMinutes) return new Date(now.getTime() + s.scheduleMinutes * 60_000);
  if (s.cron) {
    const parsed = parseCron(s.cron);
    return parsed.ok ? nextCronTime(parsed.cron, now) : null;
  }
  return null;
}

/** The next run of a schedule whose time `due` has come, seen at `now`. */
export function nextRun(s: Schedule, due: Date, now: Date): Date | null {
  if (s.scheduleMinutes) return nextPeriodTime(due, s.scheduleMinutes, now);
  return firstRun(s, now);
}
