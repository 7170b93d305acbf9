import { useTranslation } from 'react-i18next';

/** Integrações → Tickets (admins; app.tsx registers the route for them). */
export function ConnectorTicketsPage() {
  const { t } = useTranslation();
  return (
    <section className="connector-page" aria-labelledby="connector-tickets-title">
      <header className="page-header">
        <h1 id="connector-tickets-title">{t('connector.tickets.title')}</h1>
      </header>
    </section>
  );
}
