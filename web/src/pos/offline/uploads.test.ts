import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TERMINAL_KEY } from './db.ts';
import { fakeServer, freshDb, installLocalStorage } from './test-support.ts';
import {
  backoffOf,
  flushOutbox,
  pendingCount,
  pruneSent,
  queueUpload,
  retryNow,
  uploadState,
} from './uploads.ts';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

const applied = (kind: string, body: Record<string, unknown>, result: Record<string, unknown> = {}) => ({
  status: 201,
  body: {
    upload: {
      id: `u-${body.sequence}`,
      kind,
      terminal: body.terminal,
      sequence: body.sequence,
      posId: body.posId,
    },
    replayed: false,
    result,
  },
});

describe('the POS outbox', () => {
  beforeEach(() => {
    installLocalStorage().set(TERMINAL_KEY, 'pdv-test');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('numbers uploads with the terminal sequence and a posId when queued, and sends them in order', async () => {
    const db = await freshDb();
    const opening = await queueUpload(db, 'cash-opening', { amount: '100.00' }, { now: () => NOW });
    const sale = await queueUpload(db, 'sale', { total: '10.00' }, { posId: 'sale-1', now: () => NOW });
    expect(opening.sequence).toBe(1);
    expect(sale.sequence).toBe(2);
    expect(opening.posId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sale.body).toEqual({
      total: '10.00',
      terminal: 'pdv-test',
      sequence: 2,
      posId: 'sale-1',
      occurredAt: '2026-12-01T12:00:00.000Z',
    });
    expect(await pendingCount(db)).toBe(2);

    const seen = fakeServer((req) =>
      applied(
        req.url.pathname.split('/').pop() ?? '',
        req.body as Record<string, unknown>,
        req.url.pathname.endsWith('/sale') ? { saleId: 's1', fiscalDocument: { accessKey: '3526' } } : {},
      ),
    );
    const outcome = await flushOutbox(db, { now: () => NOW });
    expect(seen.map((r) => [r.method, r.url.pathname])).toEqual([
      ['POST', '/api/v1/pos/uploads/cash-opening'],
      ['POST', '/api/v1/pos/uploads/sale'],
    ]);
    expect(seen[1]?.headers['idempotency-key']).toBe('pdv-test:2');
    expect(outcome.sent.map((s) => s.sequence)).toEqual([1, 2]);
    expect(await pendingCount(db)).toBe(0);
    const state = await uploadState(db, 'sale-1');
    expect(state).toMatchObject({ state: 'sent', sent: { uploadId: 'u-2', result: { saleId: 's1' } } });
  });

  it('keeps counting the sequence after the queue empties (the server remembers every sequence)', async () => {
    const db = await freshDb();
    await queueUpload(db, 'customer', { document: '52998224725', name: 'Maria' });
    fakeServer((req) => applied('customer', req.body as Record<string, unknown>));
    await flushOutbox(db);
    const next = await queueUpload(db, 'customer', { document: '52998224725', name: 'Maria' });
    expect(next.sequence).toBe(2);
  });

  it('takes a replayed answer (200) as sent', async () => {
    const db = await freshDb();
    await queueUpload(db, 'sale', { total: '10.00' }, { posId: 'sale-1' });
    fakeServer(() => ({
      status: 200,
      body: { upload: { id: 'u-1' }, replayed: true, result: { saleId: 's1' } },
    }));
    const outcome = await flushOutbox(db);
    expect(outcome.sent[0]).toMatchObject({ replayed: true, uploadId: 'u-1' });
    expect(await pendingCount(db)).toBe(0);
  });

  it('moves a refused upload (422) to the refused list with its reason and goes on with the next', async () => {
    const db = await freshDb();
    await queueUpload(db, 'sale', { total: '10.00' }, { posId: 'bad', now: () => NOW });
    await queueUpload(db, 'sale', { total: '20.00' }, { posId: 'good', now: () => NOW });
    fakeServer((req) =>
      (req.body as { posId: string }).posId === 'bad'
        ? {
            status: 422,
            body: {
              status: 422,
              title: 'Unprocessable',
              detail: 'Unknown product XYZ',
              code: 'POS.UNKNOWN_PRODUCT',
              errors: [{ field: '/items/0/sku', code: 'POS.UNKNOWN_PRODUCT', message: 'unknown' }],
            },
          }
        : applied('sale', req.body as Record<string, unknown>),
    );
    const outcome = await flushOutbox(db, { now: () => NOW });
    expect(outcome.refused).toHaveLength(1);
    expect(outcome.sent.map((s) => s.posId)).toEqual(['good']);
    const state = await uploadState(db, 'bad');
    expect(state).toMatchObject({
      state: 'refused',
      refused: { status: 422, code: 'POS.UNKNOWN_PRODUCT', message: 'Unknown product XYZ' },
    });
    expect(await db.count('refused')).toBe(1);
  });

  it('refuses a reused sequence (409) rather than retrying it forever', async () => {
    const db = await freshDb();
    await queueUpload(db, 'sale', { total: '10.00' });
    fakeServer(() => ({ status: 409, body: { status: 409, code: 'POS.UPLOAD_SEQUENCE_REUSED' } }));
    const outcome = await flushOutbox(db);
    expect(outcome.refused[0]?.code).toBe('POS.UPLOAD_SEQUENCE_REUSED');
  });

  it('stops at a failed connection, keeps the order and backs off before the next attempt', async () => {
    const db = await freshDb();
    await queueUpload(db, 'cash-opening', { amount: '100.00' }, { now: () => NOW });
    await queueUpload(db, 'sale', { total: '10.00' }, { posId: 'sale-1', now: () => NOW });
    const seen = fakeServer(() => 'offline');
    const outcome = await flushOutbox(db, { now: () => NOW });
    expect(outcome.blocked).toBe(true);
    expect(seen).toHaveLength(1);
    const [first] = await db.getAll('outbox');
    expect(first).toMatchObject({ sequence: 1, attempts: 1, lastError: 'NETWORK.UNREACHABLE' });
    expect(Date.parse(first?.nextAttemptAt ?? '')).toBe(NOW + backoffOf(1));
    expect((await uploadState(db, 'sale-1')).state).toBe('queued');

    // Before the backoff ends nothing is sent; after it, the same upload is tried again (more backoff).
    await flushOutbox(db, { now: () => NOW + 1000 });
    expect(seen).toHaveLength(1);
    await flushOutbox(db, { now: () => NOW + backoffOf(1) });
    expect(seen).toHaveLength(2);
    expect((await db.get('outbox', 1))?.attempts).toBe(2);
    expect(backoffOf(2)).toBe(2 * backoffOf(1));
    expect(backoffOf(50)).toBe(5 * 60_000);

    // The connection is back: "send now" makes them due, and they leave in order with the same sequence.
    await retryNow(db, NOW + 2000);
    const back = fakeServer((req) => applied('x', req.body as Record<string, unknown>));
    const done = await flushOutbox(db, { now: () => NOW + 2000 });
    expect(done.sent.map((s) => s.sequence)).toEqual([1, 2]);
    expect(back.map((r) => (r.body as { sequence: number }).sequence)).toEqual([1, 2]);
  });

  it('retries while the first send is still running on the server (409 IDEMPOTENCY.IN_PROGRESS)', async () => {
    const db = await freshDb();
    await queueUpload(db, 'sale', { total: '10.00' }, { now: () => NOW });
    fakeServer(() => ({ status: 409, body: { status: 409, code: 'IDEMPOTENCY.IN_PROGRESS' } }));
    const outcome = await flushOutbox(db, { now: () => NOW });
    expect(outcome).toMatchObject({ blocked: true, refused: [] });
    expect(await pendingCount(db)).toBe(1);
  });

  it('retries a server error (5xx) with backoff rather than refusing it', async () => {
    const db = await freshDb();
    await queueUpload(db, 'sale', { total: '10.00' }, { now: () => NOW });
    fakeServer(() => ({ status: 503, body: { status: 503, title: 'Unavailable' } }));
    const outcome = await flushOutbox(db, { now: () => NOW });
    expect(outcome).toMatchObject({ blocked: true, refused: [] });
    expect(await pendingCount(db)).toBe(1);
  });

  it('keeps only the latest answers of sent uploads', async () => {
    const db = await freshDb();
    for (let i = 1; i <= 5; i += 1)
      await db.put('sent', {
        sequence: i,
        kind: 'sale',
        posId: `p${i}`,
        uploadId: null,
        replayed: false,
        result: {},
        sentAt: 'x',
      });
    await pruneSent(db, 2);
    expect((await db.getAll('sent')).map((s) => s.sequence).sort()).toEqual([4, 5]);
  });
});
