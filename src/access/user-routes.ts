import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { admins, backOffice, principalOf, roles } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import { PASSWORD_MAX, permissions } from './domain.ts';
import { changeOwnPassword } from './passwords.ts';
import { endOwnSession, listOwnSessions } from './sessions.ts';
import { createUser, listUsers, resetPassword, type UserQuery, updateUser } from './users.ts';

export const User = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    name: Type.String(),
    role: StringEnum(roles),
    nodeCode: Type.String(),
    active: Type.Boolean(),
    mustChangePassword: Type.Boolean({
      description: 'Still holds a temporary password, to be changed at the next sign-in',
    }),
    permissions: Type.Array(StringEnum(permissions), {
      description: 'Restrictions lifted beyond the role: IN_ALT_MENSAGEM changes the messages’ texts',
    }),
  },
  { $id: 'User' },
);
const CreateUser = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    password: Type.Optional(
      Type.String({
        maxLength: PASSWORD_MAX,
        description:
          'For provisioning scripts: must follow the password policy. Without it a temporary password is ' +
          'generated, answered once as temporaryPassword, and must be changed at the first sign-in.',
      }),
    ),
    role: StringEnum(roles),
    nodeCode: Type.String({ minLength: 1, maxLength: 20 }),
  },
  { additionalProperties: false },
);
const PatchUser = Type.Object(
  {
    role: Type.Optional(StringEnum(roles)),
    active: Type.Optional(Type.Boolean({ description: 'false ends the user’s sessions at once' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    permissions: Type.Optional(
      Type.Array(StringEnum(permissions), {
        uniqueItems: true,
        description: 'The whole list of the user’s permissions beyond the role (replaces the current one)',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ChangePassword = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
    newPassword: Type.String({ maxLength: PASSWORD_MAX }),
  },
  { additionalProperties: false },
);
const Session = Type.Object({
  id: Type.String({ format: 'uuid' }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  address: Type.Union([Type.String(), Type.Null()], { description: 'The address it signed in from' }),
  userAgent: Type.Union([Type.String(), Type.Null()], { description: 'The browser it signed in with' }),
  current: Type.Boolean({ description: 'The session of this request' }),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TemporaryPassword = Type.Object({
  temporaryPassword: Type.String({ description: 'Shown only in this answer' }),
});

/** Users (admins, within their subtree) and every user's own password and sessions. */
export function registerUserRoutes(app: App, db: Db) {
  const tags = ['access'];
  app.get(
    '/api/v1/users',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Users of your subtree',
        description: 'nodeCode: users of that node and below it; q: part of the name or e-mail.',
        querystring: Type.Object({
          nodeCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
          role: Type.Optional(StringEnum(roles)),
          active: Type.Optional(Type.Boolean()),
          q: Type.Optional(Type.String({ maxLength: 120 })),
          ...PageQuery,
        }),
        response: { 200: PageOf(User) },
      },
    },
    async (req) => unwrap(await listUsers(db, principalOf(req), req.query as UserQuery)),
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: admins, answersSecret: true },
      schema: {
        tags,
        summary: 'Create a user',
        description:
          '403 ACCESS.ROLE_NOT_GRANTABLE for a role above your own; 422 for a node you do not manage or of ' +
          'the wrong kind for the role (/nodeCode) and for a password against the policy (/password); ' +
          '409 ACCESS.EMAIL_TAKEN (/email).',
        body: CreateUser,
        response: {
          201: Type.Object({
            ...User.properties,
            temporaryPassword: Type.Optional(
              Type.String({ description: 'Only when no password was given; shown only in this answer' }),
            ),
          }),
        },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(unwrap(await createUser(db, principalOf(req), req.body as Static<typeof CreateUser>))),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Change a user’s role or name, deactivate (its sessions end at once) or reactivate it',
        description: 'Not on yourself (409 ACCESS.SELF); users outside your subtree are 404.',
        params: IdParams,
        body: PatchUser,
        response: { 200: User },
      },
    },
    async (req) =>
      unwrap(await updateUser(db, principalOf(req), req.params.id, req.body as Static<typeof PatchUser>)),
  );

  app.post(
    '/api/v1/users/:id/password-reset',
    {
      config: { access: admins, answersSecret: true },
      schema: {
        tags,
        summary: 'Reset a user’s password: a temporary one, shown once, to change at the next sign-in',
        description: 'The user’s sessions end.',
        params: IdParams,
        response: { 200: TemporaryPassword },
      },
    },
    async (req) => unwrap(await resetPassword(db, principalOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: {
        access: backOffice,
        passwordChange: 'allowed',
        // Guessing the current password from a stolen session is as slow as guessing it at sign-in.
        rateLimit: {
          max: 10,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req) => `password ${req.principal?.id ?? req.ip}`,
        },
      },
      schema: {
        tags,
        summary: 'Change your own password',
        description:
          'The current password must be right (/currentPassword); the new one follows the policy: at least ' +
          '12 characters, not containing your e-mail or your node’s name, not the current one (/newPassword). ' +
          'Your other sessions end; this one stays.',
        body: ChangePassword,
        response: {
          200: Type.Object({
            mustChangePassword: Type.Boolean(),
            sessionsEnded: Type.Integer({ description: 'Your other sessions that were ended' }),
          }),
        },
      },
    },
    async (req) =>
      unwrap(await changeOwnPassword(db, principalOf(req), req.body as Static<typeof ChangePassword>)),
  );

  app.get(
    '/api/v1/auth/sessions',
    {
      config: { access: backOffice, passwordChange: 'allowed' },
      schema: { tags, summary: 'Your open sessions', response: { 200: PageOf(Session) } },
    },
    async (req) => listOwnSessions(db, principalOf(req)),
  );

  app.delete(
    '/api/v1/auth/sessions/:id',
    {
      config: { access: backOffice, passwordChange: 'allowed' },
      schema: {
        tags,
        summary: 'End one of your sessions',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      unwrap(await endOwnSession(db, principalOf(req), req.params.id));
      return reply.code(204).send(null);
    },
  );
}
