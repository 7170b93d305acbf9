import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { type RequestStatus, requestStatuses, type StockRequest } from '../api/types.ts';
import { query } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { type Feedback, FeedbackNotice } from '../orders/feedback.tsx';
import { useConfirm } from '../orders/use-confirm.tsx';
import { sidesOf, useRequestActions } from '../split/request-actions.tsx';
import { RequestTable } from '../split/request-table.tsx';
import '../split/split.css';

type Tab = 'received' | 'sent';
const TAB_PARAM = 'aba';
const STATUS_PARAM = 'situacao';

/**
 * "Solicitações de estoque": the requests other stores make to the user's store ("Recebidas": accept,
 * refuse, invoice the transfer) and the ones its orders made ("Enviadas / a receber": receive the
 * transfer). The API lists both sides together; the tab keeps the user's side of each.
 */
export function StockRequestsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get(TAB_PARAM) === 'enviadas' ? 'sent' : 'received';
  const raw = params.get(STATUS_PARAM) ?? '';
  const status = (requestStatuses as readonly string[]).includes(raw) ? (raw as RequestStatus) : undefined;
  const list = usePagedList<StockRequest>(`/api/v1/stock-requests${query({ status, limit: 50 })}`);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const confirm = useConfirm();
  const actions = useRequestActions({
    ask: confirm.ask,
    notify: setFeedback,
    onChanged: (next) => list.replace((r) => r.id === next.id, next),
    onStale: list.reload,
  });

  const side = tab === 'received' ? 'support' : 'main';
  const items = list.items.filter((r) => sidesOf(me, r)[side]);
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <section className="stock-requests" aria-labelledby="requests-title">
      <header className="page-header">
        <h1 id="requests-title">{t('split.requests.title')}</h1>
        <p className="hint">{t('split.requests.intro')}</p>
      </header>
      <div className="requests-bar">
        <nav className="tabs" aria-label={t('split.requests.tabs.label')}>
          {(['received', 'sent'] as const).map((k) => (
            <button
              key={k}
              type="button"
              className="button"
              aria-pressed={tab === k}
              onClick={() => set(TAB_PARAM, k === 'sent' ? 'enviadas' : null)}
            >
              {t(`split.requests.tabs.${k}`)}
            </button>
          ))}
        </nav>
        <label className="inline-field">
          <span>{t('split.requests.status')}</span>
          <select value={status ?? ''} onChange={(e) => set(STATUS_PARAM, e.target.value || null)}>
            <option value="">{t('split.requests.allStatuses')}</option>
            {requestStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`split.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="hint">{t(`split.requests.tabIntro.${tab}`)}</p>

      {feedback && <FeedbackNotice feedback={feedback} onDismiss={() => setFeedback(null)} />}
      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'split')}</Notice> : null}
      {list.loading && <p className="loading">{t('split.requests.loading')}</p>}
      {!list.loading && items.length === 0 && (
        <p className="empty-state">{t(`split.requests.empty.${tab}`)}</p>
      )}
      {items.length > 0 && <RequestTable items={items} moves={actions} side={side} />}
      {list.nextCursor && (
        <p className="list-footer">
          <LoadMore list={list} />
        </p>
      )}
      {confirm.dialog}
    </section>
  );
}
