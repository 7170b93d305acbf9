import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkFlagsResult, EcommerceFlags } from '../api/types.ts';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { JobProgress, useJob } from '../components/job-progress.tsx';
import { Notice } from '../components/notice.tsx';

/** The bulk endpoint takes at most this many SKUs in its filter. */
export const MAX_BULK = 200;

const actions = {
  integrate: { integratesEcommerce: true },
  unintegrate: { integratesEcommerce: false },
  activate: { activeEcommerce: true },
  deactivate: { activeEcommerce: false },
} as const satisfies Record<string, Partial<EcommerceFlags>>;
type Action = keyof typeof actions;
const destructive: ReadonlySet<Action> = new Set(['unintegrate', 'deactivate']);

/** How many SKUs of the skipped ones the notice names before "…". */
const NAMED_SKIPS = 8;

/**
 * "Manutenção em massa" of the e-commerce flags for the selected products: a confirmation naming how
 * many, then the background job's progress bar, then what changed. `onFinished` reloads the table.
 */
export function BulkActions({ selected, onFinished }: { selected: string[]; onFinished(): void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<Action | null>(null);
  const [posting, setPosting] = useState(false);
  const [postError, setPostError] = useState<string | null>(null);
  const [run, setRun] = useState<{ jobId: string; total: number } | null>(null);
  const { job, error: watchError } = useJob<BulkFlagsResult>(run?.jobId ?? null);
  const finished = useRef<string | null>(null);
  const latestOnFinished = useRef(onFinished);
  latestOnFinished.current = onFinished;

  const running = run !== null && !watchError && job?.status !== 'done' && job?.status !== 'failed';
  const tooMany = selected.length > MAX_BULK;

  useEffect(() => {
    if (!run || !job || finished.current === run.jobId) return;
    if (job.status === 'done' || job.status === 'failed') {
      finished.current = run.jobId;
      latestOnFinished.current();
    }
  }, [run, job]);

  const start = async () => {
    if (!asking) return;
    setPosting(true);
    setPostError(null);
    try {
      const accepted = await api<{ jobId: string; total: number }>(
        'POST',
        '/api/v1/products/ecommerce/bulk',
        {
          filter: { sku: selected },
          set: actions[asking],
        },
      );
      setRun(accepted);
      setAsking(null);
    } catch (err) {
      setPostError(describeErrorIn(t, err, 'catalog'));
    } finally {
      setPosting(false);
    }
  };

  const percent = job?.progress.percent ?? 0;
  const total = job?.progress.total ?? null;
  const result = job?.status === 'done' ? job.result : null;

  return (
    <>
      <section className="bulk-bar" aria-label={t('catalog.bulk.region')}>
        <strong className="bulk-count">{t('catalog.bulk.selected', { count: selected.length })}</strong>
        {(Object.keys(actions) as Action[]).map((action) => (
          <button
            key={action}
            type="button"
            className="button"
            disabled={selected.length === 0 || tooMany || running || posting}
            onClick={() => {
              setPostError(null);
              setAsking(action);
            }}
          >
            {t(`catalog.bulk.actions.${action}`)}
          </button>
        ))}
        {tooMany && <span className="field-error">{t('catalog.bulk.tooMany', { max: MAX_BULK })}</span>}
      </section>

      {run && (
        <section className="card bulk-progress" aria-labelledby="bulk-progress-title">
          <h2 id="bulk-progress-title">{t('catalog.bulk.progress.title')}</h2>
          <JobProgress
            percent={percent}
            label={t('catalog.bulk.progress.label')}
            countText={
              total === null
                ? t('catalog.bulk.progress.waiting')
                : t('catalog.bulk.progress.count', { done: job?.progress.done ?? 0, total })
            }
            percentText={t('catalog.bulk.progress.percent', { percent })}
          />
          {result && (
            <Notice kind="success">
              {[
                t('catalog.bulk.done.changed', { count: result.changed }),
                result.unchanged ? t('catalog.bulk.done.unchanged', { count: result.unchanged }) : '',
                result.skipped
                  ? t('catalog.bulk.done.skipped', {
                      count: result.skipped,
                      skus:
                        result.skips
                          .slice(0, NAMED_SKIPS)
                          .map((s) => s.sku)
                          .join(', ') + (result.skipped > NAMED_SKIPS ? '…' : ''),
                    })
                  : '',
              ]
                .filter(Boolean)
                .join(' ')}
            </Notice>
          )}
          {job?.status === 'failed' && <Notice kind="error">{t('catalog.bulk.failed')}</Notice>}
          {watchError ? <Notice kind="error">{describeErrorIn(t, watchError, 'catalog')}</Notice> : null}
          {!running && (
            <button type="button" className="button small" onClick={() => setRun(null)}>
              {t('catalog.bulk.dismiss')}
            </button>
          )}
        </section>
      )}

      <ConfirmDialog
        open={asking !== null}
        title={asking ? t(`catalog.bulk.confirm.${asking}.title`) : ''}
        message={
          asking && (
            <>
              <p>
                <strong>{t(`catalog.bulk.confirm.${asking}.message`, { count: selected.length })}</strong>
              </p>
              <p>{t(`catalog.bulk.confirm.${asking}.hint`)}</p>
            </>
          )
        }
        confirmLabel={asking ? t(`catalog.bulk.actions.${asking}`) : undefined}
        danger={asking !== null && destructive.has(asking)}
        busy={posting}
        error={postError}
        onConfirm={() => void start()}
        onCancel={() => setAsking(null)}
      />
    </>
  );
}
