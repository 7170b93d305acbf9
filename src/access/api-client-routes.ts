import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import { admins, principalOf, scopes } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { bareBodyIsEmpty } from '../platform/http/validation.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import * as access from './api-clients.ts';
import { DEFAULT_OVERLAP_HOURS, MAX_OVERLAP_HOURS, PAIRING_CODE_MINUTES } from './domain.ts';

const Instant = Type.String({ format: 'date-time' });
const ApiKey = Type.Object({
  id: Type.String({ format: 'uuid' }),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  createdAt: Instant,
  expiresAt: Type.Union([Instant, Type.Null()], {
    description: 'null: no end; set when a newer key replaced it (the end of the overlap)',
  }),
  revokedAt: Type.Union([Instant, Type.Null()]),
  lastUsedAt: Type.Union([Instant, Type.Null()], { description: 'Updated at most once a minute' }),
});
const ApiClient = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  scope: StringEnum(scopes),
  nodeCode: Type.String({ description: 'platform: the network; pos: its store' }),
  nodeName: Type.String(),
  active: Type.Boolean(),
  createdAt: Instant,
  revokedAt: Type.Union([Instant, Type.Null()]),
  lastUsedAt: Type.Union([Instant, Type.Null()], { description: 'The latest use of any of its keys' }),
  keys: Type.Array(ApiKey),
});
const ShownOnce = Type.String({
  description: 'The key itself: shown only in this answer, kept only as a hash',
});
const CreateClient = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }),
    scope: StringEnum(scopes),
    nodeCode: Type.String({
      minLength: 1,
      maxLength: 20,
      description: 'platform: the network node; pos: the store it serves',
    }),
  },
  { additionalProperties: false },
);
const Rotate = Type.Object(
  {
    overlapHours: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_OVERLAP_HOURS,
        default: DEFAULT_OVERLAP_HOURS,
        description: 'How long the keys it replaces keep working (0: they stop at once)',
      }),
    ),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const KeyParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  keyId: Type.String({ format: 'uuid' }),
});

export function registerApiClientRoutes(app: App, db: Db) {
  const tags = ['access'];
  app.get(
    '/api/v1/api-clients',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'API clients of your subtree, with their keys (never the keys themselves)',
        querystring: Type.Object({
          ...PageQuery,
          scope: Type.Optional(StringEnum(scopes)),
          nodeCode: Type.Optional(Type.String({ maxLength: 20 })),
          active: Type.Optional(Type.Boolean()),
        }),
        response: { 200: PageOf(ApiClient) },
      },
    },
    async (req) =>
      unwrap(await access.findApiClients(db, principalOf(req), req.query as access.ApiClientFilter)),
  );

  app.get(
    '/api/v1/api-clients/:id',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'One API client of your subtree',
        params: IdParams,
        response: { 200: ApiClient },
      },
    },
    async (req) => {
      const client = await access.getApiClient(db, principalOf(req), req.params.id);
      if (!client)
        return unwrap(fail('not_found', 'ACCESS.CLIENT_NOT_FOUND', 'No such API client visible to you.'));
      return client;
    },
  );

  app.post(
    '/api/v1/api-clients',
    {
      config: { access: admins, answersSecret: true },
      schema: {
        tags,
        summary: 'Create an API client; its key is shown only in this answer',
        description:
          'A platform client belongs on the network node, a POS client on the one store it serves ' +
          '(422 ACCESS.ROLE_NODE_MISMATCH naming /nodeCode otherwise).',
        body: CreateClient,
        response: { 201: Type.Intersect([ApiClient, Type.Object({ key: ShownOnce })]) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          unwrap(await access.createApiClient(db, principalOf(req), req.body as Static<typeof CreateClient>)),
        ),
  );

  app.post(
    '/api/v1/api-clients/:id/keys',
    {
      config: { access: admins, answersSecret: true },
      schema: {
        tags,
        summary: 'Rotate: a new key, shown only in this answer',
        description:
          `The client's live keys keep working for overlapHours more (default ${DEFAULT_OVERLAP_HOURS}, ` +
          'at most a week; 0 ends them at once). 409 ACCESS.CLIENT_REVOKED for a revoked client.',
        params: IdParams,
        body: Rotate,
        response: { 201: Type.Intersect([ApiKey, Type.Object({ key: ShownOnce })]) },
      },
      preValidation: bareBodyIsEmpty,
    },
    async (req, reply) => {
      const body = req.body as Static<typeof Rotate>;
      const key = unwrap(await access.rotateKey(db, principalOf(req), req.params.id, body.overlapHours));
      return reply.code(201).send(key);
    },
  );

  app.delete(
    '/api/v1/api-clients/:id/keys/:keyId',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Revoke one key of an API client at once',
        params: KeyParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      unwrap(await access.revokeKey(db, principalOf(req), req.params.id, req.params.keyId));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/api-clients/:id',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Revoke an API client (all its keys and pairing codes stop working)',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      unwrap(await access.revokeApiClient(db, principalOf(req), req.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/api-clients/:id/pairing-codes',
    {
      config: { access: admins, answersSecret: true },
      schema: {
        tags,
        summary: 'A pairing code for a POS client',
        description:
          `8 characters shown as XXXX-XXXX, single use, valid ${PAIRING_CODE_MINUTES} minutes; a new code ` +
          'voids the older unused ones. The POS exchanges it at POST /api/v1/pos/pairing. ' +
          '409 ACCESS.PAIRING_ONLY_POS for a platform client.',
        params: IdParams,
        body: Type.Object({}, { additionalProperties: false }),
        response: { 201: Type.Object({ code: Type.String(), expiresAt: Instant }) },
      },
      preValidation: bareBodyIsEmpty,
    },
    async (req, reply) =>
      reply.code(201).send(unwrap(await access.createPairingCode(db, principalOf(req), req.params.id))),
  );

  app.post(
    '/api/v1/pos/pairing',
    {
      config: {
        access: 'public',
        rateLimit: { max: 10, timeWindow: '1 minute', hook: 'preHandler', keyGenerator: (req) => req.ip },
      },
      schema: {
        tags: ['pos'],
        summary: 'Pair a POS: exchange a pairing code for a new key of its client',
        description:
          'Public; 10 attempts a minute per address. The code with or without the dash, any case. Unknown, ' +
          'used and expired codes all answer 422 ACCESS.PAIRING_CODE_INVALID naming /code.',
        body: Type.Object(
          { code: Type.String({ minLength: 1, maxLength: 32 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            key: ShownOnce,
            client: Type.Object({
              id: Type.String({ format: 'uuid' }),
              name: Type.String(),
              storeCode: Type.String(),
              storeName: Type.String(),
            }),
          }),
        },
      },
    },
    async (req, reply) => {
      const { code } = req.body as { code: string };
      return reply.code(201).send(unwrap(await access.pair(db, code, req.ip)));
    },
  );
}
