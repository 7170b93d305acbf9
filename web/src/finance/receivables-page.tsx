import { useTranslation } from 'react-i18next';

/** Financeiro → Contas a receber. */
export function ReceivablesPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('finance.receivables.title')}</h1>
    </section>
  );
}
