import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type Authenticate, registerAccess } from './access.ts';
import { errorHandler, Problem, sendProblem } from './problems.ts';
import { registerNulGuard, registerValidation } from './validation.ts';
import { isAppPage, registerWebApp, sendAppPage } from './web-app.ts';

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface ServerOptions {
  logger: boolean | { level: string } | FastifyBaseLogger;
  authenticate: Authenticate;
  /** Largest accepted request body; larger ones get 413. */
  bodyLimit?: number;
  version: string;
  /** Serve the built back office (web/dist) at `/` and its pages' addresses. */
  webApp?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived: the start of its Server-Timing. */
    startedAt: number;
  }
}

/** The HTTP plumbing every context shares; contexts add their routes afterwards. */
export async function createServer(opts: ServerOptions): Promise<App> {
  const app = Fastify({
    ...(typeof opts.logger === 'object' && 'info' in opts.logger
      ? { loggerInstance: opts.logger }
      : { logger: opts.logger }),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerValidation(app);
  registerNulGuard(app);
  app.addSchema(Problem);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    opts.webApp && isAppPage(request)
      ? sendAppPage(reply)
      : sendProblem(reply, {
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: `No route ${request.method} ${request.url.split('?')[0]}.`,
          code: 'REQUEST.NO_ROUTE',
        }),
  );
  // Server-Timing (W3C): the time spent in Omnihub, as browsers' devtools show it, from arrival to the
  // serialised answer (what the network adds is left out).
  app.decorateRequest('startedAt', 0);
  app.addHook('onRequest', async (request) => {
    request.startedAt = performance.now();
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.startedAt) {
      reply.header('server-timing', `app;dur=${(performance.now() - request.startedAt).toFixed(1)}`);
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Omnihub API',
        version: opts.version,
        description:
          'Omnichannel order hub for retail networks. Errors are RFC 9457 problem details; money is a decimal string with two places.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key or session token' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );

  if (opts.webApp) await registerWebApp(app);
  registerAccess(app, opts.authenticate);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    route.schema = {
      ...route.schema,
      response: { '4xx': { $ref: 'Problem#' }, ...(route.schema?.response as object | undefined) },
    };
  });
  return app;
}
