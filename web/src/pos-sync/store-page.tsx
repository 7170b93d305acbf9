import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { isAdmin, useAuth } from '../auth.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime, formatRelative } from '../format.ts';
import { DownloadRow } from './download-row.tsx';
import {
  base,
  describe,
  type Feedback,
  fieldMessages,
  type Rejection,
  rejectionReasons,
  type StoreDetail,
  typeName,
} from './shared.ts';
import './pos-sync.css';

/** What the one confirmation dialog of the page is asking about. */
type Ask =
  | { what: 'full-load'; dataType: string | null }
  | { what: 'remove-exception'; id: string }
  | { what: 'add-exception'; reason: string; expiresAt: string }
  | { what: 'resolve'; rejection: Rejection }
  | null;

/** A local date-time input's value for a moment (the browser's zone), to fill the exception's default. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * Integrações → PDV → a store: its terminals, every data type's interval and last download (LoteControle)
 * with the next release, "Forçar carga completa" per type or for all, the exception (LoteExcecao) and the
 * refused uploads with "Marcar como resolvido". Admins act (each change confirmed); others read.
 */
export function PosSyncStorePage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const { me } = useAuth();
  const admin = isAdmin(me);
  const detail = useLoad(
    (signal) => api<StoreDetail>('GET', `${base}/stores/${encodeURIComponent(code)}`, undefined, signal),
    [code],
  );
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [ask, setAsk] = useState<Ask>(null);
  const [busy, setBusy] = useState(false);
  const [askError, setAskError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [expiresAt, setExpiresAt] = useState(() => localInput(new Date(Date.now() + 86_400_000)));
  const [exceptionErrors, setExceptionErrors] = useState<Record<string, string>>({});

  const s = detail.data;

  const confirm = async () => {
    if (!ask || !s) return;
    setBusy(true);
    setAskError(null);
    try {
      if (ask.what === 'full-load') {
        const done = await api<{ dataTypes: string[] }>(
          'POST',
          `${base}/stores/${encodeURIComponent(code)}/full-load`,
          ask.dataType ? { dataType: ask.dataType } : {},
        );
        setFeedback({
          kind: 'success',
          text: t('posSync.store.fullLoadDone', { count: done.dataTypes.length }),
        });
      } else if (ask.what === 'remove-exception') {
        await api('DELETE', `${base}/exceptions/${ask.id}`);
        setFeedback({ kind: 'success', text: t('posSync.store.exception.removed') });
      } else if (ask.what === 'add-exception') {
        try {
          await api('POST', `${base}/exceptions`, {
            storeCode: s.store.code,
            reason: ask.reason,
            expiresAt: ask.expiresAt,
          });
        } catch (err) {
          setExceptionErrors(fieldMessages(t, err));
          throw err;
        }
        setExceptionErrors({});
        setReason('');
        setFeedback({
          kind: 'success',
          text: t('posSync.store.exception.added', { date: formatDateTime(ask.expiresAt) }),
        });
      } else {
        await api('POST', `${base}/rejections/${ask.rejection.id}/resolve`);
        setFeedback({ kind: 'success', text: t('posSync.store.rejections.resolved') });
      }
      setAsk(null);
      detail.reload();
    } catch (err) {
      if (ask.what === 'add-exception') {
        setAsk(null);
        setFeedback({ kind: 'error', text: describe(t, err) });
      } else setAskError(describe(t, err));
    } finally {
      setBusy(false);
    }
  };

  const addException = (e: FormEvent) => {
    e.preventDefault();
    const when = new Date(expiresAt);
    setAskError(null);
    setAsk({
      what: 'add-exception',
      reason: reason.trim(),
      expiresAt: Number.isNaN(when.getTime()) ? expiresAt : when.toISOString(),
    });
  };

  if (detail.error && !s)
    return (
      <section className="pos-sync-page">
        <Link to="/integrations/pos">{t('posSync.store.back')}</Link>
        <Notice kind="error">{describe(t, detail.error)}</Notice>
      </section>
    );
  if (!s) return <p className="loading">{t('actions.loading')}</p>;

  return (
    <section className="pos-sync-page" aria-labelledby="pos-sync-store-title">
      <header className="page-header">
        <Link to="/integrations/pos">{t('posSync.store.back')}</Link>
        <h1 id="pos-sync-store-title">
          {t('posSync.store.title', { code: s.store.code, name: s.store.name })}
        </h1>
      </header>
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}

      <section className="panel" aria-labelledby="pos-sync-terminals">
        <h2 id="pos-sync-terminals">{t('posSync.store.terminals')}</h2>
        {s.terminals.length === 0 ? (
          <p className="empty-state">{t('posSync.store.noTerminals')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('posSync.store.terminal')}</th>
                  <th scope="col">{t('posSync.store.lastContact')}</th>
                  <th scope="col">{t('posSync.store.pending')}</th>
                </tr>
              </thead>
              <tbody>
                {s.terminals.map((c) => (
                  <tr key={c.terminal}>
                    <td>{c.terminal}</td>
                    <td>
                      <time dateTime={c.lastContactAt} title={formatDateTime(c.lastContactAt)}>
                        {formatRelative(c.lastContactAt)}
                      </time>
                    </td>
                    <td>{c.pendingUploads}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="pos-sync-exception">
        <h2 id="pos-sync-exception">{t('posSync.store.exception.title')}</h2>
        {s.exception ? (
          <p>
            <span className="tag on">
              {t('posSync.store.exception.active', {
                date: formatDateTime(s.exception.expiresAt),
                reason: s.exception.reason,
                by: s.exception.createdBy,
              })}
            </span>{' '}
            {admin && (
              <button
                type="button"
                className="button small"
                onClick={() => {
                  setAskError(null);
                  setAsk({ what: 'remove-exception', id: s.exception!.id });
                }}
              >
                {t('posSync.store.exception.remove')}
              </button>
            )}
          </p>
        ) : (
          <>
            <p className="hint">{t('posSync.store.exception.none')}</p>
            {admin && (
              <form className="inline-form" onSubmit={addException}>
                <label className="field">
                  <span>{t('posSync.store.exception.reason')}</span>
                  <input
                    value={reason}
                    minLength={5}
                    maxLength={255}
                    required
                    onChange={(e) => setReason(e.target.value)}
                    aria-invalid={exceptionErrors.reason ? true : undefined}
                  />
                  {exceptionErrors.reason && <span className="field-error">{exceptionErrors.reason}</span>}
                </label>
                <label className="field">
                  <span>{t('posSync.store.exception.expiresAt')}</span>
                  <input
                    type="datetime-local"
                    value={expiresAt}
                    required
                    onChange={(e) => setExpiresAt(e.target.value)}
                    aria-invalid={exceptionErrors.expiresAt ? true : undefined}
                  />
                  {exceptionErrors.expiresAt && (
                    <span className="field-error">{exceptionErrors.expiresAt}</span>
                  )}
                </label>
                <button type="submit" className="button primary">
                  {t('posSync.store.exception.save')}
                </button>
              </form>
            )}
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="pos-sync-downloads">
        <h2 id="pos-sync-downloads">{t('posSync.store.downloads')}</h2>
        {admin && (
          <p>
            <button
              type="button"
              className="button"
              onClick={() => {
                setAskError(null);
                setAsk({ what: 'full-load', dataType: null });
              }}
            >
              {t('posSync.store.fullLoadAll')}
            </button>
          </p>
        )}
        <div className="table-wrap">
          <table aria-busy={detail.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('posSync.store.type')}</th>
                <th scope="col">{t('posSync.store.interval')}</th>
                <th scope="col">{t('posSync.store.lastDownload')}</th>
                <th scope="col">{t('posSync.store.nextAllowed')}</th>
                <th scope="col">{t('posSync.store.state')}</th>
                <th scope="col">{t('posSync.store.records')}</th>
                {admin && <th scope="col">{t('posSync.store.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {s.downloads.map((d) => (
                <DownloadRow
                  // A saved interval starts the row's editor over from the server's value.
                  key={`${d.dataType}-${d.minutes}-${d.from}`}
                  storeCode={s.store.code}
                  download={d}
                  admin={admin}
                  onFeedback={setFeedback}
                  onChanged={detail.reload}
                  onFullLoad={() => {
                    setAskError(null);
                    setAsk({ what: 'full-load', dataType: d.dataType });
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="pos-sync-rejections">
        <h2 id="pos-sync-rejections">{t('posSync.store.rejections.title')}</h2>
        {s.rejections.length === 0 ? (
          <p className="empty-state">{t('posSync.store.rejections.none')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('posSync.store.rejections.when')}</th>
                  <th scope="col">{t('posSync.store.rejections.terminal')}</th>
                  <th scope="col">{t('posSync.store.rejections.kind')}</th>
                  <th scope="col">{t('posSync.store.rejections.reason')}</th>
                  <th scope="col">{t('posSync.store.rejections.attempts')}</th>
                  {admin && <th scope="col">{t('posSync.store.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {s.rejections.map((r) => (
                  <tr key={r.id} data-rejection={r.id}>
                    <td>{formatDateTime(r.receivedAt)}</td>
                    <td>
                      {r.terminal ?? '—'}
                      {r.sequence !== null && (
                        <span className="hint">
                          {' '}
                          {t('posSync.store.rejections.sequence', { sequence: r.sequence })}
                        </span>
                      )}
                    </td>
                    <td>{t(`posSync.kinds.${r.kind}`, { defaultValue: r.kind })}</td>
                    <td>
                      {rejectionReasons(t, r).map((reason, i) => (
                        <div key={reason} className={i ? 'hint' : undefined}>
                          {reason}
                        </div>
                      ))}
                      <code className="hint">{r.code}</code>
                    </td>
                    <td>{r.attempts}</td>
                    {admin && (
                      <td className="row-actions">
                        <button
                          type="button"
                          className="button small"
                          onClick={() => {
                            setAskError(null);
                            setAsk({ what: 'resolve', rejection: r });
                          }}
                        >
                          {t('posSync.store.rejections.resolve')}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <ConfirmDialog
        open={ask !== null}
        busy={busy}
        error={askError}
        title={
          ask?.what === 'full-load'
            ? t('posSync.store.fullLoadTitle')
            : ask?.what === 'remove-exception'
              ? t('posSync.store.exception.removeTitle')
              : ask?.what === 'add-exception'
                ? t('posSync.store.exception.confirmTitle')
                : t('posSync.store.rejections.resolveTitle')
        }
        message={
          ask?.what === 'full-load'
            ? ask.dataType
              ? t('posSync.store.fullLoadOneMessage', { code: s.store.code, type: typeName(t, ask.dataType) })
              : t('posSync.store.fullLoadAllMessage', { code: s.store.code })
            : ask?.what === 'remove-exception'
              ? t('posSync.store.exception.removeMessage', { code: s.store.code })
              : ask?.what === 'add-exception'
                ? t('posSync.store.exception.confirmMessage', {
                    code: s.store.code,
                    date: formatDateTime(ask.expiresAt),
                  })
                : ask?.what === 'resolve'
                  ? t('posSync.store.rejections.resolveMessage', {
                      kind: t(`posSync.kinds.${ask.rejection.kind}`, { defaultValue: ask.rejection.kind }),
                      terminal: ask.rejection.terminal ?? '—',
                      code: ask.rejection.code,
                    })
                  : ''
        }
        confirmLabel={
          ask?.what === 'full-load'
            ? t('posSync.store.fullLoadConfirm')
            : ask?.what === 'remove-exception'
              ? t('posSync.store.exception.remove')
              : ask?.what === 'add-exception'
                ? t('posSync.store.exception.save')
                : t('posSync.store.rejections.resolve')
        }
        danger={ask?.what === 'remove-exception'}
        onConfirm={() => void confirm()}
        onCancel={() => setAsk(null)}
      />
    </section>
  );
}
