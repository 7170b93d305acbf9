import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../../test/harness.ts';
import type { Database } from '../db/index.ts';
import { backoffMs, enqueue, getJob, purgeFinishedJobs, startWorker } from './service.ts';

const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
};

describe('backoff', () => {
  it('grows exponentially with jitter and stays capped', () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(1, () => 1)).toBe(1000);
    expect(backoffMs(4, () => 1)).toBe(8000);
    expect(backoffMs(30, () => 1)).toBe(600_000);
  });
});

describe.each(databaseKinds())('jobs on the %s database', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.close());

  it('exists only if the enqueueing transaction commits', async () => {
    const { db } = database;
    let id = '';
    await db
      .transaction(async (tx) => {
        id = (await enqueue(tx, 'test.rollback', {})).id;
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await getJob(db, id)).toBeUndefined();
  });

  it('runs a job, reports progress, and retries a failing one with backoff', async () => {
    const { db } = database;
    let calls = 0;
    const worker = startWorker(
      db,
      {
        'test.ok': async (ctx) => {
          await ctx.progress(3, 3);
          return { fine: true };
        },
        'test.flaky': async () => {
          calls++;
          throw new Error('partner down');
        },
      },
      { pollMs: 20 },
    );
    const ok = await enqueue(db, 'test.ok', { n: 1 });
    const flaky = await enqueue(db, 'test.flaky', {}, { maxAttempts: 2 });
    await until(async () => (await getJob(db, ok.id))?.status === 'done');
    expect(await getJob(db, ok.id)).toMatchObject({
      progressDone: 3,
      progressTotal: 3,
      result: { fine: true },
    });
    await until(
      async () =>
        (await getJob(db, flaky.id))?.attempts === 1 && (await getJob(db, flaky.id))?.status === 'queued',
    );
    const retried = (await getJob(db, flaky.id))!;
    expect(retried.lastError).toBe('partner down');
    expect(retried.runAt.getTime()).toBeGreaterThan(Date.now() + 100);
    await db.execute(sql`update jobs set run_at = now() where id = ${flaky.id}`);
    await until(async () => (await getJob(db, flaky.id))?.status === 'failed');
    expect(calls).toBe(2);
    await worker.stop();
  });

  it('purges finished jobs after their keeping time, never queued or running ones', async () => {
    const db = database.db;
    const [old, recent, waiting] = await Promise.all([
      enqueue(db, 'test.purge', {}),
      enqueue(db, 'test.purge', {}),
      enqueue(db, 'test.purge', {}),
    ]);
    await db.execute(
      sql`update jobs set status = 'done', finished_at = now() - interval '8 days' where id = ${old.id}`,
    );
    await db.execute(sql`update jobs set status = 'failed', finished_at = now() where id = ${recent.id}`);
    expect(await purgeFinishedJobs(db)).toBe(1);
    expect(await getJob(db, old.id)).toBeUndefined();
    expect(await getJob(db, recent.id)).toBeDefined();
    expect((await getJob(db, waiting.id))?.status).toBe('queued');
    await db.execute(sql`delete from jobs where queue = 'test.purge'`);
  });

  it('hands each job to exactly one of several workers', async () => {
    const { db } = database;
    const seen: string[] = [];
    const handler = async (ctx: { job: { id: string } }) => {
      seen.push(ctx.job.id);
      await new Promise((r) => setTimeout(r, 5));
    };
    const ids = [];
    for (let i = 0; i < 30; i++) ids.push((await enqueue(db, 'test.shared', { i })).id);
    const workers = [1, 2, 3].map(() => startWorker(db, { 'test.shared': handler }, { pollMs: 10 }));
    await until(async () => seen.length >= 30);
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all(workers.map((w) => w.stop()));
    expect(seen.sort()).toEqual(ids.sort());
  });
});
