import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import type { NetworkNode, Order, OrderStatus, Page, QueueItem } from '../api/types.ts';
import { api, query } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { MenuButton } from '../components/menu-button.tsx';
import { toggleIn, useSelectAll } from '../components/row-selection.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { Switch } from '../components/switch.tsx';
import { formatDateTime, formatDocument, formatMoney, todayInSaoPaulo } from '../format.ts';
import { useOrderEvents } from '../live.tsx';
import { type Feedback, FeedbackNotice } from '../orders/feedback.tsx';
import { InvoiceBatch, MAX_INVOICE_BATCH } from '../orders/invoice-batch.tsx';
import { LabelPrintMenu } from '../orders/label-print.tsx';
import { useOrderActions } from '../orders/order-actions.tsx';
import { ExpandedOrder } from '../orders/order-lines.tsx';
import { useOwnChanges } from '../orders/own-changes.ts';
import { PosDownloadBadge } from '../orders/pos-download.tsx';
import { QueueFilterForm, StatusCounters } from '../orders/queue-filters.tsx';
import {
  defaultFilters,
  type Interval,
  intervals,
  type QueueFilters,
  queueApiPath,
  queueParams,
  readQueueParams,
} from '../orders/queue-params.ts';
import { useConfirm } from '../orders/use-confirm.tsx';
import { useQueue } from '../orders/use-queue.ts';

/** Live changes come in bursts (an acceptance, then its webhook); one re-read for each burst. */
const LIVE_DEBOUNCE_MS = 300;
const COLUMNS = 13;

const toQueueItem = (o: Order): QueueItem => ({
  id: o.id,
  number: o.number,
  storeCode: o.storeCode,
  storeName: o.storeName,
  channel: o.channel,
  modality: o.modality,
  placedAt: o.placedAt,
  total: o.total,
  customerDocument: o.customer.document,
  deliveryType: o.deliveryType,
  paid: o.paid,
  status: o.status,
  posDownloadedAt: o.posDownloadedAt,
  allowedTransitions: o.allowedTransitions,
  addressIssue:
    o.deliveryType === 'ship' && o.customer.address && !o.customer.address.cityCode
      ? 'city_unresolved'
      : null,
});

/**
 * The store queue (seeds: "Pedido de Venda Omni"). Auto refresh shows today's open and picking orders
 * and follows the live feed (the interval is the fallback); with it off the list stays still under the
 * clerk's mouse and a button says there is news. Filters live in the address.
 */
export function QueuePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const autoByDefault = me?.nodeKind === 'store';
  const view = readQueueParams(params, autoByDefault);
  const today = todayInSaoPaulo();
  /** What the list shows: the filters asked for, or the server's default view. */
  const shown = view.hasFilters ? view.filters : defaultFilters(today);
  const path = queueApiPath(view.hasFilters ? view.filters : null);
  const queue = useQueue(path);

  const [stores, setStores] = useState<NetworkNode[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [news, setNews] = useState(false);
  /** The selection "Faturar selecionados" asks about; null while nothing is asked. */
  const [invoicing, setInvoicing] = useState<string[] | null>(null);

  useEffect(() => {
    api<Page<NetworkNode>>('GET', `/api/v1/nodes${query({ kind: 'store', limit: 200 })}`)
      .then((page) => setStores(page.items))
      .catch(() => setStores([]));
  }, []);

  // Other filters, other orders: what was ticked or opened belonged to the previous list.
  const lastPath = useRef(path);
  useEffect(() => {
    if (lastPath.current === path) return;
    lastPath.current = path;
    setSelected(new Set());
    setExpanded(new Set());
    setNews(false);
  }, [path]);

  // A re-read may drop orders (they left the view): so does the selection.
  useEffect(() => {
    setSelected((s) => {
      const kept = [...s].filter((id) => queue.items.some((i) => i.id === id));
      return kept.length === s.size ? s : new Set(kept);
    });
  }, [queue.items]);

  /** Orders this screen just changed: their echo on the live feed is not news. */
  const ownChanges = useOwnChanges();
  const debounce = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(debounce.current), []);
  useOrderEvents((e) => {
    if (ownChanges.isEcho(e.orderId, e.status)) return;
    if (view.auto) {
      clearTimeout(debounce.current);
      debounce.current = setTimeout(queue.refresh, LIVE_DEBOUNCE_MS);
    } else setNews(true);
  });

  // The interval: the fallback when the live feed is down (or a change was missed).
  useEffect(() => {
    if (!view.auto) return;
    const timer = setInterval(queue.refresh, view.interval * 1000);
    return () => clearInterval(timer);
  }, [view.auto, view.interval, queue.refresh]);

  const confirm = useConfirm();
  const actions = useOrderActions({
    ask: confirm.ask,
    notify: setFeedback,
    onChanged: (order) => {
      ownChanges.add(order.id, order.status);
      queue.replace(toQueueItem(order));
    },
    onStale: () => queue.refresh(),
  });

  const go = (filters: QueueFilters | null, auto: boolean, interval: Interval = view.interval) => {
    setParams(queueParams(filters, { auto, autoByDefault, interval }));
  };

  const setAuto = (on: boolean) => {
    setFeedback(null);
    setNews(false);
    // On: back to the default view, whatever was filtered.
    go(null, on);
    if (on && !view.hasFilters) queue.refresh();
  };

  /** A counter shows only its status (or all), in the period and stores the list is showing. */
  const showStatus = (status: OrderStatus | null) =>
    go({ ...shown, statuses: status ? [status] : [] }, false);

  const detailsOf = (id: string) => navigate(`/orders/${id}`, { state: { queueSearch: location.search } });

  const selectedItems = queue.items.filter((i) => selected.has(i.id));
  const pageIds = queue.items.map((i) => i.id);
  const { ref: selectAll, allOnPage } = useSelectAll(pageIds, selected);

  const storeOptions = useMemo(() => stores.map((s) => ({ value: s.code, label: s.name })), [stores]);
  const first = queue.loading && queue.loadedAt === null;

  return (
    <section className="queue-page" aria-labelledby="queue-title">
      <header className="page-header">
        <h1 id="queue-title">{t('orders.title')}</h1>
        <p className="hint">{t('orders.intro')}</p>
      </header>

      <div className="queue-bar">
        <div className="queue-refresh">
          <span className="queue-refresh-label" aria-hidden="true">
            {t('orders.auto.label')}
          </span>
          <Switch
            checked={view.auto}
            label={t('orders.auto.label')}
            onText={t('orders.auto.on')}
            offText={t('orders.auto.off')}
            onChange={setAuto}
          />
          <label className="inline-field">
            <span>{t('orders.auto.interval')}</span>
            <select
              value={view.interval}
              disabled={!view.auto}
              onChange={(e) => go(null, true, Number(e.target.value) as Interval)}
            >
              {intervals.map((i) => (
                <option key={i} value={i}>
                  {t(`orders.auto.intervals.${i}`)}
                </option>
              ))}
            </select>
          </label>
          <span className="hint" aria-live="polite">
            {view.auto ? t('orders.auto.showing') : view.hasFilters ? '' : t('orders.filters.defaultView')}
          </span>
          {news && (
            <button
              type="button"
              className="button small news"
              aria-label={t('orders.auto.pendingLabel')}
              onClick={() => {
                setNews(false);
                queue.refresh();
              }}
            >
              {t('orders.auto.pending')} — <strong>{t('orders.auto.refresh')}</strong>
            </button>
          )}
        </div>
        <div className="queue-options">
          {selectedItems.length > 0 && (
            <>
              <span className="hint">{t('orders.options.selected', { count: selectedItems.length })}</span>
              <button type="button" className="button small" onClick={() => setSelected(new Set())}>
                {t('orders.options.clearSelection')}
              </button>
              <button
                type="button"
                className="button small"
                onClick={() =>
                  selectedItems.length > MAX_INVOICE_BATCH
                    ? setFeedback({
                        kind: 'error',
                        text: t('orders.batchInvoice.tooMany', { max: MAX_INVOICE_BATCH }),
                      })
                    : setInvoicing(selectedItems.map((i) => i.id))
                }
              >
                {t('orders.batchInvoice.action', { count: selectedItems.length })}
              </button>
            </>
          )}
          {selectedItems.length > 0 && <LabelPrintMenu orders={selectedItems} />}
          <MenuButton
            label={t('orders.options.button')}
            className="button primary"
            entries={
              selectedItems.length === 0
                ? [{ kind: 'note', key: 'none', text: t('orders.options.none') }]
                : selectedItems.length === 1
                  ? actions.entriesFor(selectedItems[0]!, () => detailsOf(selectedItems[0]!.id))
                  : actions.batchEntries(selectedItems.map((i) => i.id))
            }
          >
            {t('orders.options.button')} <span aria-hidden="true">▾</span>
          </MenuButton>
        </div>
      </div>

      <QueueFilterForm
        key={params.toString()}
        shown={shown}
        filtered={view.hasFilters}
        storeOptions={storeOptions}
        onApply={(filters) => go(filters, false)}
        onClear={() => go(null, autoByDefault)}
      />

      <StatusCounters totals={queue.totals} shown={shown.statuses} onShow={showStatus} />

      {feedback && <FeedbackNotice feedback={feedback} onDismiss={() => setFeedback(null)} />}
      {queue.error ? (
        <div className="notice error feedback" role="alert">
          <p>{describeErrorIn(t, queue.error, 'orders')}</p>
          <button type="button" className="button small" onClick={queue.refresh}>
            {t('actions.retry')}
          </button>
        </div>
      ) : null}

      {first ? (
        <p className="loading">{t('orders.loading')}</p>
      ) : !queue.loading && !queue.error && queue.items.length === 0 ? (
        <section className="empty-state" aria-live="polite">
          <h2>{t('orders.empty.title')}</h2>
          <p>{view.hasFilters ? t('orders.empty.filtered') : t('orders.empty.today')}</p>
        </section>
      ) : queue.items.length > 0 ? (
        <div className="table-wrap">
          <table className="queue-table" aria-labelledby="queue-title" aria-busy={queue.loading || undefined}>
            <thead>
              <tr>
                <th scope="col" className="check">
                  <input
                    ref={selectAll}
                    type="checkbox"
                    aria-label={t('orders.selectAll')}
                    checked={allOnPage}
                    onChange={(e) => setSelected(e.target.checked ? new Set(pageIds) : new Set())}
                  />
                </th>
                <th scope="col" className="check">
                  <span className="visually-hidden">{t('orders.columns.expand')}</span>
                </th>
                <th scope="col">{t('orders.columns.number')}</th>
                <th scope="col">{t('orders.columns.store')}</th>
                <th scope="col">{t('orders.columns.channel')}</th>
                <th scope="col">{t('orders.columns.modality')}</th>
                <th scope="col">{t('orders.columns.placedAt')}</th>
                <th scope="col" className="num">
                  {t('orders.columns.total')}
                </th>
                <th scope="col">{t('orders.columns.customer')}</th>
                <th scope="col">{t('orders.columns.delivery')}</th>
                <th scope="col">{t('orders.columns.paid')}</th>
                <th scope="col">{t('orders.columns.status')}</th>
                <th scope="col" className="check">
                  <span className="visually-hidden">{t('orders.columns.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {queue.items.map((o) => {
                const isOpen = expanded.has(o.id);
                const isSelected = selected.has(o.id);
                return (
                  <Fragment key={o.id}>
                    <tr
                      className={isSelected ? 'selected' : undefined}
                      data-order={o.id}
                      data-number={o.number}
                    >
                      <td className="check">
                        <input
                          type="checkbox"
                          aria-label={t('orders.selectOne', { number: o.number })}
                          checked={isSelected}
                          onChange={(e) => {
                            const on = e.target.checked;
                            setSelected((s) => toggleIn(s, o.id, on));
                          }}
                        />
                      </td>
                      <td className="check">
                        <button
                          type="button"
                          className="button icon expand"
                          aria-expanded={isOpen}
                          aria-controls={`order-lines-${o.id}`}
                          aria-label={t(isOpen ? 'orders.collapse' : 'orders.expand', { number: o.number })}
                          title={t(isOpen ? 'orders.collapse' : 'orders.expand', { number: o.number })}
                          onClick={() => setExpanded((s) => toggleIn(s, o.id, !isOpen))}
                        >
                          <span aria-hidden="true">{isOpen ? '−' : '+'}</span>
                        </button>
                      </td>
                      <td className="code">
                        <Link to={`/orders/${o.id}`} state={{ queueSearch: location.search }}>
                          {t('orders.number', { number: o.number })}
                        </Link>
                      </td>
                      <td className="store-cell" title={o.storeName}>
                        {o.storeName}
                      </td>
                      <td>{t(`orders.channels.${o.channel}`, { defaultValue: o.channel })}</td>
                      <td>{t(`orders.modalities.${o.modality}`, { defaultValue: o.modality })}</td>
                      <td>{formatDateTime(o.placedAt)}</td>
                      <td className="num">{formatMoney(o.total)}</td>
                      <td className="mono">{formatDocument(o.customerDocument)}</td>
                      <td>{t(`deliveryTypes.${o.deliveryType}`)}</td>
                      <td>
                        <span className={o.paid ? 'paid yes' : 'paid'}>
                          {o.paid ? t('orders.paid.yes') : t('orders.paid.no')}
                        </span>
                      </td>
                      <td>
                        <StatusBadge status={o.status} />
                        <PosDownloadBadge order={o} />
                        {o.addressIssue === 'city_unresolved' && (
                          <span className="address-issue" title={t('orders.addressIssue.tooltip')}>
                            <span aria-hidden="true">⚠ </span>
                            {t('orders.addressIssue.badge')}
                            <span className="visually-hidden">: {t('orders.addressIssue.tooltip')}</span>
                          </span>
                        )}
                      </td>
                      <td className="check">
                        <MenuButton
                          label={t('orders.rowMenu', { number: o.number })}
                          entries={actions.entriesFor(o, () => detailsOf(o.id))}
                        >
                          <span aria-hidden="true">⋯</span>
                        </MenuButton>
                      </td>
                    </tr>
                    {isOpen && (
                      <tr className="expanded-row" id={`order-lines-${o.id}`}>
                        <td colSpan={COLUMNS}>
                          <ExpandedOrder id={o.id} number={o.number} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}

      {queue.items.length > 0 && (
        <footer className="list-footer">
          <span className="hint">
            {t('orders.showing', { count: queue.items.length })}
            {queue.loadedAt &&
              ` · ${t('orders.auto.updatedAt', {
                time: queue.loadedAt.toLocaleTimeString('pt-BR', {
                  hour: '2-digit',
                  minute: '2-digit',
                  second: '2-digit',
                }),
              })}`}
          </span>
          {queue.nextCursor && <LoadMore list={queue} />}
        </footer>
      )}

      {confirm.dialog}
      <InvoiceBatch ids={invoicing} onClose={() => setInvoicing(null)} onFinished={queue.refresh} />
    </section>
  );
}
