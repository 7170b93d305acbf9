import * as catalog from '../catalog/service.ts';
import type { Db } from '../platform/db/index.ts';
import { abort, catchFailure, fail, type Result } from '../platform/errors.ts';
import { demoQuantity } from './demo-data.ts';
import {
  type AdjustmentInput,
  adjustmentDelta,
  adjustmentErrors,
  deltasOf,
  quantityErrors,
  shortage,
} from './domain.ts';
import { appendToFeed } from './feed.ts';
import {
  type ActorRef,
  type Balance,
  currentBalance,
  emptyBalance,
  invalid,
  labels,
  type Movement,
  move,
  type Reference,
  type StockLine,
  toBalance,
  tooLarge,
} from './ledger.ts';
import * as store from './store.ts';

/**
 * Stock as other contexts use it. Every function takes a `Db` that may be the caller's transaction: it
 * then runs in a savepoint, so a returned failure has undone its own writes and left the caller's
 * transaction usable (or the caller aborts it whole).
 */

export type { MovementKind, ReservationStatus } from './domain.ts';
export { movementKinds } from './domain.ts';
export {
  claimLease as claimFeedLease,
  type FeedConsumer,
  type FeedRow,
  latestUnpushed as latestUnpushedFeed,
  markPublished as markFeedPublished,
  markPushed as markFeedPushed,
  networksWaiting as networksWithFeed,
  purgeFeed,
  releaseLease as releaseFeedLease,
  unpublished as unpublishedFeed,
} from './feed.ts';
export type { ActorRef, Balance, Movement, Reference, Reservation, StockLine } from './ledger.ts';
export {
  consume,
  getReservation,
  release,
  releaseByReference,
  reservationsOf,
  reserve,
  reserveMany,
} from './reservations.ts';

/** A single movement's change, appended to the stock feed in the movement's transaction. */
async function fed<T extends { movement: Movement }>(tx: Db, moved: T): Promise<T> {
  await appendToFeed(tx, [moved.movement.id]);
  return moved;
}

/** Sets the on-hand quantity by a signed change or by a count; refused below what is reserved. */
export async function adjust(
  db: Db,
  input: store.BalanceKey & AdjustmentInput & { actor: ActorRef; reference?: Reference },
): Promise<Result<{ balance: Balance; movement: Movement | null }>> {
  const errors = adjustmentErrors(input);
  if (errors.length) return invalid('STOCK.INVALID_ADJUSTMENT', 'The adjustment is not valid.', errors);
  const key = { storeId: input.storeId, productId: input.productId };
  return catchFailure(() =>
    db.transaction(async (tx) => {
      await store.ensureBalance(tx, key);
      // A count needs the balance it replaces: lock it so the change computed is the change made.
      const locked = input.countedQuantity === undefined ? undefined : await store.getBalance(tx, key, true);
      const delta = adjustmentDelta(locked ?? { onHand: 0, reserved: 0 }, input);
      if (delta === 0) return { balance: locked ? toBalance(locked) : emptyBalance(key), movement: null };
      const moved = await move(tx, key, 'adjustment', deltasOf('adjustment', delta), {
        reason: input.reason.trim(),
        reference: input.reference,
        actor: input.actor,
      });
      if (moved) return fed(tx, moved);
      if (delta > 0) return abort(tooLarge(input.quantity === undefined ? '/countedQuantity' : '/quantity'));
      const now = await currentBalance(tx, key);
      const names = await labels(tx, key);
      return abort(
        fail(
          'conflict',
          'STOCK.BELOW_RESERVED',
          `${names.sku} at store ${names.storeCode}: on hand would be ${now.onHand + delta}, ` +
            `below the ${now.reserved} reserved; release reservations first.`,
          { data: { ...names, onHand: now.onHand, reserved: now.reserved, requestedChange: delta } },
        ),
      );
    }),
  );
}

/** Goods sold straight off the shelf, not held before (a walk-in sale at the POS). */
export async function sell(
  db: Db,
  input: StockLine & { reference?: Reference; actor: ActorRef; reason?: string },
): Promise<Result<{ balance: Balance; movement: Movement }>> {
  return takeOut(db, 'sale', input);
}

/** Goods leave from the free stock (not held): a transfer to another company of the group. */
export async function transferOut(
  db: Db,
  input: StockLine & { reference: Reference; actor: ActorRef; reason?: string },
): Promise<Result<{ balance: Balance; movement: Movement }>> {
  return takeOut(db, 'transfer_out', input);
}

async function takeOut(
  db: Db,
  kind: 'transfer_out' | 'sale',
  input: StockLine & { reference?: Reference; actor: ActorRef; reason?: string },
): Promise<Result<{ balance: Balance; movement: Movement }>> {
  const errors = quantityErrors(input.quantity);
  if (errors.length) return invalid('STOCK.INVALID_QUANTITY', 'The quantity is not valid.', errors);
  const key = { storeId: input.storeId, productId: input.productId };
  return catchFailure(() =>
    db.transaction(async (tx) => {
      const moved = await move(tx, key, kind, deltasOf(kind, input.quantity), input);
      if (moved) return fed(tx, moved);
      const data = {
        ...(await labels(tx, key)),
        ...shortage(input.quantity, (await currentBalance(tx, key)).available),
      };
      return abort(
        fail(
          'conflict',
          'STOCK.INSUFFICIENT',
          `Not enough free stock of ${data.sku} at store ${data.storeCode}.`,
          {
            data,
          },
        ),
      );
    }),
  );
}

/** Goods arrive from another company of the group. */
export async function transferIn(
  db: Db,
  input: StockLine & { reference: Reference; actor: ActorRef; reason?: string },
): Promise<Result<{ balance: Balance; movement: Movement }>> {
  return putIn(db, 'transfer_in', input);
}

/** A customer brings goods back; they are sellable again. */
export async function returnToStock(
  db: Db,
  input: StockLine & { reason: string; reference?: Reference; actor: ActorRef },
): Promise<Result<{ balance: Balance; movement: Movement }>> {
  return putIn(db, 'return', input);
}

async function putIn(
  db: Db,
  kind: 'transfer_in' | 'return',
  input: StockLine & { reference?: Reference; actor: ActorRef; reason?: string },
): Promise<Result<{ balance: Balance; movement: Movement }>> {
  const errors = quantityErrors(input.quantity);
  if (errors.length) return invalid('STOCK.INVALID_QUANTITY', 'The quantity is not valid.', errors);
  const key = { storeId: input.storeId, productId: input.productId };
  return catchFailure(() =>
    db.transaction(async (tx) => {
      const moved = await move(tx, key, kind, deltasOf(kind, input.quantity), input);
      return moved ? fed(tx, moved) : abort(tooLarge('/quantity'));
    }),
  );
}

/** Balances of these stores and products; a pair without a row has nothing (on hand 0). */
export async function balances(db: Db, f: { storeIds: string[]; productIds: string[] }): Promise<Balance[]> {
  return (await store.balancesOf(db, f.storeIds, f.productIds)).map(toBalance);
}

/** Free quantity per store of each product, only where there is some: product id → store id → units. */
export async function availableAcrossStores(
  db: Db,
  productIds: string[],
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (const row of await store.availableByProduct(db, productIds))
    out.set(row.productId, new Map(row.storeIds.map((id, i) => [id, row.available[i]!])));
  return out;
}

export type LedgerMismatch = store.LedgerRow;

/** Whether every balance equals the sum of its movements and its reserved quantity its active holds. */
export async function ledgerCheck(
  db: Db,
  f: { storeIds?: string[] } = {},
): Promise<{ balanced: boolean; mismatches: LedgerMismatch[] }> {
  const mismatches = await store.ledgerMismatches(db, f.storeIds);
  return { balanced: mismatches.length === 0, mismatches };
}

/** The demo stock promised to outside clients, entered as adjustments so the ledger balances from the first day. */
export async function seedStock(
  db: Db,
  input: { networkId: string; stores: { id: string; code: string }[] },
): Promise<void> {
  const products = await catalog.listProductRefs(db, input.networkId, { limit: 10_000 });
  const stores = [...input.stores].sort((a, b) => (a.code < b.code ? -1 : +(a.code > b.code)));
  for (const [productIndex, product] of products.entries()) {
    for (const [storeIndex, s] of stores.entries()) {
      const quantity = demoQuantity(product.sku, s.code, productIndex, storeIndex);
      if (quantity === 0) continue;
      const done = await adjust(db, {
        storeId: s.id,
        productId: product.id,
        quantity,
        reason: 'Saldo inicial da demonstração',
        actor: 'system:demo-seed',
      });
      if (!done.ok) throw new Error(`seedStock: ${done.failure.code} ${done.failure.detail}`);
    }
  }
}
