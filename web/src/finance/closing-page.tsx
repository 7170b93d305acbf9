import { useTranslation } from 'react-i18next';

/** Financeiro → Fechamento diário. */
export function ClosingPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('finance.closing.title')}</h1>
    </section>
  );
}
