import { useTranslation } from 'react-i18next';

/** Integrações → Interfaces (admins; app.tsx registers the route for them). */
export function ConnectorInterfacesPage() {
  const { t } = useTranslation();
  return (
    <section className="connector-page" aria-labelledby="connector-interfaces-title">
      <header className="page-header">
        <h1 id="connector-interfaces-title">{t('connector.interfaces.title')}</h1>
      </header>
    </section>
  );
}
