import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { base, type DataTypeRow, describe, type Feedback, fieldMessages } from './shared.ts';

/**
 * A data type's minutes, editable (admins): saved for the network, or for one store when `storeCode` is
 * given; "clear" removes that level's own value (back to the network's or the seed's).
 */
export function IntervalEditor(props: {
  dataType: string;
  minutes: number;
  storeCode?: string;
  /** Whether this level has a value of its own to remove. */
  canClear: boolean;
  labels: { input: string; save: string; clear: string };
  saved(minutes: number): string;
  cleared(minutes: number): string;
  onFeedback(f: Feedback): void;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState(String(props.minutes));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const store = props.storeCode ? `?storeCode=${encodeURIComponent(props.storeCode)}` : '';
  const run = async (change: () => Promise<DataTypeRow>, done: (saved: DataTypeRow) => string) => {
    setSaving(true);
    setError(null);
    try {
      const saved = await change();
      props.onFeedback({ kind: 'success', text: done(saved) });
      props.onChanged();
    } catch (err) {
      setError(fieldMessages(t, err).minutes ?? describe(t, err));
    } finally {
      setSaving(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const value = Number(minutes);
    void run(
      () =>
        api<DataTypeRow>('PUT', `${base}/intervals/${props.dataType}`, {
          // Not a whole number: sent as typed, so the server's field error names it.
          minutes: minutes.trim() !== '' && Number.isInteger(value) ? value : minutes,
          ...(props.storeCode && { storeCode: props.storeCode }),
        }),
      (saved) => props.saved(saved.minutes),
    );
  };
  const clear = () =>
    void run(
      () => api<DataTypeRow>('DELETE', `${base}/intervals/${props.dataType}${store}`),
      (saved) => props.cleared(saved.minutes),
    );
  return (
    <>
      <form className="inline-form" onSubmit={save}>
        <input
          className="minutes"
          type="number"
          min={0}
          max={10080}
          step={1}
          value={minutes}
          aria-label={props.labels.input}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setMinutes(e.target.value)}
        />
        <button type="submit" className="button small" disabled={saving}>
          {props.labels.save}
        </button>
        {props.canClear && (
          <button type="button" className="button small" disabled={saving} onClick={clear}>
            {props.labels.clear}
          </button>
        )}
      </form>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
