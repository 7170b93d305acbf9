import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { IntervalEditor } from './interval-editor.tsx';
import { base, type DataTypeRow, describe, type Feedback, typeName } from './shared.ts';
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
  return (
    <tr data-type={r.dataType}>
      <th scope="row">{name}</th>
      <td>{r.seedName ?? '—'}</td>
      <td>{r.seedMinutes ?? '—'}</td>
      <td>{t(`posSync.intervals.sources.${r.source}`)}</td>
      <td>
        {props.editable ? (
          <IntervalEditor
            dataType={r.dataType}
            minutes={r.minutes}
            canClear={r.from === 'network'}
            labels={{
              input: t('posSync.intervals.minutesLabel', { type: name }),
              save: t('posSync.intervals.save'),
              clear: t('posSync.intervals.reset'),
            }}
            saved={(minutes) => t('posSync.intervals.saved', { type: name, minutes })}
            cleared={(minutes) => t('posSync.intervals.cleared', { type: name, minutes })}
            onFeedback={props.onFeedback}
            onChanged={props.onChanged}
          />
        ) : (
          t('posSync.store.minutes', { count: r.minutes })
        )}
      </td>
      <td>{t(`posSync.store.from.${r.from}`)}</td>
    </tr>
  );
}
