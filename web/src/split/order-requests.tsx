import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order, StockRequest } from '../api/types.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import type { Feedback } from '../orders/feedback.tsx';
import type { Question } from '../orders/use-confirm.tsx';
import { useRequestActions } from './request-actions.tsx';
import { RequestTable } from './request-table.tsx';
import './split.css';

/**
 * The order's stock requests (its split), with the moves the user's side may make. Shown only when the
 * order has any; re-read whenever the order changes (a receipt reopens it, a cancellation closes them).
 */
export function OrderStockRequests(props: {
  order: Order;
  ask(question: Question): void;
  notify(feedback: Feedback | null): void;
  /** A request moved: the order may have moved with it (all received: open again). */
  onOrderChanged(): void;
}) {
  const { t } = useTranslation();
  const { order } = props;
  const list = usePagedList<StockRequest>(`/api/v1/stock-requests?orderId=${order.id}&limit=50`);
  const { reload } = list;
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the order's version is the reason to re-read
  useEffect(() => {
    if (first.current) first.current = false;
    else reload();
  }, [reload, order.version, order.status]);
  const actions = useRequestActions({
    ask: props.ask,
    notify: props.notify,
    onChanged: (next) => {
      list.replace((r) => r.id === next.id, next);
      props.onOrderChanged();
    },
    onStale: () => {
      list.reload();
      props.onOrderChanged();
    },
  });
  if (list.items.length === 0 && !list.error) return null;
  return (
    <section className="card order-section order-requests" aria-labelledby="order-requests">
      <h2 id="order-requests">{t('split.requests.section')}</h2>
      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'split')}</Notice> : null}
      {list.items.length > 0 && <RequestTable items={list.items} moves={actions} hideOrder />}
      {list.nextCursor && (
        <p className="list-footer">
          <LoadMore list={list} small />
        </p>
      )}
    </section>
  );
}
