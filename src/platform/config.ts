import path from 'node:path';
import { parseArgs } from 'node:util';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  demo: boolean;
  logLevel: string;
  /** OMNIHUB_WEBHOOK_ALLOW_HOSTS: on-premises webhook receivers (host names, addresses, CIDR blocks). */
  webhookAllowHosts: string[];
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
    },
    allowPositionals: true,
    strict: true,
  });
  const port = Number(values.port ?? env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid port: ${values.port ?? env.PORT}`);
  }
  return {
    host: values.host ?? env.HOST ?? '127.0.0.1',
    port,
    dataDir: path.resolve(values['data-dir'] ?? env.OMNIHUB_DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    demo: values['no-demo'] ? false : (values.demo ?? env.OMNIHUB_DEMO !== '0'),
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
    webhookAllowHosts: (env.OMNIHUB_WEBHOOK_ALLOW_HOSTS ?? '').split(/[\s,]+/).filter(Boolean),
  };
}
