/**
 * Correcting a ship order's delivery address before it is invoiced (seed 003 PEDFM236, "alterar endereço de
 * entrega"): a platform's address may name a city the IBGE table does not know (its code left empty at
 * ingest), or the customer may call the store. The NF-e is built from the address, so once the order is
 * being invoiced it no longer changes. The correction is a fact on the order: its history says what the
 * address was and is, and the platform hears `order.address_changed`.
 */
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import type { OrderStatus } from './domain.ts';
import { lockOrder, recordFact } from './facts.ts';
import { addressErrors, type CustomerAddress, storedAddress } from './ingest-rules.ts';
import type { OrderCaller } from './lifecycle.ts';
import * as store from './store.ts';
import { getOrder } from './view-loader.ts';
import type { OrderView } from './views.ts';

export const ORDER_ADDRESS_CHANGED = 'order.address_changed';

/** From invoicing on, the NF-e carries the address: it is corrected there (a correction letter), not here. */
const LOCKED: readonly OrderStatus[] = ['invoicing', 'invoiced', 'in_transit', 'delivered', 'cancelled'];

const oneLine = (a: CustomerAddress) =>
  [
    `${a.street}, ${a.number}${a.complement ? ` ${a.complement}` : ''}`,
    a.district,
    `${a.city}/${a.state}${a.cityCode ? ` (IBGE ${a.cityCode})` : ''}`,
    `CEP ${a.postalCode}`,
  ].join(' — ');

export async function changeDeliveryAddress(
  db: Db,
  caller: OrderCaller,
  orderId: string,
  address: CustomerAddress,
): Promise<Result<OrderView>> {
  const errors: FieldError[] = [];
  addressErrors(address, errors, '');
  if (errors.length > 0)
    return fail('invalid', 'ORDER.ADDRESS_INVALID', 'The delivery address is not valid; see errors.', {
      errors,
    });
  const changed = await transaction(db, async (tx) => {
    const found = await lockOrder(tx, caller, orderId);
    if (!found.ok) return found;
    const { order } = found.value;
    if (order.deliveryType !== 'ship')
      return fail(
        'conflict',
        'ORDER.NOT_SHIP',
        `Order ${order.number} is picked up at the store: it has no delivery address.`,
      );
    if (LOCKED.includes(order.status))
      return fail(
        'conflict',
        'ORDER.ADDRESS_LOCKED',
        `Order ${order.number} is ${order.status}: its NF-e carries the address, which no longer changes here.`,
        { data: { currentStatus: order.status } },
      );
    const next = storedAddress(address);
    await store.setCustomerAddress(tx, order, next, new Date());
    await recordFact(tx, caller, order, {
      note: `Endereço de entrega corrigido: ${order.customerAddress ? oneLine(order.customerAddress) : 'nenhum'} → ${oneLine(next)}`,
      event: { name: ORDER_ADDRESS_CHANGED, fields: { address: next } },
    });
    return ok(null);
  });
  if (!changed.ok) return changed;
  return getOrder(db, caller, orderId);
}
