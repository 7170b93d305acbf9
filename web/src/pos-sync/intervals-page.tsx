import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { base, type DataTypeRow, describe, type Feedback, fieldMessages, typeName } from './shared.ts';
import './pos-sync.css';

/**
 * Integrações → PDV → Intervalos (LoteAgendamento): the network's minutes per data type beside the seed's;
 * the network's administrators change them, a store's own minutes are set on the store's page.
 */
export function PosSyncIntervalsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const editable = me?.actor === 'network_admin';
  const list = useLoad(
    async (signal) =>
      (await api<{ items: DataTypeRow[] }>('GET', `${base}/data-types`, undefined, signal)).items,
    [],
  );
  const [feedback, setFeedback] = useState<Feedback>(null);
  return (
    <section className="pos-sync-page" aria-labelledby="pos-sync-intervals-title">
      <header className="page-header">
        <Link to="/integrations/pos">{t('posSync.store.back')}</Link>
        <h1 id="pos-sync-intervals-title">{t('posSync.intervals.title')}</h1>
        <p className="hint">{t('posSync.intervals.intro')}</p>
        {!editable && <p className="hint">{t('posSync.intervals.readOnly')}</p>}
      </header>
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
      {list.error ? <Notice kind="error">{describe(t, list.error)}</Notice> : null}
      {!list.data && !list.error && <p className="loading">{t('actions.loading')}</p>}
      {list.data && (
        <div className="table-wrap">
          <table aria-busy={list.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('posSync.intervals.type')}</th>
                <th scope="col">{t('posSync.intervals.seed')}</th>
                <th scope="col">{t('posSync.intervals.seedMinutes')}</th>
                <th scope="col">{t('posSync.intervals.source')}</th>
                <th scope="col">{t('posSync.intervals.minutes')}</th>
                <th scope="col">{t('posSync.intervals.from')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((row) => (
                <IntervalRow
                  key={`${row.dataType}-${row.minutes}-${row.from}`}
                  row={row}
                  editable={editable}
                  onFeedback={setFeedback}
                  onChanged={list.reload}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function IntervalRow(props: {
  row: DataTypeRow;
  editable: boolean;
  onFeedback(f: Feedback): void;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const r = props.row;
  const name = typeName(t, r.dataType);
  const [minutes, setMinutes] = useState(String(r.minutes));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
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
        api<DataTypeRow>('PUT', `${base}/intervals/${r.dataType}`, {
          minutes: minutes.trim() !== '' && Number.isInteger(value) ? value : minutes,
        }),
      (saved) => t('posSync.intervals.saved', { type: name, minutes: saved.minutes }),
    );
  };
  const reset = () =>
    void run(
      () => api<DataTypeRow>('DELETE', `${base}/intervals/${r.dataType}`),
      (saved) => t('posSync.intervals.cleared', { type: name, minutes: saved.minutes }),
    );
  return (
    <tr data-type={r.dataType}>
      <th scope="row">{name}</th>
      <td>{r.seedName ?? '—'}</td>
      <td>{r.seedMinutes ?? '—'}</td>
      <td>{t(`posSync.intervals.sources.${r.source}`)}</td>
      <td>
        {props.editable ? (
          <form className="inline-form" onSubmit={save}>
            <input
              className="minutes"
              type="number"
              min={0}
              max={10080}
              step={1}
              value={minutes}
              aria-label={t('posSync.intervals.minutesLabel', { type: name })}
              aria-invalid={error ? true : undefined}
              onChange={(e) => setMinutes(e.target.value)}
            />
            <button type="submit" className="button small" disabled={saving}>
              {t('posSync.intervals.save')}
            </button>
            {r.from === 'network' && (
              <button type="button" className="button small" disabled={saving} onClick={reset}>
                {t('posSync.intervals.reset')}
              </button>
            )}
          </form>
        ) : (
          t('posSync.store.minutes', { count: r.minutes })
        )}
        {error && (
          <span className="field-error" role="alert">
            {error}
          </span>
        )}
      </td>
      <td>{t(`posSync.store.from.${r.from}`)}</td>
    </tr>
  );
}
