import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { offlineTypes, TERMINAL_KEY } from './db.ts';
import { MAX_POLL_MS, nextPollOf, type SyncPage, startSyncLoop, syncType } from './sync.ts';
import { fakeServer, freshDb, installLocalStorage, type SeenRequest } from './test-support.ts';

const item = (key: string, data: Record<string, unknown> | null, scope = 'network' as const) => ({
  key,
  scope,
  deleted: data === null,
  data,
  changedAt: '2026-12-01T12:00:00.000Z',
});

const page = (over: Partial<SyncPage>): SyncPage => ({
  dataType: 'prices',
  full: false,
  items: [],
  nextCursor: 'c1',
  hasMore: false,
  nextAllowedAt: '2026-12-01T13:00:00.000Z',
  ...over,
});

/** A server answering pages by the `since` they are asked with. */
function pagesBySince(pages: Record<string, SyncPage>): SeenRequest[] {
  return fakeServer((req) => {
    const since = req.url.searchParams.get('since') ?? '';
    const answer = pages[since];
    return answer ? { status: 200, body: answer } : { status: 422, body: { code: 'POS.BAD_CURSOR' } };
  });
}

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe('the POS sync: applying what the server releases', () => {
  let storage: Map<string, string>;
  beforeEach(() => {
    storage = installLocalStorage();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('replaces its copy on a full load, then applies a delta and a tombstone', async () => {
    const db = await freshDb();
    await db.put('prices', { key: 'OLD', scope: 'network', data: { price: '1.00' }, changedAt: 'x' });
    const seen = pagesBySince({
      '': page({
        full: true,
        items: [item('CAL-002', { sku: 'CAL-002', price: '199.90' }), item('TEN-001', { price: '99.00' })],
        nextCursor: 'c1',
      }),
      c1: page({
        items: [item('CAL-002', { sku: 'CAL-002', price: '189.90' }), item('TEN-001', null)],
        nextCursor: 'c2',
      }),
    });

    const first = await syncType(db, 'prices', { now: () => NOW, pendingUploads: async () => 3 });
    expect(first).toMatchObject({ full: true, pages: 1, applied: 2 });
    expect((await db.getAll('prices')).map((r) => r.key).sort()).toEqual(['CAL-002', 'TEN-001']);
    expect(seen[0]?.url.searchParams.has('since')).toBe(false);
    expect(seen[0]?.headers['x-pos-terminal']).toBe(storage.get(TERMINAL_KEY));
    expect(seen[0]?.headers['x-pos-pending-uploads']).toBe('3');
    expect(seen[0]?.headers.authorization).toBe('Bearer test-pos-key');

    const second = await syncType(db, 'prices', { now: () => NOW });
    expect(second).toMatchObject({ full: false, pages: 1, applied: 2 });
    expect(seen[1]?.url.searchParams.get('since')).toBe('c1');
    const left = await db.getAll('prices');
    expect(left.map((r) => [r.key, r.data.price])).toEqual([['CAL-002', '189.90']]);
    expect(await db.get('meta', 'prices')).toMatchObject({
      cursor: 'c2',
      nextAllowedAt: '2026-12-01T13:00:00.000Z',
      lastSyncAt: '2026-12-01T12:00:00.000Z',
      records: 1,
    });
  });

  it('follows hasMore page by page, clearing only on the first page of a full load', async () => {
    const db = await freshDb();
    const seen = pagesBySince({
      '': page({ full: true, items: [item('A', { price: '1.00' })], nextCursor: 'p1', hasMore: true }),
      p1: page({ full: true, items: [item('B', { price: '2.00' })], nextCursor: 'p2', hasMore: true }),
      p2: page({ items: [item('C', { price: '3.00' })], nextCursor: 'p3', hasMore: false }),
    });
    const outcome = await syncType(db, 'prices', { now: () => NOW });
    expect(outcome).toMatchObject({ pages: 3, applied: 3, full: true });
    expect(seen.map((r) => r.url.searchParams.get('since'))).toEqual([null, 'p1', 'p2']);
    expect((await db.getAll('prices')).map((r) => r.key)).toEqual(['A', 'B', 'C']);
    expect((await db.get('meta', 'prices'))?.cursor).toBe('p3');
  });

  it('keeps a key per scope, so a tombstone of the store price leaves the network price', async () => {
    const db = await freshDb();
    pagesBySince({
      '': page({
        full: true,
        items: [
          item('CAL-002', { price: '199.90' }),
          item('CAL-002', { price: '179.90' }, 'store' as 'network'),
        ],
      }),
      c1: page({ items: [{ ...item('CAL-002', null), scope: 'store' as const }], nextCursor: 'c2' }),
    });
    await syncType(db, 'prices', { now: () => NOW });
    expect(await db.count('prices')).toBe(2);
    await syncType(db, 'prices', { now: () => NOW });
    expect((await db.getAll('prices')).map((r) => [r.scope, r.data.price])).toEqual([['network', '199.90']]);
  });

  it('starts a full load when the server no longer knows its cursor (POS.BAD_CURSOR)', async () => {
    const db = await freshDb();
    await db.put('meta', {
      dataType: 'prices',
      cursor: 'stale',
      nextAllowedAt: null,
      lastSyncAt: null,
      lastFullAt: null,
      records: 0,
    });
    const seen = pagesBySince({ '': page({ full: true, items: [item('A', { price: '1.00' })] }) });
    const outcome = await syncType(db, 'prices', { now: () => NOW });
    expect(outcome.full).toBe(true);
    expect(seen.map((r) => r.url.searchParams.get('since'))).toEqual(['stale', null]);
  });

  it('keeps the pages applied and throws when the connection drops mid-download', async () => {
    const db = await freshDb();
    let calls = 0;
    fakeServer(() => {
      calls += 1;
      return calls === 1
        ? { status: 200, body: page({ full: true, items: [item('A', { price: '1.00' })], hasMore: true }) }
        : 'offline';
    });
    await expect(syncType(db, 'prices', { now: () => NOW })).rejects.toMatchObject({ status: 0 });
    expect(await db.count('prices')).toBe(1);
    expect((await db.get('meta', 'prices'))?.cursor).toBe('c1');
  });

  it('leaves a type the server does not know alone for a long while', async () => {
    const db = await freshDb();
    fakeServer(() => ({ status: 404, body: { code: 'POS.UNKNOWN_DATA_TYPE' } }));
    const outcome = await syncType(db, 'campaigns', { now: () => NOW });
    expect(outcome.unknown).toBe(true);
    expect(outcome.nextPollAt).toBeGreaterThan(NOW + MAX_POLL_MS);
  });
});

describe('the POS sync: when to poll again', () => {
  const meta = (nextAllowedAt: string | null) => ({
    dataType: 'prices' as const,
    cursor: 'c',
    nextAllowedAt,
    lastSyncAt: null,
    lastFullAt: null,
    records: 0,
  });

  it('honours nextAllowedAt when it is within a minute', () => {
    expect(nextPollOf(meta('2026-12-01T12:00:20.000Z'), NOW)).toBe(NOW + 20_000);
  });

  it('polls at least every minute (a full load asked by support, a new exception)', () => {
    expect(nextPollOf(meta('2026-12-01T13:00:00.000Z'), NOW)).toBe(NOW + MAX_POLL_MS);
    expect(nextPollOf(meta(null), NOW)).toBe(NOW + MAX_POLL_MS);
    expect(nextPollOf(undefined, NOW)).toBe(NOW + MAX_POLL_MS);
  });

  it('polls at once when nextAllowedAt has passed', () => {
    expect(nextPollOf(meta('2026-12-01T11:00:00.000Z'), NOW)).toBe(NOW);
  });
});

describe('the POS sync loop', () => {
  beforeEach(() => {
    installLocalStorage();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('polls every type once, then waits for nextAllowedAt (capped at a minute) until kicked', async () => {
    const db = await freshDb();
    const seen = fakeServer((req) => ({
      status: 200,
      body: page({
        dataType: req.url.pathname.split('/').pop() ?? '',
        full: !req.url.searchParams.has('since'),
        nextAllowedAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    }));
    const synced: string[] = [];
    const loop = startSyncLoop(db, { onSynced: (o) => synced.push(o.dataType), tickMs: 10 });
    try {
      await vi.waitFor(() => expect(synced).toHaveLength(offlineTypes.length));
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toHaveLength(offlineTypes.length);
      loop.kick();
      await vi.waitFor(() => expect(seen).toHaveLength(2 * offlineTypes.length));
      expect(seen.at(-1)?.url.searchParams.get('since')).toBe('c1');
    } finally {
      loop.stop();
    }
  });

  it('after a failed connection tries again without stopping', async () => {
    const db = await freshDb();
    let up = false;
    const seen = fakeServer(() => (up ? { status: 200, body: page({ full: true }) } : 'offline'));
    const loop = startSyncLoop(db, { tickMs: 10 });
    try {
      await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0));
      // One failure stops the round: the other types would fail the same way.
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toHaveLength(1);
      up = true;
      loop.kick();
      await vi.waitFor(async () => expect(await db.count('meta')).toBe(offlineTypes.length));
    } finally {
      loop.stop();
    }
  });
});
