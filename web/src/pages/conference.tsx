import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Conference, ConferenceScanned } from '../api/types.ts';
import { ApiError, api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime } from '../format.ts';
import type { Feedback } from '../orders/feedback.tsx';
import { FeedbackNotice } from '../orders/feedback.tsx';
import { useConfirm } from '../orders/use-confirm.tsx';
import '../orders/conference.css';

/** A barcode scanner types digits and Enter: digits are an EAN, anything else a SKU. */
const codeOf = (typed: string) => (/^\d{8,14}$/.test(typed) ? { ean: typed } : { sku: typed });

/** A short low beep on a refused scan, for a clerk looking at the goods rather than the screen. */
function beep() {
  try {
    const Ctx =
      window.AudioContext ?? (window as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.value = 220;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.25);
    osc.onended = () => void ctx.close();
  } catch {
    // No sound where the browser refuses it: the red notice says it all the same.
  }
}

/**
 * The scan conference of one order (seeds 003, Conferência), made for a USB barcode scanner: the code
 * input keeps the focus, every scan answers at once (the line's counter grows, or a red notice with a
 * beep says why nothing was counted), "Finalizar" waits for every unit, a manager may restart the count
 * with a reason. Everything is reachable by keyboard.
 */
export function ConferencePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { me } = useAuth();
  const confirm = useConfirm();
  const loaded = useLoad(
    (signal) => api<Conference>('GET', `/api/v1/orders/${id}/conference`, undefined, signal),
    [id],
  );
  const [state, setState] = useState<Conference | null>(null);
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [wrong, setWrong] = useState(false);
  const [lastLine, setLastLine] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (loaded.data) setState(loaded.data);
  }, [loaded.data]);

  const isManager =
    me?.actor === 'network_admin' || me?.actor === 'central_admin' || me?.actor === 'store_manager';

  if (loaded.error && !state)
    return (
      <section className="empty-state" aria-labelledby="conference-title">
        <h1 id="conference-title">{t('conference.open')}</h1>
        <p role="alert">{describeErrorIn(t, loaded.error, 'conference')}</p>
        <Link to={`/orders/${id}`}>{t('conference.back')}</Link>
      </section>
    );
  if (!state) return <p className="loading">{t('conference.loading')}</p>;

  const scanning = state.orderStatus === 'picking' && state.mode !== 'at_acceptance';
  const canScan = scanning && state.status !== 'finished';
  const complete = state.lines.every((l) => l.counted >= l.expected);
  const canFinish = canScan && state.status === 'counting' && complete;
  const canRestart = isManager && scanning && state.status !== 'not_started';

  /** A refusal of the server in the clerk's words: the code's own sentence, with the values it names. */
  const refusal = (err: ApiError, typed: string) => {
    const params = err.problem.errors?.[0]?.params ?? {};
    const own = err.code
      ? t(`conference.errors.${err.code}`, { defaultValue: '', code: typed, ...params })
      : '';
    return own || describeErrorIn(t, err, 'conference');
  };

  const refocus = () => requestAnimationFrame(() => input.current?.focus());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const typed = code.trim();
    if (!typed || busy) return;
    const count = Number.parseInt(quantity, 10);
    setBusy(true);
    try {
      const body = { ...codeOf(typed), ...(count > 1 ? { quantity: count } : {}) };
      const next = await api<ConferenceScanned>('POST', `/api/v1/orders/${id}/conference/scans`, body);
      const line = next.lines.find((l) => l.line === next.scanned.line)!;
      setState(next);
      setWrong(false);
      setLastLine(line.line);
      setFeedback({
        kind: 'success',
        text: t('conference.scan.counted', {
          quantity: next.scanned.quantity,
          sku: line.sku,
          description: line.description,
          counted: line.counted,
          expected: line.expected,
        }),
      });
      setQuantity('1');
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      beep();
      setWrong(true);
      setFeedback({ kind: 'error', text: refusal(err, typed) });
      if (err.status === 409) loaded.reload();
    } finally {
      setCode('');
      setBusy(false);
      refocus();
    }
  };

  const finish = async () => {
    setBusy(true);
    try {
      const done = await api<Conference>('POST', `/api/v1/orders/${id}/conference/finish`);
      const text =
        done.deliveryType === 'pickup'
          ? t('conference.finish.donePickup', { number: done.orderNumber })
          : t('conference.finish.doneShip', { number: done.orderNumber });
      navigate(`/orders/${id}`, { state: { feedback: { kind: 'success', text } satisfies Feedback } });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setFeedback({ kind: 'error', text: refusal(err, '') });
      loaded.reload();
      refocus();
    } finally {
      setBusy(false);
    }
  };

  const restart = () =>
    confirm.ask({
      title: t('conference.restart.title'),
      message: <p>{t('conference.restart.message', { number: state.orderNumber })}</p>,
      confirmLabel: t('conference.restart.action'),
      danger: true,
      reason: { label: t('conference.restart.reason'), required: true, maxLength: 500 },
      run: async (reason) => {
        try {
          const next = await api<Conference>('DELETE', `/api/v1/orders/${id}/conference`, { reason });
          setState(next);
          setLastLine(null);
          setWrong(false);
          setFeedback({ kind: 'info', text: t('conference.restart.done') });
          refocus();
          return undefined;
        } catch (err) {
          if (err instanceof ApiError && err.status !== 0) return refusal(err, '');
          throw err;
        }
      },
    });

  return (
    <article className="conference" aria-labelledby="conference-title">
      <p className="back-link">
        <Link to={`/orders/${id}`}>
          <span aria-hidden="true">← </span>
          {t('conference.back')}
        </Link>
      </p>
      <header className="card conference-head">
        <div className="order-title">
          <h1 id="conference-title">{t('conference.title', { number: state.orderNumber })}</h1>
          <StatusBadge status={state.orderStatus} />
          <span className={`conference-status conference-${state.status}`}>
            {t(`conference.statuses.${state.status}`)}
          </span>
        </div>
        <p className="conference-progress" aria-live="polite">
          {t('conference.progress', state.totals)}
        </p>
        <p className="hint">{t(`conference.modes.${state.mode}`)}</p>
        {state.startedAt && state.startedBy && (
          <p className="hint">
            {t('conference.started', { name: state.startedBy.name, at: formatDateTime(state.startedAt) })}
          </p>
        )}
        {state.finishedAt &&
          (state.method === 'acceptance' ? (
            <p className="hint">
              {t('conference.finishedAtAcceptance', { at: formatDateTime(state.finishedAt) })}
            </p>
          ) : (
            state.finishedBy && (
              <p className="hint">
                {t('conference.finishedBy', {
                  name: state.finishedBy.name,
                  at: formatDateTime(state.finishedAt),
                })}
              </p>
            )
          ))}
      </header>

      {state.orderStatus !== 'picking' && state.status !== 'finished' && (
        <p className="notice info" role="status">
          {t('conference.notPicking', { status: t(`statuses.${state.orderStatus}`) })}
        </p>
      )}

      {canScan && (
        <form className={`card conference-scan${wrong ? ' wrong' : ''}`} onSubmit={(e) => void submit(e)}>
          <label className="field conference-code">
            <span>{t('conference.scan.label')}</span>
            <input
              ref={input}
              // A scanner types into whatever has the focus: the screen opens with it here.
              // biome-ignore lint/a11y/noAutofocus: the scanner's input is the point of the screen
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              inputMode="text"
              aria-describedby="conference-hint"
              aria-invalid={wrong}
            />
          </label>
          <label className="field conference-quantity">
            <span>{t('conference.scan.quantity')}</span>
            <input type="number" min={1} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={busy || !code.trim()}>
            {t('conference.scan.submit')}
          </button>
          <p id="conference-hint" className="hint">
            {t('conference.scan.hint')}
          </p>
        </form>
      )}

      {feedback && <FeedbackNotice feedback={feedback} onDismiss={() => setFeedback(null)} />}

      <section className="card" aria-labelledby="conference-lines">
        <h2 id="conference-lines">{t('conference.lines.caption')}</h2>
        <ul className="conference-lines">
          {state.lines.map((l) => {
            const done = l.counted >= l.expected;
            return (
              <li
                key={l.line}
                className={`conference-line${done ? ' complete' : ''}${l.line === lastLine ? ' last' : ''}`}
                aria-label={`${l.sku}: ${l.counted} / ${l.expected}`}
              >
                <div className="conference-counter" aria-hidden="true">
                  <span className="counted">{l.counted}</span>
                  <span className="of">/</span>
                  <span className="expected">{l.expected}</span>
                </div>
                <div className="conference-item">
                  <strong>{l.description}</strong>
                  <span className="mono">
                    {t('conference.lines.sku')} {l.sku} · {t('conference.lines.ean')} {l.ean}
                  </span>
                  <span className={done ? 'hint ok' : 'hint'}>
                    {done
                      ? t('conference.lines.complete')
                      : t('conference.lines.missing', { count: l.expected - l.counted })}
                  </span>
                </div>
              </li>
            );
          })}
        </ul>
      </section>

      {scanning && (
        <div className="conference-actions">
          <button
            type="button"
            className="button primary wide"
            disabled={!canFinish || busy}
            onClick={() => void finish()}
            aria-describedby={canFinish ? undefined : 'conference-finish-hint'}
          >
            {t('conference.finish.action')}
          </button>
          {!canFinish && state.status !== 'finished' && (
            <span id="conference-finish-hint" className="hint">
              {t('conference.finish.incomplete')}
            </span>
          )}
          {canRestart && (
            <button type="button" className="button danger-outline" onClick={restart}>
              {t('conference.restart.action')}
            </button>
          )}
        </div>
      )}
      {confirm.dialog}
    </article>
  );
}
