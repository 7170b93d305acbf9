/**
 * The calls to SEFAZ, made by the job worker after the issuing transaction committed, never inside it.
 * Each job carries a document (or event) id, asks the authoriser, and records the answer together with
 * its consequence for the document's reference (the handlers its owner registered, references.ts) in one
 * transaction. A job that dies after SEFAZ answered but before that commit is retried: the resend gets
 * 204 (duplicate) and the authorisation is read back by consulting the key, so a document is authorised
 * once and its reference told once. A fault that may have reached SEFAZ (timeout, HTTP error, garbage) is
 * kept on the document, and the retry consults the key before sending again.
 *
 * SEFAZ's answers (MOC 7.0 cStat): 100 and 150 (late) authorised; 110/301/302 denied (uso denegado: the
 * number is used up, the nfeProc of the denial kept); 204 and 539 duplicates resolved by consulting; any
 * other a rejection with SEFAZ's text. Events: 135/136/155 registered, 573 read back, 501 and others
 * rejected.
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
import { enqueue, type JobContext, type JobHandler, jobPendingFor } from '../../platform/jobs/service.ts';
import { enterContingency } from '../contingency.ts';
import type { References } from '../references.ts';
import type { IssuingDeps } from '../signing.ts';
import * as store from '../store.ts';
import { CANCELLATION_EVENT } from '../xml/index.ts';
import { type AuthorizationResult, type Authorizer, type AuthorizerFor, SefazFault } from './port.ts';

/** The queues of the calls to SEFAZ: a document to authorise, an event (cancellation, CC-e) to register. */
export const AUTHORISE_QUEUE = 'fiscal.authorise';
export const CANCEL_QUEUE = 'fiscal.cancel';
/** The queue of the events (the cancellation and the correction letter share it, by the event's type). */
export const EVENT_QUEUE = CANCEL_QUEUE;

/** SEFAZ's "Duplicidade de NF-e": this key was authorised already. */
const DUPLICATE = 204;
/** "Duplicidade de NF-e com diferença na Chave de Acesso": the number was authorised under another key. */
const DUPLICATE_OTHER_KEY = 539;
/** "Duplicidade de evento": this event (type and sequence) was registered already. */
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

/**
 * The fault as the document keeps it (`last_transport_error`): its kind first, so the retry knows whether
 * the message may have reached SEFAZ.
 */
export const describeFault = (fault: unknown): string =>
  fault instanceof SefazFault
    ? `${fault.kind}: ${fault.message}`
    : fault instanceof Error
      ? fault.message
      : String(fault);

/**
 * A timeout, an HTTP error or a body that is not the answer: the message may have been received and
 * processed by SEFAZ (refused connections and failed handshakes send nothing; a SOAP fault refuses it).
 */
export const mayHaveReached = (recorded: string | null | undefined): boolean =>
  /^(timeout|unexpected_body|http_status): /.test(recorded ?? '');

/** The key rejection 539 names as the one SEFAZ holds for the number: `[chNFe: 3526…]` or `[chNFe:3526…]`. */
export const keyNamedBy = (reason: string): string | undefined =>
  /\[chNFe:\s*([0-9]{44})\s*\]/.exec(reason)?.[1];

/** The `<DigestValue>` of a signed NF-e, or the `<digVal>` of a protocol: the digest of its infNFe. */
const digestIn = (xml: string, element: 'DigestValue' | 'digVal') =>
  new RegExp(`<(?:[A-Za-z0-9_]+:)?${element}>([^<]+)</`).exec(xml)?.[1];

/**
 * What a contingency NFC-e keeps of its online attempt (content.online: the domain document, its QR code
 * and the signed XML sent under the online key), so that rejection 539 can adopt it.
 */
interface OnlineAttempt {
  content: unknown;
  xml: string;
}

type Answer = AuthorizationResult;

/**
 * SEFAZ's answer to the document, asked of the authoriser: after a fault that may have reached SEFAZ the key
 * is consulted first (a resend could only be 204, or 539 if the key changed since); a duplicate (204) is read
 * back by consulting the key; a 539 naming the document's own online key (an NFC-e that went into contingency
 * although its online version had reached SEFAZ) adopts that authorisation when its digest is the one sent.
 */
async function askSefaz(
  authorizer: Authorizer,
  doc: store.FiscalDocumentRow,
): Promise<{ answer: Answer; adopted?: { accessKey: string; online: OnlineAttempt } }> {
  if (mayHaveReached(doc.lastTransportError)) {
    const known = await authorizer.consult(doc.accessKey, doc.xml);
    if (known.outcome === 'authorized' || known.outcome === 'denied') return { answer: known };
  }
  const answer = await authorizer.authorize(doc.xml);
  if (answer.outcome !== 'rejected') return { answer };
  if (answer.status === DUPLICATE) {
    const known = await authorizer.consult(doc.accessKey, doc.xml);
    return { answer: known.outcome === 'authorized' || known.outcome === 'denied' ? known : answer };
  }
  const named = answer.status === DUPLICATE_OTHER_KEY ? keyNamedBy(answer.reason) : undefined;
  const online = (doc.content as { online?: OnlineAttempt }).online;
  if (named && named === doc.onlineAccessKey && online) {
    const known = await authorizer.consult(named, online.xml);
    const sent = digestIn(online.xml, 'DigestValue');
    if (
      (known.outcome === 'authorized' || known.outcome === 'denied') &&
      sent !== undefined &&
      digestIn(known.nfeProcXml, 'digVal') === sent
    )
      return { answer: known, adopted: { accessKey: named, online } };
  }
  return { answer };
}

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
  let asked: Awaited<ReturnType<typeof askSefaz>>;
  try {
    asked = await askSefaz(await authorizerFor(doc.storeId), doc);
  } catch (fault) {
    const message = describeFault(fault);
    if (doc.model === 65 && doc.status === 'sending' && deps) {
      const entered = await toContingency(handlers, deps, ctx, documentId, message);
      if (entered) return { outcome: 'contingency', accessKey: entered };
    }
    if (doc.model === 55 && doc.status === 'sending' && nfeFault) {
      // SVC contingency (svc/jobs.ts): issued again in SVC, or the alarm raised.
      const svcKey = await nfeFault(ctx.db, authorizerFor, documentId, fault);
      if (svcKey) return { outcome: 'svc', accessKey: svcKey };
    }
    // The document stays where it is; the job's retry reads this to consult before sending again.
    await transaction(ctx.db, async (tx) => {
      const row = await store.findDocument(tx, documentId, true);
      if (awaitingAnswer(row?.status)) await store.updateDocument(tx, row!, { lastTransportError: message });
      return ok(null);
    });
    throw fault;
  }
  const { answer: result, adopted } = asked;
  await transaction(ctx.db, async (tx) => {
    const row = await store.findDocument(tx, documentId, true);
    if (!row || !awaitingAnswer(row.status)) return ok(null);
    const under = adopted ? { accessKey: adopted.accessKey, content: adopted.online.content } : {};
    if (result.outcome === 'authorized') {
      const updated = await store.updateDocument(tx, row, {
        ...under,
        status: 'authorised',
        protocol: result.protocol,
        xml: result.nfeProcXml,
        authorisedAt: result.receivedAt,
        rejectionCode: null,
        rejectionReason: null,
        lastTransportError: null,
      });
      const then = handlers[row.referenceType]?.authorised;
      if (then)
        unwrapOrThrow(await then(tx, updated), `${row.referenceType} ${row.referenceId} on authorisation`);
    } else if (result.outcome === 'denied') {
      // Uso denegado: SEFAZ keeps the NF-e and its number; the nfeProc with the denial is the store's to keep.
      const updated = await store.updateDocument(tx, row, {
        ...under,
        status: 'denied',
        protocol: result.protocol,
        xml: result.nfeProcXml,
        rejectionCode: result.status,
        rejectionReason: result.reason,
        lastTransportError: null,
      });
      const ref = handlers[row.referenceType];
      const then = ref?.denied ?? ref?.rejected;
      if (then)
        unwrapOrThrow(
          await then(tx, updated, `SEFAZ ${result.status}: ${result.reason}`),
          `${row.referenceType} ${row.referenceId} on denial`,
        );
    } else {
      const updated = await store.updateDocument(tx, row, {
        status: 'rejected',
        rejectionCode: result.status,
        rejectionReason: result.reason,
        lastTransportError: null,
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
  return {
    outcome: result.outcome,
    status: result.status,
    ...(adopted ? { adopted: adopted.accessKey } : {}),
  };
}

/**
 * Registers an event (a cancellation or a correction letter) at SEFAZ. 135/136/155 registered (its
 * procEventoNFe kept); 573 (registered by an earlier attempt whose answer was
 * lost): its protocol is read back by consulting the key; any other rejection (501 out of time, …) is kept
 * with SEFAZ's text. A fault throws: the job retries, and a resend that had reached SEFAZ meets 573.
 */
async function registerEvent(
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
  let registered: { protocol: string; at: Date; xml?: string } | undefined =
    answer.outcome === 'registered'
      ? { protocol: answer.protocol, at: answer.registeredAt, xml: answer.procEventoXml }
      : undefined;
  if (answer.outcome === 'rejected' && answer.status === DUPLICATE_EVENT) {
    const known = await authorizer.consult(doc.accessKey, doc.xml);
    if (known.outcome === 'authorized') {
      const same = known.events?.find((e) => e.type === event.type && e.sequence === event.sequence);
      if (same) registered = { protocol: same.protocol, at: same.registeredAt, xml: same.procEventoXml };
      else if (event.type === CANCELLATION_EVENT && known.cancelledProtocol)
        registered = { protocol: known.cancelledProtocol, at: new Date() };
    }
  }
  await transaction(ctx.db, async (tx) => {
    const row = await store.findEvent(tx, eventId, true);
    if (row?.status !== 'sending') return ok(null);
    if (registered) {
      await store.updateEvent(tx, row.id, {
        status: 'registered',
        protocol: registered.protocol,
        registeredAt: registered.at,
        procXml: registered.xml ?? null,
      });
      if (row.type !== CANCELLATION_EVENT) return ok(null);
      const current = await store.findDocument(tx, doc.id, true);
      if (!current) throw new Error(`fiscal document ${doc.id} vanished`);
      const cancelled = await store.updateDocument(tx, current, {
        status: 'cancelled',
        cancelledAt: registered.at,
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
  return { outcome: registered ? 'registered' : 'rejected', status: answer.status };
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
    // The online attempt may have reached SEFAZ (a timeout): kept, so that a 539 naming its key adopts it.
    const online: OnlineAttempt = { content: row.content, xml: row.xml };
    const issued = await store.updateDocument(tx, entered.value, {
      content: { ...(entered.value.content as Record<string, unknown>), online },
    });
    const then = handlers[row.referenceType]?.contingency;
    if (then) unwrapOrThrow(await then(tx, issued), `${row.referenceType} ${row.referenceId} on contingency`);
    await enqueue(
      tx,
      AUTHORISE_QUEUE,
      { documentId },
      { ownerNodeId: row.storeId, maxAttempts: CONTINGENCY_ATTEMPTS, runAt: new Date(Date.now() + 1000) },
    );
    return ok(issued.accessKey);
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
    [EVENT_QUEUE]: (ctx) => registerEvent(authorizerFor, handlers, ctx),
  };
}

/**
 * Queues again the documents left in `sending` without a live job (its retries ran out while SEFAZ was
 * unreachable, or it was lost): run periodically and at start-up. Answers how many were queued.
 */
export async function resendStuck(db: Db, olderThanMs = 5 * 60_000, now = new Date()): Promise<number> {
  const stuck = await store.stuckDocuments(db, new Date(now.getTime() - olderThanMs), AUTHORISE_QUEUE);
  let queued = 0;
  for (const { id } of stuck) {
    await transaction(db, async (tx) => {
      const row = await store.findDocument(tx, id, true);
      if (!row || !awaitingAnswer(row.status)) return ok(null);
      // Another process's resend may have queued it since the list was read: asked again under the lock.
      if (await jobPendingFor(tx, AUTHORISE_QUEUE, 'documentId', id)) return ok(null);
      await store.updateDocument(tx, row, {});
      await enqueue(
        tx,
        AUTHORISE_QUEUE,
        { documentId: id },
        { ownerNodeId: row.storeId, maxAttempts: row.status === 'contingency' ? CONTINGENCY_ATTEMPTS : 10 },
      );
      queued++;
      return ok(null);
    });
  }
  return queued;
}

/**
 * SEFAZ is back: the queued transmissions of contingency documents run now rather than after their
 * backoff. Answers how many were brought forward.
 */
export const transmitContingencyNow = (db: Db): Promise<number> =>
  store.hurryContingency(db, AUTHORISE_QUEUE);
