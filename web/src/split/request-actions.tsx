import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Me, StockRequest } from '../api/types.ts';
import { ApiError, api, request } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import type { Feedback } from '../orders/feedback.tsx';
import { openDanfe, rejectionReason } from '../orders/fiscal-files.ts';
import type { Question } from '../orders/use-confirm.tsx';

/** Heard by the nav badge: a request changed here, count again. */
export const REQUESTS_CHANGED = 'omnihub:stock-requests-changed';
export const announceRequestsChanged = () => window.dispatchEvent(new Event(REQUESTS_CHANGED));

/**
 * Which side of a request the user stands on. A store user is the side whose code is theirs; users above
 * stores (central, network) see both sides and may act on both (the API checks it again: SPLIT.NOT_YOUR_SIDE).
 */
export function sidesOf(me: Me | null, r: Pick<StockRequest, 'storeCode' | 'mainStoreCode'>) {
  if (!me) return { support: false, main: false };
  if (me.nodeKind !== 'store') return { support: true, main: true };
  return { support: r.storeCode === me.nodeCode, main: r.mainStoreCode === me.nodeCode };
}

export const itemsText = (t: TFunction, r: StockRequest) =>
  r.lines.map((l) => t('split.requests.item', { sku: l.sku, quantity: l.quantity })).join(', ');

const numberOf = (r: StockRequest) => r.orderNumber ?? '—';

/**
 * The moves of a stock request, each after a confirmation: the support company accepts, refuses (with a
 * reason) or invoices the transfer NF-e; the main store receives it. A refusal the user cannot fix by
 * trying again (it moved on, the order was cancelled) closes the dialog, says why and re-reads the list.
 */
export function useRequestActions(opts: {
  ask(question: Question): void;
  notify(feedback: Feedback | null): void;
  /** The request as the server answered the change. */
  onChanged(next: StockRequest): void;
  /** The request is not what the screen shows: read again. */
  onStale(): void;
}) {
  const { t } = useTranslation();

  const done = (next: StockRequest, feedback: Feedback) => {
    opts.onChanged(next);
    opts.notify(feedback);
    announceRequestsChanged();
  };

  /** Conflicts and wrong sides end in a notice; anything else stays in the dialog for another try. */
  const refused = (r: StockRequest, err: unknown): undefined => {
    if (!(err instanceof ApiError) || err.status === 0 || err.status === 422) throw err;
    if (![403, 404, 409].includes(err.status)) throw err;
    opts.notify({
      kind: 'error',
      text: t('split.requests.refused', { number: numberOf(r), message: describeErrorIn(t, err, 'split') }),
    });
    opts.onStale();
    announceRequestsChanged();
    return undefined;
  };

  const accept = (r: StockRequest) =>
    opts.ask({
      title: t('split.requests.acceptDialog.title'),
      message: (
        <p>
          {t('split.requests.acceptDialog.message', {
            number: numberOf(r),
            main: r.mainStoreCode,
            items: itemsText(t, r),
          })}
        </p>
      ),
      confirmLabel: t('split.requests.acceptDialog.confirm'),
      run: async () => {
        try {
          const next = await api<StockRequest>('POST', `/api/v1/stock-requests/${r.id}/accept`);
          done(next, {
            kind: 'success',
            text: t('split.requests.acceptDialog.done', { number: numberOf(r) }),
          });
          return undefined;
        } catch (err) {
          return refused(r, err);
        }
      },
    });

  const reject = (r: StockRequest) =>
    opts.ask({
      title: t('split.requests.rejectDialog.title'),
      message: (
        <p>{t('split.requests.rejectDialog.message', { number: numberOf(r), main: r.mainStoreCode })}</p>
      ),
      confirmLabel: t('split.requests.rejectDialog.confirm'),
      danger: true,
      reason: { label: t('split.requests.rejectDialog.reason'), required: true, maxLength: 500 },
      run: async (reason) => {
        try {
          const next = await api<StockRequest>('POST', `/api/v1/stock-requests/${r.id}/reject`, { reason });
          done(next, {
            kind: 'success',
            text: t('split.requests.rejectDialog.done', { number: numberOf(r) }),
          });
          return undefined;
        } catch (err) {
          return refused(r, err);
        }
      },
    });

  const danfeAction = (documentId: string): Feedback['actions'] => [
    {
      key: 'danfe',
      label: t('orders.invoice.openDanfe'),
      run: () =>
        void openDanfe(t, documentId).catch((err: unknown) =>
          opts.notify({ kind: 'error', text: describeErrorIn(t, err, 'split') }),
        ),
    },
  ];

  /** "Faturar transferência": the transfer NF-e, waiting for SEFAZ as the order's "Faturar" does. */
  const invoice = (r: StockRequest) =>
    opts.ask({
      title: t('split.requests.invoiceDialog.title'),
      message: (
        <p>
          {t('split.requests.invoiceDialog.message', {
            number: numberOf(r),
            main: r.mainStoreCode,
            items: itemsText(t, r),
          })}
        </p>
      ),
      confirmLabel: t('split.requests.invoiceDialog.confirm'),
      run: async () => {
        try {
          const res = await request('POST', `/api/v1/stock-requests/${r.id}/invoice`);
          const next = (await res.json()) as StockRequest;
          done(
            next,
            next.status === 'in_transit'
              ? {
                  kind: 'success',
                  text: t('split.requests.invoiceDialog.authorised', { number: numberOf(r) }),
                  actions: next.transferDocument ? danfeAction(next.transferDocument.id) : undefined,
                }
              : { kind: 'info', text: t('split.requests.invoiceDialog.sending', { number: numberOf(r) }) },
          );
          return undefined;
        } catch (err) {
          if (err instanceof ApiError && err.code === 'FISCAL.REJECTED') {
            const p = err.problem;
            const rejection = (p.rejection ?? (p.data as { rejection?: unknown } | undefined)?.rejection) as
              | { code: number; reason: string }
              | undefined;
            opts.notify({
              kind: 'error',
              text: t('split.requests.invoiceDialog.rejected', { number: numberOf(r) }),
              lines: rejection
                ? [
                    t('split.requests.invoiceDialog.rejection', {
                      code: rejection.code,
                      reason: rejectionReason(rejection.reason),
                    }),
                  ]
                : undefined,
              note: t('split.requests.invoiceDialog.rejectedNote'),
            });
            opts.onStale();
            return undefined;
          }
          return refused(r, err);
        }
      },
    });

  const receive = (r: StockRequest) =>
    opts.ask({
      title: t('split.requests.receiveDialog.title'),
      message: (
        <p>
          {t('split.requests.receiveDialog.message', {
            number: numberOf(r),
            support: r.storeCode,
            items: itemsText(t, r),
          })}
        </p>
      ),
      confirmLabel: t('split.requests.receiveDialog.confirm'),
      run: async () => {
        try {
          const next = await api<StockRequest>('POST', `/api/v1/stock-requests/${r.id}/receive`);
          done(next, {
            kind: 'success',
            text: t('split.requests.receiveDialog.done', { number: numberOf(r), support: r.storeCode }),
          });
          return undefined;
        } catch (err) {
          return refused(r, err);
        }
      },
    });

  const danfe = (documentId: string) =>
    void openDanfe(t, documentId).catch((err: unknown) =>
      opts.notify({ kind: 'error', text: describeErrorIn(t, err, 'split') }),
    );

  return { accept, reject, invoice, receive, danfe };
}
