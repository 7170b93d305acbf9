/**
 * The posting rules (domain.ts `entryKinds`): what each event of an omni purchase writes, inside the
 * transaction of the change that causes it. The orders flow hands the facts (finance sits below orders);
 * every function here is idempotent on its event (an entry key, or balances that are already where the
 * event wants them), so a retried request or a replayed job posts nothing twice.
 */
import { randomUUID } from 'node:crypto';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { saoPauloDay } from '../platform/format-br.ts';
import { type Cents, centsOf, fromCents } from '../platform/money.ts';
import {
  type Account,
  betweenCompanies,
  type EntryKind,
  groupPayments,
  type Movement,
  type PaymentFact,
  type RefundMethod,
  receivableOf,
  refundAccount,
  shares,
  unbalancedCompanies,
  undeclaredMovements,
} from './domain.ts';
import { receivableSettings } from './payment-methods.ts';
import * as store from './store.ts';

/** An order of the purchase as the orders flow hands it to finance. */
export interface OrderFacts {
  id: string;
  number: number | null;
  networkId: string;
  storeId: string;
  status: string;
  total: string;
  customerDocument: string;
  customerName: string;
  payments: readonly {
    method: PaymentFact['method'];
    amount: string;
    installments: number | null;
    partyDocument: string | null;
  }[];
}

/** A purchase: the order the platform sent and the orders re-routed from it (its family), root first. */
export interface Purchase {
  rootId: string;
  orders: readonly OrderFacts[];
}

interface Posting {
  kind: EntryKind;
  key?: string | null;
  orderId: string | null;
  reference?: string | null;
  description: string;
  actor: string;
  movements: Movement[];
  /** Receivables the entry raises, written with it (the movements name them). */
  receivables?: store.NewReceivable[];
}

function orderOf(p: Purchase, orderId: string): OrderFacts {
  const order = p.orders.find((o) => o.id === orderId);
  if (!order) throw new Error(`order ${orderId} is not part of purchase ${p.rootId}`);
  return order;
}

/** Writes one balanced entry; nothing when its key was posted already or it moves nothing. */
async function post(tx: Db, p: Purchase, posting: Posting, at = new Date()): Promise<string | undefined> {
  const movements = posting.movements.filter((m) => m.amount !== 0n);
  if (movements.length === 0) return undefined;
  const off = unbalancedCompanies(movements);
  if (off.length)
    throw new Error(`finance ${posting.kind} of ${p.rootId} does not balance in ${off.join(', ')}`);
  // The declaration in domain.ts is what docs/finance.md tells: a movement it does not name is a bug here.
  const undeclared = undeclaredMovements(posting.kind, movements);
  if (undeclared.length)
    throw new Error(
      `finance ${posting.kind} of ${p.rootId} writes ${undeclared
        .map((m) => `${m.amount > 0n ? 'a debit' : 'a credit'} to ${m.account}`)
        .join(', ')}, which entryKinds.${posting.kind} does not declare`,
    );
  const root = orderOf(p, p.rootId);
  const id = randomUUID();
  const day = saoPauloDay(at);
  const inserted = await store.insertEntry(tx, {
    id,
    networkId: root.networkId,
    kind: posting.kind,
    key: posting.key ?? null,
    rootOrderId: p.rootId,
    orderId: posting.orderId,
    customerDocument: root.customerDocument,
    reference: posting.reference ?? null,
    description: posting.description,
    actor: posting.actor,
    day,
    createdAt: at,
  });
  if (!inserted) return undefined;
  if (posting.receivables?.length) await store.insertReceivables(tx, posting.receivables);
  await store.insertMovements(
    tx,
    movements.map((m) => ({
      entryId: id,
      companyId: m.companyId,
      account: m.account,
      amount: fromCents(m.amount),
      orderId: m.orderId,
      receivableId: m.receivableId ?? null,
      counterpartyId: m.counterpartyId ?? null,
      day,
    })),
  );
  return id;
}

/** What the company holds of `account` for an order, per company (a liability's credit as positive). */
async function held(tx: Db, orderId: string, account: Account): Promise<Map<string, Cents>> {
  const balances = await store.orderBalances(tx, orderId, account);
  return new Map([...balances].map(([c, v]) => [c, -v]));
}

/** The smaller of two amounts (Math.min takes no bigint). */
function least(a: Cents, b: Cents): Cents {
  if (a < b) return a;
  return b;
}

const label = (o: OrderFacts) => (o.number ? `pedido Nº ${o.number}` : 'pedido');

/**
 * Seed 003 Financeiro: at the first acceptance of the purchase, one receivable per payment document and the
 * advance for the whole purchase, in the accepting company (with IN_BAIXA_PED_POOL_EMP another company of the
 * pool accepts, and the finance is its). Nothing when the purchase has it already.
 */
async function openPurchase(tx: Db, p: Purchase, companyId: string, actor: string, at: Date): Promise<void> {
  if (await store.hasEntryOf(tx, p.rootId, 'acceptance')) return;
  const live = p.orders.filter((o) => o.status !== 'cancelled');
  const root = orderOf(p, p.rootId);
  const settings = await receivableSettings(tx, companyId);
  const issuedOn = saoPauloDay(at);
  const grouped = groupPayments(
    live.flatMap((o) =>
      o.payments.map((pay) => ({
        method: pay.method,
        amount: centsOf(pay.amount),
        installments: pay.installments,
        partyDocument: pay.partyDocument,
      })),
    ),
  );
  const rows = grouped.map((payment) => {
    const raised = receivableOf(payment, settings);
    return {
      id: randomUUID(),
      networkId: root.networkId,
      companyId,
      rootOrderId: p.rootId,
      orderId: p.rootId,
      method: payment.method,
      documentType: raised.documentType,
      paymentMethodCode: settings.paymentMethodCode,
      paymentMethodConfigured: settings.configured,
      partyKind: raised.partyKind,
      partyDocument: raised.partyDocument ?? root.customerDocument,
      partyName: raised.partyKind === 'customer' ? root.customerName : null,
      marketplaceUnnamed: raised.marketplaceUnnamed,
      amount: fromCents(payment.amount),
      installments: Math.max(1, payment.installments ?? 1),
      issuedOn,
      createdAt: at,
    };
  });
  const movements: Movement[] = [
    ...rows.map((r) => ({
      companyId,
      account: 'receivable' as const,
      amount: centsOf(r.amount),
      orderId: p.rootId,
      receivableId: r.id,
    })),
    ...live.map((o) => ({
      companyId,
      account: 'customer_advance' as const,
      amount: -centsOf(o.total),
      orderId: o.id,
    })),
  ];
  const off = unbalancedCompanies(movements);
  if (off.length) throw new Error(`purchase ${p.rootId}: its payments do not add up to its orders' totals`);
  await post(
    tx,
    p,
    {
      kind: 'acceptance',
      key: `acceptance:${p.rootId}`,
      orderId: p.rootId,
      description: `Aceite: ${rows.length} fatura(s) e adiantamento de ${fromCents(
        live.reduce((a, o) => a + centsOf(o.total), 0n),
      )}`,
      actor,
      movements,
      receivables: rows,
    },
    at,
  );
}

/** Seed 003: the advance of an order moves from the company holding it to the one acting on the order. */
async function bringAdvance(tx: Db, p: Purchase, orderId: string, to: string, actor: string): Promise<void> {
  const order = orderOf(p, orderId);
  const movements: Movement[] = [];
  for (const [company, amount] of await held(tx, orderId, 'customer_advance'))
    if (company !== to && amount > 0n)
      movements.push(...betweenCompanies(company, to, 'customer_advance', amount, orderId));
  await post(tx, p, {
    kind: 'advance_transfer',
    orderId,
    description: `Transferência do adiantamento do ${label(order)} para a empresa que o atende`,
    actor,
    movements,
  });
}

/** The order was accepted by its store. */
export async function onAccepted(tx: Db, p: Purchase, orderId: string, actor: string, at = new Date()) {
  await store.lockPurchase(tx, p.rootId);
  const order = orderOf(p, orderId);
  await openPurchase(tx, p, order.storeId, actor, at);
  await bringAdvance(tx, p, orderId, order.storeId, actor);
}

/** Seed 003 Finalização: the order was invoiced; the sale is settled with its advance. */
export async function onInvoiced(
  tx: Db,
  p: Purchase,
  orderId: string,
  opts: { actor: string; documentKey?: string | null },
  at = new Date(),
) {
  await store.lockPurchase(tx, p.rootId);
  const order = orderOf(p, orderId);
  // An order accepted before finance existed gets its receivables and advance now.
  await openPurchase(tx, p, order.storeId, opts.actor, at);
  await bringAdvance(tx, p, orderId, order.storeId, opts.actor);
  const total = centsOf(order.total);
  const company = order.storeId;
  await post(
    tx,
    p,
    {
      kind: 'invoice',
      key: `invoice:${orderId}`,
      orderId,
      reference: opts.documentKey ?? null,
      description: `Faturamento do ${label(order)} liquidado com o adiantamento`,
      actor: opts.actor,
      movements: [
        { companyId: company, account: 'customer_invoice', amount: total, orderId },
        { companyId: company, account: 'sales', amount: -total, orderId },
        { companyId: company, account: 'customer_advance', amount: total, orderId },
        { companyId: company, account: 'customer_invoice', amount: -total, orderId },
      ],
    },
    at,
  );
}

/**
 * Seed 003 Cancelamento: an order of the purchase was cancelled. An invoice cancelled inside its window is
 * undone first (the advance is back); then the order's advance is kept as the customer's credit or
 * released to the payers as IN_MANTER_SALD_ADIAN says at the order's store.
 */
export async function onCancelled(
  tx: Db,
  p: Purchase,
  orderId: string,
  opts: { actor: string; reason: string | null },
  at = new Date(),
) {
  await store.lockPurchase(tx, p.rootId);
  if (!(await store.hasEntryOf(tx, p.rootId, 'acceptance'))) return;
  const order = orderOf(p, orderId);
  const invoice = await store.entryByKey(tx, `invoice:${orderId}`);
  if (invoice) {
    const total = centsOf(order.total);
    const company = order.storeId;
    await post(
      tx,
      p,
      {
        kind: 'invoice_cancellation',
        key: `invoice_cancellation:${orderId}`,
        orderId,
        reference: invoice.reference,
        description: `Nota do ${label(order)} cancelada no prazo: venda e liquidação desfeitas`,
        actor: opts.actor,
        movements: [
          { companyId: company, account: 'sales', amount: total, orderId },
          { companyId: company, account: 'customer_invoice', amount: -total, orderId },
          { companyId: company, account: 'customer_invoice', amount: total, orderId },
          { companyId: company, account: 'customer_advance', amount: -total, orderId },
        ],
      },
      at,
    );
  }
  const keep = (await parameters.resolve(tx, order.storeId, 'IN_MANTER_SALD_ADIAN')).value === true;
  if (keep) {
    const movements: Movement[] = [];
    for (const [company, amount] of await held(tx, orderId, 'customer_advance'))
      if (amount > 0n)
        movements.push(
          { companyId: company, account: 'customer_advance', amount, orderId },
          { companyId: company, account: 'customer_credit', amount: -amount, orderId },
        );
    await post(
      tx,
      p,
      {
        kind: 'advance_kept',
        key: `cancel:${orderId}`,
        orderId,
        description: `Pedido cancelado: adiantamento mantido como crédito do cliente (IN_MANTER_SALD_ADIAN)${
          opts.reason ? ` — ${opts.reason}` : ''
        }`,
        actor: opts.actor,
        movements,
      },
      at,
    );
    return;
  }
  await releaseToPayers(tx, p, orderId, 'customer_advance', 'advance_release', `cancel:${orderId}`, opts, at);
}

/**
 * Gives `account`'s balance of the order back to the payers: moved to the company holding the receivables,
 * then credited to the open receivables in proportion (what they cannot absorb stays the customer's credit).
 */
async function releaseToPayers(
  tx: Db,
  p: Purchase,
  orderId: string,
  account: Account,
  kind: EntryKind,
  key: string,
  opts: { actor: string; reason: string | null },
  at: Date,
): Promise<Cents> {
  const open = (await store.receivablesOfPurchase(tx, p.rootId)).filter((r) => r.open > 0n);
  const holder = open[0]?.companyId ?? orderOf(p, orderId).storeId;
  const movements: Movement[] = [];
  let amount = 0n;
  for (const [company, value] of await held(tx, orderId, account)) {
    if (value <= 0n) continue;
    amount += value;
    movements.push(...betweenCompanies(company, holder, account, value, orderId));
  }
  const absorbable = open.reduce((a, r) => a + r.open, 0n);
  const toPayers = least(amount, absorbable);
  const parts = shares(
    toPayers,
    open.map((r) => r.open),
  );
  movements.push({ companyId: holder, account, amount: toPayers, orderId });
  open.forEach((r, i) => {
    if (parts[i]! > 0n)
      movements.push({
        companyId: holder,
        account: 'receivable',
        amount: -parts[i]!,
        orderId,
        receivableId: r.id,
      });
  });
  const leftover = amount - toPayers;
  if (leftover > 0n && account !== 'customer_credit')
    movements.push(
      { companyId: holder, account, amount: leftover, orderId },
      { companyId: holder, account: 'customer_credit', amount: -leftover, orderId },
    );
  const order = orderOf(p, orderId);
  await post(
    tx,
    p,
    {
      kind,
      key,
      orderId,
      description:
        kind === 'advance_release'
          ? `Pedido cancelado: adiantamento do ${label(order)} liberado, cobrança desfeita no pagador${
              opts.reason ? ` — ${opts.reason}` : ''
            }`
          : `Estorno no cartão do ${label(order)}`,
      actor: opts.actor,
      movements,
    },
    at,
  );
  return toPayers;
}

/**
 * Lines of an order were re-routed to a new order of the purchase: when the purchase has its advance, the
 * share of the moved lines follows them, in the company that holds it.
 */
export async function onRerouted(
  tx: Db,
  p: Purchase,
  fromOrderId: string,
  toOrderId: string,
  amount: Cents,
  actor: string,
) {
  await store.lockPurchase(tx, p.rootId);
  if (!(await store.hasEntryOf(tx, p.rootId, 'acceptance'))) return;
  const movements: Movement[] = [];
  let left = amount;
  for (const [company, value] of await held(tx, fromOrderId, 'customer_advance')) {
    const take = least(value, left);
    if (take <= 0n) continue;
    left -= take;
    movements.push(
      { companyId: company, account: 'customer_advance', amount: take, orderId: fromOrderId },
      { companyId: company, account: 'customer_advance', amount: -take, orderId: toOrderId },
    );
  }
  await post(tx, p, {
    kind: 'reroute',
    key: `reroute:${toOrderId}`,
    orderId: toOrderId,
    description: `Adiantamento de ${fromCents(amount - left)} acompanha os itens reencaminhados para o ${label(orderOf(p, toOrderId))}`,
    actor,
    movements,
  });
}

/**
 * Seed 003 Cancelamento (outside the window) and returns: a return NF-e reversed the sale of goods worth
 * `amount` at the order's store; the amount is credited to the customer. Once per return.
 */
export async function creditReturn(
  tx: Db,
  p: Purchase,
  orderId: string,
  opts: { returnId: string; amount: Cents; actor: string; documentKey?: string | null; description: string },
  at = new Date(),
) {
  await store.lockPurchase(tx, p.rootId);
  const order = orderOf(p, orderId);
  const company = order.storeId;
  await post(
    tx,
    p,
    {
      kind: 'return_credit',
      key: `return:${opts.returnId}`,
      orderId,
      reference: opts.documentKey ?? opts.returnId,
      description: opts.description,
      actor: opts.actor,
      movements: [
        { companyId: company, account: 'sales_returns', amount: opts.amount, orderId },
        { companyId: company, account: 'customer_credit', amount: -opts.amount, orderId },
      ],
    },
    at,
  );
}

/** The customer's credit on the purchase (what the network owes them), in cents. */
export async function creditOf(tx: Db, rootOrderId: string): Promise<Cents> {
  const balances = await store.purchaseBalances(tx, rootOrderId, 'customer_credit');
  return -[...balances.values()].reduce((a, b) => a + b, 0n);
}

export interface RefundInput {
  method: RefundMethod;
  amount: Cents;
  /** The store paying it back. */
  companyId: string;
  actor: string;
  note?: string | null;
  /** Makes the refund happen once (a POS return's id, or the request's idempotency). */
  key: string;
}

/**
 * Pays the customer's credit back (seed 003: refunds are apart from returns): from the store's own credit
 * first, then the other companies'; a card charge-back reduces the purchase's receivables.
 */
export async function refund(
  tx: Db,
  p: Purchase,
  orderId: string,
  input: RefundInput,
  at = new Date(),
): Promise<Result<{ id: string } | null>> {
  await store.lockPurchase(tx, p.rootId);
  if (await store.entryByKey(tx, `refund:${input.key}`)) return ok(null);
  const credit = await creditOf(tx, p.rootId);
  if (input.amount <= 0n || input.amount > credit)
    return fail(
      'invalid',
      'FINANCE.REFUND_ABOVE_CREDIT',
      `The customer's credit on this purchase is ${fromCents(credit)}: a refund is more than zero and at most that.`,
      {
        errors: [
          {
            path: '/amount',
            code: 'FINANCE.REFUND_ABOVE_CREDIT',
            params: { max: fromCents(credit) },
            message: `must be more than 0.00 and at most ${fromCents(credit)}`,
          },
        ],
        data: { credit: fromCents(credit) },
      },
    );
  const account = refundAccount[input.method];
  const byCompany = [...(await store.purchaseBalances(tx, p.rootId, 'customer_credit'))]
    .map(([company, v]) => [company, -v] as const)
    .filter(([, v]) => v > 0n)
    .sort(([a], [b]) => (a === input.companyId ? -1 : b === input.companyId ? 1 : 0));
  const movements: Movement[] = [];
  let left = input.amount;
  const receivablesOpen = (await store.receivablesOfPurchase(tx, p.rootId)).filter((r) => r.open > 0n);
  const target =
    account === 'receivable' ? (receivablesOpen[0]?.companyId ?? input.companyId) : input.companyId;
  if (account === 'receivable') {
    const absorbable = receivablesOpen.reduce((a, r) => a + r.open, 0n);
    if (input.amount > absorbable)
      return fail(
        'invalid',
        'FINANCE.CHARGEBACK_ABOVE_RECEIVABLE',
        `A card charge-back reduces the purchase's open receivables, ${fromCents(absorbable)} in all: refund the rest another way.`,
        {
          errors: [
            {
              path: '/amount',
              code: 'FINANCE.CHARGEBACK_ABOVE_RECEIVABLE',
              params: { max: fromCents(absorbable) },
              message: `must be at most ${fromCents(absorbable)} by card`,
            },
          ],
        },
      );
  }
  for (const [company, value] of byCompany) {
    if (left === 0n) break;
    const take = least(value, left);
    left -= take;
    movements.push(...betweenCompanies(company, target, 'customer_credit', take, orderId));
  }
  movements.push({ companyId: target, account: 'customer_credit', amount: input.amount, orderId });
  if (account === 'receivable') {
    const parts = shares(
      input.amount,
      receivablesOpen.map((r) => r.open),
    );
    receivablesOpen.forEach((r, i) => {
      if (parts[i]! > 0n)
        movements.push({
          companyId: target,
          account: 'receivable',
          amount: -parts[i]!,
          orderId,
          receivableId: r.id,
        });
    });
  } else movements.push({ companyId: target, account, amount: -input.amount, orderId });
  const order = orderOf(p, orderId);
  const entryId = await post(
    tx,
    p,
    {
      kind: 'refund',
      key: `refund:${input.key}`,
      orderId,
      description: `Reembolso de ${fromCents(input.amount)} ao cliente do ${label(order)} (${input.method})`,
      actor: input.actor,
      movements,
    },
    at,
  );
  if (!entryId) return ok(null);
  const id = randomUUID();
  await store.insertRefund(tx, {
    id,
    networkId: order.networkId,
    companyId: target,
    orderId,
    rootOrderId: p.rootId,
    method: input.method,
    amount: fromCents(input.amount),
    entryId,
    note: input.note ?? null,
    actor: input.actor,
    createdAt: at,
  });
  return ok({ id });
}
