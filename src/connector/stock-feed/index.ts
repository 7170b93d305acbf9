import type { Db } from '../../platform/db/index.ts';
import * as stock from '../../stock/service.ts';
import {
  type Logger,
  type PublisherOptions,
  type StockFeedPublisher,
  startNatsPublisher,
} from './nats-publisher.ts';
import { startVtexInventoryPusher, type VtexInventoryPusher } from './vtex-inventory.ts';

export * from './domain.ts';
export { type PublisherOptions, type StockFeedPublisher, startNatsPublisher } from './nats-publisher.ts';
export {
  startVtexInventoryPusher,
  type VtexInventoryOptions,
  type VtexInventoryPusher,
} from './vtex-inventory.ts';

/** Published rows are kept a week (to look at, or to replay by hand); unpublished rows wait, whatever their age. */
export const FEED_RETENTION_MS = 7 * 24 * 3_600_000;

export interface StockFeed {
  stop(): Promise<void>;
}

/**
 * The stock feed's consumers for one process (`src/main.ts`): the NATS publisher when `OMNIHUB_NATS_URL` is
 * set, the VTEX inventory push always (it does nothing for a network without a VTEX connection), and the
 * hourly purge. Without a NATS URL the outbox still fills: its rows feed VTEX too, and a NATS server set later
 * receives what was not published.
 */
export function startStockFeed(
  db: Db,
  opts: {
    natsUrl?: string;
    secretKey: Buffer;
    logger: Logger;
    /** The NATS publisher's lease and backoff ceiling (OMNIHUB_STOCK_FEED_*); unset: its defaults. */
    publisher?: Pick<PublisherOptions, 'leaseMs' | 'maxBackoffMs'>;
  },
): StockFeed {
  const publisher: StockFeedPublisher | undefined = opts.natsUrl
    ? startNatsPublisher(db, { ...opts.publisher, url: opts.natsUrl, logger: opts.logger })
    : undefined;
  const vtex: VtexInventoryPusher = startVtexInventoryPusher(db, {
    secretKey: opts.secretKey,
    logger: opts.logger,
  });
  const purge = setInterval(() => {
    stock
      .purgeFeed(db, FEED_RETENTION_MS)
      .catch((err) => opts.logger.warn({ err }, 'stock feed purge failed'));
  }, 3_600_000).unref();
  return {
    async stop() {
      clearInterval(purge);
      await Promise.all([publisher?.stop(), vtex.stop()]);
    },
  };
}
