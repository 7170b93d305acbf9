/**
 * The NF-e contingency in SVC per store (MOC 7.0 §3; NT 2013.007): the alarm when the state's authoriser
 * is found down, the entry (an admin's confirmation, or automatic with IN_CONTINGENCIA_SVC_AUTO), the
 * re-issue of the NF-e whose send failed, and the exit, which queues the reconciliation of the documents
 * whose normal send may have reached the state (reconcile.ts).
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import * as audit from '../../audit/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { rows } from '../../platform/db/sql.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { enqueue, jobPendingFor } from '../../platform/jobs/service.ts';
import { AUTHORISE_QUEUE } from '../authorizer/index.ts';
import { type Contingency, documentFromJson, documentToJson, type FiscalDocument } from '../domain.ts';
import { fiscalContingencyModes, fiscalDocuments } from '../schema.ts';
import { signingMaterial } from '../settings.ts';
import { type IssuingDeps, signAndValidate } from '../signing.ts';
import * as store from '../store.ts';
import { isSvcKey, nothingSent, RECONCILE_WINDOW_MS, svcFor } from './svc.ts';

export type ModeRow = typeof fiscalContingencyModes.$inferSelect;

/** The periodic NFeStatusServico4 check of a store with an open mode (jobs.ts). */
export const SVC_CHECK_QUEUE = 'fiscal.svc-check';
/** Consults a re-issued NF-e's normal key at the state and cancels it there if it was authorised. */
export const SVC_RECONCILE_QUEUE = 'fiscal.svc-reconcile';
/** How often the status service is asked while a mode is open. */
export const CHECK_INTERVAL_MS = 60_000;
/**
 * The check queues its next run itself, so a run that fails (the database away) is retried with the
 * worker's backoff rather than given up: the chain must outlive an outage while a mode is open.
 */
export const CHECK_ATTEMPTS = 200;
/**
 * A reconciliation waits for its SVC document's authorisation by failing and being retried: with the
 * worker's backoff (capped at 10 min) about eight hours, well inside the 24 h cancellation window.
 */
const RECONCILE_ATTEMPTS = 60;
/** The `confirmed_by` / `ended_by` of what IN_CONTINGENCIA_SVC_AUTO does. */
export const SYSTEM = 'system';

/** What the fiscal_documents content of an NF-e re-issued in SVC adds: why, and its reconciliation. */
export interface SvcContent {
  document: unknown;
  supplement: unknown;
  svc?: { faultKind?: string; reconciliation?: unknown };
}

export async function openMode(db: Db, storeId: string, lock = false): Promise<ModeRow | undefined> {
  const q = db
    .select()
    .from(fiscalContingencyModes)
    .where(
      and(
        eq(fiscalContingencyModes.storeId, storeId),
        eq(fiscalContingencyModes.model, 55),
        ne(fiscalContingencyModes.state, 'ended'),
      ),
    );
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** The latest mode of each store (open or not), for the panel. */
export async function latestModes(db: Db): Promise<ModeRow[]> {
  return db
    .selectDistinctOn([fiscalContingencyModes.storeId])
    .from(fiscalContingencyModes)
    .orderBy(fiscalContingencyModes.storeId, desc(fiscalContingencyModes.raisedAt))
    .limit(1000);
}

/**
 * The contingency a new NF-e of the store is issued in: tpEmis 6/7 with dhCont = the mode's start and
 * xJust = its justification while the mode is active; none otherwise (normal emission).
 */
export async function svcEmission(db: Db, storeId: string): Promise<Contingency | undefined> {
  const mode = await openMode(db, storeId);
  if (mode?.state !== 'active' || !mode.since || !mode.justification) return undefined;
  return {
    emissionType: mode.emissionType as 6 | 7,
    since: mode.since,
    justification: mode.justification,
  };
}

async function stateOf(db: Db, storeId: string): Promise<string> {
  return (await network.getNodeById(db, storeId))?.address?.state ?? 'SP';
}

/**
 * Records that the state's authoriser was found down (`how`: the fault or the status answer) when no mode
 * is open, and starts the periodic status check. Answers the open mode.
 */
export async function raiseAlarm(tx: Db, storeId: string, how: string, now: Date): Promise<ModeRow> {
  const open = await openMode(tx, storeId, true);
  if (open) return open;
  const svc = svcFor(await stateOf(tx, storeId));
  const [row] = await tx
    .insert(fiscalContingencyModes)
    .values({
      id: randomUUID(),
      storeId,
      model: 55,
      state: 'alarm',
      authoriser: svc.authoriser,
      emissionType: svc.emissionType,
      raisedAt: now,
      raisedBy: how.slice(0, 500),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return (await openMode(tx, storeId, true))!;
  await enqueue(
    tx,
    SVC_CHECK_QUEUE,
    { storeId },
    { ownerNodeId: storeId, runAt: new Date(now.getTime() + CHECK_INTERVAL_MS), maxAttempts: CHECK_ATTEMPTS },
  );
  return row;
}

/** Who enters or leaves the mode: a user of the back office, or the parameter (`system`). */
export type ModeActor = Principal | typeof SYSTEM;

const actorId = (who: ModeActor) => (who === SYSTEM ? SYSTEM : who.id);
const actorName = (who: ModeActor) => (who === SYSTEM ? SYSTEM : who.name);

async function auditMode(
  tx: Db,
  who: ModeActor,
  storeId: string,
  action: string,
  before: unknown,
  after: unknown,
) {
  if (who === SYSTEM) return;
  const node = await network.getNodeById(tx, storeId);
  if (!node) return;
  await audit.record(tx, who, audit.scopeOf(node), {
    action,
    target: { type: 'fiscal_contingency', id: node.code, label: `Contingência SVC da loja ${node.code}` },
    before: before as Record<string, unknown>,
    after: after as Record<string, unknown>,
  });
}

const snapshot = (m: ModeRow | undefined) =>
  m ? { state: m.state, authoriser: m.authoriser, justification: m.justification } : { state: 'off' };

/**
 * Enters SVC for the store (from its alarm, or directly): new NF-e go out in tpEmis 6/7 from now, and the
 * NF-e still `sending` whose send failed are issued again in SVC and queued. Answers the active mode.
 */
export async function activate(
  tx: Db,
  deps: IssuingDeps,
  storeId: string,
  who: ModeActor,
  justification: string,
): Promise<Result<ModeRow>> {
  const now = (deps.clock ?? (() => new Date()))();
  const before = await openMode(tx, storeId, true);
  if (before?.state === 'active')
    return fail('conflict', 'FISCAL.CONTINGENCY_ACTIVE', 'The store is already in SVC contingency.', {
      data: { since: before.since?.toISOString() },
    });
  const opened = before ?? (await raiseAlarm(tx, storeId, `entered by ${actorId(who)}`, now));
  const [mode] = await tx
    .update(fiscalContingencyModes)
    .set({
      state: 'active',
      since: now,
      justification,
      confirmedBy: actorId(who),
      confirmedByName: actorName(who),
    })
    .where(eq(fiscalContingencyModes.id, opened.id))
    .returning();
  await auditMode(tx, who, storeId, 'fiscal_contingency.entered', snapshot(before), snapshot(mode));
  for (const row of await failedSends(tx, storeId)) {
    const reissued = await reissueInSvc(tx, deps, row, mode!, row.lastTransportError ?? 'SEFAZ indisponível');
    if (!reissued.ok) return reissued;
  }
  return ok(mode!);
}

/** The store's NF-e in normal emission still `sending` after a failed send (their fault recorded). */
async function failedSends(tx: Db, storeId: string): Promise<store.FiscalDocumentRow[]> {
  const candidates = await tx
    .select()
    .from(fiscalDocuments)
    .where(
      and(
        eq(fiscalDocuments.storeId, storeId),
        eq(fiscalDocuments.model, 55),
        eq(fiscalDocuments.status, 'sending'),
        sql`${fiscalDocuments.lastTransportError} is not null`,
      ),
    )
    .orderBy(fiscalDocuments.number)
    .for('update');
  return candidates.filter((d) => !isSvcKey(d.accessKey));
}

/**
 * Leaves SVC: new NF-e go to the state again. The NF-e re-issued in SVC whose earlier normal send may have
 * reached the state get their reconciliation queued (reconcile.ts).
 */
export async function deactivate(
  tx: Db,
  storeId: string,
  who: ModeActor,
  reason: string,
  now: Date,
): Promise<Result<ModeRow>> {
  const before = await openMode(tx, storeId, true);
  if (!before)
    return fail('conflict', 'FISCAL.CONTINGENCY_NOT_ACTIVE', 'The store is not in SVC contingency.');
  const [mode] = await tx
    .update(fiscalContingencyModes)
    .set({
      state: 'ended',
      endedAt: now,
      endedBy: actorId(who),
      endedByName: actorName(who),
      endReason: reason,
    })
    .where(eq(fiscalContingencyModes.id, before.id))
    .returning();
  await auditMode(tx, who, storeId, 'fiscal_contingency.left', snapshot(before), {
    ...snapshot(mode),
    reason,
  });
  if (before.state === 'active') await queueReconciliations(tx, storeId);
  return ok(mode!);
}

async function queueReconciliations(tx: Db, storeId: string): Promise<void> {
  const reissued = await tx
    .select()
    .from(fiscalDocuments)
    .where(
      and(
        eq(fiscalDocuments.storeId, storeId),
        eq(fiscalDocuments.model, 55),
        sql`${fiscalDocuments.onlineAccessKey} is not null`,
        sql`${fiscalDocuments.content}->'svc' is not null`,
        sql`${fiscalDocuments.content}->'svc'->'reconciliation' is null`,
      ),
    );
  for (const row of reissued) {
    if (!isSvcKey(row.accessKey)) continue;
    // After a refused connection nothing reached the state: nothing to reconcile, but say so.
    const kind = (row.content as SvcContent).svc?.faultKind;
    await enqueue(
      tx,
      SVC_RECONCILE_QUEUE,
      { documentId: row.id, nothingSent: nothingSent(kind) },
      { ownerNodeId: storeId, maxAttempts: RECONCILE_ATTEMPTS },
    );
  }
}

/**
 * Issues a `sending` NF-e (locked by the caller) again in SVC under the same number: tpEmis 6/7, dhCont
 * and xJust of the mode, so a new key; the normal key is kept as `online_access_key`, the fault's kind
 * decides whether it needs reconciling. Queues its transmission (to SVC: the client routes by tpEmis).
 */
export async function reissueInSvc(
  tx: Db,
  deps: IssuingDeps,
  row: store.FiscalDocumentRow,
  mode: ModeRow,
  fault: string,
  faultKind?: string,
): Promise<Result<store.FiscalDocumentRow>> {
  const now = (deps.clock ?? (() => new Date()))();
  const content = row.content as SvcContent;
  const original = documentFromJson(content.document);
  const document: FiscalDocument = {
    ...original,
    // dhCont must not be after dhEmi's reception (rejection 558): emitted now, in the mode started before.
    issuedAt: now,
    contingency: {
      emissionType: mode.emissionType as 6 | 7,
      since: mode.since ?? now,
      justification: mode.justification ?? '',
    },
  };
  const material = await signingMaterial(tx, row.storeId, deps.secretKey);
  if (!material.ok) return material;
  const signed = await signAndValidate(document, material.value);
  if (!signed.ok) return signed;
  const updated = await store.updateDocument(tx, row, {
    accessKey: signed.value.accessKey,
    onlineAccessKey: row.accessKey,
    xml: signed.value.xml,
    content: {
      document: documentToJson(document),
      supplement: signed.value.supplement,
      svc: { faultKind: faultKind ?? content.svc?.faultKind ?? 'unknown' },
    } satisfies SvcContent,
    contingencyAt: now,
    transmitBy: new Date(now.getTime() + RECONCILE_WINDOW_MS),
    lastTransportError: fault,
  });
  await enqueue(tx, AUTHORISE_QUEUE, { documentId: row.id }, { ownerNodeId: row.storeId, maxAttempts: 10 });
  return ok(updated);
}

/** Records a failed normal send of an NF-e (no mode yet), so entering SVC later finds it. */
export async function recordFailedSend(
  tx: Db,
  row: store.FiscalDocumentRow,
  fault: string,
  faultKind: string,
): Promise<void> {
  const content = row.content as SvcContent;
  await store.updateDocument(tx, row, {
    lastTransportError: fault,
    content: { ...content, svc: { ...content.svc, faultKind } },
  });
}

/**
 * Queues the status check again for every open mode (alarm or active) without a live one: a check chain
 * that ran out of attempts or was lost would otherwise leave the mode open with nobody looking. Run with
 * the periodic resend (main.ts). Answers how many were queued.
 */
export async function reviveStatusChecks(db: Db, now = new Date()): Promise<number> {
  const stores = await rows<{ store_id: string }>(
    db,
    sql`select m.store_id from fiscal_contingency_modes m
        where m.state in ('alarm', 'active')
          and not exists (select 1 from jobs j where j.queue = ${SVC_CHECK_QUEUE}
                          and j.status in ('queued', 'running') and j.payload->>'storeId' = m.store_id::text)`,
  );
  let queued = 0;
  for (const { store_id: storeId } of stores)
    await transaction(db, async (tx) => {
      // Another process's resend may have queued it since the list was read: asked again under the mode's lock.
      const mode = await openMode(tx, storeId, true);
      if (!mode || (mode.state !== 'alarm' && mode.state !== 'active')) return ok(null);
      if (await jobPendingFor(tx, SVC_CHECK_QUEUE, 'storeId', storeId)) return ok(null);
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
      queued++;
      return ok(null);
    });
  return queued;
}
