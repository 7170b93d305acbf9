import type { TFunction } from 'i18next';
import { ApiError } from './api.ts';

/** An API failure in words a store clerk understands: the code's own sentence, else one per status. */
export function describeError(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.generic');
  const { code, status } = error.problem;
  if (code && t(`errors.codes.${code}`, { defaultValue: '' })) return t(`errors.codes.${code}`);
  if (status === 0) return t('errors.network');
  if (status === 403) return t('errors.forbidden');
  if (status === 404) return t('errors.notFound');
  if (status === 409) return t('errors.conflict');
  if (status === 422 || status === 400) return t('errors.invalid');
  if (status === 429) return t('errors.tooMany');
  return t('errors.generic');
}

/** The field messages of a 422, by JSON pointer, for forms to show beside their inputs. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries((error.problem.errors ?? []).map((e) => [e.path, e.message]));
}
