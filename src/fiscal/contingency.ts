/**
 * NFC-e offline contingency (tpEmis 9; NT 2015.002, MOC 7.0 §… "contingência off-line da NFC-e"): when
 * SEFAZ cannot be reached, the sale does not wait. The NFC-e that met the transport fault is issued again,
 * same series and number, with tpEmis 9, dhCont and xJust (so a new access key: tpEmis is part of it),
 * signed, with the offline QR code, valid against the schema; the sale is made (its reference is told, an
 * order becomes `invoiced`) and the outbox keeps transmitting that document, under that key, until SEFAZ
 * authorises it, which must happen within 24 h of emission. The documents still waiting are the alarm the
 * back office shows.
 */
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { ok, type Result } from '../platform/errors.ts';
import {
  CONTINGENCY_DEADLINE_MS,
  type DeadlineLevel,
  deadlineLevel,
  documentFromJson,
  documentToJson,
  type FiscalDocument,
  OFFLINE_CONTINGENCY,
  UNREACHABLE_JUSTIFICATION,
} from './domain.ts';
import { signingMaterial } from './settings.ts';
import type { IssuingDeps } from './signing.ts';
import { signAndValidate } from './signing.ts';
import * as store from './store.ts';

/**
 * Rebuilds a `sending` NFC-e (locked by the caller) in offline contingency and records it as
 * `contingency`. dhEmi and dhCont are the moment the fault was met: the contingency document is emitted
 * then. A failure (the store's certificate gone since) leaves the document `sending`.
 */
export async function enterContingency(
  tx: Db,
  deps: IssuingDeps,
  row: store.FiscalDocumentRow,
  fault: string,
): Promise<Result<store.FiscalDocumentRow>> {
  const now = (deps.clock ?? (() => new Date()))();
  const content = row.content as { document: unknown };
  const document: FiscalDocument = {
    ...documentFromJson(content.document),
    issuedAt: now,
    contingency: { emissionType: OFFLINE_CONTINGENCY, since: now, justification: UNREACHABLE_JUSTIFICATION },
  };
  const material = await signingMaterial(tx, row.storeId, deps.secretKey);
  if (!material.ok) return material;
  const signed = await signAndValidate(document, material.value);
  if (!signed.ok) return signed;
  return ok(
    await store.updateDocument(tx, row, {
      status: 'contingency',
      accessKey: signed.value.accessKey,
      onlineAccessKey: row.accessKey,
      xml: signed.value.xml,
      content: { document: documentToJson(document), supplement: signed.value.supplement },
      contingencyAt: now,
      transmitBy: new Date(now.getTime() + CONTINGENCY_DEADLINE_MS),
      lastTransportError: fault,
    }),
  );
}

/** A document issued in contingency that SEFAZ has not authorised yet: what the alarm lists. */
export interface ContingencyAlarm {
  id: string;
  model: 65;
  series: number;
  number: number;
  accessKey: string;
  /** `rejected` or `denied`: refused after the sale was made; someone must act. */
  status: 'contingency' | 'rejected' | 'denied';
  storeCode: string;
  reference: { type: string; id: string };
  contingencyAt: string;
  /** emission + 24 h. */
  transmitBy: string;
  /** ok; warning (< 6 h left); overdue (past the deadline), or a rejection (SEFAZ refused it). */
  level: DeadlineLevel | 'rejected';
  lastError: string | null;
  rejection: { code: number; reason: string } | null;
}

export interface ContingencySummary {
  /** Pending documents, the closest deadline first; rejected ones first of all. */
  items: ContingencyAlarm[];
  /** The worst level among them (`none` when there is nothing pending). */
  level: DeadlineLevel | 'rejected' | 'none';
}

const severity = { none: 0, ok: 1, warning: 2, overdue: 3, rejected: 4 } as const;

/** The contingency documents of the stores the viewer sees that still wait for SEFAZ (or were refused). */
export async function contingencyAlarms(
  db: Db,
  viewer: network.Viewer,
  now = new Date(),
): Promise<ContingencySummary> {
  const rows = await store.pendingContingency(db);
  const items: ContingencyAlarm[] = [];
  const places = new Map<string, { code: string; path: string } | undefined>();
  for (const row of rows) {
    // The NF-e in SVC have their own list (svc/panel.ts): this alarm is the NFC-e's.
    if (row.model !== 65) continue;
    if (!places.has(row.storeId)) places.set(row.storeId, await network.getNodeById(db, row.storeId));
    const place = places.get(row.storeId);
    if (!place || !network.isWithin(place.path, viewer.nodePath)) continue;
    const transmitBy = row.transmitBy!;
    items.push({
      id: row.id,
      model: 65,
      series: row.series,
      number: row.number,
      accessKey: row.accessKey,
      status: row.status as 'contingency' | 'rejected' | 'denied',
      storeCode: place.code,
      reference: { type: row.referenceType, id: row.referenceId },
      contingencyAt: row.contingencyAt!.toISOString(),
      transmitBy: transmitBy.toISOString(),
      level: row.status === 'contingency' ? deadlineLevel(transmitBy, now) : 'rejected',
      lastError: row.lastTransportError,
      rejection:
        row.rejectionCode === null ? null : { code: row.rejectionCode, reason: row.rejectionReason ?? '' },
    });
  }
  items.sort((a, b) => severity[b.level] - severity[a.level] || a.transmitBy.localeCompare(b.transmitBy));
  const level = items.reduce<ContingencySummary['level']>(
    (worst, i) => (severity[i.level] > severity[worst] ? i.level : worst),
    'none',
  );
  return { items, level };
}
