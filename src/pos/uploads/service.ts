import * as fiscal from '../../fiscal/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { pgErrorCode } from '../../platform/db/sql.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { type Failure, type FieldError, fail, ok, type Result } from '../../platform/errors.ts';
import { toCents } from '../../platform/money.ts';
import { applyCashClosing, applyCashMovement, applyCashOpening } from './cash.ts';
import type { ExternalNfce, UploadContext, UploadStore } from './context.ts';
import { applyCustomer } from './customers.ts';
import {
  isSameUpload,
  nfceMatchErrors,
  type SaleBody,
  type UploadBodies,
  type UploadKind,
  uploadErrors,
  type ZReductionBody,
} from './domain.ts';
import { applySale } from './sales.ts';
import * as store from './store.ts';

/**
 * POS uploads (seed 000 §2, "Integração de dados que são recebidos do PDV"): what a store's POS sends back —
 * cash openings, sangrias and suprimentos, closings, customers, sales with their NFC-e, Z reductions. Each
 * upload is applied once (the terminal's sequence and the POS's own id), or refused with its reasons, kept
 * for support, and nothing of it applied.
 */

export type { UploadBodies, UploadBody } from './domain.ts';
export { type UploadKind, uploadKinds } from './domain.ts';
export { POS_SALE_REFERENCE, posSaleHandlers } from './sales.ts';

/** The POS key acting: an API client of the `pos` scope, bound to its store. */
export interface UploadCaller {
  kind: 'user' | 'client';
  id: string;
  nodeId: string;
}

export interface UploadAnswer {
  upload: {
    id: string;
    kind: UploadKind;
    terminal: string;
    sequence: number;
    posId: string;
    receivedAt: string;
  };
  replayed: boolean;
  result: Record<string, unknown>;
}

const storeOfKey = async (db: Db, caller: UploadCaller): Promise<Result<UploadStore>> => {
  const line = await network.lineage(db, caller.nodeId);
  const node = line.at(-1);
  if (node?.kind !== 'store' || node.id !== caller.nodeId || !line[0])
    return fail('forbidden', 'POS.NOT_A_STORE', 'This POS key is not bound to a store.');
  return ok({ id: node.id, networkId: line[0].id, code: node.code });
};

const refused = (errors: FieldError[]) =>
  fail('invalid', 'POS.UPLOAD_INVALID', 'The upload was refused; see errors for each field.', { errors });

/** The answer a stored upload gives again. */
function replay(row: store.UploadRow): UploadAnswer {
  return { ...(row.result as Omit<UploadAnswer, 'replayed'>), replayed: true };
}

/** Looks for the upload already applied: the same one again answers its first answer; another is a conflict. */
async function earlier<K extends UploadKind>(
  db: Db,
  storeId: string,
  kind: K,
  body: UploadBodies[K],
): Promise<Result<UploadAnswer> | null> {
  const found = await store.findUpload(db, storeId, { ...body, kind });
  if (found.bySequence) {
    if (isSameUpload(found.bySequence, { kind, posId: body.posId })) return ok(replay(found.bySequence));
    return fail(
      'conflict',
      'POS.UPLOAD_SEQUENCE_REUSED',
      `Terminal ${body.terminal} already sent upload ${body.sequence} (${found.bySequence.kind} ${found.bySequence.posId}).`,
      {
        data: {
          terminal: body.terminal,
          sequence: body.sequence,
          stored: { kind: found.bySequence.kind, posId: found.bySequence.posId },
        },
      },
    );
  }
  // The same record under a new sequence (the POS numbered its queue again): it is applied already.
  if (found.byPosId) return ok(replay(found.byPosId));
  return null;
}

async function apply<K extends UploadKind>(
  tx: Db,
  ctx: UploadContext,
  kind: K,
  body: UploadBodies[K],
): Promise<Result<Record<string, unknown>>> {
  switch (kind) {
    case 'cash-opening':
      return applyCashOpening(tx, ctx, body as UploadBodies['cash-opening']);
    case 'cash-movement':
      return applyCashMovement(tx, ctx, body as UploadBodies['cash-movement']);
    case 'cash-closing':
      return applyCashClosing(tx, ctx, body as UploadBodies['cash-closing']);
    case 'customer':
      return applyCustomer(tx, ctx, body as UploadBodies['customer']);
    case 'sale':
      return applySale(tx, ctx, body as SaleBody);
    case 'z-reduction':
      return applyZReduction(tx, ctx, body as ZReductionBody);
  }
  return fail('invalid', 'POS.UNKNOWN_UPLOAD_KIND', `There is no upload kind ${kind}.`);
}

async function applyZReduction(
  tx: Db,
  ctx: UploadContext,
  body: ZReductionBody,
): Promise<Result<Record<string, unknown>>> {
  const inserted = await store.insertZReduction(tx, {
    networkId: ctx.store.networkId,
    storeId: ctx.store.id,
    terminal: body.terminal,
    posId: body.posId,
    day: body.day,
    counter: body.counter,
    salesCount: body.salesCount,
    grossTotal: body.grossTotal,
    cancellations: body.cancellations,
    discounts: body.discounts,
    netTotal: body.netTotal,
    occurredAt: new Date(body.occurredAt),
  });
  if (!inserted)
    return fail(
      'conflict',
      'POS.Z_REDUCTION_EXISTS',
      `Terminal ${body.terminal} already closed ${body.day} with another Z reduction.`,
      { data: { terminal: body.terminal, day: body.day } },
    );
  return ok({ zReductionId: inserted.id, day: body.day, netTotal: body.netTotal });
}

/** The checks of a sale's own NFC-e that need fiscal (schema, signature) and the store (emitter). */
async function checkNfce(db: Db, storeId: string, body: SaleBody): Promise<Result<ExternalNfce | undefined>> {
  if (body.nfceXml === undefined) return ok(undefined);
  const read = await fiscal.readExternalNfce(body.nfceXml, '/nfceXml');
  if (!read.ok) return read;
  const node = await network.getNodeById(db, storeId);
  const errors = nfceMatchErrors(read.value, { storeCnpj: node?.cnpj ?? '', total: toCents(body.total) });
  if (errors.length) return refused(errors);
  if (await store.saleByAccessKey(db, read.value.accessKey))
    return refused([
      {
        path: '/nfceXml',
        code: 'POS.NFCE_ALREADY_RECEIVED',
        message: 'was already received with another sale',
        params: { accessKey: read.value.accessKey },
      },
    ]);
  return ok({ accessKey: read.value.accessKey, xml: body.nfceXml });
}

/**
 * Applies one upload of a store's POS: 201 with the result, the same upload again answers its first answer
 * (`replayed`), the terminal's sequence reused for another record is a conflict. A refusal is kept in
 * pos_upload_rejections, written in its own transaction after the failed one, and nothing is applied.
 */
export async function upload<K extends UploadKind>(
  db: Db,
  deps: fiscal.IssuingDeps,
  caller: UploadCaller,
  kind: K,
  body: UploadBodies[K],
  now = new Date(),
): Promise<Result<UploadAnswer>> {
  const place = await storeOfKey(db, caller);
  if (!place.ok) return place;
  const storeRow = place.value;
  const outcome = await attempt(db, deps, caller, storeRow, kind, body, now);
  if (!outcome.ok && outcome.failure.kind !== 'unavailable' && outcome.failure.kind !== 'forbidden')
    await rejected(db, storeRow, kind, body, outcome.failure);
  return outcome;
}

async function attempt<K extends UploadKind>(
  db: Db,
  deps: fiscal.IssuingDeps,
  caller: UploadCaller,
  place: UploadStore,
  kind: K,
  body: UploadBodies[K],
  now: Date,
): Promise<Result<UploadAnswer>> {
  const before = await earlier(db, place.id, kind, body);
  if (before) return before;
  const errors = uploadErrors(kind, body, now);
  if (errors.length) return refused(errors);
  const nfce = kind === 'sale' ? await checkNfce(db, place.id, body as SaleBody) : ok(undefined);
  if (!nfce.ok) return nfce;
  const ctx: UploadContext = {
    store: place,
    actor: `${caller.kind}:${caller.id}`,
    now,
    deps,
    ...(nfce.value ? { nfce: nfce.value } : {}),
  };
  try {
    return await transaction(db, async (tx) => {
      // Claimed first: an identical upload racing this one waits on the unique index, then replays.
      const claimed = await store.insertUpload(tx, {
        networkId: place.networkId,
        storeId: place.id,
        terminal: body.terminal,
        sequence: body.sequence,
        kind,
        posId: body.posId,
        payload: kind === 'sale' ? { ...body, nfceXml: undefined } : body,
        result: {},
        occurredAt: new Date(body.occurredAt),
      });
      const applied = await apply(tx, ctx, kind, body);
      if (!applied.ok) return applied;
      const answer: UploadAnswer = {
        upload: {
          id: claimed.id,
          kind,
          terminal: claimed.terminal,
          sequence: claimed.sequence,
          posId: claimed.posId,
          receivedAt: claimed.receivedAt.toISOString(),
        },
        replayed: false,
        result: applied.value,
      };
      const { replayed: _, ...stored } = answer;
      await store.setUploadResult(tx, claimed.id, stored);
      return ok(answer);
    });
  } catch (error) {
    if (pgErrorCode(error) !== '23505') throw error;
    // Lost the race to the same upload (or one reusing its sequence): answer as a re-send would be answered.
    const after = await earlier(db, place.id, kind, body);
    if (after) return after;
    // Another upload took the same record meanwhile (the same NFC-e in two sales, one session opened twice).
    return fail(
      'conflict',
      'POS.UPLOAD_CONFLICT',
      'Another upload applied the same record at the same time; this one was not applied.',
    );
  }
}

/** The refusal kept for support (the PDV monitoring screen), in its own transaction. */
async function rejected(
  db: Db,
  place: UploadStore,
  kind: UploadKind,
  body: UploadBodies[UploadKind],
  failure: Failure,
): Promise<void> {
  const payload = { ...body } as Record<string, unknown>;
  // The XML is kept in full only with an applied sale; the refusal keeps its size for support.
  if (typeof payload.nfceXml === 'string') payload.nfceXml = `(${payload.nfceXml.length} characters)`;
  await store.recordRejection(db, {
    networkId: place.networkId,
    storeId: place.id,
    terminal: body.terminal,
    sequence: body.sequence,
    kind,
    posId: body.posId,
    code: failure.code,
    message: failure.detail,
    details: { errors: failure.errors ?? [], data: failure.data ?? {} },
    payload,
  });
}

/**
 * A body that failed the route's schema, kept for support as any refusal (the terminal, sequence and POS id
 * when they were readable).
 */
export async function rejectMalformed(
  db: Db,
  caller: UploadCaller,
  kind: UploadKind,
  body: unknown,
  errors: FieldError[],
): Promise<void> {
  const place = await storeOfKey(db, caller);
  if (!place.ok) return;
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const text = (v: unknown, max: number) => (typeof v === 'string' && v.length <= max ? v : null);
  const sequence =
    typeof b.sequence === 'number' && Number.isSafeInteger(b.sequence) && b.sequence >= 1 ? b.sequence : null;
  await store.recordRejection(db, {
    networkId: place.value.networkId,
    storeId: place.value.id,
    terminal: text(b.terminal, 40),
    sequence,
    kind,
    posId: text(b.posId, 64),
    code: 'REQUEST.INVALID',
    message: 'The request does not match the schema.',
    details: { errors },
    payload: null,
  });
}
