import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { rows, toInt } from '../platform/db/sql.ts';
import { canMoveDocument, type FiscalModel, MAX_DOCUMENT_NUMBER } from './domain.ts';
import type { FiscalOperation, OperationConfig } from './operations.ts';
import { fiscalDocuments, fiscalEvents, fiscalOperationSettings, fiscalSeriesCounters } from './schema.ts';

export type FiscalDocumentRow = typeof fiscalDocuments.$inferSelect;
export type NewFiscalDocument = typeof fiscalDocuments.$inferInsert;

/**
 * The series' next number, in one statement. The counter row stays locked until the transaction ends, so
 * concurrent issues are numbered in commit order and a rolled-back one gives its number back. Undefined
 * when the series has used its last number (nNF has nine digits): the store must move to another series.
 */
export async function nextNumber(
  tx: Db,
  storeId: string,
  model: FiscalModel,
  series: number,
): Promise<number | undefined> {
  const [row] = await rows<{ last_number: number }>(
    tx,
    sql`insert into ${fiscalSeriesCounters} (store_id, model, series, last_number)
        values (${storeId}, ${model}, ${series}, 1)
        on conflict (store_id, model, series) do update
          set last_number = ${fiscalSeriesCounters}.last_number + 1
          where ${fiscalSeriesCounters}.last_number < ${MAX_DOCUMENT_NUMBER}
        returning last_number`,
  );
  return row ? toInt(row.last_number) : undefined;
}

/** Inserts the document unless its number or access key is taken (then undefined). */
export async function insertDocument(
  tx: Db,
  values: NewFiscalDocument,
): Promise<FiscalDocumentRow | undefined> {
  const [row] = await tx.insert(fiscalDocuments).values(values).onConflictDoNothing().returning();
  return row;
}

export async function findDocument(db: Db, id: string, lock = false): Promise<FiscalDocumentRow | undefined> {
  const q = db.select().from(fiscalDocuments).where(eq(fiscalDocuments.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function findByAccessKey(db: Db, accessKey: string): Promise<FiscalDocumentRow | undefined> {
  const [row] = await db.select().from(fiscalDocuments).where(eq(fiscalDocuments.accessKey, accessKey));
  return row;
}

/** The documents issued for one order or transfer, oldest first. */
export async function documentsFor(
  db: Db,
  referenceType: string,
  referenceId: string,
): Promise<FiscalDocumentRow[]> {
  return db
    .select()
    .from(fiscalDocuments)
    .where(
      and(eq(fiscalDocuments.referenceType, referenceType), eq(fiscalDocuments.referenceId, referenceId)),
    )
    .orderBy(fiscalDocuments.createdAt, fiscalDocuments.number);
}

/** Operation settings held by these nodes, by node id then operation. */
export async function operationsOn(
  db: Db,
  nodeIds: readonly string[],
  operation?: FiscalOperation,
): Promise<Map<string, Partial<Record<FiscalOperation, OperationConfig>>>> {
  const byNode = new Map<string, Partial<Record<FiscalOperation, OperationConfig>>>();
  if (nodeIds.length === 0) return byNode;
  const found = await db
    .select()
    .from(fiscalOperationSettings)
    .where(
      and(
        inArray(fiscalOperationSettings.nodeId, [...nodeIds]),
        operation ? eq(fiscalOperationSettings.operation, operation) : undefined,
      ),
    );
  for (const row of found) {
    const held = byNode.get(row.nodeId) ?? {};
    held[row.operation] = {
      cfopIntrastate: row.cfopIntrastate,
      cfopInterstate: row.cfopInterstate,
      cfopInterstateNonContributor: row.cfopInterstateNonContributor,
      natOp: row.natOp,
    };
    byNode.set(row.nodeId, held);
  }
  return byNode;
}

export async function upsertOperation(
  db: Db,
  row: { nodeId: string; operation: FiscalOperation; updatedBy: string } & OperationConfig,
): Promise<void> {
  const now = new Date();
  const { nodeId, operation, ...rest } = row;
  await db
    .insert(fiscalOperationSettings)
    .values({ ...row, updatedAt: now })
    .onConflictDoUpdate({
      target: [fiscalOperationSettings.nodeId, fiscalOperationSettings.operation],
      set: { ...rest, updatedAt: now },
    });
}

export async function deleteOperation(db: Db, nodeId: string, operation: FiscalOperation): Promise<void> {
  await db
    .delete(fiscalOperationSettings)
    .where(and(eq(fiscalOperationSettings.nodeId, nodeId), eq(fiscalOperationSettings.operation, operation)));
}

/**
 * Changes a document locked by the caller; a status change must be an edge of the lifecycle
 * (domain.ts `documentTransitions`), anything else is a bug and throws.
 */
export async function updateDocument(
  tx: Db,
  current: Pick<FiscalDocumentRow, 'id' | 'status'>,
  set: Partial<Omit<NewFiscalDocument, 'id'>>,
): Promise<FiscalDocumentRow> {
  const { id, status } = current;
  if (set.status && set.status !== status && !canMoveDocument(status, set.status))
    throw new Error(`fiscal document ${id}: ${status} → ${set.status} is not in the lifecycle`);
  const [row] = await tx
    .update(fiscalDocuments)
    .set({ ...set, updatedAt: new Date(), version: sql`${fiscalDocuments.version} + 1` })
    .where(eq(fiscalDocuments.id, id))
    .returning();
  return row!;
}

/**
 * Documents handed to SEFAZ before `before` that have no answer yet (sending, or issued in contingency)
 * and no job queued or running.
 */
export async function stuckDocuments(db: Db, before: Date, queue: string): Promise<{ id: string }[]> {
  return rows<{ id: string }>(
    db,
    sql`select d.id from fiscal_documents d
        where d.status in ('sending', 'contingency') and d.updated_at < ${before}
          and not exists (select 1 from jobs j where j.queue = ${queue}
                          and j.status in ('queued', 'running') and j.payload->>'documentId' = d.id::text)
        order by d.updated_at limit 100`,
  );
}

export type FiscalEventRow = typeof fiscalEvents.$inferSelect;

export async function insertEvent(tx: Db, values: typeof fiscalEvents.$inferInsert): Promise<FiscalEventRow> {
  const [row] = await tx.insert(fiscalEvents).values(values).returning();
  return row!;
}

export async function findEvent(db: Db, id: string, lock = false): Promise<FiscalEventRow | undefined> {
  const q = db.select().from(fiscalEvents).where(eq(fiscalEvents.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function updateEvent(
  tx: Db,
  id: string,
  set: Partial<Omit<typeof fiscalEvents.$inferInsert, 'id'>>,
): Promise<FiscalEventRow> {
  const [row] = await tx.update(fiscalEvents).set(set).where(eq(fiscalEvents.id, id)).returning();
  return row!;
}

/** A document's events, oldest first. */
export async function eventsOf(db: Db, documentId: string): Promise<FiscalEventRow[]> {
  return db
    .select()
    .from(fiscalEvents)
    .where(eq(fiscalEvents.documentId, documentId))
    .orderBy(fiscalEvents.createdAt, fiscalEvents.id);
}

/** The documents issued in contingency and not authorised (waiting, or refused): the alarm's rows. */
export async function pendingContingency(db: Db): Promise<FiscalDocumentRow[]> {
  return db
    .select()
    .from(fiscalDocuments)
    .where(
      and(
        sql`${fiscalDocuments.contingencyAt} is not null`,
        inArray(fiscalDocuments.status, ['contingency', 'rejected', 'denied']),
      ),
    )
    .orderBy(fiscalDocuments.transmitBy)
    .limit(500);
}

/**
 * Brings forward the queued transmissions of documents in contingency (SEFAZ is back: no need to wait for
 * their backoff). Answers how many.
 */
export async function hurryContingency(db: Db, queue: string): Promise<number> {
  const moved = await rows<{ id: string }>(
    db,
    sql`update jobs set run_at = now()
        where queue = ${queue} and status = 'queued' and run_at > now()
          and payload->>'documentId' in (select id::text from fiscal_documents where status = 'contingency')
        returning id`,
  );
  return moved.length;
}
