import * as finance from '../finance/service.ts';
import type { Db } from '../platform/db/index.ts';
import { ok, type Result } from '../platform/errors.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import { callerOf, canSee, type OrderCaller, orderNotFound } from './lifecycle.ts';
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

export function registerOrderFinanceRoutes(app: App, db: Db) {
  app.get(
    '/api/v1/orders/:id/finance',
    {
      config: { access: [...backOffice, 'platform'] },
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
