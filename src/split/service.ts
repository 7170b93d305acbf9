/**
 * The split context's door (seeds: "Split de Pedido de Venda"). When the fulfilling store lacks stock, the
 * order's pending quantities are allocated to other companies of the group; each becomes a stock request
 * that holds its goods, is accepted, invoiced with a transfer NF-e and received at the main store. When
 * none is on its way any more, the order is open again, holding what arrived, and is accepted and
 * invoiced as a whole.
 */
import { randomUUID } from 'node:crypto';
import * as delivery from '../delivery/service.ts';
import * as fiscal from '../fiscal/service.ts';
import * as network from '../network/service.ts';
import * as orders from '../orders/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { decodeCursor, type Page, pageOf } from '../platform/pagination.ts';
import * as stock from '../stock/service.ts';
import {
  type Allocation,
  allocationErrors,
  type Candidate,
  canMoveRequest,
  defaultStrategy,
  inFlight,
  type LineState,
  pendingOf,
  type RequestStatus,
  type RoutingStrategy,
} from './domain.ts';
import * as store from './store.ts';

export type { Allocation, Candidate, LineState, RequestStatus, RoutingStrategy } from './domain.ts';
export { defaultStrategy, requestStatuses, requestStatusLabels, requestTransitions } from './domain.ts';

export const STOCK_REQUEST_REFERENCE = 'stock_request';
const DAY = 86_400_000;

export interface SplitDeps extends fiscal.IssuingDeps {
  strategy?: RoutingStrategy;
}

const splitCaller: orders.OrderCaller = { ...orders.systemCaller('split'), name: 'Split de pedido' };
const actorOf = (caller: orders.OrderCaller) => `${caller.kind}:${caller.id}`;

interface OrderFacts {
  order: orders.OrderRow;
  items: { productId: string; sku: string; description: string; quantity: number; unitPrice: string }[];
  main: network.NetworkNode;
}

async function orderFacts(db: Db, caller: orders.OrderCaller, orderId: string): Promise<Result<OrderFacts>> {
  const details = await orders.orderDetails(db, orderId);
  if (!details || !(await orders.canSee(db, caller, details.order))) return orders.orderNotFound(orderId);
  const main = await network.getNodeById(db, details.order.storeId);
  if (!main) throw new Error(`order ${orderId}: its store is gone`);
  return ok({ order: details.order, items: details.items, main });
}

/**
 * TP_VALIDA_SLD_ACEITE_PED = '01' (seeds 003): the store validates stock at acceptance and offers the
 * split when it is short; with any other value a shortage only refuses the acceptance.
 */
async function splitRefused(db: Db, facts: OrderFacts): Promise<Result<never> | undefined> {
  const mode = (await parameters.resolve(db, facts.main.id, 'TP_VALIDA_SLD_ACEITE_PED')).value;
  if (mode === '01') return undefined;
  return fail(
    'conflict',
    'SPLIT.NOT_ENABLED',
    `Store ${facts.main.code} does not split orders (TP_VALIDA_SLD_ACEITE_PED is ${mode}, not 01): accept the order with its stock or refuse lines to re-route them.`,
    { data: { parameter: 'TP_VALIDA_SLD_ACEITE_PED', value: mode } },
  );
}

/** Requested, held at the main store and on its way, per line. */
async function lineStates(db: Db, facts: OrderFacts): Promise<LineState[]> {
  const held = new Map<string, number>();
  for (const r of await stock.reservationsOf(db, { type: 'order', id: facts.order.id }))
    if (r.status === 'active' && r.storeId === facts.order.storeId)
      held.set(r.productId, (held.get(r.productId) ?? 0) + r.quantity);
  const allocated = await store.allocatedOf(db, facts.order.id);
  return facts.items.map((i) => ({
    productId: i.productId,
    sku: i.sku,
    requested: i.quantity,
    held: held.get(i.productId) ?? 0,
    allocated: allocated.get(i.productId) ?? 0,
  }));
}

/**
 * The companies that may serve the order: the main store, and the stores of the group that take part in
 * the split (TP_UTILIZA_PRATELEIRA), that the main store sees (its TP_VISUAL_EMP_PRATELEIRA: only
 * itself, its central's stores, or the whole network) and that the order's delivery experiences enable
 * (those of its type and carrier that include the main store; none configured: no such limit), each with
 * its available stock and its distance.
 */
async function candidatesFor(db: Db, facts: OrderFacts, productIds: string[]): Promise<Candidate[]> {
  const { main } = facts;
  const visibility = (await parameters.resolve(db, main.id, 'TP_VISUAL_EMP_PRATELEIRA')).value;
  const mainUses = (await parameters.resolve(db, main.id, 'TP_UTILIZA_PRATELEIRA')).value === true;
  let others: network.StoreSummary[] = [];
  if (mainUses && visibility !== '1') {
    const all = await network.storeSummaries(db, main.networkId);
    others = all.filter(
      (s) => s.id !== main.id && s.active && (visibility === '3' || s.parentId === main.parentId),
    );
    const uses = await parameters.resolveAtNodes(
      db,
      others.map((s) => s.id),
      'TP_UTILIZA_PRATELEIRA',
    );
    others = others.filter((s) => uses.get(s.id) === true);
    const { storeIds } = await delivery.allowedStoresFor(db, {
      storeId: main.id,
      deliveryType: facts.order.deliveryType,
      carrier: facts.order.carrier,
    });
    if (storeIds) others = others.filter((s) => storeIds.has(s.id));
  }
  const companies = [main, ...others];
  const eligible = new Set(companies.map((c) => c.id));
  const available = new Map<string, Map<string, number>>();
  for (const [productId, byStore] of await stock.availableAcrossStores(db, productIds))
    for (const [storeId, units] of byStore) {
      if (!eligible.has(storeId)) continue;
      const m = available.get(storeId) ?? new Map<string, number>();
      m.set(productId, units);
      available.set(storeId, m);
    }
  const at = (n: { latitude: number | null; longitude: number | null }) =>
    n.latitude !== null && n.longitude !== null ? { latitude: n.latitude, longitude: n.longitude } : null;
  const origin = at(main);
  return companies.map((c) => {
    const there = at(c);
    return {
      storeId: c.id,
      storeCode: c.code,
      storeName: c.name,
      isMain: c.id === main.id,
      distanceKm:
        c.id === main.id
          ? 0
          : origin && there
            ? Math.round(network.distanceKm(origin, there) * 10) / 10
            : null,
      available: available.get(c.id) ?? new Map(),
    };
  });
}

export interface SplitOptions {
  order: { id: string; number: number | null; status: string; storeCode: string };
  lines: {
    sku: string;
    description: string;
    requested: number;
    held: number;
    allocated: number;
    pending: number;
    companies: {
      storeCode: string;
      storeName: string;
      isMain: boolean;
      available: number;
      distanceKm: number | null;
    }[];
  }[];
  /** The router's proposal for what is pending (the split screen's default). */
  proposal: Allocation[];
  strategy: string;
}

/** GET /orders/{id}/split-options: per line what is pending and who could send it, with the proposal. */
export async function splitOptions(
  db: Db,
  deps: Pick<SplitDeps, 'strategy'>,
  caller: orders.OrderCaller,
  orderId: string,
): Promise<Result<SplitOptions>> {
  const facts = await orderFacts(db, caller, orderId);
  if (!facts.ok) return facts;
  const refused = await splitRefused(db, facts.value);
  if (refused) return refused;
  const lines = await lineStates(db, facts.value);
  const candidates = await candidatesFor(
    db,
    facts.value,
    lines.map((l) => l.productId),
  );
  const strategy = deps.strategy ?? defaultStrategy;
  const description = new Map(facts.value.items.map((i) => [i.productId, i.description]));
  return ok({
    order: {
      id: facts.value.order.id,
      number: facts.value.order.number,
      status: facts.value.order.status,
      storeCode: facts.value.main.code,
    },
    lines: lines.map((l) => ({
      sku: l.sku,
      description: description.get(l.productId) ?? '',
      requested: l.requested,
      held: l.held,
      allocated: l.allocated,
      pending: pendingOf(l),
      companies: candidates
        .filter((c) => (c.available.get(l.productId) ?? 0) > 0)
        .map((c) => ({
          storeCode: c.storeCode,
          storeName: c.storeName,
          isMain: c.isMain,
          available: c.available.get(l.productId) ?? 0,
          distanceKm: c.distanceKm,
        }))
        .sort(
          (a, b) =>
            Number(b.isMain) - Number(a.isMain) ||
            (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
            a.storeCode.localeCompare(b.storeCode),
        ),
    })),
    proposal: strategy.propose(lines, candidates),
    strategy: strategy.name,
  });
}

/** Days the goods take from one company to another (the network's transit table, else its defaults). */
async function transitDays(db: Db, from: network.NetworkNode, to: network.NetworkNode): Promise<number> {
  const fromState = from.address?.state;
  const toState = to.address?.state;
  if (!fromState || !toState) return 7;
  return delivery.transitDays(db, from.networkId, {
    carrierCode: null,
    serviceCode: null,
    fromState: fromState as delivery.Uf,
    toState: toState as delivery.Uf,
  });
}

export interface Committed {
  requests: RequestView[];
}

/**
 * POST /orders/{id}/split: the order goes to awaiting_stock; what is allocated to the main store is
 * reserved there, and each support company gets one stock request holding its goods. All or nothing.
 */
export function commitSplit(
  db: Db,
  caller: orders.OrderCaller,
  orderId: string,
  allocations: readonly Allocation[],
  now = new Date(),
): Promise<Result<Committed>> {
  return transaction(db, async (tx) => {
    const before = await orderFacts(tx, caller, orderId);
    if (!before.ok) return before;
    const refused = await splitRefused(tx, before.value);
    if (refused) return refused;
    // Locks the order and checks it is open and the caller a back-office user of its store.
    const moved = await orders.changeStatus(tx, caller, orderId, 'awaiting_stock', { flow: 'split' });
    if (!moved.ok) return moved;
    const facts = await orderFacts(tx, caller, orderId);
    if (!facts.ok) return facts;
    const lines = await lineStates(tx, facts.value);
    const candidates = await candidatesFor(
      tx,
      facts.value,
      lines.map((l) => l.productId),
    );
    const errors = allocationErrors(allocations, lines, candidates);
    if (errors.length)
      return fail('invalid', 'SPLIT.INVALID_ALLOCATION', 'The allocation cannot be committed.', { errors });
    const byCode = new Map(candidates.map((c) => [c.storeCode, c]));
    const productOf = new Map(lines.map((l) => [l.sku, l.productId]));
    // One quantity per company and SKU.
    const merged = new Map<string, { storeId: string; productId: string; sku: string; quantity: number }>();
    for (const a of allocations) {
      const key = `${a.storeCode}|${a.sku}`;
      const was = merged.get(key);
      merged.set(key, {
        storeId: byCode.get(a.storeCode)!.storeId,
        productId: productOf.get(a.sku)!,
        sku: a.sku,
        quantity: (was?.quantity ?? 0) + a.quantity,
      });
    }
    const all = [...merged.values()];
    const mainId = facts.value.main.id;
    if (!all.some((a) => a.storeId !== mainId))
      return fail(
        'invalid',
        'SPLIT.NOTHING_TO_REQUEST',
        'Every allocation is at the store itself: accept the order instead of splitting it.',
        {
          errors: [
            {
              path: '/allocations',
              code: 'SPLIT.NO_OTHER_COMPANY',
              message: 'allocate to at least one other company',
            },
          ],
        },
      );
    // Every hold in one call: the stock context takes the balance locks in one order, so two orders
    // splitting against the same companies cannot deadlock, and neither can take more than is there.
    const held = await stock.reserveMany(tx, {
      lines: all.map((a) => ({ storeId: a.storeId, productId: a.productId, quantity: a.quantity })),
      reference: { type: 'order', id: orderId },
      actor: actorOf(caller),
    });
    if (!held.ok)
      return held.failure.code === 'STOCK.INSUFFICIENT'
        ? fail('conflict', 'SPLIT.STOCK_CHANGED', 'The stock changed meanwhile; reload the split options.', {
            data: held.failure.data,
          })
        : held;
    const supports = [...new Set(all.filter((a) => a.storeId !== mainId).map((a) => a.storeId))];
    const blockReasons = await parameters.resolveAtNodes(tx, supports, 'CD_MOTIVOBLOQ_PED_PRATELE');
    const created: store.RequestRow[] = [];
    for (const supportId of supports) {
      const support = (await network.getNodeById(tx, supportId))!;
      const mine = all
        .map((a, i) => ({ a, reservation: held.value[i]! }))
        .filter((x) => x.a.storeId === supportId);
      created.push(
        await store.insertRequest(
          tx,
          {
            id: randomUUID(),
            networkId: facts.value.order.networkId,
            orderId,
            mainStoreId: mainId,
            supportStoreId: supportId,
            status: 'requested',
            blockReason: (blockReasons.get(supportId) as string | null | undefined) ?? 'PRATELEIRA',
            expectedAt: new Date(
              now.getTime() + (1 + (await transitDays(tx, support, facts.value.main))) * DAY,
            ),
            createdBy: actorOf(caller),
          },
          mine.map((x, i) => ({
            line: i + 1,
            productId: x.a.productId,
            sku: x.a.sku,
            quantity: x.a.quantity,
            reservationId: x.reservation.id,
          })),
        ),
      );
    }
    return ok({ requests: await views(tx, created) });
  });
}

// --- stock requests ------------------------------------------------------------------------------

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

async function views(db: Db, rows: store.RequestRow[]): Promise<RequestView[]> {
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
async function visibleRequest(
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

// --- re-routing ---------------------------------------------------------------------------------

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
