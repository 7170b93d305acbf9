import type { TFunction } from 'i18next';
import { ApiError } from '../api.ts';
import { describeError } from '../errors.ts';

/**
 * describeError, but a screen's own catalogue (`catalog.errors`, `network.errors`) speaks first for the
 * codes only that screen meets.
 */
export function describeErrorIn(t: TFunction, error: unknown, namespace: string): string {
  if (error instanceof ApiError && error.code) {
    const own = t(`${namespace}.errors.${error.code}`, { defaultValue: '' });
    if (own) return own;
  }
  return describeError(t, error);
}
