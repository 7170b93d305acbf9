import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type Authenticate, registerAccess } from './access.ts';
import { errorHandler, frameworkErrorHandler, Problem, sendProblem } from './problems.ts';
import { registerJsonParser, registerNulGuard, registerValidation } from './validation.ts';
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
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerJsonParser(app);
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
          detail: 'No route answers this method and path.',
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

  await registerSecurityHeaders(app);

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
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: docsPolicy });
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

/** The back office: its own scripts and styles only; the map is an image from a blob: URL. */
const appPolicy = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Swagger UI sets style attributes in its markup, so /docs allows inline styles (never inline scripts). */
const docsPolicy = {
  ...appPolicy,
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
};

/**
 * Headers that keep browsers from sniffing, framing or leaking: nosniff, a Content-Security-Policy,
 * X-Frame-Options DENY and no Referer everywhere; `Cache-Control: no-store` on every API answer that did
 * not choose its own caching (the answers of authenticated calls must not stay in shared or browser caches).
 * Omnihub speaks plain HTTP behind whatever terminates TLS, so HSTS and upgrade-insecure-requests are left
 * to that proxy.
 */
async function registerSecurityHeaders(app: App) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: appPolicy },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
  });
}
