import { randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { registerAccessRoutes } from './access/routes.ts';
import * as access from './access/service.ts';
import { registerAuditRoutes } from './audit/routes.ts';
import { registerPromotionRoutes } from './catalog/promotion-routes.ts';
import { registerCatalogRoutes } from './catalog/routes.ts';
import * as catalog from './catalog/service.ts';
import { registerInterfaceRoutes } from './connector/interfaces-routes.ts';
import {
  nuvemshopJobHandlers,
  registerNuvemshopRoutes,
  reprocessNuvemshopOrder,
} from './connector/nuvemshop/index.ts';
import { registerConnectorRoutes } from './connector/routes.ts';
import * as connector from './connector/service.ts';
import { registerTicketRoutes } from './connector/ticket-routes.ts';
import { registerCarrierAccountRoutes } from './delivery/carrier-routes.ts';
import { registerDeliveryRoutes } from './delivery/routes.ts';
import type { CarrierFor } from './delivery/service.ts';
import { registerClosingRoutes } from './finance/closing-routes.ts';
import { registerPaymentMethodRoutes } from './finance/payment-method-routes.ts';
import { registerFinanceRoutes } from './finance/routes.ts';
import {
  type Authorizer,
  type AuthorizerFor,
  type AuthorizerResolver,
  authorizerFor,
  createDatabaseSimulatorStore,
  createSefazClient,
  createSefazSimulator,
  fiscalJobHandlers,
  type SefazClientFactory,
} from './fiscal/authorizer/index.ts';
import { registerContingencyRoutes } from './fiscal/contingency-routes.ts';
import { registerFiscalDocumentRoutes } from './fiscal/document-routes.ts';
import { registerFiscalListingRoutes } from './fiscal/listing-routes.ts';
import { registerVoidingRoutes, voidingJobHandlers } from './fiscal/numbering/index.ts';
import { registerFiscalRoutes } from './fiscal/routes.ts';
import type * as fiscal from './fiscal/service.ts';
import { registerFiscalSettingsRoutes } from './fiscal/settings-routes.ts';
import { contingencyJobHandlers, onNfeFault } from './fiscal/svc/index.ts';
import { registerTransmissionRoutes } from './fiscal/transmission-routes.ts';
import { registerFulfilmentRoutes } from './fulfilment/routes.ts';
import { homePage } from './home.ts';
import { registerIntegrationRoutes } from './integration/routes.ts';
import { createTargetPolicy, type TargetPolicy } from './integration/service.ts';
import { registerNetworkRoutes } from './network/routes.ts';
import * as network from './network/service.ts';
import { registerNotificationRoutes } from './notifications/routes.ts';
import * as notifications from './notifications/service.ts';
import { registerWhatsAppRoutes } from './notifications/whatsapp/index.ts';
import { registerBatchRoutes } from './orders/batch-routes.ts';
import { registerOrderFinanceRoutes } from './orders/finance-routes.ts';
import { registerHandoverRoutes } from './orders/handover-routes.ts';
import { registerInvoicingRoutes } from './orders/invoicing-routes.ts';
import { orderChanges, registerLiveOrderRoutes } from './orders/live.ts';
import { registerOrderNotificationRoutes } from './orders/notification-routes.ts';
import { registerOrderRoutes } from './orders/routes.ts';
import * as orders from './orders/service.ts';
import { registerTrackingRoutes } from './orders/tracking-routes.ts';
import { registerParametersRoutes } from './parameters/routes.ts';
import { settled, startCaching, writesOf } from './platform/cache/index.ts';
import type { Database, Db } from './platform/db/index.ts';
import { registerIdempotency } from './platform/http/idempotency.ts';
import { createServer } from './platform/http/server.ts';
import { registerInboundTickets } from './platform/http/tickets.ts';
import { sendAppPage, webAppBuilt } from './platform/http/web-app.ts';
import { registerJobRoutes } from './platform/jobs/routes.ts';
import type { JobHandler } from './platform/jobs/service.ts';
import { type ReprocessHandlers, ticketRecorder } from './platform/tickets/service.ts';
import { registerEndlessAisleRoutes } from './pos/endless-aisle-routes.ts';
import { registerReturnRoutes } from './pos/returns/index.ts';
import { registerPosRoutes } from './pos/routes.ts';
import { registerPosSyncAdminRoutes } from './pos/sync/admin-routes.ts';
import { registerPosSyncRoutes } from './pos/sync/routes.ts';
import { POS_SALE_REFERENCE, posSaleHandlers, registerPosUploadRoutes } from './pos/uploads/index.ts';
import { registerReportRoutes } from './reports/routes.ts';
import { registerSplitRoutes } from './split/routes.ts';
import * as split from './split/service.ts';
import { registerStockRoutes } from './stock/routes.ts';

export const VERSION = '0.1.0';

/** Signs links when the caller gave no secret key (then they open nowhere else, which is what it asked for). */
const linkKeyOfThisProcess = randomBytes(32);

/**
 * What SEFAZ's answers do to the things fiscal documents are issued for: fiscal knows references, not
 * orders; each context that issues documents registers its handlers here.
 */
const fiscalReferences: fiscal.References = {
  [orders.ORDER_REFERENCE]: orders.invoicingHandlers,
  [split.STOCK_REQUEST_REFERENCE]: split.transferHandlers,
  [POS_SALE_REFERENCE]: posSaleHandlers,
};

export interface AppOptions {
  logger: boolean | { level: string } | FastifyBaseLogger;
  /** Caches API keys, stores, parameter values and products in this process (src/platform/cache); default on. */
  caching?: boolean;
  /** Lets routes that enqueue work wake the in-process worker at once. */
  wakeWorker?: () => void;
  /** Lets a webhook change send the waiting deliveries at once. */
  wakeDeliveries?: () => void;
  /** Seals and opens stored secrets (A1 certificates, CSCs): platform/secret-key.ts. */
  secretKey: Buffer;
  /** The clock fiscal documents are dated by (tests move it); the system clock by default. */
  fiscalClock?: () => Date;
  /** How long invoicing and cancelling wait for SEFAZ before answering 202 (default 15 s). */
  fiscalAnswerWithinMs?: number;
  /** Where webhook URLs may point (default: public addresses only). */
  webhookTargets?: TargetPolicy;
  /**
   * The authoriser each store's settings choose ("testar comunicação" asks it); by default
   * `defaultAuthorizer` with the secret key and `sefazClient`. Pass the worker's, so both share one cache.
   */
  authorizers?: AuthorizerResolver;
  /** Builds a store's SEFAZ web-service client (stores whose settings say `sefaz`). */
  sefazClient?: SefazClientFactory;
  /** How long "testar comunicação" waits for each model's answer (default 10 s). */
  communicationTimeoutMs?: number;
  /** How long a WhatsApp "Enviar teste" waits for the Cloud API (default 10 s). */
  whatsAppTestTimeoutMs?: number;
  /** How long a carrier account's "Testar" waits for the carrier (default 15 s). */
  carrierTimeoutMs?: number;
  /**
   * Each network's notification channels (the outbox's banner says which are off); by default none is live.
   * Pass the worker's (notifications.defaultChannelFor from OMNIHUB_SMTP_URL, plus WhatsApp).
   */
  channelFor?: notifications.ChannelFor;
  /** OMNIHUB_PUBLIC_URL: where the links in messages point (default http://127.0.0.1:3000). */
  publicUrl?: string;
  /**
   * The carrier accounts' webhooks by carrier code, for POST /carrier-events/{carrier} (the delivery
   * context's `carrierWebhookFor(db, secretKey)`); none by default: every carrier webhook is 401.
   */
  carrierWebhookFor?: orders.CarrierWebhookFor;
  /** The ticket reprocess handlers (tests pass fakes); by default `ticketReprocessHandlers`, as the worker's. */
  reprocessHandlers?: ReprocessHandlers<Db>;
  /**
   * A connector ticket per call of the platform API's order routes, the POS and the carrier webhooks (issue
   * 16 §3); on by default. Only bench/ turns it off, to measure what it costs.
   */
  inboundTickets?: boolean;
}

/** Where links in messages point when OMNIHUB_PUBLIC_URL is not set and nobody said otherwise. */
export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:3000';

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
  if (opts.caching !== false) {
    const caches = await startCaching(database);
    app.addHook('onClose', () => caches.stop());
    // A request during which this process wrote a cached table answers once the change's notification is
    // back (at most a second): by then every process listening has dropped what it held.
    const writesAtStart = new WeakMap<object, number>();
    app.addHook('onRequest', async (request) => {
      writesAtStart.set(request, writesOf(db));
    });
    // An answer of failure wrote nothing that will be notified (its transaction rolled back): no wait.
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode < 400 && writesOf(db) !== writesAtStart.get(request)) await settled(db);
      return payload;
    });
  }
  await app.register(rateLimit, { global: false });
  registerIdempotency(app, db);
  if (opts.inboundTickets !== false) registerInboundTickets(app, ticketRecorder(db, app.log));

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
  registerNetworkRoutes(app, db, { openWork: [orders.openWorkAt, split.openWorkAt] });
  registerAuditRoutes(app, db, async (viewer, code) => {
    const node = await network.getNode(db, viewer, code);
    return node.ok ? node.value.path : undefined;
  });
  registerCatalogRoutes(app, db, { wakeWorker: opts.wakeWorker });
  registerPromotionRoutes(app, db);
  registerJobRoutes(app, db, async (id) => (await network.getNodeById(db, id))?.path);
  registerStockRoutes(app, db);
  registerParametersRoutes(app, db);
  registerOrderRoutes(app, db);
  registerHandoverRoutes(app, db);
  registerTrackingRoutes(app, db, {
    carrierWebhookFor: opts.carrierWebhookFor ?? orders.noCarrierWebhooks,
    wakeWorker: opts.wakeWorker,
  });
  registerEndlessAisleRoutes(app, db);
  registerPosSyncAdminRoutes(app, db);
  registerReportRoutes(app, db);
  registerFulfilmentRoutes(app, db);
  registerDeliveryRoutes(app, db);
  registerCarrierAccountRoutes(app, db, {
    secretKey: opts.secretKey,
    carrierOptions: { timeoutMs: opts.carrierTimeoutMs },
  });
  const issuing = {
    secretKey: opts.secretKey,
    clock: opts.fiscalClock,
    wakeWorker: opts.wakeWorker,
    answerWithinMs: opts.fiscalAnswerWithinMs,
  };
  registerFiscalRoutes(app, db);
  const authorizers =
    opts.authorizers ??
    defaultAuthorizer(database, opts.fiscalClock, {
      secretKey: opts.secretKey,
      sefazClient: opts.sefazClient,
    });
  registerFiscalSettingsRoutes(app, db, {
    secretKey: opts.secretKey,
    authorizers,
    communicationTimeoutMs: opts.communicationTimeoutMs,
  });
  registerInvoicingRoutes(app, db, issuing);
  registerBatchRoutes(app, db);
  registerFiscalDocumentRoutes(app, db, { ...issuing, references: fiscalReferences });
  registerFiscalListingRoutes(app, db, { authorizerFor: authorizers, wakeWorker: opts.wakeWorker });
  registerContingencyRoutes(app, db, { ...issuing, wakeWorker: opts.wakeWorker });
  registerVoidingRoutes(app, db, issuing);
  registerTransmissionRoutes(app, db, issuing);
  registerSplitRoutes(app, db, issuing);
  registerReturnRoutes(app, db, { ...issuing, references: fiscalReferences });
  const changes = orderChanges(database);
  registerLiveOrderRoutes(app, db, changes);
  registerPosRoutes(app, db, { ...issuing, changes });
  registerPosUploadRoutes(app, db, issuing);
  registerPosSyncRoutes(app, db, { clock: opts.fiscalClock });
  registerNotificationRoutes(app, db, {
    channelFor: opts.channelFor ?? notifications.defaultChannelFor({}),
    wakeWorker: opts.wakeWorker,
  });
  registerOrderFinanceRoutes(app, db);
  registerFinanceRoutes(app, db, orders.financeOrderLabels);
  registerClosingRoutes(app, db);
  registerPaymentMethodRoutes(app, db);
  registerOrderNotificationRoutes(app, db, {
    secretKey: opts.secretKey,
    publicUrl: opts.publicUrl ?? DEFAULT_PUBLIC_URL,
  });
  registerConnectorRoutes(app, db);
  // The routes only ask which kinds have a handler; the worker's, built with every dependency, runs them.
  registerTicketRoutes(
    app,
    db,
    opts.reprocessHandlers ?? ticketReprocessHandlers(database, { secretKey: opts.secretKey }),
  );
  const platformRoutes = {
    secretKey: opts.secretKey,
    publicUrl: opts.publicUrl ?? DEFAULT_PUBLIC_URL,
    wakeWorker: opts.wakeWorker,
  };
  connector.registerVtexRoutes(app, db, platformRoutes);
  registerNuvemshopRoutes(app, db, platformRoutes);
  registerInterfaceRoutes(app, db, {
    wakeWorker: opts.wakeWorker,
    targets: opts.webhookTargets ?? createTargetPolicy(),
  });
  registerIntegrationRoutes(app, db, {
    wakeDeliveries: opts.wakeDeliveries,
    secretKey: opts.secretKey,
    targets: opts.webhookTargets ?? createTargetPolicy(),
  });
  registerWhatsAppRoutes(app, db, { secretKey: opts.secretKey, testTimeoutMs: opts.whatsAppTestTimeoutMs });
  return app;
}

/** The SEFAZ simulator, remembering what it authorised in the database so a restart does not forget it. */
export function simulatorAuthorizer(database: Database, clock: () => Date = () => new Date()): Authorizer {
  return createSefazSimulator({ clock, store: createDatabaseSimulatorStore(database.db) });
}

/**
 * Each store's authoriser as its fiscal settings choose it: the simulator, or (settings `sefaz`) a SEFAZ
 * client built by `sefazClient` from the store's certificate opened with `secretKey`.
 */
export function defaultAuthorizer(
  database: Database,
  clock: () => Date = () => new Date(),
  choice: { secretKey?: Buffer; sefazClient?: SefazClientFactory } = {},
): AuthorizerResolver {
  return authorizerFor(database.db, {
    simulator: simulatorAuthorizer(database, clock),
    secretKey: choice.secretKey,
    sefazClient: choice.sefazClient ?? createSefazClient,
  });
}

/**
 * Background job handlers by queue name. With `issuing` (the secret key the stores' certificates are
 * sealed with), an NFC-e that cannot reach SEFAZ is issued in offline contingency by the fiscal outbox.
 * `notify`: where messages go (by default no channel is live: they are recorded as not sent) and where their
 * links point.
 * `carriers.carrierFor` (the delivery context's `carrierFor(db, secretKey)`) gives the carrier jobs a store's
 * carrier adapter; none by default, so no carrier is called.
 */
/**
 * What the connector's jobs, senders and reprocessing need (issue 16): each adapter adds its own fields,
 * all optional, so tests and tools that pass nothing still build a worker.
 */
export interface ConnectorDeps {
  secretKey?: Buffer;
  /** Replaces the composed ticket reprocess handlers (tests pass fakes). */
  reprocessHandlers?: ReprocessHandlers<Db>;
  /** How long each VTEX call waits (default 10 s). */
  vtexTimeoutMs?: number;
  /** Per call to Nuvemshop's API (default 10 s). */
  nuvemshopTimeoutMs?: number;
  /** The interface runs' NATS server (OMNIHUB_NATS_URL) and where they log "Interface N inativa". */
  interfaces?: connector.InterfaceRunDeps;
}

/**
 * How each kind of connector ticket is re-run (Integrações → Tickets → Reprocessar): every context that
 * records tickets of a kind it can repeat registers the handler here; a kind without one is shown as not
 * reprocessable.
 */
export function ticketReprocessHandlers(
  _database: Database,
  deps: ConnectorDeps = {},
): ReprocessHandlers<Db> {
  const secretKey = deps.secretKey;
  const vtex = secretKey && { secretKey, timeoutMs: deps.vtexTimeoutMs };
  return {
    ...(vtex ? { [connector.VTEX_ORDER_TICKET]: connector.vtexReprocessHandler(vtex) } : {}),
    ...(secretKey
      ? {
          [connector.NUVEMSHOP_ORDER_TICKET]: reprocessNuvemshopOrder({
            secretKey,
            timeoutMs: deps.nuvemshopTimeoutMs,
          }),
        }
      : {}),
    'order.ingest': orders.reprocessIngest,
    'webhook.delivery': orders.reprocessDelivery,
  };
}

export function jobHandlers(
  database: Database,
  authorizer?: Authorizer | AuthorizerFor,
  issuing?: fiscal.IssuingDeps,
  notify: Partial<notifications.SendDeps> = {},
  carriers: { carrierFor?: CarrierFor } = {},
  connectorDeps: ConnectorDeps = {},
): Record<string, JobHandler> {
  // The platforms' credentials are sealed with the installation's key, which issuing carries too.
  const connectorKey = connectorDeps.secretKey ?? issuing?.secretKey;
  const authorizers =
    authorizer ?? defaultAuthorizer(database, issuing?.clock, { secretKey: issuing?.secretKey });
  const authorizerFor: AuthorizerFor =
    typeof authorizers === 'function' ? authorizers : async () => authorizers;
  return {
    [catalog.BULK_FLAGS_QUEUE]: catalog.runBulkFlags,
    ...fiscalJobHandlers(
      authorizers,
      fiscalReferences,
      issuing,
      issuing && ((db, each, id, fault) => onNfeFault(db, issuing, each, id, fault)),
    ),
    ...voidingJobHandlers(authorizers),
    ...notifications.notificationJobHandlers({
      ...notify,
      channelFor: notify.channelFor ?? notifications.defaultChannelFor({}),
      secretKey: notify.secretKey ?? issuing?.secretKey ?? linkKeyOfThisProcess,
      publicUrl: notify.publicUrl ?? DEFAULT_PUBLIC_URL,
    }),
    ...orders.carrierJobHandlers({ carrierFor: carriers.carrierFor ?? orders.noCarriers }),
    ...(issuing ? contingencyJobHandlers(authorizerFor, issuing) : {}),
    ...(issuing ? { [orders.INVOICE_BATCH_QUEUE]: orders.invoiceBatchHandler(issuing) } : {}),
    ...connector.connectorJobHandlers(
      connectorDeps.reprocessHandlers ??
        ticketReprocessHandlers(database, { ...connectorDeps, secretKey: connectorKey }),
    ),
    ...(connectorKey
      ? connector.vtexJobHandlers({ secretKey: connectorKey, timeoutMs: connectorDeps.vtexTimeoutMs })
      : {}),
    ...(connectorKey
      ? nuvemshopJobHandlers({ secretKey: connectorKey, timeoutMs: connectorDeps.nuvemshopTimeoutMs })
      : {}),
    ...connector.interfaceJobHandlers(connectorDeps.interfaces),
  };
}
