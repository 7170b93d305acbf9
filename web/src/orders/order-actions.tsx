import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError, api, openPdf, query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import type { MenuEntry } from '../components/menu-button.tsx';
import type { Order, OrderStatus, SlipLayout, StockShortage } from '../types.ts';
import type { Feedback } from './feedback.tsx';
import type { Question } from './use-confirm.tsx';

/** The batch picking-slip endpoint prints at most this many orders at once. */
export const MAX_PRINT = 100;

/** Target statuses with their own words in the catalogue; any other falls back to `transitions.other`. */
const worded: ReadonlySet<OrderStatus> = new Set([
  'accepted',
  'picking',
  'ready_for_pickup',
  'in_transit',
  'delivered',
  'cancelled',
]);

export function transitionText(
  t: TFunction,
  to: OrderStatus,
  part: 'action' | 'title' | 'message' | 'done',
  number?: number,
): string {
  const key = worded.has(to) ? to : 'other';
  return t(`orders.transitions.${key}.${part}`, { number, status: t(`statuses.${to}`) });
}

/** What the actions need to know of an order: a queue row and a full order both qualify. */
export interface Actionable {
  id: string;
  number: number;
  status: OrderStatus;
  allowedTransitions: OrderStatus[];
}

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
}) {
  const { t } = useTranslation();

  const changeStatus = (order: Actionable, to: OrderStatus) => {
    const cancelling = to === 'cancelled';
    opts.ask({
      title: transitionText(t, to, 'title'),
      message: <p>{transitionText(t, to, 'message', order.number)}</p>,
      confirmLabel: transitionText(t, to, 'action'),
      danger: cancelling,
      reason: cancelling ? { label: t('orders.transitions.cancelled.reason'), required: true } : undefined,
      run: async (reason) => {
        try {
          const next =
            to === 'accepted'
              ? await api<Order>('POST', `/api/v1/orders/${order.id}/accept`)
              : await api<Order>('POST', `/api/v1/orders/${order.id}/transitions`, {
                  to,
                  ...(reason ? { reason } : {}),
                });
          opts.onChanged(next);
          opts.notify({ kind: 'success', text: transitionText(t, to, 'done', next.number) });
          return undefined;
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          if (err.code === 'ORDER.INSUFFICIENT_STOCK') {
            const lines = (err.problem.lines ?? []) as StockShortage[];
            opts.notify({
              kind: 'error',
              text: t('orders.shortage.title', { number: order.number }),
              lines: lines.map((l) => t('orders.shortage.line', { ...l })),
              note: err.problem.splitAvailable === true ? t('orders.shortage.split') : undefined,
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
  const entriesFor = (order: Actionable, showDetails: () => void): MenuEntry[] => [
    { kind: 'item', key: 'details', label: t('orders.menu.details'), onSelect: showDetails },
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
    { kind: 'separator', key: 'sep' },
    ...(order.allowedTransitions.length === 0
      ? [{ kind: 'note', key: 'none', text: t('orders.menu.noChanges') } as const]
      : order.allowedTransitions.map(
          (to): MenuEntry => ({
            kind: 'item',
            key: `to-${to}`,
            label: transitionText(t, to, 'action'),
            danger: to === 'cancelled',
            onSelect: () => changeStatus(order, to),
          }),
        )),
  ];

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

  return { changeStatus, print, entriesFor, batchEntries };
}
