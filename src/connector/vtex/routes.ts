import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../../platform/db/index.ts';
import { fail } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/access.ts';
import { problemFromFailure, sendProblem, unwrap } from '../../platform/http/problems.ts';
import type { App } from '../../platform/http/server.ts';
import {
  getVtexConnection,
  HOOK_PATH,
  MIN_HOOK_TOKEN,
  putVtexConnection,
  type VtexConnectionInput,
} from './connection.ts';
import { acceptHook, connectionByHookToken, HOOK_TOKEN_HEADER, recordRefusedHook } from './intake.ts';
import { readHook } from './mapping.ts';

/** VTEX's hook bodies are a few hundred bytes; anything this large is not one. */
const HOOK_LIMIT = 64 * 1024;
const RAW = Symbol('rawBody');
type RawBody = { [RAW]: Buffer };

const Secret = (description: string, minLength = 1) =>
  Type.String({ minLength, maxLength: 500, description });

const ConnectionBody = Type.Object(
  {
    accountName: Type.String({
      pattern: '^[a-z0-9-]+$',
      minLength: 1,
      maxLength: 60,
      description: 'The VTEX account name ({accountName}.myvtex.com)',
    }),
    appKey: Type.Optional(Secret('X-VTEX-API-AppKey; kept when absent')),
    appToken: Type.Optional(Secret('X-VTEX-API-AppToken; kept when absent')),
    baseUrl: Type.Optional(
      Type.String({
        maxLength: 300,
        description: 'Where the OMS answers; default https://{accountName}.vtexcommercestable.com.br',
      }),
    ),
    hookToken: Type.Optional(
      Secret('What VTEX sends in X-Omnihub-Hook-Token on the order hook; kept when absent', MIN_HOOK_TOKEN),
    ),
    defaultStoreCode: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'The store of orders whose pickup point or warehouse has no store mapping',
    }),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const ConnectionView = Type.Object(
  {
    accountName: Type.String(),
    baseUrl: Type.String(),
    defaultStoreCode: Type.String(),
    active: Type.Boolean(),
    appKeyLast4: Type.String(),
    hookUrl: Type.String({ description: 'The address to give VTEX as the orders hook URL' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'VtexConnection' },
);

export interface VtexRouteDeps {
  secretKey: Buffer;
  /** OMNIHUB_PUBLIC_URL: the hook URL shown is built on it. */
  publicUrl: string;
  wakeWorker?: () => void;
}

/** The VTEX connection of a network (network admins) and VTEX's order hook (public, its token authenticates). */
export function registerVtexRoutes(app: App, db: Db, deps: VtexRouteDeps) {
  const tags = ['connector'];
  const access = ['network_admin'] as const;

  app.get(
    '/api/v1/connectors/vtex',
    {
      config: { access },
      schema: {
        tags,
        summary: "The network's VTEX connection (never its secrets)",
        description: '404 CONNECTOR.CONNECTION_NOT_FOUND when the network has none.',
        response: { 200: ConnectionView },
      },
    },
    async (req) => unwrap(await getVtexConnection(db, principalOf(req), deps.secretKey, deps.publicUrl)),
  );

  app.put(
    '/api/v1/connectors/vtex',
    {
      config: { access },
      schema: {
        tags,
        summary: "Connect the network's VTEX account (create or replace)",
        description:
          'The app key, app token and hook token are required the first time and kept when absent afterwards; ' +
          'they are never answered. 422 CONNECTOR.CONNECTION_INVALID for a base URL that is not http(s), a ' +
          'default store the network does not have, or missing credentials. Orders are ingested as the ' +
          "connection's own API client; its order events are sent back to VTEX (start-handling, invoice).",
        body: ConnectionBody,
        response: { 200: ConnectionView },
      },
    },
    async (req) =>
      unwrap(
        await putVtexConnection(
          db,
          principalOf(req),
          req.body as Static<typeof ConnectionBody> as VtexConnectionInput,
          deps.secretKey,
          deps.publicUrl,
        ),
      ),
  );

  // Its own scope: the body is read as bytes, so a malformed one still leaves a ticket saying so.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: HOOK_LIMIT }, (_req, body, done) =>
      done(null, { [RAW]: body as Buffer } satisfies RawBody),
    );
    scope.post(
      HOOK_PATH,
      {
        bodyLimit: HOOK_LIMIT,
        config: { access: 'public' },
        schema: {
          tags,
          summary: "VTEX's orders hook",
          description:
            "Called by VTEX with header X-Omnihub-Hook-Token (the connection's hookToken) and VTEX's body " +
            "`{Domain, OrderId, State, LastState, LastChange, CurrentChange, Origin}`. VTEX's ping " +
            '`{"hookConfig":"ping"}` → 200. `ready-for-handling` → the order is read from VTEX and ingested ' +
            'by a job; `canceled`/`cancel` → the Omnihub order is cancelled while not yet accepted; other ' +
            'states are recorded and ignored. Every hook is a ticket (pending until its job settles it). ' +
            '401 CONNECTOR.HOOK_TOKEN_INVALID when no active connection has the token; 400 ' +
            'CONNECTOR.HOOK_MALFORMED for a body that is not a VTEX hook; both are recorded as failed tickets.',
          response: {
            200: Type.Object({
              received: Type.Boolean(),
              ticketId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
            }),
          },
        },
      },
      async (req, reply) => {
        const startedAt = new Date();
        const raw = ((req.body as RawBody | undefined)?.[RAW] ?? Buffer.alloc(0)).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          parsed = undefined;
        }
        const read = parsed === undefined ? { malformed: 'JSON inválido' } : readHook(parsed);
        // VTEX pings the URL when the hook is configured: nothing to record, nothing revealed.
        if ('ping' in read) return { received: true, ticketId: null };
        const token = req.headers[HOOK_TOKEN_HEADER];
        const c = await connectionByHookToken(
          db,
          typeof token === 'string' ? token : undefined,
          deps.secretKey,
        );
        if (!c) {
          await recordRefusedHook(db, {
            networkId: null,
            raw,
            error: token ? 'token do hook inválido' : 'sem X-Omnihub-Hook-Token',
            httpStatus: 401,
            startedAt,
          });
          return unwrap(
            fail(
              'unauthorized',
              'CONNECTOR.HOOK_TOKEN_INVALID',
              'No active VTEX connection has this hook token.',
            ),
          );
        }
        if ('malformed' in read) {
          await recordRefusedHook(db, {
            networkId: c.networkId,
            raw,
            error: `corpo do hook inválido: ${read.malformed}`,
            httpStatus: 400,
            startedAt,
          });
          const { failure } = fail(
            'invalid',
            'CONNECTOR.HOOK_MALFORMED',
            `The body is not a VTEX order hook: ${read.malformed}.`,
          );
          return sendProblem(reply, { ...problemFromFailure(failure), status: 400, title: 'Bad Request' });
        }
        const accepted = await acceptHook(db, c, read.hook, raw, startedAt);
        if (accepted.queued) deps.wakeWorker?.();
        return { received: true, ticketId: accepted.ticketId };
      },
    );
  });
}
