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
});
