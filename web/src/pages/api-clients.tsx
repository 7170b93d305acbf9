import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient } from '../api/types.ts';
import { query } from '../api.ts';
import { ClientPanel, lastUse, storeLabel } from '../api-clients/client-panel.tsx';
import { KeyOnceDialog } from '../api-clients/key-once-dialog.tsx';
import { NewClientForm } from '../api-clients/new-client-form.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime } from '../format.ts';
import { allNodes } from '../network/all-nodes.ts';

const PAGE_SIZE = 20;

/** "Chaves de API" (admins; app.tsx registers the route for them): clients, their keys, POS pairing. */
export function ApiClientsPage() {
  const { t } = useTranslation();
  const [scope, setScope] = useState<'' | 'platform' | 'pos' | 'erp'>('');
  const [store, setStore] = useState('');
  const [status, setStatus] = useState<'' | 'true' | 'false'>('true');
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [shownKey, setShownKey] = useState<{ name: string; key: string } | null>(null);
  const nodes = useLoad(allNodes, []);
  const list = usePagedList<ApiClient>(
    `/api/v1/api-clients${query({ scope: scope || undefined, nodeCode: store || undefined, active: status || undefined, limit: PAGE_SIZE })}`,
  );
  const stores = (nodes.data ?? []).filter((n) => n.kind === 'store');
  const filtered = scope !== '' || store !== '' || status !== 'true';
  const open = list.items.find((c) => c.id === openId) ?? null;
  const nodeLabel = (c: ApiClient) =>
    c.scope === 'pos' ? storeLabel(t, c.nodeCode, c.nodeName) : c.nodeName;

  return (
    <section className="api-clients-page" aria-labelledby="api-clients-title">
      <header className="page-header section-head">
        <div>
          <h1 id="api-clients-title">{t('apiClients.title')}</h1>
          <p className="hint">{t('apiClients.intro')}</p>
        </div>
        {!creating && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            {t('apiClients.newClient')}
          </button>
        )}
      </header>
      {nodes.error ? <Notice kind="error">{describeErrorIn(t, nodes.error, 'apiClients')}</Notice> : null}
      {creating && nodes.data && (
        <NewClientForm
          nodes={nodes.data}
          onCancel={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setShownKey({ name: created.name, key: created.key });
            setOpenId(created.id);
            list.reload();
          }}
        />
      )}

      <form
        className="filters"
        aria-label={t('apiClients.filters.label')}
        onSubmit={(e) => e.preventDefault()}
      >
        <label className="field">
          <span>{t('apiClients.filters.scope')}</span>
          <select value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
            <option value="">{t('apiClients.filters.all')}</option>
            <option value="platform">{t('apiClients.scopes.platform')}</option>
            <option value="pos">{t('apiClients.scopes.pos')}</option>
            <option value="erp">{t('apiClients.scopes.erp')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('apiClients.filters.store')}</span>
          <select value={store} onChange={(e) => setStore(e.target.value)}>
            <option value="">{t('apiClients.filters.allStores')}</option>
            {stores.map((n) => (
              <option key={n.code} value={n.code}>
                {storeLabel(t, n.code, n.name)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('apiClients.filters.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="true">{t('apiClients.filters.active')}</option>
            <option value="false">{t('apiClients.filters.revoked')}</option>
            <option value="">{t('apiClients.filters.all')}</option>
          </select>
        </label>
      </form>

      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'apiClients')}</Notice> : null}
      {list.loading && list.items.length === 0 && <p className="loading">{t('actions.loading')}</p>}
      {!list.loading && !list.error && list.items.length === 0 && (
        <p className="empty-state">
          {filtered ? t('apiClients.list.emptyFiltered') : t('apiClients.list.empty')}
        </p>
      )}
      {list.items.length > 0 && (
        <div className="table-wrap card">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('apiClients.list.name')}</th>
                <th scope="col">{t('apiClients.list.scope')}</th>
                <th scope="col">{t('apiClients.list.node')}</th>
                <th scope="col">{t('apiClients.list.status')}</th>
                <th scope="col">{t('apiClients.list.lastUse')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('apiClients.list.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <tr key={c.id} className={c.id === openId ? 'selected' : undefined}>
                  <td>{c.name}</td>
                  <td>{t(`apiClients.scopes.${c.scope}`)}</td>
                  <td>{nodeLabel(c)}</td>
                  <td>
                    <span className={c.active ? 'status status-delivered' : 'status status-cancelled'}>
                      {c.active ? t('apiClients.list.active') : t('apiClients.list.revoked')}
                    </span>
                  </td>
                  <td title={c.lastUsedAt ? formatDateTime(c.lastUsedAt) : undefined}>
                    {lastUse(t, c.lastUsedAt)}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      aria-expanded={c.id === openId}
                      aria-controls={c.id === openId ? `client-${c.id}-panel` : undefined}
                      onClick={() => setOpenId(c.id === openId ? null : c.id)}
                    >
                      {c.id === openId ? t('apiClients.list.hide') : t('apiClients.list.manage')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.nextCursor && (
        <div className="list-footer">
          <LoadMore list={list} />
        </div>
      )}
      {open && (
        <div id={`client-${open.id}-panel`}>
          <ClientPanel key={open.id} client={open} onChanged={list.reload} onKey={setShownKey} />
        </div>
      )}
      <KeyOnceDialog shown={shownKey} onClose={() => setShownKey(null)} />
    </section>
  );
}
