import { type Static, Type } from '@sinclair/typebox';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { actors, principalOf, type Role, roles } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { bareBodyIsEmpty } from '../platform/http/validation.ts';
import { registerApiClientRoutes } from './api-client-routes.ts';
import { grantable, nodeKindOf, normaliseEmail } from './domain.ts';
import * as access from './service.ts';
import { registerUserRoutes, User } from './user-routes.ts';

const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export function registerAccessRoutes(app: App, db: Db) {
  const tags = ['access'];
  registerUserRoutes(app, db);
  app.post(
    '/api/v1/auth/login',
    {
      config: {
        access: 'public',
        // Per address and account name: one address hammering an account does not lock the other users
        // behind it (a store's shared connection); the per-account backoff (service) holds across addresses.
        rateLimit: {
          max: 20,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req) =>
            `${req.ip} ${normaliseEmail((req.body as Partial<Static<typeof LoginBody>>)?.email ?? '')}`,
        },
      },
      schema: {
        tags,
        summary: 'Sign in: a session token for the back office',
        description:
          '429 REQUEST.RATE_LIMITED after 20 attempts a minute from one address for one account; 429 ' +
          'AUTH.LOGIN_LOCKED with Retry-After after 5 wrong passwords in a row for an account, from any ' +
          'address (the lock doubles with each further one, up to 15 minutes).',
        body: LoginBody,
        response: {
          200: Type.Object({
            token: Type.String(),
            expiresAt: Type.String({ format: 'date-time' }),
            mustChangePassword: Type.Boolean({
              description:
                'Signed in with a temporary password: until POST /api/v1/auth/password, other routes answer ' +
                '403 AUTH.PASSWORD_CHANGE_REQUIRED',
            }),
            user: User,
          }),
        },
      },
    },
    async (req) => {
      const body = req.body as Static<typeof LoginBody>;
      const session = unwrap(
        await access.login(db, body.email, body.password, {
          address: req.ip,
          userAgent: req.headers['user-agent'] ?? null,
        }),
      );
      return { ...session, expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: actors, passwordChange: 'allowed' },
      schema: {
        tags,
        summary: 'End this session',
        body: Type.Object({}, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
      preValidation: bareBodyIsEmpty,
    },
    async (req, reply) => {
      const token = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
      if (token && principalOf(req).kind === 'user') await access.logout(db, token);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { access: actors, passwordChange: 'allowed' },
      schema: {
        tags,
        summary: 'Who the credentials belong to',
        response: {
          200: Type.Object({
            kind: Type.String(),
            id: Type.String(),
            name: Type.String(),
            actor: Type.String(),
            nodeId: Type.String(),
            nodeCode: Type.String({
              description: 'The node (network, central or store) the principal belongs to',
            }),
            nodeName: Type.String(),
            nodeKind: Type.String({ description: 'network, central or store' }),
            mustChangePassword: Type.Boolean({
              description:
                'A temporary password to replace (POST /api/v1/auth/password) before anything else',
            }),
            permissions: Type.Array(Type.String(), {
              description: 'Permissions beyond the role (IN_ALT_MENSAGEM: changes the messages’ texts)',
            }),
            grantableRoles: Type.Array(
              Type.Object({
                role: StringEnum(roles),
                nodeKind: StringEnum(['network', 'central', 'store'] as const),
              }),
              { description: 'The roles you may give users, each with the kind of node it belongs on' },
            ),
          }),
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const node = await network.getNodeById(db, p.nodeId);
      return {
        ...p,
        nodeCode: node?.code ?? '',
        nodeName: node?.name ?? '',
        nodeKind: node?.kind ?? '',
        mustChangePassword: p.mustChangePassword === true,
        permissions: [...(p.permissions ?? [])],
        grantableRoles: (grantable[p.actor as Role] ?? []).map((role) => ({
          role,
          nodeKind: nodeKindOf[role],
        })),
      };
    },
  );

  registerApiClientRoutes(app, db);
}
