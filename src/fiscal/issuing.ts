/**
 * Issuing: a sale's NF-e (ship from store) or NFC-e (POS) and a transfer's NF-e, built, signed and
 * validated inside the caller's transaction, then handed to SEFAZ by the outbox worker, whose answer goes
 * to the handlers of the document's reference (references.ts). Issuing again for a reference reuses its
 * rejected document's number, so a rejection leaves no gap in the series.
 */
import { randomInt } from 'node:crypto';
import * as catalog from '../catalog/service.ts';
import * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { enqueue } from '../platform/jobs/service.ts';
import { AUTHORISE_QUEUE } from './authorizer/index.ts';
import { computeDocument, documentToJson, type FiscalDocument, type FiscalPurpose } from './domain.ts';
import { numberVoided } from './numbering/index.ts';
import { cfopFor, type FiscalOperation } from './operations.ts';
import * as service from './records.ts';
import { type SaleFacts, saleDocument, totalsMismatch, transferDocument } from './sale-document.ts';
import { signingMaterial } from './settings.ts';
import { type IssuingDeps, signAndValidate } from './signing.ts';
import * as store from './store.ts';
import { svcEmission } from './svc/index.ts';
import { generateNumericCode, type NfceSupplement } from './xml/index.ts';

export { type IssuingDeps, signAndValidate };

export interface Issued {
  documentId: string;
}

/** A sale to document: what it is for, where it is sold from, and its facts (lines, values, customer). */
export interface SaleInput {
  model: '55' | '65';
  operation: FiscalOperation;
  /** NFC-e: the document printed on the receipt at the customer's request. */
  recipientDocument?: string;
  reference: { type: string; id: string };
  storeId: string;
  networkId: string;
  /** Each line names its product, whose EAN, NCM and unit come from the catalog. */
  sale: Omit<SaleFacts, 'items'> & {
    items: readonly (Omit<SaleFacts['items'][number], 'product'> & { productId: string })[];
  };
}

export interface Slot {
  storeId: string;
  model: 55 | 65;
  series: number;
  referenceType: string;
  referenceId: string;
}

/**
 * The number a document is issued under: its rejected attempt's (a rejection does not use the number up,
 * so issuing again keeps the series without gaps), else the series' next.
 */
export async function numberFor(
  tx: Db,
  slot: Slot,
): Promise<Result<{ number: number; numericCode: string; previous?: store.FiscalDocumentRow }>> {
  const rejected = (await store.documentsFor(tx, slot.referenceType, slot.referenceId)).filter(
    (d) =>
      d.status === 'rejected' &&
      d.storeId === slot.storeId &&
      d.model === slot.model &&
      d.series === slot.series,
  );
  // A rejected document whose number was voided (inutilização) is abandoned: that number is gone.
  for (const previous of rejected)
    if (!(await numberVoided(tx, slot, previous.number)))
      return ok({ number: previous.number, numericCode: previous.numericCode, previous });
  const reserved = await service.reserveDocumentNumber(tx, slot);
  if (!reserved.ok) return reserved;
  return ok({ number: reserved.value, numericCode: generateNumericCode(reserved.value, randomInt) });
}

/**
 * The NF-e of a store in SVC contingency is issued in it (tpEmis 6/7, dhCont and xJust of the mode);
 * an NFC-e, or an NF-e of a store not in contingency, as it is.
 */
export async function inStoreContingency(
  tx: Db,
  storeId: string,
  document: FiscalDocument,
): Promise<FiscalDocument> {
  if (document.model !== '55' || document.contingency) return document;
  const contingency = await svcEmission(tx, storeId);
  return contingency ? { ...document, contingency } : document;
}

/**
 * Records the signed document as `sending` (over its rejected attempt, if any) and queues it for SEFAZ; with
 * `hold` (manual transmission, TP_ENVIO_NFE_AUTOMATIC 0 or 2) records it as `unsent` and queues nothing:
 * `transmitDocument` sends it when someone presses "Transmitir".
 */
export async function queueForSefaz(
  tx: Db,
  slot: Slot & { networkId: string; number: number; purpose: FiscalPurpose },
  previous: store.FiscalDocumentRow | undefined,
  document: FiscalDocument,
  signed: { xml: string; accessKey: string; supplement: NfceSupplement | null },
  hold = false,
): Promise<Result<Issued>> {
  const fields = {
    accessKey: signed.accessKey,
    numericCode: document.numericCode,
    status: hold ? ('unsent' as const) : ('sending' as const),
    xml: signed.xml,
    content: { document: documentToJson(document), supplement: signed.supplement },
    rejectionCode: null,
    rejectionReason: null,
  };
  let documentId: string;
  if (previous) {
    await store.updateDocument(tx, previous, fields);
    documentId = previous.id;
  } else {
    const recorded = await service.recordDocument(tx, { ...slot, ...fields });
    if (!recorded.ok) return recorded;
    documentId = recorded.value.id;
  }
  if (!hold)
    await enqueue(tx, AUTHORISE_QUEUE, { documentId }, { ownerNodeId: slot.storeId, maxAttempts: 10 });
  return ok({ documentId });
}

/**
 * TP_ENVIO_NFE_AUTOMATIC: 1 and 3 transmit a sale's NF-e as soon as it is built, 0 and 2 keep it `unsent`
 * until someone transmits it. The NFC-e is always transmitted at once (the customer is at the counter).
 */
export const holdsForManualTransmission = (model: '55' | '65', sending: unknown): boolean =>
  model === '55' && (sending === '0' || sending === '2');

/**
 * "Transmitir": an `unsent` NF-e of a store the reader sees goes to SEFAZ (the outbox job), as an
 * automatically transmitted one would. 409 FISCAL.NOT_UNSENT for any other status.
 */
export function transmitDocument(
  db: Db,
  reader: network.Viewer,
  id: string,
): Promise<Result<{ documentId: string }>> {
  return transaction(db, async (tx) => {
    const doc = await store.findDocument(tx, id, true);
    const place = doc && (await network.getNodeById(tx, doc.storeId));
    if (!doc || !place || !network.isWithin(place.path, reader.nodePath))
      return fail(
        'not_found',
        'FISCAL.DOCUMENT_NOT_FOUND',
        `There is no fiscal document ${id} visible to you.`,
      );
    if (doc.status !== 'unsent')
      return fail(
        'conflict',
        'FISCAL.NOT_UNSENT',
        `The document is ${doc.status}: only a document waiting for transmission is transmitted by hand.`,
        { data: { status: doc.status } },
      );
    await store.updateDocument(tx, doc, { status: 'sending' });
    await enqueue(tx, AUTHORISE_QUEUE, { documentId: doc.id }, { ownerNodeId: doc.storeId, maxAttempts: 10 });
    return ok({ documentId: doc.id });
  });
}

/**
 * Builds, signs and validates a sale's document inside the caller's transaction (which moved what it is
 * for, e.g. the order to `invoicing`), records it as `sending` and queues its authorisation. The document
 * type and series are parameters 9258 and 9259 of the store.
 */
export async function issueSale(tx: Db, deps: IssuingDeps, input: SaleInput): Promise<Result<Issued>> {
  const { storeId, sale } = input;
  const params = await parameters.resolveMany(tx, storeId, ['9258', '9259', 'TP_ENVIO_NFE_AUTOMATIC']);
  if (input.model === '55') {
    if (params['9258'].value == null)
      return fail(
        'invalid',
        'FISCAL.DOCUMENT_TYPE_MISSING',
        "Parameter 9258 (document type of omni orders) is not set for the store: set it to 55 (NF-e) in the store's parameters.",
        { data: { parameter: '9258' } },
      );
    if (params['9258'].value !== '55')
      return fail(
        'invalid',
        'FISCAL.DOCUMENT_TYPE_MISMATCH',
        `Parameter 9258 says model ${params['9258'].value}, but a ship-from-store order is invoiced with an NF-e (55).`,
        { data: { parameter: '9258', value: params['9258'].value } },
      );
  }
  if (params['9259'].value == null)
    return fail(
      'invalid',
      'FISCAL.SERIES_MISSING',
      "Parameter 9259 (series of omni orders) is not set for the store: set it in the store's parameters.",
      { data: { parameter: '9259' } },
    );
  const series = Number(params['9259'].value);

  const emitter = await network.getNodeById(tx, storeId);
  if (!emitter) throw new Error(`${input.reference.type} ${input.reference.id}: its store is gone`);
  const material = await signingMaterial(tx, storeId, deps.secretKey);
  if (!material.ok) return material;
  if (input.model === '65' && !material.value.csc)
    return fail(
      'invalid',
      'FISCAL.CSC_MISSING',
      "The store has no CSC for the NFC-e QR code: an admin sets it in the store's fiscal settings.",
    );
  const products = new Map(
    (
      await catalog.productsById(
        tx,
        sale.items.map((i) => i.productId),
      )
    ).map((p) => [p.id, p]),
  );
  const operationConfig = await service.resolveOperation(tx, storeId, input.operation);

  const slot: Slot = {
    storeId,
    model: Number(input.model) as 55 | 65,
    series,
    referenceType: input.reference.type,
    referenceId: input.reference.id,
  };
  const numbered = await numberFor(tx, slot);
  if (!numbered.ok) return numbered;
  const { number, numericCode, previous } = numbered.value;

  const { items, ...rest } = sale;
  const facts: SaleFacts = {
    ...rest,
    items: items.map(({ productId, ...item }) => ({ ...item, product: products.get(productId) })),
  };
  const document = saleDocument({
    model: input.model,
    environment: material.value.environment,
    series,
    number,
    numericCode,
    issuedAt: (deps.clock ?? (() => new Date()))(),
    operation: input.operation,
    operationConfig,
    emitter,
    tax: material.value,
    order: facts,
    recipientDocument: input.recipientDocument,
  });
  if (!document.ok) return document;
  const computed = computeDocument(document.value);
  if (!computed.ok) return computed;
  const mismatch = totalsMismatch(facts, computed.value.totals);
  if (mismatch.length)
    return fail('invalid', 'FISCAL.ORDER_MISMATCH', 'The document would not carry the order’s values.', {
      errors: mismatch,
    });

  // The content is the document as signed: in SVC, with its contingency (the DANFE shows it).
  const issued = await inStoreContingency(tx, input.storeId, document.value);
  const signed = await signAndValidate(issued, material.value);
  if (!signed.ok) return signed;
  return queueForSefaz(
    tx,
    { ...slot, networkId: input.networkId, number, purpose: 'sale' },
    previous,
    issued,
    signed.value,
    holdsForManualTransmission(input.model, params.TP_ENVIO_NFE_AUTOMATIC.value),
  );
}

export interface TransferInput {
  fromStoreId: string;
  toStoreId: string;
  lines: readonly { productId: string; quantity: number; unitValue?: string }[];
  /** What the goods move for (the split's stock request): the document's reference and its printed words. */
  reference: { type: string; id: string; description: string };
}

/**
 * The transfer NF-e between two stores of the group (CFOP 5152 / 6152), inside the caller's transaction,
 * queued for SEFAZ like a sale's. Goods move at the sending store's price unless the line says otherwise.
 * The receiving store books the entry under `transferEntryCfop` (1152 / 2152) from this same document.
 */
export async function issueTransfer(
  tx: Db,
  deps: IssuingDeps,
  input: TransferInput,
): Promise<Result<Issued>> {
  const from = await network.getNodeById(tx, input.fromStoreId);
  const to = await network.getNodeById(tx, input.toStoreId);
  if (from?.kind !== 'store' || to?.kind !== 'store' || from.id === to.id || from.networkId !== to.networkId)
    return fail(
      'invalid',
      'FISCAL.TRANSFER_PARTIES',
      'A transfer goes from one store to another store of its network.',
    );
  const series = (await parameters.resolve(tx, from.id, '9259')).value;
  if (series == null)
    return fail(
      'invalid',
      'FISCAL.SERIES_MISSING',
      `Parameter 9259 (series of omni documents) is not set for store ${from.code}.`,
      { data: { parameter: '9259', storeCode: from.code } },
    );
  const material = await signingMaterial(tx, from.id, deps.secretKey);
  if (!material.ok) return material;
  const ids = input.lines.map((l) => l.productId);
  const products = await catalog.productsById(tx, ids);
  const prices = await catalog.effectivePrices(tx, from.id, ids);
  const byId = new Map(products.map((p) => [p.id, p]));
  const missing = input.lines.filter((l) => !byId.has(l.productId));
  if (missing.length)
    return fail(
      'invalid',
      'FISCAL.DATA_INCOMPLETE',
      'The transfer names products that are not in the catalog.',
      {
        errors: missing.map((l) => ({
          path: '/lines',
          code: 'FISCAL.PRODUCT_UNKNOWN',
          params: { productId: l.productId },
          message: `no product ${l.productId}`,
        })),
      },
    );
  const slot: Slot = {
    storeId: from.id,
    model: 55,
    series: Number(series),
    referenceType: input.reference.type,
    referenceId: input.reference.id,
  };
  const numbered = await numberFor(tx, slot);
  if (!numbered.ok) return numbered;
  const { number, numericCode, previous } = numbered.value;
  const document = transferDocument({
    environment: material.value.environment,
    series: Number(series),
    number,
    numericCode,
    issuedAt: (deps.clock ?? (() => new Date()))(),
    operationConfig: await service.resolveOperation(tx, from.id, 'transfer_out'),
    from,
    to,
    tax: material.value,
    lines: input.lines.map((line) => {
      const product = byId.get(line.productId)!;
      return {
        sku: product.sku,
        description: product.description,
        quantity: line.quantity,
        unitValue: line.unitValue ?? prices.get(line.productId)?.price ?? '0.00',
        product,
      };
    }),
    reference: input.reference.description,
  });
  if (!document.ok) return document;
  const issued = await inStoreContingency(tx, input.fromStoreId, document.value);
  const signed = await signAndValidate(issued, material.value);
  if (!signed.ok) return signed;
  return queueForSefaz(
    tx,
    { ...slot, networkId: from.networkId, number, purpose: 'transfer_out' },
    previous,
    issued,
    signed.value,
  );
}

/** The CFOP the receiving store books a transfer's entry under (1152 within the state, 2152 across). */
export async function transferEntryCfop(db: Db, toStoreId: string, fromUf: string): Promise<string> {
  const config = await service.resolveOperation(db, toStoreId, 'transfer_in');
  const to = await network.getNodeById(db, toStoreId);
  return cfopFor(
    'transfer_in',
    { emitterUf: fromUf, recipientUf: to?.address?.state ?? fromUf, recipientIsContributor: true },
    config,
  );
}
