import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, start } from './process.ts';
import { TEST_SECRET_KEY } from './secret-key.ts';

// Real processes on a two-core machine running other test files at the same time: allow minutes, not seconds.
describe('npm start on the embedded database', { timeout: 180_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('seeds the demo, serves /health, prints the credentials, stops cleanly and reuses the data', async () => {
    const first = start(dataDir);
    const started = Date.now();
    const url = await first.url;
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    console.log(`first start served /health after ${Date.now() - started} ms`);
    expect(first.output()).toContain('demo network seeded');
    expect(first.output()).toContain('demo-platform-key');
    expect(first.output()).toContain('loja11@demo.local');

    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.local', password: 'demo1234' }),
    });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${url}/api/v1/nodes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        parentCode: 'SUL',
        kind: 'store',
        code: '77',
        name: 'Loja 77',
        legalName: 'L77',
        cnpj: '11444777000161',
      }),
    });
    expect(created.status).toBe(201);

    const second = start(dataDir);
    await expect(second.url).rejects.toThrow(/in use by process/);

    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'omnihub.lock'))).toBe(false);

    const third = start(dataDir);
    const url3 = await third.url;
    expect(third.output()).toContain('demo network already present');
    const node = await fetch(`${url3}/api/v1/nodes/77`, { headers: { authorization: `Bearer ${token}` } });
    expect(node.status).toBe(200);
    third.child.kill('SIGINT');
    expect(await exited(third.child)).toBe(0);
  });
});

describe.runIf(process.env.DATABASE_URL)('npm start on the PostgreSQL server', { timeout: 180_000 }, () => {
  it('runs on the server named by DATABASE_URL and leaves the data dir untouched', async () => {
    const { openTestDatabase } = await import('./harness.ts');
    // A fresh database of its own, migrated and seeded by the harness; the process finds it ready.
    const database = await openTestDatabase('server');
    const url = (database.location as string).replace('***', '');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-start-pg-'));
    try {
      // The key the harness sealed the demo certificates with: a server deployment names its key.
      const run = start(dataDir, { DATABASE_URL: url, OMNIHUB_SECRET_KEY: TEST_SECRET_KEY.toString('hex') });
      const base = await run.url;
      expect(run.output()).toContain(`database: ${url.split('@')[0]}`);
      expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
      const stock = await fetch(`${base}/api/v1/stock?sku=CAL-002&storeCode=11`, {
        headers: { authorization: 'Bearer demo-platform-key' },
      });
      expect(((await stock.json()) as { items: unknown[] }).items).toEqual([
        { sku: 'CAL-002', storeCode: '11', available: 10 },
      ]);
      expect(fs.readdirSync(dataDir)).toEqual([]);
      run.child.kill('SIGTERM');
      expect(await exited(run.child)).toBe(0);
    } finally {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
