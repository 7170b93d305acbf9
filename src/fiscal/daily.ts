/**
 * The fiscal documents of some stores on one São Paulo day, as the daily closing reconciles them with the
 * money: what each document refers to, its total and where it stands. A document counts on the day it was
 * authorised (or issued, for one in contingency), and again on the day it was cancelled.
 */
import { and, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/db/index.ts';
import { nextDay, startOfDay } from '../platform/format-br.ts';
import { fromCents } from '../platform/money.ts';
import {
  computeDocument,
  documentFromJson,
  type FiscalDocumentStatus,
  type FiscalPurpose,
} from './domain.ts';
import { fiscalDocuments } from './schema.ts';

export interface DailyFiscalDocument {
  id: string;
  storeId: string;
  model: 55 | 65;
  number: number;
  accessKey: string;
  status: FiscalDocumentStatus;
  purpose: FiscalPurpose;
  referenceType: string;
  referenceId: string;
  /** NFref: the documents it refers to (a return NF-e names the sale it reverses). */
  referencedKeys: string[];
  /** vNF, "199.90"; null when the stored document cannot be totalled (it never should). */
  total: string | null;
  issuedAt: Date;
  authorisedAt: Date | null;
  cancelledAt: Date | null;
}

function totalOf(content: unknown): string | null {
  try {
    const computed = computeDocument(documentFromJson((content as { document: unknown }).document));
    return computed.ok ? fromCents(computed.value.totals.total) : null;
  } catch {
    return null;
  }
}

/**
 * The documents of the stores with the given reference types that were issued, authorised or cancelled on
 * `day` (YYYY-MM-DD, São Paulo). The caller decides which of those dates it counts.
 */
export async function documentsOfDay(
  db: Db,
  storeIds: readonly string[],
  day: string,
  referenceTypes: readonly string[],
): Promise<DailyFiscalDocument[]> {
  if (storeIds.length === 0 || referenceTypes.length === 0) return [];
  const from = startOfDay(day);
  const to = startOfDay(nextDay(day));
  const within = (column: AnyPgColumn) => and(gte(column, from), lt(column, to));
  const found = await db
    .select()
    .from(fiscalDocuments)
    .where(
      and(
        inArray(fiscalDocuments.storeId, [...storeIds]),
        inArray(fiscalDocuments.referenceType, [...referenceTypes]),
        or(
          within(fiscalDocuments.createdAt),
          within(fiscalDocuments.authorisedAt),
          within(fiscalDocuments.cancelledAt),
        ),
      ),
    )
    .orderBy(fiscalDocuments.createdAt, sql`${fiscalDocuments.id}`);
  return found.map((row) => {
    const content = row.content as { document?: { referencedKeys?: string[] } } | null;
    return {
      id: row.id,
      storeId: row.storeId,
      model: row.model as 55 | 65,
      number: row.number,
      accessKey: row.accessKey,
      status: row.status,
      purpose: row.purpose,
      referenceType: row.referenceType,
      referenceId: row.referenceId,
      referencedKeys: [...(content?.document?.referencedKeys ?? [])],
      total: totalOf(row.content),
      issuedAt: row.createdAt,
      authorisedAt: row.authorisedAt,
      cancelledAt: row.cancelledAt,
    };
  });
}

/** The documents with these access keys (a return's original sale), whatever their day. */
export async function documentsByKeys(
  db: Db,
  keys: readonly string[],
): Promise<{ accessKey: string; referenceType: string; referenceId: string }[]> {
  if (keys.length === 0) return [];
  return db
    .select({
      accessKey: fiscalDocuments.accessKey,
      referenceType: fiscalDocuments.referenceType,
      referenceId: fiscalDocuments.referenceId,
    })
    .from(fiscalDocuments)
    .where(inArray(fiscalDocuments.accessKey, [...keys]));
}
