import { randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import * as finance from '../finance/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { type Actor, financeReaders, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { Money, StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { centsOf } from '../platform/money.ts';
import { cancellers } from './domain.ts';
import { callerOf, canSee, type OrderCaller, orderNotFound, stockActor } from './lifecycle.ts';
import { IdParams } from './payloads.ts';
import { purchaseOf } from './purchase.ts';
import * as store from './store.ts';

/** The money of the order's purchase (seed 003 Financeiro): receivables, advance, settlements, credits. */
export async function financeOf(
  db: Db,
  caller: OrderCaller,
  id: string,
): Promise<Result<finance.PurchaseFinance>> {
  const order = await store.findOrder(db, id);
  if (!order || !(await canSee(db, caller, order))) return orderNotFound(id);
  return ok(await finance.purchaseFinance(db, await purchaseOf(db, id)));
}

export interface RefundRequest {
  method: finance.RefundMethod;
  amount: string;
  note?: string | null;
  /** Makes the refund happen once: the request's Idempotency-Key, else a new id. */
  key?: string | null;
}

/**
 * Seed 003: the customer's credit on the purchase (a reversed sale, an advance kept) is paid back by card
 * charge-back, pix, cash or a voucher, by a manager or an admin, at the order's store.
 */
export async function refundOrder(
  db: Db,
  caller: OrderCaller,
  id: string,
  input: RefundRequest,
): Promise<Result<finance.PurchaseFinance>> {
  if (!cancellers.includes(caller.actor))
    return fail('forbidden', 'FINANCE.NOT_REFUNDER', 'Only store managers and admins give refunds.');
  const done = await transaction(db, async (tx) => {
    const order = await store.findOrder(tx, id, true);
    if (!order || !(await canSee(tx, caller, order))) return orderNotFound(id);
    const purchase = await purchaseOf(tx, id);
    return finance.refund(tx, purchase, id, {
      method: input.method,
      amount: centsOf(input.amount),
      companyId: order.storeId,
      actor: stockActor(caller),
      note: input.note?.trim() || null,
      key: input.key ? `${id}:${input.key}` : randomUUID(),
    });
  });
  if (!done.ok) return done;
  return ok(await finance.purchaseFinance(db, await purchaseOf(db, id)));
}

const RefundBody = Type.Object(
  {
    method: StringEnum(finance.refundMethods, {
      description:
        'card_reversal: charged back on the card (reduces the open receivables); pix, cash: paid by the store; store_credit: a voucher',
    }),
    amount: Money({ description: 'More than 0.00 and at most the customer’s credit' }),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export function registerOrderFinanceRoutes(app: App, db: Db) {
  app.post(
    '/api/v1/orders/:id/refunds',
    {
      config: { access: cancellers as readonly Actor[] },
      schema: {
        tags: ['orders', 'finance'],
        summary: 'Pay the customer’s credit back (card charge-back, pix, cash or a voucher)',
        description:
          'Managers and admins. The credit is the purchase’s (a sale reversed by a return NF-e, an advance kept ' +
          'by IN_MANTER_SALD_ADIAN). 422 FINANCE.REFUND_ABOVE_CREDIT above it, FINANCE.CHARGEBACK_ABOVE_RECEIVABLE ' +
          'when a card charge-back is more than the open receivables; nothing is written then. With an ' +
          'Idempotency-Key a retried request refunds once. Answers the order’s finance (as GET /orders/{id}/finance).',
        params: IdParams,
        body: RefundBody,
        response: { 200: finance.FinancePayload },
      },
    },
    async (req) =>
      unwrap(
        await refundOrder(db, callerOf(principalOf(req)), req.params.id, {
          ...(req.body as Static<typeof RefundBody>),
          key: req.idempotencyKey,
        }),
      ),
  );

  app.get(
    '/api/v1/orders/:id/finance',
    {
      config: { access: [...financeReaders, 'platform'] },
      schema: {
        tags: ['orders', 'finance'],
        summary:
          'The finance of the order’s purchase: receivables, advance, settlements, credits and every entry',
        description:
          'A purchase is the order the platform sent and the orders re-routed from it: they share the ' +
          'receivables (one per payment document) and the advance raised at the first acceptance. `entries` ' +
          'is the ledger, each entry balancing in every company it touches.',
        params: IdParams,
        response: { 200: finance.FinancePayload },
      },
    },
    async (req) => unwrap(await financeOf(db, callerOf(principalOf(req)), req.params.id)),
  );
}
