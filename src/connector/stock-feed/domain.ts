/**
 * The stock feed's wire (issue 16 §7): what a stock change looks like on NATS JetStream and on the VTEX
 * inventory API. Pure: no db, no network.
 */

/** The JetStream stream the feed is published to, and the subjects it holds. */
export const STOCK_STREAM = 'OMNIHUB_STOCK';
export const STOCK_SUBJECTS = 'omnihub.*.stock.>';

/** One stock change as a consumer receives it: the balance after the change, never a delta. */
export interface StockFeedMessage {
  /** The outbox's sequence: increasing per network; per store and SKU, a later change has a higher seq. */
  seq: number;
  networkCode: string;
  storeCode: string;
  sku: string;
  onHand: number;
  reserved: number;
  /** What the e-commerce may sell: on hand − reserved. */
  available: number;
  /** The movement that changed the balance: adjustment, reservation, release, sale, transfer_in, … */
  reason: string;
  /** When the change was committed to the outbox (ISO 8601, UTC). */
  at: string;
}

export interface FeedChange {
  seq: number;
  storeCode: string;
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  kind: string;
  at: Date;
}

/** A subject token may not hold `.`, `*`, `>` or white space; anything outside [A-Za-z0-9_-] becomes `_`. */
export const subjectToken = (code: string) => code.replace(/[^A-Za-z0-9_-]/g, '_') || '_';

/** `omnihub.<networkCode>.stock.<storeCode>`: a consumer filters a network, or a store of it. */
export const subjectFor = (networkCode: string, storeCode: string) =>
  `omnihub.${subjectToken(networkCode)}.stock.${subjectToken(storeCode)}`;

/** JetStream drops a second message with the same id inside its duplicate window: a re-publish is a no-op. */
export const messageIdFor = (networkCode: string, seq: number) => `${networkCode}-${seq}`;

export function messageOf(networkCode: string, change: FeedChange): StockFeedMessage {
  return {
    seq: change.seq,
    networkCode,
    storeCode: change.storeCode,
    sku: change.sku,
    onHand: change.onHand,
    reserved: change.reserved,
    available: change.available,
    reason: change.kind,
    at: change.at.toISOString(),
  };
}

/**
 * What a consumer keeps of what it received: each seq once (the first copy), in the order received. The
 * feed is at least once, so a consumer that applies this (or skips a seq it already applied) sees each change
 * once and, per store and SKU, in order.
 */
export function deduplicated<T extends { seq: number }>(received: readonly T[]): T[] {
  const seen = new Set<number>();
  return received.filter((m) => !seen.has(m.seq) && seen.add(m.seq));
}

/** Whether, per store and SKU, the seqs only grow: the feed's order guarantee, as a consumer checks it. */
export function inOrderPerStoreAndSku(
  messages: readonly Pick<StockFeedMessage, 'seq' | 'storeCode' | 'sku'>[],
) {
  const last = new Map<string, number>();
  for (const m of messages) {
    const key = `${m.storeCode}\u0000${m.sku}`;
    if ((last.get(key) ?? 0) >= m.seq) return false;
    last.set(key, m.seq);
  }
  return true;
}

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s, … up to `maxMs`. */
export function backoffMs(failures: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, 500 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** The VTEX inventory call of one SKU at one warehouse (Logistics API, "Update inventory by SKU and warehouse"). */
export function vtexInventoryRequest(
  baseUrl: string,
  skuId: string,
  warehouseId: string,
  available: number,
): { url: string; method: 'PUT'; path: string; body: string } {
  const path = `/api/logistics/pvt/inventory/skus/${encodeURIComponent(skuId)}/warehouses/${encodeURIComponent(warehouseId)}`;
  return {
    url: `${baseUrl.replace(/\/+$/, '')}${path}`,
    method: 'PUT',
    path,
    // VTEX sells what this says; a negative quantity is refused there, and available never is.
    body: JSON.stringify({
      unlimitedQuantity: false,
      dateUtcOnBalanceSystem: null,
      quantity: Math.max(0, available),
    }),
  };
}

/** The ticket kind and method of the VTEX inventory push. */
export const VTEX_INVENTORY_TICKET = 'vtex.inventory';
export const VTEX_INVENTORY_METHOD = 'PUT /api/logistics/pvt/inventory/skus/{skuId}/warehouses/{warehouseId}';
