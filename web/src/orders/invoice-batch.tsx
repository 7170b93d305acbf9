import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InvoiceBatchAccepted, InvoiceBatchResult, Order } from '../api/types.ts';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { JobProgress, useJob } from '../components/job-progress.tsx';
import { Notice } from '../components/notice.tsx';
import { type SalespersonDraft, SalespersonField } from './salesperson-field.tsx';

/** POST /orders/invoice-batch takes at most this many orders. */
export const MAX_INVOICE_BATCH = 100;

/** How often, and how long, the results ask about the orders still waiting for SEFAZ. */
const SETTLE_POLL_MS = 1000;
const SETTLE_TRIES = 30;

type Item = InvoiceBatchResult['items'][number];

/**
 * The job ends before SEFAZ answers (its answers are the worker's next jobs): the orders still `pending` are
 * read again until they leave `invoicing`, so the table ends with what SEFAZ said.
 */
function useSettled(items: readonly Item[] | null): readonly Item[] | null {
  const [settled, setSettled] = useState<ReadonlyMap<string, Item>>(new Map());
  useEffect(() => {
    setSettled(new Map());
    if (!items) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let waiting = items.filter((i) => i.outcome === 'pending');
    let tries = 0;
    const poll = async () => {
      const read = await Promise.all(
        waiting.map((i) => api<Order>('GET', `/api/v1/orders/${i.id}`).catch(() => null)),
      );
      if (!live) return;
      const moved = new Map<string, Item>();
      read.forEach((order, n) => {
        const item = waiting[n]!;
        if (order?.status === 'invoiced') moved.set(item.id, { ...item, outcome: 'invoiced' });
        else if (order?.status === 'picking')
          moved.set(item.id, { ...item, outcome: 'refused', code: 'FISCAL.REJECTED' });
      });
      if (moved.size) setSettled((old) => new Map([...old, ...moved]));
      waiting = waiting.filter((i) => !moved.has(i.id));
      if (waiting.length && ++tries < SETTLE_TRIES) timer = setTimeout(() => void poll(), SETTLE_POLL_MS);
    };
    if (waiting.length) timer = setTimeout(() => void poll(), SETTLE_POLL_MS / 2);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [items]);
  return items?.map((i) => settled.get(i.id) ?? i) ?? null;
}

/**
 * "Faturar selecionados" (seeds 003, Etiqueta): a confirmation (with the salesperson when the store asks
 * for one), then a dialog following the job ("Faturando 3 de 10…") and, once done, each order's result
 * with a link to it. `ids` null: nothing asked. `onFinished` re-reads the queue.
 */
export function InvoiceBatch({
  ids,
  onClose,
  onFinished,
}: {
  ids: readonly string[] | null;
  onClose(): void;
  onFinished(): void;
}) {
  const { t } = useTranslation();
  const [posting, setPosting] = useState(false);
  const [postError, setPostError] = useState<string | null>(null);
  const [run, setRun] = useState<InvoiceBatchAccepted | null>(null);
  const draft = useRef<SalespersonDraft>({ salespersonId: '' });
  const { job, error: watchError } = useJob<InvoiceBatchResult>(run?.jobId ?? null);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const finished = useRef<string | null>(null);
  const latestOnFinished = useRef(onFinished);
  latestOnFinished.current = onFinished;

  const running = run !== null && !watchError && job?.status !== 'done' && job?.status !== 'failed';

  useEffect(() => {
    if (!run || !job || finished.current === run.jobId) return;
    if (job.status === 'done' || job.status === 'failed') {
      finished.current = run.jobId;
      latestOnFinished.current();
    }
  }, [run, job]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (run && !dialog.open) dialog.showModal();
    else if (!run && dialog.open) dialog.close();
  }, [run]);

  useEffect(() => {
    if (ids) {
      draft.current = { salespersonId: '' };
      setPostError(null);
    }
  }, [ids]);

  const start = async () => {
    if (!ids) return;
    setPosting(true);
    setPostError(null);
    try {
      const accepted = await api<InvoiceBatchAccepted>('POST', '/api/v1/orders/invoice-batch', {
        ids: [...ids],
        ...(draft.current.salespersonId ? { salespersonId: draft.current.salespersonId } : {}),
      });
      setRun(accepted);
      onClose();
    } catch (err) {
      setPostError(describeErrorIn(t, err, 'orders'));
    } finally {
      setPosting(false);
    }
  };

  const close = () => {
    if (running) return;
    setRun(null);
  };

  const done = job?.progress.done ?? 0;
  const total = job?.progress.total ?? run?.total ?? 0;
  const result = job?.status === 'done' ? job.result : null;
  const items = useSettled(result?.items ?? null);
  const counts = { invoiced: 0, pending: 0, refused: 0 };
  for (const i of items ?? []) counts[i.outcome]++;
  const detailOf = (item: Item) =>
    item.outcome === 'pending'
      ? t('orders.batchInvoice.pendingNote')
      : item.code
        ? t(`orders.errors.${item.code}`, { defaultValue: '' }) ||
          t(`errors.codes.${item.code}`, { defaultValue: '' }) ||
          item.message ||
          item.code
        : '';

  return (
    <>
      <ConfirmDialog
        open={ids !== null}
        title={t('orders.batchInvoice.title')}
        message={
          ids && (
            <>
              <p>
                <strong>{t('orders.batchInvoice.message', { count: ids.length })}</strong>
              </p>
              <p className="hint">{t('orders.batchInvoice.hint')}</p>
              {ids[0] && <SalespersonField orderId={ids[0]} draft={draft.current} batch />}
            </>
          )
        }
        confirmLabel={t('orders.batchInvoice.confirm')}
        busy={posting}
        error={postError}
        onConfirm={() => void start()}
        onCancel={onClose}
      />
      <dialog
        ref={ref}
        className="dialog invoice-batch"
        aria-labelledby={titleId}
        onCancel={(e) => {
          e.preventDefault();
          close();
        }}
      >
        <h2 id={titleId}>{t('orders.batchInvoice.progressTitle')}</h2>
        <JobProgress
          percent={job?.progress.percent ?? 0}
          label={t('orders.batchInvoice.progressLabel')}
          countText={
            !job || job.status === 'queued'
              ? t('orders.batchInvoice.waiting')
              : running
                ? t('orders.batchInvoice.count', { done: Math.min(done + 1, total), total })
                : t('orders.batchInvoice.countDone', { done, total })
          }
          percentText={t('orders.batchInvoice.percent', { percent: job?.progress.percent ?? 0 })}
        />
        {items && (
          <>
            <Notice kind={counts.refused ? 'info' : 'success'}>
              {t('orders.batchInvoice.summary', counts)}
            </Notice>
            <div className="table-wrap">
              <table className="invoice-batch-results">
                <thead>
                  <tr>
                    <th scope="col">{t('orders.batchInvoice.columns.order')}</th>
                    <th scope="col">{t('orders.batchInvoice.columns.outcome')}</th>
                    <th scope="col">{t('orders.batchInvoice.columns.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.id} data-order={item.id} data-outcome={item.outcome}>
                      <td>
                        {item.number === null ? (
                          t('orders.batchInvoice.hidden')
                        ) : (
                          <Link to={`/orders/${item.id}`}>{t('orders.number', { number: item.number })}</Link>
                        )}
                      </td>
                      <td>
                        <span className={`outcome ${item.outcome}`}>
                          {t(`orders.batchInvoice.outcomes.${item.outcome}`)}
                        </span>
                      </td>
                      <td>{detailOf(item)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        {job?.status === 'failed' && <Notice kind="error">{t('orders.batchInvoice.failed')}</Notice>}
        {watchError ? <Notice kind="error">{describeErrorIn(t, watchError, 'orders')}</Notice> : null}
        <div className="dialog-actions">
          <button type="button" className="button" disabled={running} onClick={close}>
            {t('orders.batchInvoice.close')}
          </button>
        </div>
      </dialog>
    </>
  );
}
