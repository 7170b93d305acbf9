import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverBundle } from '../scripts/build-server.ts';
import { exited, start } from './process.ts';
import { waitFor } from './webhook-receiver.ts';

/**
 * Issue 19: `npm start -- --processes 2` on a fresh PostgreSQL database — the primary migrates and seeds
 * once, two processes share the port, one killed is started again while the other serves, SIGTERM stops
 * them all. Which process answered is read from the request logs (pino writes each line with its pid).
 */
describe.skipIf(!process.env.DATABASE_URL)(
  'npm start -- --processes 2 on a PostgreSQL server',
  // Real processes on a two-core machine shared with other work: allow minutes, not seconds.
  { timeout: 180_000 },
  () => {
    // vitest collects a skipped block's body too: without DATABASE_URL it must still construct.
    const admin = new URL(process.env.DATABASE_URL || 'postgres://127.0.0.1/skipped');
    const name = `omnihub_t_${randomBytes(6).toString('hex')}`;
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnihub-processes-'));
    let run: ReturnType<typeof start> | undefined;

    const sql = async <T extends object>(text: string): Promise<T[]> => {
      const client = new pg.Client({
        connectionString: (text.startsWith('create') || text.startsWith('drop') ? admin : url).toString(),
      });
      await client.connect();
      try {
        return (await client.query(text)).rows as T[];
      } finally {
        await client.end();
      }
    };

    beforeAll(async () => {
      // Empty: the primary migrates it and seeds the demo.
      await sql(`create database ${name}`);
    });
    afterAll(async () => {
      if (run && run.child.exitCode === null && run.child.signalCode === null) {
        const gone = exited(run.child);
        run.child.kill('SIGKILL');
        await gone;
      }
      await sql(`drop database if exists ${name} with (force)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    /** The serving processes: the primary's children running the server's bundle. */
    const processesOf = (pid: number): number[] =>
      fs
        .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
        .split(/\s+/)
        .filter(Boolean)
        .map(Number)
        .filter((child) => {
          try {
            return fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').includes(serverBundle);
          } catch {
            return false;
          }
        });

    /** GET /health on a connection of its own (cluster hands out connections, not requests): its status and pid. */
    const health = async (base: string): Promise<{ status: number; pid: number | undefined }> => {
      const id = randomUUID();
      const status = await new Promise<number>((resolve, reject) => {
        http
          .get(`${base}/health`, { agent: false, headers: { 'x-request-id': id } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          })
          .on('error', reject);
      });
      return { status, pid: await servedBy(id) };
    };
    const servedBy = async (requestId: string): Promise<number | undefined> => {
      let pid: number | undefined;
      await waitFor(async () => {
        for (const line of run!.output().split('\n')) {
          if (!line.includes(requestId) || !line.includes('request completed')) continue;
          pid = (JSON.parse(line) as { pid: number }).pid;
        }
        return pid !== undefined;
      }, `the log of request ${requestId}`);
      return pid;
    };
    /** Requests until each of `pids` has answered one; every answer is 200. */
    const servedByEach = async (base: string, pids: number[]) => {
      const seen = new Set<number>();
      for (let i = 0; i < 20 && !pids.every((p) => seen.has(p)); i++) {
        const { status, pid } = await health(base);
        expect(status).toBe(200);
        seen.add(pid!);
      }
      expect([...seen].sort()).toEqual([...pids].sort());
    };
    const count = (text: string, part: string) => text.split(part).length - 1;

    it('migrates and seeds once, serves from both, restarts a killed one and stops on SIGTERM', async () => {
      const started = Date.now();
      run = start(dataDir, { DATABASE_URL: url.toString(), LOG_LEVEL: 'info' }, ['--processes', '2']);
      const primary = run.child;
      const stopped = exited(primary);
      const base = await run.url;
      const ready = Date.now() - started;

      expect(count(run.output(), 'Omnihub is running at')).toBe(1);
      expect(run.output()).toContain('processes: 2 sharing the port');
      expect(count(run.output(), 'demo network seeded')).toBe(1);
      // One demo network and its four users (admin and one per store): the seed ran once, in the primary.
      expect(await sql<{ n: number }>(`select count(*)::int as n from nodes where kind = 'network'`)).toEqual(
        [{ n: 1 }],
      );
      expect(await sql<{ n: number }>('select count(*)::int as n from users')).toEqual([{ n: 4 }]);
      // The primary wrote the key file before forking: one key for both.
      expect(fs.readdirSync(dataDir)).toEqual(['secret.key']);

      const first = processesOf(primary.pid!);
      expect(first).toHaveLength(2);
      await servedByEach(base, first);

      const [killed, survivor] = first as [number, number];
      const killedAt = Date.now();
      process.kill(killed, 'SIGKILL');
      await waitFor(
        async () => run!.output().includes('an Omnihub process died (signal SIGKILL)'),
        'the death',
      );
      // Meanwhile the survivor serves every connection.
      for (let i = 0; i < 3; i++) expect(await health(base)).toEqual({ status: 200, pid: survivor });
      await waitFor(
        async () => run!.output().includes('the Omnihub process started again is serving'),
        'the restart',
        30_000,
      );
      const second = processesOf(primary.pid!);
      expect(second).toHaveLength(2);
      expect(second).toContain(survivor);
      expect(second).not.toContain(killed);
      await servedByEach(base, second);
      const restarted = Date.now() - killedAt;

      primary.kill('SIGTERM');
      expect(await stopped).toBe(0);
      for (const pid of second) expect(() => process.kill(pid, 0)).toThrow();
      expect(count(run.output(), '"msg":"shutting down"')).toBe(3);
      console.log(`2 processes served after ${ready} ms; a killed one served again after ${restarted} ms`);
    });
  },
);
