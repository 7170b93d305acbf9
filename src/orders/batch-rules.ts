/**
 * The rules of issue 15 §6, pure: batch invoicing's per-order outcome, the salesperson asked at invoicing
 * (TP_DADO_ADIC_BX_PED_ECOMM) and the text of an order's note ("Observação", seeds 003 PEDFM237).
 */

/** Orders one batch invoices at most: the queue's page, and a job that ends while the clerk watches it. */
export const MAX_BATCH = 100;

/** What happened to one order of a batch. */
export type BatchOutcome = 'invoiced' | 'pending' | 'refused';

export interface BatchResult {
  id: string;
  /** Null for an order the user may not see (or that does not exist): nothing about it leaks. */
  number: number | null;
  outcome: BatchOutcome;
  code?: string;
  message?: string;
  fiscalDocumentId?: string;
}

/**
 * The outcome of an NF-e by its status right after issuing: authorised is invoiced; still with SEFAZ (or
 * waiting for the store to transmit it, or in SVC contingency) is pending; rejected or denied is refused.
 */
export function outcomeOfDocument(status: string): { outcome: BatchOutcome; code?: string } {
  if (status === 'authorised') return { outcome: 'invoiced' };
  if (status === 'rejected') return { outcome: 'refused', code: 'FISCAL.REJECTED' };
  if (status === 'denied') return { outcome: 'refused', code: 'FISCAL.DENIED' };
  return { outcome: 'pending' };
}

/** The batch's counters, for the progress dialog's summary. */
export function tally(results: readonly BatchResult[]): Record<BatchOutcome, number> {
  const counts: Record<BatchOutcome, number> = { invoiced: 0, pending: 0, refused: 0 };
  for (const r of results) counts[r.outcome]++;
  return counts;
}

/** Each id once, in the order asked (a double click selects nothing twice). */
export const distinctIds = (ids: readonly string[]): string[] => [
  ...new Set(ids.map((i) => i.toLowerCase())),
];

// --- the salesperson at invoicing ------------------------------------------------------------------

/** TP_DADO_ADIC_BX_PED_ECOMM: 0 no salesperson asked, 1 optional, 2 mandatory. */
export type SalespersonMode = 'none' | 'optional' | 'required';

export function salespersonMode(value: string | null | undefined): SalespersonMode {
  if (value === '2') return 'required';
  if (value === '1') return 'optional';
  return 'none';
}

/** The history's words (pt-BR) and the line printed in the NF-e's infCpl. */
export const salespersonNote = (name: string) => `Vendedor: ${name}`;

// --- notes ----------------------------------------------------------------------------------------

export const NOTE_MAX = 2000;

/** A note's text trimmed, or why it is refused (empty once trimmed, or longer than NOTE_MAX). */
export function noteText(
  raw: string,
): { ok: true; text: string } | { ok: false; code: string; message: string } {
  const text = raw.trim();
  if (text.length === 0) return { ok: false, code: 'ORDER.NOTE_EMPTY', message: 'is empty' };
  if ([...text].length > NOTE_MAX)
    return { ok: false, code: 'ORDER.NOTE_TOO_LONG', message: `is longer than ${NOTE_MAX} characters` };
  return { ok: true, text };
}
