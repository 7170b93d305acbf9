import { type DependencyList, useCallback, useEffect, useState } from 'react';

export interface Loaded<T> {
  /** The last answer; kept while a reload runs, so the screen does not blink. */
  data: T | null;
  /** The last load's failure (null once a load succeeds), for describeError. */
  error: unknown;
  loading: boolean;
  /** Loads again, e.g. after a change made elsewhere on the screen. */
  reload(): void;
  /** Takes an answer the screen already has (the server's reply to a change) without asking again. */
  set(data: T): void;
}

/**
 * Loads what a screen shows: again whenever `deps` change, the earlier request aborted (so a slow answer
 * for the previous order never lands on the next one), and an aborted request is not an error.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what `load` depends on.
  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    load(abort.signal).then(
      (value) => {
        if (abort.signal.aborted) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => abort.abort();
  }, [...deps, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const set = useCallback((value: T) => {
    setData(value);
    setError(null);
  }, []);
  return { data, error, loading, reload, set };
}
