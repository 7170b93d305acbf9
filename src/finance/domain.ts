/**
 * The money trail of an omni order (seed 003, tabs Financeiro, Finalização, Cancelamento) as a double-entry
 * ledger: every event writes an entry whose movements sum to zero in each company it touches, so a
 * company's, an order's and a customer's balances across accounts always sum to zero. Amounts here are
 * cents (bigint; the tables hold reais as numeric(14,2)); a debit is positive, a credit negative. Nothing is
 * updated in place: a correction is a new entry.
 */
import type { Cents } from '../platform/money.ts';

/** The accounts of a company's ledger, with what they hold (docs/finance.md is generated from these). */
export const accounts = {
  receivable: {
    label: 'Contas a receber',
    nature: 'asset',
    holds:
      'What the payers of the order owe the company: the card acquirer, the pix, the boleto customer or the marketplace (one receivable — fatura — per payment)',
  },
  customer_advance: {
    label: 'Adiantamento de cliente',
    nature: 'liability',
    holds:
      'The customer paid before the goods were invoiced: the order total, held until the sale settles it',
  },
  customer_invoice: {
    label: 'Títulos da venda',
    nature: 'asset',
    holds: 'What the invoice (NF-e / NFC-e) charges the customer, settled at once with the advance',
  },
  sales: { label: 'Vendas', nature: 'revenue', holds: 'The invoiced sales' },
  sales_returns: {
    label: 'Devoluções de venda',
    nature: 'revenue',
    holds: 'Sales reversed by a return NF-e (outside the cancellation window, or goods brought back)',
  },
  customer_credit: {
    label: 'Crédito do cliente',
    nature: 'liability',
    holds: 'Money the network owes the customer: a reversed sale, or an advance kept (IN_MANTER_SALD_ADIAN)',
  },
  store_credit: {
    label: 'Vale-crédito',
    nature: 'liability',
    holds: 'A customer credit refunded as a voucher to spend in the network',
  },
  cash: { label: 'Caixa e bancos', nature: 'asset', holds: 'Money paid back in cash or by pix' },
  intercompany: {
    label: 'Conta corrente entre empresas',
    nature: 'asset',
    holds:
      'What another company of the group owes this one (negative: what this one owes it), when an advance moves between them',
  },
} as const;
export type Account = keyof typeof accounts;
export const accountNames = Object.keys(accounts) as Account[];

/** The finance document type of a receivable (seed 003: "tipo de documento": fatura, cartão, ...). */
export const documentTypes = {
  credit_card: 'Cartão de crédito',
  debit_card: 'Cartão de débito',
  pix: 'Pix',
  invoice: 'Fatura (boleto)',
  marketplace: 'Marketplace',
} as const;
export type DocumentType = keyof typeof documentTypes;
export const documentTypeNames = Object.keys(documentTypes) as DocumentType[];

/** How money went back to the customer (the POS's refund methods). */
export const refundMethods = ['cash', 'pix', 'card_reversal', 'store_credit'] as const;
export type RefundMethod = (typeof refundMethods)[number];

/** The account a refund pays from: a card is charged back against its receivable. */
export const refundAccount: Record<RefundMethod, Account> = {
  cash: 'cash',
  pix: 'cash',
  card_reversal: 'receivable',
  store_credit: 'store_credit',
};

export type Side = 'debit' | 'credit';

/** One line of an entry kind's declaration: an account it writes, on which side, and what. */
export type MovementRule = readonly [account: Account, side: Side, what: string];

/**
 * The events that write entries, with every movement each may write (generated into docs/finance.md). The
 * declaration is binding: the ledger refuses to post a movement its entry kind does not declare
 * (`undeclaredMovements`), so the docs cannot fall behind the posting rules.
 */
export const entryKinds = {
  acceptance: {
    label: 'Aceite',
    when: 'The first order of the purchase is accepted (seed 003 Financeiro), in the accepting company',
    movements: [
      ['receivable', 'debit', 'each payment (one receivable per payment document)'],
      ['customer_advance', 'credit', 'the total of every order of the purchase'],
    ],
  },
  advance_transfer: {
    label: 'Transferência de adiantamento',
    when: 'An order of the purchase is accepted, invoiced or cancelled in another company than the one holding its advance (a re-route): always from the first company to the others',
    movements: [
      ['customer_advance', 'debit', 'in the company giving the advance'],
      ['intercompany', 'credit', 'in the company giving the advance (owed to the other)'],
      ['intercompany', 'debit', 'in the company taking the advance'],
      ['customer_advance', 'credit', 'in the company taking the advance'],
    ],
  },
  reroute: {
    label: 'Reencaminhamento',
    when: 'Lines of an order are re-routed while the purchase already has its advance: the advance follows them to the new order',
    movements: [
      ['customer_advance', 'debit', 'the moved amount, on the original order'],
      ['customer_advance', 'credit', 'the moved amount, on the new order'],
    ],
  },
  invoice: {
    label: 'Faturamento e liquidação',
    when: 'The order is invoiced (seed 003 Finalização): the sale, settled with the advance',
    movements: [
      ['customer_invoice', 'debit', 'the invoice total'],
      ['sales', 'credit', 'the invoice total'],
      ['customer_advance', 'debit', 'the invoice total (the advance settles the sale)'],
      ['customer_invoice', 'credit', 'the invoice total'],
    ],
  },
  invoice_cancellation: {
    label: 'Cancelamento da nota',
    when: 'The invoice is cancelled inside its window: the sale and its settlement are undone, the advance is back',
    movements: [
      ['sales', 'debit', 'the invoice total'],
      ['customer_invoice', 'credit', 'the invoice total'],
      ['customer_invoice', 'debit', 'the invoice total'],
      ['customer_advance', 'credit', 'the invoice total'],
    ],
  },
  advance_release: {
    label: 'Liberação do adiantamento',
    when: 'An accepted order is cancelled and IN_MANTER_SALD_ADIAN is off: the charge is undone at the payer (the receivables are reduced)',
    movements: [
      ['customer_advance', 'debit', "the order's advance, where it is held"],
      ['intercompany', 'credit', 'in a company holding part of it, owed to the company of the receivables'],
      ['intercompany', 'debit', 'in the company of the receivables, for that part'],
      ['customer_advance', 'credit', 'in the company of the receivables, that part (released there)'],
      ['receivable', 'credit', 'spread over the open receivables of the purchase'],
      ['customer_credit', 'credit', 'what the open receivables cannot absorb, left to the customer'],
    ],
  },
  advance_kept: {
    label: 'Adiantamento mantido',
    when: 'An accepted order is cancelled and IN_MANTER_SALD_ADIAN is on: the advance stays as the customer’s credit',
    movements: [
      ['customer_advance', 'debit', "the order's advance"],
      ['customer_credit', 'credit', "the order's advance"],
    ],
  },
  return_credit: {
    label: 'Estorno com crédito ao cliente',
    when: 'A sale is reversed by a return NF-e (outside the window, or goods brought back): the amount is credited to the customer',
    movements: [
      ['sales_returns', 'debit', 'the value of the goods returned'],
      ['customer_credit', 'credit', 'the value of the goods returned'],
    ],
  },
  refund: {
    label: 'Reembolso',
    when: 'The customer’s credit is paid back (card charge-back, pix, cash or a voucher)',
    movements: [
      [
        'customer_credit',
        'debit',
        'the amount refunded, where the credit is held (the paying company’s first)',
      ],
      ['intercompany', 'credit', 'in a company holding part of the credit, owed to the paying company'],
      [
        'intercompany',
        'debit',
        'in the paying company (for a card charge-back, the company of the receivables), for that part',
      ],
      ['customer_credit', 'credit', 'in the paying company, that part'],
      ['receivable', 'credit', '`card_reversal`: spread over the open receivables of the purchase'],
      ['cash', 'credit', '`pix` or `cash`'],
      ['store_credit', 'credit', '`store_credit`: a voucher'],
    ],
  },
} as const satisfies Record<string, { label: string; when: string; movements: readonly MovementRule[] }>;
export type EntryKind = keyof typeof entryKinds;
export const entryKindNames = Object.keys(entryKinds) as EntryKind[];

/** The entry kinds that move the customer's credit (the `customer_credit` account), as a purchase shows them. */
export const creditKinds = [
  'advance_kept',
  'advance_release',
  'return_credit',
  'refund',
] as const satisfies readonly EntryKind[];
export type CreditKind = (typeof creditKinds)[number];

export interface Movement {
  companyId: string;
  account: Account;
  /** Debit positive, credit negative; never zero. */
  amount: Cents;
  orderId: string | null;
  receivableId?: string | null;
  /** The other company of an intercompany movement. */
  counterpartyId?: string | null;
}

/** Companies whose movements do not sum to zero (empty: the entry balances). */
export function unbalancedCompanies(movements: readonly Movement[]): string[] {
  const sums = new Map<string, Cents>();
  for (const m of movements) sums.set(m.companyId, (sums.get(m.companyId) ?? 0n) + m.amount);
  return [...sums].filter(([, s]) => s !== 0n).map(([c]) => c);
}

/**
 * The movements an entry of `kind` writes that its declaration (`entryKinds`) does not: an account, or a side
 * of it, the kind does not name. Empty: the entry is what the docs say it is.
 */
export function undeclaredMovements(kind: EntryKind, movements: readonly Movement[]): Movement[] {
  const rules: readonly MovementRule[] = entryKinds[kind].movements;
  return movements.filter((m) => {
    const side: Side = m.amount > 0n ? 'debit' : 'credit';
    return !rules.some(([account, declared]) => account === m.account && declared === side);
  });
}

/** `total` split over `weights` in proportion, the cents left over to the first shares. */
export function shares(total: Cents, weights: readonly Cents[]): Cents[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0n));
  const out = weights.map((w) => (total * w) / sum);
  let left = total - out.reduce((a, b) => a + b, 0n);
  for (let i = 0; left > 0n && out.length > 0; i = (i + 1) % out.length) {
    if (weights[i]! > 0n) {
      out[i]! += 1n;
      left--;
    }
  }
  return out;
}

/** The movements moving `amount` of `account` from one company to another, through intercompany. */
export function betweenCompanies(
  from: string,
  to: string,
  account: Account,
  amount: Cents,
  orderId: string | null,
): Movement[] {
  if (from === to || amount === 0n) return [];
  return [
    { companyId: from, account, amount, orderId },
    { companyId: from, account: 'intercompany', amount: -amount, orderId, counterpartyId: to },
    { companyId: to, account: 'intercompany', amount, orderId, counterpartyId: from },
    { companyId: to, account, amount: -amount, orderId },
  ];
}

/** A payment of the order as finance reads it. */
export interface PaymentFact {
  method: 'credit_card' | 'debit_card' | 'pix' | 'invoice' | 'marketplace';
  amount: Cents;
  installments: number | null;
  partyDocument: string | null;
}

/**
 * The receivable a payment raises (seed 003 Financeiro): its document type by the network's mapping of
 * the platform's method; a marketplace payment is raised against the marketplace (its `partyDocument`),
 * or as a credit card receivable when IN_GERA_CRT_MKTPLACE_OMNI says so; an invoice (fatura) with a
 * linked party is raised against that party, otherwise against the customer.
 *
 * The public API makes `partyDocument` optional for every method, and the platform connectors send none,
 * so a marketplace payment may come without its marketplace: its receivable is then booked against the
 * customer, the only party known, and marked `marketplaceUnnamed` so finance can see whom to collect from
 * is unknown.
 */
export function receivableOf(
  payment: PaymentFact,
  opts: { mapping: Partial<Record<PaymentFact['method'], DocumentType>>; marketplaceAsCard: boolean },
): {
  documentType: DocumentType;
  partyKind: 'customer' | 'marketplace' | 'party';
  partyDocument: string | null;
  marketplaceUnnamed: boolean;
} {
  const mapped = opts.mapping[payment.method] ?? payment.method;
  const customer = { partyKind: 'customer', partyDocument: null, marketplaceUnnamed: false } as const;
  if (payment.method === 'marketplace') {
    if (opts.marketplaceAsCard) return { documentType: 'credit_card', ...customer };
    if (!payment.partyDocument) return { documentType: mapped, ...customer, marketplaceUnnamed: true };
    return {
      documentType: mapped,
      partyKind: 'marketplace',
      partyDocument: payment.partyDocument,
      marketplaceUnnamed: false,
    };
  }
  if (payment.partyDocument)
    return {
      documentType: mapped,
      partyKind: 'party',
      partyDocument: payment.partyDocument,
      marketplaceUnnamed: false,
    };
  return { documentType: mapped, ...customer };
}

/** Payments of a purchase grouped by what makes one receivable (method, instalments, party). */
export function groupPayments(payments: readonly PaymentFact[]): PaymentFact[] {
  const groups = new Map<string, PaymentFact>();
  for (const p of payments) {
    const key = `${p.method}|${p.installments ?? 1}|${p.partyDocument ?? ''}`;
    const had = groups.get(key);
    groups.set(key, had ? { ...had, amount: had.amount + p.amount } : { ...p });
  }
  return [...groups.values()];
}

/** The state of a receivable from its open balance. */
export type ReceivableState = 'open' | 'partially_cancelled' | 'cancelled';
export const receivableStates: readonly ReceivableState[] = ['open', 'partially_cancelled', 'cancelled'];
export function receivableState(amount: Cents, open: Cents): ReceivableState {
  if (open <= 0n) return 'cancelled';
  return open < amount ? 'partially_cancelled' : 'open';
}
