import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isAdmin, useAuth } from '../auth.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { formatDateTime, formatRelative } from '../format.ts';
import { base, describe, type StoreRow } from './shared.ts';
import './pos-sync.css';

/**
 * Integrações → PDV: every store the user sees with its terminals' last contact, what they hold queued,
 * the refused uploads still open and the exception in force; a store whose POS never connected says so.
 */
export function PosSyncStoresPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const list = usePagedList<StoreRow>(`${base}/stores${q ? `?q=${encodeURIComponent(q)}` : ''}`);
  const search = (e: FormEvent) => {
    e.preventDefault();
    setQ(text.trim());
  };
  return (
    <section className="pos-sync-page" aria-labelledby="pos-sync-title">
      <header className="page-header">
        <h1 id="pos-sync-title">{t('posSync.stores.title')}</h1>
        <p className="hint">{t('posSync.stores.intro')}</p>
        {isAdmin(me) && <Link to="/integrations/pos-intervals">{t('posSync.stores.intervalsLink')}</Link>}
      </header>
      <search>
        <form className="filters" onSubmit={search}>
          <label className="field">
            <span>{t('posSync.stores.search')}</span>
            <input
              type="search"
              value={text}
              placeholder={t('posSync.stores.searchPlaceholder')}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <button type="submit" className="button">
            {t('posSync.stores.apply')}
          </button>
        </form>
      </search>
      {list.error ? <Notice kind="error">{describe(t, list.error)}</Notice> : null}
      {list.loading && list.items.length === 0 && <p className="loading">{t('actions.loading')}</p>}
      {!list.loading && !list.error && list.items.length === 0 && (
        <p className="empty-state">{t('posSync.stores.empty')}</p>
      )}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table aria-busy={list.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('posSync.stores.store')}</th>
                <th scope="col">{t('posSync.stores.lastContact')}</th>
                <th scope="col">{t('posSync.stores.terminals')}</th>
                <th scope="col">{t('posSync.stores.pending')}</th>
                <th scope="col">{t('posSync.stores.refused')}</th>
                <th scope="col">{t('posSync.stores.stale')}</th>
                <th scope="col">{t('posSync.stores.exception')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((s) => (
                <tr key={s.store.id} data-store={s.store.code}>
                  <td>
                    <Link
                      to={`/integrations/pos/${encodeURIComponent(s.store.code)}`}
                      aria-label={t('posSync.stores.open', { code: s.store.code })}
                    >
                      {s.store.code} — {s.store.name}
                    </Link>
                  </td>
                  <td>
                    {s.lastContactAt ? (
                      <time dateTime={s.lastContactAt} title={formatDateTime(s.lastContactAt)}>
                        {formatRelative(s.lastContactAt)}
                      </time>
                    ) : (
                      <span className="tag muted">{t('posSync.stores.neverConnected')}</span>
                    )}
                  </td>
                  <td>
                    <ul className="terminal-list">
                      {s.terminals.map((c) => (
                        <li key={c.terminal}>
                          {t('posSync.stores.terminalLine', {
                            terminal: c.terminal,
                            when: formatRelative(c.lastContactAt),
                          })}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{s.pendingUploads}</td>
                  <td>{s.refusedUploads > 0 ? <span className="tag danger">{s.refusedUploads}</span> : 0}</td>
                  <td>
                    {s.staleTypes.length > 0 ? <span className="tag warn">{s.staleTypes.length}</span> : 0}
                  </td>
                  <td>
                    {s.exception ? (
                      <span className="tag on" title={s.exception.reason}>
                        {t('posSync.stores.exceptionUntil', { date: formatDateTime(s.exception.expiresAt) })}
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.nextCursor && <LoadMore list={list} />}
    </section>
  );
}
