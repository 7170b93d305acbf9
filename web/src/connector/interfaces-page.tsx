import { type ReactNode, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BodyOf, ResponseOf } from '../api/types.ts';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { useLoad } from '../components/use-load.ts';
import { describeField, fieldErrorsOf } from '../errors.ts';
import { formatDateTime } from '../format.ts';
import './interfaces.css';

type Interface = ResponseOf<'/api/v1/connector/interfaces', 'get'>['items'][number];
type Run = ResponseOf<'/api/v1/connector/interfaces/{code}/runs', 'get'>['items'][number];
type Patch = BodyOf<'/api/v1/connector/interfaces/{code}', 'patch'>;
type Feedback = { kind: 'success' | 'error'; text: string } | null;

const base = '/api/v1/connector/interfaces';

/**
 * Integrações → Interfaces (admins; app.tsx registers the route for them): the network's interface
 * catalogue, filtered by text, system and state; each one's schedule, on/off (off asks first), run now,
 * its settings and its run history.
 */
export function ConnectorInterfacesPage() {
  const { t } = useTranslation();
  const list = useLoad(
    async (signal) => (await api<{ items: Interface[] }>('GET', base, undefined, signal)).items,
    [],
  );
  const [text, setText] = useState('');
  const [system, setSystem] = useState('');
  const [state, setState] = useState<'' | 'active' | 'inactive'>('');
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [editing, setEditing] = useState<Interface | null>(null);
  const [history, setHistory] = useState<Interface | null>(null);
  const [confirmOff, setConfirmOff] = useState<Interface | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const systems = useMemo(() => [...new Set((list.data ?? []).map((i) => i.system))].sort(), [list.data]);
  const shown = (list.data ?? []).filter((i) => {
    const q = text.trim().toLowerCase();
    if (q && !`${i.code} ${i.name} ${i.system}`.toLowerCase().includes(q)) return false;
    if (system && i.system !== system) return false;
    if (state && i.active !== (state === 'active')) return false;
    return true;
  });

  const fail = (err: unknown) =>
    setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'connector.interfaces') });

  const setActive = async (i: Interface, active: boolean) => {
    setBusy(i.code);
    setFeedback(null);
    try {
      await api<Interface>('PATCH', `${base}/${i.code}`, { active });
      setFeedback({
        kind: 'success',
        text: t(active ? 'connector.interfaces.activated' : 'connector.interfaces.deactivated', {
          code: i.code,
        }),
      });
      setConfirmOff(null);
      list.reload();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  };

  const runNow = async (i: Interface) => {
    setBusy(i.code);
    setFeedback(null);
    try {
      await api('POST', `${base}/${i.code}/run`);
      setFeedback({ kind: 'success', text: t('connector.interfaces.started', { code: i.code }) });
      setHistory(i);
      list.reload();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="connector-page" aria-labelledby="connector-interfaces-title">
      <header className="page-header">
        <h1 id="connector-interfaces-title">{t('connector.interfaces.title')}</h1>
        <p className="hint">{t('connector.interfaces.intro')}</p>
      </header>
      <search className="filters">
        <label className="field">
          <span>{t('connector.interfaces.search')}</span>
          <input
            type="search"
            value={text}
            placeholder={t('connector.interfaces.searchPlaceholder')}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('connector.interfaces.system')}</span>
          <select value={system} onChange={(e) => setSystem(e.target.value)}>
            <option value="">{t('connector.interfaces.allSystems')}</option>
            {systems.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('connector.interfaces.state')}</span>
          <select value={state} onChange={(e) => setState(e.target.value as typeof state)}>
            <option value="">{t('connector.interfaces.allStates')}</option>
            <option value="active">{t('connector.interfaces.active')}</option>
            <option value="inactive">{t('connector.interfaces.inactive')}</option>
          </select>
        </label>
      </search>
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
      {editing && (
        <InterfaceForm
          key={editing.code}
          iface={editing}
          onSaved={(saved) => {
            setEditing(null);
            setFeedback({ kind: 'success', text: t('connector.interfaces.saved', { code: saved.code }) });
            list.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {history && <RunHistory key={history.code} iface={history} onClose={() => setHistory(null)} />}
      {list.error ? (
        <Notice kind="error">{describeErrorIn(t, list.error, 'connector.interfaces')}</Notice>
      ) : null}
      {!list.data && !list.error && <p className="loading">{t('actions.loading')}</p>}
      {list.data && shown.length === 0 && <p className="empty-state">{t('connector.interfaces.empty')}</p>}
      {shown.length > 0 && (
        <div className="table-wrap">
          <table className="interfaces-table" aria-busy={list.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('connector.interfaces.code')}</th>
                <th scope="col">{t('connector.interfaces.name')}</th>
                <th scope="col">{t('connector.interfaces.direction')}</th>
                <th scope="col">{t('connector.interfaces.schedule')}</th>
                <th scope="col">{t('connector.interfaces.adapter')}</th>
                <th scope="col">{t('connector.interfaces.state')}</th>
                <th scope="col">{t('connector.interfaces.lastRun')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('connector.interfaces.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((i) => (
                <tr key={i.code} data-code={i.code} className={i.active ? undefined : 'inactive'}>
                  <td className="code">{i.code}</td>
                  <td className="name">
                    {i.name}
                    <span className="system">{i.system}</span>
                  </td>
                  <td>
                    {t(`connector.interfaces.directions.${i.direction}`)}
                    <br />
                    <span className="hint">{t(`connector.interfaces.methods.${i.method}`)}</span>
                  </td>
                  <td>
                    <ScheduleText iface={i} />
                  </td>
                  <td>
                    <span className={i.adapter === 'none' ? 'tag muted' : 'tag'}>
                      {t(`connector.interfaces.adapters.${i.adapter}`, { defaultValue: i.adapter })}
                    </span>
                  </td>
                  <td>
                    <span className={i.active ? 'tag on' : 'tag muted'}>
                      {i.active ? t('connector.interfaces.active') : t('connector.interfaces.inactive')}
                    </span>
                  </td>
                  <td>
                    {i.lastRun ? (
                      <>
                        {t(`connector.interfaces.outcomes.${i.lastRun.outcome}`)}
                        <br />
                        <span className="hint">{formatDateTime(i.lastRun.startedAt)}</span>
                      </>
                    ) : (
                      <span className="hint">{t('connector.interfaces.never')}</span>
                    )}
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button small"
                      onClick={() => {
                        setFeedback(null);
                        setEditing(i);
                      }}
                      aria-label={`${t('connector.interfaces.edit')} ${i.code}`}
                    >
                      {t('connector.interfaces.edit')}
                    </button>
                    <button
                      type="button"
                      className="button small"
                      disabled={busy === i.code}
                      onClick={() => (i.active ? setConfirmOff(i) : void setActive(i, true))}
                      aria-label={`${i.active ? t('connector.interfaces.deactivate') : t('connector.interfaces.activate')} ${i.code}`}
                    >
                      {i.active ? t('connector.interfaces.deactivate') : t('connector.interfaces.activate')}
                    </button>
                    <button
                      type="button"
                      className="button small"
                      disabled={busy === i.code}
                      onClick={() => void runNow(i)}
                      aria-label={`${t('connector.interfaces.runNow')} ${i.code}`}
                    >
                      {t('connector.interfaces.runNow')}
                    </button>
                    <button
                      type="button"
                      className="button small"
                      onClick={() => setHistory(i)}
                      aria-label={`${t('connector.interfaces.history')} ${i.code}`}
                    >
                      {t('connector.interfaces.history')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={confirmOff !== null}
        title={t('connector.interfaces.confirmDeactivateTitle', { code: confirmOff?.code })}
        message={t('connector.interfaces.confirmDeactivate', { name: confirmOff?.name })}
        confirmLabel={t('connector.interfaces.deactivate')}
        danger
        busy={busy !== null}
        onConfirm={() => confirmOff && void setActive(confirmOff, false)}
        onCancel={() => setConfirmOff(null)}
      />
    </section>
  );
}

function ScheduleText({ iface }: { iface: Interface }) {
  const { t } = useTranslation();
  const what =
    iface.scheduleMinutes !== null
      ? t('connector.interfaces.everyMinutes', { count: iface.scheduleMinutes })
      : iface.cron
        ? t('connector.interfaces.cronSchedule', { cron: iface.cron })
        : t('connector.interfaces.onDemand');
  return (
    <>
      {what}
      {iface.nextRunAt && (
        <>
          <br />
          <span className="hint">
            {t('connector.interfaces.nextRun', { when: formatDateTime(iface.nextRunAt) })}
          </span>
        </>
      )}
    </>
  );
}

type ScheduleKind = 'minutes' | 'cron' | 'none';

/** The schedule and the adapter of one interface; the server's field errors beside the fields. */
function InterfaceForm(props: { iface: Interface; onSaved(i: Interface): void; onCancel(): void }) {
  const { t } = useTranslation();
  const ids = useId();
  const { iface } = props;
  const [kind, setKind] = useState<ScheduleKind>(
    iface.scheduleMinutes !== null ? 'minutes' : iface.cron ? 'cron' : 'none',
  );
  const [minutes, setMinutes] = useState(String(iface.scheduleMinutes ?? 10));
  const [cron, setCron] = useState(iface.cron ?? '');
  const [adapter, setAdapter] = useState(iface.adapter as NonNullable<Patch['adapter']>);
  const [settings, setSettings] = useState(JSON.stringify(iface.adapterSettings, null, 2));
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const errors = fieldErrorsOf(error);
  const errorAt = (prefix: string) =>
    errors
      .filter((e) => e.path.startsWith(prefix))
      .map((e) => `${e.path.split('/').pop()}: ${describeField(t, e)}`);

  const submit = async () => {
    setLocalError(null);
    let adapterSettings: Record<string, unknown> = {};
    if (adapter !== 'none') {
      try {
        const parsed = JSON.parse(settings || '{}');
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
        adapterSettings = parsed;
      } catch {
        setLocalError(t('connector.interfaces.settingsInvalid'));
        return;
      }
    }
    const body: Patch = {
      scheduleMinutes: kind === 'minutes' ? Number(minutes) : null,
      cron: kind === 'cron' ? cron.trim() : null,
      adapter,
      adapterSettings,
    };
    setSaving(true);
    setError(null);
    try {
      props.onSaved(await api<Interface>('PATCH', `${base}/${iface.code}`, body));
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  const settingsErrors = errorAt('/adapterSettings');
  return (
    <form
      className="card interface-form"
      aria-labelledby={`${ids}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id={`${ids}-title`}>
        {t('connector.interfaces.editTitle', { code: iface.code, name: iface.name })}
      </h2>
      {error ? <Notice kind="error">{describeErrorIn(t, error, 'connector.interfaces')}</Notice> : null}
      <div className="form-grid">
        <Field id={`${ids}-kind`} label={t('connector.interfaces.scheduleKind')}>
          <select id={`${ids}-kind`} value={kind} onChange={(e) => setKind(e.target.value as ScheduleKind)}>
            {(['minutes', 'cron', 'none'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`connector.interfaces.scheduleKinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        {kind === 'minutes' && (
          <Field
            id={`${ids}-minutes`}
            label={t('connector.interfaces.minutes')}
            errors={errorAt('/scheduleMinutes')}
          >
            <input
              id={`${ids}-minutes`}
              type="number"
              min={1}
              max={10080}
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
              required
            />
          </Field>
        )}
        {kind === 'cron' && (
          <Field
            id={`${ids}-cron`}
            label={t('connector.interfaces.cron')}
            hint={t('connector.interfaces.cronHint')}
            errors={errorAt('/cron')}
          >
            <input id={`${ids}-cron`} value={cron} onChange={(e) => setCron(e.target.value)} required />
          </Field>
        )}
        <Field
          id={`${ids}-adapter`}
          label={t('connector.interfaces.adapter')}
          hint={adapter === 'none' ? t('connector.interfaces.noAdapterHint') : undefined}
        >
          <select
            id={`${ids}-adapter`}
            value={adapter}
            onChange={(e) => setAdapter(e.target.value as typeof adapter)}
          >
            {(['none', 'http_json', 'file_drop', 'nats'] as const).map((a) => (
              <option key={a} value={a}>
                {t(`connector.interfaces.adapters.${a}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {adapter !== 'none' && (
        <Field
          id={`${ids}-settings`}
          label={t('connector.interfaces.settings')}
          hint={t('connector.interfaces.settingsHint')}
          errors={[...(localError ? [localError] : []), ...settingsErrors]}
        >
          <textarea
            id={`${ids}-settings`}
            rows={6}
            value={settings}
            onChange={(e) => setSettings(e.target.value)}
            spellCheck={false}
          />
        </Field>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={props.onCancel} disabled={saving}>
          {t('actions.cancel')}
        </button>
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? t('actions.saving') : t('actions.save')}
        </button>
      </div>
    </form>
  );
}

/** A labelled field whose hint and errors sit outside the label, so the input's name is the label alone. */
function Field(props: { id: string; label: string; hint?: string; errors?: string[]; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>
        <span>{props.label}</span>
      </label>
      {props.children}
      {props.hint && <span className="hint">{props.hint}</span>}
      {props.errors?.map((m) => (
        <span key={m} className="field-error" role="alert">
          {m}
        </span>
      ))}
    </div>
  );
}

/** The runs of one interface, newest first, page by page. */
function RunHistory(props: { iface: Interface; onClose(): void }) {
  const { t } = useTranslation();
  const runs = usePagedList<Run>(`${base}/${props.iface.code}/runs?limit=20`);
  const ids = useId();
  return (
    <section className="card interface-history" aria-labelledby={`${ids}-title`}>
      <header className="section-head">
        <h2 id={`${ids}-title`}>{t('connector.interfaces.historyTitle', { code: props.iface.code })}</h2>
        <div className="row-actions">
          <button type="button" className="button small" onClick={runs.reload}>
            {t('actions.retry')}
          </button>
          <button type="button" className="button small" onClick={props.onClose}>
            {t('connector.interfaces.closeHistory')}
          </button>
        </div>
      </header>
      {runs.error ? (
        <Notice kind="error">{describeErrorIn(t, runs.error, 'connector.interfaces')}</Notice>
      ) : null}
      {!runs.loading && runs.items.length === 0 && <p className="hint">{t('connector.interfaces.noRuns')}</p>}
      {runs.items.length > 0 && (
        <div className="table-wrap">
          <table className="runs-table" aria-busy={runs.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('connector.interfaces.started_at')}</th>
                <th scope="col">{t('connector.interfaces.finished_at')}</th>
                <th scope="col">{t('connector.interfaces.trigger')}</th>
                <th scope="col">{t('connector.interfaces.outcome')}</th>
                <th scope="col">{t('connector.interfaces.items')}</th>
                <th scope="col">{t('connector.interfaces.message')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.items.map((r) => (
                <tr key={r.id} data-outcome={r.outcome}>
                  <td>{formatDateTime(r.startedAt)}</td>
                  <td>{r.finishedAt ? formatDateTime(r.finishedAt) : '—'}</td>
                  <td>{t(`connector.interfaces.triggers.${r.trigger}`)}</td>
                  <td>{t(`connector.interfaces.outcomes.${r.outcome}`)}</td>
                  <td>{r.items}</td>
                  <td className="message">{r.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {runs.nextCursor && <LoadMore list={runs} small />}
    </section>
  );
}
