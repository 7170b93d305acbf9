import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api/types.ts';
import { api } from '../api.ts';

interface PagedState<T> {
  items: T[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
}

/**
 * A list read page by page from a `Page<T>` endpoint ("Carregar mais" follows nextCursor). A new `path`
 * (other filters) starts over from the first page; answers to an older path are dropped.
 */
export function usePagedList<T>(path: string | null) {
  const [state, setState] = useState<PagedState<T>>({
    items: [],
    nextCursor: null,
    loading: path !== null,
    loadingMore: false,
    error: null,
  });
  const [generation, setGeneration] = useState(0);
  const current = useRef(path);
  current.current = path;

  useEffect(() => {
    if (path === null) return;
    void generation;
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    api<Page<T>>('GET', path, undefined, abort.signal)
      .then((page) =>
        setState({
          items: page.items,
          nextCursor: page.nextCursor,
          loading: false,
          loadingMore: false,
          error: null,
        }),
      )
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        setState((s) => ({ ...s, loading: false, error }));
      });
    return () => abort.abort();
  }, [path, generation]);

  const more = useCallback(async () => {
    const from = current.current;
    const cursor = state.nextCursor;
    if (from === null || cursor === null) return;
    setState((s) => ({ ...s, loadingMore: true, error: null }));
    try {
      const sep = from.includes('?') ? '&' : '?';
      const page = await api<Page<T>>('GET', `${from}${sep}cursor=${encodeURIComponent(cursor)}`);
      if (current.current !== from) return;
      setState((s) => ({
        ...s,
        items: [...s.items, ...page.items],
        nextCursor: page.nextCursor,
        loadingMore: false,
      }));
    } catch (error) {
      if (current.current === from) setState((s) => ({ ...s, loadingMore: false, error }));
    }
  }, [state.nextCursor]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  /** Replaces one item in place (after a change the server answered with the new version). */
  const replace = useCallback((match: (item: T) => boolean, next: T) => {
    setState((s) => ({ ...s, items: s.items.map((item) => (match(item) ? next : item)) }));
  }, []);

  return { ...state, more, reload, replace };
}
