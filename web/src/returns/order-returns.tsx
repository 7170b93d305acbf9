import { useTranslation } from 'react-i18next';
import type { Order, OrderReturn } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import { openDanfe } from '../orders/fiscal-files.ts';

/**
 * The goods of the order that came back at the POS: when, why (the omni reason), what, the refund and the
 * NF-e de entrada's DANFE. Nothing is shown for an order without returns.
 */
export function OrderReturns({ order }: { order: Order }) {
  const { t } = useTranslation();
  const { data, error } = useLoad(
    async (signal) =>
      (await api<{ items: OrderReturn[] }>('GET', `/api/v1/orders/${order.id}/returns`, undefined, signal))
        .items,
    // A return adds a history row without changing the order's version.
    [order.id, order.version, order.history.length],
  );
  if (error) return <Notice kind="error">{describeErrorIn(t, error, 'returns')}</Notice>;
  if (!data || data.length === 0) return null;
  return (
    <section className="card order-section" aria-labelledby="order-returns">
      <h2 id="order-returns">{t('returns.order.title')}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('returns.order.at')}</th>
              <th scope="col">{t('returns.order.reason')}</th>
              <th scope="col">{t('returns.order.items')}</th>
              <th scope="col">{t('returns.order.total')}</th>
              <th scope="col">{t('returns.order.refund')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('returns.order.document')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((r) => (
              <tr key={r.id}>
                <td>{formatDateTime(r.createdAt)}</td>
                <td>
                  {r.reason
                    ? r.reason.code
                      ? `${r.reason.code} — ${r.reason.description}`
                      : r.reason.description
                    : t('returns.order.noReason')}
                </td>
                <td>
                  {r.items.map((i) => `${i.quantity} × ${i.sku}`).join(', ')}
                  {r.full && <span className="tag muted">{t('returns.order.full')}</span>}
                </td>
                <td>{formatMoney(r.total)}</td>
                <td>
                  {r.refund
                    ? `${t(`returns.order.refundMethods.${r.refund.method}`)} ${formatMoney(r.refund.amount)}`
                    : '—'}
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button"
                    onClick={() => void openDanfe(t, r.fiscalDocumentId)}
                  >
                    {t('returns.order.danfe')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
