import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { Notice } from '../components/notice.tsx';
import { formatMoney, formatRelative } from '../format.ts';
import { OrderSearch } from './order-search.tsx';
import { usePos } from './pos-shell.tsx';

/**
 * "Pré-venda": the box for the order number the customer brings (typed or scanned), and the pickups
 * ready at this store, each a big button to its order.
 */
export function PosPendingPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { pending } = usePos();
  const flash = (location.state as { flash?: string } | null)?.flash;

  return (
    <section className="pos-page" aria-labelledby="pos-pending-title">
      {flash && <Notice kind="success">{flash}</Notice>}
      <OrderSearch
        id="pos-order-number"
        label={t('pos.pending.search')}
        hint={t('pos.pending.searchHint')}
        submitLabel={t('pos.pending.find')}
        notFound={(number) => t('pos.pending.notFound', { number })}
        onFound={(found) => navigate(`/pos/orders/${found.order.number}`, { state: { found } })}
      />
      <h1 id="pos-pending-title">{t('pos.pending.title')}</h1>
      {pending === null ? (
        <p className="loading">{t('pos.shell.loading')}</p>
      ) : pending.notice ? (
        <Notice kind="info">
          {t(`pos.pending.notices.${pending.notice.code}`, { defaultValue: pending.notice.message })}
        </Notice>
      ) : pending.orders.length === 0 ? (
        <div className="empty-state">
          <p>
            <strong>{t('pos.pending.empty')}</strong>
          </p>
          <p>{t('pos.pending.emptyHint')}</p>
        </div>
      ) : (
        <ul className="pos-pending-list">
          {pending.orders.map((order) => (
            <li key={order.id}>
              <Link
                className="pos-pending-card"
                to={`/pos/orders/${order.number}`}
                aria-label={t('pos.pending.open', { number: order.number })}
              >
                <span className="pos-pending-number">
                  {t('pos.pending.number', { number: order.number })}
                </span>
                <span className="pos-pending-customer">{order.customerName}</span>
                <span className="pos-pending-summary">{order.itemsSummary}</span>
                <span className="hint">
                  {t('pos.pending.items', { count: order.units })} ·{' '}
                  {t('pos.pending.since', { when: formatRelative(order.readyAt) })}
                </span>
                <span className="pos-pending-total">{formatMoney(order.total)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
