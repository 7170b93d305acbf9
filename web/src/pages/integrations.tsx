import { useTranslation } from 'react-i18next';
import type { ApiClient } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { Deliveries } from '../network/deliveries.tsx';
import { WebhookForm } from '../network/webhook-form.tsx';

/**
 * The keyless clients the platform connectors ingest as ("VTEX (conector)", "Nuvemshop (conector)") are set
 * up under Integrações → Plataformas, not here: their webhook is the connector's own.
 */
const isConnectorClient = (c: ApiClient) => c.name.endsWith('(conector)');

/** Admins only (app.tsx registers the route for them): API clients, the platform webhook, deliveries. */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const { data: clients, error } = useLoad(
    async (signal) =>
      (await api<{ items: ApiClient[] }>('GET', '/api/v1/api-clients', undefined, signal)).items.filter(
        (c) => !isConnectorClient(c),
      ),
    [],
  );

  const platforms = (clients ?? []).filter((c) => c.scope === 'platform' && c.active);

  return (
    <section className="integrations-page" aria-labelledby="integrations-title">
      <header className="page-header">
        <h1 id="integrations-title">{t('network.integrations.title')}</h1>
        <p className="hint">{t('network.integrations.intro')}</p>
      </header>
      {error ? <Notice kind="error">{describeErrorIn(t, error, 'network')}</Notice> : null}
      {!clients && !error && <p className="loading">{t('actions.loading')}</p>}
      {clients && (
        <section className="card" aria-labelledby="clients-title">
          <h2 id="clients-title">{t('network.integrations.clients.title')}</h2>
          {clients.length === 0 ? (
            <p className="hint">{t('network.integrations.clients.empty')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('network.integrations.clients.name')}</th>
                    <th scope="col">{t('network.integrations.clients.scope')}</th>
                    <th scope="col">{t('network.integrations.clients.node')}</th>
                    <th scope="col">{t('network.integrations.clients.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {clients.map((c) => (
                    <tr key={c.id}>
                      <td>{c.name}</td>
                      <td>{t(`network.integrations.clients.scopes.${c.scope}`)}</td>
                      <td className="code">{c.nodeCode}</td>
                      <td>
                        {c.active
                          ? t('network.integrations.clients.active')
                          : t('network.integrations.clients.revoked')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {platforms.map((c) => (
        <WebhookForm key={c.id} client={c} />
      ))}
      {clients && <Deliveries clients={clients} />}
    </section>
  );
}
