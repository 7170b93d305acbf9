import * as catalog from '../catalog/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Actor } from '../platform/http/access.ts';
import { decodeCursor, type Page, type PageQuery, pageOf } from '../platform/pagination.ts';
import { available, type MovementKind, type ReservationStatus } from './domain.ts';
import { type Movement, type Reservation, toMovement, toReservation } from './ledger.ts';
import * as store from './store.ts';

/** The API's read models: what a client sees, by codes and SKUs instead of ids. */

export interface StockViewer extends network.Viewer {
  actor: Actor;
}

export interface StockRow {
  sku: string;
  storeCode: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface MovementView {
  id: number;
  storeCode: string;
  sku: string;
  kind: MovementKind;
  onHandDelta: number;
  reservedDelta: number;
  reason: string | null;
  referenceType: string | null;
  referenceId: string | null;
  reservationId: string | null;
  actor: string;
  createdAt: string;
}

export interface ReservationView {
  id: string;
  storeCode: string;
  sku: string;
  quantity: number;
  status: ReservationStatus;
  referenceType: string | null;
  referenceId: string | null;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
}

const invalidCursor = () =>
  fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
    errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
  });

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : +(a.code > b.code));

/**
 * Available stock per SKU and store, every pair the viewer may see (a pair without movements shows 0),
 * ordered by SKU then store code. The platform sees only products enabled for the e-commerce.
 */
export async function stockPage(
  db: Db,
  viewer: StockViewer,
  query: PageQuery & { sku?: string[]; storeCode?: string[] },
): Promise<Result<Page<StockRow>>> {
  const cursor = decodeCursor(query.cursor);
  if (!cursor.ok) return cursor;
  const [afterSku, afterStore] = cursor.value ?? [];
  if (cursor.value && (typeof afterSku !== 'string' || typeof afterStore !== 'string')) {
    return invalidCursor();
  }
  const after = cursor.value ? { sku: String(afterSku), storeCode: String(afterStore) } : undefined;
  const ecommerceOnly = viewer.actor === 'platform';
  // A deactivated store fulfils no e-commerce order; its back office still sees what is left there.
  const stores = (await network.storesWithin(db, viewer, query.storeCode))
    .filter((s) => s.active || !ecommerceOnly)
    .sort(byCode);
  if (stores.length === 0) return ok({ items: [], nextCursor: null });
  const limit = query.limit ?? 50;
  const wanted = limit + 1;
  const cells: { product: catalog.ProductRef; store: network.NetworkNode }[] = [];

  let lastSku = after?.sku;
  if (after && (!query.sku || query.sku.includes(after.sku))) {
    const [product] = await catalog.listProductRefs(db, viewer.networkId, {
      skus: [after.sku],
      ecommerceOnly,
      limit: 1,
    });
    for (const s of stores) if (product && s.code > after.storeCode) cells.push({ product, store: s });
  }
  while (cells.length < wanted) {
    const need = Math.ceil((wanted - cells.length) / stores.length);
    const products = await catalog.listProductRefs(db, viewer.networkId, {
      skus: query.sku,
      ecommerceOnly,
      afterSku: lastSku,
      limit: need,
    });
    for (const product of products) for (const s of stores) cells.push({ product, store: s });
    if (products.length < need) break;
    lastSku = products[products.length - 1]!.sku;
  }

  const shown = cells.slice(0, wanted);
  const found = await store.balancesOf(
    db,
    [...new Set(shown.map((c) => c.store.id))],
    [...new Set(shown.map((c) => c.product.id))],
  );
  const byKey = new Map(found.map((b) => [`${b.storeId}/${b.productId}`, b]));
  const rows = shown.map(({ product, store: s }) => {
    const b = byKey.get(`${s.id}/${product.id}`) ?? { onHand: 0, reserved: 0 };
    return {
      sku: product.sku,
      storeCode: s.code,
      onHand: b.onHand,
      reserved: b.reserved,
      available: available(b),
    };
  });
  return ok(pageOf(rows, limit, (r) => [r.sku, r.storeCode]));
}

/** The ledger of the viewer's stores, newest first. */
export async function movementPage(
  db: Db,
  viewer: StockViewer,
  query: PageQuery & { storeCode?: string; sku?: string; kind?: MovementKind[] },
): Promise<Result<Page<MovementView>>> {
  const cursor = decodeCursor(query.cursor);
  if (!cursor.ok) return cursor;
  const beforeId = cursor.value?.[0];
  if (cursor.value && !Number.isSafeInteger(beforeId)) return invalidCursor();
  let stores: network.NetworkNode[];
  if (query.storeCode !== undefined) {
    const found = await network.findStore(db, viewer, query.storeCode);
    if (!found.ok) return found;
    stores = [found.value];
  } else {
    stores = await network.storesWithin(db, viewer);
  }
  let productId: string | undefined;
  if (query.sku !== undefined) {
    const [product] = await catalog.productsBySku(db, viewer.networkId, [query.sku]);
    if (!product) return ok({ items: [], nextCursor: null });
    productId = product.id;
  }
  const limit = query.limit ?? 50;
  const rows = await store.listMovements(db, {
    storeIds: stores.map((s) => s.id),
    productId,
    kinds: query.kind,
    beforeId: beforeId as number | undefined,
    limit: limit + 1,
  });
  const page = pageOf(rows, limit, (m) => [m.id]);
  const products = await catalog.productsById(db, [...new Set(page.items.map((m) => m.productId))]);
  const skuOf = new Map(products.map((p) => [p.id, p.sku]));
  const codeOf = new Map(stores.map((s) => [s.id, s.code]));
  return ok({
    items: page.items.map((m) =>
      movementView(toMovement(m), {
        storeCode: codeOf.get(m.storeId) ?? '',
        sku: skuOf.get(m.productId) ?? '',
      }),
    ),
    nextCursor: page.nextCursor,
  });
}

export function movementView(m: Movement, names: { storeCode: string; sku: string }): MovementView {
  return {
    id: m.id,
    storeCode: names.storeCode,
    sku: names.sku,
    kind: m.kind,
    onHandDelta: m.onHandDelta,
    reservedDelta: m.reservedDelta,
    reason: m.reason,
    referenceType: m.reference?.type ?? null,
    referenceId: m.reference?.id ?? null,
    reservationId: m.reservationId,
    actor: m.actor,
    createdAt: m.createdAt.toISOString(),
  };
}

export function reservationView(r: Reservation, names: { storeCode: string; sku: string }): ReservationView {
  return {
    id: r.id,
    storeCode: names.storeCode,
    sku: names.sku,
    quantity: r.quantity,
    status: r.status,
    referenceType: r.reference?.type ?? null,
    referenceId: r.reference?.id ?? null,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
  };
}

/** The store (one the viewer may act on) and the product a request names by code and SKU. */
export async function resolveLine(
  db: Db,
  viewer: StockViewer,
  storeCode: string,
  sku: string,
): Promise<Result<{ store: network.NetworkNode; product: catalog.ProductRef }>> {
  const found = await network.findStore(db, viewer, storeCode);
  if (!found.ok) return found;
  const [product] = await catalog.productsBySku(db, viewer.networkId, [sku]);
  if (!product) {
    return fail('invalid', 'STOCK.UNKNOWN_SKU', `There is no product ${sku} in this network.`, {
      errors: [{ path: '/sku', code: 'STOCK.PRODUCT_UNKNOWN', message: 'is not a product of this network' }],
    });
  }
  return ok({ store: found.value, product });
}

/** A reservation the viewer may see (at one of its stores), with the codes it is shown by. */
export async function visibleReservation(
  db: Db,
  viewer: StockViewer,
  id: string,
): Promise<Result<{ reservation: Reservation; names: { storeCode: string; sku: string } }>> {
  const row = await store.findReservation(db, id);
  const node = row && (await network.getNodeById(db, row.storeId));
  if (!row || !node || !network.isWithin(node.path, viewer.nodePath)) {
    return fail('not_found', 'STOCK.RESERVATION_NOT_FOUND', `There is no reservation ${id} visible to you.`);
  }
  const [product] = await catalog.productsById(db, [row.productId]);
  return ok({ reservation: toReservation(row), names: { storeCode: node.code, sku: product?.sku ?? '' } });
}
