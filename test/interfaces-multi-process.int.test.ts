import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, sql } from '../src/platform/db/sql.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { exited, start } from './process.ts';
import { waitFor } from './webhook-receiver.ts';

/**
 * Issue 16's acceptance: two Omnihub processes on one PostgreSQL, both ticking the interface scheduler, run
 * each scheduled interface once per period. The period is played by moving the interface's next time into
 * the past, several times over, while both processes tick every 50 ms.
 */
describe.runIf(process.env.DATABASE_URL)(
  'the interface scheduler across two Omnihub processes',
  { timeout: 180_000 },
  () => {
    let t: TestApp;
    const processes: ReturnType<typeof start>[] = [];
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-scheduler-')));

    beforeAll(async () => {
      t = await startTestApp('server');
      // Only interface 1100 (Cupom, every minute) comes due during the test.
      await t.database.db.execute(
        sql`update integration_interfaces set next_run_at = now() + interval '1 day'`,
      );
      for (const dir of dirs)
        processes.push(start(dir, { DATABASE_URL: t.database.location, OMNIHUB_SCHEDULER_TICK_MS: '50' }));
      await Promise.all(processes.map((p) => p.url));
    });
    afterAll(async () => {
      for (const p of processes) p.child.kill('SIGTERM');
      await Promise.all(processes.map((p) => exited(p.child)));
      await t?.close();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    const scheduledRuns = async () =>
      rows<{ outcome: string; message: string | null }>(
        t.database.db,
        sql`select r.outcome, r.message from interface_runs r
              join integration_interfaces i on i.id = r.interface_id
            where i.code = 1100 and r.trigger = 'schedule' order by r.started_at`,
      );

    it('each period of a scheduled interface runs exactly once though both processes tick', async () => {
      const periods = 6;
      for (let period = 1; period <= periods; period++) {
        await t.database.db.execute(
          sql`update integration_interfaces set next_run_at = now() - interval '1 second' where code = 1100`,
        );
        // Claimed: its next time moved a minute ahead; its run ended in one of the processes.
        await waitFor(async () => {
          const runs = await scheduledRuns();
          return runs.length >= period && runs.every((r) => r.outcome !== 'running');
        }, `period ${period}'s run`);
        // Both processes keep ticking over the claimed period: a second run would show up here.
        await new Promise((r) => setTimeout(r, 300));
      }
      const runs = await scheduledRuns();
      expect(runs).toHaveLength(periods);
      expect(runs.every((r) => r.outcome === 'skipped' && r.message === 'sem adaptador configurado')).toBe(
        true,
      );
      const [next] = await rows<{ ahead: number }>(
        t.database.db,
        sql`select extract(epoch from next_run_at - now())::int as ahead from integration_interfaces where code = 1100`,
      );
      expect(Number(next!.ahead)).toBeGreaterThan(30);
    });
  },
);
