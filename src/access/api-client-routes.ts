import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { admins, principalOf, scopes } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf } from '../platform/pagination.ts';
import * as access from './api-clients.ts';

const ApiClient = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  scope: StringEnum(scopes),
  nodeCode: Type.String(),
  active: Type.Boolean(),
});
const CreateClient = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    scope: StringEnum(scopes),
    nodeCode: Type.String({ minLength: 1, maxLength: 20 }),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function registerApiClientRoutes(app: App, db: Db) {
  const tags = ['access'];
  app.get(
    '/api/v1/api-clients',
    {
      config: { access: admins },
      schema: { tags, summary: 'API clients of your subtree', response: { 200: PageOf(ApiClient) } },
    },
    async (req) => ({ items: await access.listApiClients(db, principalOf(req)), nextCursor: null }),
  );

  app.post(
    '/api/v1/api-clients',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Create an API client; the key is shown only in this answer',
        body: CreateClient,
        response: { 201: Type.Intersect([ApiClient, Type.Object({ key: Type.String() })]) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          unwrap(await access.createApiClient(db, principalOf(req), req.body as Static<typeof CreateClient>)),
        ),
  );

  app.delete(
    '/api/v1/api-clients/:id',
    {
      config: { access: admins },
      schema: { tags, summary: 'Revoke an API client', params: IdParams, response: { 204: Type.Null() } },
    },
    async (req, reply) => {
      unwrap(await access.revokeApiClient(db, principalOf(req), req.params.id));
      return reply.code(204).send(null);
    },
  );
}
