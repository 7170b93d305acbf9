/**
 * The fiscal context's door. For now: numbering (a store's number per model and series, gap-free) and the
 * record of an issued document. Both run inside the caller's transaction, so the number, the document and
 * whatever the document is for (an order's invoicing, a transfer) commit or roll back together.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { parseAccessKey } from './access-key.ts';
import {
  type FiscalDocumentStatus,
  type FiscalModel,
  type FiscalPurpose,
  fiscalModels,
  MAX_SERIES,
} from './domain.ts';
import * as store from './store.ts';

export type { FiscalDocumentStatus, FiscalModel, FiscalPurpose } from './domain.ts';
export type { FiscalDocumentRow } from './store.ts';

export interface SeriesRef {
  storeId: string;
  model: FiscalModel;
  series: number;
}

/**
 * Takes the series' next number. The counter stays locked until `tx` ends: hold it only while the
 * document is built and recorded, never across a call to SEFAZ (the outbox does that after commit).
 */
export async function reserveDocumentNumber(tx: Db, ref: SeriesRef): Promise<Result<number>> {
  if (
    !fiscalModels.includes(ref.model) ||
    !Number.isInteger(ref.series) ||
    ref.series < 0 ||
    ref.series > MAX_SERIES
  )
    return fail('invalid', 'FISCAL.SERIES_INVALID', 'Modelo ou série inválidos.', {
      data: { model: ref.model, series: ref.series },
    });
  const number = await store.nextNumber(tx, ref.storeId, ref.model, ref.series);
  if (number === undefined)
    return fail(
      'conflict',
      'FISCAL.SERIES_EXHAUSTED',
      'A série chegou ao último número; configure outra série.',
      {
        data: { model: ref.model, series: ref.series },
      },
    );
  return ok(number);
}

export interface RecordDocument extends SeriesRef {
  networkId: string;
  number: number;
  accessKey: string;
  status: FiscalDocumentStatus;
  purpose: FiscalPurpose;
  referenceType: string;
  referenceId: string;
  xml: string;
}

/** Stores a document whose number came from `reserveDocumentNumber`; its access key must say the same. */
export async function recordDocument(
  tx: Db,
  input: RecordDocument,
): Promise<Result<store.FiscalDocumentRow>> {
  const key = parseAccessKey(input.accessKey);
  if (!key.ok) return key;
  const k = key.value;
  if (Number(k.model) !== input.model || k.series !== input.series || k.number !== input.number)
    return fail(
      'invalid',
      'FISCAL.ACCESS_KEY_MISMATCH',
      'A chave de acesso não corresponde ao modelo, série e número.',
      {
        data: { accessKey: input.accessKey, model: input.model, series: input.series, number: input.number },
      },
    );
  const row = await store.insertDocument(tx, {
    id: randomUUID(),
    networkId: input.networkId,
    storeId: input.storeId,
    model: input.model,
    series: input.series,
    number: input.number,
    accessKey: input.accessKey,
    numericCode: k.numericCode,
    status: input.status,
    purpose: input.purpose,
    referenceType: input.referenceType,
    referenceId: input.referenceId,
    xml: input.xml,
  });
  // Rejection 539 (duplicidade de NF-e) caught before SEFAZ sees it.
  if (!row)
    return fail(
      'conflict',
      'FISCAL.DOCUMENT_DUPLICATE',
      'Já existe uma nota com este número ou chave de acesso.',
      {
        data: { model: input.model, series: input.series, number: input.number, accessKey: input.accessKey },
      },
    );
  return ok(row);
}

export async function getDocument(db: Db, id: string): Promise<store.FiscalDocumentRow | undefined> {
  return store.findDocument(db, id);
}

export async function documentsFor(
  db: Db,
  referenceType: string,
  referenceId: string,
): Promise<store.FiscalDocumentRow[]> {
  return store.documentsFor(db, referenceType, referenceId);
}
