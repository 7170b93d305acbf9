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
import { inCluster, onStopRequest, reportListening, startCluster } from './platform/cluster.ts';
import { loadConfig } from './platform/config.ts';
import { type Database, openDatabase } from './platform/db/index.ts';
import { purgeIdempotencyKeys } from './platform/http/idempotency.ts';
import { webAppBuilt } from './platform/http/web-app.ts';
import { purgeFinishedJobs, startWorker } from './platform/jobs/service.ts';
import { loadSecretKey } from './platform/secret-key.ts';

const config = (() => {
  try {
    return loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`omnihub: ${(error as Error).message}`);
    console.error(
      'usage: npm start -- [--host H] [--port N] [--data-dir DIR] [--demo | --no-demo] [--processes N]',
    );
    process.exit(2);
  }
})();
const logger = pino({ level: config.logLevel });

try {
  if (inCluster()) await runInCluster();
  else if (config.processes > 1) await runPrimary();
  else await runAlone();
} catch (error) {
  logger.fatal({ err: error }, 'omnihub could not start');
  console.error(`omnihub could not start: ${(error as Error).message}`);
  process.exit(1);
}

/** One process: prepares the database, serves, says where. */
async function runAlone() {
  const { database, secretKey, demo } = await prepare();
  // E-mail: OMNIHUB_SMTP_URL; in the demo without it, a local sink, so messages are sent (and shown) as in production.
  const sink = demo && !config.smtpUrl ? await startSmtpSink() : undefined;
  const smtpUrl = config.smtpUrl ?? sink?.url;
  const { url } = await serve(database, secretKey, smtpUrl, async () => {
    await sink?.close();
  });
  console.log(await banner(url, database, { sink, smtpUrl, demo }));
}

/**
 * `--processes N`: this process prepares the database once (migrations, the key file, the demo) and closes
 * it, then forks N processes that serve (runInCluster), restarts any that dies and stops them all on
 * SIGINT/SIGTERM. It holds the demo's SMTP sink, so there is one whichever process sends.
 */
async function runPrimary() {
  const { database, demo } = await prepare();
  const where = { kind: database.kind, location: database.location };
  await database.close();
  const sink = demo && !config.smtpUrl ? await startSmtpSink() : undefined;
  const smtpUrl = config.smtpUrl ?? sink?.url;
  const processes = startCluster({
    processes: config.processes,
    logger,
    env: sink ? { OMNIHUB_SMTP_URL: sink.url } : {},
  });
  // Longer than the processes' own grace (10 s) and the cluster's wait before it kills them (15 s).
  closeWithGrace({ delay: 20_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal, processes: config.processes }, 'shutting down');
    const cleanly = await processes.stop();
    await sink?.close();
    if (!cleanly) throw new Error('an Omnihub process did not stop cleanly');
  });
  let url: string;
  try {
    url = await processes.listening;
  } catch (error) {
    await processes.stop();
    await sink?.close();
    throw error;
  }
  console.log(await banner(url, where, { sink, smtpUrl, demo, processes: config.processes }));
}

/** One of `--processes N`: the primary prepared the database and wrote the key file; this one serves. */
async function runInCluster() {
  // Asked to stop while still starting: nothing is in flight yet.
  let stop: () => void = () => process.exit(0);
  onStopRequest(() => stop());
  const database = await openDatabase(config);
  const secretKey = loadSecretKey(config.dataDir, process.env);
  const served = await serve(database, secretKey, config.smtpUrl);
  stop = served.close;
  reportListening(served.url);
}

/** What is done once per database, before any process serves. */
async function prepare() {
  const database = await openDatabase(config);
  await database.migrate();
  // Read, or written on the first start: here, so a cluster's processes all read the one file.
  const secretKey = loadSecretKey(config.dataDir, process.env);
  if (config.databaseUrl && !process.env.OMNIHUB_SECRET_KEY)
    logger.warn(
      { file: `${config.dataDir}/secret.key` },
      'OMNIHUB_SECRET_KEY is not set: the stores’ certificates are sealed with a key kept in the data dir; give every process sharing this database the same OMNIHUB_SECRET_KEY',
    );
  // Not concurrently: two seeds would both find no users and the second would fail on the demo's codes.
  const demo = config.demo ? await seedDemo(database.db, { secretKey }) : undefined;
  // A malformed OMNIHUB_SEFAZ_ENDPOINTS or OMNIHUB_SEFAZ_CA stops the start here, not at a store's first NF-e.
  sefazConfiguration();
  return { database, secretKey, demo };
}

/**
 * Serves on the configured port: the routes, the background workers and timers (each made for several
 * processes sharing one database), and a graceful stop on SIGINT/SIGTERM or `close()`.
 */
async function serve(
  database: Database,
  secretKey: Buffer,
  smtpUrl: string | undefined,
  onClose: () => Promise<void> = async () => {},
): Promise<{ url: string; close: () => void }> {
  // One resolver for the worker and the routes: each store's simulator or SEFAZ client, cached once.
  const authorizers = defaultAuthorizer(database, undefined, { secretKey });
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

  let closing = false;
  const closer = closeWithGrace({ delay: 10_000, logger }, async ({ signal, err, manual }) => {
    closing = true;
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info(manual ? { asked: 'by the primary' } : { signal }, 'shutting down');
    clearInterval(purge);
    clearInterval(resendTimer);
    clearInterval(voidTimer);
    clearInterval(trackingTimer);
    clearInterval(schedulerTimer);
    clearInterval(foldTimer);
    await app.close();
    await Promise.all([worker.stop(), deliveries.stop(), stockFeed.stop()]);
    await onClose();
    await database.close();
  });

  const address = await app.listen({ host: config.host, port: config.port });
  return {
    url: address.replace('0.0.0.0', '127.0.0.1'),
    close: () => {
      if (!closing) closer.close();
    },
  };
}

/** The start-up text: where Omnihub is, its database, e-mail, stock feed and the demo's credentials. */
async function banner(
  url: string,
  database: Pick<Database, 'kind' | 'location'>,
  opts: {
    sink: { url: string } | undefined;
    smtpUrl: string | undefined;
    demo: { created: boolean } | undefined;
    processes?: number;
  },
): Promise<string> {
  const { sink, smtpUrl, demo } = opts;
  const lines = [
    '',
    `Omnihub is running at ${url}`,
    ...(opts.processes
      ? [`  processes: ${opts.processes} sharing the port (node:cluster; one that dies is started again)`]
      : []),
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
      '  demo API keys: demo-platform-key (e-commerce platform), demo-pos-11 (POS of store 11), demo-erp-key (ERP: finance reads, POS records)',
    );
  }
  return lines.join('\n');
}

/** The SMTP URL without its password, for the start-up text. */
function redactedSmtp(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
