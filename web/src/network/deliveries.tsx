import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ApiClient, WebhookDelivery } from '../api/types.ts';
import { query } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { LoadMore } from '../components/load-more.tsx';
import { Notice } from '../components/notice.tsx';
import { usePagedList } from '../components/paged-list.ts';
import { formatDateTime } from '../format.ts';

const PAGE_SIZE = 20;

/** The delivery worker's error text ("HTTP 503", "ECONNREFUSED: …", "timeout: …") in an admin's words. */
export function describeFailure(t: TFunction, error: string): string {
  const http = /^HTTP (\d{3})$/.exec(error);
  if (http) return t('network.integrations.deliveries.failures.http', { status: http[1] });
  if (error.startsWith('timeout')) return t('network.integrations.deliveries.failures.timeout');
  if (error.startsWith('ECONNREFUSED')) return t('network.integrations.deliveries.failures.refused');
  if (error.startsWith('ENOTFOUND')) return t('network.integrations.deliveries.failures.unknownHost');
  return error;
}

const statusWord = (t: TFunction, status: string | null | undefined) =>
  status ? t(`statuses.${status}`, { defaultValue: status }) : '';

/** The latest webhook deliveries ("tickets") of the clients the admin manages, newest first. */
export function Deliveries({ clients }: { clients: readonly ApiClient[] }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'' | 'pending' | 'delivered'>('');
  const list = usePagedList<WebhookDelivery>(
    `/api/v1/webhook-deliveries${query({ status: status || undefined, limit: PAGE_SIZE })}`,
  );
  const names = new Map(clients.map((c) => [c.id, c.name]));
  const showClient = clients.filter((c) => c.scope === 'platform').length > 1;

  return (
    <section className="card deliveries" aria-labelledby="deliveries-title">
      <div className="section-head">
        <h2 id="deliveries-title">{t('network.integrations.deliveries.title')}</h2>
        <div className="toolbar">
          <label className="field">
            <span>{t('network.integrations.deliveries.status')}</span>
            <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              <option value="">{t('network.integrations.deliveries.all')}</option>
              <option value="pending">{t('network.integrations.deliveries.pending')}</option>
              <option value="delivered">{t('network.integrations.deliveries.delivered')}</option>
            </select>
          </label>
          <button type="button" className="button" onClick={list.reload} disabled={list.loading}>
            {t('network.integrations.deliveries.refresh')}
          </button>
        </div>
      </div>
      {list.error ? <Notice kind="error">{describeErrorIn(t, list.error, 'network')}</Notice> : null}
      {list.loading && list.items.length === 0 && <p className="loading">{t('actions.loading')}</p>}
      {!list.loading && !list.error && list.items.length === 0 && (
        <p className="empty-state">
          {status
            ? t('network.integrations.deliveries.emptyFiltered')
            : t('network.integrations.deliveries.empty')}
        </p>
      )}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table aria-busy={list.loading || undefined}>
            <thead>
              <tr>
                <th scope="col">{t('network.integrations.deliveries.createdAt')}</th>
                {showClient && <th scope="col">{t('network.integrations.deliveries.client')}</th>}
                <th scope="col">{t('network.integrations.deliveries.order')}</th>
                <th scope="col">{t('network.integrations.deliveries.event')}</th>
                <th scope="col">{t('network.integrations.deliveries.status')}</th>
                <th scope="col" className="num">
                  {t('network.integrations.deliveries.attempts')}
                </th>
                <th scope="col">{t('network.integrations.deliveries.when')}</th>
                <th scope="col">{t('network.integrations.deliveries.lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((d) => (
                <tr key={d.id} data-delivery={d.id}>
                  <td>{formatDateTime(d.createdAt)}</td>
                  {showClient && <td>{names.get(d.clientId) ?? '—'}</td>}
                  <td>
                    <Link to={`/orders/${d.orderId}`}>{d.payload?.externalId ?? d.orderId.slice(0, 8)}</Link>
                  </td>
                  <td>
                    {d.payload?.previousStatus
                      ? t('network.integrations.deliveries.statusChange', {
                          from: statusWord(t, d.payload.previousStatus),
                          to: statusWord(t, d.payload.status),
                        })
                      : t('network.integrations.deliveries.firstStatus', {
                          to: statusWord(t, d.payload?.status),
                        })}
                  </td>
                  <td>
                    <span className={`delivery delivery-${d.status}`}>
                      {t(`network.integrations.deliveries.${d.status}`)}
                    </span>
                  </td>
                  <td className="num">{d.attemptCount}</td>
                  <td>
                    {d.deliveredAt
                      ? t('network.integrations.deliveries.deliveredAt', {
                          at: formatDateTime(d.deliveredAt),
                        })
                      : d.nextAttemptAt
                        ? t('network.integrations.deliveries.nextAt', { at: formatDateTime(d.nextAttemptAt) })
                        : '—'}
                  </td>
                  <td className="wrap error-cell">{d.lastError ? describeFailure(t, d.lastError) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.nextCursor && (
        <div className="list-footer">
          <LoadMore list={list} />
        </div>
      )}
    </section>
  );
}
