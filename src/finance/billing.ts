/**
 * The duplicatas of an order's NF-e (`<cobr><dup>`) are its billed receivable's instalments: one schedule,
 * read by the NF-e and shown by finance. A billed payment ("invoice": boleto / faturado) raises a receivable
 * at the purchase's first acceptance; its instalments fall due every 30 days counted from the later of the
 * acceptance day and the day the purchase was first invoiced, so no duplicata falls due before its NF-e is
 * issued (an NF-e refuses such a due date) and finance shows exactly the schedule the NF-e printed.
 */
import { installmentsOf } from '../fiscal/service.ts';
import type { Db } from '../platform/db/index.ts';
import { type Cents, centsOf, fromCents } from '../platform/money.ts';
import { groupPayments, type PaymentFact } from './domain.ts';
import type { Purchase } from './ledger.ts';
import * as store from './store.ts';

/** The day a receivable's instalments count from: the later of its acceptance day and the first invoicing. */
export function dueFrom(acceptedOn: string, invoicedOn: string | null): string {
  return invoicedOn && invoicedOn > acceptedOn ? invoicedOn : acceptedOn;
}

/** The receivable's instalments: `count` parts 30 days apart from `from`, the odd cents in the first. */
export function scheduleOf(
  amount: Cents,
  count: number,
  from: string,
): readonly { number: string; dueDate: string; amount: Cents }[] {
  return installmentsOf(amount, Math.max(1, count), from);
}

/** The day the purchase was first invoiced (its earliest invoice entry), null before. */
export async function firstInvoicedOn(db: Db, rootOrderId: string): Promise<string | null> {
  return store.firstDayOf(db, rootOrderId, 'invoice');
}

export interface BilledInstallment {
  /** nDup: 001, 002, … across the order's billed receivables. */
  number: string;
  dueDate: string;
  amount: string;
}

/**
 * The duplicatas the order's NF-e issued on `issuedOn` carries: for each billed receivable of the purchase,
 * the order's share (its own billed payments of that receivable) split over the receivable's instalments on
 * the receivable's due dates. Null when the purchase has no receivables yet (an order accepted before
 * finance existed: invoicing raises them the same day, so the NF-e counts from its issue day, as finance
 * will). The purchase's first NF-e counts from its own issue day when that is later than acceptance; a later
 * order of the same purchase invoiced after a due date gets that duplicata due on its issue day.
 */
export async function billingOf(
  db: Db,
  p: Purchase,
  orderId: string,
  issuedOn: string,
): Promise<BilledInstallment[] | null> {
  const all = await store.receivablesOfPurchase(db, p.rootId);
  if (all.length === 0) return null;
  const found = all.filter((r) => r.method === 'invoice');
  const order = p.orders.find((o) => o.id === orderId);
  if (!order) throw new Error(`order ${orderId} is not part of purchase ${p.rootId}`);
  const invoicedOn = (await firstInvoicedOn(db, p.rootId)) ?? issuedOn;
  const own = groupPayments(
    order.payments
      .filter((pay) => pay.method === 'invoice')
      .map(
        (pay): PaymentFact => ({
          method: pay.method,
          amount: centsOf(pay.amount),
          installments: pay.installments,
          partyDocument: pay.partyDocument,
        }),
      ),
  );
  const out: BilledInstallment[] = [];
  for (const payment of own) {
    const count = Math.max(1, payment.installments ?? 1);
    const receivable = found.find(
      (r) =>
        r.installments === count &&
        (payment.partyDocument ? r.partyDocument === payment.partyDocument : r.partyKind === 'customer'),
    );
    const from = dueFrom(receivable?.issuedOn ?? issuedOn, invoicedOn);
    for (const due of scheduleOf(payment.amount, count, from))
      out.push({
        number: String(out.length + 1).padStart(3, '0'),
        dueDate: due.dueDate < issuedOn ? issuedOn : due.dueDate,
        amount: fromCents(due.amount),
      });
  }
  return out;
}
