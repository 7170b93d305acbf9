import { Fragment, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import type { Address, Notification, Order, OrderStatus, OrderWebhookDelivery } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { useLoad } from '../components/use-load.ts';
import { OrderFinanceSection } from '../finance/order-section.tsx';
import { formatDate, formatDateTime, formatDocument, formatMoney } from '../format.ts';
import { useOrderEvents } from '../live.tsx';
import {
  canNotifyCustomer,
  NotifyCustomerButton,
  OrderNotifications,
} from '../notifications/order-notifications.tsx';
import { AddressForm } from '../orders/address-form.tsx';
import { CounterFacts } from '../orders/counter-facts.tsx';
import { type Feedback, FeedbackNotice } from '../orders/feedback.tsx';
import { FiscalDocuments } from '../orders/fiscal-documents.tsx';
import { LabelButtons } from '../orders/label-print.tsx';
import { hasPickupReceipt, transitionText, useOrderActions } from '../orders/order-actions.tsx';
import { OrderItems, OrderPayments } from '../orders/order-lines.tsx';
import { OrderNotes } from '../orders/order-notes.tsx';
import { useOwnChanges } from '../orders/own-changes.ts';
import { PosDownloadBadge } from '../orders/pos-download.tsx';
import { ShipmentSection } from '../orders/shipment-section.tsx';
import { useConfirm } from '../orders/use-confirm.tsx';
import { OrderDeliveries } from '../orders/webhook-deliveries.tsx';
import { OrderReturns } from '../returns/order-returns.tsx';
import { OrderStockRequests } from '../split/order-requests.tsx';
import { RerouteDialog } from '../split/reroute-dialog.tsx';

const LIVE_DEBOUNCE_MS = 300;
/** SEFAZ answers within seconds (the API waits up to 15 s): past this, a change is someone else's. */
const EXPECT_FOR_MS = 60_000;

const formatPostalCode = (cep: string) => {
  const d = cep.replace(/\D/g, '');
  return d.length === 8 ? `${d.slice(0, 5)}-${d.slice(5)}` : cep;
};

/**
 * One order: header with its actions (the same as the queue's menus), customer, delivery, items,
 * payments, totals, the full history and the webhook deliveries. A change anywhere (live feed) re-reads
 * it. An order the user may not see is "not found", as the API says.
 */
export function OrderDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const queueSearch = (location.state as { queueSearch?: string } | null)?.queueSearch ?? '';
  const back = `/orders${queueSearch}`;

  const loaded = useLoad((signal) => api<Order>('GET', `/api/v1/orders/${id}`, undefined, signal), [id]);
  // While another order loads, neither the previous order nor its failure is this one's.
  const order = loaded.data?.id === id ? loaded.data : null;
  const error = loaded.loading && !order ? null : loaded.error;
  const { reload: load, set: setOrder } = loaded;
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [editingAddress, setEditingAddress] = useState(false);
  // A screen that sent the user here may leave a word for them (the split screen: "split confirmed").
  // Kept with the order it was for, so effects run twice (StrictMode) still show it, and another order does not.
  const arrived = useRef({
    id,
    feedback: (location.state as { feedback?: Feedback } | null)?.feedback ?? null,
    // The queue's menu "Recusar itens (reencaminhar)" opens the dialog here, once the order is read.
    reroute: (location.state as { reroute?: boolean } | null)?.reroute === true,
  });
  const [rerouting, setRerouting] = useState(false);
  const deliveries = usePagedList<OrderWebhookDelivery>(
    order ? `/api/v1/orders/${order.id}/webhook-deliveries?limit=50` : null,
  );

  const messages = useLoad(
    (signal) =>
      order
        ? api<{ items: Notification[] }>('GET', `/api/v1/orders/${order.id}/notifications`, undefined, signal)
        : Promise.resolve({ items: [] }),
    [order?.id, order?.status],
  );

  useEffect(() => {
    setFeedback(arrived.current.id === id ? arrived.current.feedback : null);
  }, [id]);

  useEffect(() => {
    if (!order || arrived.current.id !== order.id || !arrived.current.reroute) return;
    arrived.current.reroute = false;
    if (actions.canReroute(order)) setRerouting(true);
  });

  /** Changes made here: their echo on the live feed is not someone else's change. */
  const ownChanges = useOwnChanges();
  /**
   * Statuses a change made here may pass through (invoicing, then invoiced or back to picking), with
   * when that stops being likely: their echo is re-read quietly, without "someone changed it".
   */
  const expected = useRef(new Map<string, number>());
  const expect = (orderId: string, status: OrderStatus) =>
    expected.current.set(`${orderId}:${status}`, Date.now() + EXPECT_FOR_MS);
  const debounce = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(debounce.current), []);
  useOrderEvents((e) => {
    if (e.orderId !== id) return;
    if (ownChanges.isEcho(e.orderId, e.status)) return;
    const until = expected.current.get(`${e.orderId}:${e.status}`);
    expected.current.delete(`${e.orderId}:${e.status}`);
    const quiet = until !== undefined && until > Date.now();
    clearTimeout(debounce.current);
    debounce.current = setTimeout(() => {
      if (!quiet && order && e.status !== order.status)
        setFeedback({ kind: 'info', text: t('orders.detail.updated') });
      load();
      deliveries.reload();
    }, LIVE_DEBOUNCE_MS);
  });

  const confirm = useConfirm();
  const actions = useOrderActions({
    ask: confirm.ask,
    notify: setFeedback,
    onChanged: (next) => {
      ownChanges.add(next.id, next.status);
      setOrder(next);
      deliveries.reload();
    },
    onStale: () => load(),
    expect,
  });

  if (error) {
    const missing = error instanceof ApiError && [400, 404, 422].includes(error.status);
    return (
      <section className="empty-state order-missing" aria-labelledby="order-title">
        <h1 id="order-title">{missing ? t('orders.detail.notFoundTitle') : t('errors.generic')}</h1>
        <p role="alert">{missing ? t('orders.detail.notFound') : describeErrorIn(t, error, 'orders')}</p>
        <p>
          {!missing && (
            <button type="button" className="button" onClick={() => load()}>
              {t('actions.retry')}
            </button>
          )}{' '}
          <Link to={back}>{t('orders.detail.back')}</Link>
        </p>
      </section>
    );
  }
  if (!order) return <p className="loading">{t('orders.detail.loading')}</p>;

  const address = order.customer.address;
  const ADDRESS_EDITABLE: readonly OrderStatus[] = ['open', 'awaiting_stock', 'accepted', 'picking'];
  const rerouteButton = actions.canReroute(order) ? (
    <button type="button" className="button" onClick={() => setRerouting(true)}>
      {t('split.reroute.action')}
    </button>
  ) : null;
  return (
    <article className="order-detail" aria-labelledby="order-title">
      <p className="back-link">
        <Link to={back}>
          <span aria-hidden="true">← </span>
          {t('orders.detail.back')}
        </Link>
      </p>
      <header className="order-head card">
        <div className="order-title">
          <h1 id="order-title">{t('orders.numberLong', { number: order.number })}</h1>
          <StatusBadge status={order.status} />
          <PosDownloadBadge order={order} />
          <span className={order.paid ? 'paid yes' : 'paid'}>
            {order.paid ? t('orders.paid.yes') : t('orders.paid.no')}
          </span>
        </div>
        <p className="order-subtitle">
          {order.storeName} · {t(`deliveryTypes.${order.deliveryType}`)} · {t('orders.detail.placedAt')}{' '}
          {formatDateTime(order.placedAt)}
        </p>
        {order.reroutedFromId && <ReroutedFrom orderId={order.reroutedFromId} />}
        <div className="order-actions">
          <button type="button" className="button" onClick={() => void actions.print([order.id], 'a4')}>
            {t('orders.menu.printA4')}
          </button>
          <button type="button" className="button" onClick={() => void actions.print([order.id], 'thermal')}>
            {t('orders.menu.printThermal')}
          </button>
          <LabelButtons order={order} />
          {hasPickupReceipt(order) && (
            <button type="button" className="button" onClick={() => void actions.printReceipt(order)}>
              {t('counter.receipt.action')}
            </button>
          )}
          {order.allowedTransitions.length > 0 && <span className="divider" aria-hidden="true" />}
          {order.allowedTransitions.map((to) => (
            <Fragment key={to}>
              {/* Cancelling stays the last button: it ends the order, refusing lines does not. */}
              {to === 'cancelled' && rerouteButton}
              <button
                type="button"
                className={
                  to === 'cancelled'
                    ? 'button danger-outline'
                    : order.status === 'open' && to === 'picking'
                      ? 'button'
                      : 'button primary'
                }
                title={to === 'awaiting_stock' ? transitionText(t, to, 'title') : undefined}
                onClick={() => actions.act(order, to)}
              >
                {transitionText(t, to, 'action', undefined, order.status)}
              </button>
            </Fragment>
          ))}
          {!order.allowedTransitions.includes('cancelled') && rerouteButton}
          {order.allowedTransitions.length === 0 && !rerouteButton && (
            <span className="hint">{t('orders.menu.noChanges')}</span>
          )}
          {order.status === 'picking' && (
            <Link className="button primary conference-link" to={`/orders/${order.id}/conference`}>
              {t('conference.open')}
            </Link>
          )}
          <span className="divider" aria-hidden="true" />
          <Link className="button trace-link" to={`/orders/${order.id}/trace`}>
            {t('split.trace.link')}
          </Link>
          {canNotifyCustomer(order) && (
            <NotifyCustomerButton
              order={order}
              onDone={(text) => {
                setFeedback({ kind: 'success', text });
                messages.reload();
              }}
              onError={(text) => setFeedback({ kind: 'error', text })}
            />
          )}
        </div>
      </header>

      {feedback && <FeedbackNotice feedback={feedback} onDismiss={() => setFeedback(null)} />}

      <div className="order-grid">
        <section className="card order-section" aria-labelledby="order-facts">
          <h2 id="order-facts">{t('orders.detail.order')}</h2>
          <dl className="facts compact">
            <Fact
              label={t('orders.detail.externalId')}
              value={<span className="mono">{order.externalId}</span>}
            />
            <Fact label={t('orders.detail.store')} value={order.storeName} />
            <Fact
              label={t('orders.detail.channel')}
              value={t(`orders.channels.${order.channel}`, { defaultValue: order.channel })}
            />
            <Fact
              label={t('orders.detail.modality')}
              value={t(`orders.modalities.${order.modality}`, { defaultValue: order.modality })}
            />
            <Fact label={t('orders.detail.delivery')} value={t(`deliveryTypes.${order.deliveryType}`)} />
            {order.carrier && <Fact label={t('orders.detail.carrier')} value={order.carrier} />}
            <Fact label={t('orders.detail.placedAt')} value={formatDateTime(order.placedAt)} />
            {order.arrivedAt && (
              <Fact label={t('orders.detail.arrivedAt')} value={formatDateTime(order.arrivedAt)} />
            )}
            {order.expectedInvoiceAt && (
              <Fact
                label={t('orders.detail.expectedInvoiceAt')}
                value={formatDate(order.expectedInvoiceAt)}
              />
            )}
            {order.shortfall && (
              <Fact
                label={t('orders.shortfall.recorded')}
                value={
                  <span className="shortfall">
                    {order.shortfall.map((l) => t('orders.shortfall.line', { ...l })).join('; ')}
                  </span>
                }
              />
            )}
            {order.salesperson && (
              <Fact label={t('orders.salesperson.label')} value={order.salesperson.name} />
            )}
            <CounterFacts order={order} />
            <Fact label={t('orders.detail.updatedAt')} value={formatDateTime(order.updatedAt)} />
          </dl>
        </section>

        <section className="card order-section" aria-labelledby="order-customer">
          <h2 id="order-customer">{t('orders.detail.customer')}</h2>
          <dl className="facts compact">
            <Fact label={t('orders.detail.name')} value={order.customer.name} />
            <Fact
              label={t('orders.detail.document')}
              value={<span className="mono">{formatDocument(order.customer.document)}</span>}
            />
            <Fact label={t('orders.detail.email')} value={order.customer.email} />
            <Fact label={t('orders.detail.phone')} value={order.customer.phone} />
          </dl>
        </section>

        <section className="card order-section" aria-labelledby="order-address">
          <h2 id="order-address">{t('orders.detail.address')}</h2>
          {editingAddress ? (
            <AddressForm
              order={order}
              onCancel={() => setEditingAddress(false)}
              onSaved={(next) => {
                setOrder(next);
                setEditingAddress(false);
                setFeedback({ kind: 'success', text: t('orders.address.saved', { number: next.number }) });
              }}
            />
          ) : address ? (
            <>
              <AddressLines address={address} />
              {order.deliveryType === 'ship' && !address.cityCode && (
                <Notice kind="error">{t('orders.address.cityUnknown')}</Notice>
              )}
              {order.deliveryType === 'ship' && ADDRESS_EDITABLE.includes(order.status) && (
                <button type="button" className="button small" onClick={() => setEditingAddress(true)}>
                  {t('orders.address.edit')}
                </button>
              )}
            </>
          ) : order.deliveryType === 'pickup' ? (
            <p>{t('orders.detail.pickupAt', { store: order.storeName })}</p>
          ) : (
            <p className="hint">{t('orders.detail.noAddress')}</p>
          )}
        </section>

        <section className="card order-section" aria-labelledby="order-totals">
          <h2 id="order-totals">{t('orders.detail.totals')}</h2>
          <dl className="totals">
            <dt>{t('orders.detail.itemsTotal')}</dt>
            <dd>{formatMoney(order.itemsTotal)}</dd>
            <dt>{t('orders.detail.discountTotal')}</dt>
            <dd>
              {Number(order.discountTotal) ? `− ${formatMoney(order.discountTotal)}` : formatMoney('0')}
            </dd>
            <dt>{t('orders.detail.freight')}</dt>
            <dd>{formatMoney(order.freight)}</dd>
            <dt className="grand">{t('orders.detail.total')}</dt>
            <dd className="grand">{formatMoney(order.total)}</dd>
          </dl>
        </section>
      </div>

      <ShipmentSection
        order={order}
        notify={setFeedback}
        onChanged={(next) => {
          setOrder(next);
          deliveries.reload();
        }}
      />

      <section className="card order-section" aria-labelledby="order-items">
        <h2 id="order-items">{t('orders.lines.items')}</h2>
        <div className="table-wrap">
          <OrderItems order={order} />
        </div>
      </section>

      <section className="card order-section" aria-labelledby="order-payments">
        <h2 id="order-payments">{t('orders.lines.payments')}</h2>
        <div className="table-wrap">
          <OrderPayments order={order} />
        </div>
      </section>

      <OrderStockRequests
        order={order}
        ask={confirm.ask}
        notify={setFeedback}
        onOrderChanged={() => void load()}
      />

      <FiscalDocuments
        order={order}
        ask={confirm.ask}
        notify={setFeedback}
        onOrderChanged={() => void load()}
        expect={expect}
      />

      <OrderReturns order={order} />

      <OrderFinanceSection order={order} />

      <OrderNotes orderId={order.id} />

      <section className="card order-section" aria-labelledby="order-history">
        <h2 id="order-history">{t('orders.detail.history')}</h2>
        {order.history.length === 0 ? (
          <p className="hint">{t('orders.detail.noHistory')}</p>
        ) : (
          <ol className="timeline">
            {order.history.map((h, index) => (
              // The history only grows; an entry's position is its identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <li key={index}>
                <time dateTime={h.at}>{formatDateTime(h.at)}</time>
                <strong className="timeline-change">
                  {h.from === h.to
                    ? t('orders.detail.historyNote', { status: t(`statuses.${h.to}`) })
                    : h.from
                      ? t('orders.detail.historyEntry', {
                          from: t(`statuses.${h.from}`),
                          to: t(`statuses.${h.to}`),
                        })
                      : t('orders.detail.historyFirst', { to: t(`statuses.${h.to}`) })}
                </strong>
                <span className="timeline-who">
                  {t('orders.detail.by', {
                    name:
                      h.actor.kind === 'user'
                        ? `${h.actor.name} (${t(`roles.${h.actor.role}`, { defaultValue: h.actor.role })})`
                        : h.actor.name,
                  })}{' '}
                  ·{' '}
                  {t('orders.detail.via', {
                    channel: t(`channels.${h.channel}`, { defaultValue: h.channel }),
                  })}
                </span>
                {h.reason && (
                  <span className="timeline-reason">{t('orders.detail.reason', { reason: h.reason })}</span>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>

      <OrderDeliveries order={order} list={deliveries} ask={confirm.ask} notify={setFeedback} />
      <OrderNotifications
        list={{
          items: messages.data?.items ?? [],
          loading: messages.loading,
          error: messages.error,
          reload: messages.reload,
        }}
      />

      {confirm.dialog}
      <RerouteDialog
        order={order}
        open={rerouting}
        onClose={() => setRerouting(false)}
        onDone={(next, done) => {
          setRerouting(false);
          ownChanges.add(next.id, next.status);
          setOrder(next);
          setFeedback(done);
          deliveries.reload();
        }}
        onStale={(why) => {
          setRerouting(false);
          setFeedback(why);
          load();
        }}
      />
    </article>
  );
}

/** "Reencaminhado do pedido Nº N": the order whose refused lines became this one, when the user may see it. */
function ReroutedFrom({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const from = useLoad(
    (signal) =>
      api<Order>('GET', `/api/v1/orders/${orderId}`, undefined, signal).then(
        (o) => ({ id: orderId, number: o.number }),
        // Another store's order (404) or a failed read: say where it came from, without the link.
        () => ({ id: orderId, number: null }),
      ),
    [orderId],
  );
  if (from.data?.id !== orderId) return null;
  const { number } = from.data;
  return (
    <p className="rerouted-from hint">
      {t('split.reroute.from')}{' '}
      {number === null ? (
        t('split.reroute.fromHidden')
      ) : (
        <Link to={`/orders/${orderId}`}>{t('split.reroute.fromNumber', { number })}</Link>
      )}
    </p>
  );
}

function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function AddressLines({ address }: { address: Address }) {
  const { t } = useTranslation();
  return (
    <address className="address">
      {address.street}, {address.number}
      {address.complement ? ` — ${address.complement}` : ''}
      <br />
      {address.district} · {address.city}/{address.state}
      <br />
      {t('orders.detail.postalCode', { code: formatPostalCode(address.postalCode) })}
    </address>
  );
}
