import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { type CatalogViewer, type ResolvedPrice, resolvePrice, validateProduct } from './domain.ts';
import { type CatalogEditor, invalid, type ProductView, present, visible } from './products.ts';
import * as store from './store.ts';

/** Effective prices of products at a node (store override → central override → network default). */
export async function effectivePrices(
  db: Db,
  nodeId: string,
  productIds: string[],
): Promise<Map<string, ResolvedPrice>> {
  const chain = await network.lineage(db, nodeId);
  const defaults = await store.findManyById(db, productIds);
  const found = await store.overrides(
    db,
    productIds,
    chain.map((n) => n.id),
  );
  const result = new Map<string, ResolvedPrice>();
  for (const p of defaults) {
    result.set(p.id, resolvePrice(p.price, chain, found.get(p.id) ?? new Map()));
  }
  return result;
}

export interface PriceSheet {
  sku: string;
  defaultPrice: string;
  overrides: { nodeCode: string; nodeKind: 'central' | 'store'; price: string; updatedAt: Date }[];
}

/** A node that may carry a price override: a central or store the admin manages. */
async function overridableNode(db: Db, viewer: CatalogViewer, nodeCode: string) {
  const node = await network.getNode(db, viewer, nodeCode);
  if (!node.ok || !network.isWithin(node.value.path, viewer.nodePath)) {
    return fail('not_found', 'CATALOG.NODE_NOT_FOUND', `There is no node ${nodeCode} you manage.`);
  }
  if (node.value.kind === 'network') {
    return fail(
      'invalid',
      'CATALOG.NETWORK_PRICE_IS_DEFAULT',
      'The network price is the product default; change it with PATCH /products/{sku}.',
      {
        errors: [
          { path: '/nodeCode', code: 'CATALOG.PRICE_NODE_KIND', message: 'must be a central or a store' },
        ],
      },
    );
  }
  return ok(node.value);
}

export async function priceSheet(db: Db, viewer: CatalogViewer, sku: string): Promise<Result<PriceSheet>> {
  const product = await visible(db, viewer, sku);
  if (!product.ok) return product;
  const rows = await store.overridesOf(db, product.value.id);
  const nodes = await Promise.all(rows.map((r) => network.getNodeById(db, r.nodeId)));
  const overrides = rows.flatMap((r, i) => {
    const node = nodes[i];
    if (!node || node.kind === 'network' || !network.canSee(viewer, node)) return [];
    return [{ nodeCode: node.code, nodeKind: node.kind, price: r.price, updatedAt: r.updatedAt }];
  });
  overrides.sort((a, b) => a.nodeCode.localeCompare(b.nodeCode));
  return ok({ sku, defaultPrice: product.value.price, overrides });
}

/** Sets the price of a product at a central or store; answers the effective price there. */
/** A price override's event: it belongs to the node that holds it (a store's price to the store). */
async function recordPrice(
  tx: Db,
  who: audit.Who,
  action: string,
  product: { sku: string; description: string },
  node: network.NetworkNode,
  before: string | null,
  after: string | null,
) {
  await audit.record(tx, who, audit.scopeOf(node), {
    action,
    target: {
      type: 'price',
      id: `${product.sku}@${node.code}`,
      label: `${product.sku} ${product.description}`,
    },
    before: before === null ? null : { price: before },
    after: after === null ? null : { price: after },
  });
}

export async function setNodePrice(
  db: Db,
  viewer: CatalogEditor,
  sku: string,
  nodeCode: string,
  price: string,
): Promise<Result<ProductView>> {
  const errors = validateProduct({ price });
  if (errors.length) return invalid(errors);
  return transaction(db, async (tx) => {
    const product = await visible(tx, viewer, sku);
    if (!product.ok) return product;
    const node = await overridableNode(tx, viewer, nodeCode);
    if (!node.ok) return node;
    const held = (await store.overridesOf(tx, product.value.id)).find((o) => o.nodeId === node.value.id);
    await store.putOverride(tx, product.value.id, node.value.id, price);
    if (held?.price !== price) {
      await recordPrice(tx, viewer, 'price.set', product.value, node.value, held?.price ?? null, price);
    }
    return ok((await present(tx, [product.value], await network.ancestry(tx, node.value.id)))[0]!);
  });
}

export async function removeNodePrice(
  db: Db,
  viewer: CatalogEditor,
  sku: string,
  nodeCode: string,
): Promise<Result<{ sku: string; nodeCode: string }>> {
  return transaction(db, async (tx) => {
    const product = await visible(tx, viewer, sku);
    if (!product.ok) return product;
    const node = await overridableNode(tx, viewer, nodeCode);
    if (!node.ok) return node;
    const held = (await store.overridesOf(tx, product.value.id)).find((o) => o.nodeId === node.value.id);
    if (!held || !(await store.deleteOverride(tx, product.value.id, node.value.id))) {
      return fail(
        'not_found',
        'CATALOG.NO_PRICE_OVERRIDE',
        `Product ${sku} has no own price at ${nodeCode}.`,
      );
    }
    await recordPrice(tx, viewer, 'price.removed', product.value, node.value, held.price, null);
    return ok({ sku, nodeCode });
  });
}
