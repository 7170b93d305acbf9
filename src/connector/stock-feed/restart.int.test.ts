import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumeStockFeed,
  type StockChange,
  type StockFeedConsumer,
} from '../../../docs/examples/stock-feed-consumer.ts';
import { databaseKinds } from '../../../test/harness.ts';
import { type NatsServer, startNatsServer } from '../../../test/nats-server.ts';
import { exited, start } from '../../../test/process.ts';
import { inOrderPerStoreAndSku, STOCK_STREAM } from './domain.ts';

/**
 * The acceptance of issue 16 §7 with real processes: `npm start` with OMNIHUB_NATS_URL, stock changes through
 * the API while NATS is down, then NATS back and Omnihub killed (SIGKILL) while it publishes them, then started
 * again: every change reaches the consumer at least once and, deduplicated by seq, in order per store and SKU.
 */
async function until(check: () => Promise<boolean> | boolean, pauseMs = 50) {
  while (!(await check())) await new Promise((r) => setTimeout(r, pauseMs));
}

describe.each(databaseKinds())('the stock feed across a restart of Omnihub on the %s database', (kind) => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let consumer: StockFeedConsumer | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-feed-'));
  // The killed process's lease runs out in 2 s instead of 10 s before the new one may publish, and retries while
  // NATS is down stop growing at 1 s instead of 30 s: the same recovery without waiting out production's timers.
  const env: Record<string, string> = {
    OMNIHUB_STOCK_FEED_LEASE_MS: '2000',
    OMNIHUB_STOCK_FEED_MAX_BACKOFF_MS: '1000',
  };
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    nats = await startNatsServer();
    env.OMNIHUB_NATS_URL = nats.url;
    if (kind === 'server') {
      const admin = new URL(process.env.DATABASE_URL!);
      const name = `omnihub_feed_${Date.now().toString(36)}`;
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`create database ${name}`);
      await client.end();
      const url = new URL(admin);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
      dropDatabase = async () => {
        const c = new pg.Client({ connectionString: admin.toString() });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      };
    }
  });
  afterAll(async () => {
    await consumer?.stop().catch(() => undefined);
    await nc?.close().catch(() => undefined);
    await nats?.close();
    await dropDatabase?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every change at least once and in order per store and SKU', { timeout: 180_000 }, async () => {
    const first = start(dataDir, env);
    const base = await first.url;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.local', password: 'demo1234' }),
    });
    const { token } = (await login.json()) as { token: string };
    const call = async (url: string, method = 'GET', body?: unknown) => {
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(res.ok, `${method} ${url}: ${res.status}`).toBe(true);
      return (await res.json()) as any;
    };
    const pairs = [
      ['8', 'CAL-002'],
      ['11', 'CAM-001'],
      ['8', 'CAM-001'],
      ['11', 'CAL-002'],
    ] as const;
    const onHandBefore = new Map<string, number>();
    for (const [storeCode, sku] of pairs) {
      const page = await call(`${base}/api/v1/stock?sku=${sku}&storeCode=${storeCode}`);
      onHandBefore.set(`${storeCode}/${sku}`, page.items[0].onHand);
    }

    const applied: StockChange[] = [];
    nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    // The demo's initial stock is published at start: the stream exists once the first change arrived.
    await until(async () => {
      try {
        await (await nc.jetstreamManager()).streams.info(STOCK_STREAM);
        return true;
      } catch {
        return false;
      }
    });
    consumer = await consumeStockFeed(nc, {
      networkCode: 'DEMO',
      durable: 'restart',
      apply: (c) => void applied.push(c),
    });

    // NATS down: the changes wait in Omnihub's outbox.
    await nats.stop();
    const changes = 120;
    for (let i = 0; i < changes; i++) {
      const [storeCode, sku] = pairs[i % pairs.length]!;
      await call(`${base}/api/v1/stock/adjustments`, 'POST', {
        storeCode,
        sku,
        quantity: 1,
        reason: 'teste do feed',
      });
    }
    const seen = applied.length;
    await nats.start();
    // Killed while it publishes the backlog: some changes are in JetStream, not yet marked in the outbox.
    await until(() => applied.length > seen);
    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = start(dataDir, env);
    try {
      await second.url;
      const mine = (storeCode: string, sku: string) =>
        applied
          .filter(
            (c) =>
              c.storeCode === storeCode &&
              c.sku === sku &&
              c.onHand > onHandBefore.get(`${storeCode}/${sku}`)!,
          )
          .map((c) => c.onHand);
      const each = changes / pairs.length;
      await until(() => pairs.every(([storeCode, sku]) => mine(storeCode, sku).length === each));
      // Every change once, in order: each pair's balance went up by one per change, none missing, none twice.
      for (const [storeCode, sku] of pairs) {
        const from = onHandBefore.get(`${storeCode}/${sku}`)!;
        expect(mine(storeCode, sku)).toEqual(Array.from({ length: each }, (_, i) => from + 1 + i));
      }
      expect(inOrderPerStoreAndSku(applied)).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });
});
