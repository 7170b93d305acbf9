import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { actors, admins, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { Money, StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import { modalities } from './domain.ts';
import { NO_NUL, Sku, SkuRef, Text } from './routes.ts';
import * as catalog from './service.ts';

const Code = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$',
  description: 'Unique in the network',
});
const CodeRef = Type.String({ minLength: 1, maxLength: 60, pattern: NO_NUL });
const Modality = StringEnum(modalities, {
  description: 'Channel the promotion is offered on: only ecommerce (and all) reach the e-commerce platform',
});

const PromotionSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    code: Type.String(),
    description: Type.String(),
    modality: Modality,
    discountPercent: Type.Union([Money(), Type.Null()], { description: 'Percentage off, e.g. "10.00"' }),
    discountAmount: Type.Union([Money(), Type.Null()], { description: 'Amount off the unit price' }),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    active: Type.Boolean(),
    current: Type.Boolean({ description: 'Active and within its period now' }),
    skus: Type.Array(Type.String(), { description: 'To the platform: only products enabled for it' }),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Promotion' },
);

const Fields = {
  description: Text(120),
  modality: Modality,
  discountPercent: Type.Optional(
    Type.Union([Money(), Type.Null()], { description: 'Exactly one of the two discounts' }),
  ),
  discountAmount: Type.Optional(Type.Union([Money(), Type.Null()])),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time', description: 'Exclusive' }),
  active: Type.Optional(Type.Boolean()),
  skus: Type.Array(Sku, { minItems: 1, maxItems: 1000, uniqueItems: true }),
};
const CreateBody = Type.Object({ code: Code, ...Fields }, { additionalProperties: false });
const PatchBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read; 409 when it changed since' }),
    ...Object.fromEntries(Object.entries(Fields).map(([k, v]) => [k, Type.Optional(v)])),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({
  modality: Type.Optional(Type.Array(Modality)),
  active: Type.Optional(Type.Boolean()),
  current: Type.Optional(Type.Boolean()),
  sku: Type.Optional(SkuRef),
  ...PageQuery,
});
const CodeParams = Type.Object({ code: CodeRef });

const dto = (p: catalog.PromotionView) => ({
  ...p,
  startsAt: p.startsAt.toISOString(),
  endsAt: p.endsAt.toISOString(),
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

const dates = <T extends { startsAt?: string; endsAt?: string }>(body: T) => ({
  ...body,
  startsAt: body.startsAt === undefined ? undefined : new Date(body.startsAt),
  endsAt: body.endsAt === undefined ? undefined : new Date(body.endsAt),
});

export function registerPromotionRoutes(app: App, db: Db) {
  const tags = ['catalog'];

  app.get(
    '/api/v1/promotions',
    {
      config: { access: actors },
      schema: {
        tags,
        summary:
          'Promotions; the platform sees only current ones of the e-commerce modality, a POS those of the stores',
        querystring: ListQuery,
        response: { 200: PageOf(PromotionSchema) },
      },
    },
    async (req) => {
      const page = unwrap(
        await catalog.listPromotions(db, principalOf(req), req.query as Static<typeof ListQuery>),
      );
      return { items: page.items.map(dto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/promotions/:code',
    {
      config: { access: actors },
      schema: { tags, summary: 'One promotion', params: CodeParams, response: { 200: PromotionSchema } },
    },
    async (req) => dto(unwrap(await catalog.getPromotion(db, principalOf(req), req.params.code))),
  );

  app.post(
    '/api/v1/promotions',
    {
      config: { access: admins },
      schema: { tags, summary: 'Register a promotion', body: CreateBody, response: { 201: PromotionSchema } },
    },
    async (req, reply) => {
      const body = dates(req.body as Static<typeof CreateBody>) as catalog.PromotionFields & { code: string };
      return reply.code(201).send(dto(unwrap(await catalog.createPromotion(db, principalOf(req), body))));
    },
  );

  app.patch(
    '/api/v1/promotions/:code',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Change a promotion (skus, when sent, replace the list)',
        params: CodeParams,
        body: PatchBody,
        response: { 200: PromotionSchema },
      },
    },
    async (req) => {
      const body = dates(
        req.body as { version: number; startsAt?: string; endsAt?: string },
      ) as Partial<catalog.PromotionFields> & { version: number };
      return dto(unwrap(await catalog.updatePromotion(db, principalOf(req), req.params.code, body)));
    },
  );
}
