import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { admins, backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import * as network from './service.ts';

export const NodeCode = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,20}$',
  description: 'Code unique in the network',
});

const addressFields = {
  street: Type.String({ minLength: 1, maxLength: 120 }),
  number: Type.String({ minLength: 1, maxLength: 20 }),
  complement: Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Null()])),
  district: Type.String({ minLength: 1, maxLength: 60 }),
  city: Type.String({ minLength: 1, maxLength: 60 }),
  state: Type.String({ minLength: 2, maxLength: 2, description: 'UF' }),
  postalCode: Type.String({ description: 'CEP, 8 digits' }),
};

/** As answered: the IBGE code is always there (and `city` is the municipality's IBGE name). */
const Address = Type.Object(
  { ...addressFields, cityCode: Type.String({ description: 'IBGE municipality code, 7 digits' }) },
  { additionalProperties: false },
);

/** As sent: the IBGE code may be left out, it is resolved from state + city (422 when they disagree). */
const AddressInput = Type.Object(
  {
    ...addressFields,
    cityCode: Type.Optional(
      Type.Union([
        Type.String({
          description: 'IBGE municipality code, 7 digits; resolved from state + city when left out',
        }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);

const Fields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  legalName: Type.String({ minLength: 1, maxLength: 120 }),
  cnpj: Type.Optional(
    Type.Union([Type.String({ description: 'CNPJ, numeric or alphanumeric (2026)' }), Type.Null()]),
  ),
  stateRegistration: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
  address: Type.Optional(Type.Union([AddressInput, Type.Null()])),
  latitude: Type.Optional(Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()])),
  longitude: Type.Optional(Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()])),
  email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
  visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])),
  active: Type.Optional(Type.Boolean()),
};

const Kind = Type.Union([Type.Literal('network'), Type.Literal('central'), Type.Literal('store')]);

export const NodeSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Kind,
    code: Type.String(),
    parentCode: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    legalName: Type.String(),
    cnpj: Type.Union([Type.String(), Type.Null()]),
    stateRegistration: Type.Union([Type.String(), Type.Null()]),
    address: Type.Union([Address, Type.Null()]),
    latitude: Type.Union([Type.Number(), Type.Null()]),
    longitude: Type.Union([Type.Number(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    visibility: Type.Union([Type.Literal('public'), Type.Literal('private')]),
    active: Type.Boolean(),
    version: Type.Integer(),
  },
  { $id: 'Node' },
);

const CreateBody = Type.Object(
  {
    parentCode: NodeCode,
    kind: Type.Union([Type.Literal('central'), Type.Literal('store')]),
    code: NodeCode,
    ...Fields,
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read; 409 when it changed since' }),
    ...Object.fromEntries(Object.entries(Fields).map(([k, v]) => [k, Type.Optional(v)])),
  },
  { additionalProperties: false },
);
const CodeParams = Type.Object({ code: NodeCode });

const Municipality = Type.Object({
  code: Type.String({ description: 'IBGE code, 7 digits' }),
  name: Type.String(),
  state: Type.String(),
  latitude: Type.Number(),
  longitude: Type.Number(),
});

export function registerNetworkRoutes(app: App, db: Db, hooks: network.NetworkHooks = {}) {
  const present = async (node: network.NetworkNode) => {
    const parent = node.parentId ? await network.getNodeById(db, node.parentId) : undefined;
    return { ...node, parentCode: parent?.code ?? null };
  };
  const tags = ['network'];

  app.get(
    '/api/v1/nodes',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Network nodes you can see (your subtree and public ancestors)',
        querystring: Type.Object({
          kind: Type.Optional(Type.Array(Kind)),
          parentCode: Type.Optional(NodeCode),
          q: Type.Optional(Type.String({ maxLength: 60 })),
          ...PageQuery,
        }),
        response: { 200: PageOf(NodeSchema) },
      },
    },
    async (req) => {
      const page = unwrap(await network.listNodes(db, principalOf(req), req.query));
      return { items: await Promise.all(page.items.map(present)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/nodes/:code',
    {
      config: { access: backOffice },
      schema: { tags, summary: 'One node', params: CodeParams, response: { 200: NodeSchema } },
    },
    async (req) => present(unwrap(await network.getNode(db, principalOf(req), req.params.code))),
  );

  app.post(
    '/api/v1/nodes',
    {
      config: { access: admins },
      schema: { tags, summary: 'Add a central or store', body: CreateBody, response: { 201: NodeSchema } },
    },
    async (req, reply) => {
      const node = unwrap(
        await network.createNode(db, principalOf(req), req.body as Static<typeof CreateBody>),
      );
      return reply.code(201).send(await present(node));
    },
  );

  app.patch(
    '/api/v1/nodes/:code',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Change a node',
        description:
          'Deactivating (`active: false`) a store with unfinished orders or stock requests, or a central with active ' +
          'stores, answers 409 listing them (NETWORK.NODE_HAS_OPEN_WORK, NETWORK.NODE_HAS_ACTIVE_STORES).',
        params: CodeParams,
        body: PatchBody,
        response: { 200: NodeSchema },
      },
    },
    async (req) => {
      const body = req.body as Static<typeof PatchBody> & Partial<network.NodeFields>;
      return present(unwrap(await network.updateNode(db, principalOf(req), req.params.code, body, hooks)));
    },
  );

  app.delete(
    '/api/v1/nodes/:code',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Remove a node without children or records (otherwise deactivate it)',
        params: CodeParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      unwrap(await network.deleteNode(db, principalOf(req), req.params.code));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/municipalities',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          "IBGE municipalities of a state whose name contains the text (an address form's autocomplete)",
        querystring: Type.Object({
          state: Type.String({ minLength: 2, maxLength: 2, description: 'UF' }),
          q: Type.Optional(Type.String({ maxLength: 60 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 20 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Municipality) }) },
      },
    },
    async (req) => ({
      items: unwrap(network.searchMunicipalities(req.query.state, req.query.q ?? '', req.query.limit ?? 20)),
    }),
  );
}
