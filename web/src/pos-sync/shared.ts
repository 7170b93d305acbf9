import type { TFunction } from 'i18next';
import type { ResponseOf } from '../api/types.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { describeField, fieldErrorsOf, refusalLines } from '../errors.ts';

export type StoreRow = ResponseOf<'/api/v1/pos-sync/stores', 'get'>['items'][number];
export type StoreDetail = ResponseOf<'/api/v1/pos-sync/stores/{storeCode}', 'get'>;
export type Download = StoreDetail['downloads'][number];
export type Rejection = StoreDetail['rejections'][number];
export type DataTypeRow = ResponseOf<'/api/v1/pos-sync/data-types', 'get'>['items'][number];

export const base = '/api/v1/pos-sync';

/** The line of feedback a screen shows after a change. */
export type Feedback = { kind: 'success' | 'error'; text: string } | null;

/** A data type's name in Portuguese (its code when the catalogue lacks it). */
export const typeName = (t: TFunction, code: string) => t(`posSync.types.${code}`, { defaultValue: code });

/** An API failure in this screen's words. */
export const describe = (t: TFunction, error: unknown) => describeErrorIn(t, error, 'posSync');

/** The 422's field errors by their first path segment, this screen's sentences first. */
export function fieldMessages(t: TFunction, error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const fe of fieldErrorsOf(error)) {
    const key = fe.path.replace(/^\//, '').split('/')[0] ?? '';
    if (out[key]) continue;
    out[key] = t(`posSync.fields.${fe.code}`, { ...fe.params, defaultValue: '' }) || describeField(t, fe);
  }
  return out;
}

/** A refused upload's reasons in the screen's words (the field errors the POS was answered are in `details`). */
export function rejectionReasons(t: TFunction, r: Rejection): string[] {
  const details = r.details as { errors?: { code?: string; message?: string; params?: object }[] } | null;
  return refusalLines(t, 'posSync', {
    code: r.code,
    message: r.message,
    errors: Array.isArray(details?.errors) ? details.errors : [],
  });
}
