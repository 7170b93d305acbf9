import type { TFunction } from 'i18next';
import { ApiError, type FieldError } from './api.ts';

/** An API failure in words a store clerk understands: the code's own sentence, else one per status. */
export function describeError(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.generic');
  const { code, status } = error.problem;
  const own = code ? t(`errors.codes.${code}`, { defaultValue: '' }) : '';
  if (own) return own;
  if (status === 0) return t('errors.network');
  if (status === 403) return t('errors.forbidden');
  if (status === 404) return t('errors.notFound');
  if (status === 409) return t('errors.conflict');
  if (status === 422 || status === 400) return t('errors.invalid');
  if (status === 429) return t('errors.tooMany');
  return t('errors.generic');
}

/**
 * One field error in the user's words: the catalogue's sentence for its code (`fields.CONTEXT.REASON`), with
 * the server's params interpolated; the server's English only for a code the catalogue does not know yet.
 */
export function describeField(t: TFunction, error: FieldError): string {
  return t(`fields.${error.code}`, { ...error.params, defaultValue: '' }) || error.message;
}

/** The field errors of a 422 in the user's words, by JSON pointer, for forms to show beside their inputs. */
export function fieldErrors(t: TFunction, error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries((error.problem.errors ?? []).map((e) => [e.path, describeField(t, e)]));
}

/** The field errors of a 422 by a form's own keys (the pointer's first segment), for flat forms. */
export function fieldErrorsByKey<K extends string>(
  t: TFunction,
  error: unknown,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const byKey: Partial<Record<K, string>> = {};
  for (const fe of fieldErrorsOf(error)) {
    const key = fe.path.replace(/^\//, '').split('/')[0] as K;
    if (keys.includes(key) && !byKey[key]) byKey[key] = describeField(t, fe);
  }
  return byKey;
}

/** The field errors of a 422 as sent (path, code, params), for screens that place them themselves. */
export function fieldErrorsOf(error: unknown): FieldError[] {
  return error instanceof ApiError ? (error.problem.errors ?? []) : [];
}

/**
 * A refusal kept for later (a POS upload the server refused): its own sentence, then each field's, in the
 * `ns` screen's catalogue (`<ns>.errors.<code>`, `<ns>.fields.<code>`); the server's English only for a code
 * the catalogue does not know.
 */
export function refusalLines(
  t: TFunction,
  ns: string,
  refusal: {
    code: string | null;
    message: string;
    errors?: readonly { code?: string; message?: string; params?: object }[];
  },
): string[] {
  const head = refusal.code
    ? t(`${ns}.errors.${refusal.code}`, { defaultValue: refusal.message })
    : refusal.message;
  const fields = (refusal.errors ?? []).map((f) =>
    f.code
      ? t(`${ns}.fields.${f.code}`, { ...f.params, defaultValue: f.message ?? f.code })
      : (f.message ?? ''),
  );
  return [...new Set([head, ...fields].filter(Boolean))];
}
