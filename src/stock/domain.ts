import type { FieldError } from '../platform/errors.ts';
/**
 * Stock is a ledger: every change of a balance is a movement, and a balance is the sum of its movements.
 * The invariant of a balance is `0 <= reserved <= onHand`, so `available = onHand - reserved` is never
 * negative. The database enforces it (CHECKs and guarded UPDATEs); these rules say which deltas each kind
 * of movement may carry and compute them.
 */

export const movementKinds = [
  'adjustment',
  'sale',
  'transfer_out',
  'transfer_in',
  'return',
  'reservation',
  'release',
] as const;
export type MovementKind = (typeof movementKinds)[number];

export const reservationStatuses = ['active', 'released', 'consumed'] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

/**
 * The sign each delta may have. `down_to_on_hand` is for goods that leave the store: the reserved
 * quantity drops by at most what left (`onHandDelta <= reservedDelta <= 0`), by all of it when the
 * goods were held by a reservation, by nothing when they were sold straight off the shelf.
 */
export type DeltaSign = 'positive' | 'negative' | 'zero' | 'nonzero' | 'down_to_on_hand';

export const deltaRules: Record<MovementKind, { onHand: DeltaSign; reserved: DeltaSign }> = {
  adjustment: { onHand: 'nonzero', reserved: 'zero' },
  sale: { onHand: 'negative', reserved: 'down_to_on_hand' },
  transfer_out: { onHand: 'negative', reserved: 'down_to_on_hand' },
  transfer_in: { onHand: 'positive', reserved: 'zero' },
  return: { onHand: 'positive', reserved: 'zero' },
  reservation: { onHand: 'zero', reserved: 'positive' },
  release: { onHand: 'zero', reserved: 'negative' },
};

export interface Deltas {
  onHand: number;
  reserved: number;
}

export interface Quantities {
  onHand: number;
  reserved: number;
}

function signHolds(sign: DeltaSign, value: number, onHandDelta: number): boolean {
  switch (sign) {
    case 'positive':
      return value > 0;
    case 'negative':
      return value < 0;
    case 'zero':
      return value === 0;
    case 'nonzero':
      return value !== 0;
    case 'down_to_on_hand':
      return value <= 0 && value >= onHandDelta;
  }
}

export function deltasAllowed(kind: MovementKind, d: Deltas): boolean {
  const rule = deltaRules[kind];
  return (
    Number.isSafeInteger(d.onHand) &&
    Number.isSafeInteger(d.reserved) &&
    signHolds(rule.onHand, d.onHand, d.onHand) &&
    signHolds(rule.reserved, d.reserved, d.onHand)
  );
}

export const available = (b: Quantities): number => b.onHand - b.reserved;

/** Far above any shelf, far below the int4 column: a runaway sum of adjustments is refused, not overflowed. */
export const MAX_ON_HAND = 1_000_000_000;

export const invariantHolds = (b: Quantities): boolean =>
  b.reserved >= 0 && b.onHand >= b.reserved && b.onHand <= MAX_ON_HAND;

export const applyDeltas = (b: Quantities, d: Deltas): Quantities => ({
  onHand: b.onHand + d.onHand,
  reserved: b.reserved + d.reserved,
});

/** The deltas of a movement of `quantity` units (> 0); `held` when the goods leave through a reservation. */
export function deltasOf(kind: MovementKind, quantity: number, held = false): Deltas {
  switch (kind) {
    case 'adjustment':
      return { onHand: quantity, reserved: 0 };
    case 'sale':
    case 'transfer_out':
      return { onHand: -quantity, reserved: held ? -quantity : 0 };
    case 'transfer_in':
    case 'return':
      return { onHand: quantity, reserved: 0 };
    case 'reservation':
      return { onHand: 0, reserved: quantity };
    case 'release':
      return { onHand: 0, reserved: -quantity };
  }
}

export const MAX_QUANTITY = 1_000_000;

export type { FieldError };

export function quantityErrors(quantity: number, path = '/quantity'): FieldError[] {
  if (!Number.isSafeInteger(quantity))
    return [{ path, code: 'STOCK.QUANTITY_NOT_INTEGER', message: 'must be an integer' }];
  if (quantity < 1)
    return [{ path, code: 'STOCK.QUANTITY_BELOW_MIN', params: { min: 1 }, message: 'must be at least 1' }];
  if (quantity > MAX_QUANTITY)
    return [
      {
        path,
        code: 'STOCK.QUANTITY_ABOVE_MAX',
        params: { max: MAX_QUANTITY },
        message: `must be at most ${MAX_QUANTITY}`,
      },
    ];
  return [];
}

export interface AdjustmentInput {
  /** A signed change of the on-hand quantity. */
  quantity?: number;
  /** The quantity counted on the shelf: the change is whatever brings the balance to it. */
  countedQuantity?: number;
  reason: string;
}

export function adjustmentErrors(input: AdjustmentInput): FieldError[] {
  const errors: FieldError[] = [];
  const { quantity, countedQuantity } = input;
  if ((quantity === undefined) === (countedQuantity === undefined)) {
    errors.push({
      path: '/quantity',
      code: 'STOCK.QUANTITY_OR_COUNT',
      message: 'send either quantity (a change) or countedQuantity (a count)',
    });
  } else if (quantity !== undefined) {
    if (!Number.isSafeInteger(quantity))
      errors.push({ path: '/quantity', code: 'STOCK.QUANTITY_NOT_INTEGER', message: 'must be an integer' });
    else if (quantity === 0)
      errors.push({ path: '/quantity', code: 'STOCK.QUANTITY_ZERO', message: 'must not be zero' });
    else if (Math.abs(quantity) > MAX_QUANTITY) {
      errors.push({
        path: '/quantity',
        code: 'STOCK.QUANTITY_OUT_OF_RANGE',
        params: { min: -MAX_QUANTITY, max: MAX_QUANTITY },
        message: `must be between -${MAX_QUANTITY} and ${MAX_QUANTITY}`,
      });
    }
  } else if (countedQuantity !== undefined) {
    if (!Number.isSafeInteger(countedQuantity) || countedQuantity < 0 || countedQuantity > MAX_QUANTITY) {
      errors.push({
        path: '/countedQuantity',
        code: 'STOCK.COUNT_OUT_OF_RANGE',
        params: { min: 0, max: MAX_QUANTITY },
        message: `must be an integer from 0 to ${MAX_QUANTITY}`,
      });
    }
  }
  if (input.reason.trim() === '')
    errors.push({ path: '/reason', code: 'STOCK.REASON_REQUIRED', message: 'must say why' });
  return errors;
}

/** The on-hand change an adjustment makes to the current balance (0 when a count matches it). */
export const adjustmentDelta = (current: Quantities, input: AdjustmentInput): number =>
  input.quantity ?? (input.countedQuantity ?? current.onHand) - current.onHand;

/** What a caller needs to act on a shortage: how much was asked, how much there is, how much is missing. */
export function shortage(requested: number, availableNow: number) {
  const availableClamped = Math.max(0, availableNow);
  return { requested, available: availableClamped, missing: Math.max(0, requested - availableClamped) };
}
