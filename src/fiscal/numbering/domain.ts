/**
 * Voiding numbers (inutilização, MOC 7.0 §4.5): the rules a range must meet before it is signed and sent
 * to NFeInutilizacao4, and the gaps of a series. Pure: the store reads the facts, these decide.
 *
 * A number is used by a document in any status but `rejected`: SEFAZ holds an authorised, cancelled or
 * denied one, and a `sending`, `unsent` or `contingency` one is on its way. A rejected document's number
 * is still free (SEFAZ never accepted it) and is reused when its reference issues again; voiding it
 * abandons that document: issuing again for its reference takes a new number.
 */
import { fail, ok, type Result } from '../../platform/errors.ts';
import type { VoidedRangeStatus } from '../domain.ts';
import { JUSTIFICATION_MAX, JUSTIFICATION_MIN } from '../xml/index.ts';

export type { VoidedRangeStatus, VoidOrigin } from '../domain.ts';

/**
 * Numbers per request. The MOC leaves the limit to each authoriser (rejection 201, "Número máximo de
 * numeração a inutilizar ultrapassou o limite"); 10,000 is the one the authorisers publish, so a wider
 * range is refused here rather than by SEFAZ.
 */
export const MAX_RANGE_WIDTH = 10_000;

/** The justification of the night job's requests (xJust, pt-BR as SEFAZ reads it). */
export const AUTOMATIC_JUSTIFICATION =
  'Numeracao nao utilizada: lacuna da serie inutilizada automaticamente pelo Omnihub';

export interface RangeRequest {
  model: number;
  series: number;
  from: number;
  to: number;
  justification: string;
}

/** What the store knows about the series when a range is asked for. */
export interface SeriesFacts {
  /** The counter's last number (0 when the series never issued). */
  lastNumber: number;
  /** Documents inside the range whose number is used (status other than rejected). */
  usedInRange: readonly { number: number; status: string }[];
  /** Ranges already voided or on their way to SEFAZ that share a number with the request. */
  overlapping: readonly { from: number; to: number; status: VoidedRangeStatus }[];
  /** The highest number of a document issued before this year began (Brasília), if any. */
  lastNumberOfEarlierYears: number | null;
}

/** The shape of a request: model, series, numbers, width and justification (422 on any). */
export function checkRequest(input: RangeRequest): Result<RangeRequest> {
  const errors: { path: string; code: string; params?: Record<string, unknown>; message: string }[] = [];
  const justification = input.justification.trim().replace(/\s+/g, ' ');
  if (input.model !== 55 && input.model !== 65)
    errors.push({ path: '/model', code: 'FISCAL.MODEL_INVALID', message: 'model is 55 or 65' });
  if (!Number.isInteger(input.series) || input.series < 0 || input.series > 999)
    errors.push({ path: '/series', code: 'FISCAL.SERIES_INVALID', message: 'series is 0 to 999' });
  if (!Number.isInteger(input.from) || input.from < 1 || input.from > 999_999_999)
    errors.push({ path: '/from', code: 'FISCAL.NUMBER_INVALID', message: 'numbers are 1 to 999999999' });
  if (!Number.isInteger(input.to) || input.to < 1 || input.to > 999_999_999)
    errors.push({ path: '/to', code: 'FISCAL.NUMBER_INVALID', message: 'numbers are 1 to 999999999' });
  else if (input.to < input.from)
    // Rejection 224, "A faixa inicial é maior que a faixa final".
    errors.push({
      path: '/to',
      code: 'FISCAL.RANGE_REVERSED',
      message: 'the last number is below the first',
    });
  if (justification.length < JUSTIFICATION_MIN || justification.length > JUSTIFICATION_MAX)
    errors.push({
      path: '/justification',
      code: 'FISCAL.JUSTIFICATION_LENGTH',
      params: { min: JUSTIFICATION_MIN, max: JUSTIFICATION_MAX },
      message: `must have ${JUSTIFICATION_MIN} to ${JUSTIFICATION_MAX} characters`,
    });
  if (errors.length > 0)
    return fail('invalid', 'FISCAL.VOID_INVALID', 'The range cannot be voided as asked.', { errors });
  if (input.to - input.from + 1 > MAX_RANGE_WIDTH)
    return fail(
      'invalid',
      'FISCAL.VOID_TOO_WIDE',
      `SEFAZ voids at most ${MAX_RANGE_WIDTH} numbers per request (rejection 201): split the range.`,
      { data: { max: MAX_RANGE_WIDTH, width: input.to - input.from + 1 } },
    );
  return ok({ ...input, justification });
}

/** Whether the series allows voiding the range now (409/422 with what stands in the way). */
export function checkAgainstSeries(input: RangeRequest, facts: SeriesFacts): Result<void> {
  if (input.to > facts.lastNumber)
    return fail(
      'invalid',
      'FISCAL.VOID_BEYOND_COUNTER',
      `The series has issued up to ${facts.lastNumber}: numbers it has not reached are not voided.`,
      { data: { lastNumber: facts.lastNumber } },
    );
  if (facts.lastNumberOfEarlierYears !== null && input.from <= facts.lastNumberOfEarlierYears)
    return fail(
      'invalid',
      'FISCAL.VOID_OTHER_YEAR',
      `Numbers up to ${facts.lastNumberOfEarlierYears} belong to an earlier year: only this year's numbers are voided here.`,
      { data: { lastNumberOfEarlierYears: facts.lastNumberOfEarlierYears } },
    );
  if (facts.usedInRange.length > 0)
    return fail(
      'conflict',
      'FISCAL.VOID_NUMBER_USED',
      `Number ${facts.usedInRange[0]!.number} of the range has a document (${facts.usedInRange[0]!.status}).`,
      { data: { used: facts.usedInRange.slice(0, 20) } },
    );
  if (facts.overlapping.length > 0)
    return fail(
      'conflict',
      'FISCAL.VOID_OVERLAP',
      `Numbers ${facts.overlapping[0]!.from}–${facts.overlapping[0]!.to} are already voided or being voided.`,
      { data: { ranges: facts.overlapping.slice(0, 20) } },
    );
  return ok(undefined);
}

/** A run of numbers without a valid document, and since when it is known to be one. */
export interface Gap {
  from: number;
  to: number;
  /** Null when nothing dates it (no later document and no rejected one). */
  since: Date | null;
}

/** Splits a gap into requests SEFAZ accepts (at most MAX_RANGE_WIDTH numbers each). */
export function chunks(gap: { from: number; to: number }): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (let from = gap.from; from <= gap.to; from += MAX_RANGE_WIDTH)
    out.push({ from, to: Math.min(gap.to, from + MAX_RANGE_WIDTH - 1) });
  return out;
}

/** The gaps the night job voids: dated, and older than `days` at `now`. */
export const agedGaps = (gaps: readonly Gap[], days: number, now: Date): Gap[] =>
  days <= 0
    ? []
    : gaps.filter((g) => g.since !== null && now.getTime() - g.since.getTime() >= days * 86_400_000);

/** The Brasília calendar year (UTC−3) of an instant. */
export const brasiliaYear = (at: Date): number => new Date(at.getTime() - 3 * 3_600_000).getUTCFullYear();

/** The instant the Brasília year of `at` began. */
export const startOfBrasiliaYear = (at: Date): Date => new Date(Date.UTC(brasiliaYear(at), 0, 1, 3, 0, 0));
