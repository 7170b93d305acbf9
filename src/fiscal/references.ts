/**
 * Fiscal documents are issued for a reference (`reference_type`, `reference_id`): an order, the split's
 * stock request, later a return. Fiscal knows nothing of what a reference is; the context that owns it
 * registers what happens to it when SEFAZ answers, composed in app.ts (orders and split register theirs).
 */
import type { Db } from '../platform/db/index.ts';
import type { Result } from '../platform/errors.ts';
import type { FiscalDocumentRow } from './store.ts';

export interface ReferenceHandlers {
  /**
   * SEFAZ authorised the document. For one issued in offline contingency (an NFC-e, model 65) the reference was
   * already told at `contingency`: the handler must then change nothing (it is called once, like every
   * handler). An NF-e issued again in SVC also has `contingencyAt`, but nobody was told before this.
   */
  authorised?(tx: Db, doc: FiscalDocumentRow): Promise<Result<unknown>>;
  /**
   * SEFAZ could not be reached and the document (an NFC-e) was issued in offline contingency: legally
   * issued, still to be transmitted (`doc.transmitBy`). The sale is made now, not at the authorisation.
   */
  contingency?(tx: Db, doc: FiscalDocumentRow): Promise<Result<unknown>>;
  /** SEFAZ refused it; `doc.contingencyAt` set: a contingency document, whose sale already stands. */
  rejected?(tx: Db, doc: FiscalDocumentRow, reason: string): Promise<Result<unknown>>;
  /**
   * SEFAZ denied its use (cStat 110/301/302, uso denegado): the document stands at SEFAZ with a protocol
   * and its number is used up; the sale needs a new document under a new number. Absent: `rejected` is
   * told instead.
   */
  denied?(tx: Db, doc: FiscalDocumentRow, reason: string): Promise<Result<unknown>>;
  cancelled?(tx: Db, doc: FiscalDocumentRow, justification: string): Promise<Result<unknown>>;
  /**
   * Whether an authorised document of this reference may still be cancelled (asked before the event is
   * signed, in the same transaction). Absent: this reference's documents are not cancelled here.
   */
  mayCancel?(tx: Db, doc: FiscalDocumentRow): Promise<Result<unknown>>;
}

/** The handlers of each reference type. */
export type References = Readonly<Record<string, ReferenceHandlers>>;
