import { and, asc, eq, gt, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { normaliseMoney } from '../platform/money.ts';
import { decodeCursor } from '../platform/pagination.ts';
import type { EcommerceFlags, Product } from './domain.ts';
import { productPrices, products } from './schema.ts';

type Row = typeof products.$inferSelect;

export function toProduct(row: Row): Product {
  return {
    id: row.id,
    networkId: row.networkId,
    sku: row.sku,
    ean: row.ean,
    description: row.description,
    ncm: row.ncm,
    unit: row.unit,
    price: normaliseMoney(row.price),
    integratesEcommerce: row.integratesEcommerce,
    activeEcommerce: row.activeEcommerce,
    active: row.active,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * The text key a keyset cursor carries (a SKU or a code). A cursor is client input: anything but a
 * string PostgreSQL can compare (no NUL) is refused as invalid.
 */
export function cursorKey(cursor: string | undefined): Result<string | undefined> {
  const decoded = decodeCursor(cursor);
  if (!decoded.ok) return decoded;
  const key = decoded.value?.[0];
  if (decoded.value === null) return ok(undefined);
  if (typeof key === 'string' && !key.includes('\u0000')) return ok(key);
  return fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
    errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
  });
}

/** The selection of the list and of the bulk flag change: one definition, so both agree. */
export interface ProductFilter {
  /** Part of the SKU or description, or the start of the EAN. */
  q?: string;
  skus?: string[];
  integratesEcommerce?: boolean;
  activeEcommerce?: boolean;
  active?: boolean;
  /** What the e-commerce platform may see: active with both flags. */
  ecommerceOnly?: boolean;
}

const likeEscape = (value: string) => value.replace(/[\\%_]/g, '\\$&');

function where(networkId: string, f: ProductFilter, afterSku?: string): SQL | undefined {
  const q = f.q?.trim();
  return and(
    eq(products.networkId, networkId),
    q
      ? or(
          ilike(products.sku, `%${likeEscape(q)}%`),
          ilike(products.description, `%${likeEscape(q)}%`),
          ilike(products.ean, `${likeEscape(q)}%`),
        )
      : undefined,
    f.skus?.length ? inArray(products.sku, f.skus) : undefined,
    f.integratesEcommerce !== undefined ? eq(products.integratesEcommerce, f.integratesEcommerce) : undefined,
    f.activeEcommerce !== undefined ? eq(products.activeEcommerce, f.activeEcommerce) : undefined,
    f.active !== undefined ? eq(products.active, f.active) : undefined,
    f.ecommerceOnly
      ? and(
          eq(products.active, true),
          eq(products.integratesEcommerce, true),
          eq(products.activeEcommerce, true),
        )
      : undefined,
    afterSku !== undefined ? gt(products.sku, afterSku) : undefined,
  );
}

/** A keyset page ordered by SKU; `lock` holds the rows until the transaction ends (bulk changes). */
export async function list(
  db: Db,
  networkId: string,
  f: ProductFilter & { afterSku?: string; limit: number; lock?: boolean },
): Promise<Product[]> {
  const q = db
    .select()
    .from(products)
    .where(where(networkId, f, f.afterSku))
    .orderBy(asc(products.sku))
    .limit(f.limit);
  return (f.lock ? await q.for('update') : await q).map(toProduct);
}

export async function count(db: Db, networkId: string, f: ProductFilter): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(products).where(where(networkId, f));
  return Number(row?.n ?? 0);
}

export async function findBySku(db: Db, networkId: string, sku: string, lock = false) {
  const q = db
    .select()
    .from(products)
    .where(and(eq(products.networkId, networkId), eq(products.sku, sku)));
  const [row] = lock ? await q.for('update') : await q;
  return row && toProduct(row);
}

export async function findManyById(db: Db, ids: string[]): Promise<Product[]> {
  if (ids.length === 0) return [];
  return (await db.select().from(products).where(inArray(products.id, ids))).map(toProduct);
}

/** Sets the flags of these products and bumps their versions; the caller holds the row locks. */
export async function setFlags(db: Db, ids: string[], flags: EcommerceFlags): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(products)
    .set({ ...flags, version: sql`${products.version} + 1`, updatedAt: new Date() })
    .where(inArray(products.id, ids));
}

/** Products of the network already holding this SKU or EAN (other than `exceptId`). */
export async function holders(
  db: Db,
  networkId: string,
  key: { sku?: string; ean?: string },
  exceptId?: string,
) {
  const rows = await db
    .select({ id: products.id, sku: products.sku, ean: products.ean })
    .from(products)
    .where(
      and(
        eq(products.networkId, networkId),
        or(
          key.sku !== undefined ? eq(products.sku, key.sku) : undefined,
          key.ean !== undefined ? eq(products.ean, key.ean) : undefined,
        ),
      ),
    );
  return rows.filter((r) => r.id !== exceptId);
}

export interface ProductColumns extends Partial<EcommerceFlags> {
  ean?: string;
  description?: string;
  ncm?: string;
  unit?: string;
  price?: string;
  active?: boolean;
}

export async function insert(
  db: Db,
  networkId: string,
  sku: string,
  c: Required<Pick<ProductColumns, 'ean' | 'description' | 'ncm' | 'price'>> & ProductColumns,
): Promise<Product> {
  const [row] = await db
    .insert(products)
    .values({ networkId, sku, ...c })
    .returning();
  return toProduct(row!);
}

/** Writes the change and bumps the version; the caller holds the row lock. */
export async function update(db: Db, product: Product, c: ProductColumns): Promise<Product> {
  const [row] = await db
    .update(products)
    .set({ ...c, version: product.version + 1, updatedAt: new Date() })
    .where(and(eq(products.id, product.id), eq(products.version, product.version)))
    .returning();
  return toProduct(row!);
}

/** Overrides of these products at these nodes, keyed product id → node id → price. */
export async function overrides(
  db: Db,
  productIds: string[],
  nodeIds: string[],
): Promise<Map<string, Map<string, string>>> {
  const map = new Map<string, Map<string, string>>();
  if (productIds.length === 0 || nodeIds.length === 0) return map;
  const rows = await db
    .select()
    .from(productPrices)
    .where(and(inArray(productPrices.productId, productIds), inArray(productPrices.nodeId, nodeIds)));
  for (const r of rows) {
    const byNode = map.get(r.productId) ?? new Map<string, string>();
    byNode.set(r.nodeId, normaliseMoney(r.price));
    map.set(r.productId, byNode);
  }
  return map;
}

export async function putOverride(db: Db, productId: string, nodeId: string, price: string) {
  await db
    .insert(productPrices)
    .values({ productId, nodeId, price })
    .onConflictDoUpdate({
      target: [productPrices.productId, productPrices.nodeId],
      set: { price, updatedAt: new Date() },
    });
}

export async function deleteOverride(db: Db, productId: string, nodeId: string): Promise<boolean> {
  const deleted = await db
    .delete(productPrices)
    .where(and(eq(productPrices.productId, productId), eq(productPrices.nodeId, nodeId)))
    .returning({ nodeId: productPrices.nodeId });
  return deleted.length > 0;
}

/** Every override of a product, for its price sheet. */
export async function overridesOf(db: Db, productId: string) {
  const rows = await db.select().from(productPrices).where(eq(productPrices.productId, productId));
  return rows.map((r) => ({ nodeId: r.nodeId, price: normaliseMoney(r.price), updatedAt: r.updatedAt }));
}
