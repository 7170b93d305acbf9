import type { TFunction } from 'i18next';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Order, Rerouted, SplitCompany, SplitLine, SplitOptions } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import type { Feedback } from '../orders/feedback.tsx';
import './split.css';

/** The server asks for a reason of at least this many characters (SPLIT.REASON_REQUIRED). */
const MIN_REASON = 3;
const MAX_REASON = 500;

/** What is wrong with the form, by where the user typed it. */
interface Problems {
  lines: Record<string, string>;
  store?: string;
  reason?: string;
  general?: string;
}

interface Target {
  storeCode: string;
  storeName: string;
  distanceKm: number | null;
}

const distanceText = (t: TFunction, km: number | null) =>
  km === null
    ? t('split.reroute.noDistance')
    : t('split.reroute.km', { km: km.toLocaleString('pt-BR', { maximumFractionDigits: 1 }) });

/**
 * The companies other than the order's store that have stock for every chosen quantity, nearest first:
 * the ones the server accepts as `storeCode` (SPLIT.INVALID_REROUTE otherwise).
 */
export function targetsFor(lines: readonly SplitLine[], chosen: Readonly<Record<string, number>>): Target[] {
  const wanted = lines.filter((l) => (chosen[l.sku] ?? 0) > 0);
  if (wanted.length === 0) return [];
  const byStore = new Map<string, SplitCompany>();
  for (const c of wanted[0]!.companies) if (!c.isMain) byStore.set(c.storeCode, c);
  const able = [...byStore.values()].filter((c) =>
    wanted.every((l) =>
      l.companies.some((o) => o.storeCode === c.storeCode && o.available >= (chosen[l.sku] ?? 0)),
    ),
  );
  return able
    .map((c) => ({ storeCode: c.storeCode, storeName: c.storeName, distanceKm: c.distanceKm }))
    .sort(
      (a, b) =>
        (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
        a.storeCode.localeCompare(b.storeCode),
    );
}

/** The quantities typed, each checked against the line's pending quantity. */
function checkQuantities(t: TFunction, lines: readonly SplitLine[], typed: Record<string, string>) {
  const chosen: Record<string, number> = {};
  const problems: Record<string, string> = {};
  for (const l of lines) {
    const text = (typed[l.sku] ?? '').trim();
    const n = text === '' ? 0 : Number(text);
    if (!Number.isInteger(n) || n < 0)
      problems[l.sku] = t('split.reroute.problems.notNumber', { pending: l.pending });
    else if (n > l.pending) problems[l.sku] = t('split.reroute.problems.overPending', { pending: l.pending });
    else chosen[l.sku] = n;
  }
  return { chosen, problems };
}

/**
 * The server names a refused line by its index in what was sent (`/lines/1/quantity`): back to its input,
 * worded from the error's code and params (never from its English sentence).
 */
function refusalsOf(t: TFunction, err: ApiError, sent: readonly { sku: string }[], lines: SplitLine[]) {
  const out: Problems = { lines: {} };
  for (const e of err.problem.errors ?? []) {
    const m = /^\/lines\/(\d+)\/(\w+)$/.exec(e.path);
    const sku = m ? sent[Number(m[1])]?.sku : undefined;
    if (m && sku) {
      const pending = e.params?.pending ?? lines.find((l) => l.sku === sku)?.pending;
      out.lines[sku] =
        m[2] === 'quantity'
          ? t('split.reroute.problems.overPending', { pending })
          : t('split.reroute.problems.refusedSku');
    } else if (e.path === '/storeCode')
      out.store =
        e.code === 'SPLIT.STORE_WITHOUT_STOCK'
          ? t('split.reroute.problems.storeLacks')
          : t('split.reroute.problems.storeRefused');
    else if (e.path === '/reason') out.reason = t('split.reroute.problems.reason');
  }
  return out;
}

/**
 * "Recusar itens (reencaminhar)" (seeds: refusing part of the order at acceptance): per line a quantity to
 * refuse, up to what is pending; the company that takes them (the router's choice by default); a reason.
 * The refused quantities become a new order at that company; refusing everything cancels this one.
 */
export function RerouteDialog(props: {
  order: Order;
  open: boolean;
  onClose(): void;
  /** The original as the server answered, and the notice to show on the page. */
  onDone(order: Order, feedback: Feedback): void;
  /** The order is not what the screen shows (no longer open, gone): the notice, then read it again. */
  onStale(feedback: Feedback): void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { order } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const [options, setOptions] = useState<SplitOptions | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [store, setStore] = useState('');
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [refused, setRefused] = useState<Problems>({ lines: {} });
  const [offerSplit, setOfferSplit] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = async (signal?: AbortSignal) => {
    try {
      setOptions(
        await api<SplitOptions>('GET', `/api/v1/orders/${order.id}/split-options`, undefined, signal),
      );
      setLoadError(null);
    } catch (err) {
      if (!signal?.aborted) setLoadError(describeErrorIn(t, err, 'split.reroute'));
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: a fresh form each time the dialog opens
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!props.open) {
      if (dialog.open) dialog.close();
      return;
    }
    setOptions(null);
    setLoadError(null);
    setTyped({});
    setStore('');
    setReason('');
    setTried(false);
    setRefused({ lines: {} });
    setOfferSplit(false);
    if (!dialog.open) dialog.showModal();
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [props.open, order.id]);

  const lines = useMemo(() => (options?.lines ?? []).filter((l) => l.pending > 0), [options]);
  const { chosen, problems } = useMemo(() => checkQuantities(t, lines, typed), [t, lines, typed]);
  const targets = useMemo(() => targetsFor(lines, chosen), [lines, chosen]);
  const refusing = lines.filter((l) => (chosen[l.sku] ?? 0) > 0);
  // Every line refused in full: the server cancels the original.
  const all =
    options !== null &&
    options.lines.length > 0 &&
    options.lines.every((l) => l.held === 0 && l.allocated === 0 && (chosen[l.sku] ?? 0) === l.requested);
  const storeGone = store !== '' && !targets.some((c) => c.storeCode === store);

  const reasonProblem =
    reason.trim().length < MIN_REASON ? t('split.reroute.problems.reason') : refused.reason;
  const nothing = refusing.length === 0 && Object.keys(problems).length === 0;

  const edit = (sku: string, value: string) => {
    setTyped((q) => ({ ...q, [sku]: value }));
    setRefused((r) => ({ ...r, lines: { ...r.lines, [sku]: '' }, general: undefined }));
    setOfferSplit(false);
  };

  const submit = async () => {
    setTried(true);
    if (busy || !options) return;
    if (Object.keys(problems).length > 0 || refusing.length === 0 || reasonProblem || storeGone) return;
    const sent = refusing.map((l) => ({ sku: l.sku, quantity: chosen[l.sku]! }));
    setBusy(true);
    setRefused({ lines: {} });
    setOfferSplit(false);
    try {
      const res = await api<Rerouted>('POST', `/api/v1/orders/${order.id}/reroute`, {
        lines: sent,
        ...(store ? { storeCode: store } : {}),
        reason: reason.trim(),
      });
      const moved = res.reroutedOrder;
      // The new order belongs to another store: a store user may not be allowed to open it.
      const visible = await api<Order>('GET', `/api/v1/orders/${moved.id}`).then(
        () => true,
        () => false,
      );
      const words = {
        store: moved.storeCode,
        number: moved.number,
        original: res.order.number,
      };
      props.onDone(res.order, {
        kind: 'success',
        text: t(
          res.order.status === 'cancelled' ? 'split.reroute.doneCancelled' : 'split.reroute.done',
          words,
        ),
        links: visible
          ? [
              {
                key: 'rerouted',
                label: t('split.reroute.openNew', { number: moved.number }),
                to: `/orders/${moved.id}`,
              },
            ]
          : undefined,
      });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 0) {
        setRefused({ lines: {}, general: describeErrorIn(t, err, 'split.reroute') });
      } else if (err.status === 422) {
        setRefused({
          ...refusalsOf(t, err, sent, lines),
          general: describeErrorIn(t, err, 'split.reroute'),
        });
        if (err.code === 'SPLIT.INVALID_REROUTE') void load();
      } else if (err.code === 'SPLIT.NO_COMPANY' || err.code === 'SPLIT.POOL_DISABLED') {
        setRefused({ lines: {}, general: describeErrorIn(t, err, 'split.reroute') });
        setOfferSplit(true);
        void load();
      } else if (err.status === 409 || err.status === 404) {
        props.onStale({
          kind: 'error',
          text: t('split.reroute.refused', {
            number: order.number,
            message: describeErrorIn(t, err, 'split.reroute'),
          }),
        });
      } else setRefused({ lines: {}, general: describeErrorIn(t, err, 'split.reroute') });
    } finally {
      setBusy(false);
    }
  };

  const show = (problem: string | undefined) => (tried ? problem : undefined);
  return (
    <dialog
      ref={ref}
      className="dialog reroute-dialog"
      aria-labelledby="reroute-title"
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) props.onClose();
      }}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id="reroute-title">{t('split.reroute.title', { number: order.number })}</h2>
        <p className="hint">{t('split.reroute.intro')}</p>
        {!options && !loadError && <p className="loading">{t('split.reroute.loading')}</p>}
        {loadError && (
          <p className="notice error" role="alert">
            {loadError}
          </p>
        )}
        {options && (
          <>
            <div className="table-wrap">
              <table className="reroute-table">
                <caption className="visually-hidden">{t('split.reroute.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('split.reroute.columns.sku')}</th>
                    <th scope="col">{t('split.reroute.columns.description')}</th>
                    <th scope="col" className="num">
                      {t('split.reroute.columns.pending')}
                    </th>
                    <th scope="col" className="num">
                      {t('split.reroute.columns.refuse')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((l) => {
                    const problem = problems[l.sku] ?? (refused.lines[l.sku] || undefined);
                    const errorId = `reroute-error-${l.sku}`;
                    return (
                      <tr key={l.sku} data-sku={l.sku}>
                        <th scope="row" className="mono">
                          {l.sku}
                        </th>
                        <td className="wrap">{l.description}</td>
                        <td className="num">{l.pending}</td>
                        <td className="num">
                          <input
                            type="number"
                            inputMode="numeric"
                            min={0}
                            max={l.pending}
                            step={1}
                            aria-label={t('split.reroute.quantityOf', { sku: l.sku })}
                            value={typed[l.sku] ?? '0'}
                            onChange={(e) => edit(l.sku, e.target.value)}
                            aria-invalid={problem ? true : undefined}
                            aria-describedby={problem ? errorId : undefined}
                          />
                          {problem && (
                            <span id={errorId} className="field-error">
                              {problem}
                            </span>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {tried && nothing && (
              <p className="field-error" role="alert">
                {t('split.reroute.problems.nothingChosen')}
              </p>
            )}

            <label className="field">
              <span>{t('split.reroute.company')}</span>
              <select
                value={storeGone ? '' : store}
                onChange={(e) => {
                  setStore(e.target.value);
                  setRefused((r) => ({ ...r, store: undefined }));
                }}
                aria-invalid={refused.store ? true : undefined}
                aria-describedby={refused.store ? 'reroute-store-error' : undefined}
              >
                <option value="">{t('split.reroute.automatic')}</option>
                {targets.map((c) => (
                  <option key={c.storeCode} value={c.storeCode}>
                    {t('split.reroute.companyOption', {
                      code: c.storeCode,
                      name: c.storeName,
                      distance: distanceText(t, c.distanceKm),
                    })}
                  </option>
                ))}
              </select>
              {refused.store && (
                <span id="reroute-store-error" className="field-error">
                  {refused.store}
                </span>
              )}
              {!refused.store && refusing.length > 0 && targets.length === 0 && (
                <span className="hint">{t('split.reroute.noCompanies')}</span>
              )}
            </label>

            <label className="field">
              <span>{t('split.reroute.reason')}</span>
              <textarea
                value={reason}
                onChange={(e) => {
                  setReason(e.target.value);
                  setRefused((r) => ({ ...r, reason: undefined }));
                }}
                maxLength={MAX_REASON}
                rows={3}
                aria-invalid={show(reasonProblem) ? true : undefined}
                aria-describedby={show(reasonProblem) ? 'reroute-reason-error' : undefined}
              />
              {show(reasonProblem) && (
                <span id="reroute-reason-error" className="field-error">
                  {reasonProblem}
                </span>
              )}
            </label>

            {all && (
              <p className="notice warning" role="status">
                {t('split.reroute.allRefused')}
              </p>
            )}
          </>
        )}
        {refused.general && (
          <div className="notice error" role="alert">
            <p>{refused.general}</p>
            {offerSplit && (
              <p>
                <button
                  type="button"
                  className="button small"
                  onClick={() => navigate(`/orders/${order.id}/split`)}
                >
                  {t('split.makeSplit')}
                </button>
              </p>
            )}
          </div>
        )}
        {tried && !refused.general && (Object.keys(problems).length > 0 || reasonProblem) && (
          <p className="field-error">{t('split.reroute.problems.fixFirst')}</p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={props.onClose} disabled={busy}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="button danger" disabled={busy || !options}>
            {busy ? t('actions.saving') : t('split.reroute.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
