import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { normaliseMoney } from '../platform/money.ts';
import { decodeCursor, pageOf } from '../platform/pagination.ts';
import {
  allowedTargets,
  type DeliveryType,
  type GuardContext,
  type Modality,
  type OrderActor,
  type OrderStatus,
  orderStatuses,
} from './domain.ts';
import { guardContext } from './lifecycle.ts';
import {
  cursorPosition,
  effectiveFilters,
  parseBound,
  parseSort,
  type QueueFilters,
  type Sort,
} from './queue-rules.ts';
import * as store from './store.ts';

/** A row of the store queue: the columns of the seeds' order screen. */
export interface QueueItem {
  id: string;
  number: number;
  storeCode: string;
  storeName: string;
  channel: string;
  modality: Modality;
  placedAt: string;
  total: string;
  customerDocument: string;
  deliveryType: DeliveryType;
  paid: boolean;
  status: OrderStatus;
  /** When the store's POS first downloaded it (ready for pickup: "Confirmado loja"; null "Pedido recebido"). */
  posDownloadedAt: string | null;
  /** The statuses the viewer may move this order to now: the row menu offers exactly these. */
  allowedTransitions: OrderStatus[];
  /** city_unresolved: a ship order whose city has no IBGE code, to correct before invoicing. */
  addressIssue: 'city_unresolved' | null;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
  /** Orders per status in the filtered set, whatever the status filter: the counters of the status tabs. */
  totals: Record<OrderStatus, number>;
}

export interface QueueQuery extends QueueFilters {
  sort?: Sort;
  cursor?: string;
  limit?: number;
}

const invalid = (path: string, code: string, message: string) =>
  fail('invalid', 'ORDER.INVALID_QUERY', 'The queue filters are not valid.', {
    errors: [{ path, code, message }],
  });

/**
 * The orders of the stores the viewer may act on (a store user its store, a central its stores, admins
 * all), filtered, sorted, a keyset page at a time.
 */
export async function listQueue(
  db: Db,
  viewer: network.Viewer & { actor: OrderActor },
  query: QueueQuery,
  now = new Date(),
): Promise<Result<QueuePage>> {
  const sort = query.sort ?? '-placedAt';
  const decoded = decodeCursor(query.cursor);
  if (!decoded.ok) return decoded;
  const after = cursorPosition(decoded.value, sort);
  if (after === 'invalid')
    return invalid('/cursor', 'REQUEST.CURSOR_INVALID', 'is not a cursor of this sort');

  const filters = effectiveFilters(query, now);
  const placedFrom = filters.from === undefined ? undefined : parseBound(filters.from, false);
  const placedBefore = filters.to === undefined ? undefined : parseBound(filters.to, true);
  if (placedFrom === null)
    return invalid('/from', 'ORDER.DATE_INVALID', 'is not a date (YYYY-MM-DD) or date-time');
  if (placedBefore === null)
    return invalid('/to', 'ORDER.DATE_INVALID', 'is not a date (YYYY-MM-DD) or date-time');
  if (placedFrom && placedBefore && placedBefore <= placedFrom)
    return invalid('/to', 'ORDER.DATE_RANGE', 'is before from');

  const codes = [...new Set(filters.storeCode ?? [])];
  const stores = await network.storesWithin(db, viewer, codes.length ? codes : undefined);
  const missing = codes.filter((c) => !stores.some((s) => s.code === c));
  if (missing.length) {
    return fail(
      'not_found',
      'NETWORK.STORE_NOT_FOUND',
      `There is no store ${missing.join(', ')} visible to you.`,
    );
  }
  const filter: store.QueueFilter = {
    storeIds: stores.map((s) => s.id),
    statuses: filters.status,
    number: filters.number,
    placedFrom,
    placedBefore,
    cityUnresolved: filters.addressIssue === 'city_unresolved',
  };
  const limit = query.limit ?? 50;
  const order = parseSort(sort);
  const [rows, counts] = await Promise.all([
    store.queuePage(db, filter, order, after ?? undefined, limit + 1),
    store.countByStatus(db, filter),
  ]);
  const byId = new Map(stores.map((s) => [s.id, s]));
  // Guard settings are per store and few statuses need them: read once per store on the page.
  const contexts = new Map<string, Promise<GuardContext>>();
  const contextOf = (r: store.QueueRow) => {
    const key = `${r.storeId}:${r.status}`;
    if (!contexts.has(key)) contexts.set(key, guardContext(db, r));
    return contexts.get(key)!;
  };
  const allowed = await Promise.all(
    rows.map(async (r) => allowedTargets(r, viewer.actor, await contextOf(r))),
  );
  const items = rows.map((r, i): QueueItem => {
    const s = byId.get(r.storeId);
    return {
      id: r.id,
      number: r.number ?? 0,
      storeCode: s?.code ?? '',
      storeName: s?.name ?? '',
      channel: r.channel,
      modality: r.modality,
      placedAt: r.placedAt.toISOString(),
      total: normaliseMoney(r.total),
      customerDocument: r.customerDocument,
      deliveryType: r.deliveryType,
      paid: r.paid,
      status: r.status,
      posDownloadedAt: r.posDownloadedAt?.toISOString() ?? null,
      allowedTransitions: allowed[i]!,
      addressIssue: r.cityUnresolved ? 'city_unresolved' : null,
    };
  });
  const page = pageOf(items, limit, (i) => [
    sort,
    order.key === 'placedAt' ? i.placedAt : i[order.key],
    i.id,
  ]);
  const totals = Object.fromEntries(orderStatuses.map((s) => [s, counts.get(s) ?? 0])) as Record<
    OrderStatus,
    number
  >;
  return ok({ ...page, totals });
}
