import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NumberGap, Role, VoidedRange } from '../api/types.ts';
import { api, downloadFile, query } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime } from '../format.ts';
import { useConfirm } from '../orders/use-confirm.tsx';

/** Who voids numbers (the API's POST /fiscal/voided-ranges); clerks see the gaps and the history. */
const voiders: readonly Role[] = ['store_manager', 'central_admin', 'network_admin'];
/** xJust of the inutilização (MOC 7.0 §4.5): 15 to 255 characters. */
const JUSTIFICATION = { min: 15, max: 255 };
const PAGE = 20;

/**
 * "Inutilizar numeração" (Fiscal): the numbers of each series no valid document carries (gaps), each with
 * an "Inutilizar" action that voids it at SEFAZ (NFeInutilizacao4) after a confirmation with the range and
 * a justification, and the history of voided ranges with their status and protocol.
 */
export function FiscalVoidingPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { ask, dialog } = useConfirm();
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error' | 'info'; text: string } | null>(null);
  const gaps = useLoad(
    async (signal) =>
      (await api<{ items: NumberGap[] }>('GET', '/api/v1/fiscal/number-gaps', undefined, signal)).items,
    [],
  );
  const [pages, setPages] = useState<string[]>([]);
  const history = useLoad(
    async (signal) => {
      let items: VoidedRange[] = [];
      let cursor: string | null | undefined;
      // The first page, then one more per "Carregar mais" (the cursors already followed).
      for (let i = 0; i <= pages.length; i++) {
        const page = await api<{ items: VoidedRange[]; nextCursor: string | null }>(
          'GET',
          `/api/v1/fiscal/voided-ranges${query({ limit: PAGE, cursor: cursor ?? undefined })}`,
          undefined,
          signal,
        );
        items = [...items, ...page.items];
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return { items, nextCursor: cursor ?? null };
    },
    [pages.length],
  );

  const canVoid = me !== null && voiders.includes(me.actor);
  const model = (m: number) => t(`orders.fiscal.models.${m}`, { defaultValue: String(m) });
  const range = (r: { from: number; to: number }) =>
    r.from === r.to ? String(r.from) : t('fiscal.voiding.range', { from: r.from, to: r.to });

  const voidGap = (gap: NumberGap) =>
    ask({
      title: t('fiscal.voiding.dialog.title'),
      message: (
        <>
          <p>
            {t('fiscal.voiding.dialog.message', {
              model: model(gap.model),
              series: gap.series,
              range: range(gap),
              store: gap.storeCode,
              count: gap.count,
            })}
          </p>
          {gap.rejectedNumbers.length > 0 && (
            <p className="hint">
              {t('fiscal.voiding.dialog.rejected', { numbers: gap.rejectedNumbers.join(', ') })}
            </p>
          )}
          <p className="hint">{t('fiscal.voiding.dialog.final')}</p>
        </>
      ),
      confirmLabel: t('fiscal.voiding.dialog.confirm'),
      danger: true,
      reason: {
        label: t('fiscal.voiding.dialog.justification'),
        required: true,
        minLength: JUSTIFICATION.min,
        maxLength: JUSTIFICATION.max,
      },
      run: async (justification) => {
        const sent = await api<VoidedRange>('POST', '/api/v1/fiscal/voided-ranges', {
          storeCode: gap.storeCode,
          model: gap.model,
          series: gap.series,
          from: gap.from,
          to: gap.to,
          justification,
        }).catch((err: unknown) => {
          setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'fiscal.voiding') });
          return null;
        });
        if (sent)
          setFeedback({
            kind: 'info',
            text: t('fiscal.voiding.sent', {
              range: range(sent),
              series: sent.series,
              store: sent.storeCode,
            }),
          });
        gaps.reload();
        history.reload();
        // SEFAZ answers within seconds: read the history again for its protocol.
        setTimeout(() => history.reload(), 2000);
        return undefined;
      },
    });

  return (
    <section className="fiscal-voiding-page" aria-labelledby="fiscal-voiding-title">
      <header className="page-header">
        <h1 id="fiscal-voiding-title">{t('fiscal.voiding.title')}</h1>
        <p className="hint">{t('fiscal.voiding.intro')}</p>
      </header>
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}

      <section className="card" aria-labelledby="gaps-title">
        <h2 id="gaps-title">{t('fiscal.voiding.gaps.title')}</h2>
        {gaps.error ? <Notice kind="error">{describeErrorIn(t, gaps.error, 'fiscal.voiding')}</Notice> : null}
        {!gaps.data && !gaps.error && <p className="loading">{t('actions.loading')}</p>}
        {gaps.data?.length === 0 && (
          <section className="empty-state" aria-live="polite">
            <p>{t('fiscal.voiding.gaps.empty')}</p>
          </section>
        )}
        {gaps.data && gaps.data.length > 0 && (
          <div className="table-wrap">
            <table className="gaps-table" aria-busy={gaps.loading || undefined}>
              <thead>
                <tr>
                  <th scope="col">{t('fiscal.voiding.store')}</th>
                  <th scope="col">{t('fiscal.voiding.modelSeries')}</th>
                  <th scope="col">{t('fiscal.voiding.numbers')}</th>
                  <th scope="col">{t('fiscal.voiding.gaps.count')}</th>
                  <th scope="col">{t('fiscal.voiding.gaps.age')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('fiscal.voiding.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {gaps.data.map((g) => (
                  <tr
                    key={`${g.storeCode}-${g.model}-${g.series}-${g.from}`}
                    data-gap={`${g.series}:${g.from}-${g.to}`}
                  >
                    <td>{g.storeCode}</td>
                    <td>
                      {t('fiscal.voiding.modelSeriesValue', { model: model(g.model), series: g.series })}
                    </td>
                    <td>
                      {range(g)}
                      {g.rejectedNumbers.length > 0 && (
                        <span className="hint">
                          {' '}
                          · {t('fiscal.voiding.gaps.rejected', { count: g.rejectedNumbers.length })}
                        </span>
                      )}
                    </td>
                    <td>{g.count}</td>
                    <td>
                      {g.since
                        ? t('fiscal.voiding.gaps.ageDays', {
                            count: g.ageDays ?? 0,
                            since: formatDateTime(g.since),
                          })
                        : t('fiscal.voiding.gaps.undated')}
                    </td>
                    <td className="row-actions">
                      {canVoid && (
                        <button
                          type="button"
                          className="button danger"
                          onClick={() => {
                            setFeedback(null);
                            voidGap(g);
                          }}
                          aria-label={t('fiscal.voiding.voidOf', {
                            range: range(g),
                            series: g.series,
                            store: g.storeCode,
                          })}
                        >
                          {t('fiscal.voiding.void')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {!canVoid && <p className="hint">{t('fiscal.voiding.readOnly')}</p>}
      </section>

      <section className="card" aria-labelledby="voided-title">
        <h2 id="voided-title">{t('fiscal.voiding.history.title')}</h2>
        {history.error ? (
          <Notice kind="error">{describeErrorIn(t, history.error, 'fiscal.voiding')}</Notice>
        ) : null}
        {!history.data && !history.error && <p className="loading">{t('actions.loading')}</p>}
        {history.data?.items.length === 0 && (
          <section className="empty-state" aria-live="polite">
            <p>{t('fiscal.voiding.history.empty')}</p>
          </section>
        )}
        {history.data && history.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="voided-table" aria-busy={history.loading || undefined}>
              <thead>
                <tr>
                  <th scope="col">{t('fiscal.voiding.store')}</th>
                  <th scope="col">{t('fiscal.voiding.modelSeries')}</th>
                  <th scope="col">{t('fiscal.voiding.numbers')}</th>
                  <th scope="col">{t('fiscal.voiding.history.status')}</th>
                  <th scope="col">{t('fiscal.voiding.history.protocol')}</th>
                  <th scope="col">{t('fiscal.voiding.history.origin')}</th>
                  <th scope="col">{t('fiscal.voiding.history.at')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('fiscal.voiding.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.data.items.map((r) => (
                  <tr key={r.id} data-range={r.id}>
                    <td>{r.storeCode}</td>
                    <td>
                      {t('fiscal.voiding.modelSeriesValue', { model: model(r.model), series: r.series })}
                    </td>
                    <td>{range(r)}</td>
                    <td>
                      <span className={`status voided-${r.status}`}>
                        {t(`fiscal.voiding.statuses.${r.status}`)}
                      </span>
                    </td>
                    <td>
                      {r.protocol ??
                        (r.status === 'voided'
                          ? t('fiscal.voiding.history.voidedBefore')
                          : r.rejection
                            ? t('fiscal.voiding.history.rejection', {
                                code: r.rejection.code,
                                reason: r.rejection.reason,
                              })
                            : '—')}
                    </td>
                    <td title={r.justification}>{t(`fiscal.voiding.origins.${r.origin}`)}</td>
                    <td>{formatDateTime(r.voidedAt ?? r.createdAt)}</td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="button small"
                        onClick={() =>
                          void downloadFile(
                            `/api/v1/fiscal/voided-ranges/${r.id}/xml`,
                            `inut-${r.id}.xml`,
                          ).catch((err: unknown) =>
                            setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'fiscal.voiding') }),
                          )
                        }
                        aria-label={t('fiscal.voiding.history.xmlOf', { range: range(r), series: r.series })}
                      >
                        {t('fiscal.voiding.history.xml')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {history.data?.nextCursor && (
          <button
            type="button"
            className="button"
            disabled={history.loading}
            onClick={() => setPages((p) => [...p, history.data?.nextCursor ?? ''])}
          >
            {t('fiscal.voiding.history.more')}
          </button>
        )}
      </section>
      {dialog}
    </section>
  );
}
