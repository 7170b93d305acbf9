import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrderStatus, QueueItem, QueuePage } from '../api/types.ts';
import { api } from '../api.ts';

export const PAGE_SIZE = 50;
/** The API's largest page: a refresh re-reads what is on the screen in one call, up to this. */
const MAX_LIMIT = 200;

interface QueueState {
  items: QueueItem[];
  nextCursor: string | null;
  totals: Partial<Record<OrderStatus, number>>;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  loadedAt: Date | null;
}

const withParams = (path: string, extra: string) => `${path}${path.includes('?') ? '&' : '?'}${extra}`;

/**
 * The queue read page by page, with the per-status totals. A new `path` (other filters) starts over; a
 * `refresh` re-reads the rows on the screen quietly (no "loading" blank), for live updates and polling.
 * Only the newest request's answer is kept.
 */
export function useQueue(path: string) {
  const [state, setState] = useState<QueueState>({
    items: [],
    nextCursor: null,
    totals: {},
    loading: true,
    loadingMore: false,
    error: null,
    loadedAt: null,
  });
  const generation = useRef(0);
  const shown = useRef(0);
  shown.current = state.items.length;
  const current = useRef(path);
  current.current = path;

  const read = useCallback(async (limit: number, quiet: boolean) => {
    const mine = ++generation.current;
    const from = current.current;
    if (!quiet) setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await api<QueuePage>('GET', withParams(from, `limit=${limit}`));
      if (mine !== generation.current) return;
      setState({
        items: page.items,
        nextCursor: page.nextCursor,
        totals: page.totals,
        loading: false,
        loadingMore: false,
        error: null,
        loadedAt: new Date(),
      });
    } catch (error) {
      if (mine !== generation.current) return;
      setState((s) => ({ ...s, loading: false, loadingMore: false, error }));
    }
  }, []);

  useEffect(() => {
    void path;
    void read(PAGE_SIZE, false);
  }, [path, read]);

  const refresh = useCallback(() => {
    const limit = Math.min(MAX_LIMIT, Math.max(PAGE_SIZE, Math.ceil(shown.current / PAGE_SIZE) * PAGE_SIZE));
    void read(limit, true);
  }, [read]);

  const more = useCallback(async () => {
    const cursor = state.nextCursor;
    if (cursor === null) return;
    const mine = generation.current;
    setState((s) => ({ ...s, loadingMore: true, error: null }));
    try {
      const page = await api<QueuePage>(
        'GET',
        withParams(current.current, `limit=${PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}`),
      );
      if (mine !== generation.current) return;
      setState((s) => ({
        ...s,
        items: [...s.items, ...page.items.filter((i) => !s.items.some((o) => o.id === i.id))],
        nextCursor: page.nextCursor,
        totals: page.totals,
        loadingMore: false,
      }));
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, loadingMore: false, error }));
    }
  }, [state.nextCursor]);

  /** Shows an order as a change answered it, where it is, and re-reads the counters only. */
  const replace = useCallback((item: QueueItem) => {
    setState((s) => ({ ...s, items: s.items.map((i) => (i.id === item.id ? item : i)) }));
    const mine = generation.current;
    api<QueuePage>('GET', withParams(current.current, 'limit=1'))
      .then((page) => {
        if (mine === generation.current) setState((s) => ({ ...s, totals: page.totals }));
      })
      .catch(() => {});
  }, []);

  return { ...state, refresh, more, replace };
}
