import path from 'node:path';
import { parseArgs } from 'node:util';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  demo: boolean;
  logLevel: string;
  /**
   * --processes / OMNIHUB_PROCESSES: how many Omnihub processes serve the port (default 1). More than one needs
   * a PostgreSQL server: the embedded database is opened by one process only.
   */
  processes: number;
  /** OMNIHUB_WEBHOOK_ALLOW_HOSTS: on-premises webhook receivers (host names, addresses, CIDR blocks). */
  webhookAllowHosts: string[];
  /** OMNIHUB_SMTP_URL: where e-mail goes (smtp://host:port); unset: messages are recorded, not sent (the demo starts a sink). */
  smtpUrl: string | undefined;
  /** OMNIHUB_MAIL_FROM: the e-mails' From (default "Omnihub <nao-responda@omnihub.local>"). */
  mailFrom: string | undefined;
  /** OMNIHUB_PUBLIC_URL: where links in messages point (default http://<host>:<port>). */
  publicUrl: string;
  /** OMNIHUB_NATS_URL: the stock feed's NATS server (nats://host:4222); unset: the feed's outbox fills, unpublished. */
  natsUrl: string | undefined;
  /**
   * OMNIHUB_STOCK_FEED_LEASE_MS: how long the stock feed publisher's lease on a network lasts without renewal,
   * i.e. how long a dead process's network waits before another process publishes it (default 10 000).
   */
  stockFeedLeaseMs: number | undefined;
  /** OMNIHUB_STOCK_FEED_MAX_BACKOFF_MS: the ceiling of the publisher's retry delay while NATS is down (default 30 000). */
  stockFeedMaxBackoffMs: number | undefined;
}

/** Start-up flags (the README's Configuration table): flags win over environment variables, which win over defaults. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      demo: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      'log-level': { type: 'string' },
      processes: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const port = Number(values.port ?? env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid port: ${values.port ?? env.PORT}`);
  }
  const host = values.host ?? env.HOST ?? '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || undefined;
  const processes = processesOf(values.processes ?? (env.OMNIHUB_PROCESSES?.trim() || undefined));
  if (processes > 1 && !databaseUrl)
    throw new Error(
      `--processes ${processes} needs a PostgreSQL server (DATABASE_URL): the embedded database (PGlite) is opened by one process only`,
    );
  return {
    host,
    port,
    dataDir: path.resolve(values['data-dir'] ?? env.OMNIHUB_DATA_DIR ?? 'data'),
    databaseUrl,
    demo: values['no-demo'] ? false : (values.demo ?? env.OMNIHUB_DEMO !== '0'),
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
    processes,
    webhookAllowHosts: (env.OMNIHUB_WEBHOOK_ALLOW_HOSTS ?? '').split(/[\s,]+/).filter(Boolean),
    smtpUrl: env.OMNIHUB_SMTP_URL?.trim() || undefined,
    mailFrom: env.OMNIHUB_MAIL_FROM?.trim() || undefined,
    publicUrl: publicUrlOf(env.OMNIHUB_PUBLIC_URL, host, port),
    natsUrl: env.OMNIHUB_NATS_URL?.trim() || undefined,
    stockFeedLeaseMs: positiveMs(env, 'OMNIHUB_STOCK_FEED_LEASE_MS'),
    stockFeedMaxBackoffMs: positiveMs(env, 'OMNIHUB_STOCK_FEED_MAX_BACKOFF_MS'),
  };
}

/** How many processes serve: a whole number from 1; unset is 1. */
function processesOf(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(
      `Invalid --processes (OMNIHUB_PROCESSES): ${value}; a whole number of processes, 1 or more`,
    );
  return n;
}

/** An optional duration in milliseconds: unset or empty leaves the default; anything but a positive integer is refused. */
function positiveMs(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new Error(`${name} must be a positive number of milliseconds: ${value}`);
  return ms;
}

/** Links in messages must be absolute: OMNIHUB_PUBLIC_URL, or where this process listens. */
function publicUrlOf(configured: string | undefined, host: string, port: number): string {
  const value = configured?.trim();
  if (value) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`OMNIHUB_PUBLIC_URL is not a URL: ${value}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`OMNIHUB_PUBLIC_URL must be http:// or https://: ${value}`);
    return value.replace(/\/+$/, '');
  }
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
