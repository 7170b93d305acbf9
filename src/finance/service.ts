/**
 * Finance of the omni order (seed 003: Financeiro, Finalização, Cancelamento): a double-entry ledger per
 * company written in the transaction of the order change that causes it. The orders flow calls the posting
 * rules with the facts of the purchase (finance sits below orders and never reads its tables).
 */

export { type BilledInstallment, billingOf } from './billing.ts';
export {
  type Closing,
  type ClosingQuery,
  closingCsv,
  closingOf,
  reconciliationKinds,
  type StoreClosing,
} from './closing.ts';
export {
  type Account,
  accountNames,
  accounts,
  type DocumentType,
  documentTypeNames,
  documentTypes,
  type EntryKind,
  entryKindNames,
  entryKinds,
  type RefundMethod,
  refundMethods,
} from './domain.ts';
export {
  creditOf,
  creditReturn,
  type OrderFacts,
  onAccepted,
  onCancelled,
  onInvoiced,
  onRerouted,
  type Purchase,
  type RefundInput,
  refund,
} from './ledger.ts';
export { FinancePayload, ReceivablePayload } from './payloads.ts';
export {
  DEFAULT_PAYMENT_METHOD,
  listPaymentMethods,
  type PaymentMethodInput,
  type PaymentMethodView,
  platformMethods,
  type ReceivableSettings,
  receivableSettings,
  savePaymentMethod,
  seedPaymentMethods,
} from './payment-methods.ts';
export type { OrderLabel, OrderLabels } from './receivables.ts';
export { lockPurchase } from './store.ts';
export { type PurchaseFinance, purchaseFinance } from './views.ts';
