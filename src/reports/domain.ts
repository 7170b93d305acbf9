import type { FieldError } from '../platform/errors.ts';

/**
 * The channel report (seeds 000 §3.4.3, "Consulta Analítica - Canal de Venda"): sales made at the POS have the
 * channel "PDV", those of the e-commerce "Omni". Pure: the period's rules.
 */

export const salesChannels = ['omni', 'pos'] as const;
export type SalesChannel = (typeof salesChannels)[number];

/** Without a period the report shows the last 30 days, today included. */
export const DEFAULT_DAYS = 30;
/** A year (a leap one too) at most. */
export const MAX_DAYS = 366;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** A calendar date as UTC midnight, or null when the text is not one (2026-02-30 is not). */
function parseDay(text: string): Date | null {
  const m = DAY.exec(text);
  if (!m) return null;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return at.toISOString().slice(0, 10) === text ? at : null;
}

export const addDays = (day: string, n: number): string =>
  new Date(parseDay(day)!.getTime() + n * MS_PER_DAY).toISOString().slice(0, 10);

export const daysBetween = (from: string, to: string): number =>
  Math.round((parseDay(to)!.getTime() - parseDay(from)!.getTime()) / MS_PER_DAY) + 1;

/**
 * The period asked for, both ends included: `to` defaults to today (São Paulo), `from` to 30 days before `to`;
 * `from` after `to` or more than 366 days are field errors.
 */
export function periodOf(
  query: { from?: string; to?: string },
  today: string,
): { period?: { from: string; to: string }; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const to = query.to ?? (query.from && parseDay(query.from) ? addDays(query.from, DEFAULT_DAYS - 1) : today);
  const from = query.from ?? (parseDay(to) ? addDays(to, -(DEFAULT_DAYS - 1)) : today);
  for (const [path, value] of [
    ['/from', from],
    ['/to', to],
  ] as const)
    if (!parseDay(value))
      errors.push({ path, code: 'REPORT.DATE_INVALID', message: 'must be a date YYYY-MM-DD' });
  if (errors.length) return { errors };
  if (from > to)
    errors.push({ path: '/from', code: 'REPORT.PERIOD_REVERSED', message: 'must not be after to' });
  else if (daysBetween(from, to) > MAX_DAYS)
    errors.push({
      path: '/to',
      code: 'REPORT.PERIOD_TOO_LONG',
      params: { max: MAX_DAYS },
      message: `must be at most ${MAX_DAYS} days after from`,
    });
  return errors.length ? { errors } : { period: { from, to }, errors };
}
