/**
 * Batch invoicing from the queue's selection (seeds 003, Etiqueta: the store selects ship orders and
 * invoices them together). The request only enqueues a job; the job invoices each order in turn through
 * the same use case as POST /orders/{id}/invoice, each in its own transaction and as the user who asked,
 * so one order refused never stops the others and an order the user may not see is refused as the single
 * endpoint refuses it (not found), its number never told.
 *
 * The job does not wait for SEFAZ: its answers are the fiscal outbox's jobs, which the worker runs once
 * this one is done. An NF-e still with SEFAZ when its order's turn ends is `pending`; the order moves to
 * `invoiced` (or back to picking) by itself when SEFAZ answers.
 */
import * as fiscal from '../fiscal/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { ok, type Result } from '../platform/errors.ts';
import { enqueue, type JobContext } from '../platform/jobs/service.ts';
import { type BatchResult, distinctIds, outcomeOfDocument, tally } from './batch-rules.ts';
import { invoiceOrder } from './invoicing.ts';
import { canSee, type OrderCaller } from './lifecycle.ts';
import * as store from './store.ts';

export const INVOICE_BATCH_QUEUE = 'orders.invoice-batch';

interface Payload {
  caller: OrderCaller;
  ids: string[];
  salespersonId?: string;
}

export interface InvoiceBatchResult {
  counts: ReturnType<typeof tally>;
  items: BatchResult[];
}

/** Enqueues the batch; the answer is the job to poll (GET /jobs/{id}). */
export async function requestInvoiceBatch(
  db: Db,
  caller: OrderCaller,
  input: { ids: readonly string[]; salespersonId?: string },
): Promise<Result<{ jobId: string; total: number }>> {
  const ids = distinctIds(input.ids);
  const payload: Payload = {
    caller,
    ids,
    ...(input.salespersonId ? { salespersonId: input.salespersonId } : {}),
  };
  return transaction(db, async (tx) => {
    const job = await enqueue(tx, INVOICE_BATCH_QUEUE, payload, {
      createdBy: caller.id,
      ownerNodeId: caller.nodeId,
      // A retried batch would find its first orders invoicing already: it runs once, each order's fault kept.
      maxAttempts: 1,
    });
    return ok({ jobId: job.id, total: ids.length });
  });
}

async function invoiceOne(
  db: Db,
  deps: fiscal.IssuingDeps,
  caller: OrderCaller,
  id: string,
  salespersonId: string | undefined,
): Promise<BatchResult> {
  const order = await store.findOrder(db, id);
  const number = order && (await canSee(db, caller, order)) ? order.number : null;
  try {
    const issued = await invoiceOrder(db, deps, caller, id, { salespersonId });
    if (!issued.ok)
      return { id, number, outcome: 'refused', code: issued.failure.code, message: issued.failure.detail };
    const doc = await fiscal.settledDocument(db, issued.value.documentId, 0);
    const { outcome, code } = outcomeOfDocument(doc?.status ?? 'sending');
    return {
      id,
      number,
      outcome,
      ...(code ? { code, message: `${doc?.rejectionCode ?? ''} ${doc?.rejectionReason ?? ''}`.trim() } : {}),
      fiscalDocumentId: issued.value.documentId,
    };
  } catch (error) {
    // A fault of one order (its transaction rolled back) is its result; the batch goes on.
    return {
      id,
      number,
      outcome: 'refused',
      code: 'ORDER.INVOICE_FAILED',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The job's handler (registered in app.ts's `jobHandlers` with the installation's signing deps). */
export function invoiceBatchHandler(deps: fiscal.IssuingDeps) {
  return async (ctx: JobContext): Promise<InvoiceBatchResult> => {
    const { caller, ids, salespersonId } = ctx.job.payload as Payload;
    const items: BatchResult[] = [];
    await ctx.progress(0, ids.length);
    for (const id of ids) {
      items.push(await invoiceOne(ctx.db, deps, caller, id, salespersonId));
      await ctx.progress(items.length, ids.length);
    }
    return { counts: tally(items), items };
  };
}
