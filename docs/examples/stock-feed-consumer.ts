/**
 * A consumer of Omnihub's stock feed (docs/stock-feed.md): a durable JetStream pull consumer on one network's
 * subjects that applies each stock change once, in order per store and SKU, and acks it.
 *
 *   npm install nats
 *   NATS_URL=nats://127.0.0.1:4222 NETWORK=DEMO npx tsx stock-feed-consumer.ts
 *
 * The feed is at least once: after a crash of Omnihub (or of this program before its ack) a change may come
 * twice. Each message carries the balance after the change and a `seq` that, per store and SKU, only grows, so
 * the consumer keeps the last seq it applied per store and SKU and skips anything not newer. A real consumer
 * keeps that seq beside the quantity it updates, in the same transaction; here it is a Map.
 */
import { AckPolicy, connect, type NatsConnection, StringCodec } from 'nats';

export interface StockChange {
  seq: number;
  networkCode: string;
  storeCode: string;
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  reason: string;
  at: string;
}

export interface StockFeedConsumer {
  /** Stops pulling; what was applied stays acked, the rest is redelivered to the next run. */
  stop(): Promise<void>;
}

const STREAM = 'OMNIHUB_STOCK';

export async function consumeStockFeed(
  nc: NatsConnection,
  opts: { networkCode: string; durable: string; apply: (change: StockChange) => Promise<void> | void },
): Promise<StockFeedConsumer> {
  const jsm = await nc.jetstreamManager();
  // Durable: the server remembers what was acked, so a restarted consumer resumes where it stopped.
  await jsm.consumers.add(STREAM, {
    durable_name: opts.durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: `omnihub.${opts.networkCode}.stock.>`,
    // One unacked message at a time keeps redeliveries in order too.
    max_ack_pending: 1,
  });
  const consumer = await nc.jetstream().consumers.get(STREAM, opts.durable);
  const messages = await consumer.consume({ max_messages: 100 });
  const sc = StringCodec();
  const lastApplied = new Map<string, number>();
  const done = (async () => {
    for await (const m of messages) {
      const change = JSON.parse(sc.decode(m.data)) as StockChange;
      const key = `${change.storeCode}/${change.sku}`;
      // A seq not newer than the last applied for its store and SKU is a redelivery: ack it, apply nothing.
      if ((lastApplied.get(key) ?? 0) < change.seq) {
        await opts.apply(change);
        lastApplied.set(key, change.seq);
      }
      m.ack();
    }
  })();
  return {
    async stop() {
      messages.stop();
      await done;
    },
  };
}

// Run as a program: print every change of the network until Ctrl-C.
if (import.meta.url === `file://${process.argv[1]}`) {
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const network = process.env.NETWORK ?? 'DEMO';
  const feed = await consumeStockFeed(nc, {
    networkCode: network,
    durable: `stock-printer-${network}`,
    apply: (c) => console.log(`#${c.seq} ${c.storeCode} ${c.sku}: ${c.available} available (${c.reason})`),
  });
  process.once('SIGINT', async () => {
    await feed.stop();
    await nc.drain();
  });
}
