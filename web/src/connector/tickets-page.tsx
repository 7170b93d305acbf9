import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ResponseOf } from '../api/types.ts';
import { api, query } from '../api.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { JobProgress, useJob } from '../components/job-progress.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { toggleIn, useSelectAll } from '../components/row-selection.ts';
import { useLoad } from '../components/use-load.ts';
import { fieldErrors } from '../errors.ts';
import { formatDateTime } from '../format.ts';
import './connector.css';
import { prettyPayload } from './payload.ts';

type Ticket = ResponseOf<'/api/v1/connector/tickets', 'get'>['items'][number];
type TicketDetail = ResponseOf<'/api/v1/connector/tickets/{id}', 'get'>;
type Accepted = ResponseOf<'/api/v1/connector/tickets/reprocess', 'post', 202>;
interface ReprocessResult {
  done: number;
  failed: { ticketId: string; error: string }[];
}

const statuses = ['processed', 'failed', 'pending'] as const;
const directions = ['in', 'out'] as const;

interface Filters {
  from: string;
  to: string;
  system: string;
  status: string;
  kind: string;
  moduleCode: string;
  direction: string;
  orderId: string;
  reference: string;
}

const noFilters: Filters = {
  from: '',
  to: '',
  system: '',
  status: '',
  kind: '',
  moduleCode: '',
  direction: '',
  orderId: '',
  reference: '',
};

/** The filters as the API takes them, empty ones left out (no period: the API's last 24 hours). */
const filterOf = (f: Filters): Record<string, string | number> =>
  Object.fromEntries(
    Object.entries({ ...f, moduleCode: f.moduleCode === '' ? '' : Number(f.moduleCode) })
      .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v] as const)
      .filter(([, v]) => v !== ''),
  );

/**
 * Integrações → Tickets (network admins; seed 000 §5.3 and "Reprocessar Ticket Connector"): the
 * integration log searched by system, status, kind, interface, order and period; each ticket's payload
 * (masked by the server); the settled ones queued again with a reason, as one job followed here.
 */
export function ConnectorTicketsPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<Filters>(noFilters);
  const list = usePagedList<Ticket>(`/api/v1/connector/tickets${query(filterOf(applied))}`);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [viewing, setViewing] = useState<string | null>(null);
  const [asking, setAsking] = useState<'selected' | 'all' | null>(null);
  const [sending, setSending] = useState(false);
  const [askError, setAskError] = useState<unknown>(null);
  const [accepted, setAccepted] = useState<Accepted | null>(null);
  const { job, error: jobError } = useJob<ReprocessResult>(accepted?.jobId ?? null);
  const invalid = fieldErrors(t, list.error);

  const reprocessable = list.items.filter((i) => i.reprocessable).map((i) => i.id);
  const selectAll = useSelectAll(reprocessable, selected);
  const settledLoaded = list.items.filter((i) => i.status !== 'pending').length;

  // Once the job ends, the list shows the tickets its handlers wrote.
  const finished = job?.status === 'done' || job?.status === 'failed';
  const reload = list.reload;
  useEffect(() => {
    if (finished) reload();
  }, [finished, reload]);

  const set = (field: keyof Filters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setSelected(new Set());
    setApplied({ ...draft });
  };
  const clear = () => {
    setDraft(noFilters);
    setApplied(noFilters);
    setSelected(new Set());
  };
  const reprocess = async (reason: string) => {
    setSending(true);
    setAskError(null);
    try {
      const body =
        asking === 'selected' ? { ids: [...selected], reason } : { filter: filterOf(applied), reason };
      setAccepted(await api<Accepted>('POST', '/api/v1/connector/tickets/reprocess', body));
      setAsking(null);
      setSelected(new Set());
    } catch (error) {
      setAskError(error);
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="connector-page connector-tickets" aria-labelledby="connector-tickets-title">
      <header className="page-header">
        <h1 id="connector-tickets-title">{t('connector.tickets.title')}</h1>
        <p className="hint">{t('connector.tickets.intro')}</p>
      </header>

      <form className="filters" aria-label={t('connector.tickets.filters.label')} onSubmit={apply}>
        <label className="field">
          <span>{t('connector.tickets.filters.from')}</span>
          <input type="date" value={draft.from} onChange={set('from')} aria-invalid={!!invalid['/from']} />
          {invalid['/from'] && <span className="field-error">{invalid['/from']}</span>}
        </label>
        <label className="field">
          <span>{t('connector.tickets.filters.to')}</span>
          <input type="date" value={draft.to} onChange={set('to')} aria-invalid={!!invalid['/to']} />
          {invalid['/to'] && <span className="field-error">{invalid['/to']}</span>}
        </label>
        <label className="field">
          <span>{t('connector.tickets.filters.system')}</span>
          <input
            type="search"
            value={draft.system}
            placeholder={t('connector.tickets.filters.systemPlaceholder')}
            onChange={set('system')}
          />
        </label>
        <label className="field">
          <span>{t('connector.tickets.filters.status')}</span>
          <select
            value={draft.status}
            onChange={set('status')}
            aria-label={t('connector.tickets.filters.status')}
          >
            <option value="">{t('connector.tickets.filters.all')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`connector.tickets.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('connector.tickets.filters.kind')}</span>
          <input
            type="search"
            value={draft.kind}
            placeholder={t('connector.tickets.filters.kindPlaceholder')}
            onChange={set('kind')}
          />
        </label>
        <label className="field narrow">
          <span>{t('connector.tickets.filters.moduleCode')}</span>
          <input
            type="number"
            min={0}
            value={draft.moduleCode}
            onChange={set('moduleCode')}
            aria-invalid={!!invalid['/moduleCode']}
          />
        </label>
        <label className="field">
          <span>{t('connector.tickets.filters.direction')}</span>
          <select
            value={draft.direction}
            onChange={set('direction')}
            aria-label={t('connector.tickets.filters.direction')}
          >
            <option value="">{t('connector.tickets.filters.all')}</option>
            {directions.map((d) => (
              <option key={d} value={d}>
                {t(`connector.tickets.directions.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('connector.tickets.filters.orderId')}</span>
          <input
            type="search"
            value={draft.orderId}
            placeholder={t('connector.tickets.filters.orderIdPlaceholder')}
            onChange={set('orderId')}
            aria-invalid={!!invalid['/orderId']}
          />
          {invalid['/orderId'] && <span className="field-error">{invalid['/orderId']}</span>}
        </label>
        <label className="field">
          <span>{t('connector.tickets.filters.reference')}</span>
          <input type="search" value={draft.reference} onChange={set('reference')} />
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            {t('connector.tickets.filters.apply')}
          </button>
          <button type="button" className="button" onClick={clear}>
            {t('connector.tickets.filters.clear')}
          </button>
        </div>
        <p className="hint">{t('connector.tickets.filters.periodHint')}</p>
      </form>

      <div className="toolbar connector-reprocess">
        <button
          type="button"
          className="button"
          disabled={selected.size === 0}
          onClick={() => setAsking('selected')}
        >
          {t('connector.tickets.reprocess.selected', { count: selected.size })}
        </button>
        <button
          type="button"
          className="button"
          disabled={settledLoaded === 0}
          onClick={() => setAsking('all')}
        >
          {t('connector.tickets.reprocess.all')}
        </button>
      </div>

      {accepted && (
        <section className="card connector-job" aria-labelledby="connector-job-title">
          <h2 id="connector-job-title">
            {t('connector.tickets.reprocess.queued', { count: accepted.count })}
          </h2>
          <JobProgress
            percent={job?.progress.percent ?? 0}
            label={t('connector.tickets.reprocess.progressLabel')}
            countText={t('connector.tickets.reprocess.progressCount', {
              done: job?.progress.done ?? 0,
              total: job?.progress.total ?? accepted.count,
            })}
            percentText={`${job?.progress.percent ?? 0} %`}
          />
          {job?.status === 'done' && job.result && (
            <>
              <Notice kind={job.result.failed.length > 0 ? 'info' : 'success'}>
                {t('connector.tickets.reprocess.finished', {
                  done: job.result.done,
                  failed: job.result.failed.length,
                })}
              </Notice>
              {job.result.failed.length > 0 && (
                <details>
                  <summary>{t('connector.tickets.reprocess.failures')}</summary>
                  <ul>
                    {job.result.failed.map((f) => (
                      <li key={f.ticketId}>
                        <code>{f.ticketId}</code>: {f.error}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </>
          )}
          {job?.status === 'failed' && (
            <Notice kind="error">
              {t('connector.tickets.reprocess.failedJob', { error: job.error ?? '' })}
            </Notice>
          )}
          {jobError ? (
            <Notice kind="error">{describeErrorIn(t, jobError, 'connector.tickets')}</Notice>
          ) : null}
        </section>
      )}

      {list.error ? (
        <Notice kind="error">{describeErrorIn(t, list.error, 'connector.tickets')}</Notice>
      ) : null}

      {list.loading && list.items.length === 0 ? (
        <p className="loading">{t('actions.loading')}</p>
      ) : !list.error && list.items.length === 0 ? (
        <section className="empty-state" aria-live="polite">
          <h2>{t('connector.tickets.empty.title')}</h2>
          <p>{t('connector.tickets.empty.filtered')}</p>
        </section>
      ) : list.items.length > 0 ? (
        <div className="table-wrap">
          <table
            className="data-table connector-tickets-table"
            aria-labelledby="connector-tickets-title"
            aria-busy={list.loading || undefined}
          >
            <thead>
              <tr>
                <th scope="col">
                  <input
                    ref={selectAll.ref}
                    type="checkbox"
                    aria-label={t('connector.tickets.table.selectAll')}
                    checked={selectAll.allOnPage}
                    disabled={reprocessable.length === 0}
                    onChange={(e) =>
                      setSelected((s) =>
                        reprocessable.reduce((next, id) => toggleIn(next, id, e.target.checked), s),
                      )
                    }
                  />
                </th>
                <th scope="col">{t('connector.tickets.table.when')}</th>
                <th scope="col">{t('connector.tickets.table.system')}</th>
                <th scope="col">{t('connector.tickets.table.method')}</th>
                <th scope="col">{t('connector.tickets.table.kind')}</th>
                <th scope="col">{t('connector.tickets.table.module')}</th>
                <th scope="col">{t('connector.tickets.table.status')}</th>
                <th scope="col">{t('connector.tickets.table.order')}</th>
                <th scope="col" className="number">
                  {t('connector.tickets.table.http')}
                </th>
                <th scope="col" className="number">
                  {t('connector.tickets.table.latency')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('connector.tickets.table.view')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((ticket) => {
                const when = formatDateTime(ticket.startedAt);
                return (
                  <tr key={ticket.id} data-status={ticket.status}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={t('connector.tickets.table.selectOne', { when })}
                        disabled={!ticket.reprocessable}
                        checked={selected.has(ticket.id)}
                        onChange={(e) => setSelected((s) => toggleIn(s, ticket.id, e.target.checked))}
                      />
                    </td>
                    <td>
                      <time dateTime={ticket.startedAt}>{when}</time>
                      {ticket.reprocessOf && (
                        <small className="connector-note">{t('connector.tickets.table.reprocessed')}</small>
                      )}
                    </td>
                    <td>
                      {ticket.system}
                      <small className="connector-note">
                        {t(`connector.tickets.directions.${ticket.direction}`)}
                      </small>
                    </td>
                    <td className="connector-method">{ticket.method}</td>
                    <td>
                      <code>{ticket.kind}</code>
                    </td>
                    <td>{ticket.moduleCode ?? '—'}</td>
                    <td>
                      <span className={`ticket-status ticket-${ticket.status}`}>
                        {t(`connector.tickets.statuses.${ticket.status}`)}
                      </span>
                      {ticket.error && <small className="connector-error">{ticket.error}</small>}
                    </td>
                    <td>
                      {ticket.orderId ? (
                        <Link to={`/orders/${ticket.orderId}`}>
                          {ticket.reference ?? ticket.orderId.slice(0, 8)}
                        </Link>
                      ) : (
                        (ticket.reference ?? '—')
                      )}
                    </td>
                    <td className="number">{ticket.httpStatus ?? '—'}</td>
                    <td className="number">
                      {t('connector.tickets.table.latencyMs', { ms: ticket.latencyMs })}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button small"
                        aria-label={t('connector.tickets.table.viewLabel', { when })}
                        onClick={() => setViewing(ticket.id)}
                      >
                        {t('connector.tickets.table.view')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.nextCursor && <LoadMore list={list} />}

      <PayloadDialog ticketId={viewing} onClose={() => setViewing(null)} />

      <ConfirmDialog
        open={asking !== null}
        title={
          asking === 'selected'
            ? t('connector.tickets.reprocess.titleSelected', { count: selected.size })
            : t('connector.tickets.reprocess.titleAll')
        }
        message={
          asking === 'selected'
            ? t('connector.tickets.reprocess.messageSelected', { count: selected.size })
            : list.nextCursor
              ? t('connector.tickets.reprocess.messageAllMore', { count: settledLoaded })
              : t('connector.tickets.reprocess.messageAll', { count: settledLoaded })
        }
        confirmLabel={t('connector.tickets.reprocess.confirm')}
        reason={{
          label: t('connector.tickets.reprocess.reason'),
          required: true,
          minLength: 3,
          maxLength: 500,
        }}
        busy={sending}
        error={askError ? describeErrorIn(t, askError, 'connector.tickets') : null}
        onConfirm={(reason) => void reprocess(reason)}
        onCancel={() => {
          setAsking(null);
          setAskError(null);
        }}
      />
    </section>
  );
}

/** The payload viewer: what was sent and received, as the server masked it, pretty-printed. */
function PayloadDialog({ ticketId, onClose }: { ticketId: string | null; onClose(): void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const detail = useLoad<TicketDetail | null>(
    (signal) =>
      ticketId
        ? api<TicketDetail>('GET', `/api/v1/connector/tickets/${ticketId}`, undefined, signal)
        : Promise.resolve(null),
    [ticketId],
  );
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (ticketId && !dialog.open) dialog.showModal();
    else if (!ticketId && dialog.open) dialog.close();
  }, [ticketId]);
  const ticket = detail.data;

  return (
    <dialog
      ref={ref}
      className="dialog connector-payload"
      aria-labelledby="connector-payload-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="connector-payload-title">
        {ticket ? t('connector.tickets.payload.title', { system: ticket.system, method: ticket.method }) : ''}
        {ticket?.truncated && (
          <span className="ticket-truncated" title={t('connector.tickets.payload.truncatedHint')}>
            {t('connector.tickets.payload.truncated')}
          </span>
        )}
      </h2>
      {detail.loading && !ticket && <p className="loading">{t('connector.tickets.payload.loading')}</p>}
      {detail.error != null && (
        <Notice kind="error">{describeErrorIn(t, detail.error, 'connector.tickets')}</Notice>
      )}
      {ticket && (
        <>
          <p className="hint">{t('connector.tickets.payload.masked')}</p>
          <dl className="facts compact">
            {ticket.url && (
              <div>
                <dt>{t('connector.tickets.payload.url')}</dt>
                <dd className="connector-method">{ticket.url}</dd>
              </div>
            )}
            {ticket.reference && (
              <div>
                <dt>{t('connector.tickets.payload.reference')}</dt>
                <dd>{ticket.reference}</dd>
              </div>
            )}
            <div>
              <dt>{t('connector.tickets.payload.attempts')}</dt>
              <dd>{ticket.attempts}</dd>
            </div>
            {ticket.error && (
              <div>
                <dt>{t('connector.tickets.payload.error')}</dt>
                <dd>{ticket.error}</dd>
              </div>
            )}
          </dl>
          <section aria-labelledby="connector-payload-request">
            <h3 id="connector-payload-request">{t('connector.tickets.payload.request')}</h3>
            <pre className="connector-payload-text">
              {ticket.request === null ? t('connector.tickets.payload.none') : prettyPayload(ticket.request)}
            </pre>
          </section>
          <section aria-labelledby="connector-payload-response">
            <h3 id="connector-payload-response">{t('connector.tickets.payload.response')}</h3>
            <pre className="connector-payload-text">
              {ticket.response === null
                ? t('connector.tickets.payload.none')
                : prettyPayload(ticket.response)}
            </pre>
          </section>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('connector.tickets.payload.close')}
        </button>
      </div>
    </dialog>
  );
}
