import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { authHeader } from './api.ts';

/**
 * The live order feed: one `GET /api/v1/orders/events` stream per tab (server-sent events read with
 * fetch, since EventSource cannot send the session token), shared by the queue and the badge. When the
 * stream drops it reconnects; screens keep their own interval as the fallback.
 */
export interface OrderEvent {
  orderId: string;
  storeCode: string;
  status: string;
}

interface Live {
  connected: boolean;
  subscribe(fn: (e: OrderEvent) => void): () => void;
}

const LiveContext = createContext<Live>({ connected: false, subscribe: () => () => {} });

export function LiveOrdersProvider({ children }: { children: ReactNode }) {
  const [connected, setConnected] = useState(false);
  const subscribers = useRef(new Set<(e: OrderEvent) => void>());

  useEffect(() => {
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        const res = await fetch('/api/v1/orders/events', {
          headers: { ...authHeader(), accept: 'text/event-stream' },
          signal: abort.signal,
        });
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        setConnected(true);
        await readEvents(res.body, (event, data) => {
          if (event !== 'order') return;
          const parsed = JSON.parse(data) as OrderEvent;
          for (const fn of subscribers.current) fn(parsed);
        });
      } catch {
        // Dropped or refused: retried below unless the page is leaving.
      }
      setConnected(false);
      if (!abort.signal.aborted) retry = setTimeout(connect, 5000);
    };
    void connect();
    return () => {
      abort.abort();
      clearTimeout(retry);
    };
  }, []);

  const value: Live = {
    connected,
    subscribe(fn) {
      subscribers.current.add(fn);
      return () => subscribers.current.delete(fn);
    },
  };
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export const useLiveOrders = () => useContext(LiveContext);

/** Calls `fn` on every order change while the component is mounted. */
export function useOrderEvents(fn: (e: OrderEvent) => void) {
  const live = useLiveOrders();
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => live.subscribe((e) => latest.current(e)), [live.subscribe]);
}

/** A text/event-stream parser (the WHATWG format: `event:`/`data:` lines, blank line ends an event). */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: string, data: string) => void,
) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (data.length) onEvent(event, data.join('\n'));
        event = 'message';
        data = [];
      } else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      newline = buffer.indexOf('\n');
    }
  }
}
