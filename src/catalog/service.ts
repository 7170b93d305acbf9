import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import * as network from '../network/service.ts';
import { cacheOf } from '../platform/cache/index.ts';
import type { Db } from '../platform/db/index.ts';
import { demoOverrides, demoProducts } from './demo-data.ts';
import { type CatalogViewer, isEcommerceEnabled as enabled } from './domain.ts';
import { setNodePrice } from './prices.ts';
import { createProduct } from './products.ts';
import { seedPromotions } from './promotions.ts';
import { products } from './schema.ts';

export { BULK_FLAGS_QUEUE, type BulkFlagsResult, requestBulkFlags, runBulkFlags } from './bulk-flags.ts';
export type { CatalogViewer, EcommerceFlags, Modality, Product, ResolvedPrice } from './domain.ts';
export { discountedPrice, isValidEan13, modalities, units } from './domain.ts';
export { effectivePrices, type PriceSheet, priceSheet, removeNodePrice, setNodePrice } from './prices.ts';
export {
  createProduct,
  getProduct,
  listProducts,
  type ProductFields,
  type ProductView,
  setEcommerceFlags,
  updateProduct,
} from './products.ts';
export {
  createPromotion,
  currentPromotions,
  getPromotion,
  listPromotions,
  type PromotionFields,
  type PromotionView,
  updatePromotion,
} from './promotions.ts';
export type { ProductFilter } from './store.ts';

/** What other contexts need to know of a product. */
export interface ProductRef {
  id: string;
  sku: string;
  ean: string;
  description: string;
  ncm: string;
  unit: string;
  integratesEcommerce: boolean;
  activeEcommerce: boolean;
  active: boolean;
}

/** Enabled for the e-commerce platform: both flags set and the product active. */
export const isEcommerceEnabled = (p: ProductRef) => enabled(p);

const refColumns = {
  id: products.id,
  sku: products.sku,
  ean: products.ean,
  description: products.description,
  ncm: products.ncm,
  unit: products.unit,
  integratesEcommerce: products.integratesEcommerce,
  activeEcommerce: products.activeEcommerce,
  active: products.active,
};

/** Products of the network with these SKUs (unknown SKUs are simply absent). */
/** A product by network and SKU: what every order line looks up, cached (src/platform/cache). */
const bySku = cacheOf<ProductRef>(['products']);

export async function productsBySku(db: Db, networkId: string, skus: string[]): Promise<ProductRef[]> {
  if (skus.length === 0) return [];
  const found = await bySku.getMany(
    db,
    skus.map((sku) => `${networkId}\u0000${sku}`),
    async (missing) => {
      const rows = await db
        .select(refColumns)
        .from(products)
        .where(
          and(
            eq(products.networkId, networkId),
            inArray(
              products.sku,
              missing.map((key) => key.slice(networkId.length + 1)),
            ),
          ),
        );
      return new Map(rows.map((row) => [`${networkId}\u0000${row.sku}`, row]));
    },
  );
  return [...found.values()].map((row) => ({ ...row }));
}

export async function productsById(db: Db, ids: string[]): Promise<ProductRef[]> {
  if (ids.length === 0) return [];
  return db.select(refColumns).from(products).where(inArray(products.id, ids));
}

/**
 * The products enabled for the e-commerce (id, network, SKU) as a subquery, so the stock feed can write its
 * rows with one INSERT … SELECT per transaction while catalog keeps the rule of what "enabled" means.
 */
export function ecommerceProducts(db: Db) {
  return db
    .select({ id: products.id, networkId: products.networkId, sku: products.sku })
    .from(products)
    .where(
      and(
        eq(products.active, true),
        eq(products.integratesEcommerce, true),
        eq(products.activeEcommerce, true),
      ),
    )
    .as('ecommerce_products');
}

/** A page of products ordered by SKU, optionally only those enabled for the e-commerce. */
export async function listProductRefs(
  db: Db,
  networkId: string,
  f: { skus?: string[]; ecommerceOnly?: boolean; afterSku?: string; limit: number },
): Promise<ProductRef[]> {
  return db
    .select(refColumns)
    .from(products)
    .where(
      and(
        eq(products.networkId, networkId),
        f.skus?.length ? inArray(products.sku, f.skus) : undefined,
        f.ecommerceOnly
          ? and(
              eq(products.active, true),
              eq(products.integratesEcommerce, true),
              eq(products.activeEcommerce, true),
            )
          : undefined,
        f.afterSku !== undefined ? gt(products.sku, f.afterSku) : undefined,
      ),
    )
    .orderBy(asc(products.sku))
    .limit(f.limit);
}

/** The demo catalogue promised to outside clients (README: CAM-001, CAL-002, …), its price overrides and promotions. */
export async function seedCatalog(db: Db, networkId: string): Promise<void> {
  const root = await network.getNodeById(db, networkId);
  if (!root) throw new Error(`seedCatalog: no network ${networkId}`);
  const viewer: CatalogViewer = { nodeId: root.id, nodePath: root.path, networkId, actor: 'network_admin' };
  // The demo data is ours: a failure here is a bug in it, not a business outcome.
  const must = (result: { ok: boolean; failure?: { code: string; detail: string } }) => {
    if (!result.ok) throw new Error(`seedCatalog: ${result.failure?.code} ${result.failure?.detail}`);
  };
  for (const p of demoProducts) must(await createProduct(db, viewer, p));
  for (const o of demoOverrides) must(await setNodePrice(db, viewer, o.sku, o.nodeCode, o.price));
  await seedPromotions(db, viewer);
}
