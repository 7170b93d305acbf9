import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, defaultAuthorizer, jobHandlers, simulatorAuthorizer } from '../src/app.ts';
import { nuvemshopSender } from '../src/connector/nuvemshop/index.ts';
import * as connector from '../src/connector/service.ts';
import type { CarrierFor } from '../src/delivery/service.ts';
import * as delivery from '../src/delivery/service.ts';
import { DEMO_PASSWORD } from '../src/demo/seed.ts';
import {
  type Authorizer,
  type AuthorizerResolver,
  createSefazClient,
  type EndpointTable,
} from '../src/fiscal/authorizer/index.ts';
import { createTargetPolicy, type DeliveryWorker, startDeliveryWorker } from '../src/integration/service.ts';
import type { ChannelFor } from '../src/notifications/service.ts';
import type { CarrierWebhookFor } from '../src/orders/service.ts';
import {
  type Database,
  type DatabaseKind,
  type Db,
  openEmbedded,
  openServer,
} from '../src/platform/db/index.ts';
import type { App } from '../src/platform/http/server.ts';
import { startWorker, type Worker } from '../src/platform/jobs/service.ts';
import type { ReprocessHandlers } from '../src/platform/tickets/service.ts';
import { TEST_SECRET_KEY } from './secret-key.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated and demo-seeded embedded database, dumped once per run (see global-setup.ts). */
    embeddedTemplate: string;
    /** The same on the server (DATABASE_URL): the database each server-kind database is copied from. */
    serverTemplate: string;
  }
}

/**
 * The password tests give the users they create (the demo's `demo1234` is older than the password policy and
 * stays for the demo users only); `t.token(email)` signs those users in with it.
 */
export const TEST_PASSWORD = 'Omnihub-teste-2026!';
const isDemoUser = (email: string) => /^(admin|loja\d+)@demo\.local$/i.test(email);

/** The databases the integration suite runs against: always the embedded one, the server too with DATABASE_URL. */
export function databaseKinds(): DatabaseKind[] {
  return process.env.DATABASE_URL ? ['embedded', 'server'] : ['embedded'];
}

export interface TestApp {
  kind: DatabaseKind;
  app: App;
  database: Database;
  worker: Worker;
  /** Each store's authoriser, as the worker and the routes use it (the simulator, or SEFAZ per settings). */
  authorizers: AuthorizerResolver;
  /** The webhook delivery worker, with millisecond retries (see deliveryTestOptions). */
  deliveries: DeliveryWorker;
  /** Session token by e-mail (cached): a demo user, or one a test created with TEST_PASSWORD. */
  token(email: string): Promise<string>;
  request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    opts?: { auth?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** A fresh, migrated database with the demo network; the server kind gets a database of its own. */
export async function openTestDatabase(kind: DatabaseKind): Promise<Database> {
  if (kind === 'embedded') {
    const template = inject('embeddedTemplate');
    const database = await openEmbedded(undefined, new Blob([fs.readFileSync(template)]));
    await database.migrate();
    return database;
  }
  const admin = new URL(process.env.DATABASE_URL!);
  const name = `omnihub_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  // A copy of the run's migrated and seeded template (see global-setup.ts): no migrations, no argon2 per file.
  await client.query(`create database ${name} template ${inject('serverTemplate')}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openServer(url.toString(), 20);
  await database.migrate();
  const close = database.close;
  return {
    ...database,
    async close() {
      await close();
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Where the tests' webhook receivers listen (test/webhook-receiver.ts): the allow-list they need. */
export const RECEIVER_HOSTS = ['127.0.0.1'];

/**
 * Webhook retries in milliseconds instead of seconds, so tests see many attempts quickly; deliveries may go
 * to the receivers on 127.0.0.1.
 */
export const deliveryTestOptions = {
  pollMs: 50,
  baseDelayMs: 10,
  maxDelayMs: 200,
  timeoutMs: 2000,
  secretKey: TEST_SECRET_KEY,
  targets: createTargetPolicy({ allow: RECEIVER_HOSTS }),
};

export interface TestAppOptions {
  /** The clock of fiscal documents and of the SEFAZ simulator (to step past a cancellation window). */
  clock?: () => Date;
  /**
   * OMNIHUB_WEBHOOK_ALLOW_HOSTS of the app and its delivery worker; none by default, so webhooks may go to
   * public addresses only. Tests delivering to a local receiver pass RECEIVER_HOSTS.
   */
  webhookAllowHosts?: string[];
  /** The NATS server of interfaces bound to the `nats` adapter (OMNIHUB_NATS_URL); none by default. */
  natsUrl?: string;
  /**
   * Where stores set to `sefaz` send their documents: the endpoint table and trusted CAs of a local SEFAZ
   * (test/sefaz-server), and a short timeout so a hanging server is a quick fault.
   */
  sefaz?: { endpoints: EndpointTable; trustedCa: readonly string[]; timeoutMs?: number };
  /**
   * How long invoicing and cancelling wait for SEFAZ before answering 202 (the app's default, 15 s): tests
   * that keep SEFAZ down shorten it so each request does not wait it out.
   */
  fiscalAnswerWithinMs?: number;
  /** Wraps the SEFAZ simulator, to play what it cannot (an answer lost after SEFAZ authorised). */
  authorizer?: (simulator: Authorizer) => Authorizer;
  /**
   * Where messages go (by default no channel is live: they end `not_sent`), where their links point, and the
   * retries' first delay (tests pass a few milliseconds).
   */
  notify?: { channelFor?: ChannelFor; publicUrl?: string; retryBaseMs?: number };
  /**
   * The carrier adapters of the carrier jobs: by default the stores' carrier accounts, as in production (a
   * test configures one pointing at test/correios-server or test/melhor-envio-server); fakes where a test
   * plays what those servers cannot.
   */
  carrierFor?: CarrierFor;
  /** The carrier accounts' webhooks of POST /carrier-events/{carrier}; by default the accounts', as in production. */
  carrierWebhookFor?: CarrierWebhookFor;
  /** The ticket reprocess handlers of the routes and the worker; by default the app's. */
  reprocessHandlers?: ReprocessHandlers<Db>;
}

export async function startTestApp(kind: DatabaseKind, opts: TestAppOptions = {}): Promise<TestApp> {
  const database = await openTestDatabase(kind);
  const sefaz = opts.sefaz;
  const resolver = defaultAuthorizer(database, opts.clock, {
    secretKey: TEST_SECRET_KEY,
    sefazClient: sefaz
      ? (store) =>
          createSefazClient({
            ...store,
            endpoints: sefaz.endpoints,
            trustedCa: sefaz.trustedCa,
            timeoutMs: sefaz.timeoutMs ?? 2000,
            clock: opts.clock,
            sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))),
          })
      : undefined,
  });
  // A test's wrapper around the simulator (to play what it cannot) serves every store instead.
  const authorizers = opts.authorizer ? opts.authorizer(simulatorAuthorizer(database, opts.clock)) : resolver;
  const worker = startWorker(
    database.db,
    jobHandlers(
      database,
      authorizers,
      { secretKey: TEST_SECRET_KEY, clock: opts.clock },
      opts.notify,
      {
        carrierFor:
          opts.carrierFor ??
          delivery.carrierFor(database.db, TEST_SECRET_KEY, { timeoutMs: 2000, labelRetryAfterMs: 50 }),
      },
      {
        secretKey: TEST_SECRET_KEY,
        vtexTimeoutMs: 2000,
        reprocessHandlers: opts.reprocessHandlers,
        interfaces: { natsUrl: opts.natsUrl },
      },
    ),
    { pollMs: 50 },
  );
  const webhookTargets = createTargetPolicy({ allow: opts.webhookAllowHosts ?? [] });
  const deliveries = startDeliveryWorker(database.db, {
    ...deliveryTestOptions,
    targets: webhookTargets,
    senders: {
      vtex: connector.vtexSender(database.db, TEST_SECRET_KEY, { timeoutMs: 2000 }),
      nuvemshop: nuvemshopSender(database.db, { secretKey: TEST_SECRET_KEY, timeoutMs: 2000 }),
    },
  });
  const app = await buildApp(database, {
    webhookTargets,
    logger: false,
    wakeWorker: worker.wake,
    wakeDeliveries: deliveries.wake,
    secretKey: TEST_SECRET_KEY,
    fiscalClock: opts.clock,
    fiscalAnswerWithinMs: opts.fiscalAnswerWithinMs,
    authorizers: resolver,
    channelFor: opts.notify?.channelFor,
    publicUrl: opts.notify?.publicUrl,
    carrierWebhookFor: opts.carrierWebhookFor ?? delivery.carrierWebhookFor(database.db, TEST_SECRET_KEY),
    reprocessHandlers: opts.reprocessHandlers,
  });
  await app.ready();
  const tokens = new Map<string, string>();
  const t: TestApp = {
    kind,
    app,
    database,
    worker,
    authorizers: resolver,
    deliveries,
    async token(email) {
      const cached = tokens.get(email);
      if (cached) return cached;
      const password = isDemoUser(email) ? DEMO_PASSWORD : TEST_PASSWORD;
      const res = await t.request('POST', '/api/v1/auth/login', { body: { email, password } });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(email, res.body.token);
      return res.body.token;
    },
    async request(method, url, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.auth) {
        headers.authorization = `Bearer ${opts.auth.includes('@') ? await t.token(opts.auth) : opts.auth}`;
      }
      const res = await t.app.inject({
        method,
        url,
        headers,
        ...(opts.body === undefined
          ? {}
          : typeof opts.body === 'string'
            ? { payload: opts.body, headers: { 'content-type': 'application/json', ...headers } }
            : { payload: opts.body as object }),
      });
      const type = String(res.headers['content-type'] ?? '');
      return {
        status: res.statusCode,
        body: type.includes('json') && res.body ? res.json() : res.body,
        headers: res.headers,
      };
    },
    async close() {
      await t.app.close();
      await Promise.all([t.worker.stop(), t.deliveries.stop()]);
      await database.close();
    },
  };
  return t;
}
