import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { admins, backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { Quantity, StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import { CODE_PATTERN } from './domain.ts';
import * as delivery from './service.ts';

const Code = Type.String({
  pattern: CODE_PATTERN,
  description: 'Code of the experience, unique in the network',
});
const StoreCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: 'Code of a store (company)' });
const ExperienceType = StringEnum(delivery.deliveryTypes, {
  description: 'pickup (retirada na loja) or ship (envio pela loja); a carrier makes it ship',
});
const Uf = StringEnum(delivery.UFS, { description: 'UF' });
const OptionalText = (max: number, description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()], { description }));

const Store = Type.Object({
  code: Type.String(),
  name: Type.String(),
  city: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([Type.String(), Type.Null()]),
  latitude: Type.Union([Type.Number(), Type.Null()]),
  longitude: Type.Union([Type.Number(), Type.Null()]),
  active: Type.Boolean(),
});

const Experience = Type.Object(
  {
    code: Type.String(),
    description: Type.String(),
    carrierCode: Type.Union([Type.String(), Type.Null()]),
    carrierName: Type.Union([Type.String(), Type.Null()]),
    serviceCode: Type.Union([Type.String(), Type.Null()]),
    type: ExperienceType,
    stores: Type.Array(Store, { description: 'The enabled companies you can see' }),
    version: Type.Integer(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'DeliveryExperience' },
);

const Fields = {
  description: Type.String({ maxLength: 120, description: '1 to 120 characters' }),
  carrierCode: OptionalText(20, 'Carrier code (upper-cased); null: the store delivers itself'),
  carrierName: OptionalText(60, 'Carrier name'),
  serviceCode: OptionalText(40, 'Carrier service, mandatory for CORREIOS (e.g. "04014 SEDEX")'),
  type: Type.Optional(ExperienceType),
};

const CreateBody = Type.Object(
  {
    code: Type.Optional(
      Type.String({
        pattern: CODE_PATTERN,
        description: 'Code of the experience, unique in the network; absent: the next free number',
      }),
    ),
    ...Fields,
    storeCodes: Type.Optional(Type.Array(StoreCode, { maxItems: 1000, description: 'Enabled companies' })),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read; 409 when it changed since' }),
    description: Type.Optional(Fields.description),
    carrierCode: Fields.carrierCode,
    carrierName: Fields.carrierName,
    serviceCode: Fields.serviceCode,
    type: Fields.type,
  },
  { additionalProperties: false },
);
const StoresBody = Type.Object(
  {
    storeCodes: Type.Array(StoreCode, { maxItems: 1000 }),
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The version you read; 409 when it changed since' }),
    ),
  },
  { additionalProperties: false },
);
const Params = Type.Object({ code: Code });

const TransitRow = Type.Object(
  {
    carrierCode: Type.String({ maxLength: 20 }),
    serviceCode: Type.Union([Type.String({ maxLength: 40 }), Type.Null()], {
      description: "null: the carrier's row for every service",
    }),
    fromState: Type.String({ maxLength: 2, description: 'UF the goods leave' }),
    toState: Type.String({ maxLength: 2, description: 'UF of the destination' }),
    days: Type.Integer({ minimum: 0, maximum: 99 }),
  },
  { additionalProperties: false },
);

const SimulationBody = Type.Object(
  {
    postalCode: Type.String({
      maxLength: 9,
      description: 'CEP of the destination, 8 digits (a dash allowed)',
    }),
    items: Type.Array(
      Type.Object(
        { sku: Type.String({ minLength: 1, maxLength: 60 }), quantity: Quantity() },
        {
          additionalProperties: false,
        },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    storeCode: Type.Optional(StoreCode),
  },
  { additionalProperties: false },
);
const Missing = Type.Object({ sku: Type.String(), requested: Type.Integer(), available: Type.Integer() });
const Simulation = Type.Object({
  destination: Type.Object({ postalCode: Type.String(), state: Uf, region: Type.String() }),
  today: Type.String({ format: 'date', description: 'The date in São Paulo the dates count from' }),
  options: Type.Array(
    Type.Object({
      experienceCode: Type.String(),
      experienceDescription: Type.String(),
      type: ExperienceType,
      carrierCode: Type.Union([Type.String(), Type.Null()]),
      carrierName: Type.Union([Type.String(), Type.Null()]),
      serviceCode: Type.Union([Type.String(), Type.Null()]),
      storeCode: Type.String(),
      storeName: Type.String(),
      storeState: Type.Union([Type.String(), Type.Null()]),
      canServe: Type.Boolean({ description: 'The store has the whole cart in free stock' }),
      missing: Type.Array(Missing),
      invoiceDays: Type.Integer({ description: 'DS_LST_DTPREV_OMNI at the store for the type' }),
      transitDays: Type.Integer({ description: '0 for a pickup' }),
      expectedDate: Type.String({ format: 'date' }),
    }),
    { description: 'Servable first, then the earliest date, then by store code' },
  ),
});

export function registerDeliveryRoutes(app: App, db: Db) {
  const tags = ['delivery'];

  app.get(
    '/api/v1/delivery-experiences',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Delivery experiences you can see (those enabling a store you can see)',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 60, description: 'Part of the code or description' })),
          type: Type.Optional(ExperienceType),
          storeCode: Type.Optional(Type.String({ maxLength: 20 })),
          ...PageQuery,
        }),
        response: { 200: PageOf(Experience) },
      },
    },
    async (req) =>
      unwrap(await delivery.listExperiences(db, principalOf(req), req.query as delivery.ExperienceListQuery)),
  );

  app.post(
    '/api/v1/delivery-experiences',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Configure a delivery experience (PDVFM093)',
        description:
          'A carrier makes the type ship; CORREIOS needs its service code; ship without a carrier is the ' +
          "store's own delivery. Only stores you manage may be enabled. Without a code, the network's next " +
          'free number is given. 409 DELIVERY.CODE_TAKEN / DELIVERY.DESCRIPTION_TAKEN (descriptions are unique ' +
          'in the network, case aside); 422 DELIVERY.POOL_MIXED when companies of several centrals are ' +
          'enabled while TP_EMPRESA_POOL_DIFERENTE is off.',
        body: CreateBody,
        response: { 201: Experience },
      },
    },
    async (req, reply) => {
      const body = req.body as Static<typeof CreateBody>;
      return reply.code(201).send(unwrap(await delivery.createExperience(db, principalOf(req), body)));
    },
  );

  app.get(
    '/api/v1/delivery-experiences/:code',
    {
      config: { access: backOffice },
      schema: { tags, summary: 'One delivery experience', params: Params, response: { 200: Experience } },
    },
    async (req) => unwrap(await delivery.getExperience(db, principalOf(req), req.params.code)),
  );

  app.patch(
    '/api/v1/delivery-experiences/:code',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Change a delivery experience (409 when the version is stale)',
        params: Params,
        body: PatchBody,
        response: { 200: Experience },
      },
    },
    async (req) =>
      unwrap(
        await delivery.updateExperience(
          db,
          principalOf(req),
          req.params.code,
          req.body as Static<typeof PatchBody>,
        ),
      ),
  );

  app.delete(
    '/api/v1/delivery-experiences/:code',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Remove a delivery experience',
        params: Params,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      unwrap(await delivery.deleteExperience(db, principalOf(req), req.params.code));
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/delivery-experiences/:code/stores',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Replace the enabled companies ("Colar empresas")',
        description: 'Stores outside your subtree that were enabled stay enabled.',
        params: Params,
        body: StoresBody,
        response: { 200: Experience },
      },
    },
    async (req) =>
      unwrap(
        await delivery.setExperienceStores(
          db,
          principalOf(req),
          req.params.code,
          req.body as Static<typeof StoresBody>,
        ),
      ),
  );

  app.get(
    '/api/v1/delivery-experiences/:code/map.svg',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: "An offline map (SVG) of the experience's companies from their coordinates",
        params: Params,
        response: {
          200: {
            description: 'image/svg+xml: each store a dot with its code and name, a graticule in degrees',
            content: { 'image/svg+xml': { schema: Type.String() } },
          },
        },
      },
    },
    async (req, reply) => {
      const map = unwrap(await delivery.experienceMap(db, principalOf(req), req.params.code));
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('content-disposition', `inline; filename="${map.fileName}"`)
        .header('cache-control', 'no-store')
        .send(map.svg);
    },
  );

  app.get(
    '/api/v1/carrier-transit-times',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          "The carriers' transit days between states (a missing row: 2 same state, 4 same region, else 7)",
        querystring: Type.Object({ carrierCode: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: { 200: Type.Object({ items: Type.Array(TransitRow), nextCursor: Type.Null() }) },
      },
    },
    async (req) => ({
      items: await delivery.listTransitTimes(db, principalOf(req), req.query),
      nextCursor: null,
    }),
  );

  app.put(
    '/api/v1/carrier-transit-times',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: "Replace the network's carrier transit table",
        body: Type.Object(
          { items: Type.Array(TransitRow, { maxItems: 5000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(TransitRow), nextCursor: Type.Null() }) },
      },
    },
    async (req) => {
      const body = req.body as { items: Static<typeof TransitRow>[] };
      return {
        items: unwrap(await delivery.replaceTransitTimes(db, principalOf(req), body.items)),
        nextCursor: null,
      };
    },
  );

  app.post(
    '/api/v1/delivery-simulations',
    {
      config: { access: [...backOffice, 'platform'] },
      schema: {
        tags,
        summary: 'Simulate delivery and pickup of a cart to a CEP (PDVFC019)',
        description:
          'For each experience and each active company enabled under it that you can see: whether it serves ' +
          'the whole cart from free stock, and the expected date (today in São Paulo + DS_LST_DTPREV_OMNI ' +
          "lead days + the carrier's transit days for a shipment). Changes nothing.",
        body: SimulationBody,
        response: { 200: Simulation },
      },
    },
    async (req) =>
      unwrap(
        await delivery.simulateDelivery(db, principalOf(req), req.body as Static<typeof SimulationBody>),
      ),
  );
}
