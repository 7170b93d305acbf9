/**
 * Voiding a range of a store's series (inutilização): checked against the series, signed, validated and
 * recorded as `sending` in one transaction with its outbox job; the job (job.ts) sends it to
 * NFeInutilizacao4 after commit. The gaps of each series, and the night job that voids the old ones.
 */
import { randomUUID } from 'node:crypto';
import * as audit from '../../audit/service.ts';
import * as network from '../../network/service.ts';
import * as parameters from '../../parameters/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/access.ts';
import { enqueue, jobPendingFor } from '../../platform/jobs/service.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/pagination.ts';
import { stateCodes, type VoidedRangeStatus, type VoidOrigin } from '../domain.ts';
import { signingMaterial } from '../settings.ts';
import type { IssuingDeps } from '../signing.ts';
import { buildVoidRange, signFiscalXml, validateXml } from '../xml/index.ts';
import {
  AUTOMATIC_JUSTIFICATION,
  agedGaps,
  brasiliaYear,
  checkAgainstSeries,
  checkRequest,
  chunks,
  type RangeRequest,
  startOfBrasiliaYear,
} from './domain.ts';
import * as store from './store.ts';

/** The queue of the requests to NFeInutilizacao4. */
export const VOID_QUEUE = 'fiscal.void';

export type VoidRequester = network.Viewer & audit.Who & { id: string; actor: Actor };

export interface VoidedRangeView {
  id: string;
  storeCode: string;
  model: 55 | 65;
  series: number;
  year: number;
  from: number;
  to: number;
  justification: string;
  status: VoidedRangeStatus;
  origin: VoidOrigin;
  protocol: string | null;
  rejection: { code: number; reason: string } | null;
  requestedBy: string;
  createdAt: string;
  voidedAt: string | null;
}

const view = (row: store.VoidedRangeRow, storeCode: string): VoidedRangeView => ({
  id: row.id,
  storeCode,
  model: row.model as 55 | 65,
  series: row.series,
  year: row.year,
  from: row.fromNumber,
  to: row.toNumber,
  justification: row.justification,
  status: row.status,
  origin: row.origin,
  protocol: row.protocol,
  rejection:
    row.rejectionCode === null ? null : { code: row.rejectionCode, reason: row.rejectionReason ?? '' },
  requestedBy: row.requestedBy,
  createdAt: row.createdAt.toISOString(),
  voidedAt: row.voidedAt?.toISOString() ?? null,
});

const rangeNotFound = (id: string) =>
  fail('not_found', 'FISCAL.VOIDED_RANGE_NOT_FOUND', `There is no voided range ${id} visible to you.`);

/**
 * Checks, signs, validates and records a range of `store`'s series inside `tx`, and queues it for SEFAZ.
 * The series' counter stays locked until `tx` ends, so no number of it is issued meanwhile.
 */
async function voidInside(
  tx: Db,
  deps: IssuingDeps,
  storeNode: network.NetworkNode,
  input: RangeRequest,
  origin: VoidOrigin,
  requestedBy: string,
): Promise<Result<store.VoidedRangeRow>> {
  const checked = checkRequest(input);
  if (!checked.ok) return checked;
  const request = checked.value;
  const now = (deps.clock ?? (() => new Date()))();
  const key = { storeId: storeNode.id, model: request.model, series: request.series };
  const facts = await store.seriesFacts(tx, key, request, startOfBrasiliaYear(now));
  const allowed = checkAgainstSeries(request, facts);
  if (!allowed.ok) return allowed;
  const uf = storeNode.address?.state;
  if (!storeNode.cnpj || !uf || !(uf in stateCodes))
    return fail(
      'invalid',
      'FISCAL.DATA_INCOMPLETE',
      `Store ${storeNode.code} needs its CNPJ and state to void numbers at SEFAZ.`,
      { data: { storeCode: storeNode.code } },
    );
  const material = await signingMaterial(tx, storeNode.id, deps.secretKey);
  if (!material.ok) return material;
  const year = brasiliaYear(now);
  const built = buildVoidRange({
    environment: material.value.environment,
    stateCode: stateCodes[uf as keyof typeof stateCodes],
    year,
    cnpj: storeNode.cnpj.replace(/\D/g, ''),
    model: request.model as 55 | 65,
    series: request.series,
    from: request.from,
    to: request.to,
    justification: request.justification,
  });
  if (!built.ok) return built;
  const signed = signFiscalXml(built.value, material.value.certificate, 'infInut');
  const valid = await validateXml(signed, 'inutNFe');
  if (!valid.ok) return valid;
  const row = await store.insertRange(tx, {
    id: randomUUID(),
    networkId: storeNode.networkId,
    storeId: storeNode.id,
    model: request.model,
    series: request.series,
    year,
    fromNumber: request.from,
    toNumber: request.to,
    justification: request.justification,
    status: 'sending',
    origin,
    xml: signed,
    requestedBy,
  });
  await enqueue(tx, VOID_QUEUE, { rangeId: row.id }, { ownerNodeId: storeNode.id, maxAttempts: 10 });
  return ok(row);
}

export interface VoidInput extends RangeRequest {
  storeCode: string;
}

/** A user's request to void a range of a store they see. */
export function requestVoid(
  db: Db,
  deps: IssuingDeps,
  who: VoidRequester,
  input: VoidInput,
): Promise<Result<VoidedRangeView>> {
  return transaction(db, async (tx) => {
    const found = await network.findStore(tx, who, input.storeCode);
    if (!found.ok) return found;
    const row = await voidInside(tx, deps, found.value, input, 'manual', who.id);
    if (!row.ok) return row;
    // Voiding cannot be undone: the log says who asked for which numbers, and why.
    const range = row.value;
    await audit.record(tx, who, audit.scopeOf(found.value), {
      action: 'fiscal_numbering.void_requested',
      target: {
        type: 'fiscal_numbering',
        id: range.id,
        label: `Inutilização ${range.fromNumber}–${range.toNumber}, modelo ${range.model} série ${range.series}, loja ${found.value.code}`,
      },
      before: null,
      after: {
        model: range.model,
        series: range.series,
        from: range.fromNumber,
        to: range.toNumber,
        justification: range.justification,
      },
    });
    return ok(view(range, found.value.code));
  });
}

export async function getVoidedRange(
  db: Db,
  who: network.Viewer,
  id: string,
): Promise<Result<VoidedRangeView & { xml: string }>> {
  const row = await store.findRange(db, id);
  if (!row) return rangeNotFound(id);
  const place = await network.getNodeById(db, row.storeId);
  if (!place || !network.isWithin(place.path, who.nodePath)) return rangeNotFound(id);
  return ok({ ...view(row, place.code), xml: row.xml });
}

export interface RangeQuery {
  storeCode?: string;
  model?: number;
  series?: number;
  status?: VoidedRangeStatus;
  origin?: VoidOrigin;
  cursor?: string;
  limit?: number;
}

export async function listVoidedRanges(
  db: Db,
  who: network.Viewer,
  q: RangeQuery,
): Promise<Result<Page<VoidedRangeView>>> {
  const cursor = decodeCursor(q.cursor);
  if (!cursor.ok) return cursor;
  let stores: network.NetworkNode[];
  if (q.storeCode) {
    const one = await network.findStore(db, who, q.storeCode);
    if (!one.ok) return one;
    stores = [one.value];
  } else stores = await network.storesWithin(db, who);
  const codes = new Map(stores.map((s) => [s.id, s.code]));
  const after = cursor.value;
  if (
    after &&
    (typeof after[0] !== 'string' ||
      typeof after[1] !== 'string' ||
      !/^[0-9a-f-]{36}$/.test(after[1]) ||
      Number.isNaN(Date.parse(after[0])))
  )
    return fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
      errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
    });
  const limit = q.limit ?? 50;
  const found = await store.listRanges(db, {
    storeIds: [...codes.keys()],
    model: q.model,
    series: q.series,
    status: q.status,
    origin: q.origin,
    after: after ? { createdAt: new Date(after[0] as string), id: after[1] as string } : undefined,
    limit,
  });
  const page = pageOf(found, limit, (r) => [r.createdAt.toISOString(), r.id]);
  return ok({
    items: page.items.map((r) => view(r, codes.get(r.storeId) ?? '')),
    nextCursor: page.nextCursor,
  });
}

export interface GapView {
  storeCode: string;
  model: 55 | 65;
  series: number;
  from: number;
  to: number;
  count: number;
  /** Numbers inside held by a rejected document (voiding them abandons that document). */
  rejectedNumbers: number[];
  since: string | null;
  ageDays: number | null;
}

/** The gaps of the series of the stores the viewer sees (or of one of them), oldest series first. */
export async function numberGaps(
  db: Db,
  who: network.Viewer,
  storeCode: string | undefined,
  now: Date = new Date(),
): Promise<Result<{ items: GapView[] }>> {
  let stores: network.NetworkNode[];
  if (storeCode) {
    const one = await network.findStore(db, who, storeCode);
    if (!one.ok) return one;
    stores = [one.value];
  } else stores = await network.storesWithin(db, who);
  const codes = new Map(stores.map((s) => [s.id, s.code]));
  const series = await store.gapsOf(db, [...codes.keys()]);
  const items: GapView[] = [];
  for (const s of series)
    for (const g of s.gaps)
      items.push({
        storeCode: codes.get(s.storeId) ?? '',
        model: s.model as 55 | 65,
        series: s.series,
        from: g.from,
        to: g.to,
        count: g.to - g.from + 1,
        rejectedNumbers: g.rejectedNumbers.slice(0, 50),
        since: g.since?.toISOString() ?? null,
        ageDays: g.since ? Math.floor((now.getTime() - g.since.getTime()) / 86_400_000) : null,
      });
  items.sort(
    (a, b) =>
      a.storeCode.localeCompare(b.storeCode) || a.model - b.model || a.series - b.series || a.from - b.from,
  );
  return ok({ items });
}

/** The user the night job's requests are recorded under. */
export const NIGHT_JOB = 'system:night-voiding';

/**
 * The night job: in every store whose QT_DIAS_INUTILIZACAO_AUTO is above 0, voids the gaps dated at least
 * that many days before `now` (origin `automatic`, fixed justification), one request per 10,000 numbers,
 * each in its own transaction. A gap another rule stands in the way of (from an earlier year, say) is left
 * for a person. Answers how many requests were queued.
 */
export async function voidAgedGaps(db: Db, deps: IssuingDeps): Promise<number> {
  const now = (deps.clock ?? (() => new Date()))();
  const storeIds = await store.storesWithSeries(db);
  let queued = 0;
  for (const storeId of storeIds) {
    const days = (await parameters.resolve(db, storeId, 'QT_DIAS_INUTILIZACAO_AUTO')).value;
    if (typeof days !== 'number' || days <= 0) continue;
    const node = await network.getNodeById(db, storeId);
    if (!node) continue;
    for (const s of await store.gapsOf(db, [storeId])) {
      for (const gap of agedGaps(s.gaps, days, now)) {
        for (const part of chunks(gap)) {
          const done = await transaction(db, (tx) =>
            voidInside(
              tx,
              deps,
              node,
              { model: s.model, series: s.series, ...part, justification: AUTOMATIC_JUSTIFICATION },
              'automatic',
              NIGHT_JOB,
            ),
          );
          if (done.ok) queued++;
        }
      }
    }
  }
  return queued;
}

/**
 * Whether `number` of the series is voided (or being voided): a rejected document under it is abandoned,
 * and issuing again for its reference takes a new number.
 */
export const numberVoided = (db: Db, key: store.SeriesKey, number: number) =>
  store.voidedCovering(db, key, number);

/**
 * Queues again the ranges left `sending` without a live job (its retries ran out while SEFAZ was
 * unreachable): run with the documents' resend. A resend SEFAZ had received answers 563 and is taken as
 * the lost 102 (job.ts). Answers how many were queued.
 */
export async function resendStuckRanges(db: Db, olderThanMs = 5 * 60_000, now = new Date()): Promise<number> {
  const stuck = await store.stuckRanges(db, new Date(now.getTime() - olderThanMs), VOID_QUEUE);
  let queued = 0;
  for (const { id } of stuck)
    await transaction(db, async (tx) => {
      const row = await store.findRange(tx, id, true);
      // Another process's resend may have queued it since the list was read: asked again under the lock.
      if (row?.status !== 'sending' || (await jobPendingFor(tx, VOID_QUEUE, 'rangeId', id))) return ok(null);
      await enqueue(tx, VOID_QUEUE, { rangeId: id }, { ownerNodeId: row.storeId, maxAttempts: 10 });
      queued++;
      return ok(null);
    });
  return queued;
}
