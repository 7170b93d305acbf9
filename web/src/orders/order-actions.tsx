import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import type { Invoiced, Order, OrderStatus, SlipLayout, StockShortage } from '../api/types.ts';
import { ApiError, api, openPdf, query, request } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import type { MenuEntry } from '../components/menu-button.tsx';
import type { Feedback } from './feedback.tsx';
import {
  downloadXml,
  fiscalFieldLines,
  openDanfe,
  printsDanfeAutomatically,
  rejectionReason,
} from './fiscal-files.ts';
import { type HandoverDraft, HandoverFields } from './handover-fields.tsx';
import { type SalespersonDraft, SalespersonField } from './salesperson-field.tsx';
import type { Question } from './use-confirm.tsx';

/** The batch picking-slip endpoint prints at most this many orders at once. */
export const MAX_PRINT = 100;

/** Target statuses with their own words in the catalogue; any other falls back to `transitions.other`. */
const worded = ['accepted', 'picking', 'ready_for_pickup', 'in_transit', 'delivered', 'cancelled'] as const;
const isWorded = (s: OrderStatus): s is (typeof worded)[number] => (worded as readonly string[]).includes(s);

export function transitionText(
  t: TFunction,
  to: OrderStatus,
  part: 'action' | 'title' | 'message' | 'done',
  number?: number,
  from?: OrderStatus,
): string {
  // An invoiced pickup order is delivered by handing it over (who collects it), not by a bare change.
  if (from === 'invoiced' && to === 'delivered' && part !== 'done')
    return t(`counter.handover.${part}`, { number });
  // Seeds 000: an open order goes straight to picking, accepted (and its stock reserved) on the way.
  if (from === 'open' && to === 'picking') return t(`orders.transitions.acceptAndPick.${part}`, { number });
  // The edge to invoicing is "Faturar": it issues the NF-e (POST /invoice), not a plain status change.
  if (to === 'invoicing' && part !== 'done') return t(`orders.invoice.${part}`, { number });
  // The edge to awaiting_stock is the split: it opens the split screen, never a plain status change.
  if (to === 'awaiting_stock') return t(`split.action.${part}`, { number });
  const key = isWorded(to) ? to : 'other';
  return t(`orders.transitions.${key}.${part}`, { number, status: t(`statuses.${to}`) });
}

/** What the actions need to know of an order: a queue row and a full order both qualify. */
export interface Actionable {
  id: string;
  number: number;
  status: OrderStatus;
  allowedTransitions: OrderStatus[];
  deliveryType?: 'pickup' | 'ship';
  /** The store that invoices it: its TP_ENVIO_NFE_AUTOMATIC says whether the DANFE opens by itself. */
  storeCode?: string;
}

/** The pickup receipt is offered for pickup orders that were served (seeds 003: "pedido atendido"). */
export const hasPickupReceipt = (order: Actionable) =>
  order.deliveryType === 'pickup' && (order.status === 'invoiced' || order.status === 'delivered');

export const slipPath = (ids: readonly string[], layout: SlipLayout) =>
  ids.length === 1
    ? `/api/v1/orders/${ids[0]}/picking-slip.pdf${query({ layout })}`
    : `/api/v1/picking-slips.pdf${query({ orderId: [...ids], layout })}`;

/**
 * The actions on an order, shared by the row menu, the top "Opções" menu and the order screen: status
 * changes (only those the server says this user may make now, each after a confirmation) and printing the
 * picking slip. A refusal the clerk cannot fix by trying again (stock, the order moved on) closes the
 * dialog, says why on the screen and re-reads the order.
 */
export function useOrderActions(opts: {
  ask(question: Question): void;
  notify(feedback: Feedback | null): void;
  /** The order as the server answered a change. */
  onChanged(order: Order): void;
  /** The server refused because the order is not what the screen shows: read it again. */
  onStale(orderId: string): void;
  /** A change is about to pass through `status` on its way (invoicing): its echo is not someone else's. */
  expect?(orderId: string, status: OrderStatus): void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { me } = useAuth();
  const openSplit = (order: Actionable) => navigate(`/orders/${order.id}/split`);
  /** Refusing lines at acceptance is the back office's, while the order is open. */
  const canReroute = (order: Actionable) => order.status === 'open' && me?.kind === 'user';
  /** The re-routing dialog lives on the order's screen: open it there. */
  const openReroute = (order: Actionable) =>
    navigate(`/orders/${order.id}`, { state: { reroute: true, queueSearch: location.search } });

  /** IN_BLOQ_SALDO_NEG off lets a manager (not a clerk) accept without the whole stock. */
  const isManager =
    me?.actor === 'network_admin' || me?.actor === 'central_admin' || me?.actor === 'store_manager';

  const send = (order: Actionable, to: OrderStatus, reason?: string, allowShortfall?: boolean) => {
    // The live feed may echo the change before its answer arrives here: expected before it is sent, it is
    // re-read quietly, never announced as someone else's. Starting picking on an open order accepts it on
    // the way: that echo is this user's too.
    opts.expect?.(order.id, to);
    if (order.status === 'open' && to === 'picking') opts.expect?.(order.id, 'accepted');
    return to === 'accepted'
      ? api<Order>(
          'POST',
          `/api/v1/orders/${order.id}/accept`,
          allowShortfall ? { allowShortfall } : undefined,
        )
      : api<Order>('POST', `/api/v1/orders/${order.id}/transitions`, {
          to,
          ...(reason ? { reason } : {}),
          ...(allowShortfall ? { allowShortfall } : {}),
        });
  };

  /** The explicit confirmation of an acceptance short of stock: what is there is held, the rest recorded. */
  const acceptShort = (order: Actionable, to: OrderStatus, lines: StockShortage[]) => {
    opts.ask({
      title: t('orders.shortfall.title'),
      message: (
        <>
          <p>{t('orders.shortfall.message', { number: order.number })}</p>
          <ul>
            {lines.map((l) => (
              <li key={l.sku}>{t('orders.shortfall.line', { ...l })}</li>
            ))}
          </ul>
        </>
      ),
      confirmLabel: t('orders.shortfall.confirm'),
      danger: true,
      run: async () => {
        try {
          const next = await send(order, to, undefined, true);
          opts.onChanged(next);
          opts.notify({ kind: 'success', text: t('orders.shortfall.done', { number: next.number }) });
          return undefined;
        } catch (err) {
          if (!(err instanceof ApiError) || err.status === 0) throw err;
          opts.notify({
            kind: 'error',
            text: t('orders.refused', { number: order.number, message: describeErrorIn(t, err, 'orders') }),
          });
          opts.onStale(order.id);
          return undefined;
        }
      },
    });
  };

  const changeStatus = (order: Actionable, to: OrderStatus) => {
    const cancelling = to === 'cancelled';
    opts.ask({
      title: transitionText(t, to, 'title', undefined, order.status),
      message: <p>{transitionText(t, to, 'message', order.number, order.status)}</p>,
      confirmLabel: transitionText(t, to, 'action', undefined, order.status),
      danger: cancelling,
      reason: cancelling ? { label: t('orders.transitions.cancelled.reason'), required: true } : undefined,
      run: async (reason) => {
        try {
          const next = await send(order, to, reason);
          opts.onChanged(next);
          opts.notify({ kind: 'success', text: transitionText(t, to, 'done', next.number, order.status) });
          return undefined;
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          if (err.code === 'ORDER.INSUFFICIENT_STOCK') {
            const lines = (err.problem.lines ?? []) as StockShortage[];
            const split = err.problem.splitAvailable === true;
            const short = err.problem.shortfallAllowed === true && isManager;
            const actions: NonNullable<Feedback['actions']> = [];
            if (split)
              actions.push({ key: 'split', label: t('split.makeSplit'), run: () => openSplit(order) });
            if (short)
              actions.push({
                key: 'shortfall',
                label: t('orders.shortfall.action'),
                run: () => acceptShort(order, to, lines),
              });
            opts.notify({
              kind: 'error',
              text: t('orders.shortage.title', { number: order.number }),
              lines: lines.map((l) => t('orders.shortage.line', { ...l })),
              note:
                [split ? t('orders.shortage.split') : '', short ? t('orders.shortage.shortfall') : '']
                  .filter(Boolean)
                  .join(' ') || undefined,
              actions: actions.length ? actions : undefined,
            });
            opts.onStale(order.id);
            return undefined;
          }
          if (err.status === 409 || err.status === 404) {
            opts.notify({
              kind: 'error',
              text: t('orders.refused', {
                number: order.number,
                message: describeErrorIn(t, err, 'orders'),
              }),
            });
            opts.onStale(order.id);
            return undefined;
          }
          // Anything else (network, validation) stays in the dialog for another try.
          throw err;
        }
      },
    });
  };

  /** A failure of the fiscal side after "Faturar", as a notice: SEFAZ's rejection, the missing data, the setup. */
  const invoiceRefused = (order: Actionable, err: ApiError): Feedback => {
    const p = err.problem;
    const rejection = (p.rejection ?? (p.data as { rejection?: unknown } | undefined)?.rejection) as
      | { code: number; reason: string }
      | undefined;
    if (err.code === 'FISCAL.REJECTED' || err.code === 'FISCAL.DENIED')
      return {
        kind: 'error',
        text: t(err.code === 'FISCAL.DENIED' ? 'orders.invoice.denied' : 'orders.invoice.rejected', {
          number: order.number,
        }),
        lines: rejection
          ? [
              t('orders.invoice.rejection', {
                code: rejection.code,
                reason: rejectionReason(rejection.reason),
              }),
            ]
          : undefined,
        note: t(err.code === 'FISCAL.DENIED' ? 'orders.invoice.deniedNote' : 'orders.invoice.rejectedNote'),
      };
    if (err.code === 'FISCAL.DATA_INCOMPLETE' || err.code === 'FISCAL.ORDER_MISMATCH')
      return {
        kind: 'error',
        text: t(
          err.code === 'FISCAL.DATA_INCOMPLETE' ? 'orders.invoice.incomplete' : 'orders.invoice.mismatch',
          {
            number: order.number,
          },
        ),
        lines: fiscalFieldLines(t, p.errors ?? []),
        note: t('orders.invoice.incompleteNote'),
      };
    const known = err.code
      ? t(`orders.errors.${err.code}`, { defaultValue: '' }) ||
        t(`errors.codes.${err.code}`, { defaultValue: '' })
      : '';
    return {
      kind: 'error',
      text: t('orders.invoice.notIssued', {
        number: order.number,
        // A code without words of its own: the server's sentence beats a generic one.
        message: known || p.detail || describeErrorIn(t, err, 'orders'),
      }),
    };
  };

  /** What the clerk can open of an issued NF-e, from the notice. */
  const documentLinks = (doc: Invoiced['fiscalDocument']): Feedback['actions'] => [
    {
      key: 'danfe',
      label: t('orders.invoice.openDanfe'),
      run: () =>
        void openDanfe(t, doc.id).catch((err: unknown) =>
          opts.notify({ kind: 'error', text: describeErrorIn(t, err, 'orders') }),
        ),
    },
    {
      key: 'xml',
      label: t('orders.invoice.downloadXml'),
      run: () =>
        void downloadXml(doc.id, doc.accessKey).catch((err: unknown) =>
          opts.notify({ kind: 'error', text: describeErrorIn(t, err, 'orders') }),
        ),
    },
  ];

  /**
   * "Faturar": after the seeds' warning, issues the NF-e and waits for SEFAZ (the server answers within a
   * few seconds: authorised, still sending, or rejected). Only a network failure stays in the dialog.
   */
  const invoice = (order: Actionable) => {
    const draft: SalespersonDraft = { salespersonId: '' };
    opts.ask({
      title: t('orders.invoice.title'),
      message: (
        <>
          <p>{t('orders.invoice.message')}</p>
          <p className="hint">{t('orders.invoice.order', { number: order.number })}</p>
          <SalespersonField orderId={order.id} draft={draft} />
        </>
      ),
      confirmLabel: t('orders.invoice.confirm'),
      run: async () => {
        try {
          // On its way: invoicing, then invoiced (authorised) or back to picking (rejected).
          for (const status of ['invoicing', 'invoiced', 'picking'] as const) opts.expect?.(order.id, status);
          const res = await request(
            'POST',
            `/api/v1/orders/${order.id}/invoice`,
            draft.salespersonId ? { body: { salespersonId: draft.salespersonId } } : undefined,
          );
          const answer = (await res.json()) as Invoiced;
          opts.onChanged(answer.order);
          const { status } = answer.fiscalDocument;
          opts.notify(
            status === 'authorised'
              ? {
                  kind: 'success',
                  text: t('orders.invoice.authorised', { number: answer.order.number }),
                  actions: documentLinks(answer.fiscalDocument),
                }
              : status === 'unsent'
                ? { kind: 'info', text: t('orders.invoice.unsent', { number: answer.order.number }) }
                : { kind: 'info', text: t('orders.invoice.sending', { number: answer.order.number }) },
          );
          if (status === 'authorised' && (await printsDanfeAutomatically(order.storeCode)))
            await openDanfe(t, answer.fiscalDocument.id).catch(() => {});
          return undefined;
        } catch (err) {
          if (!(err instanceof ApiError) || err.status === 0) throw err;
          // The salesperson is this dialog's own field: the clerk picks one and confirms again.
          if (err.code === 'ORDER.SALESPERSON_REQUIRED' || err.code === 'ORDER.SALESPERSON_UNKNOWN')
            return describeErrorIn(t, err, 'orders');
          opts.notify(invoiceRefused(order, err));
          // A rejection put the order back in picking; a conflict means it moved on: read it again.
          opts.onStale(order.id);
          return undefined;
        }
      },
    });
  };

  /** Opens the pickup receipt in a new tab (opened at the click, so a popup blocker sees the gesture). */
  const printReceipt = async (order: Actionable) => {
    const tab = window.open('', '_blank');
    opts.notify({ kind: 'info', text: t('counter.receipt.working') });
    try {
      await openPdf(`/api/v1/orders/${order.id}/pickup-receipt.pdf`, tab);
      opts.notify({ kind: 'success', text: t('counter.receipt.done') });
    } catch (err) {
      tab?.close();
      opts.notify({ kind: 'error', text: describeErrorIn(t, err, 'counter') });
    }
  };

  /**
   * "Entregar ao cliente" (seeds 003): who collects the invoiced pickup order, then delivered. A field the
   * server refuses keeps the dialog open with the reason; a conflict (someone handed it over) closes it.
   */
  const handover = (order: Actionable) => {
    const draft: HandoverDraft = { name: '', document: '' };
    opts.ask({
      title: t('counter.handover.title'),
      message: <HandoverFields draft={draft} number={order.number} />,
      confirmLabel: t('counter.handover.confirm'),
      run: async () => {
        try {
          // Its echo on the live feed is this user's own change, not someone else's.
          opts.expect?.(order.id, 'delivered');
          const next = await api<Order>('POST', `/api/v1/orders/${order.id}/handover`, {
            name: draft.name,
            ...(draft.document.trim() ? { document: draft.document } : {}),
          });
          opts.onChanged(next);
          opts.notify({
            kind: 'success',
            text: t('counter.handover.done', { number: next.number, name: next.pickup?.name ?? draft.name }),
            actions: [
              { key: 'receipt', label: t('counter.handover.receipt'), run: () => void printReceipt(next) },
            ],
          });
          return undefined;
        } catch (err) {
          if (!(err instanceof ApiError) || err.status === 0) throw err;
          if (err.status === 400 || err.status === 422) return describeErrorIn(t, err, 'counter');
          opts.notify({
            kind: 'error',
            text: t('orders.refused', { number: order.number, message: describeErrorIn(t, err, 'counter') }),
          });
          opts.onStale(order.id);
          return undefined;
        }
      },
    });
  };

  /**
   * A target status from the menus: invoicing is "Faturar", awaiting stock the split screen, delivering an
   * invoiced pickup order the handover, every other one a status change.
   */
  const act = (order: Actionable, to: OrderStatus) =>
    to === 'invoicing'
      ? invoice(order)
      : to === 'awaiting_stock'
        ? openSplit(order)
        : to === 'delivered' && order.status === 'invoiced'
          ? handover(order)
          : changeStatus(order, to);

  /**
   * Opens the slip(s) in a new tab. The tab is opened at the click, before the PDF is ready, so a popup
   * blocker sees the user's gesture; it shows a waiting line until the PDF replaces it.
   */
  const print = async (ids: readonly string[], layout: SlipLayout) => {
    if (ids.length === 0) return;
    if (ids.length > MAX_PRINT) {
      opts.notify({ kind: 'error', text: t('orders.options.tooMany', { max: MAX_PRINT }) });
      return;
    }
    const tab = window.open('', '_blank');
    try {
      if (tab) tab.document.title = t('orders.print.working');
      tab?.document.body.append(t('orders.print.working'));
    } catch {
      // A tab of another origin cannot be written to; it simply stays blank until the PDF arrives.
    }
    opts.notify({ kind: 'info', text: t('orders.print.working') });
    try {
      await openPdf(slipPath(ids, layout), tab);
      opts.notify({
        kind: 'success',
        text: ids.length === 1 ? t('orders.print.done') : t('orders.print.doneBatch', { count: ids.length }),
      });
    } catch (err) {
      tab?.close();
      opts.notify({ kind: 'error', text: describeErrorIn(t, err, 'orders') });
    }
  };

  /** The row menu of one order; the top "Opções" menu offers the same for a single selected order. */
  const entriesFor = (order: Actionable, showDetails: () => void): MenuEntry[] => {
    const changes = order.allowedTransitions.map(
      (to): MenuEntry => ({
        kind: 'item',
        key: `to-${to}`,
        label: transitionText(t, to, 'action', undefined, order.status),
        danger: to === 'cancelled',
        onSelect: () => act(order, to),
      }),
    );
    if (canReroute(order)) {
      // Cancelling stays the last entry: it ends the order, refusing lines does not.
      const at = order.allowedTransitions.indexOf('cancelled');
      changes.splice(at < 0 ? changes.length : at, 0, {
        kind: 'item',
        key: 'reroute',
        label: t('split.reroute.action'),
        onSelect: () => openReroute(order),
      });
    }
    return [
      { kind: 'item', key: 'details', label: t('orders.menu.details'), onSelect: showDetails },
      // The scan conference (seeds 003) is where a picked order goes next.
      ...(order.status === 'picking'
        ? [
            {
              kind: 'item',
              key: 'conference',
              label: t('conference.open'),
              onSelect: () => navigate(`/orders/${order.id}/conference`),
            } as const,
          ]
        : []),
      {
        kind: 'item',
        key: 'a4',
        label: t('orders.menu.printA4'),
        onSelect: () => void print([order.id], 'a4'),
      },
      {
        kind: 'item',
        key: 'thermal',
        label: t('orders.menu.printThermal'),
        onSelect: () => void print([order.id], 'thermal'),
      },
      ...(hasPickupReceipt(order)
        ? [
            {
              kind: 'item',
              key: 'pickup-receipt',
              label: t('counter.receipt.action'),
              onSelect: () => void printReceipt(order),
            } as const,
          ]
        : []),
      { kind: 'separator', key: 'sep' },
      ...(changes.length === 0
        ? [{ kind: 'note', key: 'none', text: t('orders.menu.noChanges') } as const]
        : changes),
    ];
  };

  /** The top menu with several orders selected: only printing applies to all of them. */
  const batchEntries = (ids: readonly string[]): MenuEntry[] => [
    {
      kind: 'item',
      key: 'a4',
      label: t('orders.menu.printA4Batch', { count: ids.length }),
      onSelect: () => void print(ids, 'a4'),
    },
    {
      kind: 'item',
      key: 'thermal',
      label: t('orders.menu.printThermalBatch', { count: ids.length }),
      onSelect: () => void print(ids, 'thermal'),
    },
    { kind: 'separator', key: 'sep' },
    { kind: 'note', key: 'one', text: t('orders.options.onlyOne') },
  ];

  return { changeStatus, invoice, act, print, printReceipt, handover, entriesFor, batchEntries, canReroute };
}
