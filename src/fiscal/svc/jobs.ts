/**
 * The NF-e contingency's calls to SEFAZ, made by the job worker outside any transaction: what a failed
 * NF-e send does (the outbox's hook), the periodic status check of a store with an open mode, and the
 * reconciliation of a normal key after the mode ends.
 */
import * as parameters from '../../parameters/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { ok } from '../../platform/errors.ts';
import { enqueue, type JobContext, type JobHandler } from '../../platform/jobs/service.ts';
import { type AuthorizerFor, authoriserDown, SefazFault } from '../authorizer/index.ts';
import { signingMaterial } from '../settings.ts';
import type { IssuingDeps } from '../signing.ts';
import * as store from '../store.ts';
import { buildCancellationEvent, signFiscalXml } from '../xml/index.ts';
import {
  activate,
  CHECK_ATTEMPTS,
  CHECK_INTERVAL_MS,
  deactivate,
  openMode,
  raiseAlarm,
  recordFailedSend,
  reissueInSvc,
  SVC_CHECK_QUEUE,
  SVC_RECONCILE_QUEUE,
  type SvcContent,
  SYSTEM,
} from './modes.ts';
import {
  AUTOMATIC_JUSTIFICATION,
  duplicateJustification,
  isSvcKey,
  type Reconciliation,
  STATUS_IN_OPERATION,
  statusDown,
} from './svc.ts';

/** "Duplicidade de evento" (MOC 7.0 rule 3P15-10): the cancellation was registered already. */
const DUPLICATE_EVENT = 573;

const automatic = async (db: Db, storeId: string): Promise<boolean> =>
  (await parameters.resolve(db, storeId, 'IN_CONTINGENCIA_SVC_AUTO')).value === true;

const messageOf = (fault: unknown) => (fault instanceof Error ? fault.message : String(fault));
const kindOf = (fault: unknown) => (fault instanceof SefazFault ? fault.kind : 'unreachable');

/**
 * An NF-e in normal emission met a fault sending (the outbox's hook). While the store is in SVC, it is
 * issued again in SVC and queued; otherwise, when the authoriser is down (a transport fault where
 * `authoriserDown`, or NFeStatusServico4 answering 108/109), the store enters SVC by itself if its
 * IN_CONTINGENCIA_SVC_AUTO says so, else the alarm is raised for an admin to confirm. Answers the SVC key
 * when the document was issued again (its job is done), else undefined (its job retries).
 */
export async function onNfeFault(
  db: Db,
  deps: IssuingDeps,
  authorizerFor: AuthorizerFor,
  documentId: string,
  fault: unknown,
): Promise<string | undefined> {
  const doc = await store.findDocument(db, documentId);
  if (doc?.model !== 55 || doc.status !== 'sending' || isSvcKey(doc.accessKey)) return undefined;
  const message = messageOf(fault);
  const kind = kindOf(fault);
  let down = authoriserDown(fault);
  let how = `${kind}: ${message}`;
  if (!down && !(await openMode(db, doc.storeId))) {
    try {
      const status = await (await authorizerFor(doc.storeId)).status(55);
      if (statusDown(status.status)) {
        down = true;
        how = `NFeStatusServico4 ${status.status}: ${status.reason}`;
      }
    } catch (statusFault) {
      down = authoriserDown(statusFault);
    }
  }
  const auto = down && (await automatic(db, doc.storeId));
  const now = (deps.clock ?? (() => new Date()))();
  const done = await transaction(db, async (tx) => {
    const row = await store.findDocument(tx, documentId, true);
    if (row?.status !== 'sending' || isSvcKey(row.accessKey)) return ok(undefined);
    const mode = await openMode(tx, row.storeId, true);
    if (mode?.state === 'active') {
      const reissued = await reissueInSvc(tx, deps, row, mode, message, kind);
      return reissued.ok ? ok(reissued.value.accessKey) : reissued;
    }
    await recordFailedSend(tx, row, message, kind);
    if (!down) return ok(undefined);
    if (!auto) {
      await raiseAlarm(tx, row.storeId, how, now);
      return ok(undefined);
    }
    const entered = await activate(tx, deps, row.storeId, SYSTEM, AUTOMATIC_JUSTIFICATION);
    if (!entered.ok) return entered;
    return ok((await store.findDocument(tx, documentId))?.accessKey);
  });
  return done.ok ? done.value : undefined;
}

/**
 * Asks NFeStatusServico4 of the store's state while its mode is open, every minute: 107 again ends an
 * alarm nobody confirmed, and (IN_CONTINGENCIA_SVC_AUTO) an active mode; 108/109 or a fault where the
 * authoriser is down enters SVC when the parameter says so.
 */
async function checkStatus(authorizerFor: AuthorizerFor, deps: IssuingDeps, ctx: JobContext) {
  const { storeId } = ctx.job.payload as { storeId: string };
  const mode = await openMode(ctx.db, storeId);
  if (!mode) return { mode: 'off' };
  const auto = await automatic(ctx.db, storeId);
  let answer: number | 'fault';
  let down: boolean;
  try {
    answer = (await (await authorizerFor(storeId)).status(55)).status;
    down = statusDown(answer);
  } catch (fault) {
    answer = 'fault';
    down = authoriserDown(fault);
  }
  const now = (deps.clock ?? (() => new Date()))();
  const done = await transaction(ctx.db, async (tx) => {
    const current = await openMode(tx, storeId, true);
    if (!current) return ok('off');
    if (answer === STATUS_IN_OPERATION && (current.state === 'alarm' || auto)) {
      const left = await deactivate(
        tx,
        storeId,
        SYSTEM,
        `NFeStatusServico4 ${answer}: SEFAZ em operação`,
        now,
      );
      if (!left.ok) return left;
      return ok('ended');
    }
    if (down && auto && current.state === 'alarm') {
      const entered = await activate(tx, deps, storeId, SYSTEM, AUTOMATIC_JUSTIFICATION);
      if (!entered.ok) return entered;
    }
    await enqueue(
      tx,
      SVC_CHECK_QUEUE,
      { storeId },
      {
        ownerNodeId: storeId,
        runAt: new Date(now.getTime() + CHECK_INTERVAL_MS),
        maxAttempts: CHECK_ATTEMPTS,
      },
    );
    return ok((await openMode(tx, storeId))?.state ?? 'off');
  });
  return { status: answer, mode: done.ok ? done.value : done.failure.code };
}

async function recordReconciliation(db: Db, documentId: string, outcome: Reconciliation) {
  await transaction(db, async (tx) => {
    const row = await store.findDocument(tx, documentId, true);
    if (!row) return ok(null);
    const content = row.content as SvcContent;
    await store.updateDocument(tx, row, {
      content: { ...content, svc: { ...content.svc, reconciliation: outcome } } satisfies SvcContent,
    });
    return ok(null);
  });
  return outcome;
}

/**
 * The mode ended: the NF-e issued again in SVC after a fault that may have reached the state (a timeout)
 * is looked up at the state under its normal key. If the state authorised that one too, it is cancelled
 * there (event 110111) and the SVC one kept (svc.ts says why). Retries while the SVC one is still on its
 * way, and after a fault.
 */
async function reconcile(authorizerFor: AuthorizerFor, deps: IssuingDeps, ctx: JobContext) {
  const { documentId, nothingSent } = ctx.job.payload as { documentId: string; nothingSent?: boolean };
  const doc = await store.findDocument(ctx.db, documentId);
  if (!doc?.onlineAccessKey) return { skipped: 'missing' };
  const at = () => (deps.clock ?? (() => new Date()))().toISOString();
  if (nothingSent) return recordReconciliation(ctx.db, documentId, { state: 'not_sent', at: at() });
  if (doc.status === 'sending') throw new Error('the SVC document is not authorised yet: reconciled later');
  const authorizer = await authorizerFor(doc.storeId);
  const known = await authorizer.consult(doc.onlineAccessKey);
  if (known.outcome === 'not_found')
    return recordReconciliation(ctx.db, documentId, { state: 'not_found', at: at() });
  if (known.outcome !== 'authorized')
    return recordReconciliation(ctx.db, documentId, {
      state: 'failed',
      at: at(),
      reason: `SEFAZ ${known.status}: ${known.reason}`,
    });
  if (known.cancelledProtocol)
    return recordReconciliation(ctx.db, documentId, {
      state: 'online_cancelled',
      at: at(),
      protocol: known.cancelledProtocol,
    });
  const material = await signingMaterial(ctx.db, doc.storeId, deps.secretKey);
  if (!material.ok) throw new Error(`${material.failure.code}: ${material.failure.detail}`);
  const event = buildCancellationEvent({
    accessKey: doc.onlineAccessKey,
    protocol: known.protocol,
    justification: duplicateJustification(doc.accessKey),
    at: new Date(at()),
    cnpj: doc.onlineAccessKey.slice(6, 20),
    environment: material.value.environment,
  });
  if (!event.ok) throw new Error(`${event.failure.code}: ${event.failure.detail}`);
  const answer = await authorizer.registerEvent(
    signFiscalXml(event.value, material.value.certificate, 'infEvento'),
  );
  if (answer.outcome === 'rejected' && answer.status === DUPLICATE_EVENT) {
    // Registered by an earlier attempt whose answer was lost: its protocol is read back.
    const again = await authorizer.consult(doc.onlineAccessKey);
    if (again.outcome === 'authorized' && again.cancelledProtocol)
      return recordReconciliation(ctx.db, documentId, {
        state: 'online_cancelled',
        at: at(),
        protocol: again.cancelledProtocol,
      });
  }
  if (answer.outcome === 'registered')
    return recordReconciliation(ctx.db, documentId, {
      state: 'online_cancelled',
      at: at(),
      protocol: answer.protocol,
    });
  return recordReconciliation(ctx.db, documentId, {
    state: 'failed',
    at: at(),
    reason: `SEFAZ ${answer.status}: ${answer.reason}`,
  });
}

/** The job handlers of the NF-e contingency, bound to each store's authoriser and the signing key. */
export function contingencyJobHandlers(
  authorizerFor: AuthorizerFor,
  deps: IssuingDeps,
): Record<string, JobHandler> {
  return {
    [SVC_CHECK_QUEUE]: (ctx) => checkStatus(authorizerFor, deps, ctx),
    [SVC_RECONCILE_QUEUE]: (ctx) => reconcile(authorizerFor, deps, ctx),
  };
}
