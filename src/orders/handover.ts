import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { formatDateTime } from '../platform/format-br.ts';
import * as counter from './counter-store.ts';
import { channelOf } from './domain.ts';
import { type HandoverInput, handoverNextStep, validateHandover } from './handover-rules.ts';
import { canSee, changeStatus, type OrderCaller, orderNotFound } from './lifecycle.ts';
import * as store from './store.ts';
import { getOrder } from './view-loader.ts';
import type { OrderView } from './views.ts';

export type { HandoverInput } from './handover-rules.ts';

/**
 * POST /orders/{id}/handover: an invoiced pickup order is handed to the customer at the store (seeds 003: the
 * status becomes "Entregue" when the customer collects it, whether or not the receipt was printed). The
 * invoiced → delivered change and the record of who collected it commit together.
 */
export async function handover(
  db: Db,
  caller: OrderCaller,
  orderId: string,
  input: HandoverInput,
): Promise<Result<OrderView>> {
  const { person, errors } = validateHandover(input);
  if (!person)
    return fail('invalid', 'ORDER.HANDOVER_INVALID', 'The handover cannot be recorded as sent; see errors.', {
      errors,
    });
  const done = await transaction(db, async (tx) => {
    // Locked first: two cashiers handing over the same order meet here, the second sees it delivered.
    const order = await store.findOrder(tx, orderId, true);
    if (!order || !(await canSee(tx, caller, order))) return orderNotFound(orderId);
    if (order.deliveryType !== 'pickup')
      return fail(
        'conflict',
        'ORDER.NOT_PICKUP',
        'Only a pickup order is handed over at the store; a ship order is delivered by its carrier.',
        { data: { deliveryType: order.deliveryType, currentStatus: order.status } },
      );
    if (order.status === 'delivered') {
      const pickup = await counter.pickupOf(tx, orderId);
      return fail(
        'conflict',
        'ORDER.ALREADY_HANDED_OVER',
        pickup
          ? `The order was already handed over to ${pickup.name} on ${formatDateTime(pickup.at)}.`
          : 'The order was already delivered.',
        {
          data: {
            currentStatus: order.status,
            pickup: pickup ? { name: pickup.name, at: pickup.at.toISOString() } : null,
          },
        },
      );
    }
    if (order.status !== 'invoiced') {
      const nextStep = handoverNextStep(order.status);
      return fail(
        'conflict',
        'ORDER.NOT_INVOICED',
        `The order is ${order.status}: it is handed over once invoiced. Next: ${nextStep}.`,
        { data: { currentStatus: order.status, requested: 'delivered', nextStep } },
      );
    }
    const moved = await changeStatus(tx, caller, orderId, 'delivered', {
      flow: 'handover',
      reason: `Retirado por ${person.name}${person.document ? ` (${person.document})` : ''}`,
    });
    if (!moved.ok) return moved;
    await counter.insertPickup(tx, {
      orderId,
      ...person,
      at: moved.value.updatedAt,
      handedByKind: caller.kind,
      handedById: caller.id,
      handedByName: caller.name,
      channel: channelOf(caller.actor),
    });
    return ok(null);
  });
  if (!done.ok) return done;
  return getOrder(db, caller, orderId);
}
