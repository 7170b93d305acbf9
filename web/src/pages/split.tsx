import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Allocation, Order, OrderStatus, SplitLine, SplitOptions, StockRequest } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { describeField } from '../errors.ts';
import type { Feedback } from '../orders/feedback.tsx';
import { FeedbackNotice } from '../orders/feedback.tsx';
import { useConfirm } from '../orders/use-confirm.tsx';
import {
  type Check,
  cellKey,
  check,
  type Quantities,
  quantitiesFrom,
  requestsOf,
} from '../split/allocation.ts';
import { announceRequestsChanged } from '../split/request-actions.tsx';
import '../split/split.css';

/** What the server refused, placed where the user typed it: per input, per line, or for the whole split. */
interface Refusals {
  cells: Record<string, string>;
  lines: Record<string, string>;
  general: string[];
}
const noRefusals: Refusals = { cells: {}, lines: {}, general: [] };

/**
 * The server names a refused allocation by its index in what was sent (`/allocations/2/quantity`): back to
 * the input it came from, worded from the error's code and params (never from its English sentence).
 */
function refusalsOf(
  t: TFunction,
  err: ApiError,
  sent: readonly Allocation[],
  lines: readonly SplitLine[],
): Refusals {
  const out: Refusals = { cells: {}, lines: {}, general: [] };
  for (const e of err.problem.errors ?? []) {
    const m = /^\/allocations\/(\d+)\/(\w+)$/.exec(e.path);
    const a = m ? sent[Number(m[1])] : undefined;
    if (m && a) {
      const key = cellKey(a.sku, a.storeCode);
      out.cells[key] =
        m[2] === 'quantity'
          ? e.code === 'SPLIT.QUANTITY_ABOVE_AVAILABLE'
            ? t('split.screen.problems.overAvailable', { available: Number(e.params?.available) })
            : t('split.screen.problems.refusedQuantity')
          : m[2] === 'storeCode'
            ? t('split.screen.problems.refusedStore')
            : t('split.screen.problems.refusedSku');
      continue;
    }
    const sku = String(e.params?.sku);
    if (e.code === 'SPLIT.QUANTITY_ABOVE_PENDING' && lines.some((l) => l.sku === sku)) {
      out.lines[sku] = t('split.screen.problems.overPending', {
        allocated: Number(e.params?.allocated),
        pending: Number(e.params?.pending),
      });
      continue;
    }
    if (err.code !== 'SPLIT.NOTHING_TO_REQUEST') out.general.push(describeField(t, e));
  }
  return out;
}

/**
 * The split (seeds: PEDFP144 "Split"): per line what is requested, held at the store, allocated to
 * requests on their way and still pending; per line the group's companies with stock, with the quantity
 * to ask each, pre-filled with the router's proposal. Confirming creates one stock request per company
 * and the order waits for stock.
 */
export function SplitPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [quantities, setQuantities] = useState<Quantities>({});
  const [refusals, setRefusals] = useState<Refusals>(noRefusals);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [tried, setTried] = useState(false);
  const confirm = useConfirm();

  const {
    data: options,
    error,
    reload: load,
  } = useLoad(
    (signal) => api<SplitOptions>('GET', `/api/v1/orders/${id}/split-options`, undefined, signal),
    [id],
  );
  // Each answer starts the form again from the router's proposal.
  useEffect(() => {
    if (!options) return;
    setQuantities(quantitiesFrom(options));
    setRefusals(noRefusals);
  }, [options]);

  const checked: Check | null = useMemo(
    () => (options ? check(options.lines, quantities) : null),
    [options, quantities],
  );

  if (error)
    return (
      <section className="empty-state" aria-labelledby="split-title">
        <h1 id="split-title">{t('split.action.title')}</h1>
        <p role="alert">{describeErrorIn(t, error, 'split')}</p>
        <Link to={`/orders/${id}`}>{t('split.screen.back')}</Link>
      </section>
    );
  if (!options || !checked) return <p className="loading">{t('split.screen.loading')}</p>;

  const number = options.order.number ?? '—';
  const main = options.order.storeCode;
  const open = options.order.status === 'open';
  const pendingTotal = options.lines.reduce((s, l) => s + l.pending, 0);
  const allocatedTotal = Object.values(checked.allocated).reduce((s, n) => s + n, 0);
  const requests = requestsOf(checked.allocations, main);
  const nameOf = (code: string) =>
    options.lines.flatMap((l) => l.companies).find((c) => c.storeCode === code)?.storeName ?? code;
  const itemsText = (lines: readonly Allocation[]) =>
    lines.map((a) => t('split.screen.dialog.item', { sku: a.sku, quantity: a.quantity })).join(', ');

  const edit = (key: string, value: string) => {
    setQuantities((q) => ({ ...q, [key]: value }));
    setRefusals((r) => {
      const { [key]: _gone, ...cells } = r.cells;
      return { ...r, cells, general: [] };
    });
  };

  const restore = () => {
    setQuantities(quantitiesFrom(options));
    setRefusals(noRefusals);
    setFeedback({ kind: 'info', text: t('split.screen.restored') });
  };

  const submit = () => {
    setTried(true);
    setFeedback(null);
    if (!checked.valid || requests.length === 0) return;
    const sent = checked.allocations;
    const own = sent.filter((a) => a.storeCode === main);
    confirm.ask({
      title: t('split.screen.dialog.title'),
      message: (
        <>
          <p>{t('split.screen.dialog.message', { count: requests.length, number })}</p>
          <ul className="split-dialog-list">
            {requests.map((r) => (
              <li key={r.storeCode}>
                {t('split.screen.dialog.request', {
                  store: `${r.storeCode} · ${nameOf(r.storeCode)}`,
                  lines: itemsText(r.lines),
                })}
              </li>
            ))}
          </ul>
          {own.length > 0 && (
            <p className="hint">{t('split.screen.dialog.main', { lines: itemsText(own) })}</p>
          )}
        </>
      ),
      confirmLabel: t('split.screen.dialog.confirm'),
      run: async () => {
        try {
          const res = await api<{ order: Order; requests: StockRequest[] }>(
            'POST',
            `/api/v1/orders/${id}/split`,
            {
              allocations: sent,
            },
          );
          announceRequestsChanged();
          navigate(`/orders/${id}`, {
            state: {
              feedback: {
                kind: 'success',
                text: t('split.screen.done', { count: res.requests.length, number: res.order.number }),
              } satisfies Feedback,
            },
          });
          return undefined;
        } catch (err) {
          if (!(err instanceof ApiError) || err.status === 0) throw err;
          if (err.code === 'SPLIT.STOCK_CHANGED') {
            load();
            setFeedback({ kind: 'error', text: t('split.screen.stockChanged') });
            return undefined;
          }
          if (err.status === 422) {
            setRefusals(refusalsOf(t, err, sent, options.lines));
            setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'split') });
            return undefined;
          }
          if (err.status === 409 || err.status === 404) {
            setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'split') });
            load();
            return undefined;
          }
          throw err;
        }
      },
    });
  };

  const blockedBy = !checked.valid
    ? t('split.screen.fixFirst')
    : requests.length === 0
      ? t('split.screen.nothingAllocated')
      : null;

  return (
    <article className="split-page" aria-labelledby="split-title">
      <p className="back-link">
        <Link to={`/orders/${id}`}>
          <span aria-hidden="true">← </span>
          {t('split.screen.back')}
        </Link>
      </p>
      <header className="page-header">
        <h1 id="split-title">{t('split.screen.title', { number })}</h1>
        <p className="hint">{t('split.screen.intro')}</p>
      </header>
      {feedback && <FeedbackNotice feedback={feedback} onDismiss={() => setFeedback(null)} />}
      {!open && (
        <Notice kind="info">
          {t('split.screen.notOpen', { status: t(`statuses.${options.order.status as OrderStatus}`) })}
        </Notice>
      )}

      {pendingTotal === 0 ? (
        <section className="empty-state">
          <h2>{t('split.screen.nothingPending')}</h2>
          <p>{t('split.screen.nothingPendingDetail')}</p>
        </section>
      ) : (
        <>
          <p className="hint">{t('split.screen.strategy')}</p>
          {options.lines.map((line) => (
            <LineCard
              key={line.sku}
              line={line}
              quantities={quantities}
              checked={checked}
              refusals={refusals}
              showProblems={tried || Object.keys(refusals.cells).length > 0}
              onEdit={edit}
            />
          ))}
          {refusals.general.length > 0 && (
            <div className="notice error" role="alert">
              <ul>
                {refusals.general.map((g) => (
                  <li key={g}>{g}</li>
                ))}
              </ul>
            </div>
          )}
          <p
            className={allocatedTotal > pendingTotal ? 'split-total over' : 'split-total'}
            aria-live="polite"
          >
            {t('split.screen.summary', { pending: pendingTotal, allocated: allocatedTotal })}
          </p>
          <div className="split-actions">
            <button type="button" className="button" onClick={restore}>
              {t('split.screen.restore')}
            </button>
            <button type="button" className="button primary" onClick={submit} disabled={!open}>
              {t('split.screen.confirm')}
            </button>
            {tried && blockedBy && (
              <span className="field-error" role="alert">
                {blockedBy}
              </span>
            )}
          </div>
        </>
      )}
      {confirm.dialog}
    </article>
  );
}

function LineCard(props: {
  line: SplitLine;
  quantities: Quantities;
  checked: Check;
  refusals: Refusals;
  showProblems: boolean;
  onEdit(key: string, value: string): void;
}) {
  const { t } = useTranslation();
  const { line, checked } = props;
  const allocated = checked.allocated[line.sku] ?? 0;
  const over = checked.lines[line.sku];
  const lineProblem = over
    ? t('split.screen.problems.overPending', { ...over })
    : props.refusals.lines[line.sku];
  const headingId = `split-line-${line.sku}`;
  const left = line.pending - allocated;
  return (
    <section className="card split-line" aria-labelledby={headingId} data-sku={line.sku}>
      <h2 id={headingId}>{t('split.screen.line', { sku: line.sku, description: line.description })}</h2>
      <dl className="split-figures">
        <div>
          <dt>{t('split.screen.columns.requested')}</dt>
          <dd>{line.requested}</dd>
        </div>
        <div>
          <dt>{t('split.screen.columns.held')}</dt>
          <dd>{line.held}</dd>
        </div>
        <div>
          <dt>{t('split.screen.columns.allocated')}</dt>
          <dd>{line.allocated}</dd>
        </div>
        <div>
          <dt>{t('split.screen.columns.pending')}</dt>
          <dd>{line.pending}</dd>
        </div>
      </dl>
      {line.pending > 0 && line.companies.length === 0 && (
        <p className="hint">{t('split.screen.noCompanies')}</p>
      )}
      {line.pending > 0 && line.companies.length > 0 && (
        <div className="table-wrap">
          <table className="split-table">
            <caption className="visually-hidden">
              {t('split.screen.companies.caption', { sku: line.sku })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('split.screen.companies.company')}</th>
                <th scope="col" className="num">
                  {t('split.screen.companies.available')}
                </th>
                <th scope="col" className="num">
                  {t('split.screen.companies.distance')}
                </th>
                <th scope="col" className="num">
                  {t('split.screen.companies.quantity')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('split.screen.problems.notNumber')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {line.companies.map((c) => {
                const key = cellKey(line.sku, c.storeCode);
                const problem = checked.cells[key];
                const message = problem
                  ? problem.kind === 'notNumber'
                    ? t('split.screen.problems.notNumber')
                    : t('split.screen.problems.overAvailable', { available: problem.available })
                  : props.refusals.cells[key];
                const errorId = `split-error-${line.sku}-${c.storeCode}`;
                return (
                  <tr key={c.storeCode} data-store={c.storeCode}>
                    <th scope="row">
                      {c.storeCode} · {c.storeName}
                      {c.isMain && <span className="tag main-tag">{t('split.screen.companies.main')}</span>}
                    </th>
                    <td className="num">{c.available}</td>
                    <td className="num">
                      {c.distanceKm === null
                        ? t('split.screen.companies.noDistance')
                        : t('split.screen.companies.km', {
                            km: c.distanceKm.toLocaleString('pt-BR', { maximumFractionDigits: 1 }),
                          })}
                    </td>
                    <td className="num">
                      <input
                        type="text"
                        inputMode="numeric"
                        aria-label={t('split.screen.companies.quantityOf', {
                          sku: line.sku,
                          store: c.storeCode,
                        })}
                        value={props.quantities[key] ?? ''}
                        onChange={(e) => props.onEdit(key, e.target.value)}
                        aria-invalid={message ? true : undefined}
                        aria-describedby={message ? errorId : undefined}
                      />
                    </td>
                    <td className="wrap">
                      {message && (
                        <span id={errorId} className="field-error">
                          {message}
                        </span>
                      )}
                      {!message && c.isMain && (
                        <span className="hint">{t('split.screen.companies.mainNote')}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className={lineProblem ? 'split-total over' : 'split-total'} data-testid={`split-total-${line.sku}`}>
        {left > 0
          ? t('split.screen.totalsLeft', { pending: line.pending, allocated, left })
          : t('split.screen.totals', { pending: line.pending, allocated })}
      </p>
      {lineProblem && (props.showProblems || over) && (
        <p className="field-error" role="alert">
          {lineProblem}
        </p>
      )}
    </section>
  );
}
