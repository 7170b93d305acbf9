import type { ptBR } from './pt-BR/index.ts';

/** The pt-BR catalogue types `t`: a key it lacks fails `npm run typecheck`. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof ptBR };
  }
}
