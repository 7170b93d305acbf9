import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { connect, type JetStreamClient, type NatsConnection, nanos, StorageType, StringCodec } from 'nats';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import * as stock from '../../stock/service.ts';
import { backoffMs, messageIdFor, messageOf, STOCK_STREAM, STOCK_SUBJECTS, subjectFor } from './domain.ts';

/**
 * Publishes the stock feed's outbox to NATS JetStream (issue 16 §7), per network strictly in seq order with
 * one message in flight: a row is marked published only after its PubAck, and a row that failed is sent again
 * before any later one. A crash between the PubAck and the mark sends the row again with the same
 * `Nats-Msg-Id`, which JetStream drops inside its duplicate window (consumers also skip a seq they applied).
 * Of several processes only the holder of a network's lease publishes it.
 */

export type Logger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export interface PublisherOptions {
  url: string;
  logger?: Logger;
  /** Rows read per round; marked together after their PubAcks. */
  batch?: number;
  /** How often an idle publisher looks at the outbox (`wake()` looks at once). */
  idleMs?: number;
  /** The ceiling of the backoff after a failure. */
  maxBackoffMs?: number;
  /** How long a network's lease lasts without renewal (a dead process's network waits this long). */
  leaseMs?: number;
  /** Tests only: true after a row's PubAck stops the publisher dead, before it marks anything, as a crash would. */
  crashAfterPublish?: (seq: number) => boolean;
}

export interface StockFeedPublisher {
  wake(): void;
  stop(): Promise<void>;
  /** Resolves once the outbox has nothing unpublished (tests and tools). */
  drained(): Promise<void>;
}

const sc = StringCodec();
/** JetStream's duplicate window: a re-publish after a crash inside it never reaches a consumer twice. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;

export function startNatsPublisher(db: Db, opts: PublisherOptions): StockFeedPublisher {
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const batch = opts.batch ?? 200;
  const idleMs = opts.idleMs ?? 1000;
  const maxBackoffMs = opts.maxBackoffMs ?? 30_000;
  const leaseMs = opts.leaseMs ?? 10_000;
  const codes = new Map<string, string>();
  const leased = new Set<string>();
  let link: { nc: NatsConnection; js: JetStreamClient } | undefined;
  let stopped = false;
  let crashed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let woken = false;
  const idleWaiters: (() => void)[] = [];

  async function open() {
    if (link && !link.nc.isClosed()) return link;
    const nc = await connect({ servers: opts.url, name: `omnihub-stock-feed ${holder}`, timeout: 2000 });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.info(STOCK_STREAM).catch(() =>
      jsm.streams.add({
        name: STOCK_STREAM,
        subjects: [STOCK_SUBJECTS],
        storage: StorageType.File,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      }),
    );
    link = { nc, js: nc.jetstream({ timeout: 5000 }) };
    return link;
  }

  async function networkCode(networkId: string) {
    let code = codes.get(networkId);
    if (!code) {
      const root = await network.getNodeById(db, networkId);
      code = root?.code ?? networkId;
      codes.set(networkId, code);
    }
    return code;
  }

  /** One round over every network with unpublished rows; true when a full batch suggests more is waiting. */
  async function round(): Promise<boolean> {
    let more = false;
    for (const networkId of await stock.networksWithFeed(db, 'nats')) {
      if (stopped || crashed) return false;
      const lease = { networkId, consumer: 'nats' as const, holder, ms: leaseMs };
      if (!(await stock.claimFeedLease(db, lease))) continue;
      leased.add(networkId);
      const rows = await stock.unpublishedFeed(db, networkId, batch);
      if (rows.length === 0) continue;
      const { js } = await open();
      const code = await networkCode(networkId);
      const published: number[] = [];
      let failure: unknown;
      for (const row of rows) {
        try {
          const body = sc.encode(JSON.stringify(messageOf(code, row)));
          await js.publish(subjectFor(code, row.storeCode), body, { msgID: messageIdFor(code, row.seq) });
        } catch (error) {
          failure = error;
          break;
        }
        if (opts.crashAfterPublish?.(row.seq)) {
          crashed = true;
          return false;
        }
        published.push(row.seq);
      }
      await stock.markFeedPublished(db, published);
      if (failure) throw failure;
      more ||= rows.length === batch;
    }
    return more;
  }

  async function work() {
    let delay = idleMs;
    try {
      const more = await round();
      if (failures > 0)
        opts.logger?.info({ natsUrl: opts.url }, 'stock feed: NATS reachable again, publishing');
      failures = 0;
      delay = more || woken ? 0 : idleMs;
    } catch (error) {
      failures += 1;
      // Once per outage: the rows wait in the outbox and nothing is lost, so one line says all there is.
      if (failures === 1)
        opts.logger?.warn({ err: error, natsUrl: opts.url }, 'stock feed: cannot publish to NATS, retrying');
      const broken = link;
      link = undefined;
      await broken?.nc.close().catch(() => undefined);
      delay = backoffMs(failures, maxBackoffMs);
    }
    // Waiters look at the outbox again themselves: a round only tells what it saw.
    if (!failures) for (const w of idleWaiters.splice(0)) w();
    schedule(delay);
  }

  function schedule(ms: number) {
    if (stopped || crashed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      woken = false;
      running = work().finally(() => {
        running = undefined;
      });
    }, ms);
    timer.unref?.();
  }

  schedule(0);

  return {
    wake() {
      if (running) woken = true;
      else if (failures === 0) schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await link?.nc.drain().catch(() => undefined);
      link = undefined;
      // A clean stop hands its networks over at once; a crash leaves the lease to run out.
      if (!crashed)
        for (const networkId of leased)
          await stock.releaseFeedLease(db, { networkId, consumer: 'nats', holder }).catch(() => undefined);
    },
    async drained() {
      for (;;) {
        if ((await stock.networksWithFeed(db, 'nats')).length === 0) return;
        await new Promise<void>((resolve) => {
          idleWaiters.push(resolve);
          this.wake();
        });
      }
    },
  };
}
