/** What finance shows of a purchase: its receivables, advance, settlements, credits and every entry. */
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { type Cents, centsOf, fromCents } from '../platform/money.ts';
import { dueFrom, firstInvoicedOn, scheduleOf } from './billing.ts';
import {
  type Account,
  accounts,
  type CreditKind,
  creditKinds,
  type DocumentType,
  documentTypes,
  type EntryKind,
  entryKinds,
  type ReceivableState,
  type RefundMethod,
  receivableState,
} from './domain.ts';
import type { Purchase } from './ledger.ts';
import * as store from './store.ts';

export interface CompanyRef {
  storeCode: string;
  storeName: string;
}

export interface ReceivableView extends CompanyRef {
  id: string;
  orderId: string;
  method: string;
  documentType: DocumentType;
  documentTypeLabel: string;
  paymentMethodCode: string;
  /** False: the network had no such payment method configured; the document type is the platform's method. */
  paymentMethodConfigured: boolean;
  party: {
    kind: 'customer' | 'marketplace' | 'party';
    document: string;
    name: string | null;
    /** A marketplace payment without `partyDocument`, booked against the customer (domain.ts `receivableOf`). */
    marketplaceUnnamed: boolean;
  };
  amount: string;
  open: string;
  state: ReceivableState;
  installments: { number: string; dueDate: string; amount: string }[];
  issuedOn: string;
  createdAt: string;
}

export type AdvanceState = 'open' | 'partially_settled' | 'settled' | 'released' | 'kept';

export interface AdvanceView {
  /** What the acceptance raised for the whole purchase. */
  amount: string;
  /** What is still held, in all companies. */
  balance: string;
  settled: string;
  released: string;
  kept: string;
  byCompany: (CompanyRef & { balance: string })[];
  state: AdvanceState;
}

export interface SettlementView extends CompanyRef {
  orderId: string;
  orderNumber: number | null;
  amount: string;
  documentKey: string | null;
  at: string;
  state: 'settled' | 'cancelled';
}

export interface CreditView extends CompanyRef {
  /** The entry that moved it; `advance_release`: what the open receivables could not absorb of a release. */
  kind: CreditKind;
  orderId: string | null;
  orderNumber: number | null;
  /** Positive: credited to the customer; negative: paid back. */
  amount: string;
  method: RefundMethod | null;
  reference: string | null;
  description: string;
  at: string;
}

export interface EntryView {
  id: string;
  kind: EntryKind;
  label: string;
  orderId: string | null;
  reference: string | null;
  description: string;
  actor: string;
  day: string;
  at: string;
  movements: (CompanyRef & {
    account: Account;
    accountLabel: string;
    amount: string;
    receivableId: string | null;
  })[];
}

export interface PurchaseFinance {
  rootOrderId: string;
  orders: { id: string; number: number | null; storeCode: string; status: string; total: string }[];
  receivables: ReceivableView[];
  advance: AdvanceView | null;
  settlements: SettlementView[];
  credits: CreditView[];
  /** The customer's credit not yet paid back. */
  creditBalance: string;
  entries: EntryView[];
  /** Every company's movements of the purchase sum to zero. */
  balanced: boolean;
}

async function companies(db: Db, ids: Iterable<string>): Promise<Map<string, CompanyRef>> {
  const out = new Map<string, CompanyRef>();
  for (const id of ids) {
    if (out.has(id)) continue;
    const node = await network.getNodeById(db, id);
    out.set(id, { storeCode: node?.code ?? '?', storeName: node?.name ?? '?' });
  }
  return out;
}

export async function purchaseFinance(db: Db, p: Purchase): Promise<PurchaseFinance> {
  const entries = await store.entriesOfPurchase(db, p.rootId);
  const found = await store.receivablesOfPurchase(db, p.rootId);
  const refunds = await store.refundsOfPurchase(db, p.rootId);
  const names = await companies(db, [
    ...p.orders.map((o) => o.storeId),
    ...found.map((r) => r.companyId),
    ...entries.flatMap((e) => e.movements.map((m) => m.companyId)),
  ]);
  const ref = (id: string) => names.get(id)!;
  // The instalments count from the later of acceptance and the first invoicing (billing.ts): the NF-e's dups.
  const invoicedOn = await firstInvoicedOn(db, p.rootId);
  const numberOf = new Map(p.orders.map((o) => [o.id, o.number]));
  const movements = entries.flatMap((e) => e.movements.map((m) => ({ ...m, kind: e.kind as EntryKind })));
  const sum = (pick: (m: (typeof movements)[number]) => boolean) =>
    movements.filter(pick).reduce((a, m) => a + centsOf(m.amount), 0n);

  const receivables: ReceivableView[] = found.map((r) => ({
    id: r.id,
    ...ref(r.companyId),
    orderId: r.orderId,
    method: r.method,
    documentType: r.documentType as DocumentType,
    documentTypeLabel: documentTypes[r.documentType as DocumentType],
    paymentMethodCode: r.paymentMethodCode,
    paymentMethodConfigured: r.paymentMethodConfigured,
    party: {
      kind: r.partyKind,
      document: r.partyDocument,
      name: r.partyName,
      marketplaceUnnamed: r.marketplaceUnnamed,
    },
    amount: r.amount,
    open: fromCents(r.open),
    state: receivableState(centsOf(r.amount), r.open),
    installments: scheduleOf(centsOf(r.amount), r.installments, dueFrom(r.issuedOn, invoicedOn)).map((i) => ({
      number: i.number,
      dueDate: i.dueDate,
      amount: fromCents(i.amount),
    })),
    issuedOn: r.issuedOn,
    createdAt: r.createdAt.toISOString(),
  }));

  // Net movements of the advance per kind of entry (a transfer nets to zero across companies).
  const advanceNet = (kind: EntryKind) => sum((m) => m.account === 'customer_advance' && m.kind === kind);
  const raised = -advanceNet('acceptance');
  let advance: AdvanceView | null = null;
  if (raised > 0n) {
    const byCompany = new Map<string, Cents>();
    for (const m of movements)
      if (m.account === 'customer_advance')
        byCompany.set(m.companyId, (byCompany.get(m.companyId) ?? 0n) - centsOf(m.amount));
    const balance = [...byCompany.values()].reduce((a, b) => a + b, 0n);
    const netSettled = advanceNet('invoice') + advanceNet('invoice_cancellation');
    const released = advanceNet('advance_release');
    const kept = advanceNet('advance_kept');
    const state: AdvanceState =
      balance > 0n
        ? netSettled > 0n
          ? 'partially_settled'
          : 'open'
        : netSettled > 0n
          ? 'settled'
          : kept > 0n
            ? 'kept'
            : 'released';
    advance = {
      amount: fromCents(raised),
      balance: fromCents(balance),
      settled: fromCents(netSettled),
      released: fromCents(released),
      kept: fromCents(kept),
      byCompany: [...byCompany]
        .filter(([, v]) => v !== 0n)
        .map(([c, v]) => ({ ...ref(c), balance: fromCents(v) })),
      state,
    };
  }

  const cancelledInvoices = new Set(
    entries.filter((e) => e.kind === 'invoice_cancellation').map((e) => e.orderId),
  );
  const settlements: SettlementView[] = entries
    .filter((e) => e.kind === 'invoice')
    .map((e) => {
      const m = e.movements.find((x) => x.account === 'sales')!;
      return {
        ...ref(m.companyId),
        orderId: e.orderId!,
        orderNumber: numberOf.get(e.orderId!) ?? null,
        amount: fromCents(-centsOf(m.amount)),
        documentKey: e.reference,
        at: e.createdAt.toISOString(),
        state: cancelledInvoices.has(e.orderId) ? 'cancelled' : 'settled',
      };
    });

  const refundByEntry = new Map(refunds.map((r) => [r.entryId, r]));
  const credits: CreditView[] = entries
    .filter((e): e is typeof e & { kind: CreditKind } => (creditKinds as readonly string[]).includes(e.kind))
    .flatMap((e) => {
      // What the customer is owed: credits in, refunds out (a release leaves credit only when the payers
      // could not absorb it all).
      const amount = -e.movements
        .filter((m) => m.account === 'customer_credit')
        .reduce((a, m) => a + centsOf(m.amount), 0n);
      if (amount === 0n) return [];
      const refund = refundByEntry.get(e.id);
      const company =
        refund?.companyId ?? e.movements.find((m) => m.account === 'customer_credit')!.companyId;
      return [
        {
          ...ref(company),
          kind: e.kind,
          orderId: e.orderId,
          orderNumber: e.orderId ? (numberOf.get(e.orderId) ?? null) : null,
          amount: fromCents(amount),
          method: (refund?.method as RefundMethod | undefined) ?? null,
          reference: e.reference,
          description: e.description,
          at: e.createdAt.toISOString(),
        } satisfies CreditView,
      ];
    });
  const creditBalance = -sum((m) => m.account === 'customer_credit');

  const perCompany = new Map<string, Cents>();
  for (const m of movements)
    perCompany.set(m.companyId, (perCompany.get(m.companyId) ?? 0n) + centsOf(m.amount));

  return {
    rootOrderId: p.rootId,
    orders: p.orders.map((o) => ({
      id: o.id,
      number: o.number,
      storeCode: ref(o.storeId).storeCode,
      status: o.status,
      total: o.total,
    })),
    receivables,
    advance,
    settlements,
    credits,
    creditBalance: fromCents(creditBalance),
    entries: entries.map((e) => ({
      id: e.id,
      kind: e.kind as EntryKind,
      label: entryKinds[e.kind as EntryKind].label,
      orderId: e.orderId,
      reference: e.reference,
      description: e.description,
      actor: e.actor,
      day: e.day,
      at: e.createdAt.toISOString(),
      movements: e.movements.map((m) => ({
        ...ref(m.companyId),
        account: m.account as Account,
        accountLabel: accounts[m.account as Account].label,
        amount: m.amount,
        receivableId: m.receivableId,
      })),
    })),
    balanced: [...perCompany.values()].every((v) => v === 0n),
  };
}
