import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FiscalContingency } from '../api/types.ts';
import { api } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useOrderEvents } from '../live.tsx';

/** The NFC-e issued in contingency and not yet authorised, re-read every minute and on order changes. */
export function useContingency(): FiscalContingency | null {
  const [state, setState] = useState<FiscalContingency | null>(null);
  const refresh = useCallback(() => {
    api<FiscalContingency>('GET', '/api/v1/fiscal/contingency')
      .then(setState)
      .catch(() => {});
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 60_000);
    return () => clearInterval(timer);
  }, [refresh]);
  useOrderEvents(refresh);
  return state;
}

/**
 * The contingency alarm on every screen of the back office, for admins and stores alike: how many NFC-e
 * wait for SEFAZ and the closest deadline; amber under 6 h left, red once past or refused by SEFAZ. The
 * list opens below with each document's order.
 */
export function ContingencyBanner({ contingency }: { contingency: FiscalContingency | null }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!contingency || contingency.level === 'none') return null;
  const { items, level } = contingency;
  const next = items.find((i) => i.status === 'contingency');
  const urgent = level === 'overdue' || level === 'rejected';
  return (
    <section
      className={`contingency-banner level-${level}`}
      role={urgent ? 'alert' : 'status'}
      aria-label={t('fiscal.contingency.label')}
      data-testid="contingency-banner"
    >
      <p className="contingency-text">
        <strong>{t('fiscal.contingency.summary', { count: items.length })}</strong>
        {next ? ` — ${t('fiscal.contingency.deadline', { at: formatDateTime(next.transmitBy) })}` : ''}
        <br />
        {t(`fiscal.contingency.levels.${level}`)}
      </p>
      <button type="button" className="button small" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('fiscal.contingency.hide') : t('fiscal.contingency.show')}
      </button>
      {open && (
        <ul className="contingency-list">
          {items.map((i) => (
            <li key={i.id} className={`contingency-item level-${i.level}`}>
              <span>
                {t('fiscal.contingency.item', { number: i.number, series: i.series, store: i.storeCode })}
                {' · '}
                {i.rejection
                  ? t('fiscal.contingency.rejection', { code: i.rejection.code, reason: i.rejection.reason })
                  : t('fiscal.contingency.transmitBy', { at: formatDateTime(i.transmitBy) })}
              </span>
              <span className="mono access-key">{i.accessKey}</span>
              {i.lastError && !i.rejection && (
                <span className="hint" title={i.lastError}>
                  {t('fiscal.contingency.lastError')}
                </span>
              )}
              {i.reference.type === 'order' && (
                <Link to={`/orders/${i.reference.id}`}>{t('fiscal.contingency.order')}</Link>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
