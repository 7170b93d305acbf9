import { and, count, eq, gt, isNull, max } from 'drizzle-orm';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumeStockFeed,
  type StockChange,
  type StockFeedConsumer,
} from '../../../docs/examples/stock-feed-consumer.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import { type NatsServer, startNatsServer } from '../../../test/nats-server.ts';
import { TEST_SECRET_KEY } from '../../../test/secret-key.ts';
import { startVtexInventoryServer, type VtexInventoryServer } from '../../../test/vtex-inventory-server.ts';
import * as catalog from '../../catalog/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import type { Principal } from '../../platform/http/access.ts';
import { tickets } from '../../platform/tickets/service.ts';
import { stockFeed } from '../../stock/schema.ts';
import * as stock from '../../stock/service.ts';
import { saveConnection } from '../service.ts';
import {
  inOrderPerStoreAndSku,
  STOCK_STREAM,
  startNatsPublisher,
  startVtexInventoryPusher,
  VTEX_INVENTORY_TICKET,
} from './index.ts';

const ADMIN = 'admin@demo.local';
const actor = 'system:test';

/** Polls until `check` holds (no timed assertion: the test's own timeout bounds the wait). */
async function until(check: () => Promise<boolean> | boolean, pauseMs = 25) {
  while (!(await check())) await new Promise((r) => setTimeout(r, pauseMs));
}

describe.each(databaseKinds())('the stock feed on the %s database', (kind) => {
  let t: TestApp;
  let db: Db;
  let nats: NatsServer;
  let nc: NatsConnection;
  let consumer: StockFeedConsumer;
  const applied: StockChange[] = [];
  let networkId: string;
  const store: Record<string, string> = {};
  const product: Record<string, string> = {};

  beforeAll(async () => {
    [t, nats] = await Promise.all([startTestApp(kind), startNatsServer()]);
    db = t.database.db;
    const root = (await t.request('GET', '/api/v1/nodes/DEMO', { auth: ADMIN })).body;
    networkId = root.id;
    const viewer = { nodeId: root.id, nodePath: `/${root.id}/`, networkId: root.id };
    for (const s of await network.storesWithin(db, viewer)) store[s.code] = s.id;
    for (const p of await catalog.listProductRefs(db, root.id, { limit: 1000 })) product[p.sku] = p.id;
  });
  afterAll(async () => {
    await consumer?.stop().catch(() => undefined);
    await nc?.close().catch(() => undefined);
    await nats?.close();
    await t?.close();
  });

  const adjust = async (storeCode: string, sku: string, quantity: number) => {
    const done = await stock.adjust(db, {
      storeId: store[storeCode]!,
      productId: product[sku]!,
      quantity,
      reason: 'teste do feed',
      actor,
    });
    expect(done.ok).toBe(true);
  };
  const lastSeq = async () =>
    Number((await db.select({ seq: max(stockFeed.seq) }).from(stockFeed))[0]!.seq ?? 0);
  const rowsAfter = (seq: number) =>
    db.select().from(stockFeed).where(gt(stockFeed.seq, seq)).orderBy(stockFeed.seq);
  const unpublishedCount = async () =>
    (await db.select({ n: count() }).from(stockFeed).where(isNull(stockFeed.publishedAt)))[0]!.n;
  const publisherOptions = { idleMs: 50, maxBackoffMs: 200, leaseMs: 1000 };

  it('writes one row per changed e-commerce pair, with the balance after the change, and none for other products', async () => {
    const before = await lastSeq();
    await adjust('11', 'CAM-001', 3); // enabled for the e-commerce
    await adjust('11', 'CAM-004', 3); // not for the e-commerce (demo catalogue)
    // Two holds of one pair in one transaction: one row, the balance after both.
    const held = await stock.reserveMany(db, {
      lines: [
        { storeId: store['11']!, productId: product['CAM-001']!, quantity: 1 },
        { storeId: store['11']!, productId: product['CAM-001']!, quantity: 1 },
      ],
      actor,
    });
    expect(held.ok).toBe(true);
    const balance = (
      await stock.balances(db, { storeIds: [store['11']!], productIds: [product['CAM-001']!] })
    )[0]!;
    const rows = await rowsAfter(before);
    expect(rows.map((r) => [r.sku, r.storeCode, r.kind])).toEqual([
      ['CAM-001', '11', 'adjustment'],
      ['CAM-001', '11', 'reservation'],
    ]);
    expect(rows[1]).toMatchObject({
      networkId,
      onHand: balance.onHand,
      reserved: balance.reserved,
      available: balance.available,
      publishedAt: null,
    });
    // A release changes what is available: it is a change of the feed too.
    if (held.ok) for (const r of held.value) await stock.release(db, { reservationId: r.id, actor });
    expect((await rowsAfter(before)).map((r) => r.kind)).toEqual([
      'adjustment',
      'reservation',
      'release',
      'release',
    ]);
  });

  it('publishes in seq order, keeps the changes while NATS is down and delivers them when it is back', async () => {
    const publisher = startNatsPublisher(db, { url: nats.url, ...publisherOptions });
    try {
      await publisher.drained();
      nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
      consumer = await consumeStockFeed(nc, {
        networkCode: 'DEMO',
        durable: `test-${kind}`,
        apply: (c) => {
          applied.push(c);
        },
      });
      const total = (await db.select({ n: count() }).from(stockFeed))[0]!.n;
      await until(() => applied.length === total);
      const seqs = applied.map((c) => c.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(applied[0]).toMatchObject({ networkCode: 'DEMO' });
      expect(Object.keys(applied[0]!).sort()).toEqual(
        ['seq', 'networkCode', 'storeCode', 'sku', 'onHand', 'reserved', 'available', 'reason', 'at'].sort(),
      );

      await nats.stop();
      const before = await lastSeq();
      for (let i = 0; i < 4; i++) {
        await adjust('11', 'CAL-002', 1);
        await adjust('8', 'CAL-002', 1);
      }
      // Nothing can be published now: every change waits in the outbox.
      expect(await unpublishedCount()).toBe(8);
      await nats.start();
      await publisher.drained();
      await until(() => applied.some((c) => c.seq === before + 8));
      const late = applied.filter((c) => c.seq > before);
      expect(late.map((c) => c.seq)).toEqual(Array.from({ length: 8 }, (_, i) => before + 1 + i));
      expect(late.filter((c) => c.storeCode === '11').map((c) => c.onHand)).toEqual(
        [1, 2, 3, 4].map((n) => late[0]!.onHand - 1 + n),
      );
    } finally {
      await publisher.stop();
    }
  });

  it('delivers every change at least once, and in order per store and SKU, across a restart of Omnihub', async () => {
    const before = await lastSeq();
    for (let i = 0; i < 6; i++) {
      await adjust('11', 'CAM-001', 1);
      await adjust('3', 'CAL-002', 1);
    }
    const crashAt = before + 7;
    let crashed = false;
    const dying = startNatsPublisher(db, {
      url: nats.url,
      ...publisherOptions,
      crashAfterPublish: (seq) => {
        crashed ||= seq === crashAt;
        return crashed;
      },
    });
    await until(() => crashed);
    await dying.stop();
    // The crash came after the PubAck and before the mark: JetStream has the row, the outbox says unpublished.
    const [row] = await db.select().from(stockFeed).where(eq(stockFeed.seq, crashAt));
    expect(row!.publishedAt).toBeNull();

    // A new process: it waits for the dead one's lease, then starts again from the first unpublished row.
    const restarted = startNatsPublisher(db, { url: nats.url, ...publisherOptions });
    try {
      await restarted.drained();
    } finally {
      await restarted.stop();
    }
    await until(() => applied.some((c) => c.seq === before + 12));
    const mine = applied.filter((c) => c.seq > before);
    expect(mine.map((c) => c.seq)).toEqual(Array.from({ length: 12 }, (_, i) => before + 1 + i));
    expect(inOrderPerStoreAndSku(applied)).toBe(true);
    // The re-published rows were dropped by JetStream (same Nats-Msg-Id): the stream holds each seq once.
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(STOCK_STREAM);
    const total = (await db.select({ n: count() }).from(stockFeed))[0]!.n;
    expect(info.state.messages).toBe(total);
  });

  it('pushes the latest available of each changed pair to VTEX, one ticket a call, retrying a failure', async () => {
    let vtex: VtexInventoryServer | undefined;
    const pusher = () =>
      startVtexInventoryPusher(db, { secretKey: TEST_SECRET_KEY, idleMs: 3_600_000, maxBackoffMs: 100 });
    const idle = pusher();
    try {
      vtex = await startVtexInventoryServer({ appKey: 'vtexappkey-demo', appToken: 'token-secreto' });
      // Without a connection the rows wait: nothing is taken.
      const waiting = (
        await db.select({ n: count() }).from(stockFeed).where(isNull(stockFeed.platformPushedAt))
      )[0]!.n;
      expect(await idle.runOnce()).toBe(true);
      expect(
        (await db.select({ n: count() }).from(stockFeed).where(isNull(stockFeed.platformPushedAt)))[0]!.n,
      ).toBe(waiting);

      const me = (await t.request('GET', '/api/v1/auth/me', { auth: ADMIN })).body;
      const editor: Principal = {
        kind: 'user',
        id: me.id,
        name: 'Admin',
        actor: 'network_admin',
        nodeId: networkId,
        nodePath: `/${networkId}/`,
        networkId,
      };
      const saved = await saveConnection(
        db,
        editor,
        'vtex',
        {
          settings: { accountName: 'lojademo', baseUrl: vtex.url, defaultStoreCode: '11' },
          secrets: { appKey: 'vtexappkey-demo', appToken: 'token-secreto', hookToken: 'hook' },
          requiredSecrets: ['appKey', 'appToken'],
          endpointUrl: vtex.url,
        },
        TEST_SECRET_KEY,
      );
      expect(saved.ok, JSON.stringify(saved)).toBe(true);
      for (const [kindOf, external, internal] of [
        ['store', 'wh-centro', '11'],
        ['sku', '2001', 'CAL-002'],
      ] as const) {
        const put = await t.request('PUT', `/api/v1/connectors/vtex/mappings/${kindOf}/${external}`, {
          auth: ADMIN,
          body: { internalCode: internal },
        });
        expect(put.status).toBe(200);
      }
      // The backlog: the latest of each pair of store 11 pushed; stores 8 and 3 have no warehouse, not pushed.
      expect(await idle.runOnce()).toBe(true);
      expect(vtex.calls.every((c) => c.warehouseId === 'wh-centro' && c.status === 200)).toBe(true);
      const balanceOf = async (sku: string) =>
        (await stock.balances(db, { storeIds: [store['11']!], productIds: [product[sku]!] }))[0]!.available;
      expect(vtex.quantities.get('2001@wh-centro')).toBe(await balanceOf('CAL-002'));
      expect(vtex.quantities.get('CAM-001@wh-centro')).toBe(await balanceOf('CAM-001'));
      expect(
        (await db.select({ n: count() }).from(stockFeed).where(isNull(stockFeed.platformPushedAt)))[0]!.n,
      ).toBe(0);

      // Three changes of one pair since the last push are one call, with the last quantity; a 500 is retried.
      vtex.calls.length = 0;
      await adjust('11', 'CAL-002', 1);
      await adjust('11', 'CAL-002', 2);
      await adjust('11', 'CAL-002', -1);
      vtex.failNext = 1;
      expect(await idle.runOnce()).toBe(false);
      expect(await idle.runOnce()).toBe(true);
      expect(vtex.calls.map((c) => [c.skuId, c.status])).toEqual([
        ['2001', 500],
        ['2001', 200],
      ]);
      expect(vtex.calls[1]!.body).toEqual({
        unlimitedQuantity: false,
        dateUtcOnBalanceSystem: null,
        quantity: await balanceOf('CAL-002'),
      });
      const recorded = await db
        .select()
        .from(tickets)
        .where(and(eq(tickets.kind, VTEX_INVENTORY_TICKET), eq(tickets.reference, '11/CAL-002')))
        .orderBy(tickets.startedAt);
      expect(recorded.slice(-2).map((r) => [r.direction, r.system, r.status, r.httpStatus])).toEqual([
        ['out', 'vtex', 'failed', 500],
        ['out', 'vtex', 'processed', 200],
      ]);
    } finally {
      await idle.stop();
      await vtex?.close();
    }
  });
});
