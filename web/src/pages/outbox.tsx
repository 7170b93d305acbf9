import { type FormEvent, Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ChannelStates, Notification, NotificationDetails } from '../api/types.ts';
import { api, query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { useLoad } from '../components/use-load.ts';
import { fieldErrors } from '../errors.ts';
import { formatDateTime } from '../format.ts';
import { MessagePreview } from '../notifications/message-preview.tsx';
import '../notifications/notifications.css';

const statuses = ['queued', 'sending', 'sent', 'failed', 'not_sent'] as const;
const channels = ['email', 'whatsapp'] as const;

interface Filters {
  status: string;
  channel: string;
  from: string;
  to: string;
}
const none: Filters = { status: '', channel: '', from: '', to: '' };

/**
 * Caixa de saída: every message to the stores and customers of the user's subtree, with its status, attempts
 * and last error; a message opens to what it said; a failed one is sent again ("Reenviar").
 */
export function OutboxPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>(none);
  const [applied, setApplied] = useState<Filters>(none);
  const [open, setOpen] = useState<NotificationDetails | null>(null);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const list = usePagedList<Notification>(`/api/v1/notifications${query({ ...applied })}`);
  const states = useLoad(() => api<ChannelStates>('GET', '/api/v1/notifications/channels'), []).data;
  const invalid = fieldErrors(t, list.error);
  const live = (channel: string) => states?.items.find((s) => s.channel === channel)?.live !== false;

  const set = (field: keyof Filters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setOpen(null);
    setApplied({ ...draft });
  };
  const clear = () => {
    setDraft(none);
    setApplied(none);
  };
  const view = async (id: string) => {
    if (open?.id === id) return setOpen(null);
    try {
      setOpen(await api<NotificationDetails>('GET', `/api/v1/notifications/${id}`));
    } catch (error) {
      setFeedback({ kind: 'error', text: describeErrorIn(t, error, 'notifications') });
    }
  };
  const retry = async (id: string) => {
    try {
      await api('POST', `/api/v1/notifications/${id}/retry`);
      setFeedback({ kind: 'success', text: t('notifications.outbox.retried') });
      list.reload();
    } catch (error) {
      setFeedback({ kind: 'error', text: describeErrorIn(t, error, 'notifications') });
    }
  };

  return (
    <section className="outbox-page" aria-labelledby="outbox-title">
      <header className="page-header">
        <h1 id="outbox-title">{t('notifications.outbox.title')}</h1>
        <p className="hint">{t('notifications.outbox.intro')}</p>
        <p>
          <Link to="/notifications/templates">{t('notifications.templatesNav')}</Link>
        </p>
      </header>
      {!live('email') && (
        <div role="status" className="notice warning" data-testid="email-off">
          <strong>{t('notifications.outbox.emailOff')}</strong> {t('notifications.outbox.emailOffHint')}
        </div>
      )}
      {!live('whatsapp') && <p className="hint">{t('notifications.outbox.whatsappOff')}</p>}
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}

      <form className="filters" aria-label={t('notifications.outbox.filters.label')} onSubmit={apply}>
        <label className="field">
          <span>{t('notifications.outbox.filters.status')}</span>
          <select
            value={draft.status}
            onChange={set('status')}
            aria-label={t('notifications.outbox.filters.status')}
          >
            <option value="">{t('notifications.outbox.filters.all')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`notifications.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('notifications.outbox.filters.channel')}</span>
          <select
            value={draft.channel}
            onChange={set('channel')}
            aria-label={t('notifications.outbox.filters.channel')}
          >
            <option value="">{t('notifications.outbox.filters.allChannels')}</option>
            {channels.map((c) => (
              <option key={c} value={c}>
                {t(`notifications.channels.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('notifications.outbox.filters.from')}</span>
          <input type="date" value={draft.from} onChange={set('from')} aria-invalid={!!invalid['/from']} />
        </label>
        <label className="field">
          <span>{t('notifications.outbox.filters.to')}</span>
          <input type="date" value={draft.to} onChange={set('to')} aria-invalid={!!invalid['/to']} />
        </label>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            {t('notifications.outbox.filters.apply')}
          </button>
          <button type="button" className="button" onClick={clear}>
            {t('notifications.outbox.filters.clear')}
          </button>
        </div>
      </form>

      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'notifications')}</Notice> : null}
      {list.loading && list.items.length === 0 && <p className="loading">{t('actions.loading')}</p>}
      {!list.loading && !list.error && list.items.length === 0 && (
        <p className="hint">{t('notifications.outbox.empty')}</p>
      )}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table
            className="outbox-table"
            aria-labelledby="outbox-title"
            aria-busy={list.loading || undefined}
          >
            <thead>
              <tr>
                <th scope="col">{t('notifications.outbox.columns.createdAt')}</th>
                <th scope="col">{t('notifications.outbox.columns.store')}</th>
                <th scope="col">{t('notifications.outbox.columns.template')}</th>
                <th scope="col">{t('notifications.outbox.columns.channel')}</th>
                <th scope="col">{t('notifications.outbox.columns.to')}</th>
                <th scope="col">{t('notifications.outbox.columns.status')}</th>
                <th scope="col" className="num">
                  {t('notifications.outbox.columns.attempts')}
                </th>
                <th scope="col">{t('notifications.outbox.columns.lastError')}</th>
                <th scope="col">{t('notifications.outbox.columns.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((m) => (
                <Fragment key={m.id}>
                  <tr data-status={m.status} data-channel={m.channel}>
                    <td>{formatDateTime(m.createdAt)}</td>
                    <td>{m.storeCode}</td>
                    <td>
                      {m.orderId ? (
                        <Link to={`/orders/${m.orderId}`}>
                          {t(`notifications.templates.${m.template}`, { defaultValue: m.template })}
                        </Link>
                      ) : (
                        t(`notifications.templates.${m.template}`, { defaultValue: m.template })
                      )}
                    </td>
                    <td>{t(`notifications.channels.${m.channel}`)}</td>
                    <td>{m.to || t('notifications.outbox.noRecipient')}</td>
                    <td>
                      <span className={`message-status message-${m.status}`}>
                        {t(`notifications.statuses.${m.status}`)}
                      </span>
                    </td>
                    <td className="num">{m.attempts}</td>
                    <td className="message-error">{m.lastError}</td>
                    <td className="row-actions">
                      <button type="button" className="button small" onClick={() => void view(m.id)}>
                        {open?.id === m.id ? t('notifications.outbox.hide') : t('notifications.outbox.view')}
                      </button>
                      {m.status === 'failed' && (
                        <button type="button" className="button small" onClick={() => void retry(m.id)}>
                          {t('notifications.outbox.retry')}
                        </button>
                      )}
                    </td>
                  </tr>
                  {open?.id === m.id && (
                    <tr className="message-row">
                      <td colSpan={9}>
                        <MessagePreview message={open} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.nextCursor && <LoadMore list={list} />}
    </section>
  );
}
