import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import * as access from './access/service.ts';
import { buildApp, defaultAuthorizer, jobHandlers } from './app.ts';
import { nuvemshopSender } from './connector/nuvemshop/index.ts';
import * as connector from './connector/service.ts';
import { startStockFeed } from './connector/stock-feed/index.ts';
import * as delivery from './delivery/service.ts';
import { seedDemo } from './demo/seed.ts';
import { startSmtpSink } from './demo/smtp-sink.ts';
import { resendStuck, sefazConfiguration } from './fiscal/authorizer/index.ts';
import { resendStuckRanges, voidAgedGaps } from './fiscal/numbering/index.ts';
import * as fiscal from './fiscal/service.ts';
import { reviveStatusChecks } from './fiscal/svc/index.ts';
import { createTargetPolicy, startDeliveryWorker } from './integration/service.ts';
import * as notifications from './notifications/service.ts';
import { whatsAppChannelFor } from './notifications/whatsapp/index.ts';
import { enqueueTrackingPolls, foldStatusCounts, TRACKING_POLL_MS } from './orders/service.ts';
import { loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/db/index.ts';
import { purgeIdempotencyKeys } from './platform/http/idempotency.ts';
import { webAppBuilt } from './platform/http/web-app.ts';
import { purgeFinishedJobs, startWorker } from './platform/jobs/service.ts';
import { loadSecretKey } from './platform/secret-key.ts';

const config = (() => {
  try {
    return loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`omnihub: ${(error as Error).message}`);
    console.error('usage: npm start -- [--host H] [--port N] [--data-dir DIR] [--demo | --no-demo]');
    process.exit(2);
  }
})();
const logger = pino({ level: config.logLevel });

try {
  const database = await openDatabase(config);
  await database.migrate();
  const secretKey = loadSecretKey(config.dataDir, process.env);
  if (config.databaseUrl && !process.env.OMNIHUB_SECRET_KEY)
    logger.warn(
      { file: `${config.dataDir}/secret.key` },
      'OMNIHUB_SECRET_KEY is not set: the stores’ certificates are sealed with a key kept in the data dir; give every process sharing this database the same OMNIHUB_SECRET_KEY',
    );
  const demo = config.demo ? await seedDemo(database.db, { secretKey }) : undefined;
  // A malformed OMNIHUB_SEFAZ_ENDPOINTS or OMNIHUB_SEFAZ_CA stops the start here, not at a store's first NF-e.
  sefazConfiguration();
  // One resolver for the worker and the routes: each store's simulator or SEFAZ client, cached once.
  const authorizers = defaultAuthorizer(database, undefined, { secretKey });
  // E-mail: OMNIHUB_SMTP_URL; in the demo without it, a local sink, so messages are sent (and shown) as in production.
  const sink = demo && !config.smtpUrl ? await startSmtpSink() : undefined;
  const smtpUrl = config.smtpUrl ?? sink?.url;
  const email = notifications.defaultChannelFor({ smtpUrl, mailFrom: config.mailFrom });
  // WhatsApp: each network's Cloud API account (Rede → WhatsApp); a network without one is not live.
  const whatsapp = whatsAppChannelFor(database.db, secretKey);
  const channelFor: notifications.ChannelFor = (networkId, channel) =>
    channel === 'whatsapp' ? whatsapp(networkId) : email(networkId, channel);
  const notify = { channelFor, secretKey, publicUrl: config.publicUrl };
  // Carriers: each store's carrier accounts (Transportadoras), one client per account for the process.
  const carriers = { carrierFor: delivery.carrierFor(database.db, secretKey) };
  const worker = startWorker(
    database.db,
    jobHandlers(database, authorizers, { secretKey }, notify, carriers, {
      secretKey,
      interfaces: { logger, natsUrl: config.natsUrl },
    }),
    { logger },
  );
  const webhookTargets = createTargetPolicy({ allow: config.webhookAllowHosts });
  const deliveries = startDeliveryWorker(database.db, {
    logger,
    secretKey,
    targets: webhookTargets,
    // The platforms' adapters tell them of their orders' changes through the same outbox.
    senders: {
      vtex: connector.vtexSender(database.db, secretKey),
      nuvemshop: nuvemshopSender(database.db, { secretKey }),
    },
  });
  // Stock changes of e-commerce products: to NATS JetStream (OMNIHUB_NATS_URL) and to each network's VTEX.
  const stockFeed = startStockFeed(database.db, {
    natsUrl: config.natsUrl,
    secretKey,
    logger,
    publisher: { leaseMs: config.stockFeedLeaseMs, maxBackoffMs: config.stockFeedMaxBackoffMs },
  });
  const app = await buildApp(database, {
    logger,
    wakeWorker: worker.wake,
    wakeDeliveries: deliveries.wake,
    secretKey,
    webhookTargets,
    authorizers,
    channelFor,
    publicUrl: config.publicUrl,
    carrierWebhookFor: delivery.carrierWebhookFor(database.db, secretKey),
  });
  const purge = setInterval(() => {
    purgeIdempotencyKeys(database.db).catch((err) => logger.warn({ err }, 'idempotency purge failed'));
    access
      .purgeLoginFailures(database.db)
      .catch((err) => logger.warn({ err }, 'login failures purge failed'));
    // Finished jobs and interface runs are history kept for a while, not forever: the scheduler alone adds
    // a run (and most often a job) per interface and period.
    purgeFinishedJobs(database.db)
      .then(() => connector.purgeInterfaceRuns(database.db))
      .catch((err) => logger.warn({ err }, 'jobs and interface runs purge failed'));
  }, 3_600_000).unref();
  // Fiscal documents (and voided ranges) whose job gave up while SEFAZ was unreachable are sent again.
  const resend = async () => {
    try {
      const sent =
        (await resendStuck(database.db)) +
        (await resendStuckRanges(database.db)) +
        (await reviveStatusChecks(database.db));
      if (sent === 0) return;
      logger.info({ documents: sent }, 'fiscal documents sent again');
      worker.wake();
    } catch (err) {
      logger.warn({ err }, 'fiscal resend failed');
    }
  };
  void resend();
  const resendTimer = setInterval(resend, 60_000).unref();
  // The night job of voiding (QT_DIAS_INUTILIZACAO_AUTO): looked at hourly, run in the 3 o'clock hour in
  // Brasília, when no store sells. Running it twice voids nothing twice: a voided gap is no gap.
  const voidAtNight = async () => {
    if (new Date(Date.now() - 3 * 3_600_000).getUTCHours() !== 3) return;
    try {
      const queued = await voidAgedGaps(database.db, { secretKey });
      if (queued === 0) return;
      logger.info({ ranges: queued }, 'old gaps of fiscal series sent to be voided');
      worker.wake();
    } catch (err) {
      logger.warn({ err }, 'night voiding failed');
    }
  };
  const voidTimer = setInterval(voidAtNight, 3_600_000).unref();
  // Carriers with an account are asked for the events of the shipments in transit (issue 15 §5); the jobs
  // call them, in batches per store and carrier. A round still queued or running is not doubled.
  const pollTracking = async () => {
    try {
      const queued = await enqueueTrackingPolls(database.db);
      if (queued > 0) worker.wake();
    } catch (err) {
      logger.warn({ err }, 'tracking polling failed');
    }
  };
  const trackingTimer = setInterval(pollTracking, TRACKING_POLL_MS).unref();
  // Integration interfaces whose time has come (issue 16 §2): every process ticks, the database hands each
  // period to one of them.
  const scheduleInterfaces = async () => {
    try {
      const { started } = await connector.runDueInterfaces(database.db, new Date(), logger);
      if (started > 0) worker.wake();
    } catch (err) {
      logger.warn({ err }, 'interface scheduler tick failed');
    }
  };
  const schedulerTimer = setInterval(scheduleInterfaces, connector.schedulerTickMs(process.env)).unref();
  // The queue's status counters: the changes appended since the last fold become per-day counts, so the
  // counters of a period keep reading a row per store, day and status (the changes are correct, only slower).
  const foldTimer = setInterval(() => {
    foldStatusCounts(database.db).catch((err) => logger.warn({ err }, 'status counts fold failed'));
  }, 60_000).unref();

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    clearInterval(purge);
    clearInterval(resendTimer);
    clearInterval(voidTimer);
    clearInterval(trackingTimer);
    clearInterval(schedulerTimer);
    clearInterval(foldTimer);
    await app.close();
    await Promise.all([worker.stop(), deliveries.stop(), stockFeed.stop()]);
    await sink?.close();
    await database.close();
  });

  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('0.0.0.0', '127.0.0.1');
  const lines = [
    '',
    `Omnihub is running at ${url}`,
    `  database: ${database.kind === 'embedded' ? `embedded PGlite in ${database.location}` : database.location}`,
    `  back office: ${url}/${webAppBuilt() ? '' : ' (not built: npm run build:web)'}`,
    `  API reference: ${url}/docs   health: ${url}/health`,
    sink
      ? `  e-mail: demo SMTP sink at ${sink.url} (accepts and discards; every message is in the Caixa de saída, ${url}/notifications)`
      : smtpUrl
        ? `  e-mail: sent through ${redactedSmtp(smtpUrl)}`
        : '  e-mail: OMNIHUB_SMTP_URL not set: messages are recorded in the Caixa de saída, not sent',
    config.natsUrl
      ? `  stock feed: published to NATS JetStream at ${config.natsUrl} (stream OMNIHUB_STOCK)`
      : '  stock feed: OMNIHUB_NATS_URL not set: stock changes wait in the outbox, unpublished',
  ];
  if (!(await fiscal.xmllintAvailable())) {
    lines.push(
      '  WARNING: xmllint is not installed (Debian and Ubuntu: apt-get install libxml2-utils); invoicing answers 503 until it is',
    );
  }
  if (demo) {
    lines.push(
      demo.created
        ? '  demo network seeded (DEMO → SUL → stores 11, 8, 3)'
        : '  demo network already present',
      '  demo users (password demo1234): admin@demo.local, loja11@demo.local, loja8@demo.local, loja3@demo.local',
      '  demo API keys: demo-platform-key (e-commerce platform), demo-pos-11 (POS of store 11), demo-erp-key (ERP, finance reads)',
    );
  }
  console.log(lines.join('\n'));
} catch (error) {
  logger.fatal({ err: error }, 'omnihub could not start');
  console.error(`omnihub could not start: ${(error as Error).message}`);
  process.exit(1);
}

/** The SMTP URL without its password, for the start-up text. */
function redactedSmtp(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
