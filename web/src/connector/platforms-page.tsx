import { useTranslation } from 'react-i18next';
import { ConnectionForm, type PlatformCode } from './connection-form.tsx';
import { MappingsPanel } from './mappings-panel.tsx';
import './connector.css';

const platforms: readonly PlatformCode[] = ['vtex', 'nuvemshop'];

/**
 * Integrações → Plataformas (admins; app.tsx registers the route for them): one card per e-commerce platform,
 * its connection and, below it, the mapping of its codes to Omnihub's.
 */
export function ConnectorPlatformsPage() {
  const { t } = useTranslation();
  return (
    <section className="connector-page" aria-labelledby="connector-platforms-title">
      <header className="page-header">
        <h1 id="connector-platforms-title">{t('connector.platforms.title')}</h1>
      </header>
      <p className="hint">{t('connector.platforms.intro')}</p>
      <div className="connector-platforms">
        {platforms.map((platform) => (
          <section
            key={platform}
            className="connector-platform"
            aria-labelledby={`connector-${platform}-title`}
          >
            <h2 id={`connector-${platform}-title`}>{t(`connector.platforms.${platform}.title`)}</h2>
            <ConnectionForm platform={platform} />
            <MappingsPanel platform={platform} title={t(`connector.platforms.${platform}.title`)} />
          </section>
        ))}
      </div>
    </section>
  );
}
