/**
 * The salesperson named when an e-commerce order is invoiced (TP_DADO_ADIC_BX_PED_ECOMM: 0 not asked, 1
 * optional, 2 mandatory). Omnihub has no sales staff register: a salesperson is an active user of the
 * order's store. Recorded on the order, in the history of its move to invoicing and in the NF-e's infCpl.
 */
import * as access from '../access/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { type SalespersonMode, salespersonMode } from './batch-rules.ts';
import { canSee, type OrderCaller, orderNotFound } from './lifecycle.ts';
import * as store from './store.ts';

export interface Salesperson {
  id: string;
  name: string;
}

const PARAMETER = 'TP_DADO_ADIC_BX_PED_ECOMM';

async function modeAt(db: Db, storeId: string): Promise<SalespersonMode> {
  const values = await parameters.resolveMany(db, storeId, [PARAMETER]);
  return salespersonMode(values[PARAMETER].value);
}

/** What "Faturar" asks of this order: whether a salesperson is wanted, and the store's users to pick from. */
export async function salespeopleFor(
  db: Db,
  caller: OrderCaller,
  orderId: string,
): Promise<Result<{ mode: SalespersonMode; items: Salesperson[] }>> {
  const order = await store.findOrder(db, orderId);
  if (!order || !(await canSee(db, caller, order))) return orderNotFound(orderId);
  const mode = await modeAt(db, order.storeId);
  return ok({ mode, items: mode === 'none' ? [] : await access.usersAt(db, order.storeId) });
}

/**
 * The salesperson of an invoicing, checked against the store's parameter: a user of the order's store, else
 * 422 ORDER.SALESPERSON_UNKNOWN; none where the parameter makes it mandatory, 422 ORDER.SALESPERSON_REQUIRED.
 * One given where the store does not ask is still recorded: it is the store's own information.
 */
export async function chooseSalesperson(
  db: Db,
  order: store.OrderRow,
  salespersonId: string | undefined,
): Promise<Result<Salesperson | null>> {
  if (salespersonId) {
    const [found] = await access.usersAt(db, order.storeId, salespersonId);
    if (found) return ok(found);
    return fail(
      'invalid',
      'ORDER.SALESPERSON_UNKNOWN',
      `There is no salesperson ${salespersonId} at this store.`,
      {
        errors: [
          {
            path: '/salespersonId',
            code: 'ORDER.SALESPERSON_UNKNOWN',
            message: 'is not a user of the store',
          },
        ],
      },
    );
  }
  if ((await modeAt(db, order.storeId)) === 'required')
    return fail(
      'invalid',
      'ORDER.SALESPERSON_REQUIRED',
      `The store invoices naming the salesperson (${PARAMETER} = 2).`,
      {
        errors: [{ path: '/salespersonId', code: 'ORDER.SALESPERSON_REQUIRED', message: 'is required' }],
        data: { parameter: PARAMETER },
      },
    );
  return ok(null);
}
