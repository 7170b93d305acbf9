import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ptBR } from './pt-BR/index.ts';

/** Brazilian Portuguese is the only catalogue today; another language is another folder beside pt-BR/. */
void i18n.use(initReactI18next).init({
  lng: 'pt-BR',
  fallbackLng: 'pt-BR',
  resources: { 'pt-BR': { translation: ptBR } },
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
