import { useTranslation } from 'react-i18next';

/** Integrações → Consumption (admins; app.tsx registers the route for them). */
export function ConnectorConsumptionPage() {
  const { t } = useTranslation();
  return (
    <section className="connector-page" aria-labelledby="connector-consumption-title">
      <header className="page-header">
        <h1 id="connector-consumption-title">{t('connector.consumption.title')}</h1>
      </header>
    </section>
  );
}
