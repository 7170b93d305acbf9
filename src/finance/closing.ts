/**
 * The daily closing of a store (seed 003: a franchise closes its books with the hub): what the ledger
 * wrote for the store on one São Paulo day — acceptances, invoices, cancellations, advances released or
 * kept, return credits, refunds and the balance each account moved — and its reconciliation with the
 * store's fiscal documents of that day: authorised sale documents against the `invoice` entries, documents
 * cancelled against `invoice_cancellation`, return NF-e against `return_credit`.
 */
import { and, eq, inArray } from 'drizzle-orm';
import * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { nextDay, saoPauloDay, startOfDay } from '../platform/format-br.ts';
import { type Cents, centsOf, fromCents } from '../platform/money.ts';
import {
  type Account,
  accountNames,
  accounts,
  type EntryKind,
  type RefundMethod,
  refundMethods,
} from './domain.ts';
import { financeEntries, financeMovements, refunds } from './schema.ts';

export interface Figure {
  count: number;
  value: string;
}

export type ReconciliationKind = 'sales' | 'cancellations' | 'returns';
export const reconciliationKinds: readonly ReconciliationKind[] = ['sales', 'cancellations', 'returns'];

export interface ReconciliationLine {
  fiscal: Figure;
  finance: Figure;
  /** fiscal − finance. */
  difference: string;
}

export interface ClosingDifference {
  kind: ReconciliationKind;
  /** The order, when known (a return NF-e names its sale; its sale names the order). */
  orderId: string | null;
  /** What the two sides are matched on: the order id for sales and cancellations, the return id for returns. */
  reference: string;
  fiscal: string;
  finance: string;
  difference: string;
}

export interface StoreClosing {
  storeCode: string;
  storeName: string;
  /** Nothing was written nor any document issued for the store that day. */
  empty: boolean;
  /** Advance raised at acceptance or transferred in from another company. */
  accepted: Figure;
  invoiced: Figure;
  invoiceCancellations: Figure;
  advancesReleased: Figure;
  advancesKept: Figure;
  credited: Figure;
  refunded: { total: Figure; byMethod: ({ method: RefundMethod } & Figure)[] };
  /** Each account the day moved: debits, credits (positive) and the net (debit positive). */
  accounts: { account: Account; label: string; debit: string; credit: string; net: string }[];
  reconciliation: Record<ReconciliationKind, ReconciliationLine> & {
    reconciled: boolean;
    differences: ClosingDifference[];
  };
}

export interface Closing {
  day: string;
  reconciled: boolean;
  stores: StoreClosing[];
}

export interface ClosingQuery {
  storeCode?: string;
  day?: string;
}

interface MovementFact {
  entryId: string;
  kind: EntryKind;
  key: string | null;
  entryOrderId: string | null;
  companyId: string;
  account: Account;
  amount: Cents;
  orderId: string | null;
}

/** The figures of the closing: the entry kinds they count, the account and the sign that makes them positive. */
const figureRules = {
  accepted: { kinds: ['acceptance', 'advance_transfer'], account: 'customer_advance', sign: -1n },
  invoiced: { kinds: ['invoice'], account: 'sales', sign: -1n },
  invoiceCancellations: { kinds: ['invoice_cancellation'], account: 'sales', sign: 1n },
  advancesReleased: { kinds: ['advance_release'], account: 'customer_advance', sign: 1n },
  advancesKept: { kinds: ['advance_kept'], account: 'customer_advance', sign: 1n },
  credited: { kinds: ['return_credit'], account: 'sales_returns', sign: 1n },
} as const satisfies Record<string, { kinds: readonly EntryKind[]; account: Account; sign: bigint }>;
type FigureName = keyof typeof figureRules;

const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const validDay = (value: string) =>
  DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

const figure = (count: number, value: Cents): Figure => ({ count, value: fromCents(value) });

/**
 * Per entry and order, what a figure counts in the company: the net of its account, made positive by its
 * sign (a transfer out of the company is not an acceptance of it). Keyed by the order.
 */
function perOrder(movements: readonly MovementFact[], name: FigureName): Map<string, Cents> {
  const rule = figureRules[name];
  const byEntryOrder = new Map<string, { order: string; value: Cents }>();
  for (const m of movements) {
    if (!(rule.kinds as readonly string[]).includes(m.kind) || m.account !== rule.account) continue;
    const order = m.orderId ?? m.entryOrderId ?? m.entryId;
    const k = `${m.entryId}|${order}`;
    const had = byEntryOrder.get(k);
    byEntryOrder.set(k, { order, value: (had?.value ?? 0n) + rule.sign * m.amount });
  }
  const out = new Map<string, Cents>();
  for (const { order, value } of byEntryOrder.values())
    if (value > 0n) out.set(order, (out.get(order) ?? 0n) + value);
  return out;
}

const sumOf = (values: Iterable<Cents>) => [...values].reduce((a, b) => a + b, 0n);
const figureOf = (m: Map<string, Cents>) => figure(m.size, sumOf(m.values()));

function reconcile(
  kind: ReconciliationKind,
  fiscalSide: Map<string, { value: Cents; orderId: string | null }>,
  financeSide: Map<string, { value: Cents; orderId: string | null }>,
): { line: ReconciliationLine; differences: ClosingDifference[] } {
  const differences: ClosingDifference[] = [];
  for (const reference of new Set([...fiscalSide.keys(), ...financeSide.keys()])) {
    const f = fiscalSide.get(reference);
    const g = financeSide.get(reference);
    const diff = (f?.value ?? 0n) - (g?.value ?? 0n);
    if (diff !== 0n || !f || !g)
      differences.push({
        kind,
        orderId: g?.orderId ?? f?.orderId ?? null,
        reference,
        fiscal: fromCents(f?.value ?? 0n),
        finance: fromCents(g?.value ?? 0n),
        difference: fromCents(diff),
      });
  }
  const fiscalTotal = sumOf([...fiscalSide.values()].map((v) => v.value));
  const financeTotal = sumOf([...financeSide.values()].map((v) => v.value));
  return {
    line: {
      fiscal: figure(fiscalSide.size, fiscalTotal),
      finance: figure(financeSide.size, financeTotal),
      difference: fromCents(fiscalTotal - financeTotal),
    },
    differences,
  };
}

const invalidQuery = (path: string, code: string, message: string) =>
  fail('invalid', 'FINANCE.INVALID_CLOSING_QUERY', 'The closing filters are not valid.', {
    errors: [{ path, code, message }],
  });

const within = (at: Date | null, from: Date, to: Date) => at !== null && at >= from && at < to;
const RETURN_KEY = 'return:';
const counted: readonly string[] = ['unsent', 'sending', 'contingency', 'authorised', 'cancelled'];

/** The closing of the stores the reader sees (or of one of them) on a São Paulo day (today by default). */
export async function closingOf(
  db: Db,
  reader: network.Viewer,
  query: ClosingQuery,
): Promise<Result<Closing>> {
  const day = query.day ?? saoPauloDay(new Date());
  if (!validDay(day)) return invalidQuery('/day', 'FINANCE.DAY_INVALID', 'is not a date (YYYY-MM-DD)');
  const stores = await network.storesWithin(db, reader, query.storeCode ? [query.storeCode] : undefined);
  if (query.storeCode && stores.length === 0)
    return fail(
      'not_found',
      'NETWORK.STORE_NOT_FOUND',
      `There is no store ${query.storeCode} visible to you.`,
    );
  const ids = stores.map((s) => s.id);
  if (ids.length === 0) return ok({ day, reconciled: true, stores: [] });

  const movements: MovementFact[] = (
    await db
      .select({
        entryId: financeEntries.id,
        kind: financeEntries.kind,
        key: financeEntries.key,
        entryOrderId: financeEntries.orderId,
        companyId: financeMovements.companyId,
        account: financeMovements.account,
        amount: financeMovements.amount,
        orderId: financeMovements.orderId,
      })
      .from(financeMovements)
      .innerJoin(financeEntries, eq(financeEntries.id, financeMovements.entryId))
      .where(and(inArray(financeMovements.companyId, ids), eq(financeMovements.day, day)))
  ).map((m) => ({
    ...m,
    kind: m.kind as EntryKind,
    account: m.account as Account,
    amount: centsOf(m.amount),
  }));
  const paid = await db
    .select({ companyId: refunds.companyId, method: refunds.method, amount: refunds.amount })
    .from(refunds)
    .innerJoin(financeEntries, eq(financeEntries.id, refunds.entryId))
    .where(and(inArray(refunds.companyId, ids), eq(financeEntries.day, day)));

  const documents = await fiscal.documentsOfDay(db, ids, day, ['order', 'order_return']);
  const from = startOfDay(day);
  const to = startOfDay(nextDay(day));
  // A return NF-e names the sale it reverses; the sale names the order.
  const saleKeys = [
    ...new Set(documents.flatMap((d) => (d.referenceType === 'order_return' ? d.referencedKeys : []))),
  ];
  const orderOfSale = new Map(
    (await fiscal.documentsByKeys(db, saleKeys))
      .filter((d) => d.referenceType === 'order')
      .map((d) => [d.accessKey, d.referenceId]),
  );

  const result: StoreClosing[] = stores.map((store) => {
    const mine = movements.filter((m) => m.companyId === store.id);
    const docs = documents.filter(
      (d) => d.storeId === store.id && counted.includes(d.status) && d.total !== null,
    );
    const figures = Object.fromEntries(
      (Object.keys(figureRules) as FigureName[]).map((name) => [name, perOrder(mine, name)]),
    ) as Record<FigureName, Map<string, Cents>>;

    const byMethod = refundMethods.map((method) => {
      const these = paid.filter((r) => r.companyId === store.id && r.method === method);
      return { method, ...figure(these.length, sumOf(these.map((r) => centsOf(r.amount)))) };
    });
    const storeRefunds = paid.filter((r) => r.companyId === store.id);

    const moved = accountNames
      .map((account) => {
        const these = mine.filter((m) => m.account === account);
        const debit = sumOf(these.filter((m) => m.amount > 0n).map((m) => m.amount));
        const credit = -sumOf(these.filter((m) => m.amount < 0n).map((m) => m.amount));
        return { account, label: accounts[account].label, debit, credit, count: these.length };
      })
      .filter((a) => a.count > 0)
      .map((a) => ({
        account: a.account,
        label: a.label,
        debit: fromCents(a.debit),
        credit: fromCents(a.credit),
        net: fromCents(a.debit - a.credit),
      }));

    // Fiscal side: sale documents authorised (or issued in contingency) that day, those cancelled that day,
    // return NF-e issued that day; matched by order (sales, cancellations) or by return (returns).
    const add = (
      m: Map<string, { value: Cents; orderId: string | null }>,
      key: string,
      value: Cents,
      orderId: string | null,
    ) => m.set(key, { value: (m.get(key)?.value ?? 0n) + value, orderId: m.get(key)?.orderId ?? orderId });
    const fiscalSales = new Map<string, { value: Cents; orderId: string | null }>();
    const fiscalCancellations = new Map<string, { value: Cents; orderId: string | null }>();
    const fiscalReturns = new Map<string, { value: Cents; orderId: string | null }>();
    for (const d of docs) {
      const total = centsOf(d.total!);
      if (d.referenceType === 'order' && d.purpose === 'sale') {
        const authorisedToday =
          within(d.authorisedAt, from, to) || (d.status === 'contingency' && within(d.issuedAt, from, to));
        if (authorisedToday) add(fiscalSales, d.referenceId, total, d.referenceId);
        if (d.status === 'cancelled' && within(d.cancelledAt, from, to))
          add(fiscalCancellations, d.referenceId, total, d.referenceId);
      } else if (
        d.referenceType === 'order_return' &&
        within(d.issuedAt, from, to) &&
        d.status !== 'cancelled'
      ) {
        const sale = d.referencedKeys.map((k) => orderOfSale.get(k)).find(Boolean) ?? null;
        add(fiscalReturns, d.referenceId, total, sale);
      }
    }
    const asSide = (m: Map<string, Cents>) =>
      new Map([...m].map(([order, value]) => [order, { value, orderId: order }]));
    const financeReturns = new Map<string, { value: Cents; orderId: string | null }>();
    const returnEntries = new Map<string, { key: string | null; orderId: string | null; value: Cents }>();
    for (const m of mine)
      if (m.kind === 'return_credit' && m.account === 'sales_returns') {
        const had = returnEntries.get(m.entryId);
        returnEntries.set(m.entryId, {
          key: m.key,
          orderId: m.orderId ?? m.entryOrderId,
          value: (had?.value ?? 0n) + m.amount,
        });
      }
    for (const [entryId, e] of returnEntries) {
      const reference = e.key?.startsWith(RETURN_KEY) ? e.key.slice(RETURN_KEY.length) : entryId;
      add(financeReturns, reference, e.value, e.orderId);
    }

    const sales = reconcile('sales', fiscalSales, asSide(figures.invoiced));
    const cancellations = reconcile(
      'cancellations',
      fiscalCancellations,
      asSide(figures.invoiceCancellations),
    );
    const returns = reconcile('returns', fiscalReturns, financeReturns);
    const differences = [...sales.differences, ...cancellations.differences, ...returns.differences];
    return {
      storeCode: store.code,
      storeName: store.name,
      empty: mine.length === 0 && docs.length === 0,
      accepted: figureOf(figures.accepted),
      invoiced: figureOf(figures.invoiced),
      invoiceCancellations: figureOf(figures.invoiceCancellations),
      advancesReleased: figureOf(figures.advancesReleased),
      advancesKept: figureOf(figures.advancesKept),
      credited: figureOf(figures.credited),
      refunded: {
        total: figure(storeRefunds.length, sumOf(storeRefunds.map((r) => centsOf(r.amount)))),
        byMethod,
      },
      accounts: moved,
      reconciliation: {
        sales: sales.line,
        cancellations: cancellations.line,
        returns: returns.line,
        reconciled: differences.length === 0,
        differences,
      },
    };
  });
  return ok({ day, reconciled: result.every((s) => s.reconciliation.reconciled), stores: result });
}

const figureLabels: Record<FigureName, string> = {
  accepted: 'Aceitos (adiantamento)',
  invoiced: 'Faturados (vendas)',
  invoiceCancellations: 'Notas canceladas',
  advancesReleased: 'Adiantamentos liberados',
  advancesKept: 'Adiantamentos mantidos',
  credited: 'Créditos por devolução',
};
const refundLabels: Record<RefundMethod, string> = {
  cash: 'Dinheiro',
  pix: 'Pix',
  card_reversal: 'Estorno no cartão',
  store_credit: 'Vale-crédito',
};
const reconciliationLabels: Record<ReconciliationKind, string> = {
  sales: 'Notas de venda autorizadas x faturamento',
  cancellations: 'Notas canceladas x cancelamentos',
  returns: 'Notas de devolução x créditos',
};

export const CLOSING_CSV_HEADER = ['loja', 'dia', 'grupo', 'item', 'quantidade', 'valor'];

function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The closing as CSV lines (one figure a line), pt-BR labels, amounts with a decimal point. */
export function closingCsv(closing: Closing): string {
  const lines = [CLOSING_CSV_HEADER.join(',')];
  const row = (s: StoreClosing, group: string, item: string, count: number | string, value: string) =>
    lines.push([s.storeCode, closing.day, group, item, count, value].map(csvCell).join(','));
  for (const s of closing.stores) {
    for (const name of Object.keys(figureLabels) as FigureName[])
      row(s, 'Movimento', figureLabels[name], s[name].count, s[name].value);
    for (const r of s.refunded.byMethod) row(s, 'Reembolsos', refundLabels[r.method], r.count, r.value);
    for (const a of s.accounts) {
      row(s, 'Conta: débitos', a.label, '', a.debit);
      row(s, 'Conta: créditos', a.label, '', a.credit);
      row(s, 'Conta: saldo do dia', a.label, '', a.net);
    }
    for (const kind of reconciliationKinds) {
      const line = s.reconciliation[kind];
      row(s, 'Conciliação: fiscal', reconciliationLabels[kind], line.fiscal.count, line.fiscal.value);
      row(s, 'Conciliação: financeiro', reconciliationLabels[kind], line.finance.count, line.finance.value);
      row(s, 'Conciliação: diferença', reconciliationLabels[kind], '', line.difference);
    }
    row(
      s,
      'Conciliação',
      s.reconciliation.reconciled ? 'Conciliado' : 'Diferenças',
      s.reconciliation.differences.length,
      '',
    );
    for (const d of s.reconciliation.differences)
      row(s, `Diferença: ${reconciliationLabels[d.kind]}`, d.orderId ?? d.reference, '', d.difference);
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
