import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router';
import type { QueuePage } from './api/types.ts';
import { api } from './api.ts';
import { isAdmin, useAuth } from './auth.tsx';
import { ContingencyBanner, useContingency } from './fiscal/contingency-banner.tsx';
import './fiscal/fiscal-documents.css';
import { useLiveOrders, useOrderEvents } from './live.tsx';
import { NavGroup, type NavItem } from './nav-group.tsx';
import { useWaitingRequestsCount } from './split/pending-count.ts';

/** Orders waiting for the store to act ("Em aberto"): the badge beside "Pedidos". */
function useNewOrdersCount(): number | null {
  const [count, setCount] = useState<number | null>(null);
  const refresh = useCallback(() => {
    api<QueuePage>('GET', '/api/v1/orders?status=open&limit=1')
      .then((p) => setCount(p.totals.open))
      .catch(() => {});
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 60_000);
    return () => clearInterval(timer);
  }, [refresh]);
  useOrderEvents(refresh);
  return count;
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const live = useLiveOrders();
  const newOrders = useNewOrdersCount();
  const waitingRequests = useWaitingRequestsCount();
  const contingency = useContingency();
  if (!me) return null;
  const links = [
    { to: '/orders', label: t('nav.orders'), badge: newOrders },
    {
      to: '/stock-requests',
      label: t('split.requests.nav'),
      badge: waitingRequests,
      badgeText: t('split.requests.waiting', { count: waitingRequests ?? 0 }),
    },
    { to: '/catalog', label: t('nav.catalog') },
    { to: '/reports/sales-by-channel', label: t('counter.sales.nav') },
    { to: '/network', label: t('nav.network') },
    ...(isAdmin(me) ? [{ to: '/delivery', label: t('delivery.nav') }] : []),
    ...(isAdmin(me) ? [{ to: '/carriers', label: t('carriers.nav') }] : []),
    { to: '/notifications', label: t('notifications.nav') },
    ...(isAdmin(me) ? [{ to: '/users', label: t('access.users.nav') }] : []),
    ...(isAdmin(me) ? [{ to: '/api-clients', label: t('apiClients.nav') }] : []),
    ...(isAdmin(me) ? [{ to: '/return-reasons', label: t('returns.nav') }] : []),
    ...(isAdmin(me) ? [{ to: '/audit', label: t('audit.nav') }] : []),
    // The store's own POS sync, read-only (admins reach every store's under Integrações).
    ...(isAdmin(me) ? [] : [{ to: '/integrations/pos', label: t('posSync.nav') }]),
  ];
  // The "Fiscal" menu: the documents screen, and the fiscal back-office screens as they come.
  const fiscalLinks: NavItem[] = [
    { to: '/fiscal/documents', label: t('fiscal.nav.documents') },
    { to: '/fiscal/voiding', label: t('fiscal.voiding.nav') },
    { to: '/fiscal/contingency', label: t('fiscal.panel.nav') },
  ];
  // The "Financeiro" menu: receivables, the daily closing and the network's payment methods.
  const financeLinks: NavItem[] = [
    { to: '/finance/receivables', label: t('finance.nav.receivables') },
    { to: '/finance/closing', label: t('finance.nav.closing') },
    { to: '/finance/payment-methods', label: t('finance.nav.paymentMethods') },
  ];
  // The "Integrações" menu (admins): API clients and webhooks, the connector's screens and the POS sync.
  const integrationLinks: NavItem[] = [
    { to: '/integrations', label: t('connector.nav.clients') },
    { to: '/integrations/interfaces', label: t('connector.nav.interfaces') },
    { to: '/integrations/tickets', label: t('connector.nav.tickets') },
    { to: '/integrations/consumption', label: t('connector.nav.consumption') },
    { to: '/integrations/platforms', label: t('connector.nav.platforms') },
    { to: '/integrations/pos', label: t('posSync.nav') },
    { to: '/integrations/pos-intervals', label: t('posSync.navIntervals') },
  ];
  const badgeText = (l: { badge?: number | null; badgeText?: string }) =>
    l.badgeText ?? t('nav.newOrders', { count: l.badge ?? 0 });
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">
          {t('app.name')} <small>{t('app.subtitle')}</small>
        </span>
        <nav aria-label={t('nav.main')}>
          <ul>
            {links.map((l) => (
              <li key={l.to}>
                <NavLink to={l.to}>
                  {l.label}
                  {l.badge ? (
                    <span className="badge" title={badgeText(l)}>
                      <span aria-hidden="true">{l.badge}</span>
                      <span className="visually-hidden">{badgeText(l)}</span>
                    </span>
                  ) : null}
                </NavLink>
              </li>
            ))}
            <NavGroup
              label={t('fiscal.nav.group')}
              menuLabel={t('fiscal.nav.groupLabel')}
              items={fiscalLinks}
            />
            <NavGroup
              label={t('finance.nav.group')}
              menuLabel={t('finance.nav.groupLabel')}
              items={financeLinks}
            />
            {isAdmin(me) && (
              <NavGroup
                label={t('connector.nav.group')}
                menuLabel={t('connector.nav.groupLabel')}
                items={integrationLinks}
              />
            )}
          </ul>
        </nav>
        {contingency && contingency.level !== 'none' && (
          <span
            className={`contingency-badge level-${contingency.level}`}
            title={t(`fiscal.contingency.levels.${contingency.level}`)}
            data-testid="contingency-badge"
          >
            {t('fiscal.contingency.badge')} ({contingency.items.length})
          </span>
        )}
        <span
          className={live.connected ? 'live on' : 'live'}
          title={live.connected ? t('shell.live') : t('shell.offline')}
        >
          {live.connected ? t('shell.live') : t('shell.offline')}
        </span>
        <div className="user" data-testid="current-user">
          <Link
            to="/account"
            className="user-name"
            aria-label={t('access.account.openLabel', { name: me.name })}
            title={t('access.account.open')}
          >
            {me.name}
          </Link>
          <span className="user-place" title={`${t(`nodeKinds.${me.nodeKind}`)} ${me.nodeCode}`}>
            {me.nodeName} · {t(`roles.${me.actor}`)}
          </span>
        </div>
        <button type="button" className="button" onClick={() => void logout()}>
          {t('shell.logout')}
        </button>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        <ContingencyBanner contingency={contingency} />
        {children}
      </main>
    </div>
  );
}
