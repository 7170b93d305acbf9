import type { Db } from '../platform/db/index.ts';
import { abort, catchFailure, fail, ok, type Result } from '../platform/errors.ts';
import { deltasOf, type MovementKind, quantityErrors, shortage } from './domain.ts';
import { appendToFeed } from './feed.ts';
import {
  type ActorRef,
  currentBalance,
  invalid,
  labels,
  move,
  type Reference,
  type Reservation,
  referenceOf,
  type StockLine,
  toReservation,
} from './ledger.ts';
import * as store from './store.ts';

const reservationNotFound = (id: string) =>
  fail('not_found', 'STOCK.RESERVATION_NOT_FOUND', `There is no reservation ${id}.`);

const reservationClosed = (r: store.ReservationRow) =>
  fail('conflict', 'STOCK.RESERVATION_CLOSED', `The reservation is already ${r.status}.`, {
    data: { reservationId: r.id, reservationStatus: r.status },
  });

/** Holds `quantity` units for a reference; 409 STOCK.INSUFFICIENT with what is missing, holding nothing. */
export async function reserve(
  db: Db,
  input: StockLine & { reference?: Reference; actor: ActorRef },
): Promise<Result<Reservation>> {
  const result = await reserveMany(db, { lines: [input], reference: input.reference, actor: input.actor });
  if (result.ok) return ok(result.value[0]!);
  const [line] = (result.failure.data?.lines as Record<string, unknown>[] | undefined) ?? [];
  if (!line) return result;
  const errors = result.failure.errors?.map((e) => ({ ...e, path: e.path.replace(/^\/lines\/0/, '') }));
  return { ok: false, failure: { ...result.failure, ...(errors && { errors }), data: line } };
}

/**
 * Holds every line or none: when some are short, the failure lists each short line. Lines are taken in
 * one fixed order (store, product) so two multi-line reservations cannot deadlock each other.
 */
export async function reserveMany(
  db: Db,
  input: { lines: StockLine[]; reference?: Reference; actor: ActorRef },
): Promise<Result<Reservation[]>> {
  const errors = input.lines.flatMap((l, i) => quantityErrors(l.quantity, `/lines/${i}/quantity`));
  if (input.lines.length === 0)
    errors.push({ path: '/lines', code: 'STOCK.LINES_EMPTY', message: 'must not be empty' });
  if (errors.length) return invalid('STOCK.INVALID_QUANTITY', 'Some quantities are not valid.', errors);
  const order = input.lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => compareKeys(a.line, b.line) || a.index - b.index);
  return catchFailure(() =>
    db.transaction(async (tx) => {
      const held: Reservation[] = [];
      const short: StockLine[] = [];
      const movementIds: number[] = [];
      for (const { line, index } of order) {
        const key = { storeId: line.storeId, productId: line.productId };
        // The hold comes first so its movement can name it; a shortage rolls both back.
        const reservation = await store.insertReservation(tx, {
          ...key,
          quantity: line.quantity,
          referenceType: input.reference?.type ?? null,
          referenceId: input.reference?.id ?? null,
          createdBy: input.actor,
        });
        const moved = await move(tx, key, 'reservation', deltasOf('reservation', line.quantity), {
          reference: input.reference,
          reservationId: reservation.id,
          actor: input.actor,
        });
        if (moved) {
          held[index] = toReservation(reservation);
          movementIds.push(moved.movement.id);
        } else short.push(line);
      }
      if (short.length === 0) {
        await appendToFeed(tx, movementIds);
        return held;
      }
      const lines = [];
      for (const line of short) {
        const now = await currentBalance(tx, line);
        lines.push({ ...(await labels(tx, line)), ...shortage(line.quantity, now.available) });
      }
      const detail = lines
        .map((l) => `${l.sku} at store ${l.storeCode}: ${l.requested} asked, ${l.available} available`)
        .join('; ');
      return abort(
        fail('conflict', 'STOCK.INSUFFICIENT', `Not enough stock: ${detail}.`, { data: { lines } }),
      );
    }),
  );
}

const compareKeys = (a: store.BalanceKey, b: store.BalanceKey) =>
  a.storeId < b.storeId
    ? -1
    : a.storeId > b.storeId
      ? 1
      : a.productId < b.productId
        ? -1
        : +(a.productId > b.productId);

/** Gives a hold back to the available stock. */
export async function release(
  db: Db,
  input: { reservationId: string; actor: ActorRef; reason?: string },
): Promise<Result<Reservation>> {
  return closeHeld(db, input.reservationId, 'released', 'release', input);
}

/**
 * The held goods leave the store: as a sale (default) or as a transfer to another company of the group.
 * On hand and reserved both drop by the reservation's quantity.
 */
export async function consume(
  db: Db,
  input: {
    reservationId: string;
    actor: ActorRef;
    as?: 'sale' | 'transfer_out';
    reason?: string;
    reference?: Reference;
  },
): Promise<Result<Reservation>> {
  return closeHeld(db, input.reservationId, 'consumed', input.as ?? 'sale', input);
}

async function closeHeld(
  db: Db,
  reservationId: string,
  status: 'released' | 'consumed',
  kind: MovementKind,
  meta: { actor: ActorRef; reason?: string; reference?: Reference },
): Promise<Result<Reservation>> {
  return catchFailure(() =>
    db.transaction(async (tx) => {
      const found = await store.findReservation(tx, reservationId, true);
      if (!found) return abort(reservationNotFound(reservationId));
      if (found.status !== 'active') return abort(reservationClosed(found));
      const closed = (await store.closeReservation(tx, reservationId, status))!;
      await appendToFeed(tx, [await holdMovement(tx, closed, kind, meta)]);
      return toReservation(closed);
    }),
  );
}

async function holdMovement(
  tx: Db,
  r: store.ReservationRow,
  kind: MovementKind,
  meta: { actor: ActorRef; reason?: string; reference?: Reference },
): Promise<number> {
  const deltas = kind === 'release' ? deltasOf('release', r.quantity) : deltasOf(kind, r.quantity, true);
  const moved = await move(tx, r, kind, deltas, {
    reason: meta.reason,
    reference: meta.reference ?? referenceOf(r),
    reservationId: r.id,
    actor: meta.actor,
  });
  // An active reservation's quantity is part of `reserved`, so this cannot fail unless the books are wrong.
  if (!moved) throw new Error(`Bug: reservation ${r.id} is not covered by its balance`);
  return moved.movement.id;
}

/** Releases every active hold of a reference (an order cancelled, a request refused). */
export async function releaseByReference(
  db: Db,
  input: { reference: { type: string; id: string }; actor: ActorRef; reason?: string },
): Promise<Reservation[]> {
  return db.transaction(async (tx) => {
    const released: Reservation[] = [];
    const movementIds: number[] = [];
    for (const r of await store.lockActiveByReference(tx, input.reference)) {
      const closed = (await store.closeReservation(tx, r.id, 'released'))!;
      movementIds.push(await holdMovement(tx, closed, 'release', input));
      released.push(toReservation(closed));
    }
    await appendToFeed(tx, movementIds);
    return released;
  });
}

export async function getReservation(db: Db, id: string): Promise<Reservation | undefined> {
  const row = await store.findReservation(db, id);
  return row && toReservation(row);
}

export async function reservationsOf(
  db: Db,
  reference: { type: string; id: string },
): Promise<Reservation[]> {
  return (await store.reservationsByReference(db, reference)).map(toReservation);
}
