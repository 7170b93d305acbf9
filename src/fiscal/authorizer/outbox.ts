/**
 * The calls to SEFAZ, made by the job worker after the issuing transaction committed, never inside it.
 * Each job carries a document (or event) id, asks the authoriser, and records the answer together with
 * its consequence for the document's reference (the handlers its owner registered, references.ts) in one
 * transaction. A job that dies after SEFAZ answered but before that commit is retried: the resend gets
 * 204 (duplicate) and the authorisation is read back by consulting the key, so a document is authorised
 * once and its reference told once.
 *
 * A transport fault (the authoriser unreachable: whatever it throws) on an NFC-e does not leave the sale
 * waiting: the document is issued again in offline contingency (contingency.ts) and its reference told
 * (`contingency`: the sale is made), in one transaction, and a transmission job of its own keeps sending
 * it, with backoff, until SEFAZ answers; it outlives the 24 h deadline, and `resendStuck` requeues it
 * after a restart or if it ever gives up.
 */
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { ok, type Result } from '../../platform/errors.ts';
import { enqueue, type JobContext, type JobHandler } from '../../platform/jobs/service.ts';
import { enterContingency } from '../contingency.ts';
import type { References } from '../references.ts';
import type { IssuingDeps } from '../signing.ts';
import * as store from '../store.ts';
import type { AuthorizationResult, Authorizer, AuthorizerFor } from './port.ts';

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

/**
 * Attempts of a contingency document's transmission job: with the worker's backoff (1 s doubling, capped
 * at 10 min) more than a day of tries, past the 24 h deadline.
 */
const CONTINGENCY_ATTEMPTS = 200;

/** The statuses whose document is still on its way to SEFAZ. */
const awaitingAnswer = (status: string | undefined) => status === 'sending' || status === 'contingency';

/**
 * What an NF-e's failed send does besides waiting (the SVC contingency): answers the key it was issued
 * again under, when it was (its job is then done).
 */
export type NfeFaultHook = (
  db: Db,
  authorizerFor: AuthorizerFor,
  documentId: string,
  fault: unknown,
) => Promise<string | undefined>;

async function authorise(
  authorizerFor: AuthorizerFor,
  handlers: References,
  deps: IssuingDeps | undefined,
  ctx: JobContext,
  nfeFault?: NfeFaultHook,
): Promise<unknown> {
  const { documentId } = ctx.job.payload as { documentId: string };
  const doc = await store.findDocument(ctx.db, documentId);
  if (!doc || !awaitingAnswer(doc.status)) return { skipped: doc?.status ?? 'missing' };
  let answer: AuthorizationResult;
  try {
    const authorizer = await authorizerFor(doc.storeId);
    answer = await authorizer.authorize(doc.xml);
    if (answer.outcome === 'rejected' && answer.status === DUPLICATE) {
      const known = await authorizer.consult(doc.accessKey, doc.xml);
      if (known.outcome === 'authorized') answer = known;
    }
  } catch (fault) {
    const message = fault instanceof Error ? fault.message : String(fault);
    if (doc.model === 65 && doc.status === 'sending' && deps) {
      const entered = await toContingency(handlers, deps, ctx, documentId, message);
      if (entered) return { outcome: 'contingency', accessKey: entered };
    } else if (doc.model === 55 && doc.status === 'sending' && nfeFault) {
      // SVC contingency (contingency/jobs.ts): issued again in SVC, or the alarm raised.
      const svcKey = await nfeFault(ctx.db, authorizerFor, documentId, fault);
      if (svcKey) return { outcome: 'svc', accessKey: svcKey };
    } else if (doc.status === 'contingency') {
      await transaction(ctx.db, async (tx) => {
        const row = await store.findDocument(tx, documentId, true);
        if (row?.status === 'contingency')
          await store.updateDocument(tx, row, { lastTransportError: message });
        return ok(null);
      });
    }
    throw fault;
  }
  const result = answer;
  await transaction(ctx.db, async (tx) => {
    const row = await store.findDocument(tx, documentId, true);
    if (!row || !awaitingAnswer(row.status)) return ok(null);
    if (result.outcome === 'authorized') {
      const updated = await store.updateDocument(tx, row, {
        status: 'authorised',
        protocol: result.protocol,
        xml: result.nfeProcXml,
        authorisedAt: result.receivedAt,
        lastTransportError: null,
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
  authorizerFor: AuthorizerFor,
  handlers: References,
  ctx: JobContext,
): Promise<unknown> {
  const { eventId } = ctx.job.payload as { eventId: string };
  const event = await store.findEvent(ctx.db, eventId);
  if (event?.status !== 'sending') return { skipped: event?.status ?? 'missing' };
  const doc = await store.findDocument(ctx.db, event.documentId);
  if (!doc) return { skipped: 'missing document' };
  const authorizer = await authorizerFor(doc.storeId);
  const answer = await authorizer.registerEvent(event.xml);
  let protocol = answer.outcome === 'registered' ? answer.protocol : null;
  let registeredAt = answer.outcome === 'registered' ? answer.registeredAt : null;
  if (answer.outcome === 'rejected' && answer.status === DUPLICATE_EVENT) {
    // Registered by an earlier attempt whose answer was lost: read its protocol back.
    const known = await authorizer.consult(doc.accessKey, doc.xml);
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
 * The NFC-e met a transport fault: issued again in contingency, its reference told, its transmission
 * queued, in one transaction. Answers the contingency key, or undefined when it could not be issued (the
 * document stays `sending` and its job retries as before).
 */
async function toContingency(
  handlers: References,
  deps: IssuingDeps,
  ctx: JobContext,
  documentId: string,
  fault: string,
): Promise<string | undefined> {
  const done = await transaction(ctx.db, async (tx) => {
    const row = await store.findDocument(tx, documentId, true);
    if (row?.status !== 'sending') return ok(undefined);
    const entered = await enterContingency(tx, deps, row, fault);
    if (!entered.ok) return entered;
    const then = handlers[row.referenceType]?.contingency;
    if (then)
      unwrapOrThrow(await then(tx, entered.value), `${row.referenceType} ${row.referenceId} on contingency`);
    await enqueue(
      tx,
      AUTHORISE_QUEUE,
      { documentId },
      { ownerNodeId: row.storeId, maxAttempts: CONTINGENCY_ATTEMPTS, runAt: new Date(Date.now() + 1000) },
    );
    return ok(entered.value.accessKey);
  });
  return done.ok ? done.value : undefined;
}

/**
 * The job handlers of the fiscal outbox, bound to the authoriser of each store (its settings choose the
 * simulator or SEFAZ; a fixed `Authorizer` serves every store) and to what each kind of reference does
 * with SEFAZ's answer (registered by the contexts that own them, in app.ts). With `deps` (the
 * installation's secret key, to sign), an NFC-e that cannot reach SEFAZ goes into contingency; without,
 * it only waits for SEFAZ like any document.
 */
export function fiscalJobHandlers(
  authorizers: Authorizer | AuthorizerFor,
  handlers: References,
  deps?: IssuingDeps,
  nfeFault?: NfeFaultHook,
): Record<string, JobHandler> {
  const authorizerFor: AuthorizerFor =
    typeof authorizers === 'function' ? authorizers : async () => authorizers;
  return {
    [AUTHORISE_QUEUE]: (ctx) => authorise(authorizerFor, handlers, deps, ctx, nfeFault),
    [CANCEL_QUEUE]: (ctx) => registerCancellation(authorizerFor, handlers, ctx),
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
      if (!row || !awaitingAnswer(row.status)) return ok(null);
      await store.updateDocument(tx, row, {});
      await enqueue(
        tx,
        AUTHORISE_QUEUE,
        { documentId: id },
        { ownerNodeId: row.storeId, maxAttempts: row.status === 'contingency' ? CONTINGENCY_ATTEMPTS : 10 },
      );
      return ok(null);
    });
  }
  return stuck.length;
}

/**
 * SEFAZ is back: the queued transmissions of contingency documents run now rather than after their
 * backoff. Answers how many were brought forward.
 */
export const transmitContingencyNow = (db: Db): Promise<number> =>
  store.hurryContingency(db, AUTHORISE_QUEUE);
