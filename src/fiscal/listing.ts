/**
 * The fiscal documents screen ("Fiscal → Notas Fiscais", seed 000 §4.2 step 9): every document of the
 * stores a reader sees, filtered and paged newest first; and asking SEFAZ what it holds under a
 * document's key (NFeConsultaProtocolo4), next to what we hold.
 */

import { and, desc, eq, gte, ilike, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { nextDay, startOfDay } from '../platform/format-br.ts';
import { enqueue } from '../platform/jobs/service.ts';
import { fromCents } from '../platform/money.ts';
import { decodeCursor, encodeCursor, type Page } from '../platform/pagination.ts';
import { AUTHORISE_QUEUE, type AuthorizerFor, SefazFault, type SefazFaultKind } from './authorizer/index.ts';
import { documentNotFound } from './documents.ts';
import {
  computeDocument,
  documentFromJson,
  type FiscalDocumentStatus,
  type FiscalPurpose,
} from './domain.ts';
import { formatAccessKey } from './printing/index.ts';
import { fiscalDocuments } from './schema.ts';
import * as store from './store.ts';

export interface DocumentListQuery {
  storeCode?: readonly string[];
  model?: 55 | 65;
  status?: readonly FiscalDocumentStatus[];
  purpose?: readonly FiscalPurpose[];
  /** São Paulo days (YYYY-MM-DD), both included: the day the document was issued. */
  from?: string;
  to?: string;
  number?: number;
  series?: number;
  /** The whole key, or its first digits (a key read off a DANFE as far as it is legible). */
  accessKey?: string;
  /** Part of the recipient's name, or their CPF/CNPJ (digits). */
  q?: string;
  cursor?: string;
  limit?: number;
}

export interface DocumentListItem {
  id: string;
  storeCode: string;
  storeName: string;
  model: 55 | 65;
  series: number;
  number: number;
  accessKey: string;
  formattedAccessKey: string;
  status: FiscalDocumentStatus;
  purpose: FiscalPurpose;
  /** What it invoices; `label` as printed in infCpl ("Pedido 42 (EXT-1)"), when the document says. */
  reference: { type: string; id: string; label: string | null };
  recipient: { name: string; document: string } | null;
  /** vNF, "332.72"; null when the stored document cannot be totalled (it never should). */
  total: string | null;
  issuedAt: string;
  authorisedAt: string | null;
  cancelledAt: string | null;
  protocol: string | null;
  rejection: { code: number; reason: string } | null;
  /** Issued in offline contingency and not yet authorised: the deadline to transmit it. */
  transmitBy: string | null;
}

const MAX_DAYS = 366;
const KEY_PREFIX = /^[0-9]{1,44}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
/** timestamptz as PostgreSQL prints it: "2026-12-06 12:35:01.123456+00". */
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?([+-][0-9]{2}(:?[0-9]{2})?|Z)$/;

const invalid = (path: string, code: string, message: string, params?: Record<string, unknown>) =>
  fail('invalid', 'FISCAL.INVALID_QUERY', 'The fiscal document filters are not valid.', {
    errors: [{ path, code, message, ...(params ? { params } : {}) }],
  });

const validDay = (value: string) =>
  DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

/** The cursor: the last row's created_at as PostgreSQL prints it (microseconds kept) and its id. */
function cursorKey(value: unknown[] | null): { at: string; id: string } | null | 'invalid' {
  if (value === null) return null;
  const [at, id] = value;
  if (typeof at !== 'string' || typeof id !== 'string') return 'invalid';
  if (!TIMESTAMP.test(at) || !UUID.test(id) || !validDay(at.slice(0, 10))) return 'invalid';
  // PostgreSQL would refuse 24:61 as an error of ours; refused here as a bad cursor.
  if (Number.isNaN(Date.parse(at.replace(' ', 'T').replace(/([+-][0-9]{2})$/, '$1:00')))) return 'invalid';
  return { at, id };
}

interface Parsed {
  conditions: SQL[];
  after: { at: string; id: string } | null;
}

function parseFilters(q: DocumentListQuery): Result<Parsed> {
  const conditions: SQL[] = [];
  const decoded = decodeCursor(q.cursor);
  if (!decoded.ok) return decoded;
  const after = cursorKey(decoded.value);
  if (after === 'invalid') return invalid('/cursor', 'REQUEST.CURSOR_INVALID', 'is not a valid cursor');

  if (q.from !== undefined && !validDay(q.from))
    return invalid('/from', 'FISCAL.DATE_INVALID', 'is not a date (YYYY-MM-DD)');
  if (q.to !== undefined && !validDay(q.to))
    return invalid('/to', 'FISCAL.DATE_INVALID', 'is not a date (YYYY-MM-DD)');
  if (q.from && q.to) {
    if (q.to < q.from) return invalid('/to', 'FISCAL.DATE_RANGE', 'is before from');
    const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
    if (days >= MAX_DAYS)
      return invalid('/to', 'FISCAL.DATE_RANGE_TOO_LONG', `spans more than ${MAX_DAYS} days`, {
        max: MAX_DAYS,
      });
  }
  if (q.from) conditions.push(gte(fiscalDocuments.createdAt, startOfDay(q.from)));
  if (q.to) conditions.push(lt(fiscalDocuments.createdAt, startOfDay(nextDay(q.to))));

  if (q.accessKey !== undefined) {
    const key = q.accessKey.replace(/\s/g, '');
    if (!KEY_PREFIX.test(key))
      return invalid('/accessKey', 'FISCAL.ACCESS_KEY_INVALID', 'is not an access key or its first digits');
    // A prefix as a range of the unique index on the key: every key starting with it lies in between.
    if (key.length === 44) conditions.push(eq(fiscalDocuments.accessKey, key));
    else
      conditions.push(
        gte(fiscalDocuments.accessKey, key.padEnd(44, '0')),
        lte(fiscalDocuments.accessKey, key.padEnd(44, '9')),
      );
  }
  if (q.model !== undefined) conditions.push(eq(fiscalDocuments.model, q.model));
  if (q.status?.length) conditions.push(inArray(fiscalDocuments.status, [...q.status]));
  if (q.purpose?.length) conditions.push(inArray(fiscalDocuments.purpose, [...q.purpose]));
  if (q.number !== undefined) conditions.push(eq(fiscalDocuments.number, q.number));
  if (q.series !== undefined) conditions.push(eq(fiscalDocuments.series, q.series));
  const text = q.q?.trim();
  if (text) {
    const recipient = sql`${fiscalDocuments.content} -> 'document' -> 'recipient'`;
    const digits = text.replace(/[.\-/\s]/g, '');
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const byName = ilike(sql`${recipient} ->> 'name'`, like);
    conditions.push(
      /^[0-9A-Za-z]{11,14}$/.test(digits) && /[0-9]/.test(digits)
        ? (or(byName, eq(sql`upper(${recipient} -> 'document' ->> 'number')`, digits.toUpperCase())) as SQL)
        : byName,
    );
  }
  return ok({ conditions, after });
}

interface Content {
  document?: {
    recipient?: { name?: string; document?: { number?: string } };
    additionalInfo?: { forTaxpayer?: string };
  };
}

/** The first part of infCpl names what the document invoices ("Pedido 42 (EXT-1)"); the rest are notices. */
const referenceLabel = (content: Content): string | null =>
  content.document?.additionalInfo?.forTaxpayer?.split(' - ')[0]?.trim() || null;

function totalOf(content: unknown): string | null {
  try {
    const computed = computeDocument(documentFromJson((content as { document: unknown }).document));
    return computed.ok ? fromCents(computed.value.totals.total) : null;
  } catch {
    return null;
  }
}

function itemOf(
  row: store.FiscalDocumentRow,
  place: { code: string; name: string } | undefined,
): DocumentListItem {
  const content = (row.content ?? {}) as Content;
  const recipient = content.document?.recipient;
  return {
    id: row.id,
    storeCode: place?.code ?? '',
    storeName: place?.name ?? '',
    model: row.model as 55 | 65,
    series: row.series,
    number: row.number,
    accessKey: row.accessKey,
    formattedAccessKey: formatAccessKey(row.accessKey),
    status: row.status,
    purpose: row.purpose,
    reference: { type: row.referenceType, id: row.referenceId, label: referenceLabel(content) },
    recipient: recipient?.name ? { name: recipient.name, document: recipient.document?.number ?? '' } : null,
    total: totalOf(row.content),
    issuedAt: row.createdAt.toISOString(),
    authorisedAt: row.authorisedAt?.toISOString() ?? null,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    protocol: row.protocol,
    rejection:
      row.rejectionCode === null ? null : { code: row.rejectionCode, reason: row.rejectionReason ?? '' },
    transmitBy: row.status === 'contingency' ? (row.transmitBy?.toISOString() ?? null) : null,
  };
}

/**
 * The documents of the stores the reader sees (a store user its store, a central its stores, admins
 * all), newest first, a keyset page at a time. A store code the reader does not see is a 404, as the
 * document itself would be.
 */
export async function listDocuments(
  db: Db,
  reader: network.Viewer,
  query: DocumentListQuery,
): Promise<Result<Page<DocumentListItem>>> {
  const parsed = parseFilters(query);
  if (!parsed.ok) return parsed;
  const codes = [...new Set(query.storeCode ?? [])];
  const stores = await network.storesWithin(db, reader, codes.length ? codes : undefined);
  const missing = codes.filter((c) => !stores.some((s) => s.code === c));
  if (missing.length)
    return fail(
      'not_found',
      'NETWORK.STORE_NOT_FOUND',
      `There is no store ${missing.join(', ')} visible to you.`,
    );
  if (stores.length === 0) return ok({ items: [], nextCursor: null });
  const limit = query.limit ?? 50;
  const { conditions, after } = parsed.value;
  if (after)
    conditions.push(
      sql`(${fiscalDocuments.createdAt}, ${fiscalDocuments.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`,
    );
  const found = await db
    .select({ row: fiscalDocuments, at: sql<string>`${fiscalDocuments.createdAt}::text` })
    .from(fiscalDocuments)
    .where(
      and(
        inArray(
          fiscalDocuments.storeId,
          stores.map((s) => s.id),
        ),
        ...conditions,
      ),
    )
    .orderBy(desc(fiscalDocuments.createdAt), desc(fiscalDocuments.id))
    .limit(limit + 1);
  const byId = new Map(stores.map((s) => [s.id, s]));
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return ok({
    items: page.map(({ row }) => itemOf(row, byId.get(row.storeId))),
    nextCursor: found.length > limit && last ? encodeCursor([last.at, last.row.id]) : null,
  });
}

/** What SEFAZ says of a key, in our words: the status it implies for our document. */
export type SefazView = 'authorised' | 'cancelled' | 'denied' | 'not_found' | 'refused';

export type Consultation =
  | {
      ok: true;
      ours: { status: FiscalDocumentStatus; protocol: string | null };
      sefaz: {
        view: SefazView;
        /** cStat: 100/150 authorised, 101 cancelled, 110/301/302 denied, 217 not found, else a refusal. */
        status: number;
        reason: string;
        protocol: string | null;
        at: string | null;
      };
      /** Whether our status says what SEFAZ says; null while ours is still on its way to SEFAZ. */
      agrees: boolean | null;
      /** SEFAZ authorised a document we still send: its authorisation job was queued to adopt it. */
      queued: boolean;
      consultedAt: string;
    }
  | { ok: false; kind: SefazFaultKind; message: string };

/** SEFAZ's cStat 101 "Cancelamento de NF-e homologado", which the port folds into the authorisation. */
const CANCELLED = 101;

function agreement(ours: FiscalDocumentStatus, sefaz: SefazView): boolean | null {
  if (sefaz === 'refused') return null;
  if (ours === 'sending' || ours === 'contingency') return sefaz === 'not_found' ? null : false;
  if (sefaz === 'authorised' || sefaz === 'cancelled') return ours === sefaz;
  // A rejected document is not kept by SEFAZ; a denied one is kept under its number (cStat 110/301/302).
  return ours === 'rejected';
}

/**
 * Asks the store's authoriser what it holds under the document's key, outside any transaction. When
 * SEFAZ authorised a document we still hold as sending (its answer was lost), the authorisation job is
 * queued now: the job consults again and adopts the protocol in its own transaction, with the reference
 * told once, so nothing is written here. A fault is an answer too (`ok: false`), not an error.
 */
export async function consultDocument(
  db: Db,
  authorizerFor: AuthorizerFor,
  reader: network.Viewer,
  id: string,
  now: () => Date = () => new Date(),
): Promise<Result<Consultation>> {
  const doc = await store.findDocument(db, id);
  if (!doc) return documentNotFound(id);
  const place = await network.getNodeById(db, doc.storeId);
  if (!place || !network.isWithin(place.path, reader.nodePath)) return documentNotFound(id);

  let answer: Awaited<ReturnType<Awaited<ReturnType<AuthorizerFor>>['consult']>>;
  try {
    const authorizer = await authorizerFor(doc.storeId);
    answer = await authorizer.consult(doc.accessKey, doc.xml);
  } catch (fault) {
    if (fault instanceof SefazFault) return ok({ ok: false, kind: fault.kind, message: fault.message });
    return ok({
      ok: false,
      kind: 'unreachable',
      message: fault instanceof Error ? fault.message : String(fault),
    });
  }
  const sefaz =
    answer.outcome === 'authorized'
      ? answer.cancelledProtocol
        ? {
            view: 'cancelled' as const,
            status: CANCELLED,
            reason: 'Cancelamento de NF-e homologado',
            protocol: answer.cancelledProtocol,
            at: null,
          }
        : {
            view: 'authorised' as const,
            status: answer.status,
            reason: answer.reason,
            protocol: answer.protocol,
            at: answer.receivedAt.toISOString(),
          }
      : answer.outcome === 'denied'
        ? {
            view: 'denied' as const,
            status: answer.status,
            reason: answer.reason,
            protocol: answer.protocol,
            at: answer.receivedAt.toISOString(),
          }
        : answer.outcome === 'not_found'
          ? {
              view: 'not_found' as const,
              status: answer.status,
              reason: answer.reason,
              protocol: null,
              at: null,
            }
          : {
              view: 'refused' as const,
              status: answer.status,
              reason: answer.reason,
              protocol: null,
              at: null,
            };

  let queued = false;
  if (sefaz.view === 'authorised' && (doc.status === 'sending' || doc.status === 'contingency')) {
    const done = await transaction(db, async (tx) => {
      const row = await store.findDocument(tx, doc.id, true);
      if (row?.status !== 'sending' && row?.status !== 'contingency') return ok(false);
      await enqueue(
        tx,
        AUTHORISE_QUEUE,
        { documentId: row.id },
        { ownerNodeId: row.storeId, maxAttempts: 10 },
      );
      return ok(true);
    });
    queued = done.ok && done.value;
  }
  return ok({
    ok: true,
    ours: { status: doc.status, protocol: doc.protocol },
    sefaz,
    agrees: agreement(doc.status, sefaz.view),
    queued,
    consultedAt: now().toISOString(),
  });
}
