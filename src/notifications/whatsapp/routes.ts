import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../../platform/db/index.ts';
import { admins, principalOf } from '../../platform/http/access.ts';
import { unwrap } from '../../platform/http/problems.ts';
import { StringEnum } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/server.ts';
import { deleteAccount, getAccount, putAccount, testAccount } from './account.ts';
import { whatsAppTemplateCodes } from './domain.ts';
import { faultKinds } from './faults.ts';

export interface WhatsAppRouteOptions {
  /** Seals the access token. */
  readonly secretKey: Buffer;
  /** How long "Enviar teste" waits for the API (default 10 s). */
  readonly testTimeoutMs?: number;
}

const NodeParams = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$' }) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Templates = Type.Object(
  Object.fromEntries(whatsAppTemplateCodes.map((code) => [code, Type.String()])) as Record<
    (typeof whatsAppTemplateCodes)[number],
    ReturnType<typeof Type.String>
  >,
  { description: 'Omnihub template code → the approved WhatsApp template that serves it' },
);

const Account = Type.Object(
  {
    networkCode: Type.String(),
    configured: Type.Boolean(),
    phoneNumberId: Nullable(Type.String()),
    businessAccountId: Nullable(Type.String()),
    baseUrl: Type.String(),
    apiVersion: Type.String(),
    language: Type.String(),
    templates: Templates,
    tokenStored: Type.Boolean({
      description: 'Whether an access token is stored; the token is never answered',
    }),
    active: Type.Boolean(),
    updatedAt: Nullable(Type.String({ format: 'date-time' })),
    updatedBy: Nullable(Type.String()),
  },
  { $id: 'WhatsAppAccount' },
);

const AccountBody = Type.Object(
  {
    phoneNumberId: Type.String({
      maxLength: 40,
      description: 'The business phone number’s id (WhatsApp Manager)',
    }),
    businessAccountId: Type.String({ maxLength: 40, description: 'The WhatsApp Business Account id (WABA)' }),
    accessToken: Type.Optional(
      Type.String({
        maxLength: 1024,
        description: 'A system user’s access token; write-only. Leave it out to keep the stored one',
      }),
    ),
    baseUrl: Type.Optional(
      Type.String({ maxLength: 300, description: 'default https://graph.facebook.com' }),
    ),
    apiVersion: Type.Optional(
      Type.String({ maxLength: 10, description: 'Graph API version, default v21.0' }),
    ),
    language: Type.Optional(
      Type.String({ maxLength: 10, description: 'templates’ language, default pt_BR' }),
    ),
    templates: Type.Optional(
      Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 512 }), {
        description:
          `Omnihub template code (${whatsAppTemplateCodes.join(', ')}) → approved template name; ` +
          'a code left out is sent under its own name',
      }),
    ),
    active: Type.Optional(Type.Boolean({ description: 'false: messages are recorded, not sent' })),
  },
  { additionalProperties: false },
);

const TestBody = Type.Object(
  { to: Type.String({ minLength: 1, maxLength: 30, description: 'a phone number, e.g. (11) 98765-4321' }) },
  { additionalProperties: false },
);

const TestResult = Type.Union(
  [
    Type.Object({
      ok: Type.Literal(true),
      to: Type.String({ description: 'E.164 digits' }),
      template: Type.String(),
      providerId: Type.String({ description: 'the wamid' }),
      waId: Nullable(Type.String()),
      elapsedMs: Type.Integer(),
    }),
    Type.Object({
      ok: Type.Literal(false),
      to: Type.String(),
      template: Type.String(),
      kind: StringEnum(faultKinds),
      permanent: Type.Boolean({ description: 'false: the outbox would send it again later' }),
      status: Nullable(Type.Integer({ description: 'the HTTP status, when an answer came' })),
      code: Nullable(Type.Integer({ description: 'the Cloud API error code' })),
      message: Type.String(),
      elapsedMs: Type.Integer(),
    }),
  ],
  { $id: 'WhatsAppTestResult' },
);

export function registerWhatsAppRoutes(app: App, db: Db, opts: WhatsAppRouteOptions) {
  const tags = ['notifications'];

  app.get(
    '/api/v1/nodes/:code/whatsapp',
    {
      config: { access: admins },
      schema: {
        tags,
        summary:
          "A network's WhatsApp Business account (Cloud API): number, templates, whether a token is stored",
        description:
          'The access token is never answered. `configured: false` with the defaults when there is none.',
        params: NodeParams,
        response: { 200: Account },
      },
    },
    async (req) => unwrap(await getAccount(db, principalOf(req), req.params.code)),
  );

  app.put(
    '/api/v1/nodes/:code/whatsapp',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: "Set a network's WhatsApp Business account",
        description:
          'Network admins of that network. The token is sealed before it is stored; leaving it out keeps the ' +
          'stored one (a new account needs one). 422 WHATSAPP.ACCOUNT_INVALID with the fields’ errors.',
        params: NodeParams,
        body: AccountBody,
        response: { 200: Account },
      },
    },
    async (req) =>
      unwrap(
        await putAccount(
          db,
          principalOf(req),
          req.params.code,
          req.body as Static<typeof AccountBody>,
          opts.secretKey,
        ),
      ),
  );

  app.delete(
    '/api/v1/nodes/:code/whatsapp',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: "Remove a network's WhatsApp account: its messages are recorded, not sent",
        params: NodeParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      unwrap(await deleteAccount(db, principalOf(req), req.params.code));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/nodes/:code/whatsapp/test',
    {
      config: {
        access: admins,
        // Each test is a real message on the account's bill and counts towards its quality rating.
        rateLimit: {
          max: 10,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req) => `whatsapp-test:${(req.params as { code: string }).code}`,
        },
      },
      schema: {
        tags,
        summary: 'Enviar teste: Meta’s hello_world template to a number, from the stored account',
        description:
          'Whatever the Cloud API answers is the test’s result (200): the wamid, or `ok: false` with the ' +
          'fault’s kind, HTTP status, error code and text. 404 WHATSAPP.NOT_CONFIGURED without an account; ' +
          '422 WHATSAPP.PHONE_INVALID for a number that cannot be one.',
        params: NodeParams,
        body: TestBody,
        response: { 200: TestResult },
      },
    },
    async (req) =>
      unwrap(
        await testAccount(
          db,
          principalOf(req),
          req.params.code,
          (req.body as Static<typeof TestBody>).to,
          opts.secretKey,
          opts.testTimeoutMs,
        ),
      ),
  );
}
