import { useTranslation } from 'react-i18next';
import type { Order, OrderStatus } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import type { Feedback } from './feedback.tsx';
import type { Question } from './use-confirm.tsx';

/** The reason becomes SEFAZ's justification (xJust) or the return NF-e's reason: 15 to 255 characters. */
const REASON = { min: 15, max: 255 };

interface CancellationWindow {
  documentId: string;
  model: number;
  open: boolean;
  closesAt: string;
  action: 'cancel_document' | 'reverse_sale';
}

interface CancellationAnswer {
  outcome: 'cancelled' | 'cancellation_pending' | 'reversed';
  return?: { total: string };
}

/**
 * "Cancelar pedido" of an invoiced (or delivered) order, for managers and admins: asks the API whether the
 * sale's NF-e / NFC-e may still be cancelled, then confirms what will happen — the document cancelled at
 * SEFAZ and the order cancelled, or, once the window closed, the sale reversed by a return NF-e with the
 * amount credited to the customer (the order stays invoiced).
 */
export function InvoicedOrderCancel(props: {
  order: Order;
  ask(question: Question): void;
  notify(feedback: Feedback | null): void;
  onOrderChanged(): void;
  expect?(orderId: string, status: OrderStatus): void;
}) {
  const { t } = useTranslation();
  const { order } = props;

  const start = async () => {
    let window: CancellationWindow;
    try {
      window = await api<CancellationWindow>('GET', `/api/v1/orders/${order.id}/invoice-cancellation`);
    } catch (err) {
      props.notify({ kind: 'error', text: describeErrorIn(t, err, 'finance') });
      return;
    }
    const model = window.model === 65 ? 'NFC-e' : 'NF-e';
    const reverse = window.action === 'reverse_sale';
    props.ask({
      title: t('finance.cancellation.title', { number: order.number }),
      message: reverse ? (
        <>
          <p>{t('finance.cancellation.reverseMessage', { model })}</p>
          <p className="hint">
            {window.open
              ? t('finance.cancellation.goodsLeft')
              : t('finance.cancellation.windowClosed', { model, at: formatDateTime(window.closesAt) })}
          </p>
        </>
      ) : (
        <>
          <p>{t('finance.cancellation.cancelMessage', { model })}</p>
          <p className="hint">
            {t('finance.cancellation.windowOpen', { model, at: formatDateTime(window.closesAt) })}
          </p>
        </>
      ),
      confirmLabel: reverse
        ? t('finance.cancellation.confirmReverse')
        : t('finance.cancellation.confirmCancel'),
      danger: true,
      reason: {
        label: reverse ? t('finance.cancellation.reverseReason') : t('finance.cancellation.reason'),
        required: true,
        minLength: REASON.min,
        maxLength: REASON.max,
      },
      run: async (reason) => {
        try {
          if (!reverse) props.expect?.(order.id, 'cancelled');
          const res = await api<CancellationAnswer>(
            'POST',
            `/api/v1/orders/${order.id}/invoice-cancellation`,
            {
              reason,
            },
          );
          props.notify(
            res.outcome === 'reversed'
              ? {
                  kind: 'success',
                  text: t('finance.cancellation.reversed', { amount: formatMoney(res.return?.total ?? '0') }),
                }
              : res.outcome === 'cancelled'
                ? { kind: 'success', text: t('finance.cancellation.cancelled', { model }) }
                : { kind: 'info', text: t('finance.cancellation.pending', { model }) },
          );
          props.onOrderChanged();
          return undefined;
        } catch (err) {
          if (
            err instanceof ApiError &&
            (err.status === 409 || err.code === 'FISCAL.CANCELLATION_REJECTED')
          ) {
            props.notify({ kind: 'error', text: describeErrorIn(t, err, 'finance') });
            props.onOrderChanged();
            return undefined;
          }
          throw err;
        }
      },
    });
  };

  return (
    <button type="button" className="button small danger-outline" onClick={() => void start()}>
      {t('finance.cancellation.action')}
    </button>
  );
}
