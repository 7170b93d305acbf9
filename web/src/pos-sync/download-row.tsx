import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { base, type Download, describe, type Feedback, fieldMessages, typeName } from './shared.ts';

/** One data type of the store: its interval (with the store's own, for admins), last and next download. */
export function DownloadRow(props: {
  storeCode: string;
  download: Download;
  admin: boolean;
  onFeedback(f: Feedback): void;
  onChanged(): void;
  onFullLoad(): void;
}) {
  const { t } = useTranslation();
  const d = props.download;
  const [minutes, setMinutes] = useState(String(d.minutes));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const name = typeName(t, d.dataType);
  const state = d.fullLoadRequested
    ? { cls: 'tag warn', text: t('posSync.store.states.fullLoad') }
    : d.inProgress
      ? { cls: 'tag', text: t('posSync.store.states.inProgress') }
      : d.stale
        ? { cls: 'tag danger', text: t('posSync.store.states.stale') }
        : d.due
          ? { cls: 'tag on', text: t('posSync.store.states.due') }
          : { cls: 'tag muted', text: t('posSync.store.states.waiting') };

  const run = async (change: () => Promise<unknown>, done: string) => {
    setSaving(true);
    setError(null);
    try {
      await change();
      props.onFeedback({ kind: 'success', text: done });
      props.onChanged();
    } catch (err) {
      const fields = fieldMessages(t, err);
      setError(fields.minutes ?? describe(t, err));
    } finally {
      setSaving(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const value = Number(minutes);
    void run(
      () =>
        api('PUT', `${base}/intervals/${d.dataType}`, {
          minutes: minutes.trim() !== '' && Number.isInteger(value) ? value : minutes,
          storeCode: props.storeCode,
        }),
      t('posSync.store.intervalSaved', { type: name, minutes: value }),
    );
  };
  const clear = () =>
    void run(
      () => api('DELETE', `${base}/intervals/${d.dataType}?storeCode=${encodeURIComponent(props.storeCode)}`),
      t('posSync.store.intervalCleared', { type: name }),
    );

  return (
    <tr data-type={d.dataType}>
      <th scope="row">
        {name}
        {d.seedName && <span className="hint"> ({d.seedName})</span>}
      </th>
      <td>
        {props.admin ? (
          <form className="inline-form" onSubmit={save}>
            <input
              className="minutes"
              type="number"
              min={0}
              max={10080}
              step={1}
              value={minutes}
              aria-label={t('posSync.store.editIntervalLabel', { type: name })}
              aria-invalid={error ? true : undefined}
              onChange={(e) => setMinutes(e.target.value)}
            />
            <button type="submit" className="button small" disabled={saving}>
              {t('posSync.store.saveInterval')}
            </button>
            {d.from === 'store' && (
              <button type="button" className="button small" disabled={saving} onClick={clear}>
                {t('posSync.store.clearInterval')}
              </button>
            )}
          </form>
        ) : (
          t('posSync.store.minutes', { count: d.minutes })
        )}
        <span className="hint"> {t(`posSync.store.from.${d.from}`)}</span>
        {error && (
          <span className="field-error" role="alert">
            {error}
          </span>
        )}
      </td>
      <td>{d.lastDownloadAt ? formatDateTime(d.lastDownloadAt) : t('posSync.store.never')}</td>
      <td>{d.nextAllowedAt ? formatDateTime(d.nextAllowedAt) : t('posSync.store.nextPoll')}</td>
      <td>
        <span className={state.cls}>{state.text}</span>
      </td>
      <td>{d.records}</td>
      {props.admin && (
        <td className="row-actions">
          <button
            type="button"
            className="button small"
            aria-label={t('posSync.store.fullLoadOneLabel', { type: name })}
            onClick={props.onFullLoad}
          >
            {t('posSync.store.fullLoadOne')}
          </button>
        </td>
      )}
    </tr>
  );
}
