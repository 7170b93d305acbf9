import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { actors, admins, backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { Money, StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import { units } from './domain.ts';
import * as catalog from './service.ts';

/** PostgreSQL text cannot hold NUL: refusing it here keeps such input a 422, not a database error. */
export const NO_NUL = '^[^\\u0000]*$';
/** Free text: printable, not blank. */
export const Text = (maxLength: number) =>
  Type.String({
    minLength: 1,
    maxLength,
    pattern: '^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$',
  });
export const Sku = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$',
  description: 'Stock keeping unit, unique in the network',
});
/** Lookups accept any SKU-ish text: one that cannot exist is simply not found. */
export const SkuRef = Type.String({ minLength: 1, maxLength: 60, pattern: NO_NUL });
const NodeCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: 'A store or central code' });

const Flags = {
  integratesEcommerce: Type.Optional(
    Type.Boolean({ description: '"Integra e-commerce": sent to the platform' }),
  ),
  activeEcommerce: Type.Optional(
    Type.Boolean({ description: '"Ativo e-commerce": sellable there; requires integratesEcommerce' }),
  ),
};

const ProductSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    sku: Type.String(),
    ean: Type.String(),
    description: Type.String(),
    ncm: Type.String(),
    unit: Type.String(),
    price: Money({ description: 'Effective price at the store asked for (or at your own node)' }),
    defaultPrice: Money({ description: 'The network default price' }),
    priceSource: StringEnum(['network', 'central', 'store'] as const),
    priceNodeCode: Type.Union([Type.String(), Type.Null()], {
      description: 'The node whose own price applies',
    }),
    integratesEcommerce: Type.Boolean(),
    activeEcommerce: Type.Boolean(),
    active: Type.Boolean(),
    ecommerceEnabled: Type.Boolean({ description: 'Active with both flags: what the platform sees' }),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Product' },
);

const Filter = {
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 60,
      pattern: NO_NUL,
      description: 'Part of SKU or description, or EAN prefix',
    }),
  ),
  sku: Type.Optional(Type.Array(SkuRef, { maxItems: 200, description: 'Repeatable' })),
  integratesEcommerce: Type.Optional(Type.Boolean()),
  activeEcommerce: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
};
const ListQuery = Type.Object({ ...Filter, storeCode: Type.Optional(NodeCode), ...PageQuery });

const Fields = {
  ean: Type.String({ minLength: 1, maxLength: 20, description: 'EAN-13 with its GS1 check digit' }),
  description: Text(120),
  ncm: Type.String({ minLength: 1, maxLength: 12, description: 'NCM, 8 digits (dots allowed)' }),
  unit: Type.Optional(StringEnum(units)),
  price: Money({ description: 'Network default price' }),
  active: Type.Optional(Type.Boolean()),
  ...Flags,
};
const CreateBody = Type.Object({ sku: Sku, ...Fields }, { additionalProperties: false });
const PatchBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read; 409 when it changed since' }),
    ...Object.fromEntries(Object.entries(Fields).map(([k, v]) => [k, Type.Optional(v)])),
  },
  { additionalProperties: false },
);
const FlagsBody = Type.Object(
  {
    ...Flags,
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'Optional concurrency guard' })),
  },
  { additionalProperties: false },
);
const BulkBody = Type.Object(
  {
    filter: Type.Object(Filter, { additionalProperties: false, description: 'The same filters as the list' }),
    set: Type.Object(Flags, { additionalProperties: false, minProperties: 1 }),
  },
  { additionalProperties: false },
);
const PriceBody = Type.Object({ price: Money() }, { additionalProperties: false });
const PriceSheet = Type.Object({
  sku: Type.String(),
  defaultPrice: Money(),
  overrides: Type.Array(
    Type.Object({
      nodeCode: Type.String(),
      nodeKind: StringEnum(['central', 'store'] as const),
      price: Money(),
      updatedAt: Type.String({ format: 'date-time' }),
    }),
  ),
});
const SkuParams = Type.Object({ sku: SkuRef });
const PriceParams = Type.Object({ sku: SkuRef, nodeCode: NodeCode });

const dto = (p: catalog.ProductView) => ({
  ...p,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export function registerCatalogRoutes(app: App, db: Db, opts: { wakeWorker?: () => void } = {}) {
  const tags = ['catalog'];

  app.get(
    '/api/v1/products',
    {
      config: { access: actors },
      schema: {
        tags,
        summary: 'Products; the e-commerce platform sees only those enabled for it',
        querystring: ListQuery,
        response: { 200: PageOf(ProductSchema) },
      },
    },
    async (req) => {
      const { sku, ...query } = req.query as Static<typeof ListQuery>;
      const page = unwrap(await catalog.listProducts(db, principalOf(req), { ...query, skus: sku }));
      return { items: page.items.map(dto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/products/:sku',
    {
      config: { access: actors },
      schema: {
        tags,
        summary: 'One product (404 to the platform when not enabled for the e-commerce)',
        params: SkuParams,
        querystring: Type.Object({ storeCode: Type.Optional(NodeCode) }),
        response: { 200: ProductSchema },
      },
    },
    async (req) => {
      const { storeCode } = req.query as { storeCode?: string };
      return dto(unwrap(await catalog.getProduct(db, principalOf(req), req.params.sku, storeCode)));
    },
  );

  app.post(
    '/api/v1/products',
    {
      config: { access: admins },
      schema: { tags, summary: 'Register a product', body: CreateBody, response: { 201: ProductSchema } },
    },
    async (req, reply) => {
      const body = req.body as Static<typeof CreateBody>;
      return reply.code(201).send(dto(unwrap(await catalog.createProduct(db, principalOf(req), body))));
    },
  );

  app.patch(
    '/api/v1/products/:sku',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Change a product (optimistic: send the version you read)',
        params: SkuParams,
        body: PatchBody,
        response: { 200: ProductSchema },
      },
    },
    async (req) => {
      const body = req.body as Static<typeof PatchBody> & Partial<catalog.ProductFields>;
      return dto(unwrap(await catalog.updateProduct(db, principalOf(req), req.params.sku, body)));
    },
  );

  app.put(
    '/api/v1/products/:sku/ecommerce',
    {
      config: { access: admins },
      schema: {
        tags,
        summary:
          'Set the e-commerce flags of one product (clearing integratesEcommerce clears activeEcommerce)',
        params: SkuParams,
        body: FlagsBody,
        response: { 200: ProductSchema },
      },
    },
    async (req) => {
      const body = req.body as Static<typeof FlagsBody>;
      return dto(unwrap(await catalog.setEcommerceFlags(db, principalOf(req), req.params.sku, body)));
    },
  );

  app.post(
    '/api/v1/products/ecommerce/bulk',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Set the e-commerce flags of every product matching a filter, in the background',
        description:
          'Answers the job to poll at GET /api/v1/jobs/{jobId}; its result counts changed, unchanged and skipped products.',
        body: BulkBody,
        response: { 202: Type.Object({ jobId: Type.String({ format: 'uuid' }), total: Type.Integer() }) },
      },
    },
    async (req, reply) => {
      const { filter, set } = req.body as Static<typeof BulkBody>;
      const { sku, ...rest } = filter;
      const accepted = unwrap(
        await catalog.requestBulkFlags(db, principalOf(req), { filter: { ...rest, skus: sku }, set }),
      );
      opts.wakeWorker?.();
      return reply.code(202).header('location', `/api/v1/jobs/${accepted.jobId}`).send(accepted);
    },
  );

  app.get(
    '/api/v1/products/:sku/prices',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The default price and the own prices of the centrals and stores you see',
        params: SkuParams,
        response: { 200: PriceSheet },
      },
    },
    async (req) => {
      const sheet = unwrap(await catalog.priceSheet(db, principalOf(req), req.params.sku));
      return {
        ...sheet,
        overrides: sheet.overrides.map((o) => ({ ...o, updatedAt: o.updatedAt.toISOString() })),
      };
    },
  );

  app.put(
    '/api/v1/products/:sku/prices/:nodeCode',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Set the own price of a store or central you manage; answers the product priced there',
        params: PriceParams,
        body: PriceBody,
        response: { 200: ProductSchema },
      },
    },
    async (req) => {
      const { sku, nodeCode } = req.params;
      const { price } = req.body as Static<typeof PriceBody>;
      return dto(unwrap(await catalog.setNodePrice(db, principalOf(req), sku, nodeCode, price)));
    },
  );

  app.delete(
    '/api/v1/products/:sku/prices/:nodeCode',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Remove the own price of a store or central: the next node up applies again',
        params: PriceParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      unwrap(await catalog.removeNodePrice(db, principalOf(req), req.params.sku, req.params.nodeCode));
      return reply.code(204).send(null);
    },
  );
}
