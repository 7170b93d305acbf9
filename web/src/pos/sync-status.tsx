import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { refusalLines } from '../errors.ts';
import { formatDateTime, formatRelative } from '../format.ts';
import { offlineTypes } from './offline/db.ts';
import { useOffline } from './offline/offline-context.tsx';

/**
 * The POS's sync at a glance: when each type last reached the server, how many uploads wait, and the
 * uploads the server refused with its reason (support sees the same in the PDV monitoring).
 */
export function SyncStatus() {
  const { t } = useTranslation();
  const { metas, pendingUploads, refused, sendNow } = useOffline();
  // "há 2 minutos" ages while nothing syncs: re-rendered every half minute.
  const [, setClock] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setClock((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const byType = new Map(metas.map((m) => [m.dataType, m]));
  return (
    <div className="card" data-testid="pos-sync-status">
      <h2>{t('pos.sale.status.title')}</h2>
      <p data-testid="pos-pending-uploads">
        <strong>{t('pos.sale.status.pending', { count: pendingUploads })}</strong>{' '}
        <button type="button" className="button" onClick={() => sendNow({ sync: true })}>
          {t('pos.sale.status.syncNow')}
        </button>
      </p>
      <p className="hint">
        {offlineTypes
          .map((type) => {
            const at = byType.get(type)?.lastSyncAt;
            return t('pos.sale.status.lastSync', {
              type: t(`pos.sale.types.${type}`),
              when: at ? formatRelative(at) : t('pos.sale.status.never'),
            });
          })
          .join(' · ')}
      </p>
      {refused.length > 0 && (
        <>
          <h3>{t('pos.sale.refusedList.title')}</h3>
          <table className="pos-items" data-testid="pos-refused">
            <thead>
              <tr>
                <th>{t('pos.sale.refusedList.kind')}</th>
                <th>{t('pos.sale.refusedList.when')}</th>
                <th>{t('pos.sale.refusedList.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {refused.map((r) => (
                <tr key={r.sequence}>
                  <td>{t(`pos.sale.kinds.${r.kind}`)}</td>
                  <td>{formatDateTime(r.queuedAt)}</td>
                  <td>
                    {refusalLines(t, 'posSync', {
                      code: r.code,
                      message: r.message,
                      errors: r.errors,
                    }).map((line, i) => (
                      <div key={line} className={i ? 'hint' : undefined}>
                        {line}
                      </div>
                    ))}
                    {r.code && <span className="hint mono"> ({r.code})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
