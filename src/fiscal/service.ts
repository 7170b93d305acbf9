/**
 * The fiscal context's door, the only module other contexts import: numbering and document records,
 * fiscal operations, issuing (an order's NF-e / NFC-e, a transfer NF-e), reading documents, and what the
 * outbox needs to be composed in app.ts.
 */
export { settledDocument } from './documents.ts';
export type { FiscalDocumentStatus, FiscalModel, FiscalPurpose } from './domain.ts';
export {
  type Issued,
  type IssuingDeps,
  issueTransfer,
  type TransferInput,
  transferEntryCfop,
} from './invoicing.ts';
export type { FiscalOperation, OperationConfig, OperationParties } from './operations.ts';
export { cfopFor, defaultOperations, fiscalOperations, isFiscalOperation } from './operations.ts';
export type { ReferenceHandlers } from './outbox.ts';
export * from './records.ts';
export { seedDemoSettings } from './settings.ts';
export type { FiscalDocumentRow } from './store.ts';
