import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.ts';
import { exited, start } from './process.ts';

/**
 * Several Omnihub processes against one PostgreSQL server is how Omnihub scales: correctness must come
 * from the database (row locks, constraints), never from anything one process keeps in memory.
 */
describe.runIf(process.env.DATABASE_URL)(
  'two Omnihub processes sharing one PostgreSQL server',
  { timeout: 180_000 },
  () => {
    let t: TestApp;
    let other: ReturnType<typeof start>;
    let otherUrl: string;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-multi-'));

    beforeAll(async () => {
      t = await startTestApp('server');
      other = start(dataDir, { DATABASE_URL: t.database.location });
      otherUrl = await other.url;
    });
    afterAll(async () => {
      other?.child.kill('SIGTERM');
      if (other) await exited(other.child);
      await t?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const order = (i: number) => ({
      externalId: `multi-${i}`,
      storeCode: '11',
      deliveryType: 'pickup',
      customer: {
        name: `Cliente ${i}`,
        document: '52998224725',
        email: 'c@demo.local',
        phone: '11999990000',
      },
      items: [{ sku: 'CAL-002', quantity: 1, unitPrice: '199.90' }],
      payments: [{ method: 'pix', amount: '199.90' }],
      placedAt: new Date().toISOString(),
    });

    it('64 accepts racing for 10 units across both processes: exactly 10 accepted, never oversold', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 64; i++) {
        const res = await t.request('POST', '/api/v1/orders', { auth: 'demo-platform-key', body: order(i) });
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      const token = await t.token('loja11@demo.local');
      const statuses = await Promise.all(
        ids.map(async (id, i) => {
          if (i % 2 === 0)
            return (await t.request('POST', `/api/v1/orders/${id}/accept`, { auth: token })).status;
          const res = await fetch(`${otherUrl}/api/v1/orders/${id}/accept`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          });
          return res.status;
        }),
      );
      const count = (s: number) => statuses.filter((x) => x === s).length;
      expect({
        accepted: count(200),
        refused: count(409),
        other: statuses.length - count(200) - count(409),
      }).toEqual({
        accepted: 10,
        refused: 54,
        other: 0,
      });
      const stock = await t.request('GET', '/api/v1/stock?sku=CAL-002&storeCode=11', {
        auth: 'loja11@demo.local',
      });
      expect(stock.body.items[0]).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    });
  },
);
