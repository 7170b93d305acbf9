import { useTranslation } from 'react-i18next';
import type { CustomerNotified, Notification, Order, OrderStatus } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { formatDateTime } from '../format.ts';
import './notifications.css';

/** The statuses with a customer message (notifications/domain.ts `customerTemplateFor`). */
const notifiable: readonly OrderStatus[] = [
  'accepted',
  'ready_for_pickup',
  'invoiced',
  'in_transit',
  'delivered',
];
export const canNotifyCustomer = (order: Order) => notifiable.includes(order.status);

/**
 * "Notificar cliente" (seed 003): WhatsApp opened in a new tab with the current status's message written. The
 * tab is opened on the click (a tab opened after an answer is a pop-up browsers block), then pointed at wa.me.
 */
export function NotifyCustomerButton(props: {
  order: Order;
  onDone(text: string): void;
  onError(text: string): void;
}) {
  const { t } = useTranslation();
  const run = async () => {
    const tab = window.open('', '_blank');
    try {
      const sent = await api<CustomerNotified>(
        'POST',
        `/api/v1/orders/${props.order.id}/notify-customer`,
        {},
      );
      if (tab) {
        tab.opener = null;
        tab.location.href = sent.link;
      } else window.open(sent.link, '_blank', 'noopener');
      props.onDone(t('notifications.order.notified', { to: sent.to }));
    } catch (error) {
      tab?.close();
      props.onError(describeErrorIn(t, error, 'notifications'));
    }
  };
  return (
    <button type="button" className="button" onClick={() => void run()} data-testid="notify-customer">
      {t('notifications.order.notifyCustomer')}
    </button>
  );
}

/** The order's messages to the store and the customer (GET /orders/{id}/notifications). */
export function OrderNotifications(props: {
  list: { items: Notification[]; loading: boolean; error: unknown; reload(): void };
}) {
  const { t } = useTranslation();
  const { list } = props;
  return (
    <section className="card order-section" aria-labelledby="notifications-title">
      <div className="section-head">
        <div>
          <h2 id="notifications-title">{t('notifications.order.title')}</h2>
          <p className="section-hint">{t('notifications.order.explain')}</p>
        </div>
        <div className="toolbar">
          <button type="button" className="button" onClick={list.reload} disabled={list.loading}>
            {t('notifications.order.refresh')}
          </button>
        </div>
      </div>
      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'notifications')}</Notice> : null}
      {!list.loading && !list.error && list.items.length === 0 && (
        <p className="hint">{t('notifications.order.empty')}</p>
      )}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table className="order-notifications" aria-labelledby="notifications-title">
            <thead>
              <tr>
                <th scope="col">{t('notifications.outbox.columns.createdAt')}</th>
                <th scope="col">{t('notifications.outbox.columns.template')}</th>
                <th scope="col">{t('notifications.outbox.columns.channel')}</th>
                <th scope="col">{t('notifications.outbox.columns.to')}</th>
                <th scope="col">{t('notifications.outbox.columns.status')}</th>
                <th scope="col" className="num">
                  {t('notifications.outbox.columns.attempts')}
                </th>
                <th scope="col">{t('notifications.outbox.columns.lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((m) => (
                <tr key={m.id} data-status={m.status}>
                  <td>{formatDateTime(m.createdAt)}</td>
                  <td>{t(`notifications.templates.${m.template}`, { defaultValue: m.template })}</td>
                  <td>{t(`notifications.channels.${m.channel}`)}</td>
                  <td>{m.to || t('notifications.outbox.noRecipient')}</td>
                  <td>
                    <span className={`message-status message-${m.status}`}>
                      {t(`notifications.statuses.${m.status}`)}
                    </span>
                  </td>
                  <td className="num">{m.attempts}</td>
                  <td className="message-error">{m.lastError}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
