import { type FormEvent, Fragment, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../api/types.ts';
import { downloadFile, query } from '../api.ts';
import '../audit/audit.css';
import { changedFields, type DisplayValue, displayValue, subtreeOf, targetTypes } from '../audit/values.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { useLoad } from '../components/use-load.ts';
import { fieldErrors } from '../errors.ts';
import { formatDateTime, todayInSaoPaulo } from '../format.ts';
import { allNodes } from '../network/all-nodes.ts';

interface Filters {
  from: string;
  to: string;
  actor: string;
  type: string;
  target: string;
  node: string;
}

/** The last 7 days in São Paulo, today included. */
const lastWeek = (): Filters => ({
  from: todayInSaoPaulo(new Date(Date.now() - 6 * 86_400_000)),
  to: todayInSaoPaulo(),
  actor: '',
  type: '',
  target: '',
  node: '',
});

/** The API's query: a target type is the action's prefix ("parameter" → parameter.set, parameter.cleared). */
const queryOf = (f: Filters) =>
  query({
    from: f.from,
    to: f.to,
    actor: f.actor.trim(),
    action: f.type,
    target: f.target.trim(),
    node: f.node,
  });

/**
 * Auditoria (admins; app.tsx registers the route for them): the administrative changes of the admin's
 * subtree, newest first, filtered by period, who, what and node; each row opens its before/after table.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [draft, setDraft] = useState<Filters>(lastWeek);
  const [applied, setApplied] = useState<Filters>(draft);
  const [open, setOpen] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const list = usePagedList<AuditEvent>(`/api/v1/audit-events${queryOf(applied)}`);
  const nodes = useLoad(allNodes, []).data;
  const mine = useMemo(() => (nodes && me ? subtreeOf(nodes, me.nodeCode) : []), [nodes, me]);
  const invalid = fieldErrors(t, list.error);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setOpen(null);
    setApplied({ ...draft });
  };
  const clear = () => {
    const reset = lastWeek();
    setDraft(reset);
    setApplied(reset);
  };
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      await downloadFile(`/api/v1/audit-events.csv${queryOf(applied)}`, 'auditoria.csv');
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };
  const set = (field: keyof Filters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));

  const actionLabel = (action: string) => t(`audit.actions.${action}`, { defaultValue: action });
  const roleLabel = (role: string | null) => (role ? t(`audit.roles.${role}`, { defaultValue: role }) : '');
  const show = (v: DisplayValue) =>
    v.kind === 'masked'
      ? t('audit.values.masked')
      : v.kind === 'maskedChanged'
        ? t('audit.values.maskedChanged')
        : v.kind === 'empty'
          ? t('audit.values.empty')
          : v.kind === 'boolean'
            ? t(v.value ? 'audit.values.yes' : 'audit.values.no')
            : v.text;

  return (
    <section className="audit-page" aria-labelledby="audit-title">
      <header className="page-header">
        <h1 id="audit-title">{t('audit.title')}</h1>
        <p className="hint">{t('audit.intro')}</p>
      </header>

      <form className="filters" aria-label={t('audit.filters.label')} onSubmit={apply}>
        <label className="field">
          <span>{t('audit.filters.from')}</span>
          <input type="date" value={draft.from} onChange={set('from')} aria-invalid={!!invalid['/from']} />
          {invalid['/from'] && <span className="field-error">{invalid['/from']}</span>}
        </label>
        <label className="field">
          <span>{t('audit.filters.to')}</span>
          <input type="date" value={draft.to} onChange={set('to')} aria-invalid={!!invalid['/to']} />
          {invalid['/to'] && <span className="field-error">{invalid['/to']}</span>}
        </label>
        <label className="field">
          <span>{t('audit.filters.who')}</span>
          <input
            type="search"
            value={draft.actor}
            placeholder={t('audit.filters.whoPlaceholder')}
            onChange={set('actor')}
          />
        </label>
        <fieldset className="field audit-what-group">
          <legend>{t('audit.filters.what')}</legend>
          <div className="audit-what">
            <select value={draft.type} onChange={set('type')} aria-label={t('audit.filters.what')}>
              <option value="">{t('audit.filters.whatAll')}</option>
              {targetTypes.map((type) => (
                <option key={type} value={type}>
                  {t(`audit.targets.${type}`)}
                </option>
              ))}
            </select>
            <input
              type="search"
              value={draft.target}
              placeholder={t('audit.filters.whatText')}
              aria-label={t('audit.filters.whatTextLabel')}
              onChange={set('target')}
            />
          </div>
        </fieldset>
        <label className="field">
          <span>{t('audit.filters.node')}</span>
          <select value={draft.node} onChange={set('node')} aria-label={t('audit.filters.node')}>
            <option value="">{t('audit.filters.nodeAll')}</option>
            {mine.map((n) => (
              <option key={n.code} value={n.code}>
                {n.code} — {n.name}
              </option>
            ))}
          </select>
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            {t('audit.filters.apply')}
          </button>
          <button type="button" className="button" onClick={clear}>
            {t('audit.filters.clear')}
          </button>
          <button type="button" className="button" onClick={() => void exportCsv()} disabled={exporting}>
            {exporting ? t('audit.filters.exporting') : t('audit.filters.export')}
          </button>
        </div>
      </form>

      {exportError ? <Notice kind="error">{describeErrorIn(t, exportError, 'audit')}</Notice> : null}
      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'audit')}</Notice> : null}

      {list.loading && list.items.length === 0 ? (
        <p className="loading">{t('actions.loading')}</p>
      ) : !list.error && list.items.length === 0 ? (
        <section className="empty-state" aria-live="polite">
          <h2>{t('audit.empty.title')}</h2>
          <p>{t('audit.empty.filtered')}</p>
        </section>
      ) : list.items.length > 0 ? (
        <div className="table-wrap">
          <table className="audit-table" aria-labelledby="audit-title" aria-busy={list.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('audit.table.when')}</th>
                <th scope="col">{t('audit.table.who')}</th>
                <th scope="col">{t('audit.table.what')}</th>
                <th scope="col">{t('audit.table.target')}</th>
                <th scope="col">{t('audit.table.node')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('audit.table.details')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((e) => {
                const expanded = open === e.id;
                const fields = changedFields(e.before, e.after);
                return (
                  <Fragment key={e.id}>
                    <tr className={expanded ? 'selected' : undefined}>
                      <td>
                        <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                      </td>
                      <td>
                        <strong>{e.actor.kind === 'system' ? t('audit.table.system') : e.actor.name}</strong>
                        <small className="audit-who">
                          {[roleLabel(e.actor.role), e.actor.address].filter(Boolean).join(' · ')}
                        </small>
                      </td>
                      <td>
                        {actionLabel(e.action)}
                        <small className="audit-code">{e.action}</small>
                      </td>
                      <td>
                        <small className="audit-type">
                          {t(`audit.targets.${e.target.type}`, { defaultValue: e.target.type })}
                        </small>
                        {e.target.label}
                      </td>
                      <td>{e.target.nodeCode ?? t('audit.values.empty')}</td>
                      <td>
                        <button
                          type="button"
                          className="button small"
                          aria-expanded={expanded}
                          aria-controls={`audit-${e.id}`}
                          aria-label={
                            expanded
                              ? t('audit.table.hideChanges')
                              : t('audit.table.showChanges', { what: actionLabel(e.action) })
                          }
                          onClick={() => setOpen(expanded ? null : e.id)}
                        >
                          {t('audit.table.details')} <span aria-hidden="true">{expanded ? '▴' : '▾'}</span>
                        </button>
                      </td>
                    </tr>
                    {expanded && (
                      <tr className="audit-changes" id={`audit-${e.id}`}>
                        <td colSpan={6}>
                          {fields.length === 0 ? (
                            <p className="hint">{t('audit.table.noChanges')}</p>
                          ) : (
                            <table>
                              <thead>
                                <tr>
                                  <th scope="col">{t('audit.table.field')}</th>
                                  <th scope="col">{t('audit.table.before')}</th>
                                  <th scope="col">{t('audit.table.after')}</th>
                                </tr>
                              </thead>
                              <tbody>
                                {fields.map((f) => (
                                  <tr key={f}>
                                    <th scope="row">{f}</th>
                                    <td>{show(displayValue(e.before, f))}</td>
                                    <td>{show(displayValue(e.after, f))}</td>
                                  </tr>
                                ))}
                              </tbody>
                            </table>
                          )}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.nextCursor && <LoadMore list={list} />}
    </section>
  );
}
