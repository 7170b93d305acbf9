/**
 * What the offline client's unit tests run on in Node: fake-indexeddb as the browser's IndexedDB, a Map as
 * localStorage, and a fake server answering fetch from a handler.
 */
import 'fake-indexeddb/auto';
import { vi } from 'vitest';
import { type OfflineDb, openOfflineDb } from './db.ts';

export function installLocalStorage(): Map<string, string> {
  const data = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, String(v)),
    removeItem: (k: string) => void data.delete(k),
    clear: () => data.clear(),
  });
  data.set('omnihub.posKey', 'test-pos-key');
  return data;
}

export interface SeenRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

export type Handler = (req: SeenRequest) => { status: number; body?: unknown } | 'offline';

/** Replaces fetch with a handler; every request is kept for the assertions. */
export function fakeServer(handler: Handler): SeenRequest[] {
  const seen: SeenRequest[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const req: SeenRequest = {
      method: init.method ?? 'GET',
      url: new URL(input, 'http://pos.test'),
      headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>)),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    seen.push(req);
    const answer = handler(req);
    if (answer === 'offline') throw new TypeError('Failed to fetch');
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  });
  return seen;
}

export const freshDb = (): Promise<OfflineDb> => openOfflineDb(`test-${crypto.randomUUID()}`);
