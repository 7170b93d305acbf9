import * as catalog from '../catalog/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import {
  available,
  type Deltas,
  deltasAllowed,
  type FieldError,
  MAX_ON_HAND,
  type MovementKind,
  type ReservationStatus,
} from './domain.ts';
import * as store from './store.ts';

/** The context's shared vocabulary and the single path by which a balance changes. */

/** What a movement or a reservation was for: an order, a stock request, a manual hold. */
export interface Reference {
  type: string;
  id: string | null;
}

export interface StockLine {
  storeId: string;
  productId: string;
  quantity: number;
}

export interface Balance {
  storeId: string;
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface Movement {
  id: number;
  storeId: string;
  productId: string;
  kind: MovementKind;
  onHandDelta: number;
  reservedDelta: number;
  reason: string | null;
  reference: Reference | null;
  reservationId: string | null;
  actor: string;
  createdAt: Date;
}

export interface Reservation {
  id: string;
  storeId: string;
  productId: string;
  quantity: number;
  status: ReservationStatus;
  reference: Reference | null;
  createdBy: string;
  createdAt: Date;
  closedAt: Date | null;
}

/** Who acts: `user:<id>`, `client:<id>` or `system:<job>`; recorded on every movement. */
export type ActorRef = string;

export const toBalance = (r: store.BalanceRow): Balance => ({
  storeId: r.storeId,
  productId: r.productId,
  onHand: r.onHand,
  reserved: r.reserved,
  available: available(r),
});

export const referenceOf = (r: {
  referenceType: string | null;
  referenceId: string | null;
}): Reference | null => (r.referenceType ? { type: r.referenceType, id: r.referenceId } : null);

export const toMovement = (r: store.MovementRow): Movement => ({
  id: r.id,
  storeId: r.storeId,
  productId: r.productId,
  kind: r.kind,
  onHandDelta: r.onHandDelta,
  reservedDelta: r.reservedDelta,
  reason: r.reason,
  reference: referenceOf(r),
  reservationId: r.reservationId,
  actor: r.actor,
  createdAt: r.createdAt,
});

export const toReservation = (r: store.ReservationRow): Reservation => ({
  id: r.id,
  storeId: r.storeId,
  productId: r.productId,
  quantity: r.quantity,
  status: r.status,
  reference: referenceOf(r),
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  closedAt: r.closedAt,
});

export const emptyBalance = (key: store.BalanceKey): Balance => ({
  ...key,
  onHand: 0,
  reserved: 0,
  available: 0,
});

export interface MovementMeta {
  reason?: string | null;
  reference?: Reference | null;
  reservationId?: string | null;
  actor: ActorRef;
}

/**
 * The one way a balance changes: a guarded UPDATE and its movement, together. Undefined when the
 * change would break `0 <= reserved <= on_hand` (nothing is written then).
 */
export async function move(
  tx: Db,
  key: store.BalanceKey,
  kind: MovementKind,
  d: Deltas,
  meta: MovementMeta,
): Promise<{ balance: Balance; movement: Movement } | undefined> {
  if (!deltasAllowed(kind, d)) throw new Error(`Bug: deltas ${JSON.stringify(d)} are not a ${kind}`);
  key = { storeId: key.storeId, productId: key.productId };
  // The balance almost always exists: the guarded update alone, one statement and one wait on the row. When
  // it changed nothing, the row may be missing (a product's first movement at a store): made, then tried again.
  let row = await store.applyGuarded(tx, key, d);
  if (!row) {
    await store.ensureBalance(tx, key);
    row = await store.applyGuarded(tx, key, d);
  }
  if (!row) return undefined;
  const movement = await store.insertMovement(tx, {
    ...key,
    kind,
    onHandDelta: d.onHand,
    reservedDelta: d.reserved,
    reason: meta.reason ?? null,
    referenceType: meta.reference?.type ?? null,
    referenceId: meta.reference?.id ?? null,
    reservationId: meta.reservationId ?? null,
    actor: meta.actor,
  });
  return { balance: toBalance(row), movement: toMovement(movement) };
}

/** The SKU and store code of a balance, for failures a person reads. */
export async function labels(db: Db, key: store.BalanceKey): Promise<{ sku: string; storeCode: string }> {
  const [product] = await catalog.productsById(db, [key.productId]);
  const node = await network.getNodeById(db, key.storeId);
  return { sku: product?.sku ?? key.productId, storeCode: node?.code ?? key.storeId };
}

export async function currentBalance(db: Db, key: store.BalanceKey): Promise<Balance> {
  const row = await store.getBalance(db, key);
  return row ? toBalance(row) : emptyBalance(key);
}

export const invalid = (code: string, detail: string, errors: FieldError[]) =>
  fail('invalid', code, detail, { errors });

/** What an addition that fails its guard ran into: the only limit an addition can reach. */
export const tooLarge = (path: string) =>
  invalid('STOCK.BALANCE_TOO_LARGE', `On hand cannot exceed ${MAX_ON_HAND} units.`, [
    {
      path,
      code: 'STOCK.BALANCE_TOO_LARGE',
      params: { max: MAX_ON_HAND },
      message: `would bring on hand above ${MAX_ON_HAND}`,
    },
  ]);
