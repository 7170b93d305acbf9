import { and, asc, eq, gt, inArray, lte, not, type SQL } from 'drizzle-orm';
import * as audit from '../audit/service.ts';
import type { Db } from '../platform/db/index.ts';
import { pgErrorCode } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { normaliseMoney } from '../platform/money.ts';
import { type Page, type PageQuery, pageOf } from '../platform/pagination.ts';
import {
  type CatalogViewer,
  type Channel,
  channelOf,
  type FieldError,
  isCurrent,
  type Modality,
  modalities,
  offeredOn,
  validatePromotion,
} from './domain.ts';
import { type CatalogEditor, networkScope } from './products.ts';
import { products, promotionProducts, promotions } from './schema.ts';
import { cursorKey } from './store.ts';

type Row = typeof promotions.$inferSelect;

export interface PromotionView {
  id: string;
  code: string;
  description: string;
  modality: Modality;
  discountPercent: string | null;
  discountAmount: string | null;
  startsAt: Date;
  endsAt: Date;
  active: boolean;
  /** Active and within its period right now. */
  current: boolean;
  skus: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface PromotionFields {
  description: string;
  modality: Modality;
  discountPercent?: string | null;
  discountAmount?: string | null;
  startsAt: Date;
  endsAt: Date;
  active?: boolean;
  skus: string[];
}

export interface PromotionQuery extends PageQuery {
  modality?: Modality[];
  active?: boolean;
  current?: boolean;
  sku?: string;
}

const money = (value: string | null) => (value === null ? null : normaliseMoney(value));

function toView(row: Row, skus: string[], now: Date): PromotionView {
  return {
    id: row.id,
    code: row.code,
    description: row.description,
    modality: row.modality,
    discountPercent: money(row.discountPercent),
    discountAmount: money(row.discountAmount),
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    active: row.active,
    current: isCurrent(row, now),
    skus,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const currentAt = (now: Date) =>
  and(eq(promotions.active, true), lte(promotions.startsAt, now), gt(promotions.endsAt, now))!;

/** What a channel is offered: current promotions of a modality it takes part in. */
const offeredTo = (channel: Channel, now: Date) =>
  and(
    currentAt(now),
    inArray(
      promotions.modality,
      modalities.filter((m) => offeredOn(m, channel)),
    ),
  );

/** SKUs per promotion; for the e-commerce only the products enabled for it, which is all it may see. */
async function skusOf(db: Db, ids: string[], channel: Channel | null): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (ids.length === 0) return map;
  const rows = await db
    .select({ promotionId: promotionProducts.promotionId, sku: products.sku })
    .from(promotionProducts)
    .innerJoin(products, eq(products.id, promotionProducts.productId))
    .where(
      and(
        inArray(promotionProducts.promotionId, ids),
        channel === 'ecommerce'
          ? and(
              eq(products.active, true),
              eq(products.integratesEcommerce, true),
              eq(products.activeEcommerce, true),
            )
          : undefined,
      ),
    )
    .orderBy(asc(products.sku));
  for (const r of rows) map.set(r.promotionId, [...(map.get(r.promotionId) ?? []), r.sku]);
  return map;
}

async function present(db: Db, rows: Row[], channel: Channel | null, now: Date): Promise<PromotionView[]> {
  const skus = await skusOf(
    db,
    rows.map((r) => r.id),
    channel,
  );
  // A promotion none of whose products the platform may see offers it nothing.
  return rows
    .map((r) => toView(r, skus.get(r.id) ?? [], now))
    .filter((p) => channel !== 'ecommerce' || p.skus.length > 0);
}

async function promotionIdsWithSku(db: Db, networkId: string, sku: string): Promise<string[]> {
  const rows = await db
    .select({ id: promotionProducts.promotionId })
    .from(promotionProducts)
    .innerJoin(products, eq(products.id, promotionProducts.productId))
    .where(and(eq(products.networkId, networkId), eq(products.sku, sku)));
  return rows.map((r) => r.id);
}

export async function listPromotions(
  db: Db,
  viewer: CatalogViewer,
  query: PromotionQuery,
): Promise<Result<Page<PromotionView>>> {
  const after = cursorKey(query.cursor);
  if (!after.ok) return after;
  const now = new Date();
  const channel = channelOf(viewer.actor);
  const limit = query.limit ?? 50;
  const withSku =
    query.sku === undefined ? undefined : await promotionIdsWithSku(db, viewer.networkId, query.sku);
  if (withSku?.length === 0) return ok({ items: [], nextCursor: null });
  const conditions: (SQL | undefined)[] = [
    eq(promotions.networkId, viewer.networkId),
    channel ? offeredTo(channel, now) : undefined,
    query.modality?.length ? inArray(promotions.modality, query.modality) : undefined,
    query.active !== undefined ? eq(promotions.active, query.active) : undefined,
    query.current === true ? currentAt(now) : query.current === false ? not(currentAt(now)) : undefined,
    withSku ? inArray(promotions.id, withSku) : undefined,
    after.value !== undefined ? gt(promotions.code, after.value) : undefined,
  ];
  const rows = await db
    .select()
    .from(promotions)
    .where(and(...conditions))
    .orderBy(asc(promotions.code))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (r) => [r.code]);
  return ok({ items: await present(db, page.items, channel, now), nextCursor: page.nextCursor });
}

const notFound = (code: string) =>
  fail('not_found', 'CATALOG.PROMOTION_NOT_FOUND', `There is no promotion ${code} visible to you.`);

/** The promotion by code, if the channel (null: the back office) is offered it. */
async function findByCode(db: Db, networkId: string, code: string, channel: Channel | null, lock = false) {
  const q = db
    .select()
    .from(promotions)
    .where(
      and(
        eq(promotions.networkId, networkId),
        eq(promotions.code, code),
        channel ? offeredTo(channel, new Date()) : undefined,
      ),
    );
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function getPromotion(
  db: Db,
  viewer: CatalogViewer,
  code: string,
): Promise<Result<PromotionView>> {
  const row = await findByCode(db, viewer.networkId, code, channelOf(viewer.actor));
  const [view] = row ? await present(db, [row], channelOf(viewer.actor), new Date()) : [];
  return view ? ok(view) : notFound(code);
}

/** Current promotions a channel is offered, optionally only those covering some SKUs (orders, POS sync). */
export async function currentPromotions(
  db: Db,
  networkId: string,
  f: { channel: Channel; skus?: string[]; at?: Date },
): Promise<PromotionView[]> {
  const now = f.at ?? new Date();
  const rows = await db
    .select()
    .from(promotions)
    .where(and(eq(promotions.networkId, networkId), offeredTo(f.channel, now)))
    .orderBy(asc(promotions.code));
  const views = await present(db, rows, f.channel, now);
  return f.skus?.length ? views.filter((p) => p.skus.some((s) => f.skus!.includes(s))) : views;
}

/** The products of the SKUs, or the errors naming the unknown ones by their index in the body. */
async function resolveSkus(db: Db, networkId: string, skus: string[]): Promise<Result<string[]>> {
  const rows = await db
    .select({ id: products.id, sku: products.sku })
    .from(products)
    .where(and(eq(products.networkId, networkId), inArray(products.sku, skus)));
  const errors: FieldError[] = skus.flatMap((sku, i) =>
    rows.some((r) => r.sku === sku)
      ? []
      : [
          {
            path: `/skus/${i}`,
            code: 'CATALOG.PRODUCT_UNKNOWN',
            params: { sku },
            message: `there is no product ${sku}`,
          },
        ],
  );
  return errors.length ? invalid(errors) : ok(rows.map((r) => r.id));
}

const invalid = (errors: FieldError[]) =>
  fail('invalid', 'CATALOG.INVALID_PROMOTION', 'Some fields of the promotion are invalid.', { errors });

async function link(db: Db, promotionId: string, productIds: string[]) {
  await db.delete(promotionProducts).where(eq(promotionProducts.promotionId, promotionId));
  if (productIds.length) {
    await db.insert(promotionProducts).values(productIds.map((productId) => ({ promotionId, productId })));
  }
}

function terms(
  f: Pick<PromotionFields, 'discountPercent' | 'discountAmount' | 'startsAt' | 'endsAt' | 'active'>,
) {
  return {
    discountPercent: f.discountPercent ?? null,
    discountAmount: f.discountAmount ?? null,
    startsAt: f.startsAt,
    endsAt: f.endsAt,
    active: f.active ?? true,
  };
}

const promotionSnapshot = (p: PromotionView) => ({
  description: p.description,
  modality: p.modality,
  discountPercent: p.discountPercent,
  discountAmount: p.discountAmount,
  startsAt: p.startsAt.toISOString(),
  endsAt: p.endsAt.toISOString(),
  active: p.active,
  skus: p.skus,
});

/** Promotions are the network's: their events belong to the network root. */
async function recordPromotion(
  tx: Db,
  who: audit.Who,
  networkId: string,
  action: string,
  before: PromotionView | null,
  after: PromotionView,
) {
  await audit.record(tx, who, await networkScope(tx, networkId), {
    action,
    target: { type: 'promotion', id: after.code, label: `${after.code} ${after.description}` },
    before: before && promotionSnapshot(before),
    after: promotionSnapshot(after),
  });
}

export async function createPromotion(
  db: Db,
  viewer: CatalogEditor,
  input: PromotionFields & { code: string },
): Promise<Result<PromotionView>> {
  const errors = validatePromotion(terms(input));
  if (errors.length) return invalid(errors);
  return transaction(db, async (tx) => {
    const productIds = await resolveSkus(tx, viewer.networkId, input.skus);
    if (!productIds.ok) return productIds;
    if (await findByCode(tx, viewer.networkId, input.code, null)) {
      return fail('conflict', 'CATALOG.DUPLICATE_PROMOTION', `The promotion code ${input.code} is taken.`);
    }
    try {
      const row = await tx.transaction(async (sp) => {
        const [created] = await sp
          .insert(promotions)
          .values({
            networkId: viewer.networkId,
            code: input.code,
            description: input.description,
            modality: input.modality,
            ...terms(input),
          })
          .returning();
        await link(sp, created!.id, productIds.value);
        return created!;
      });
      const view = (await present(tx, [row], null, new Date()))[0]!;
      await recordPromotion(tx, viewer, viewer.networkId, 'promotion.created', null, view);
      return ok(view);
    } catch (error) {
      if (pgErrorCode(error) !== '23505') throw error;
      return fail('conflict', 'CATALOG.DUPLICATE_PROMOTION', `The promotion code ${input.code} is taken.`);
    }
  });
}

export async function updatePromotion(
  db: Db,
  viewer: CatalogEditor,
  code: string,
  patch: Partial<PromotionFields> & { version: number },
): Promise<Result<PromotionView>> {
  return transaction(db, async (tx) => {
    const row = await findByCode(tx, viewer.networkId, code, channelOf(viewer.actor), true);
    if (!row) return notFound(code);
    if (row.version !== patch.version) {
      return fail(
        'conflict',
        'CATALOG.STALE_VERSION',
        'The promotion changed since you read it; reload and retry.',
        {
          data: { currentVersion: row.version },
        },
      );
    }
    // Setting one kind of discount replaces the other, so a client does not have to null it out.
    const merged = terms({
      discountPercent:
        patch.discountPercent !== undefined
          ? patch.discountPercent
          : patch.discountAmount != null
            ? null
            : row.discountPercent,
      discountAmount:
        patch.discountAmount !== undefined
          ? patch.discountAmount
          : patch.discountPercent != null
            ? null
            : row.discountAmount,
      startsAt: patch.startsAt ?? row.startsAt,
      endsAt: patch.endsAt ?? row.endsAt,
      active: patch.active ?? row.active,
    });
    const errors = validatePromotion(merged);
    if (errors.length) return invalid(errors);
    const before = (await present(tx, [row], null, new Date()))[0]!;
    if (patch.skus) {
      const productIds = await resolveSkus(tx, viewer.networkId, patch.skus);
      if (!productIds.ok) return productIds;
      await link(tx, row.id, productIds.value);
    }
    const [updated] = await tx
      .update(promotions)
      .set({
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.modality !== undefined && { modality: patch.modality }),
        ...merged,
        version: row.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(promotions.id, row.id))
      .returning();
    const view = (await present(tx, [updated!], null, new Date()))[0]!;
    if (JSON.stringify(promotionSnapshot(before)) !== JSON.stringify(promotionSnapshot(view))) {
      await recordPromotion(tx, viewer, viewer.networkId, 'promotion.updated', before, view);
    }
    return ok(view);
  });
}

/** Demo promotions, dated around the seeding day: one per modality, one not yet started. */
export async function seedPromotions(db: Db, viewer: CatalogEditor): Promise<void> {
  const day = 24 * 3600_000;
  const now = Date.now();
  const seeds: (PromotionFields & { code: string })[] = [
    {
      code: 'VERAO-ECOM',
      description: 'Verão no e-commerce: 10% nas camisetas',
      modality: 'ecommerce',
      discountPercent: '10.00',
      startsAt: new Date(now - day),
      endsAt: new Date(now + 90 * day),
      skus: ['CAM-001', 'CAM-002', 'CAM-003', 'CAM-004'],
    },
    {
      code: 'LOJA-CALCADOS',
      description: 'R$ 30,00 de desconto em calçados nas lojas',
      modality: 'store',
      discountAmount: '30.00',
      startsAt: new Date(now - day),
      endsAt: new Date(now + 60 * day),
      skus: ['TEN-001', 'TEN-002', 'BOT-001'],
    },
    {
      code: 'BLACK-FRIDAY',
      description: 'Black Friday: 15% em toda a coleção, em todos os canais',
      modality: 'all',
      discountPercent: '15.00',
      startsAt: new Date(now + 30 * day),
      endsAt: new Date(now + 33 * day),
      skus: ['CAL-001', 'CAL-002', 'VES-001', 'BOL-001'],
    },
  ];
  for (const seed of seeds) {
    const created = await createPromotion(db, viewer, seed);
    if (!created.ok) throw new Error(`seedPromotions: ${created.failure.code} ${created.failure.detail}`);
  }
}
