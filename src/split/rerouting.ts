import * as orders from '../orders/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { type Candidate, pendingOf } from './domain.ts';
import { candidatesFor, lineStates, orderFacts } from './order-facts.ts';

export interface RerouteRequest {
  lines: { sku: string; quantity: number }[];
  /** The company that takes the lines; absent: the router's choice. */
  storeCode?: string;
  reason: string;
}

/**
 * The main store refuses lines at acceptance: they become a new order for another company of the group
 * (the caller's, or the nearest one that can send them all, then the one with most stock), linked to the
 * original. Only pending quantities move (not what a split holds or has on its way).
 */
export function rerouteOrder(
  db: Db,
  caller: orders.OrderCaller,
  orderId: string,
  input: RerouteRequest,
): Promise<Result<{ orderId: string; number: number; storeCode: string; cancelledOriginal: boolean }>> {
  return transaction(db, async (tx) => {
    const facts = await orderFacts(tx, caller, orderId);
    if (!facts.ok) return facts;
    // Re-routing hands the lines to another company of the pool, which accepts them as its own order.
    if ((await parameters.resolve(tx, facts.value.main.id, 'IN_BAIXA_PED_POOL_EMP')).value !== true)
      return fail(
        'conflict',
        'SPLIT.POOL_DISABLED',
        'This store’s orders are not taken by other companies of the pool (parameter IN_BAIXA_PED_POOL_EMP): split the order instead.',
        { data: { parameter: 'IN_BAIXA_PED_POOL_EMP' } },
      );
    const text = input.reason.trim();
    if (text.length < 3)
      return fail('invalid', 'SPLIT.REASON_REQUIRED', 'Say why the lines are refused.', {
        errors: [
          {
            path: '/reason',
            code: 'SPLIT.REASON_REQUIRED',
            params: { minLength: 3 },
            message: 'is required (3 characters or more)',
          },
        ],
      });
    const lines = await lineStates(tx, facts.value);
    const bySku = new Map(lines.map((l) => [l.sku, l]));
    const seen = new Set<string>();
    const errors = input.lines.flatMap((l, i) => {
      const line = bySku.get(l.sku);
      if (!line)
        return [
          {
            path: `/lines/${i}/sku`,
            code: 'SPLIT.SKU_NOT_IN_ORDER',
            params: { sku: l.sku },
            message: `${l.sku} is not a line of the order`,
          },
        ];
      if (seen.has(l.sku))
        return [
          {
            path: `/lines/${i}/sku`,
            code: 'SPLIT.SKU_REPEATED',
            params: { sku: l.sku },
            message: `${l.sku} is listed twice`,
          },
        ];
      seen.add(l.sku);
      if (l.quantity > pendingOf(line))
        return [
          {
            path: `/lines/${i}/quantity`,
            code: 'SPLIT.QUANTITY_ABOVE_PENDING',
            params: { sku: l.sku, pending: pendingOf(line) },
            message: `${l.sku}: only ${pendingOf(line)} pending may be refused`,
          },
        ];
      return [];
    });
    if (errors.length)
      return fail('invalid', 'SPLIT.INVALID_REROUTE', 'These lines cannot be re-routed.', { errors });
    const candidates = (
      await candidatesFor(
        tx,
        facts.value,
        lines.map((l) => l.productId),
      )
    ).filter((c) => !c.isMain);
    const need = input.lines.map((l) => ({ productId: bySku.get(l.sku)!.productId, quantity: l.quantity }));
    const canSend = (c: Candidate) => need.every((n) => (c.available.get(n.productId) ?? 0) >= n.quantity);
    let target: Candidate | undefined;
    if (input.storeCode) {
      target = candidates.find((c) => c.storeCode === input.storeCode);
      if (!target)
        return fail('invalid', 'SPLIT.INVALID_REROUTE', `${input.storeCode} may not take this order.`, {
          errors: [
            {
              path: '/storeCode',
              code: 'SPLIT.STORE_NOT_ELIGIBLE',
              message: 'is not a company enabled for the split',
            },
          ],
        });
      if (!canSend(target))
        return fail(
          'invalid',
          'SPLIT.INVALID_REROUTE',
          `Store ${input.storeCode} lacks the stock for these lines.`,
          {
            errors: [
              {
                path: '/storeCode',
                code: 'SPLIT.STORE_WITHOUT_STOCK',
                message: 'has not the stock of every refused line',
              },
            ],
          },
        );
    } else {
      const stockOf = (c: Candidate) => need.reduce((n, x) => n + (c.available.get(x.productId) ?? 0), 0);
      target = candidates
        .filter(canSend)
        .sort(
          (a, b) =>
            (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
            stockOf(b) - stockOf(a) ||
            a.storeCode.localeCompare(b.storeCode),
        )[0];
      if (!target)
        return fail(
          'conflict',
          'SPLIT.NO_COMPANY',
          'No company of the group can send every refused line: split the order instead, or refuse fewer lines.',
        );
    }
    const code = (await parameters.resolve(tx, facts.value.main.id, 'CD_MOT_CANC_PED_PRATELEIR')).value;
    const moved = await orders.rerouteLines(tx, caller, orderId, {
      lines: need,
      targetStoreId: target.storeId,
      reason: text,
      cancelReasonCode: code ?? null,
    });
    if (!moved.ok) return moved;
    return ok({ ...moved.value, storeCode: target.storeCode });
  });
}
