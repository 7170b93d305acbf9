import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Order, OrderWebhookDelivery, StatusResent } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { formatDateTime } from '../format.ts';
import { describeFailure } from '../network/deliveries.tsx';
import type { Feedback } from './feedback.tsx';
import type { Question } from './use-confirm.tsx';

const statusWord = (t: TFunction, status: string | null | undefined) =>
  status ? t(`statuses.${status}`, { defaultValue: status }) : '';

/**
 * The order's webhook deliveries to the platform, in sequence, with their last attempt, and the seeds'
 * "re-send status" for when the platform missed the current one.
 */
export function OrderDeliveries(props: {
  order: Order;
  list: {
    items: OrderWebhookDelivery[];
    nextCursor: string | null;
    loading: boolean;
    loadingMore: boolean;
    error: unknown;
    more(): Promise<void>;
    reload(): void;
  };
  ask(question: Question): void;
  notify(feedback: Feedback | null): void;
}) {
  const { t } = useTranslation();
  const { order, list } = props;

  const resend = () =>
    props.ask({
      title: t('orders.deliveries.resendTitle'),
      message: (
        <p>
          {t('orders.deliveries.resendMessage', {
            number: order.number,
            status: t(`statuses.${order.status}`),
          })}
        </p>
      ),
      confirmLabel: t('orders.deliveries.resend'),
      run: async () => {
        const sent = await api<StatusResent>('POST', `/api/v1/orders/${order.id}/status-resend`);
        props.notify({
          kind: 'success',
          text: t('orders.deliveries.resent', { number: order.number, status: statusWord(t, sent.status) }),
        });
        list.reload();
        return undefined;
      },
    });

  return (
    <section className="card order-section" aria-labelledby="deliveries-title">
      <div className="section-head">
        <div>
          <h2 id="deliveries-title">{t('orders.deliveries.title')}</h2>
          <p className="section-hint">{t('orders.deliveries.explain')}</p>
        </div>
        <div className="toolbar">
          <button type="button" className="button" onClick={list.reload} disabled={list.loading}>
            {t('orders.deliveries.refresh')}
          </button>
          <button type="button" className="button primary" onClick={resend}>
            {t('orders.deliveries.resend')}
          </button>
        </div>
      </div>
      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'orders')}</Notice> : null}
      {list.loading && list.items.length === 0 && <p className="loading compact">{t('actions.loading')}</p>}
      {!list.loading && !list.error && list.items.length === 0 && (
        <p className="hint">{t('orders.deliveries.empty')}</p>
      )}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table
            className="deliveries-table"
            aria-labelledby="deliveries-title"
            aria-busy={list.loading || undefined}
          >
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('orders.deliveries.seq')}
                </th>
                <th scope="col">{t('orders.deliveries.event')}</th>
                <th scope="col">{t('orders.deliveries.status')}</th>
                <th scope="col" className="num">
                  {t('orders.deliveries.attempts')}
                </th>
                <th scope="col">{t('orders.deliveries.lastAttempt')}</th>
                <th scope="col" className="num">
                  {t('orders.deliveries.httpStatus')}
                </th>
                <th scope="col">{t('orders.deliveries.lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((d) => {
                const last = d.attempts[d.attempts.length - 1];
                const error = last?.error ?? d.lastError;
                return (
                  <tr key={d.id} data-seq={d.seq}>
                    <td className="num">{d.seq}</td>
                    <td>
                      {d.event !== 'order.status_changed'
                        ? t(`orders.deliveries.events.${d.event}`, { defaultValue: d.event })
                        : d.payload?.previousStatus
                          ? t('orders.detail.historyEntry', {
                              from: statusWord(t, d.payload.previousStatus),
                              to: statusWord(t, d.payload.status),
                            })
                          : t('orders.detail.historyFirst', { to: statusWord(t, d.payload?.status) })}
                    </td>
                    <td>
                      <span className={`delivery delivery-${d.status}`}>
                        {t(`orders.deliveries.${d.status}`)}
                      </span>
                    </td>
                    <td className="num">{d.attemptCount}</td>
                    <td>
                      {last ? formatDateTime(last.startedAt) : t('orders.deliveries.never')}
                      {d.status === 'pending' && d.nextAttemptAt && (
                        <small className="sub">
                          {t('orders.deliveries.nextAt', { at: formatDateTime(d.nextAttemptAt) })}
                        </small>
                      )}
                    </td>
                    <td className="num">
                      {last ? (last.responseStatus ?? t('orders.deliveries.noAnswer')) : '—'}
                    </td>
                    <td className="wrap error-cell">{error ? describeFailure(t, error) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list.nextCursor && (
        <div className="list-footer">
          <LoadMore list={list} />
        </div>
      )}
    </section>
  );
}
