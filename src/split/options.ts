/** The split screen: per line what is pending and who could send it, the router's proposal, and committing it. */
import { randomUUID } from 'node:crypto';
import * as delivery from '../delivery/service.ts';
import * as network from '../network/service.ts';
import * as notifications from '../notifications/service.ts';
import * as orders from '../orders/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { formatDate } from '../platform/format-br.ts';
import * as stock from '../stock/service.ts';
import { type Allocation, allocationErrors, defaultStrategy, pendingOf } from './domain.ts';
import {
  actorOf,
  candidatesFor,
  DAY,
  lineStates,
  type OrderFacts,
  orderFacts,
  type SplitDeps,
  STOCK_REQUEST_REFERENCE,
} from './order-facts.ts';
import { type RequestView, views } from './requests.ts';
import * as store from './store.ts';

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
      // The candidates come main store first, then nearest, then by code: the screen's order.
      companies: candidates
        .filter((c) => (c.available.get(l.productId) ?? 0) > 0)
        .map((c) => ({
          storeCode: c.storeCode,
          storeName: c.storeName,
          isMain: c.isMain,
          available: c.available.get(l.productId) ?? 0,
          distanceKm: c.distanceKm,
        })),
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
      const request = await store.insertRequest(
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
      );
      created.push(request);
      await notifySupport(tx, request, support, facts.value.main.name, facts.value.order.number, mine);
    }
    return ok({ requests: await views(tx, created) });
  });
}

/** The support store is e-mailed that a stock request arrived (CD_EMAIL_ENVPRATELEIRAPDV), in the split's transaction. */
async function notifySupport(
  tx: Db,
  request: store.RequestRow,
  support: network.NetworkNode,
  mainStoreName: string,
  orderNumber: number | null,
  lines: readonly { a: { sku: string; quantity: number } }[],
): Promise<void> {
  const to = await notifications.storeEmail(tx, support);
  await notifications.enqueueNotification(tx, {
    networkId: request.networkId,
    storeId: support.id,
    reference: { type: STOCK_REQUEST_REFERENCE, id: request.id },
    orderId: request.orderId,
    channel: 'email',
    to: to.address,
    notSentReason: to.reason,
    template: 'store_stock_request',
    variables: {
      storeName: support.name,
      mainStoreName,
      orderNumber: String(orderNumber ?? ''),
      expectedAt: formatDate(request.expectedAt),
      items: lines.map(({ a }) => ({ sku: a.sku, quantity: a.quantity })),
    },
    links: { stockRequests: true },
  });
}
