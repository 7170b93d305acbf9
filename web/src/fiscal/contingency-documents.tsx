import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContingencyDocument, ContingencyDocumentsPage } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime, formatRelative } from '../format.ts';

const PAGE = 20;

/**
 * The documents in contingency — NFC-e offline (tpEmis 9, to transmit within 24 h) and NF-e in SVC — with
 * their deadline, time left, status, last error and "transmitir agora"; a page at a time.
 */
export function ContingencyDocuments(props: { mayTransmit: boolean; round: number }) {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const [all, setAll] = useState(false);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const page = useLoad(
    (signal) =>
      api<ContingencyDocumentsPage>(
        'GET',
        `/api/v1/fiscal/contingency/documents?state=${all ? 'all' : 'pending'}&limit=${PAGE}&offset=${offset}`,
        undefined,
        signal,
      ),
    [all, offset, props.round],
  );

  const transmit = async (d: ContingencyDocument) => {
    setBusy(d.id);
    setFeedback(null);
    try {
      await api('POST', `/api/v1/fiscal/contingency/documents/${d.id}/transmit`);
      setFeedback({ kind: 'success', text: t('fiscal.panel.transmitted', { number: d.number }) });
      page.reload();
    } catch (err) {
      setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'fiscal') });
    } finally {
      setBusy(null);
    }
  };

  const data = page.data;
  return (
    <section aria-labelledby="contingency-documents-title" data-testid="contingency-documents">
      <header className="section-head">
        <h2 id="contingency-documents-title">{t('fiscal.panel.documents')}</h2>
        <label className="field inline">
          <input
            type="checkbox"
            checked={!all}
            onChange={(e) => {
              setOffset(0);
              setAll(!e.target.checked);
            }}
          />
          <span>{t('fiscal.panel.pendingOnly')}</span>
        </label>
      </header>
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
      {page.error ? <Notice kind="error">{describeErrorIn(t, page.error, 'fiscal')}</Notice> : null}
      {!data && !page.error && <p className="loading">{t('actions.loading')}</p>}
      {data?.total === 0 && (
        <section className="empty-state" aria-live="polite">
          <p>{t('fiscal.panel.empty')}</p>
        </section>
      )}
      {data && data.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="contingency-documents" aria-busy={page.loading || undefined}>
              <thead>
                <tr>
                  <th scope="col">{t('fiscal.panel.document')}</th>
                  <th scope="col">{t('fiscal.panel.deadline')}</th>
                  <th scope="col">{t('fiscal.panel.timeLeft')}</th>
                  <th scope="col">{t('fiscal.panel.status')}</th>
                  <th scope="col">{t('fiscal.panel.lastError')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('fiscal.panel.transmit')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((d) => (
                  <tr key={d.id} data-id={d.id} className={`level-${d.level}`}>
                    <td>
                      <strong>{t(`fiscal.panel.kind.${d.kind}`, { type: d.emissionType })}</strong>
                      <br />
                      {t('fiscal.contingency.item', {
                        number: d.number,
                        series: d.series,
                        store: d.storeCode,
                      })}
                      <br />
                      <span className="mono access-key">{d.accessKey}</span>
                      {d.reference.type === 'order' && (
                        <>
                          {' · '}
                          <Link to={`/orders/${d.reference.id}`}>{t('fiscal.contingency.order')}</Link>
                        </>
                      )}
                    </td>
                    <td>{d.deadline ? formatDateTime(d.deadline) : t('fiscal.panel.noDeadline')}</td>
                    <td>
                      {d.deadline && d.level !== 'done' ? formatRelative(d.deadline) : '—'}
                      <br />
                      <span className={`tag level-${d.level}`}>{t(`fiscal.panel.levels.${d.level}`)}</span>
                    </td>
                    <td>
                      {t(`fiscal.panel.statuses.${d.status}`)}
                      {d.rejection && (
                        <p className="hint">
                          {t('fiscal.contingency.rejection', {
                            code: d.rejection.code,
                            reason: d.rejection.reason,
                          })}
                        </p>
                      )}
                      {d.reconciliation && (
                        <p className="hint">
                          {t(`fiscal.panel.reconciliation.${d.reconciliation.state}`, {
                            protocol: d.reconciliation.protocol ?? '',
                            reason: d.reconciliation.reason ?? '',
                          })}
                        </p>
                      )}
                    </td>
                    <td className="hint wrap">{d.lastError ?? '—'}</td>
                    <td className="row-actions">
                      {props.mayTransmit && (d.status === 'sending' || d.status === 'contingency') && (
                        <button
                          type="button"
                          className="button"
                          disabled={busy === d.id}
                          onClick={() => void transmit(d)}
                        >
                          {t('fiscal.panel.transmit')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label={t('fiscal.panel.documents')}>
            <button
              type="button"
              className="button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              {t('fiscal.panel.previous')}
            </button>
            <span>
              {t('fiscal.panel.page', {
                from: offset + 1,
                to: offset + data.items.length,
                total: data.total,
              })}
            </span>
            <button
              type="button"
              className="button"
              disabled={offset + PAGE >= data.total}
              onClick={() => setOffset(offset + PAGE)}
            >
              {t('fiscal.panel.next')}
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
