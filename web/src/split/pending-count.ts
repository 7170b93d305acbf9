import { useCallback, useEffect, useState } from 'react';
import type { Page, StockRequest } from '../api/types.ts';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { REQUESTS_CHANGED } from './request-actions.tsx';

const EVERY_MS = 30_000;
/** More than this is shown as "99+": the badge says "act now", not an exact count. */
const MAX = 99;

/**
 * Stock requests waiting for the user's stores to act — asked to send goods (still "Solicitado") or with
 * goods on their way to receive ("Em trânsito"): the badge beside "Solicitações de estoque". Counted every
 * 30 s and after any change made on this tab.
 */
export function useWaitingRequestsCount(): number | null {
  const { me } = useAuth();
  const [count, setCount] = useState<number | null>(null);
  const refresh = useCallback(() => {
    if (!me) return;
    const page = (query: string) =>
      api<Page<StockRequest>>('GET', `/api/v1/stock-requests?${query}&limit=${MAX + 1}`);
    Promise.all([page('side=support&status=requested'), page('side=main&status=in_transit')])
      .then(([asked, arriving]) => setCount(asked.items.length + arriving.items.length))
      .catch(() => {});
  }, [me]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, EVERY_MS);
    window.addEventListener(REQUESTS_CHANGED, refresh);
    return () => {
      clearInterval(timer);
      window.removeEventListener(REQUESTS_CHANGED, refresh);
    };
  }, [refresh]);
  return count;
}
