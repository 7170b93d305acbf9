/**
 * What the contingency panel (Fiscal → Contingência) shows and does: the SVC mode of each store the viewer
 * sees, entering and leaving it, and the documents in contingency — NFC-e offline (tpEmis 9) and NF-e in
 * SVC (tpEmis 6/7) — with their deadline, and "transmitir agora".
 */
import { and, count, desc, eq, inArray, or } from 'drizzle-orm';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { rows, sql } from '../../platform/db/sql.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { enqueue } from '../../platform/jobs/service.ts';
import { AUTHORISE_QUEUE } from '../authorizer/index.ts';
import { type DeadlineLevel, deadlineLevel } from '../domain.ts';
import { fiscalDocuments } from '../schema.ts';
import type { IssuingDeps } from '../signing.ts';
import { activate, deactivate, latestModes, type ModeRow, type SvcContent } from './modes.ts';
import { checkJustification, type Reconciliation, svcFor } from './svc.ts';

export interface ModeView {
  storeCode: string;
  storeName: string;
  state: 'off' | 'alarm' | 'active';
  authoriser: 'SVC-AN' | 'SVC-RS';
  emissionType: 6 | 7;
  raisedAt: string | null;
  raisedBy: string | null;
  since: string | null;
  justification: string | null;
  confirmedBy: string | null;
  confirmedByName: string | null;
  /** The last mode that ended, when the store is off. */
  endedAt: string | null;
  endedBy: string | null;
  endedByName: string | null;
  endReason: string | null;
}

function modeView(store: network.NetworkNode, mode: ModeRow | undefined): ModeView {
  const svc = svcFor(store.address?.state ?? 'SP');
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
  return {
    storeCode: store.code,
    storeName: store.name,
    state: !mode || mode.state === 'ended' ? 'off' : mode.state,
    authoriser: (mode?.authoriser ?? svc.authoriser) as ModeView['authoriser'],
    emissionType: (mode?.emissionType ?? svc.emissionType) as 6 | 7,
    raisedAt: iso(mode?.raisedAt),
    raisedBy: mode?.raisedBy ?? null,
    since: iso(mode?.since),
    justification: mode?.justification ?? null,
    confirmedBy: mode?.confirmedBy ?? null,
    confirmedByName: mode?.confirmedByName ?? null,
    endedAt: iso(mode?.endedAt),
    endedBy: mode?.endedBy ?? null,
    endedByName: mode?.endedByName ?? null,
    endReason: mode?.endReason ?? null,
  };
}

/** The SVC mode of every store the viewer sees, alarms and active ones first. */
export async function modesFor(db: Db, viewer: network.Viewer): Promise<ModeView[]> {
  const stores = await network.storesWithin(db, viewer);
  const latest = new Map((await latestModes(db)).map((m) => [m.storeId, m]));
  const order = { alarm: 0, active: 1, off: 2 } as const;
  return stores
    .map((s) => modeView(s, latest.get(s.id)))
    .sort((a, b) => order[a.state] - order[b.state] || a.storeCode.localeCompare(b.storeCode));
}

/** Who may enter or leave SVC: the admins, or the manager of the store. */
const mayDecide = (who: Principal) =>
  who.actor === 'network_admin' || who.actor === 'central_admin' || who.actor === 'store_manager';

export async function enterSvc(
  db: Db,
  deps: IssuingDeps,
  who: Principal,
  input: { storeCode: string; justification: string },
): Promise<Result<ModeView>> {
  if (!mayDecide(who))
    return fail(
      'forbidden',
      'FISCAL.CONTINGENCY_FORBIDDEN',
      'Only a manager or an admin enters SVC contingency.',
    );
  const justification = checkJustification(input.justification);
  if (!justification.ok) return justification;
  const store = await network.findStore(db, who, input.storeCode);
  if (!store.ok) return store;
  const entered = await transaction(db, (tx) => activate(tx, deps, store.value.id, who, justification.value));
  if (!entered.ok) return entered;
  return ok(modeView(store.value, entered.value));
}

export async function leaveSvc(
  db: Db,
  deps: IssuingDeps,
  who: Principal,
  input: { storeCode: string; reason: string },
): Promise<Result<ModeView>> {
  if (!mayDecide(who))
    return fail(
      'forbidden',
      'FISCAL.CONTINGENCY_FORBIDDEN',
      'Only a manager or an admin leaves SVC contingency.',
    );
  const reason = input.reason.trim();
  if (reason.length < 5 || reason.length > 500)
    return fail(
      'invalid',
      'FISCAL.CONTINGENCY_REASON',
      'Say why the contingency ends (5 to 500 characters).',
      {
        errors: [
          {
            path: '/reason',
            code: 'FISCAL.CONTINGENCY_REASON',
            params: { min: 5, max: 500 },
            message: 'de 5 a 500 caracteres',
          },
        ],
      },
    );
  const store = await network.findStore(db, who, input.storeCode);
  if (!store.ok) return store;
  const now = (deps.clock ?? (() => new Date()))();
  const left = await transaction(db, (tx) => deactivate(tx, store.value.id, who, reason, now));
  if (!left.ok) return left;
  return ok(modeView(store.value, left.value));
}

export interface ContingencyDocumentView {
  id: string;
  model: 55 | 65;
  /** offline: NFC-e tpEmis 9; svc: NF-e tpEmis 6/7. */
  kind: 'offline' | 'svc';
  emissionType: number;
  series: number;
  number: number;
  accessKey: string;
  /** The key the document had in normal emission, before it was issued again in contingency. */
  onlineAccessKey: string | null;
  status: string;
  storeCode: string;
  reference: { type: string; id: string };
  contingencyAt: string | null;
  /**
   * NFC-e: transmit within 24 h of emission (NT 2015.002); NF-e issued again in SVC: the 24 h in which a
   * state authorisation of its normal key may still be cancelled.
   */
  deadline: string | null;
  level: DeadlineLevel | 'rejected' | 'done';
  lastError: string | null;
  rejection: { code: number; reason: string } | null;
  reconciliation: Reconciliation | null;
}

const PENDING = ['sending', 'contingency', 'rejected'] as const;

/** The documents in contingency of the stores the viewer sees (or one of them), the closest deadline first. */
export async function contingencyDocuments(
  db: Db,
  viewer: network.Viewer,
  query: { storeCode?: string; state?: 'pending' | 'all'; limit: number; offset: number },
  now = new Date(),
): Promise<Result<{ items: ContingencyDocumentView[]; total: number }>> {
  const stores = await network.storesWithin(db, viewer, query.storeCode ? [query.storeCode] : undefined);
  if (query.storeCode && stores.length === 0)
    return fail(
      'not_found',
      'NETWORK.STORE_NOT_FOUND',
      `There is no store ${query.storeCode} visible to you.`,
    );
  if (stores.length === 0) return ok({ items: [], total: 0 });
  const codes = new Map(stores.map((s) => [s.id, s.code]));
  const d = fiscalDocuments;
  const where = and(
    inArray(
      d.storeId,
      stores.map((s) => s.id),
    ),
    or(sql`${d.contingencyAt} is not null`, sql`substr(${d.accessKey}, 35, 1) in ('6', '7', '9')`),
    query.state === 'all' ? undefined : inArray(d.status, [...PENDING]),
  );
  const [total] = await db.select({ n: count() }).from(d).where(where);
  const found = await db
    .select()
    .from(d)
    .where(where)
    .orderBy(sql`${d.transmitBy} asc nulls last`, desc(d.createdAt), d.id)
    .limit(query.limit)
    .offset(query.offset);
  const items = found.map((row): ContingencyDocumentView => {
    const emissionType = Number(row.accessKey[34]);
    const svc = (row.content as SvcContent).svc;
    return {
      id: row.id,
      model: row.model as 55 | 65,
      kind: emissionType === 9 ? 'offline' : 'svc',
      emissionType,
      series: row.series,
      number: row.number,
      accessKey: row.accessKey,
      onlineAccessKey: row.onlineAccessKey,
      status: row.status,
      storeCode: codes.get(row.storeId) ?? '',
      reference: { type: row.referenceType, id: row.referenceId },
      contingencyAt: row.contingencyAt?.toISOString() ?? null,
      deadline: row.transmitBy?.toISOString() ?? null,
      level:
        row.status === 'rejected'
          ? 'rejected'
          : !PENDING.includes(row.status as (typeof PENDING)[number])
            ? 'done'
            : row.transmitBy
              ? deadlineLevel(row.transmitBy, now)
              : 'ok',
      lastError: row.lastTransportError,
      rejection:
        row.rejectionCode === null ? null : { code: row.rejectionCode, reason: row.rejectionReason ?? '' },
      reconciliation: (svc?.reconciliation as Reconciliation | undefined) ?? null,
    };
  });
  return ok({ items, total: Number(total?.n ?? 0) });
}

/**
 * "Transmitir agora": the document's queued transmission runs now instead of after its backoff; queued
 * anew when its job had given up. Only a document still waiting for SEFAZ.
 */
export async function transmitNow(
  db: Db,
  viewer: network.Viewer,
  documentId: string,
): Promise<Result<{ queued: true }>> {
  return transaction(db, async (tx) => {
    const [row] = await tx
      .select()
      .from(fiscalDocuments)
      .where(eq(fiscalDocuments.id, documentId))
      .for('update');
    const place = row && (await network.getNodeById(tx, row.storeId));
    if (!row || !place || !network.isWithin(place.path, viewer.nodePath))
      return fail(
        'not_found',
        'FISCAL.DOCUMENT_NOT_FOUND',
        'There is no such fiscal document visible to you.',
      );
    if (row.status !== 'sending' && row.status !== 'contingency')
      return fail('conflict', 'FISCAL.NOT_WAITING', 'The document is not waiting for SEFAZ.', {
        data: { status: row.status },
      });
    const moved = await rows<{ id: string }>(
      tx,
      sql`update jobs set run_at = now() where queue = ${AUTHORISE_QUEUE} and status = 'queued'
          and payload->>'documentId' = ${row.id} returning id`,
    );
    if (moved.length === 0)
      await enqueue(
        tx,
        AUTHORISE_QUEUE,
        { documentId: row.id },
        { ownerNodeId: row.storeId, maxAttempts: 10 },
      );
    return ok({ queued: true as const });
  });
}
