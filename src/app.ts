import rateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { registerAccessRoutes } from './access/routes.ts';
import * as access from './access/service.ts';
import { registerPromotionRoutes } from './catalog/promotion-routes.ts';
import { registerCatalogRoutes } from './catalog/routes.ts';
import * as catalog from './catalog/service.ts';
import { registerFiscalRoutes } from './fiscal/routes.ts';
import { registerFulfilmentRoutes } from './fulfilment/routes.ts';
import { homePage } from './home.ts';
import { registerIntegrationRoutes } from './integration/routes.ts';
import { registerNetworkRoutes } from './network/routes.ts';
import * as network from './network/service.ts';
import { orderChanges, registerLiveOrderRoutes } from './orders/live.ts';
import { registerOrderRoutes } from './orders/routes.ts';
import { registerParametersRoutes } from './parameters/routes.ts';
import type { Database } from './platform/db/index.ts';
import { registerIdempotency } from './platform/http/idempotency.ts';
import { createServer } from './platform/http/server.ts';
import { sendAppPage, webAppBuilt } from './platform/http/web-app.ts';
import { registerJobRoutes } from './platform/jobs/routes.ts';
import type { JobHandler } from './platform/jobs/service.ts';
import { registerStockRoutes } from './stock/routes.ts';

export const VERSION = '0.1.0';

export interface AppOptions {
  logger: boolean | { level: string } | FastifyBaseLogger;
  /** Lets routes that enqueue work wake the in-process worker at once. */
  wakeWorker?: () => void;
  /** Lets a webhook change send the waiting deliveries at once. */
  wakeDeliveries?: () => void;
}

/** The composition root: plumbing, then each context's routes. */
export async function buildApp(database: Database, opts: AppOptions) {
  const { db } = database;
  const webApp = webAppBuilt();
  const app = await createServer({
    webApp,
    logger: opts.logger,
    version: VERSION,
    authenticate: (token) => access.authenticate(db, token),
  });
  await app.register(rateLimit, { global: false });
  registerIdempotency(app, db);

  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database reachability',
        response: {
          200: Type.Object({ status: Type.Literal('ok') }),
          503: Type.Object({ status: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      try {
        await db.execute(sql`select 1`);
        return { status: 'ok' as const };
      } catch {
        return reply.code(503).send({ status: 'unavailable' });
      }
    },
  );
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    webApp
      ? sendAppPage(reply)
      : reply.type('text/html; charset=utf-8').send(homePage({ version: VERSION, database: database.kind })),
  );

  // A change may have written webhook deliveries: let the worker look now rather than at its next poll.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && reply.statusCode < 300) opts.wakeDeliveries?.();
  });

  registerAccessRoutes(app, db);
  registerNetworkRoutes(app, db);
  registerCatalogRoutes(app, db, { wakeWorker: opts.wakeWorker });
  registerPromotionRoutes(app, db);
  registerJobRoutes(app, db, async (id) => (await network.getNodeById(db, id))?.path);
  registerStockRoutes(app, db);
  registerParametersRoutes(app, db);
  registerOrderRoutes(app, db);
  registerFulfilmentRoutes(app, db);
  registerFiscalRoutes(app, db);
  registerLiveOrderRoutes(app, db, orderChanges(database));
  registerIntegrationRoutes(app, db, { wakeDeliveries: opts.wakeDeliveries });
  return app;
}

/** Background job handlers by queue name. */
export function jobHandlers(_database: Database): Record<string, JobHandler> {
  return { [catalog.BULK_FLAGS_QUEUE]: catalog.runBulkFlags };
}
