/**
 * The fiscal context's door, the only module other contexts import: numbering and document records,
 * fiscal operations, issuing for a reference (a sale's NF-e / NFC-e, a transfer NF-e), reading documents,
 * and the handlers a reference's owner registers for SEFAZ's answers.
 */
export { type ContingencyAlarm, type ContingencySummary, contingencyAlarms } from './contingency.ts';
export { type DailyFiscalDocument, documentsByKeys, documentsOfDay } from './daily.ts';
export {
  cancellationWindow,
  type DocumentReader,
  documentViewsFor,
  type FiscalDocumentView,
  findEvent,
  getDocumentView,
  requestCancellation,
  settled,
  settledDocument,
} from './documents.ts';
export type { FiscalDocumentStatus, FiscalModel, FiscalPurpose } from './domain.ts';
export { installmentsOf } from './domain.ts';
export { type ExternalNfce, readExternalNfce } from './external-nfce.ts';
export {
  type Issued,
  type IssuingDeps,
  issueSale,
  issueTransfer,
  type SaleInput,
  type TransferInput,
  transferEntryCfop,
} from './issuing.ts';
export type { FiscalOperation, OperationConfig, OperationParties } from './operations.ts';
export { cfopFor, defaultOperations, fiscalOperations, isFiscalOperation } from './operations.ts';
/** The answers' schemas, for the routes of contexts that issue documents (an order's invoicing). */
export { DocumentRef as DocumentRefPayload, FiscalDocument as FiscalDocumentPayload } from './payloads.ts';
export * from './records.ts';
export type { ReferenceHandlers, References } from './references.ts';
export { issueReturn, type ReturnInput } from './return-issuing.ts';
export { seedDemoSettings } from './settings.ts';
export type { FiscalDocumentRow } from './store.ts';
export { xmllintAvailable } from './xml/index.ts';
