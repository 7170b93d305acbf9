import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import '../delivery/delivery.css';
import type { Experience } from '../api/types.ts';
import { ExperienceEditor } from '../delivery/experience-editor.tsx';
import { MapView } from '../delivery/map-view.tsx';
import { SimulationPanel } from '../delivery/simulation-panel.tsx';
import { type CopiedStores, type StoreChoice, StoresPanel } from '../delivery/stores-panel.tsx';

/**
 * Experiências de entrega (PDVFM093), admins only (app.tsx registers the route for them): the
 * configurations with a search, the selected one's fields, companies and map, and the delivery simulation.
 * `/delivery/new` opens an empty editor.
 */
export function DeliveryPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { code } = useParams();
  const [q, setQ] = useState('');
  const [copied, setCopied] = useState<CopiedStores | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const creating = code === 'new';

  const list = useLoad(
    async (signal) =>
      (
        await api<{ items: Experience[] }>(
          'GET',
          `/api/v1/delivery-experiences${query({ q: q.trim(), limit: 200 })}`,
          undefined,
          signal,
        )
      ).items,
    [q],
  );
  const items = list.data;
  const listError = list.error;
  const stores =
    useLoad(
      async (signal) =>
        (
          await api<{ items: StoreChoice[] }>('GET', '/api/v1/nodes?kind=store&limit=200', undefined, signal)
        ).items.map((s) => ({ code: s.code, name: s.name })),
      [],
    ).data ?? [];
  const chosen = useLoad(
    (signal) =>
      !code || creating
        ? Promise.resolve(null)
        : api<Experience>(
            'GET',
            `/api/v1/delivery-experiences/${encodeURIComponent(code)}`,
            undefined,
            signal,
          ),
    [code, creating],
  );
  const selectedError = chosen.error;
  const selected = selectedError ? null : chosen.data;
  const reload = list.reload;

  const { set: setSelected } = chosen;
  const { set: setItems, data: shown } = list;
  const changed = useCallback(
    (e: Experience) => {
      setSelected(e);
      if (shown) setItems(shown.map((x) => (x.code === e.code ? e : x)));
    },
    [setSelected, setItems, shown],
  );

  return (
    <section className="delivery-page" aria-labelledby="delivery-title">
      <header className="page-header">
        <h1 id="delivery-title">{t('delivery.title')}</h1>
        <p className="hint">{t('delivery.intro')}</p>
      </header>
      {notice && <Notice kind="success">{notice}</Notice>}
      <div className="two-columns">
        <nav className="card" aria-label={t('delivery.list.label')}>
          <label className="field">
            <span>{t('delivery.list.search')}</span>
            <input
              type="search"
              value={q}
              placeholder={t('delivery.list.searchPlaceholder')}
              onChange={(e) => setQ(e.target.value)}
            />
          </label>
          <Link className="button primary wide" to="/delivery/new">
            {t('delivery.list.new')}
          </Link>
          {listError ? <Notice kind="error">{describeErrorIn(t, listError, 'delivery')}</Notice> : null}
          {!items && !listError && <p className="loading">{t('actions.loading')}</p>}
          {items && items.length === 0 && (
            <p className="hint">{q.trim() ? t('delivery.list.noMatch') : t('delivery.list.empty')}</p>
          )}
          {items && items.length > 0 && (
            <ul className="experience-list">
              {items.map((e) => (
                <li key={e.code}>
                  <Link
                    to={`/delivery/${encodeURIComponent(e.code)}`}
                    aria-current={e.code === code ? 'page' : undefined}
                  >
                    <span className="code">{e.code}</span> {e.description}
                    <small>
                      {t(`delivery.types.${e.type}`)}
                      {e.carrierCode
                        ? ` · ${e.carrierName ?? e.carrierCode}${e.serviceCode ? ` ${e.serviceCode}` : ''}`
                        : ''}
                      {' · '}
                      {t('delivery.list.stores', { count: e.stores.length })}
                    </small>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <div>
          {selectedError ? (
            <Notice kind="error">
              {selectedError instanceof ApiError && selectedError.status === 404
                ? t('delivery.errors.DELIVERY.EXPERIENCE_NOT_FOUND', { keySeparator: false })
                : describeErrorIn(t, selectedError, 'delivery')}
            </Notice>
          ) : null}
          {!code && <p className="empty-state">{t('delivery.editor.choose')}</p>}
          {code && !creating && !selected && !selectedError && (
            <p className="loading">{t('actions.loading')}</p>
          )}
          {(creating || selected) && (
            <ExperienceEditor
              experience={creating ? null : selected}
              onSaved={(e, created) => {
                setNotice(null);
                if (created) {
                  reload();
                  navigate(`/delivery/${encodeURIComponent(e.code)}`);
                } else changed(e);
              }}
              onDeleted={(deleted) => {
                setNotice(t('delivery.editor.deleted', { code: deleted }));
                reload();
                navigate('/delivery');
              }}
            />
          )}
          {selected && !creating && (
            <>
              <StoresPanel
                experience={selected}
                choices={stores}
                copied={copied}
                onCopy={setCopied}
                onChanged={changed}
              />
              <MapView experience={selected} />
            </>
          )}
          <SimulationPanel />
        </div>
      </div>
    </section>
  );
}
