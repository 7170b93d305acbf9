import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InvoiceBatchAccepted, InvoiceBatchResult } from '../api/types.ts';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { JobProgress, useJob } from '../components/job-progress.tsx';
import { Notice } from '../components/notice.tsx';
import { type SalespersonDraft, SalespersonField } from './salesperson-field.tsx';

/** POST /orders/invoice-batch takes at most this many orders. */
export const MAX_INVOICE_BATCH = 100;

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
  const detailOf = (item: InvoiceBatchResult['items'][number]) =>
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
        {result && (
          <>
            <Notice kind={result.counts.refused ? 'info' : 'success'}>
              {t('orders.batchInvoice.summary', result.counts)}
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
                  {result.items.map((item) => (
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
