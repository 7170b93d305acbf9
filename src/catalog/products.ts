import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { pgErrorCode } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import { type Page, type PageQuery, pageOf } from '../platform/pagination.ts';
import {
  applyFlags,
  type CatalogViewer,
  channelOf,
  type EcommerceFlags,
  isEcommerceEnabled,
  normaliseNcm,
  type PriceSource,
  type Product,
  resolvePrice,
  sameFlags,
  validateProduct,
} from './domain.ts';
import * as store from './store.ts';

/** Who changes the catalogue: an admin's principal (named in the audit log), or the demo seed's bare viewer. */
export type CatalogEditor = CatalogViewer & audit.Who;

/** A product as the audit log keeps it. */
export const productSnapshot = (p: Product) => ({
  ean: p.ean,
  description: p.description,
  ncm: p.ncm,
  unit: p.unit,
  price: p.price,
  active: p.active,
  integratesEcommerce: p.integratesEcommerce,
  activeEcommerce: p.activeEcommerce,
});

/** The products are the network's: their events belong to the network root. */
export async function networkScope(db: Db, networkId: string): Promise<audit.AuditScope> {
  const [root] = await network.lineage(db, networkId);
  if (!root) throw new Error(`catalog: no network ${networkId}`);
  return audit.scopeOf(root);
}

export async function recordProduct(
  tx: Db,
  who: audit.Who,
  action: string,
  before: Product | null,
  after: Product,
): Promise<void> {
  const was = before && productSnapshot(before);
  const is = productSnapshot(after);
  // A save that changes nothing (the same values again) is no change to record.
  if (JSON.stringify(was) === JSON.stringify(is)) return;
  await audit.record(tx, who, await networkScope(tx, after.networkId), {
    action,
    target: { type: 'product', id: after.sku, label: `${after.sku} ${after.description}` },
    before: was,
    after: is,
  });
}

/** The platform sees only what is enabled for the e-commerce; everyone else sees the whole catalog. */
const ecommerceOnly = (viewer: CatalogViewer) => channelOf(viewer.actor) === 'ecommerce';

export interface ProductView extends Product {
  /** The effective price at the node the prices are shown for. */
  price: string;
  defaultPrice: string;
  priceSource: PriceSource;
  priceNodeCode: string | null;
  ecommerceEnabled: boolean;
}

type Chain = network.NetworkNode[];

/**
 * The node whose prices a caller sees: the store asked for (visible to the caller), or else the
 * caller's own node, so a store's staff and POS see their store's prices without asking.
 */
async function priceChain(db: Db, viewer: CatalogViewer, storeCode?: string): Promise<Result<Chain>> {
  if (storeCode === undefined) return ok(await network.ancestry(db, viewer.nodeId));
  const node = await network.getNode(db, viewer, storeCode);
  if (!node.ok || node.value.kind !== 'store') {
    return fail('invalid', 'CATALOG.UNKNOWN_STORE', `There is no store ${storeCode} visible to you.`, {
      errors: [
        { path: '/storeCode', code: 'CATALOG.STORE_NOT_VISIBLE', message: 'is not a store visible to you' },
      ],
    });
  }
  return ok(await network.ancestry(db, node.value.id));
}

export async function present(db: Db, items: Product[], chain: Chain): Promise<ProductView[]> {
  const found = await store.overrides(
    db,
    items.map((p) => p.id),
    chain.map((n) => n.id),
  );
  return items.map((p) => {
    const resolved = resolvePrice(p.price, chain, found.get(p.id) ?? new Map());
    return {
      ...p,
      price: resolved.price,
      defaultPrice: p.price,
      priceSource: resolved.source,
      priceNodeCode: chain.find((n) => n.id === resolved.nodeId)?.code ?? null,
      ecommerceEnabled: isEcommerceEnabled(p),
    };
  });
}

export async function listProducts(
  db: Db,
  viewer: CatalogViewer,
  query: PageQuery & store.ProductFilter & { storeCode?: string },
): Promise<Result<Page<ProductView>>> {
  const afterSku = store.cursorKey(query.cursor);
  if (!afterSku.ok) return afterSku;
  const chain = await priceChain(db, viewer, query.storeCode);
  if (!chain.ok) return chain;
  const limit = query.limit ?? 50;
  const rows = await store.list(db, viewer.networkId, {
    q: query.q,
    skus: query.skus,
    integratesEcommerce: query.integratesEcommerce,
    activeEcommerce: query.activeEcommerce,
    active: query.active,
    ecommerceOnly: ecommerceOnly(viewer),
    afterSku: afterSku.value,
    limit: limit + 1,
  });
  const page = pageOf(rows, limit, (p) => [p.sku]);
  return ok({ items: await present(db, page.items, chain.value), nextCursor: page.nextCursor });
}

const notFound = (sku: string) =>
  fail('not_found', 'CATALOG.PRODUCT_NOT_FOUND', `There is no product ${sku} visible to you.`);

/** The product as the viewer may see it: the platform gets 404 for products not enabled for it. */
export async function visible(
  db: Db,
  viewer: CatalogViewer,
  sku: string,
  lock = false,
): Promise<Result<Product>> {
  const product = await store.findBySku(db, viewer.networkId, sku, lock);
  if (!product) return notFound(sku);
  if (ecommerceOnly(viewer) && !isEcommerceEnabled(product)) {
    return notFound(sku);
  }
  return ok(product);
}

export async function getProduct(
  db: Db,
  viewer: CatalogViewer,
  sku: string,
  storeCode?: string,
): Promise<Result<ProductView>> {
  const product = await visible(db, viewer, sku);
  if (!product.ok) return product;
  const chain = await priceChain(db, viewer, storeCode);
  if (!chain.ok) return chain;
  return ok((await present(db, [product.value], chain.value))[0]!);
}

export interface ProductFields extends Partial<EcommerceFlags> {
  ean: string;
  description: string;
  ncm: string;
  unit?: string;
  /** The network default price. */
  price: string;
  active?: boolean;
}

export const invalid = (errors: FieldError[]) =>
  fail('invalid', 'CATALOG.INVALID_PRODUCT', 'Some fields of the product are invalid.', { errors });

async function duplicates(db: Db, networkId: string, key: { sku?: string; ean?: string }, exceptId?: string) {
  const taken = await store.holders(db, networkId, key, exceptId);
  const bySku = taken.find((p) => key.sku !== undefined && p.sku === key.sku);
  if (bySku) return fail('conflict', 'CATALOG.DUPLICATE_SKU', `The SKU ${key.sku} is already registered.`);
  const byEan = taken.find((p) => key.ean !== undefined && p.ean === key.ean);
  if (byEan) {
    return fail('conflict', 'CATALOG.DUPLICATE_EAN', `The EAN ${key.ean} belongs to product ${byEan.sku}.`, {
      data: { sku: byEan.sku },
    });
  }
  return undefined;
}

/** A concurrent insert may still win the race to a unique index: the savepoint keeps the transaction usable. */
async function guardUnique<T>(db: Db, write: (tx: Db) => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await db.transaction(write));
  } catch (error) {
    if (pgErrorCode(error) !== '23505') throw error;
    return fail('conflict', 'CATALOG.DUPLICATE', 'Another product already has this SKU or EAN.');
  }
}

export async function createProduct(
  db: Db,
  viewer: CatalogEditor,
  input: ProductFields & { sku: string },
): Promise<Result<ProductView>> {
  const errors = validateProduct(input);
  if (errors.length) return invalid(errors);
  const flags = applyFlags(
    { integratesEcommerce: false, activeEcommerce: false },
    { integratesEcommerce: input.integratesEcommerce ?? false, activeEcommerce: input.activeEcommerce },
  );
  if (!flags.ok) return flags;
  return transaction(db, async (tx) => {
    const taken = await duplicates(tx, viewer.networkId, { sku: input.sku, ean: input.ean });
    if (taken) return taken;
    const created = await guardUnique(tx, (sp) =>
      store.insert(sp, viewer.networkId, input.sku, {
        ...input,
        ncm: normaliseNcm(input.ncm)!,
        unit: input.unit ?? 'UN',
        ...flags.value,
      }),
    );
    if (!created.ok) return created;
    await recordProduct(tx, viewer, 'product.created', null, created.value);
    return ok((await present(tx, [created.value], await network.ancestry(tx, viewer.nodeId)))[0]!);
  });
}

function staleVersion(current: number) {
  return fail(
    'conflict',
    'CATALOG.STALE_VERSION',
    'The product changed since you read it; reload and retry.',
    {
      data: { currentVersion: current },
    },
  );
}

export async function updateProduct(
  db: Db,
  viewer: CatalogEditor,
  sku: string,
  patch: Partial<ProductFields> & { version: number },
): Promise<Result<ProductView>> {
  const errors = validateProduct(patch);
  if (errors.length) return invalid(errors);
  return transaction(db, async (tx) => {
    const found = await visible(tx, viewer, sku, true);
    if (!found.ok) return found;
    const product = found.value;
    if (product.version !== patch.version) return staleVersion(product.version);
    const flags = applyFlags(product, patch);
    if (!flags.ok) return flags;
    if (patch.ean !== undefined && patch.ean !== product.ean) {
      const taken = await duplicates(tx, viewer.networkId, { ean: patch.ean }, product.id);
      if (taken) return taken;
    }
    const { version: _version, ...fields } = patch;
    const updated = await guardUnique(tx, (sp) =>
      store.update(sp, product, {
        ...fields,
        ...(patch.ncm !== undefined && { ncm: normaliseNcm(patch.ncm)! }),
        ...flags.value,
      }),
    );
    if (!updated.ok) return updated;
    await recordProduct(tx, viewer, 'product.updated', product, updated.value);
    return ok((await present(tx, [updated.value], await network.ancestry(tx, viewer.nodeId)))[0]!);
  });
}

/** Sets one product's e-commerce flags; `version`, when given, guards against a concurrent edit. */
export async function setEcommerceFlags(
  db: Db,
  viewer: CatalogEditor,
  sku: string,
  change: Partial<EcommerceFlags> & { version?: number },
): Promise<Result<ProductView>> {
  return transaction(db, async (tx) => {
    const found = await visible(tx, viewer, sku, true);
    if (!found.ok) return found;
    const product = found.value;
    if (change.version !== undefined && change.version !== product.version) {
      return staleVersion(product.version);
    }
    const flags = applyFlags(product, change);
    if (!flags.ok) return flags;
    const same = sameFlags(product, flags.value);
    const saved = same ? product : await store.update(tx, product, flags.value);
    if (!same) await recordProduct(tx, viewer, 'product.ecommerce_changed', product, saved);
    return ok((await present(tx, [saved], await network.ancestry(tx, viewer.nodeId)))[0]!);
  });
}
