import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReturnReason } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDay } from '../format.ts';
import { ReasonForm } from '../returns/reason-form.tsx';
import '../returns/returns.css';

/**
 * Admins only (app.tsx registers the route for them): the network's return reasons (seed 000 §3.4.4,
 * "Comercial → Cadastros → Motivos"), offered at the POS while active and within their period.
 */
export function ReturnReasonsPage() {
  const { t } = useTranslation();
  const list = useLoad(
    async (signal) =>
      (await api<{ items: ReturnReason[] }>('GET', '/api/v1/return-reasons', undefined, signal)).items,
    [],
  );
  const [editing, setEditing] = useState<ReturnReason | 'new' | null>(null);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const saved = (reason: ReturnReason) => {
    setEditing(null);
    setFeedback({ kind: 'success', text: t('returns.reasons.saved', { code: reason.code }) });
    list.reload();
  };

  const toggle = async (reason: ReturnReason) => {
    setBusy(reason.code);
    setFeedback(null);
    try {
      const { code, description, type, validFrom, validTo, version } = reason;
      saved(
        await api<ReturnReason>('PUT', `/api/v1/return-reasons/${encodeURIComponent(code)}`, {
          description,
          type,
          validFrom,
          validTo,
          version,
          active: !reason.active,
        }),
      );
    } catch (err) {
      setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'returns') });
      list.reload();
    } finally {
      setBusy(null);
    }
  };

  const status = (r: ReturnReason) =>
    !r.active
      ? t('returns.reasons.inactive')
      : r.current
        ? t('returns.reasons.current')
        : t('returns.reasons.notCurrent');

  return (
    <section className="return-reasons-page" aria-labelledby="return-reasons-title">
      <header className="page-header section-head">
        <div>
          <h1 id="return-reasons-title">{t('returns.reasons.title')}</h1>
          <p className="hint">{t('returns.reasons.intro')}</p>
        </div>
        {editing === null && (
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setFeedback(null);
              setEditing('new');
            }}
          >
            {t('returns.reasons.newTitle')}
          </button>
        )}
      </header>
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
      {editing !== null && (
        <ReasonForm
          key={editing === 'new' ? 'new' : editing.code}
          reason={editing === 'new' ? undefined : editing}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'returns')}</Notice> : null}
      {!list.data && !list.error && <p className="loading">{t('actions.loading')}</p>}
      {list.data?.length === 0 && (
        <section className="empty-state" aria-live="polite">
          <p>{t('returns.reasons.empty')}</p>
        </section>
      )}
      {list.data && list.data.length > 0 && (
        <div className="table-wrap">
          <table className="reasons-table" aria-busy={list.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('returns.reasons.code')}</th>
                <th scope="col">{t('returns.reasons.description')}</th>
                <th scope="col">{t('returns.reasons.type')}</th>
                <th scope="col">{t('returns.reasons.period')}</th>
                <th scope="col">{t('returns.reasons.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('returns.reasons.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((r) => (
                <tr key={r.code} data-code={r.code} className={r.active ? undefined : 'inactive'}>
                  <td className="code">{r.code}</td>
                  <td>{r.description}</td>
                  <td>{t(`returns.reasons.types.${r.type}`)}</td>
                  <td>
                    {formatDay(r.validFrom)} –{' '}
                    {r.validTo ? formatDay(r.validTo) : t('returns.reasons.openEnded')}
                  </td>
                  <td>
                    <span className={r.current ? 'tag' : 'tag muted'}>{status(r)}</span>
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button"
                      onClick={() => {
                        setFeedback(null);
                        setEditing(r);
                      }}
                      aria-label={`${t('returns.reasons.edit')} ${r.code}`}
                    >
                      {t('returns.reasons.edit')}
                    </button>
                    <button
                      type="button"
                      className="button"
                      disabled={busy === r.code}
                      onClick={() => void toggle(r)}
                      aria-label={`${r.active ? t('returns.reasons.deactivate') : t('returns.reasons.reactivate')} ${r.code}`}
                    >
                      {r.active ? t('returns.reasons.deactivate') : t('returns.reasons.reactivate')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
