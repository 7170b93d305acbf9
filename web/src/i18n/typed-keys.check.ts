import type { TFunction } from 'i18next';

/** Never called: `npm run typecheck` fails here if `t` ever accepts a key the pt-BR catalogue lacks. */
export function unknownKeysDoNotTypeCheck(t: TFunction): string {
  // @ts-expect-error 'unknown.key' is not in the catalogue
  return t('unknown.key');
}
