import { randomUUID } from 'node:crypto';
import * as audit from '../../audit/service.ts';
import * as finance from '../../finance/service.ts';
import * as fiscal from '../../fiscal/service.ts';
import * as network from '../../network/service.ts';
import * as orders from '../../orders/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { type Failure, type FieldError, fail, ok, type Result } from '../../platform/errors.ts';

type Failed = { ok: false; failure: Failure };

import { saoPauloDay } from '../../platform/format-br.ts';
import type { Principal } from '../../platform/http/access.ts';
import { centsOf, fromCents } from '../../platform/money.ts';
import { resolveMunicipality } from '../../platform/municipalities/index.ts';
import * as stock from '../../stock/service.ts';
import {
  fullyReturned,
  isValidOn,
  OMNI_RETURN,
  type RefundMethod,
  type ReturnReasonType,
  reasonErrors,
  remainingBySku,
  returnedValue,
  returnLineProblems,
} from './domain.ts';
import * as store from './store.ts';

/** The reference type of a return's NF-e de entrada and of its stock movements. */
export const RETURN_REFERENCE = 'order_return';
/** The webhook event of a return, beside `order.status_changed`. */
export const ORDER_RETURNED = 'order.returned';
/** Goods come back only from a sale that has its authorised document. */
export const returnableStatuses: readonly orders.OrderStatus[] = ['invoiced', 'delivered'];

// --- reasons --------------------------------------------------------------------------------------

export interface ReasonView {
  code: string;
  description: string;
  type: ReturnReasonType;
  validFrom: string;
  validTo: string | null;
  active: boolean;
  /** Active and within its period today (São Paulo). */
  current: boolean;
  version: number;
  updatedAt: string;
}

export interface ReasonFields {
  description: string;
  type: ReturnReasonType;
  validFrom: string;
  validTo?: string | null;
  active?: boolean;
}

const today = () => saoPauloDay(new Date());

const toReasonView = (r: store.ReasonRow, day = today()): ReasonView => ({
  code: r.code,
  description: r.description,
  type: r.type,
  validFrom: r.validFrom,
  validTo: r.validTo,
  active: r.active,
  current: isValidOn(r, day),
  version: r.version,
  updatedAt: r.updatedAt.toISOString(),
});

const reasonNotFound = (code: string) =>
  fail('not_found', 'RETURN.REASON_NOT_FOUND', `There is no return reason ${code} in your network.`);

const invalidReason = (errors: FieldError[]) =>
  fail('invalid', 'RETURN.INVALID_REASON', 'Some fields of the return reason are invalid.', { errors });

/**
 * The network's reasons. A POS is offered only those it may choose today (the seeds' "baixa ao PDV"); the
 * back office sees them all, or only the current ones with `current`.
 */
export async function listReasons(
  db: Db,
  viewer: Principal,
  query: { type?: ReturnReasonType; current?: boolean } = {},
): Promise<ReasonView[]> {
  const day = today();
  const validOn = viewer.actor === 'pos' || query.current ? day : undefined;
  const rows = await store.listReasons(db, viewer.networkId, { type: query.type, validOn });
  return rows.map((r) => toReasonView(r, day));
}

export async function getReason(db: Db, viewer: Principal, code: string): Promise<Result<ReasonView>> {
  const row = await store.findReason(db, viewer.networkId, code);
  if (!row || (viewer.actor === 'pos' && !isValidOn(row, today()))) return reasonNotFound(code);
  return ok(toReasonView(row));
}

const snapshot = (r: store.ReasonRow) => ({
  description: r.description,
  type: r.type,
  validFrom: r.validFrom,
  validTo: r.validTo,
  active: r.active,
});

async function auditScope(db: Db, editor: Principal) {
  const node = await network.getNodeById(db, editor.nodeId);
  if (!node) throw new Error(`the editor's node ${editor.nodeId} is gone`);
  return audit.scopeOf(node);
}

const reasonTarget = (r: store.ReasonRow) => ({ type: 'return_reason', id: r.code, label: r.description });

/** An admin registers a reason for the whole network. */
export async function createReason(
  db: Db,
  editor: Principal,
  input: ReasonFields & { code: string },
): Promise<Result<ReasonView>> {
  const errors = reasonErrors(input);
  if (errors.length) return invalidReason(errors);
  return transaction(db, async (tx) => {
    const row = await store.insertReason(tx, {
      id: randomUUID(),
      networkId: editor.networkId,
      code: input.code,
      type: input.type,
      description: input.description.trim(),
      validFrom: input.validFrom,
      validTo: input.validTo ?? null,
      active: input.active ?? true,
      updatedBy: `${editor.kind}:${editor.id}`,
    });
    if (!row)
      return fail(
        'conflict',
        'RETURN.REASON_CODE_TAKEN',
        `The network has a return reason ${input.code} already.`,
        {
          errors: [
            {
              path: '/code',
              code: 'RETURN.REASON_CODE_TAKEN',
              params: { code: input.code },
              message: 'is taken',
            },
          ],
        },
      );
    await audit.record(tx, editor, await auditScope(tx, editor), {
      action: 'return_reason.created',
      target: reasonTarget(row),
      before: null,
      after: snapshot(row),
    });
    return ok(toReasonView(row));
  });
}

/** Replaces a reason's fields (deactivating is `active: false`); `version`, when sent, must be the current one. */
export async function updateReason(
  db: Db,
  editor: Principal,
  code: string,
  input: ReasonFields & { version?: number },
): Promise<Result<ReasonView>> {
  const errors = reasonErrors(input);
  if (errors.length) return invalidReason(errors);
  return transaction(db, async (tx) => {
    const before = await store.findReason(tx, editor.networkId, code, true);
    if (!before) return reasonNotFound(code);
    if (input.version !== undefined && input.version !== before.version)
      return fail(
        'conflict',
        'RETURN.REASON_STALE',
        `The reason changed since you read it (version ${before.version}).`,
        {
          data: { version: before.version },
        },
      );
    const after = await store.updateReason(tx, before.id, {
      description: input.description.trim(),
      type: input.type,
      validFrom: input.validFrom,
      validTo: input.validTo ?? null,
      active: input.active ?? before.active,
      updatedBy: `${editor.kind}:${editor.id}`,
    });
    const was = snapshot(before);
    const now = snapshot(after);
    if (JSON.stringify(was) !== JSON.stringify(now))
      await audit.record(tx, editor, await auditScope(tx, editor), {
        action: before.active && !after.active ? 'return_reason.deactivated' : 'return_reason.updated',
        target: reasonTarget(after),
        before: was,
        after: now,
      });
    return ok(toReasonView(after));
  });
}

/** The reasons of the demo network: what a cashier is offered on the first start. */
export async function seedReasons(db: Db, networkId: string): Promise<void> {
  const reasons: [string, string][] = [
    ['01', 'Produto com defeito'],
    ['02', 'Arrependimento da compra'],
    ['03', 'Tamanho ou cor diferente do esperado'],
  ];
  for (const [code, description] of reasons)
    await store.insertReason(db, {
      id: randomUUID(),
      networkId,
      code,
      type: OMNI_RETURN,
      description,
      validFrom: '2024-01-01',
      validTo: null,
      active: true,
      updatedBy: 'system:demo-seed',
    });
}

// --- returns --------------------------------------------------------------------------------------

export interface CustomerAddress {
  street: string;
  number: string;
  complement?: string | null;
  district: string;
  city: string;
  cityCode?: string | null;
  state: string;
  postalCode: string;
}

export interface ReturnInput {
  orderNumber: number;
  items: { sku: string; quantity: number }[];
  reasonCode?: string;
  refund?: { method: RefundMethod; amount?: string };
  /** The customer's address as the cashier asks it, for an order that has none (a pickup). */
  customerAddress?: CustomerAddress;
}

/** The address as the NF-e takes it: the IBGE code resolved from the UF and the city's name when it lacks one. */
function withCityCode(address: CustomerAddress | null | undefined) {
  if (!address) return null;
  const cityCode = address.cityCode ?? resolveMunicipality(address.state, address.city)?.code ?? null;
  return { ...address, complement: address.complement ?? null, cityCode };
}

/**
 * Where the goods come from for the NF-e's `dest`: the order's address when its city has an IBGE code, else
 * the one asked (at the counter, in "Cancelar pedido"), else the order's for fiscal to name what it lacks.
 */
function senderAddress(ordered: CustomerAddress | null, asked: CustomerAddress | undefined) {
  const own = withCityCode(ordered);
  if (own?.cityCode) return own;
  return withCityCode(asked) ?? own;
}

/**
 * Whether a return of the order needs the customer's address asked (`customerAddress`): the order has none (a
 * pickup), or its city is not in the IBGE table, so its return NF-e could not name the customer.
 */
export const needsCustomerAddress = (ordered: CustomerAddress | null): boolean =>
  !withCityCode(ordered)?.cityCode;

export interface ReturnView {
  id: string;
  orderId: string;
  orderNumber: number;
  storeCode: string;
  reason: { code: string; description: string } | null;
  items: {
    sku: string;
    description: string;
    quantity: number;
    unitPrice: string;
    discount: string;
    total: string;
  }[];
  total: string;
  refund: { method: RefundMethod; amount: string } | null;
  /** Nothing of the order is left to give back. */
  full: boolean;
  fiscalDocumentId: string;
  createdAt: string;
}

export interface Returned {
  return: ReturnView;
  fiscalDocumentId: string;
  stockMovements: (stock.Movement & { sku: string })[];
}

/**
 * The reason of a return of an omni order: one of the network's `oms_order_return` reasons valid today.
 * Required while the network has any (seed 000 §3.5.2: without registered reasons the POS shows no reason
 * screen, and the return goes without one).
 */
async function omniReason(
  tx: Db,
  networkId: string,
  code: string | undefined,
): Promise<Result<store.ReasonRow | null>> {
  const day = today();
  const offered = await store.listReasons(tx, networkId, { type: OMNI_RETURN, validOn: day });
  const refuse = (errorCode: string, message: string, params: Record<string, unknown> = {}) =>
    fail(
      'invalid',
      'RETURN.REASON_INVALID',
      `A return of an omni order needs a valid omni reason: ${message}.`,
      {
        errors: [{ path: '/reasonCode', code: errorCode, params, message }],
        data: { offered: offered.map((r) => ({ code: r.code, description: r.description })) },
      },
    );
  if (code === undefined) {
    if (offered.length === 0) return ok(null);
    return refuse('RETURN.REASON_REQUIRED', 'is required (choose one of the omni return reasons)', {
      offered: offered.map((r) => r.code),
    });
  }
  const reason = await store.findReason(tx, networkId, code);
  if (!reason) return refuse('RETURN.REASON_UNKNOWN', `there is no reason ${code}`, { code });
  if (reason.type !== OMNI_RETURN)
    return refuse('RETURN.REASON_NOT_OMNI', `${code} is not a reason of type "Devolução Pedido OMS"`, {
      code,
      type: reason.type,
    });
  if (!reason.active) return refuse('RETURN.REASON_INACTIVE', `${code} is inactive`, { code });
  if (!isValidOn(reason, day))
    return refuse(
      'RETURN.REASON_OUT_OF_PERIOD',
      `${code} is valid from ${reason.validFrom} to ${reason.validTo ?? '…'}`,
      {
        code,
        validFrom: reason.validFrom,
        validTo: reason.validTo,
      },
    );
  return ok(reason);
}

/**
 * The customer's address is what the cashier can supply: the fiscal fields it lacks are named under
 * `/customerAddress` of this request (RETURN.CUSTOMER_ADDRESS_REQUIRED), the rest as fiscal said.
 */
function askedAddress<T>(failed: { ok: false; failure: Failure }): Result<T> {
  const errors = failed.failure.errors ?? [];
  const address = errors.filter((e) => e.path.startsWith('/recipient/address'));
  if (failed.failure.code !== 'FISCAL.DATA_INCOMPLETE' || address.length === 0) return failed;
  return fail(
    'invalid',
    'RETURN.CUSTOMER_ADDRESS_REQUIRED',
    'The return NF-e names the customer with an address: the order has none complete, so ask for it (customerAddress).',
    {
      errors: errors.map((e) =>
        e.path.startsWith('/recipient/address')
          ? { ...e, path: e.path.replace('/recipient/address', '/customerAddress') }
          : e,
      ),
    },
  );
}

const noOrder = (number: number) =>
  fail('not_found', 'ORDER.NOT_FOUND', `There is no order ${number} at your store.`);

/** What may come back, as the caller asked: some lines, or everything still left to return. */
export interface ReturnRequest {
  /** `rest`: everything sold and not returned yet (a sale reversed outside the NF-e cancellation window). */
  items: { sku: string; quantity: number }[] | 'rest';
  /** An omni reason code (POS, back office), or the free text of a reversal that stands for a cancellation. */
  reason: { code?: string } | { reversal: string };
  refund?: { method: RefundMethod; amount?: string };
  customerAddress?: CustomerAddress;
  /** Where the goods came back, for the history's words. */
  channel: 'pos' | 'back_office' | 'reversal';
}

const channelWords: Record<ReturnRequest['channel'], string> = {
  pos: 'Devolução no PDV',
  back_office: 'Devolução registrada no back office',
  reversal: 'Estorno por NF-e de devolução (fora do prazo de cancelamento)',
};

/**
 * A customer brings goods of an omni order back to the store's POS: the order by its number at the POS's
 * store, then `returnOrder`.
 */
export async function createReturn(
  db: Db,
  deps: fiscal.IssuingDeps,
  caller: Principal,
  input: ReturnInput,
): Promise<Result<Returned>> {
  const who = orders.callerOf(caller);
  const found = await orders.findByNumber(db, who, caller.nodeId, input.orderNumber);
  if (!found.ok) return found;
  if (!found.value) return noOrder(input.orderNumber);
  return returnOrder(
    db,
    deps,
    caller,
    found.value.id,
    {
      items: input.items,
      reason: { code: input.reasonCode },
      refund: input.refund,
      customerAddress: input.customerAddress,
      channel: 'pos',
    },
    () => noOrder(input.orderNumber),
  );
}

/**
 * Goods of an omni order come back to the store after dispatch (delivered, then brought or sent back),
 * registered in the back office by the order's id; a refund given at once is a manager's or an admin's.
 */
export async function createBackOfficeReturn(
  db: Db,
  deps: fiscal.IssuingDeps,
  caller: Principal,
  orderId: string,
  input: Omit<ReturnInput, 'orderNumber'>,
): Promise<Result<Returned>> {
  if (input.refund && !orders.cancellers.includes(caller.actor as orders.OrderActor))
    return fail('forbidden', 'RETURN.REFUND_FORBIDDEN', 'Only store managers and admins give refunds.');
  return returnOrder(db, deps, caller, orderId, {
    items: input.items,
    reason: { code: input.reasonCode },
    refund: input.refund,
    customerAddress: input.customerAddress,
    channel: 'back_office',
  });
}

/**
 * Goods of an omni order come back (at the POS, in the back office, or a whole sale reversed): in one
 * transaction the reason is checked, what may still come back is counted under the order's lock, the NF-e de
 * entrada (finNFe 4, NFref = the sale's key) is issued and queued for SEFAZ, the goods go back into the
 * store's stock (a `return` movement per SKU), the order's history and webhook outbox get the fact with its
 * reason, and finance credits the customer with the goods' value (and records the refund given, if any).
 * The order's status does not change.
 */
export async function returnOrder(
  db: Db,
  deps: fiscal.IssuingDeps,
  caller: Principal,
  orderId: string,
  input: ReturnRequest,
  notFound: () => Failed = () => orders.orderNotFound(orderId),
): Promise<Result<Returned>> {
  const who = orders.callerOf(caller);
  return transaction(db, async (tx) => {
    const locked = await orders.lockOrder(tx, who, orderId);
    if (!locked.ok) return notFound();
    const { order, items } = locked.value;
    if (order.status === 'in_transit')
      return fail(
        'conflict',
        'RETURN.IN_TRANSIT',
        'The goods are on their way to the customer: register the return when they come back to the store.',
        { data: { status: order.status, returnableStatuses } },
      );
    if (!returnableStatuses.includes(order.status))
      return fail(
        'conflict',
        'RETURN.ORDER_NOT_RETURNABLE',
        `The order is ${order.status}: goods come back only from an invoiced or delivered order.`,
        { data: { status: order.status, returnableStatuses } },
      );
    const reason: Result<store.ReasonRow | null> =
      'reversal' in input.reason ? ok(null) : await omniReason(tx, order.networkId, input.reason.code);
    if (!reason.ok) return reason;
    const sale = (await fiscal.documentsFor(tx, orders.ORDER_REFERENCE, order.id)).find(
      (d) => d.status === 'authorised',
    );
    if (!sale)
      return fail(
        'conflict',
        'RETURN.NO_SALE_DOCUMENT',
        'The order has no authorised NF-e or NFC-e to return against.',
        {
          data: { status: order.status },
        },
      );

    const returned = await store.returnedOf(tx, order.id);
    const remaining = remainingBySku(items, returned);
    const remainingData = [...remaining].map(([sku, left]) => ({ sku, ...left }));
    const asked =
      input.items === 'rest'
        ? [...remaining]
            .filter(([, left]) => left.remaining > 0)
            .map(([sku, left]) => ({ sku, quantity: left.remaining }))
        : input.items;
    if (asked.length === 0)
      return fail('conflict', 'RETURN.NOTHING_LEFT', 'Everything sold on this order was returned already.', {
        data: { remaining: remainingData },
      });
    const problems = returnLineProblems(asked, remaining);
    if (problems.invalid.length)
      return fail('invalid', 'RETURN.INVALID_ITEMS', 'Some items are not lines of the order.', {
        errors: problems.invalid,
        data: { remaining: remainingData },
      });
    if (problems.exceeded.length)
      return fail(
        'conflict',
        'RETURN.MORE_THAN_SOLD',
        'Never more comes back than was sold minus what was returned already.',
        { errors: problems.exceeded, data: { remaining: remainingData } },
      );

    const bySku = new Map(items.map((i) => [i.sku, i]));
    const lines = asked.map((r, i) => {
      const item = bySku.get(r.sku)!;
      const value = returnedValue(item, remaining.get(r.sku)!.returned, r.quantity);
      return {
        line: i + 1,
        productId: item.productId,
        sku: item.sku,
        description: item.description,
        quantity: r.quantity,
        ...value,
      };
    });
    const total = lines.reduce((a, l) => a + centsOf(l.total), 0n);
    const refundAmount = input.refund ? centsOf(input.refund.amount ?? fromCents(total)) : null;
    if (refundAmount !== null && refundAmount > total)
      return fail(
        'invalid',
        'RETURN.REFUND_ABOVE_VALUE',
        'The refund is more than the goods that come back were worth.',
        {
          errors: [
            {
              path: '/refund/amount',
              code: 'RETURN.REFUND_ABOVE_VALUE',
              params: { max: fromCents(total) },
              message: `must not exceed ${fromCents(total)}`,
            },
          ],
        },
      );

    const id = randomUUID();
    const reasonText =
      'reversal' in input.reason
        ? `motivo: ${input.reason.reversal}`
        : reason.value
          ? `motivo ${reason.value.code} — ${reason.value.description}`
          : 'sem motivo cadastrado';
    const note = `${channelWords[input.channel]} de ${lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')} (${reasonText})`;
    const issued = await fiscal.issueReturn(tx, deps, {
      reference: { type: RETURN_REFERENCE, id },
      storeId: order.storeId,
      networkId: order.networkId,
      originalKey: sale.accessKey,
      customer: {
        name: order.customerName,
        document: order.customerDocument,
        email: order.customerEmail,
        phone: order.customerPhone,
        address: senderAddress(order.customerAddress, input.customerAddress),
      },
      lines,
      note: `Devolução do pedido ${order.number} (${order.externalId}), ${reasonText}. ${sale.model === 65 ? 'NFC-e' : 'NF-e'} de origem ${sale.number} série ${sale.series}, chave ${sale.accessKey}`,
    });
    if (!issued.ok) return askedAddress(issued);

    const movements: Returned['stockMovements'] = [];
    const reference = { type: RETURN_REFERENCE, id };
    for (const l of lines) {
      const back = await stock.returnToStock(tx, {
        storeId: order.storeId,
        productId: l.productId,
        quantity: l.quantity,
        reason: `Devolução do pedido ${order.number} (${reasonText})`,
        reference,
        actor: `${who.kind}:${who.id}`,
      });
      if (!back.ok) return back;
      movements.push({ ...back.value.movement, sku: l.sku });
    }

    const full = fullyReturned(remaining, asked);
    await store.insertReturn(
      tx,
      {
        id,
        networkId: order.networkId,
        storeId: order.storeId,
        orderId: order.id,
        reasonId: reason.value?.id ?? null,
        reasonCode: reason.value?.code ?? null,
        reasonDescription:
          reason.value?.description ??
          ('reversal' in input.reason
            ? `Estorno fora do prazo de cancelamento: ${input.reason.reversal}`
            : null),
        refundMethod: input.refund?.method ?? null,
        refundAmount: refundAmount === null ? null : fromCents(refundAmount),
        total: fromCents(total),
        full,
        fiscalDocumentId: issued.value.documentId,
        originalDocumentId: sale.id,
        actorKind: who.kind,
        actorId: who.id,
        actorName: who.name,
      },
      lines.map(({ line, productId, sku, description, quantity, unitPrice, discount, total }) => ({
        line,
        productId,
        sku,
        description,
        quantity,
        unitPrice,
        discount,
        total,
      })),
    );

    // Seed 003: the return NF-e reverses the sale; its value is the customer's credit, and a refund given
    // at once pays (part of) it back. Keyed by the return, so nothing is posted twice.
    const purchase = await orders.purchaseOf(tx, order.id);
    const actor = orders.stockActor(who);
    const returnDoc = (await fiscal.documentsFor(tx, RETURN_REFERENCE, id))[0];
    await finance.creditReturn(tx, purchase, order.id, {
      returnId: id,
      amount: total,
      actor,
      documentKey: returnDoc?.accessKey ?? null,
      description: `${channelWords[input.channel]} do pedido ${order.number}: crédito de ${fromCents(total)} ao cliente`,
    });
    if (input.refund && refundAmount !== null && refundAmount > 0n) {
      const refunded = await finance.refund(tx, purchase, order.id, {
        method: input.refund.method,
        amount: refundAmount,
        companyId: order.storeId,
        actor,
        note: `Devolução ${id}`,
        key: id,
      });
      if (!refunded.ok) return refunded;
    }

    await orders.recordFact(tx, who, order, {
      note: full ? `${note}; pedido devolvido por completo` : note,
      event: {
        name: ORDER_RETURNED,
        fields: {
          returnId: id,
          items: lines.map((l) => ({
            sku: l.sku,
            quantity: l.quantity,
            unitPrice: l.unitPrice,
            total: l.total,
          })),
          reason: reason.value
            ? { code: reason.value.code, description: reason.value.description }
            : 'reversal' in input.reason
              ? { code: null, description: input.reason.reversal }
              : null,
          total: fromCents(total),
          full,
          status: order.status,
        },
      },
    });
    const saved = await viewOf(tx, id);
    return ok({ return: saved!, fiscalDocumentId: issued.value.documentId, stockMovements: movements });
  });
}

async function viewOf(db: Db, id: string): Promise<ReturnView | undefined> {
  const row = await store.findReturn(db, id);
  if (!row) return undefined;
  return (await present(db, [row]))[0];
}

async function present(db: Db, rows: store.ReturnRow[]): Promise<ReturnView[]> {
  const items = await store.itemsOf(
    db,
    rows.map((r) => r.id),
  );
  const numbers = await orders.numbersOf(
    db,
    rows.map((r) => r.orderId),
  );
  const stores = new Map<string, string>();
  for (const r of rows)
    if (!stores.has(r.storeId)) stores.set(r.storeId, (await network.getNodeById(db, r.storeId))?.code ?? '');
  return rows.map((r) => ({
    id: r.id,
    orderId: r.orderId,
    orderNumber: numbers.get(r.orderId) ?? 0,
    storeCode: stores.get(r.storeId) ?? '',
    // A reversal (an invoiced order cancelled outside its window) has the manager's words and no code.
    reason:
      r.reasonCode || r.reasonDescription
        ? { code: r.reasonCode ?? '', description: r.reasonDescription ?? '' }
        : null,
    items: items
      .filter((i) => i.returnId === r.id)
      .map((i) => ({
        sku: i.sku,
        description: i.description,
        quantity: i.quantity,
        unitPrice: fromCents(centsOf(i.unitPrice)),
        discount: fromCents(centsOf(i.discount)),
        total: fromCents(centsOf(i.total)),
      })),
    total: fromCents(centsOf(r.total)),
    refund:
      r.refundMethod && r.refundAmount !== null
        ? { method: r.refundMethod, amount: fromCents(centsOf(r.refundAmount)) }
        : null,
    full: r.full,
    fiscalDocumentId: r.fiscalDocumentId,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** An order's returns, oldest first, for whoever may see the order (back office, the store's POS). */
export async function returnsOfOrder(
  db: Db,
  caller: Principal,
  orderId: string,
): Promise<Result<ReturnView[]>> {
  const order = await orders.getOrder(db, orders.callerOf(caller), orderId);
  if (!order.ok) return order;
  return ok(await present(db, await store.returnsOf(db, orderId)));
}
