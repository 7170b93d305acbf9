import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('start-up flags', () => {
  it('defaults to 127.0.0.1:3000, ./data and the demo', () => {
    const c = loadConfig([], {});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 3000, demo: true, databaseUrl: undefined });
    expect(c.dataDir.endsWith('/data')).toBe(true);
  });
  it('takes flags over environment variables', () => {
    const c = loadConfig(['--port', '4000', '--data-dir', '/tmp/x', '--no-demo', '--host', '0.0.0.0'], {
      PORT: '5000',
      OMNIHUB_DATA_DIR: '/tmp/y',
      DATABASE_URL: 'postgres://h/db',
    });
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 4000,
      dataDir: '/tmp/x',
      demo: false,
      databaseUrl: 'postgres://h/db',
    });
  });
  it('reads PORT and OMNIHUB_DATA_DIR', () => {
    expect(loadConfig([], { PORT: '5000', OMNIHUB_DATA_DIR: '/tmp/y' })).toMatchObject({
      port: 5000,
      dataDir: '/tmp/y',
    });
  });
  it('refuses a bad port and unknown flags', () => {
    expect(() => loadConfig(['--port', 'abc'], {})).toThrow(/port/);
    expect(() => loadConfig(['--frobnicate'], {})).toThrow();
  });
  it('reads where e-mail goes and where links point', () => {
    expect(loadConfig([], {})).toMatchObject({
      smtpUrl: undefined,
      mailFrom: undefined,
      publicUrl: 'http://127.0.0.1:3000',
    });
    expect(loadConfig(['--host', '0.0.0.0', '--port', '8080'], {}).publicUrl).toBe('http://127.0.0.1:8080');
    expect(
      loadConfig([], {
        OMNIHUB_SMTP_URL: 'smtp://127.0.0.1:2525',
        OMNIHUB_MAIL_FROM: 'Loja <avisos@loja.com.br>',
        OMNIHUB_PUBLIC_URL: 'https://omnihub.loja.com.br/',
      }),
    ).toMatchObject({
      smtpUrl: 'smtp://127.0.0.1:2525',
      mailFrom: 'Loja <avisos@loja.com.br>',
      publicUrl: 'https://omnihub.loja.com.br',
    });
    expect(() => loadConfig([], { OMNIHUB_PUBLIC_URL: 'omnihub.local' })).toThrow(/OMNIHUB_PUBLIC_URL/);
    expect(() => loadConfig([], { OMNIHUB_PUBLIC_URL: 'ftp://x' })).toThrow(/http/);
  });

  it("reads the stock feed publisher's lease and backoff ceiling, leaving its defaults when unset", () => {
    expect(loadConfig([], {})).toMatchObject({
      stockFeedLeaseMs: undefined,
      stockFeedMaxBackoffMs: undefined,
    });
    expect(
      loadConfig([], { OMNIHUB_STOCK_FEED_LEASE_MS: '2000', OMNIHUB_STOCK_FEED_MAX_BACKOFF_MS: '1000' }),
    ).toMatchObject({ stockFeedLeaseMs: 2000, stockFeedMaxBackoffMs: 1000 });
    expect(() => loadConfig([], { OMNIHUB_STOCK_FEED_LEASE_MS: '0' })).toThrow(/OMNIHUB_STOCK_FEED_LEASE_MS/);
    expect(() => loadConfig([], { OMNIHUB_STOCK_FEED_MAX_BACKOFF_MS: '1s' })).toThrow(
      /OMNIHUB_STOCK_FEED_MAX_BACKOFF_MS/,
    );
  });

  it('reads how many processes serve, and refuses more than one on the embedded database', () => {
    const server = { DATABASE_URL: 'postgres://h/db' };
    expect(loadConfig([], {}).processes).toBe(1);
    expect(loadConfig([], { OMNIHUB_PROCESSES: '' }).processes).toBe(1);
    expect(loadConfig(['--processes', '4'], server).processes).toBe(4);
    expect(loadConfig([], { ...server, OMNIHUB_PROCESSES: '3' }).processes).toBe(3);
    // The flag wins over the environment, as every flag does.
    expect(loadConfig(['--processes', '2'], { ...server, OMNIHUB_PROCESSES: '8' }).processes).toBe(2);
    // One process on the embedded database is what it always was.
    expect(loadConfig(['--processes', '1'], {}).processes).toBe(1);
    for (const bad of ['0', '-1', '1.5', 'two', '2x', ' '])
      expect(() => loadConfig([`--processes=${bad}`], server), bad).toThrow(/--processes.*whole number/);
    expect(() => loadConfig([], { ...server, OMNIHUB_PROCESSES: 'many' })).toThrow(/OMNIHUB_PROCESSES/);
    expect(() => loadConfig(['--processes', '2'], {})).toThrow(
      /--processes 2 needs a PostgreSQL server \(DATABASE_URL\).*PGlite/,
    );
    expect(() => loadConfig([], { OMNIHUB_PROCESSES: '2' })).toThrow(/DATABASE_URL/);
  });
});
