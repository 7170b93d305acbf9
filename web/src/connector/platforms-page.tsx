import { useTranslation } from 'react-i18next';

/** Integrações → Platforms (admins; app.tsx registers the route for them). */
export function ConnectorPlatformsPage() {
  const { t } = useTranslation();
  return (
    <section className="connector-page" aria-labelledby="connector-platforms-title">
      <header className="page-header">
        <h1 id="connector-platforms-title">{t('connector.platforms.title')}</h1>
      </header>
    </section>
  );
}
