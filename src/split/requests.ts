import * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { decodeCursor, type Page, pageOf } from '../platform/pagination.ts';
import * as stock from '../stock/service.ts';
import { canMoveRequest, inFlight, type RequestStatus } from './domain.ts';
import { type SplitDeps, STOCK_REQUEST_REFERENCE, splitCaller } from './order-facts.ts';
import * as store from './store.ts';

export interface RequestView {
  id: string;
  orderId: string;
  orderNumber: number | null;
  /** The support company asked for the goods. */
  storeCode: string;
  storeName: string;
  mainStoreCode: string;
  status: RequestStatus;
  blockReason: string | null;
  rejectionReason: string | null;
  lines: { line: number; sku: string; quantity: number }[];
  transferDocument: { id: string; accessKey: string; status: string } | null;
  entryCfop: string | null;
  expectedAt: string;
  createdAt: string;
  acceptedAt: string | null;
  invoicedAt: string | null;
  receivedAt: string | null;
  version: number;
}

export async function views(db: Db, rows: store.RequestRow[]): Promise<RequestView[]> {
  const lines = await store.linesOf(
    db,
    rows.map((r) => r.id),
  );
  const out: RequestView[] = [];
  for (const r of rows) {
    const support = await network.getNodeById(db, r.supportStoreId);
    const main = await network.getNodeById(db, r.mainStoreId);
    const order = await orders.orderDetails(db, r.orderId);
    const doc = r.transferDocumentId ? await fiscal.getDocument(db, r.transferDocumentId) : undefined;
    out.push({
      id: r.id,
      orderId: r.orderId,
      orderNumber: order?.order.number ?? null,
      storeCode: support?.code ?? '',
      storeName: support?.name ?? '',
      mainStoreCode: main?.code ?? '',
      status: r.status,
      blockReason: r.blockReason,
      rejectionReason: r.rejectionReason,
      lines: (lines.get(r.id) ?? []).map((l) => ({ line: l.line, sku: l.sku, quantity: l.quantity })),
      transferDocument: doc ? { id: doc.id, accessKey: doc.accessKey, status: doc.status } : null,
      entryCfop: r.entryCfop,
      expectedAt: r.expectedAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
      acceptedAt: r.acceptedAt?.toISOString() ?? null,
      invoicedAt: r.invoicedAt?.toISOString() ?? null,
      receivedAt: r.receivedAt?.toISOString() ?? null,
      version: r.version,
    });
  }
  return out;
}

export interface RequestReader extends network.Viewer {
  id: string;
  actor: string;
}

const requestNotFound = (id: string) =>
  fail('not_found', 'SPLIT.REQUEST_NOT_FOUND', `There is no stock request ${id} visible to you.`);

/** The request if the reader sits above its support or its main store, and which side(s) it is on. */
export async function visibleRequest(
  db: Db,
  reader: network.Viewer,
  id: string,
  lock = false,
): Promise<Result<{ row: store.RequestRow; support: boolean; main: boolean }>> {
  const row = await store.findRequest(db, id, lock);
  if (!row || row.networkId !== reader.networkId) return requestNotFound(id);
  const support = await network.placement(db, row.supportStoreId);
  const main = await network.placement(db, row.mainStoreId);
  const onSupport = !!support && network.isWithin(support.path, reader.nodePath);
  const onMain = !!main && network.isWithin(main.path, reader.nodePath);
  if (!onSupport && !onMain) return requestNotFound(id);
  return ok({ row, support: onSupport, main: onMain });
}

export async function getRequest(db: Db, reader: network.Viewer, id: string): Promise<Result<RequestView>> {
  const found = await visibleRequest(db, reader, id);
  if (!found.ok) return found;
  return ok((await views(db, [found.value.row]))[0]!);
}

export async function listRequests(
  db: Db,
  reader: network.Viewer,
  q: {
    storeCode?: string[];
    side?: 'support' | 'main';
    status?: RequestStatus[];
    orderId?: string;
    cursor?: string;
    limit?: number;
  },
): Promise<Result<Page<RequestView>>> {
  const after = decodeCursor(q.cursor);
  if (!after.ok) return after;
  const stores = await network.storesWithin(db, reader, q.storeCode);
  if (q.storeCode?.length) {
    const known = new Set(stores.map((s) => s.code));
    const unknown = q.storeCode.filter((c) => !known.has(c));
    if (unknown.length)
      return fail(
        'not_found',
        'NETWORK.STORE_NOT_FOUND',
        `There is no store ${unknown.join(', ')} visible to you.`,
      );
  }
  const storeIds = stores.map((s) => s.id);
  const limit = q.limit ?? 50;
  const rows = await store.listRequests(db, {
    networkId: reader.networkId,
    storeIds,
    side: q.side,
    statuses: q.status,
    orderId: q.orderId,
    after: after.value ? [String(after.value[0]), String(after.value[1])] : null,
    limit,
  });
  const page = pageOf(rows, limit, (r) => [r.createdAt.toISOString(), r.id]);
  return ok({ items: await views(db, page.items), nextCursor: page.nextCursor });
}

/** Moves a locked request along its lifecycle (domain.ts `requestTransitions`), or a 409 naming why not. */
function refuse(row: store.RequestRow, to: RequestStatus) {
  return fail(
    'conflict',
    'SPLIT.REQUEST_TRANSITION_NOT_ALLOWED',
    `A stock request cannot go ${row.status} → ${to}.`,
    {
      data: { currentStatus: row.status, requested: to },
    },
  );
}

/**
 * The order of a request may have been cancelled meanwhile (its holds were released with it): a request
 * not yet invoiced is then closed as cancelled, and the action refused.
 */
async function orderGone(tx: Db, row: store.RequestRow): Promise<Result<null>> {
  const details = await orders.orderDetails(tx, row.orderId);
  if (details?.order.status !== 'cancelled') return ok(null);
  if (canMoveRequest(row.status, 'cancelled'))
    await store.updateRequest(tx, row.id, { status: 'cancelled', closedAt: new Date(), blockReason: null });
  return fail('conflict', 'SPLIT.ORDER_CANCELLED', 'The order was cancelled: this stock request is closed.');
}

/** Back to open once no request of the split is on its way any more (all received, or some refused). */
async function reopenIfSettled(tx: Db, orderId: string, reason: string): Promise<Result<unknown>> {
  const details = await orders.orderDetails(tx, orderId);
  if (details?.order.status !== 'awaiting_stock') return ok(null);
  const pending = (await store.requestsOfOrder(tx, orderId)).filter((r) => inFlight.includes(r.status));
  if (pending.length > 0) return ok(null);
  return orders.changeStatus(tx, splitCaller, orderId, 'open', { reason });
}

type Side = 'support' | 'main';

async function act(
  db: Db,
  reader: RequestReader,
  id: string,
  side: Side,
  to: RequestStatus,
  work: (tx: Db, row: store.RequestRow) => Promise<Result<unknown>>,
): Promise<Result<RequestView>> {
  return transaction(db, async (tx) => {
    const found = await visibleRequest(tx, reader, id, true);
    if (!found.ok) return found;
    const { row } = found.value;
    if (!found.value[side])
      return fail(
        'forbidden',
        'SPLIT.NOT_YOUR_SIDE',
        side === 'support'
          ? 'Only the company asked for the goods accepts, refuses or invoices a stock request.'
          : 'Only the main store receives the goods of a stock request.',
      );
    const gone = await orderGone(tx, row);
    if (!gone.ok && row.status !== 'in_transit') return gone;
    if (!canMoveRequest(row.status, to)) return refuse(row, to);
    const done = await work(tx, row);
    if (!done.ok) return done;
    return ok((await views(tx, [(await store.findRequest(tx, id))!]))[0]!);
  });
}

/** The support company accepts: the request is unblocked and its goods stay held for the order. */
export const acceptRequest = (db: Db, reader: RequestReader, id: string) =>
  act(db, reader, id, 'support', 'accepted', async (tx, row) =>
    ok(
      await store.updateRequest(tx, row.id, {
        status: 'accepted',
        blockReason: null,
        acceptedAt: new Date(),
      }),
    ),
  );

/** The support company refuses: its holds go back and the quantities are pending again at the order. */
export const rejectRequest = (db: Db, reader: RequestReader, id: string, reason: string) =>
  act(db, reader, id, 'support', 'rejected', async (tx, row) => {
    const text = reason.trim();
    if (text.length < 3)
      return fail('invalid', 'SPLIT.REASON_REQUIRED', 'Say why the request is refused.', {
        errors: [
          {
            path: '/reason',
            code: 'SPLIT.REASON_REQUIRED',
            params: { minLength: 3 },
            message: 'is required (3 characters or more)',
          },
        ],
      });
    for (const line of (await store.linesOf(tx, [row.id])).get(row.id) ?? []) {
      const released = await stock.release(tx, {
        reservationId: line.reservationId,
        actor: `user:${reader.id}`,
        reason: `stock request refused: ${text}`,
      });
      if (!released.ok && released.failure.code !== 'STOCK.RESERVATION_CLOSED') return released;
    }
    await store.updateRequest(tx, row.id, {
      status: 'rejected',
      rejectionReason: text,
      blockReason: null,
      closedAt: new Date(),
    });
    const support = await network.getNodeById(tx, row.supportStoreId);
    return reopenIfSettled(
      tx,
      row.orderId,
      `Loja ${support?.code} recusou a solicitação de estoque: ${text}`,
    );
  });

/**
 * The support company invoices the transfer: a transfer NF-e (5152/6152) to the main store, queued for
 * SEFAZ in this transaction; its authorisation takes the goods out (see `transferHandlers`).
 */
export function invoiceRequest(db: Db, deps: SplitDeps, reader: RequestReader, id: string) {
  return act(db, reader, id, 'support', 'invoicing', async (tx, row) => {
    const details = await orders.orderDetails(tx, row.orderId);
    const prices = new Map(details?.items.map((i) => [i.productId, i.unitPrice]) ?? []);
    const main = await network.getNodeById(tx, row.mainStoreId);
    const lines = (await store.linesOf(tx, [row.id])).get(row.id) ?? [];
    const issued = await fiscal.issueTransfer(tx, deps, {
      fromStoreId: row.supportStoreId,
      toStoreId: row.mainStoreId,
      lines: lines.map((l) => ({
        productId: l.productId,
        quantity: l.quantity,
        unitValue: prices.get(l.productId),
      })),
      reference: {
        type: STOCK_REQUEST_REFERENCE,
        id: row.id,
        description: `Transferencia para a loja ${main?.code}, pedido ${details?.order.number ?? ''}`,
      },
    });
    if (!issued.ok) return issued;
    return ok(
      await store.updateRequest(tx, row.id, {
        status: 'invoicing',
        transferDocumentId: issued.value.documentId,
      }),
    );
  });
}

/** The main store receives the goods: they enter its stock and are held for the order at once. */
export function receiveRequest(db: Db, reader: RequestReader, id: string) {
  return act(db, reader, id, 'main', 'received', async (tx, row) => {
    const reference = { type: STOCK_REQUEST_REFERENCE, id: row.id };
    const actor = `user:${reader.id}`;
    const details = await orders.orderDetails(tx, row.orderId);
    const waiting = details?.order.status === 'awaiting_stock';
    for (const line of (await store.linesOf(tx, [row.id])).get(row.id) ?? []) {
      const entered = await stock.transferIn(tx, {
        storeId: row.mainStoreId,
        productId: line.productId,
        quantity: line.quantity,
        reference,
        actor,
        reason: 'transfer received',
      });
      if (!entered.ok) return entered;
      if (!waiting) continue;
      const held = await stock.reserve(tx, {
        storeId: row.mainStoreId,
        productId: line.productId,
        quantity: line.quantity,
        reference: { type: 'order', id: row.orderId },
        actor,
      });
      if (!held.ok) return held;
    }
    const support = await network.getNodeById(tx, row.supportStoreId);
    const entryCfop = await fiscal.transferEntryCfop(tx, row.mainStoreId, support?.address?.state ?? '');
    await store.updateRequest(tx, row.id, {
      status: 'received',
      receivedAt: new Date(),
      closedAt: new Date(),
      entryCfop,
    });
    return reopenIfSettled(tx, row.orderId, 'Todas as transferências do split foram recebidas');
  });
}

/** What the transfer NF-e's answer does to its request (plugged into the fiscal outbox in app.ts). */
export const transferHandlers: fiscal.ReferenceHandlers = {
  async authorised(tx, doc) {
    const row = await store.findRequest(tx, doc.referenceId, true);
    if (row?.status !== 'invoicing') return ok(null);
    for (const line of (await store.linesOf(tx, [row.id])).get(row.id) ?? []) {
      const left = await stock.consume(tx, {
        reservationId: line.reservationId,
        actor: 'system:fiscal',
        as: 'transfer_out',
        reference: { type: STOCK_REQUEST_REFERENCE, id: row.id },
      });
      if (!left.ok) return left;
    }
    return ok(
      await store.updateRequest(tx, row.id, {
        status: 'in_transit',
        invoicedAt: doc.authorisedAt ?? new Date(),
      }),
    );
  },
  async rejected(tx, doc) {
    const row = await store.findRequest(tx, doc.referenceId, true);
    if (row?.status !== 'invoicing') return ok(null);
    return ok(await store.updateRequest(tx, row.id, { status: 'accepted' }));
  },
};
