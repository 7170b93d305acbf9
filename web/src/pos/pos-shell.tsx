import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useNavigate } from 'react-router';
import { readEvents } from '../live.tsx';
import { OfflineProvider } from './offline/offline-context.tsx';
import { onKeyLost, onReachability, posApi, posHeaders } from './pos-api.ts';
import type { FiscalContingency, PendingOrders, PosSetup } from './pos-types.ts';

/** How often the pending count is re-read when the live stream is down (and as a safety net when it is up). */
const REFRESH_MS = 30_000;
/** Where the POS hears of order changes at its store (server-sent events, read with fetch to send the key). */
export const POS_EVENTS = '/api/v1/pos/events';

interface PosState {
  setup: PosSetup | null;
  pending: PendingOrders | null;
  /** Re-reads the pending pickups now (after a rescue, a release, a search). */
  refresh(): Promise<void>;
  live: boolean;
  offline: boolean;
  /** SEFAZ did not answer the last NFC-e: the sales go out in contingency until an authorised one. */
  sefazDown: boolean;
  setSefazDown(down: boolean): void;
}

const PosContext = createContext<PosState | null>(null);

export function usePos(): PosState {
  const state = useContext(PosContext);
  if (!state) throw new Error('usePos outside PosShell');
  return state;
}

/**
 * The counter's frame: store name, the bag with the pending count (live stream + periodic re-read),
 * the two functions (pré-venda, devolução) and the banners for no server and no SEFAZ. No back-office
 * shell, no sign-in: every call carries the POS key.
 */
export function PosShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [setup, setSetup] = useState<PosSetup | null>(null);
  const [pending, setPending] = useState<PendingOrders | null>(null);
  const [live, setLive] = useState(false);
  const [offline, setOffline] = useState(false);
  const [sefazDown, setSefazDown] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const inFlight = useRef<Promise<void> | null>(null);

  useEffect(() => {
    onKeyLost(() => navigate('/pos/pair', { replace: true }));
    const off = onReachability((reachable) => setOffline(!reachable));
    return () => {
      onKeyLost(undefined);
      off();
    };
  }, [navigate]);

  /** NFC-e waiting in contingency mean SEFAZ was unreachable: the banner holds until they are transmitted. */
  const checkSefaz = useCallback(async () => {
    try {
      const waiting = await posApi<FiscalContingency>('GET', '/api/v1/fiscal/contingency');
      setSefazDown(waiting.items.some((doc) => doc.status === 'contingency'));
    } catch {
      // Unknown: the banner keeps what the last sale said.
    }
  }, []);

  const refresh = useCallback(async () => {
    // Events arrive in bursts (one per status change): one read at a time is enough.
    if (inFlight.current) return inFlight.current;
    const run = (async () => {
      try {
        setPending(await posApi<PendingOrders>('GET', '/api/v1/pos/pending-orders'));
      } catch {
        // Offline is shown by the banner; the next tick or event tries again.
      } finally {
        inFlight.current = null;
      }
    })();
    inFlight.current = run;
    return run;
  }, []);

  const loadSetup = useCallback(async () => {
    try {
      setSetup(await posApi<PosSetup>('GET', '/api/v1/pos/setup'));
    } catch {
      // Shown as offline; retried with the pending count.
    }
  }, []);

  useEffect(() => {
    void loadSetup();
    void refresh();
    void checkSefaz();
    const timer = setInterval(() => {
      void refresh();
      void checkSefaz();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [loadSetup, refresh, checkSefaz]);

  useEffect(() => {
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        const res = await fetch(POS_EVENTS, {
          headers: { ...posHeaders(), accept: 'text/event-stream' },
          signal: abort.signal,
        });
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        setLive(true);
        // Whatever changed may have been missed while the stream was down.
        void refresh();
        await readEvents(res.body, (event, data) => {
          // `pending` carries the store's count; the list behind it is re-read (coalesced) to match.
          if (event !== 'pending') return;
          const { count } = JSON.parse(data) as { count: number };
          setPending((now) => (now ? { ...now, count } : now));
          void refresh();
        });
      } catch {
        // Dropped or refused: the periodic re-read covers until the next attempt.
      }
      setLive(false);
      if (!abort.signal.aborted) retry = setTimeout(connect, 5000);
    };
    void connect();
    return () => {
      abort.abort();
      clearTimeout(retry);
    };
  }, [refresh]);

  const retryNow = async () => {
    setRetrying(true);
    await Promise.all([loadSetup(), refresh(), checkSefaz()]);
    setRetrying(false);
  };

  const count = pending?.count ?? 0;
  const state: PosState = { setup, pending, refresh, live, offline, sefazDown, setSefazDown };
  return (
    <PosContext.Provider value={state}>
      <div className="pos">
        <header className="pos-header">
          <div className="pos-brand">
            <strong>{t('pos.shell.title')}</strong>
            {setup && (
              <span className="pos-store" data-testid="pos-store">
                {t('pos.shell.store', { code: setup.store.code, name: setup.store.name })}
              </span>
            )}
          </div>
          <nav className="pos-nav" aria-label={t('pos.shell.nav')}>
            <NavLink to="/pos" end className="button pos-big">
              {t('pos.shell.presale')}
            </NavLink>
            <NavLink to="/pos/sale" className="button pos-big">
              {t('pos.shell.sale')}
            </NavLink>
            <NavLink to="/pos/returns" className="button pos-big">
              {t('pos.shell.returns')}
            </NavLink>
          </nav>
          <NavLink
            to="/pos"
            end
            className={`pos-bag${count > 0 ? ' has-pending' : ''}`}
            aria-label={t('pos.shell.pending', { count })}
            title={t('pos.shell.pending', { count })}
            data-testid="pos-bag"
          >
            <BagIcon />
            <span className="pos-bag-count" aria-hidden="true">
              {count}
            </span>
          </NavLink>
          <span
            className={`live${live ? ' on' : ''}`}
            title={live ? t('pos.shell.live') : t('pos.shell.polling')}
          >
            {live ? t('pos.shell.live') : t('pos.shell.polling')}
          </span>
        </header>
        {offline && (
          <div className="pos-banner offline" role="alert">
            <div>
              <strong>{t('pos.shell.offline')}</strong>
              <span>{t('pos.shell.offlineHint')}</span>
            </div>
            <button
              type="button"
              className="button pos-big"
              onClick={() => void retryNow()}
              disabled={retrying}
            >
              {t('pos.shell.retry')}
            </button>
          </div>
        )}
        {sefazDown && (
          <div className="pos-banner sefaz" role="status">
            <div>
              <strong>{t('pos.shell.sefazDown')}</strong>
              <span>{t('pos.shell.sefazDownHint')}</span>
            </div>
          </div>
        )}
        {/* The offline copy and the upload queue live as long as the counter is open (issue 18). */}
        <OfflineProvider>
          <main className="pos-main">{children}</main>
        </OfflineProvider>
      </div>
    </PosContext.Provider>
  );
}

function BagIcon() {
  return (
    <svg viewBox="0 0 24 24" width="30" height="30" aria-hidden="true" focusable="false">
      <path
        d="M6 7h12l1 14H5L6 7zm3 0V5a3 3 0 0 1 6 0v2"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
      />
    </svg>
  );
}
