import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format.ts';
import { IntervalEditor } from './interval-editor.tsx';
import { type Download, type Feedback, typeName } from './shared.ts';

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

  return (
    <tr data-type={d.dataType}>
      <th scope="row">
        {name}
        {d.seedName && <span className="hint"> ({d.seedName})</span>}
      </th>
      <td>
        {props.admin ? (
          <IntervalEditor
            dataType={d.dataType}
            minutes={d.minutes}
            storeCode={props.storeCode}
            canClear={d.from === 'store'}
            labels={{
              input: t('posSync.store.editIntervalLabel', { type: name }),
              save: t('posSync.store.saveInterval'),
              clear: t('posSync.store.clearInterval'),
            }}
            saved={(minutes) => t('posSync.store.intervalSaved', { type: name, minutes })}
            cleared={() => t('posSync.store.intervalCleared', { type: name })}
            onFeedback={props.onFeedback}
            onChanged={props.onChanged}
          />
        ) : (
          t('posSync.store.minutes', { count: d.minutes })
        )}
        <span className="hint"> {t(`posSync.store.from.${d.from}`)}</span>
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
