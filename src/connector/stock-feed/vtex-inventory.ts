import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../platform/db/index.ts';
import { type TicketRecorder, ticketRecorder } from '../../platform/tickets/service.ts';
import * as stock from '../../stock/service.ts';
import { externalCodes, loadConnection } from '../service.ts';
import { backoffMs, VTEX_INVENTORY_METHOD, VTEX_INVENTORY_TICKET, vtexInventoryRequest } from './domain.ts';
import type { Logger } from './nats-publisher.ts';

/**
 * The VTEX inventory update adapter (issue 16 §7): a second consumer of the stock feed's outbox. For each
 * network with an active VTEX connection it pushes the latest available quantity of every (store, SKU)
 * changed since the last push — coalesced, so ten changes of one SKU are one call — to
 * `PUT /api/logistics/pvt/inventory/skus/{skuId}/warehouses/{warehouseId}`. The warehouse is the VTEX
 * warehouse mapped to the store (a store without one is not pushed), the SKU id the VTEX SKU mapped to the
 * Omnihub SKU (the SKU itself without a mapping). Every call is a ticket; a failure is retried with backoff.
 * A network without a VTEX connection keeps its rows waiting: connecting later pushes the latest of each.
 */

export interface VtexInventoryOptions {
  secretKey: Buffer;
  logger?: Logger;
  tickets?: TicketRecorder;
  fetch?: typeof fetch;
  /** Pairs pushed per network and round. */
  batch?: number;
  idleMs?: number;
  maxBackoffMs?: number;
  leaseMs?: number;
  timeoutMs?: number;
}

export interface VtexInventoryPusher {
  wake(): void;
  stop(): Promise<void>;
  /** One round over every network now (tests and tools); whether every due push succeeded. */
  runOnce(): Promise<boolean>;
}

export function startVtexInventoryPusher(db: Db, opts: VtexInventoryOptions): VtexInventoryPusher {
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const tickets = opts.tickets ?? ticketRecorder(db, opts.logger);
  const doFetch = opts.fetch ?? fetch;
  const batch = opts.batch ?? 100;
  const idleMs = opts.idleMs ?? 2000;
  const maxBackoffMs = opts.maxBackoffMs ?? 60_000;
  const leaseMs = opts.leaseMs ?? 60_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  /** One call; true when VTEX took it (2xx). */
  async function push(
    networkId: string,
    target: { baseUrl: string; appKey: string; appToken: string },
    row: stock.FeedRow,
    skuId: string,
    warehouseId: string,
  ): Promise<boolean> {
    const call = vtexInventoryRequest(target.baseUrl, skuId, warehouseId, row.available);
    const startedAt = new Date();
    let httpStatus: number | null = null;
    let response: string | null = null;
    let error: string | null = null;
    try {
      const res = await doFetch(call.url, {
        method: call.method,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'X-VTEX-API-AppKey': target.appKey,
          'X-VTEX-API-AppToken': target.appToken,
        },
        body: call.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      httpStatus = res.status;
      response = await res.text();
      if (!res.ok) error = `VTEX answered ${res.status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    await tickets.record({
      networkId,
      direction: 'out',
      system: 'vtex',
      method: VTEX_INVENTORY_METHOD,
      kind: VTEX_INVENTORY_TICKET,
      status: error ? 'failed' : 'processed',
      reference: `${row.storeCode}/${row.sku}`,
      url: call.url,
      httpStatus,
      latencyMs: Date.now() - startedAt.getTime(),
      request: call.body,
      response,
      error,
      startedAt,
    });
    return !error;
  }

  async function pushNetwork(networkId: string): Promise<boolean> {
    const connection = await loadConnection(db, networkId, 'vtex', opts.secretKey);
    if (!connection?.active) return true;
    const baseUrl = String(connection.settings.baseUrl ?? '');
    const { appKey, appToken } = connection.secrets;
    if (!baseUrl || !appKey || !appToken) return true;
    if (!(await stock.claimFeedLease(db, { networkId, consumer: 'platform', holder, ms: leaseMs })))
      return true;
    const rows = await stock.latestUnpushedFeed(db, networkId, batch);
    const storeCodes = [...new Set(rows.map((r) => r.storeCode))];
    const skus = [...new Set(rows.map((r) => r.sku))];
    const warehouses = await externalCodes(db, networkId, 'vtex', 'store', storeCodes);
    const vtexSkus = await externalCodes(db, networkId, 'vtex', 'sku', skus);
    for (const row of rows) {
      if (stopped) return true;
      const warehouseId = warehouses.get(row.storeCode);
      // A store with no VTEX warehouse sells nothing there: its changes are taken, not pushed.
      if (warehouseId === undefined) {
        await stock.markFeedPushed(db, row);
        continue;
      }
      const skuId = vtexSkus.get(row.sku) ?? row.sku;
      if (!(await push(networkId, { baseUrl, appKey, appToken }, row, skuId, warehouseId))) return false;
      await stock.markFeedPushed(db, row);
    }
    return true;
  }

  async function runOnce(): Promise<boolean> {
    let allPushed = true;
    for (const networkId of await stock.networksWithFeed(db, 'platform')) {
      if (stopped) break;
      try {
        allPushed = (await pushNetwork(networkId)) && allPushed;
      } catch (error) {
        opts.logger?.warn({ err: error, networkId }, 'stock feed: VTEX inventory round failed');
        allPushed = false;
      }
    }
    return allPushed;
  }

  async function work() {
    const ok = await runOnce().catch(() => false);
    failures = ok ? 0 : failures + 1;
    schedule(ok ? idleMs : backoffMs(failures, maxBackoffMs));
  }

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = work().finally(() => {
        running = undefined;
      });
    }, ms);
    timer.unref?.();
  }

  schedule(idleMs);

  return {
    wake() {
      if (!running && failures === 0) schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    runOnce,
  };
}
