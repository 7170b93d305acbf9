import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { orderNumberOf } from './counter.ts';
import { posApi } from './pos-api.ts';
import type { CounterView } from './pos-types.ts';

/** `GET /api/v1/pos/orders?number=`: one of this store's omni orders, whatever its state, with its next actions. */
export const lookUpOrder = (number: number, signal?: AbortSignal): Promise<CounterView> =>
  posApi<CounterView>('GET', `/api/v1/pos/orders?number=${number}`, undefined, { signal });

/**
 * The order-number box of the counter: focused on arrival, so a barcode scanner (which types the digits
 * and Enter) finds the order without a touch; the cashier may also type it and tap "Buscar".
 */
export function OrderSearch(props: {
  id: string;
  label: string;
  hint: string;
  submitLabel: string;
  notFound: (number: number) => string;
  onFound(found: CounterView): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const number = orderNumberOf(text);
    if (number === null) {
      setError(t('pos.pending.noNumber'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const found = await lookUpOrder(number);
      setText('');
      props.onFound(found);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 404
          ? props.notFound(number)
          : describeErrorIn(t, failure, 'pos'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="pos-search" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={props.id}>
          <span>{props.label}</span>
        </label>
        <div className="pos-search-row">
          <input
            id={props.id}
            className="pos-input mono"
            inputMode="numeric"
            autoComplete="off"
            // biome-ignore lint/a11y/noAutofocus: the counter's scanner types into the focused box
            autoFocus
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${props.id}-hint${error ? ` ${props.id}-error` : ''}`}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
          />
          <button type="submit" className="button primary pos-big" disabled={busy}>
            {busy ? t('pos.pending.finding') : props.submitLabel}
          </button>
        </div>
        <span id={`${props.id}-hint`} className="hint">
          {props.hint}
        </span>
        {error && (
          <span id={`${props.id}-error`} className="field-error" role="alert">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
