/**
 * Fiscal documents are issued for a reference (`reference_type`, `reference_id`): an order, the split's
 * stock request, later a return. Fiscal knows nothing of what a reference is; the context that owns it
 * registers what happens to it when SEFAZ answers, composed in app.ts (orders and split register theirs).
 */
import type { Db } from '../platform/db/index.ts';
import type { Result } from '../platform/errors.ts';
import type { FiscalDocumentRow } from './store.ts';

export interface ReferenceHandlers {
  authorised?(tx: Db, doc: FiscalDocumentRow): Promise<Result<unknown>>;
  rejected?(tx: Db, doc: FiscalDocumentRow, reason: string): Promise<Result<unknown>>;
  cancelled?(tx: Db, doc: FiscalDocumentRow, justification: string): Promise<Result<unknown>>;
  /**
   * Whether an authorised document of this reference may still be cancelled (asked before the event is
   * signed, in the same transaction). Absent: this reference's documents are not cancelled here.
   */
  mayCancel?(tx: Db, doc: FiscalDocumentRow): Promise<Result<unknown>>;
}

/** The handlers of each reference type. */
export type References = Readonly<Record<string, ReferenceHandlers>>;
