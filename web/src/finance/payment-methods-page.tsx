import { useTranslation } from 'react-i18next';

/** Financeiro → Formas de pagamento. */
export function PaymentMethodsPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('finance.paymentMethods.title')}</h1>
    </section>
  );
}
