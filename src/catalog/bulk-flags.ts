import * as audit from '../audit/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { ok, type Result } from '../platform/errors.ts';
import { enqueue, type JobContext } from '../platform/jobs/service.ts';
import { applyFlags, type CatalogViewer, type EcommerceFlags, sameFlags } from './domain.ts';
import { recordProduct } from './products.ts';
import * as store from './store.ts';

/** "Manutenção em massa" of the two e-commerce flags over a filtered selection of products. */
export const BULK_FLAGS_QUEUE = 'catalog.bulk-ecommerce-flags';

/** Rows locked and written per transaction: short enough not to hold up the stores' order flows. */
const BATCH = 100;
/** Skipped products listed by SKU in the result; beyond it only the count grows. */
const MAX_LISTED_SKIPS = 200;

export type BulkFilter = Omit<store.ProductFilter, 'ecommerceOnly'>;

interface Payload {
  networkId: string;
  filter: BulkFilter;
  set: Partial<EcommerceFlags>;
  /** Who asked, as the audit log names it on each product changed (jobs queued before it: nobody). */
  actor?: audit.AuditActor | null;
}

export interface BulkFlagsResult {
  changed: number;
  unchanged: number;
  skipped: number;
  /** Why products were left as they were, e.g. CATALOG.NOT_INTEGRATED for an activation. */
  skips: { sku: string; reason: string; detail: string }[];
}

/**
 * Validates the change and enqueues it; the answer carries the job to poll and the size of the
 * selection at the time of the request.
 */
export async function requestBulkFlags(
  db: Db,
  viewer: CatalogViewer & { id: string } & audit.Who,
  input: { filter: BulkFilter; set: Partial<EcommerceFlags> },
): Promise<Result<{ jobId: string; total: number }>> {
  // A change that contradicts itself fails for every product: refuse it now rather than skip them all.
  const contradiction = applyFlags({ integratesEcommerce: true, activeEcommerce: false }, input.set);
  if (!contradiction.ok) return contradiction;
  const payload: Payload = {
    networkId: viewer.networkId,
    filter: input.filter,
    set: input.set,
    actor: audit.actorOf(viewer),
  };
  return transaction(db, async (tx) => {
    const total = await store.count(tx, viewer.networkId, input.filter);
    const job = await enqueue(tx, BULK_FLAGS_QUEUE, payload, {
      createdBy: viewer.id,
      ownerNodeId: viewer.nodeId,
      maxAttempts: 3,
    });
    return ok({ jobId: job.id, total });
  });
}

/**
 * Walks the selection by SKU in batches, each in its own transaction with the rows locked. Setting a
 * flag is idempotent, so a retried job converges to the same state (its counts then cover only
 * the products still to change).
 */
export async function runBulkFlags(ctx: JobContext): Promise<BulkFlagsResult> {
  const { networkId, filter, set, actor } = ctx.job.payload as Payload;
  const total = await store.count(ctx.db, networkId, filter);
  await ctx.progress(0, total);
  const result: BulkFlagsResult = { changed: 0, unchanged: 0, skipped: 0, skips: [] };
  let afterSku: string | undefined;
  let done = 0;
  for (;;) {
    const batch = await ctx.db.transaction(async (tx) => {
      const items = await store.list(tx, networkId, { ...filter, afterSku, limit: BATCH, lock: true });
      const outcome = { changed: 0, unchanged: 0, skips: [] as BulkFlagsResult['skips'] };
      const targets = new Map<string, { flags: EcommerceFlags; ids: string[] }>();
      for (const product of items) {
        const next = applyFlags(product, set);
        if (!next.ok) {
          outcome.skips.push({ sku: product.sku, reason: next.failure.code, detail: next.failure.detail });
        } else if (sameFlags(product, next.value)) {
          outcome.unchanged++;
        } else {
          const key = `${next.value.integratesEcommerce}/${next.value.activeEcommerce}`;
          const target = targets.get(key) ?? { flags: next.value, ids: [] };
          target.ids.push(product.id);
          targets.set(key, target);
          outcome.changed++;
        }
      }
      for (const target of targets.values()) await store.setFlags(tx, target.ids, target.flags);
      // One event per product changed, in the batch's transaction, naming who asked for the change.
      if (actor) {
        const flagsOf = new Map(
          [...targets.values()].flatMap((t) => t.ids.map((id) => [id, t.flags] as const)),
        );
        for (const product of items) {
          const flags = flagsOf.get(product.id);
          if (flags)
            await recordProduct(tx, actor, 'product.ecommerce_changed', product, { ...product, ...flags });
        }
      }
      return { ...outcome, count: items.length, lastSku: items[items.length - 1]?.sku };
    });
    result.changed += batch.changed;
    result.unchanged += batch.unchanged;
    result.skipped += batch.skips.length;
    result.skips.push(...batch.skips.slice(0, Math.max(0, MAX_LISTED_SKIPS - result.skips.length)));
    done += batch.count;
    // Products added to the selection after the count still get processed: the total follows.
    await ctx.progress(done, Math.max(total, done));
    if (batch.count < BATCH || batch.lastSku === undefined) break;
    afterSku = batch.lastSku;
  }
  // Products that left the selection meanwhile were never reached: what was walked is the whole.
  await ctx.progress(done, done);
  return result;
}
