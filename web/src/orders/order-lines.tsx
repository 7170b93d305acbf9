import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order } from '../api/types.ts';
import { api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { formatDocument, formatMoney } from '../format.ts';

/** The lines of an order: SKU, description, quantity, prices, discount and line total. */
export function OrderItems({ order, caption }: { order: Order; caption?: string }) {
  const { t } = useTranslation();
  if (order.items.length === 0) return <p className="hint">{t('orders.lines.noItems')}</p>;
  return (
    <table className="lines-table">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col" className="num">
            {t('orders.lines.line')}
          </th>
          <th scope="col">{t('orders.lines.sku')}</th>
          <th scope="col">{t('orders.lines.description')}</th>
          <th scope="col" className="num">
            {t('orders.lines.quantity')}
          </th>
          <th scope="col" className="num">
            {t('orders.lines.unitPrice')}
          </th>
          <th scope="col" className="num">
            {t('orders.lines.discount')}
          </th>
          <th scope="col" className="num">
            {t('orders.lines.total')}
          </th>
        </tr>
      </thead>
      <tbody>
        {order.items.map((i) => (
          <tr key={i.line} data-sku={i.sku}>
            <td className="num">{i.line}</td>
            <td className="code">{i.sku}</td>
            <td className="wrap">{i.description}</td>
            <td className="num">{i.quantity}</td>
            <td className="num">{formatMoney(i.unitPrice)}</td>
            <td className="num">{Number(i.discount) ? formatMoney(i.discount) : '—'}</td>
            <td className="num">{formatMoney(i.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How the customer paid: method, instalments, amount and, for marketplaces and invoices, who pays. */
export function OrderPayments({ order, caption }: { order: Order; caption?: string }) {
  const { t } = useTranslation();
  if (order.payments.length === 0) return <p className="hint">{t('orders.lines.noPayments')}</p>;
  const party = order.payments.some((p) => p.partyDocument);
  return (
    <table className="lines-table">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t('orders.lines.method')}</th>
          <th scope="col" className="num">
            {t('orders.lines.installments')}
          </th>
          {party && <th scope="col">{t('orders.lines.party')}</th>}
          <th scope="col" className="num">
            {t('orders.lines.amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {order.payments.map((p, index) => (
          // Payments have no id of their own; their position is stable within an order.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <tr key={index}>
            <td>{t(`paymentMethods.${p.method}`, { defaultValue: p.method })}</td>
            <td className="num">
              {p.installments ? t('orders.lines.installmentsValue', { count: p.installments }) : '—'}
            </td>
            {party && <td>{p.partyDocument ? formatDocument(p.partyDocument) : '—'}</td>}
            <td className="num">{formatMoney(p.amount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The queue's (+) panel: the order's items and payments, read when the row is opened. */
export function ExpandedOrder({ id, number }: { id: string; number: number }) {
  const { t } = useTranslation();
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    api<Order>('GET', `/api/v1/orders/${id}`, undefined, abort.signal)
      .then(setOrder)
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setError(err);
      });
    return () => abort.abort();
  }, [id]);

  if (error) return <Notice kind="error">{describeErrorIn(t, error, 'orders')}</Notice>;
  if (!order) return <p className="loading compact">{t('actions.loading')}</p>;
  return (
    <div className="expanded-order">
      <section aria-label={t('orders.lines.itemsOf', { number })}>
        <h3>{t('orders.lines.items')}</h3>
        <OrderItems order={order} />
      </section>
      <section aria-label={t('orders.lines.paymentsOf', { number })}>
        <h3>{t('orders.lines.payments')}</h3>
        <OrderPayments order={order} />
      </section>
    </div>
  );
}
