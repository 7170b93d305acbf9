import { Type } from '@sinclair/typebox';
import type { Db } from '../../platform/db/index.ts';
import { principalOf } from '../../platform/http/access.ts';
import { problemFromFailure, sendProblem, unwrap } from '../../platform/http/problems.ts';
import type { App } from '../../platform/http/server.ts';
import { DEFAULT_BASE_URL } from './client.ts';
import { getNuvemshop, HOOK_PATH, type NuvemshopInput, putNuvemshop } from './connection.ts';
import { type InboundDeps, receiveHook, SIGNATURE_HEADER } from './inbound.ts';

/** A Nuvemshop webhook is three fields: anything much larger is not one (413). */
const HOOK_LIMIT = 64 * 1024;
/** The raw body under a symbol key, as the signature is computed over these exact bytes. */
const RAW = Symbol('rawBody');
type RawBody = { [RAW]: Buffer };

const Connection = Type.Object(
  {
    storeId: Type.String(),
    baseUrl: Type.String(),
    userAgent: Type.String(),
    defaultStoreCode: Type.String(),
    active: Type.Boolean(),
    accessTokenLast4: Type.String({
      description: 'The access token is never answered: its last 4 characters',
    }),
    appSecretStored: Type.Boolean(),
    hookUrl: Type.String({
      description: "Where to register the store's webhooks (order/paid, order/cancelled…)",
    }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'NuvemshopConnection' },
);

const ConnectionBody = Type.Object(
  {
    storeId: Type.String({
      pattern: '^[0-9]{1,20}$',
      description: "Nuvemshop's store id (user_id of the app's token)",
    }),
    accessToken: Type.Optional(
      Type.String({ minLength: 8, maxLength: 500, description: 'Kept when absent' }),
    ),
    appSecret: Type.Optional(
      Type.String({
        minLength: 8,
        maxLength: 500,
        description: "The app's secret, the webhooks' HMAC key; kept when absent",
      }),
    ),
    baseUrl: Type.Optional(
      Type.String({ minLength: 1, maxLength: 300, description: `Default ${DEFAULT_BASE_URL}` }),
    ),
    userAgent: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'Default "Omnihub (<who saved it>)"; Nuvemshop wants the app and an e-mail',
      }),
    ),
    defaultStoreCode: Type.String({
      minLength: 1,
      maxLength: 20,
      description: 'The store orders go to unless a pickup branch is mapped to another',
    }),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export interface NuvemshopRouteDeps extends InboundDeps {
  /** OMNIHUB_PUBLIC_URL: the hook URL shown to the admin. */
  publicUrl: string;
}

/** The Nuvemshop connection (network admins) and its webhook (Nuvemshop, signed). */
export function registerNuvemshopRoutes(app: App, db: Db, deps: NuvemshopRouteDeps) {
  const tags = ['connector'];
  const access = ['network_admin'] as const;

  app.get(
    '/api/v1/connectors/nuvemshop',
    {
      config: { access },
      schema: {
        tags,
        summary: "The network's Nuvemshop connection (secrets never answered)",
        description: '404 CONNECTOR.NOT_CONNECTED when the network has none.',
        response: { 200: Connection },
      },
    },
    async (req) => unwrap(await getNuvemshop(db, principalOf(req), deps)),
  );

  app.put(
    '/api/v1/connectors/nuvemshop',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Connect the network to a Nuvemshop store (create or replace)',
        description:
          'The access token and app secret are required the first time and kept when absent afterwards. 422 ' +
          'CONNECTOR.CONNECTION_INVALID with field errors: an unknown default store, a store id another network ' +
          'holds, a base URL that is not http(s), missing credentials.',
        body: ConnectionBody,
        response: { 200: Connection },
      },
    },
    async (req) => unwrap(await putNuvemshop(db, principalOf(req), req.body as NuvemshopInput, deps)),
  );

  // Its own scope: only the hook reads its body as raw bytes, the other routes keep the JSON parser.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: HOOK_LIMIT }, (_req, body, done) =>
      done(null, { [RAW]: body as Buffer } satisfies RawBody),
    );
    scope.post(
      HOOK_PATH,
      {
        bodyLimit: HOOK_LIMIT,
        // Every call is a ticket, refused ones too: one address may not fill the table. Generous, since a
        // store's sale day sends bursts (and Nuvemshop retries what a 429 turned away).
        config: { access: 'public', rateLimit: { max: 1200, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: "Nuvemshop's webhook: an order paid, created or cancelled at the store",
          description:
            `Called by Nuvemshop with \`{store_id, event, id}\`, signed in \`${SIGNATURE_HEADER}\` (hex HMAC-SHA256 ` +
            "of the raw body with the app's secret of the connection holding store_id). Every call is a ticket. " +
            '`order/paid` and `order/created` → 200 `queued`: the order is fetched and ingested in the background ' +
            '(held as a failed ticket when it cannot be mapped); `order/cancelled` → the Omnihub order cancelled ' +
            'if not yet accepted (else its ticket fails with the reason), 200 `cancelled`; other events 200 ' +
            '`ignored`. 400 NUVEMSHOP.HOOK_MALFORMED, 404 NUVEMSHOP.UNKNOWN_STORE, 401 NUVEMSHOP.SIGNATURE_INVALID, ' +
            '409 NUVEMSHOP.CONNECTION_INACTIVE.',
          response: {
            200: Type.Object({
              ticketId: Type.String({ format: 'uuid' }),
              outcome: Type.Union([
                Type.Literal('queued'),
                Type.Literal('cancelled'),
                Type.Literal('ignored'),
              ]),
            }),
          },
        },
      },
      async (req, reply) => {
        const raw = (req.body as RawBody | undefined)?.[RAW] ?? Buffer.alloc(0);
        const header = req.headers[SIGNATURE_HEADER];
        const answer = await receiveHook(db, raw, Array.isArray(header) ? header[0] : header, deps);
        if (!answer.ok && answer.failure.code === 'NUVEMSHOP.HOOK_MALFORMED')
          return sendProblem(reply, {
            ...problemFromFailure(answer.failure),
            status: 400,
            title: 'Bad Request',
          });
        return unwrap(answer);
      },
    );
  });
}
