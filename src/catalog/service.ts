import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { products } from './schema.ts';

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
export const isEcommerceEnabled = (p: ProductRef) => p.active && p.integratesEcommerce && p.activeEcommerce;

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
export async function productsBySku(db: Db, networkId: string, skus: string[]): Promise<ProductRef[]> {
  if (skus.length === 0) return [];
  return db
    .select(refColumns)
    .from(products)
    .where(and(eq(products.networkId, networkId), inArray(products.sku, skus)));
}

export async function productsById(db: Db, ids: string[]): Promise<ProductRef[]> {
  if (ids.length === 0) return [];
  return db.select(refColumns).from(products).where(inArray(products.id, ids));
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
