import type { Database } from '../db/index.ts';

/**
 * One LISTEN per process and channel, fanned out to any number of in-process subscribers (the
 * back office's live streams). Notifications are hints that something changed, not a log: a subscriber
 * that misses one (reconnecting, another process restarting) re-reads what it shows.
 */
export interface Feed<T> {
  subscribe(onEvent: (event: T) => void): () => void;
  close(): Promise<void>;
}

export function feedOf<T>(
  database: Pick<Database, 'listen'>,
  channel: string,
  parse: (payload: string) => T | undefined,
): Feed<T> {
  const subscribers = new Set<(event: T) => void>();
  let listening: Promise<() => Promise<void>> | undefined;
  const dispatch = (payload: string) => {
    const event = parse(payload);
    if (event === undefined) return;
    for (const s of subscribers) s(event);
  };
  return {
    subscribe(onEvent) {
      // Listening starts with the first subscriber and lasts until close: the next one is likely soon.
      listening ??= database.listen(channel, dispatch);
      listening.catch(() => {
        listening = undefined;
      });
      subscribers.add(onEvent);
      return () => subscribers.delete(onEvent);
    },
    async close() {
      subscribers.clear();
      const stop = await listening?.catch(() => undefined);
      listening = undefined;
      await stop?.();
    },
  };
}

/** JSON payloads, ignoring anything that does not parse (a foreign NOTIFY on the same channel). */
export function parseJson<T>(payload: string): T | undefined {
  try {
    return JSON.parse(payload) as T;
  } catch {
    return undefined;
  }
}
