/**
 * The fiscal records: numbering (a store's number per model and series, gap-free), the record of an
 * issued document, and the fiscal operations (CFOP and natOp) per node. Both run inside the caller's transaction, so the number, the document and
 * whatever the document is for (an order's invoicing, a transfer) commit or roll back together.
 */
import { randomUUID } from 'node:crypto';
import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { pgErrorCode } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { type Actor, admins } from '../platform/http/access.ts';
import {
  type FiscalDocumentStatus,
  type FiscalModel,
  type FiscalPurpose,
  fiscalModels,
  MAX_SERIES,
} from './domain.ts';
import {
  type FiscalOperation,
  fiscalOperations,
  type OperationConfig,
  operationDirection,
  resolveOperationConfig,
  validateOperationConfig,
} from './operations.ts';
import * as store from './store.ts';
import { parseAccessKey } from './xml/index.ts';

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
  /** The domain document the XML was built from (`documentToJson`) and the NFC-e's supplement. */
  content: unknown;
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
    content: input.content,
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

/** The node whose setting applies; null: the built-in default. */
export interface OperationSource {
  nodeCode: string;
  kind: network.NodeIdentity['kind'];
}

export interface EffectiveOperation extends OperationConfig {
  operation: FiscalOperation;
  direction: 'entry' | 'exit';
  source: OperationSource | null;
}

/** Who changes fiscal operations: a principal with its node. */
/** An admin changing fiscal operations; the audit log names it. */
export type OperationEditor = network.Viewer & { id: string; actor: Actor } & audit.Who;

async function heldOperation(db: Db, nodeId: string, operation: FiscalOperation) {
  return (await store.operationsOn(db, [nodeId], operation)).get(nodeId)?.[operation] ?? null;
}

const operationTarget = (operation: FiscalOperation, node: network.NetworkNode) => ({
  type: 'fiscal_operation',
  id: `${operation}@${node.code}`,
  label: operation,
});

async function effectiveOperations(
  db: Db,
  nodeId: string,
  only?: FiscalOperation,
): Promise<EffectiveOperation[]> {
  const chain = await network.lineage(db, nodeId);
  const held = await store.operationsOn(
    db,
    chain.map((n) => n.id),
    only,
  );
  return (only ? [only] : fiscalOperations).map((operation) => {
    const { config, source } = resolveOperationConfig(
      operation,
      chain.map((node) => ({ node, config: held.get(node.id)?.[operation] })),
    );
    return {
      operation,
      direction: operationDirection[operation],
      ...config,
      source: source && { nodeCode: source.code, kind: source.kind },
    };
  });
}

/**
 * The CFOPs and natOp of an operation at a store (by id), for invoicing: nearest node wins (store →
 * central → network), else the default. Pass the result to `cfopFor` with the document's parties.
 */
export async function resolveOperation(
  db: Db,
  storeId: string,
  operation: FiscalOperation,
): Promise<EffectiveOperation> {
  const [effective] = await effectiveOperations(db, storeId, operation);
  return effective!;
}

/** Every operation's effective setting at a node the viewer can see, with where each comes from. */
export async function listOperations(
  db: Db,
  viewer: network.Viewer,
  nodeCode: string,
): Promise<Result<EffectiveOperation[]>> {
  const node = await network.getNode(db, viewer, nodeCode);
  if (!node.ok) return node;
  return ok(await effectiveOperations(db, node.value.id));
}

async function editableNode(
  db: Db,
  editor: OperationEditor,
  nodeCode: string,
): Promise<Result<network.NetworkNode>> {
  if (!admins.includes(editor.actor))
    return fail('forbidden', 'FISCAL.NOT_ADMIN', 'Only network and central admins change fiscal operations.');
  const node = await network.getNode(db, editor, nodeCode);
  if (!node.ok) return node;
  if (!network.isWithin(node.value.path, editor.nodePath))
    return fail(
      'forbidden',
      'FISCAL.NOT_MANAGER',
      `Fiscal operations of ${nodeCode} are managed above you; you may change them at your node or below it.`,
    );
  return node;
}

/** Sets an operation's CFOPs and natOp at a node; the nodes below inherit them unless they set their own. */
export async function setOperation(
  db: Db,
  editor: OperationEditor,
  nodeCode: string,
  operation: FiscalOperation,
  config: OperationConfig,
): Promise<Result<EffectiveOperation>> {
  const node = await editableNode(db, editor, nodeCode);
  if (!node.ok) return node;
  const errors = validateOperationConfig(operation, config);
  if (errors.length)
    return fail('invalid', 'FISCAL.INVALID_OPERATION', `The CFOPs or natOp do not fit ${operation}.`, {
      errors,
      data: { operation, direction: operationDirection[operation] },
    });
  const after: OperationConfig = { ...config, natOp: config.natOp.trim() };
  return transaction(db, async (tx) => {
    const before = await heldOperation(tx, node.value.id, operation);
    try {
      await store.upsertOperation(tx, { nodeId: node.value.id, operation, updatedBy: editor.id, ...after });
    } catch (error) {
      // The node was removed between the check and the write.
      if (pgErrorCode(error) === '23503')
        return fail('not_found', 'NETWORK.NODE_NOT_FOUND', `There is no node ${nodeCode} visible to you.`);
      throw error;
    }
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await audit.record(tx, editor, audit.scopeOf(node.value), {
        action: 'fiscal_operation.set',
        target: operationTarget(operation, node.value),
        before: before && { ...before },
        after: { ...after },
      });
    }
    const [effective] = await effectiveOperations(tx, node.value.id, operation);
    return ok(effective!);
  });
}

/** Removes the setting held at a node, which inherits again; removing an absent one is not an error. */
export async function removeOperation(
  db: Db,
  editor: OperationEditor,
  nodeCode: string,
  operation: FiscalOperation,
): Promise<Result<EffectiveOperation>> {
  const node = await editableNode(db, editor, nodeCode);
  if (!node.ok) return node;
  return transaction(db, async (tx) => {
    const before = await heldOperation(tx, node.value.id, operation);
    if (before) {
      await store.deleteOperation(tx, node.value.id, operation);
      await audit.record(tx, editor, audit.scopeOf(node.value), {
        action: 'fiscal_operation.cleared',
        target: operationTarget(operation, node.value),
        before: { ...before },
        after: null,
      });
    }
    const [effective] = await effectiveOperations(tx, node.value.id, operation);
    return ok(effective!);
  });
}
