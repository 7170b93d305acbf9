/**
 * The calls to SEFAZ, made by the job worker after the issuing transaction committed, never inside it.
 * Each job carries a document (or event) id, asks the authoriser, and records the answer together with
 * its consequence for the document's reference (the handlers its owner registered, references.ts) in one
 * transaction. A job that dies after SEFAZ answered but before that commit is retried: the resend gets
 * 204 (duplicate) and the authorisation is read back by consulting the key, so a document is authorised
 * once and its reference told once.
 */
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { ok, type Result } from '../../platform/errors.ts';
import { enqueue, type JobContext, type JobHandler } from '../../platform/jobs/service.ts';
import type { References } from '../references.ts';
import * as store from '../store.ts';
import type { AuthorizationResult, Authorizer } from './port.ts';

/** The queues of the calls to SEFAZ: a document to authorise, a cancellation event to register. */
export const AUTHORISE_QUEUE = 'fiscal.authorise';
export const CANCEL_QUEUE = 'fiscal.cancel';

/** SEFAZ's "Duplicidade de NF-e": this key was authorised already. */
const DUPLICATE = 204;
/** "Duplicidade de evento": this cancellation was registered already. */
const DUPLICATE_EVENT = 573;

function unwrapOrThrow<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.failure.code} ${result.failure.detail}`);
  return result.value;
}

async function authorise(authorizer: Authorizer, handlers: References, ctx: JobContext): Promise<unknown> {
  const { documentId } = ctx.job.payload as { documentId: string };
  const doc = await store.findDocument(ctx.db, documentId);
  if (doc?.status !== 'sending') return { skipped: doc?.status ?? 'missing' };
  let answer: AuthorizationResult = await authorizer.authorize(doc.xml);
  if (answer.outcome === 'rejected' && answer.status === DUPLICATE) {
    const known = await authorizer.consult(doc.accessKey);
    if (known.outcome === 'authorized') answer = known;
  }
  const result = answer;
  await transaction(ctx.db, async (tx) => {
    const row = await store.findDocument(tx, documentId, true);
    if (row?.status !== 'sending') return ok(null);
    if (result.outcome === 'authorized') {
      const updated = await store.updateDocument(tx, row, {
        status: 'authorised',
        protocol: result.protocol,
        xml: result.nfeProcXml,
        authorisedAt: result.receivedAt,
      });
      const then = handlers[row.referenceType]?.authorised;
      if (then)
        unwrapOrThrow(await then(tx, updated), `${row.referenceType} ${row.referenceId} on authorisation`);
    } else {
      const updated = await store.updateDocument(tx, row, {
        status: 'rejected',
        rejectionCode: result.status,
        rejectionReason: result.reason,
      });
      const then = handlers[row.referenceType]?.rejected;
      if (then)
        unwrapOrThrow(
          await then(tx, updated, `SEFAZ ${result.status}: ${result.reason}`),
          `${row.referenceType} ${row.referenceId} on rejection`,
        );
    }
    return ok(null);
  });
  return { outcome: result.outcome, status: result.status };
}

async function registerCancellation(
  authorizer: Authorizer,
  handlers: References,
  ctx: JobContext,
): Promise<unknown> {
  const { eventId } = ctx.job.payload as { eventId: string };
  const event = await store.findEvent(ctx.db, eventId);
  if (event?.status !== 'sending') return { skipped: event?.status ?? 'missing' };
  const doc = await store.findDocument(ctx.db, event.documentId);
  if (!doc) return { skipped: 'missing document' };
  const answer = await authorizer.cancel(event.xml);
  let protocol = answer.outcome === 'registered' ? answer.protocol : null;
  let registeredAt = answer.outcome === 'registered' ? answer.registeredAt : null;
  if (answer.outcome === 'rejected' && answer.status === DUPLICATE_EVENT) {
    // Registered by an earlier attempt whose answer was lost: read its protocol back.
    const known = await authorizer.consult(doc.accessKey);
    if (known.outcome === 'authorized' && known.cancelledProtocol) {
      protocol = known.cancelledProtocol;
      registeredAt = new Date();
    }
  }
  await transaction(ctx.db, async (tx) => {
    const row = await store.findEvent(tx, eventId, true);
    if (row?.status !== 'sending') return ok(null);
    if (protocol && registeredAt) {
      await store.updateEvent(tx, row.id, { status: 'registered', protocol, registeredAt });
      const current = await store.findDocument(tx, doc.id, true);
      if (!current) throw new Error(`fiscal document ${doc.id} vanished`);
      const cancelled = await store.updateDocument(tx, current, {
        status: 'cancelled',
        cancelledAt: registeredAt,
      });
      const then = handlers[doc.referenceType]?.cancelled;
      if (then)
        unwrapOrThrow(
          await then(tx, cancelled, row.justification),
          `${doc.referenceType} ${doc.referenceId} on cancellation`,
        );
    } else if (answer.outcome === 'rejected') {
      await store.updateEvent(tx, row.id, {
        status: 'rejected',
        rejectionCode: answer.status,
        rejectionReason: answer.reason,
      });
    }
    return ok(null);
  });
  return { outcome: protocol ? 'registered' : 'rejected', status: answer.status };
}

/**
 * The job handlers of the fiscal outbox, bound to the authoriser (the simulator, or SEFAZ) and to what
 * each kind of reference does with SEFAZ's answer (registered by the contexts that own them, in app.ts).
 */
export function fiscalJobHandlers(authorizer: Authorizer, handlers: References): Record<string, JobHandler> {
  return {
    [AUTHORISE_QUEUE]: (ctx) => authorise(authorizer, handlers, ctx),
    [CANCEL_QUEUE]: (ctx) => registerCancellation(authorizer, handlers, ctx),
  };
}

/**
 * Queues again the documents left in `sending` without a live job (its retries ran out while SEFAZ was
 * unreachable, or it was lost): run periodically and at start-up. Answers how many were queued.
 */
export async function resendStuck(db: Db, olderThanMs = 5 * 60_000, now = new Date()): Promise<number> {
  const stuck = await store.stuckDocuments(db, new Date(now.getTime() - olderThanMs), AUTHORISE_QUEUE);
  for (const { id } of stuck) {
    await transaction(db, async (tx) => {
      const row = await store.findDocument(tx, id, true);
      if (row?.status !== 'sending') return ok(null);
      await store.updateDocument(tx, row, {});
      await enqueue(tx, AUTHORISE_QUEUE, { documentId: id }, { ownerNodeId: row.storeId, maxAttempts: 10 });
      return ok(null);
    });
  }
  return stuck.length;
}
