/**
 * Re-routing (seeds: the main store rejects part of the order at acceptance): the refused lines leave the
 * order and become a new order for another company, linked to the original (`rerouted_from_id`), with
 * its share of the payments. When every line is refused the original is cancelled with the reason.
 * When the purchase already has its advance, the moved lines' share of it follows them (finance).
 */
import { createHash, randomUUID } from 'node:crypto';
import * as finance from '../finance/service.ts';
import { roles } from '../platform/actors.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { fromCents, parseMoney } from '../platform/money.ts';
import { channelOf } from './domain.ts';
import { canSee, changeStatus, type OrderCaller, orderNotFound, systemCaller } from './lifecycle.ts';
import { purchaseOf } from './purchase.ts';
import * as store from './store.ts';

export interface RerouteInput {
  lines: readonly { productId: string; quantity: number }[];
  targetStoreId: string;
  reason: string;
  /** CD_MOT_CANC_PED_PRATELEIR of the store: recorded when every line is refused. */
  cancelReasonCode: string | null;
}

const cents = (money: string) => parseMoney(money) ?? 0n;

/** `total` split over `weights` in proportion, the leftover cents to the first shares. */
function shares(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0n));
  const out = weights.map((w) => (total * w) / sum);
  let left = total - out.reduce((a, b) => a + b, 0n);
  for (let i = 0; left > 0n; i = (i + 1) % out.length, left--) out[i]! += 1n;
  return out;
}

export function rerouteLines(
  tx: Db,
  caller: OrderCaller,
  orderId: string,
  input: RerouteInput,
): Promise<Result<{ orderId: string; number: number; cancelledOriginal: boolean }>> {
  return (async () => {
    const order = await store.findOrder(tx, orderId, true);
    if (!order || !(await canSee(tx, caller, order))) return orderNotFound(orderId);
    if (!(roles as readonly string[]).includes(caller.actor))
      return fail('forbidden', 'ORDER.NOT_BACK_OFFICE', 'Only the store’s back office re-routes an order.');
    if (order.status !== 'open')
      return fail(
        'conflict',
        'ORDER.TRANSITION_NOT_ALLOWED',
        `The order is ${order.status}: lines are refused and re-routed at acceptance, while it is open.`,
        { data: { currentStatus: order.status } },
      );
    if (input.targetStoreId === order.storeId)
      return fail('invalid', 'ORDER.REROUTE_SAME_STORE', 'Re-route the lines to another company.');
    const items = await store.itemsOf(tx, order.id);
    const payments = await store.paymentsOf(tx, order.id);
    const refused = new Map<string, number>();
    for (const l of input.lines) refused.set(l.productId, (refused.get(l.productId) ?? 0) + l.quantity);

    const moved: typeof items = [];
    const kept: typeof items = [];
    for (const item of items) {
      const q = Math.min(refused.get(item.productId) ?? 0, item.quantity);
      const unit = cents(item.unitPrice);
      const discount = cents(item.discount);
      const movedDiscount = (discount * BigInt(q)) / BigInt(item.quantity);
      if (q > 0)
        moved.push({
          ...item,
          quantity: q,
          discount: fromCents(movedDiscount),
          total: fromCents(unit * BigInt(q) - movedDiscount),
        });
      if (item.quantity - q > 0)
        kept.push({
          ...item,
          quantity: item.quantity - q,
          discount: fromCents(discount - movedDiscount),
          total: fromCents(unit * BigInt(item.quantity - q) - (discount - movedDiscount)),
        });
    }
    const every = kept.length === 0;
    const sum = (list: typeof items, pick: (i: (typeof items)[number]) => bigint) =>
      list.reduce((a, i) => a + pick(i), 0n);
    const amountsOf = (list: typeof items, freight: bigint) => {
      const itemsTotal = sum(list, (i) => cents(i.unitPrice) * BigInt(i.quantity));
      const discountTotal = sum(list, (i) => cents(i.discount));
      return {
        itemsTotal: fromCents(itemsTotal),
        discountTotal: fromCents(discountTotal),
        freight: fromCents(freight),
        total: fromCents(itemsTotal - discountTotal + freight),
      };
    };
    // The freight follows the order that still ships the customer's goods: it moves only with every line.
    const newAmounts = amountsOf(moved, every ? cents(order.freight) : 0n);
    const paid = payments.map((p) => cents(p.amount));
    const newShares = shares(cents(newAmounts.total), paid);

    const siblings = (await store.reroutedFrom(tx, order.id)).length;
    const id = randomUUID();
    const externalId = `${order.externalId}#R${siblings + 1}`;
    const now = new Date();
    const created: store.OrderRow = {
      ...order,
      id,
      storeId: input.targetStoreId,
      number: null,
      externalId,
      requestHash: createHash('sha256').update(`${order.requestHash}|${externalId}`).digest('hex'),
      status: 'open',
      ...newAmounts,
      arrivedAt: null,
      expectedInvoiceAt: null,
      shortfall: null,
      posDownloadedAt: null,
      reroutedFromId: order.id,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await store.insertOrder(tx, created)))
      return fail(
        'conflict',
        'ORDER.REROUTE_CONFLICT',
        'The order was re-routed at the same moment; reload it.',
      );
    await store.insertLines(
      tx,
      moved.map((item, i) => ({ ...item, orderId: id, line: i + 1 })),
      payments
        .map((p, i) => ({ ...p, orderId: id, amount: fromCents(newShares[i]!) }))
        .filter((p) => cents(p.amount) > 0n)
        .map((p, i) => ({ ...p, line: i + 1 })),
    );
    await store.appendHistory(tx, {
      orderId: id,
      at: now,
      actorKind: caller.kind,
      actorId: caller.id,
      actorName: caller.name,
      actorRole: caller.actor,
      channel: channelOf(caller.actor),
      fromStatus: null,
      toStatus: 'open',
      reason: `Reencaminhado do pedido Nº ${order.number}: ${input.reason}`,
    });
    await store.announceChange(tx, { storeId: input.targetStoreId, orderId: id, status: 'open' });
    // When the purchase already has its advance (another of its orders was accepted), the share of the
    // moved lines follows them, before the original may be cancelled below.
    await finance.onRerouted(
      tx,
      await purchaseOf(tx, id),
      order.id,
      id,
      cents(newAmounts.total),
      `${caller.kind}:${caller.id}`,
    );

    if (every) {
      const reason = [input.cancelReasonCode, `itens reencaminhados: ${input.reason}`]
        .filter(Boolean)
        .join(' — ');
      const cancelled = await changeStatus(
        tx,
        { ...systemCaller('split'), name: caller.name },
        order.id,
        'cancelled',
        {
          reason,
        },
      );
      if (!cancelled.ok) return cancelled;
    } else {
      const keptAmounts = amountsOf(kept, cents(order.freight));
      // What each payment keeps is its amount less the moved share, never a second rounding: the purchase's
      // payments, summed over its orders, stay to the cent what each payer paid (one receivable each).
      const keptShares = paid.map((amount, i) => amount - newShares[i]!);
      await store.replaceLines(
        tx,
        order,
        keptAmounts,
        kept.map((item, i) => ({ ...item, line: i + 1 })),
        payments
          .map((p, i) => ({ ...p, amount: fromCents(keptShares[i]!) }))
          .filter((p) => cents(p.amount) > 0n)
          .map((p, i) => ({ ...p, line: i + 1 })),
        now,
      );
    }
    const number = await store.assignNumber(tx, id, input.targetStoreId);
    return ok({ orderId: id, number, cancelledOriginal: every });
  })();
}
