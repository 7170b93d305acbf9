/**
 * Issued documents as their readers see them (status, key, XML, DANFE), and their cancellation: event
 * 110111 signed and validated here, registered at SEFAZ by the outbox worker.
 */

import { randomUUID } from 'node:crypto';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Actor } from '../platform/http/access.ts';
import { enqueue } from '../platform/jobs/service.ts';
import { CANCEL_QUEUE, cancellationWindowMs, EVENT_QUEUE } from './authorizer/index.ts';
import { computeDocument, documentFromJson } from './domain.ts';
import type { IssuingDeps } from './issuing.ts';
import { formatAccessKey, renderDanfe, renderNfceReceipt } from './printing/index.ts';
import type { References } from './references.ts';
import { signingMaterial } from './settings.ts';
import * as store from './store.ts';
import {
  buildCancellationEvent,
  buildCorrectionEvent,
  CANCELLATION_EVENT,
  CORRECTION_EVENT,
  CORRECTION_MAX,
  CORRECTION_MIN,
  CORRECTION_SEQUENCE_MAX,
  JUSTIFICATION_MAX,
  JUSTIFICATION_MIN,
  signFiscalXml,
  toLayoutText,
  validateXml,
  verifySignature,
} from './xml/index.ts';

export interface DocumentReader extends network.Viewer {
  id: string;
  actor: Actor;
}

export interface FiscalEventView {
  id: string;
  type: string;
  kind: 'cancellation' | 'correction';
  sequence: number;
  status: 'sending' | 'registered' | 'rejected';
  justification: string;
  text: string;
  protocol: string | null;
  rejection: { code: number; reason: string } | null;
  createdAt: string;
  registeredAt: string | null;
}

export interface FiscalDocumentView {
  id: string;
  model: 55 | 65;
  series: number;
  number: number;
  accessKey: string;
  /** The key in groups of four, as printed on the DANFE. */
  formattedAccessKey: string;
  status: store.FiscalDocumentRow['status'];
  purpose: store.FiscalDocumentRow['purpose'];
  reference: { type: string; id: string };
  storeCode: string;
  protocol: string | null;
  /** cStat and xMotivo of the authorisation (100, or 150 late), as the kept protNFe says. */
  authorisation: { code: number; reason: string } | null;
  rejection: { code: number; reason: string } | null;
  authorisedAt: string | null;
  cancelledAt: string | null;
  /** Issued in offline contingency: when, the deadline to transmit it, and the key it had before. */
  contingency: { at: string; transmitBy: string; onlineAccessKey: string | null } | null;
  createdAt: string;
  /** Whether the XML's signature verifies now (checked on every read). */
  signatureValid: boolean;
  xml: string;
  events: FiscalEventView[];
}

const eventView = (e: store.FiscalEventRow): FiscalEventView => ({
  id: e.id,
  type: e.type,
  kind: e.type === CORRECTION_EVENT ? 'correction' : 'cancellation',
  sequence: e.sequence,
  status: e.status,
  justification: e.justification,
  text: e.justification,
  protocol: e.protocol,
  rejection: e.rejectionCode === null ? null : { code: e.rejectionCode, reason: e.rejectionReason ?? '' },
  createdAt: e.createdAt.toISOString(),
  registeredAt: e.registeredAt?.toISOString() ?? null,
});

/** The protNFe's cStat/xMotivo of an authorised (or cancelled) document: 150 keeps "fora de prazo". */
function authorisationOf(doc: store.FiscalDocumentRow): { code: number; reason: string } | null {
  if (doc.status !== 'authorised' && doc.status !== 'cancelled') return null;
  const prot = doc.xml.slice(doc.xml.lastIndexOf('<infProt'));
  const code = /<cStat>(\d+)<\/cStat>/.exec(prot)?.[1];
  const reason = /<xMotivo>([^<]*)<\/xMotivo>/.exec(prot)?.[1];
  return code && reason !== undefined ? { code: Number(code), reason } : null;
}

export const documentNotFound = (id: string) =>
  fail('not_found', 'FISCAL.DOCUMENT_NOT_FOUND', `There is no fiscal document ${id} visible to you.`);

/** The document if the reader's node is the store's or above it. */
async function visibleDocument(
  db: Db,
  reader: network.Viewer,
  id: string,
  lock = false,
): Promise<Result<{ doc: store.FiscalDocumentRow; storeCode: string }>> {
  const doc = await store.findDocument(db, id, lock);
  if (!doc) return documentNotFound(id);
  const place = await network.getNodeById(db, doc.storeId);
  if (!place || !network.isWithin(place.path, reader.nodePath)) return documentNotFound(id);
  return ok({ doc, storeCode: place.code });
}

export async function documentView(
  db: Db,
  doc: store.FiscalDocumentRow,
  storeCode: string,
): Promise<FiscalDocumentView> {
  return {
    id: doc.id,
    model: doc.model as 55 | 65,
    series: doc.series,
    number: doc.number,
    accessKey: doc.accessKey,
    formattedAccessKey: formatAccessKey(doc.accessKey),
    status: doc.status,
    purpose: doc.purpose,
    reference: { type: doc.referenceType, id: doc.referenceId },
    storeCode,
    protocol: doc.protocol,
    authorisation: authorisationOf(doc),
    rejection:
      doc.rejectionCode === null ? null : { code: doc.rejectionCode, reason: doc.rejectionReason ?? '' },
    authorisedAt: doc.authorisedAt?.toISOString() ?? null,
    cancelledAt: doc.cancelledAt?.toISOString() ?? null,
    contingency:
      doc.contingencyAt && doc.transmitBy
        ? {
            at: doc.contingencyAt.toISOString(),
            transmitBy: doc.transmitBy.toISOString(),
            onlineAccessKey: doc.onlineAccessKey,
          }
        : null,
    createdAt: doc.createdAt.toISOString(),
    signatureValid: verifySignature(doc.xml, 'infNFe').ok,
    xml: doc.xml,
    events: (await store.eventsOf(db, doc.id)).map(eventView),
  };
}

export async function getDocumentView(
  db: Db,
  reader: network.Viewer,
  id: string,
): Promise<Result<FiscalDocumentView>> {
  const found = await visibleDocument(db, reader, id);
  if (!found.ok) return found;
  return ok(await documentView(db, found.value.doc, found.value.storeCode));
}

/**
 * The documents of a reference (an order's NF-e, a rejected attempt, a cancelled one), oldest first; the
 * reference's owner decides who may see them.
 */
export async function documentViewsFor(
  db: Db,
  referenceType: string,
  referenceId: string,
): Promise<FiscalDocumentView[]> {
  const docs = await store.documentsFor(db, referenceType, referenceId);
  const views: FiscalDocumentView[] = [];
  for (const doc of docs) {
    const place = await network.getNodeById(db, doc.storeId);
    views.push(await documentView(db, doc, place?.code ?? ''));
  }
  return views;
}

/** The stored XML: the nfeProc once authorised, the signed NFe before. */
export async function documentXml(
  db: Db,
  reader: network.Viewer,
  id: string,
): Promise<Result<{ xml: string; accessKey: string }>> {
  const found = await visibleDocument(db, reader, id);
  if (!found.ok) return found;
  return ok({ xml: found.value.doc.xml, accessKey: found.value.doc.accessKey });
}

/** DANFE (A4) of an NF-e or the 80 mm receipt of an NFC-e; before authorisation it says it has no value. */
export async function documentPdf(
  db: Db,
  reader: network.Viewer,
  id: string,
): Promise<Result<{ pdf: Buffer; accessKey: string }>> {
  const found = await visibleDocument(db, reader, id);
  if (!found.ok) return found;
  const { doc } = found.value;
  const content = doc.content as {
    document: unknown;
    supplement: { qrCode: string; urlChave: string } | null;
  };
  const document = documentFromJson(content.document);
  const computed = computeDocument(document);
  if (!computed.ok) return computed;
  const input = {
    document,
    computed: computed.value,
    accessKey: doc.accessKey,
    authorisation:
      doc.protocol && doc.authorisedAt && doc.status !== 'rejected'
        ? { protocol: doc.protocol, authorisedAt: doc.authorisedAt }
        : null,
  };
  const pdf =
    doc.model === 65 && content.supplement
      ? await renderNfceReceipt({
          ...input,
          consultationUrl: content.supplement.urlChave,
          qrCode: content.supplement.qrCode,
        })
      : await renderDanfe(input);
  return ok({ pdf, accessKey: doc.accessKey });
}

/**
 * The PDF of a document for whoever holds a signed link to it (the customer's e-mail): the store's own view,
 * without a principal. The link's signature is checked by the route.
 */
export async function publicDocumentPdf(
  db: Db,
  id: string,
): Promise<Result<{ pdf: Buffer; accessKey: string }>> {
  const doc = await store.findDocument(db, id);
  const place = doc && (await network.getNodeById(db, doc.storeId));
  if (!place) return documentNotFound(id);
  return documentPdf(db, { nodeId: place.id, nodePath: place.path, networkId: place.networkId }, id);
}

/**
 * Whether SEFAZ still cancels an authorised document at `at` (24 h for an NF-e, 30 min for an NFC-e, from its
 * authorisation); past it a sale is undone by a return NF-e. Null when the document is not authorised.
 */
export function cancellationWindow(
  doc: { model: number; status: string; authorisedAt: Date | null },
  at: Date,
): { open: boolean; closesAt: Date } | null {
  if (doc.status !== 'authorised' || !doc.authorisedAt) return null;
  const closesAt = new Date(
    doc.authorisedAt.getTime() + cancellationWindowMs(doc.model === 65 ? '65' : '55'),
  );
  return { open: at.getTime() <= closesAt.getTime(), closesAt };
}

/** Who may cancel a sale's document: those who may cancel an order. */
const cancellers: readonly Actor[] = ['network_admin', 'central_admin', 'store_manager'];

/**
 * Asks SEFAZ to cancel an authorised document (event 110111). Refused here when the document is not
 * authorised, a cancellation is already on its way, its reference registered no `mayCancel`, or that check
 * refuses (an order whose goods already left: then the way back is a return). SEFAZ refuses it after the
 * window (501), and nothing changes.
 */
export function requestCancellation(
  db: Db,
  deps: IssuingDeps,
  references: References,
  reader: DocumentReader,
  id: string,
  justification: string,
): Promise<Result<{ eventId: string }>> {
  return transaction(db, async (tx) => {
    if (!cancellers.includes(reader.actor))
      return fail('forbidden', 'FISCAL.NOT_CANCELLER', 'Only managers and admins cancel fiscal documents.');
    const text = justification.trim();
    if (text.length < JUSTIFICATION_MIN || text.length > JUSTIFICATION_MAX)
      return fail('invalid', 'FISCAL.JUSTIFICATION_INVALID', 'Say why, in 15 to 255 characters.', {
        errors: [
          {
            path: '/justification',
            code: 'FISCAL.JUSTIFICATION_LENGTH',
            params: { min: JUSTIFICATION_MIN, max: JUSTIFICATION_MAX },
            message: `must have ${JUSTIFICATION_MIN} to ${JUSTIFICATION_MAX} characters`,
          },
        ],
      });
    const found = await visibleDocument(tx, reader, id, true);
    if (!found.ok) return found;
    const { doc } = found.value;
    if (doc.status !== 'authorised' || !doc.protocol)
      return fail(
        'conflict',
        'FISCAL.NOT_AUTHORISED',
        `The document is ${doc.status}: only an authorised document is cancelled.`,
        { data: { status: doc.status } },
      );
    if ((await store.eventsOf(tx, doc.id)).some((e) => e.status === 'sending'))
      return fail(
        'conflict',
        'FISCAL.CANCELLATION_PENDING',
        'An event of this document (a cancellation or a correction letter) is on its way to SEFAZ.',
      );
    const mayCancel = references[doc.referenceType]?.mayCancel;
    if (!mayCancel)
      return fail(
        'conflict',
        'FISCAL.CANCEL_NOT_SUPPORTED',
        'Only a sale’s document is cancelled here; a transfer’s goods are already on their way to the other store.',
        { data: { purpose: doc.purpose } },
      );
    const allowed = await mayCancel(tx, doc);
    if (!allowed.ok) return allowed;
    const material = await signingMaterial(tx, doc.storeId, deps.secretKey);
    if (!material.ok) return material;
    const emitter = await network.getNodeById(tx, doc.storeId);
    const event = buildCancellationEvent({
      accessKey: doc.accessKey,
      protocol: doc.protocol,
      justification: text,
      at: (deps.clock ?? (() => new Date()))(),
      cnpj: emitter?.cnpj ?? doc.accessKey.slice(6, 20),
      environment: material.value.environment,
    });
    if (!event.ok) return event;
    const signed = signFiscalXml(event.value, material.value.certificate, 'infEvento');
    const valid = await validateXml(signed, 'envEvento');
    if (!valid.ok) return valid;
    const row = await store.insertEvent(tx, {
      id: randomUUID(),
      documentId: doc.id,
      type: CANCELLATION_EVENT,
      sequence: 1,
      justification: text,
      status: 'sending',
      xml: signed,
      requestedBy: reader.id,
    });
    await enqueue(tx, CANCEL_QUEUE, { eventId: row.id }, { ownerNodeId: doc.storeId, maxAttempts: 10 });
    return ok({ eventId: row.id });
  });
}

/**
 * A correction letter (Carta de Correção, tpEvento 110110, MOC 7.0 §6) on an authorised NF-e: the text
 * (15–1,000 characters) replaces what the earlier letters said; numbered after the letters already
 * registered or on their way (1–20). Signed and validated against envCCe_v1.00.xsd here, registered at
 * SEFAZ by the outbox worker. Any back-office user who sees the document's store may send one.
 */
export function requestCorrection(
  db: Db,
  deps: IssuingDeps,
  reader: DocumentReader,
  id: string,
  requested: string,
): Promise<Result<{ eventId: string }>> {
  return transaction(db, async (tx) => {
    const text = toLayoutText(requested);
    if (text.length < CORRECTION_MIN || text.length > CORRECTION_MAX)
      return fail(
        'invalid',
        'FISCAL.CORRECTION_INVALID',
        'Say what is corrected, in 15 to 1,000 characters.',
        {
          errors: [
            {
              path: '/text',
              code: 'FISCAL.CORRECTION_LENGTH',
              params: { min: CORRECTION_MIN, max: CORRECTION_MAX },
              message: `must have ${CORRECTION_MIN} to ${CORRECTION_MAX} characters`,
            },
          ],
        },
      );
    const found = await visibleDocument(tx, reader, id, true);
    if (!found.ok) return found;
    const { doc } = found.value;
    if (doc.model !== 55)
      return fail(
        'conflict',
        'FISCAL.CORRECTION_NOT_NFE',
        'Only an NF-e (model 55) takes a correction letter; an NFC-e is cancelled or returned instead.',
        { data: { model: doc.model } },
      );
    if (doc.status !== 'authorised' || !doc.protocol)
      return fail(
        'conflict',
        'FISCAL.NOT_AUTHORISED',
        `The document is ${doc.status}: only an authorised NF-e takes a correction letter.`,
        { data: { status: doc.status } },
      );
    const events = await store.eventsOf(tx, doc.id);
    if (events.some((e) => e.status === 'sending'))
      return fail(
        'conflict',
        'FISCAL.EVENT_PENDING',
        'An event of this document is on its way to SEFAZ: wait for its answer.',
      );
    const sequence =
      Math.max(
        0,
        ...events
          .filter((e) => e.type === CORRECTION_EVENT && e.status === 'registered')
          .map((e) => e.sequence),
      ) + 1;
    if (sequence > CORRECTION_SEQUENCE_MAX)
      return fail(
        'conflict',
        'FISCAL.CORRECTIONS_EXHAUSTED',
        `The document has ${CORRECTION_SEQUENCE_MAX} correction letters, as many as SEFAZ registers.`,
      );
    const material = await signingMaterial(tx, doc.storeId, deps.secretKey);
    if (!material.ok) return material;
    const emitter = await network.getNodeById(tx, doc.storeId);
    const event = buildCorrectionEvent({
      accessKey: doc.accessKey,
      text,
      sequence,
      at: (deps.clock ?? (() => new Date()))(),
      cnpj: emitter?.cnpj ?? doc.accessKey.slice(6, 20),
      environment: material.value.environment,
    });
    if (!event.ok) return event;
    const signed = signFiscalXml(event.value, material.value.certificate, 'infEvento');
    const valid = await validateXml(signed, 'envCCe');
    if (!valid.ok) return valid;
    const row = await store.insertEvent(tx, {
      id: randomUUID(),
      documentId: doc.id,
      type: CORRECTION_EVENT,
      sequence,
      justification: text,
      status: 'sending',
      xml: signed,
      requestedBy: reader.id,
    });
    await enqueue(tx, EVENT_QUEUE, { eventId: row.id }, { ownerNodeId: doc.storeId, maxAttempts: 10 });
    return ok({ eventId: row.id });
  });
}

/** An event's XML: the procEventoNFe once registered, the signed envEvento before. */
export async function eventXml(
  db: Db,
  reader: network.Viewer,
  id: string,
  eventId: string,
): Promise<Result<{ xml: string; accessKey: string; type: string; sequence: number; name: string }>> {
  const found = await visibleDocument(db, reader, id);
  if (!found.ok) return found;
  const event = await store.findEvent(db, eventId);
  if (event?.documentId !== found.value.doc.id)
    return fail('not_found', 'FISCAL.EVENT_NOT_FOUND', `The document ${id} has no event ${eventId}.`);
  return ok({
    xml: event.procXml ?? event.xml,
    accessKey: found.value.doc.accessKey,
    type: event.type,
    sequence: event.sequence,
    name: event.procXml ? 'procEventoNFe' : 'envEvento',
  });
}

/** Waits until `read` says the work left `sending`, or the time runs out (then the caller answers 202). */
export async function settled<T extends { status: string }>(
  read: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await read();
    if (row?.status !== 'sending' || Date.now() >= until) return row;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const findEvent = (db: Db, id: string) => store.findEvent(db, id);
export const findDocument = (db: Db, id: string) => store.findDocument(db, id);

/** A document once SEFAZ answered, or as it stands after `timeoutMs`. */
export const settledDocument = (db: Db, id: string, timeoutMs: number) =>
  settled(() => store.findDocument(db, id), timeoutMs);
