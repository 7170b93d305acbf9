/**
 * Issuing a return's NF-e de entrada (return-document.ts) for a reference owned by another context (a POS
 * return of an order), inside the caller's transaction: numbered in the store's NF-e series (parameter
 * 9259, model 55), signed, schema-valid, recorded as `sending` and queued for SEFAZ like every document.
 */
import * as catalog from '../catalog/service.ts';
import * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, type Result } from '../platform/errors.ts';
import { computeDocument } from './domain.ts';
import {
  type Issued,
  type IssuingDeps,
  inStoreContingency,
  numberFor,
  queueForSefaz,
  type Slot,
  signAndValidate,
} from './issuing.ts';
import * as records from './records.ts';
import { returnDocument } from './return-document.ts';
import type { SaleFacts } from './sale-document.ts';
import { signingMaterial } from './settings.ts';

export interface ReturnInput {
  /** What the document is for (the return), for SEFAZ's answers and the document's listing. */
  reference: { type: string; id: string };
  storeId: string;
  networkId: string;
  /** The access key of the NF-e or NFC-e that sold the goods. */
  originalKey: string;
  customer: SaleFacts['customer'];
  /** The goods back, at their sale's unit price with their share of its discount ("59.90"). */
  lines: readonly {
    productId: string;
    sku: string;
    description: string;
    quantity: number;
    unitPrice: string;
    discount: string;
  }[];
  /** Printed in infCpl: the order and the reason. */
  note: string;
}

export async function issueReturn(tx: Db, deps: IssuingDeps, input: ReturnInput): Promise<Result<Issued>> {
  const series = (await parameters.resolve(tx, input.storeId, '9259')).value;
  if (series == null)
    return fail(
      'invalid',
      'FISCAL.SERIES_MISSING',
      "Parameter 9259 (series of omni documents) is not set for the store: set it in the store's parameters.",
      { data: { parameter: '9259' } },
    );
  const emitter = await network.getNodeById(tx, input.storeId);
  if (!emitter) throw new Error(`${input.reference.type} ${input.reference.id}: its store is gone`);
  const material = await signingMaterial(tx, input.storeId, deps.secretKey);
  if (!material.ok) return material;
  const products = new Map(
    (
      await catalog.productsById(
        tx,
        input.lines.map((l) => l.productId),
      )
    ).map((p) => [p.id, p]),
  );
  const slot: Slot = {
    storeId: input.storeId,
    model: 55,
    series: Number(series),
    referenceType: input.reference.type,
    referenceId: input.reference.id,
  };
  const numbered = await numberFor(tx, slot);
  if (!numbered.ok) return numbered;
  const { number, numericCode, previous } = numbered.value;
  const document = returnDocument({
    environment: material.value.environment,
    series: slot.series,
    number,
    numericCode,
    issuedAt: (deps.clock ?? (() => new Date()))(),
    operationConfig: await records.resolveOperation(tx, input.storeId, 'customer_return'),
    emitter,
    tax: material.value,
    customer: input.customer,
    lines: input.lines.map(({ productId, ...line }) => ({ ...line, product: products.get(productId) })),
    originalKey: input.originalKey,
    note: input.note,
  });
  if (!document.ok) return document;
  const computed = computeDocument(document.value);
  if (!computed.ok) return computed;
  const issued = await inStoreContingency(tx, input.storeId, document.value);
  const signed = await signAndValidate(issued, material.value);
  if (!signed.ok) return signed;
  return queueForSefaz(
    tx,
    { ...slot, networkId: input.networkId, number, purpose: 'customer_return' },
    previous,
    issued,
    signed.value,
  );
}
