import { and, eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/index.ts';
import { rows } from '../db/sql.ts';
import { jobs } from './schema.ts';

export type Job = typeof jobs.$inferSelect;

export interface JobContext {
  job: Job;
  db: Db;
  /** Records progress the client can poll and renews the job's lease; cheap, one UPDATE. */
  progress(done: number, total?: number): Promise<void>;
}

export type JobHandler = (ctx: JobContext) => Promise<unknown>;

/** Enqueue inside the caller's transaction, so the job exists if and only if the change committed. */
type EnqueueOptions = { createdBy?: string; ownerNodeId?: string; maxAttempts?: number; runAt?: Date };

/** The INSERT that enqueues a job, to send within a larger statement of the same transaction (a CTE). */
export function enqueueStatement(tx: Db, queue: string, payload: unknown, opts: EnqueueOptions = {}) {
  return tx.insert(jobs).values({
    queue,
    payload,
    createdBy: opts.createdBy,
    ownerNodeId: opts.ownerNodeId,
    maxAttempts: opts.maxAttempts ?? 5,
    runAt: opts.runAt ?? new Date(),
  });
}

export async function enqueue(
  tx: Db,
  queue: string,
  payload: unknown,
  opts: EnqueueOptions = {},
): Promise<Job> {
  const [job] = await enqueueStatement(tx, queue, payload, opts).returning();
  return job!;
}

/** How long a finished job stays readable (`GET /api/v1/jobs/{id}`, the screens' progress). */
export const FINISHED_JOBS_KEPT_MS = 7 * 24 * 3_600_000;

/** Deletes jobs done or failed longer ago than `keptMs`; queued and running ones are never touched. */
export async function purgeFinishedJobs(db: Db, keptMs = FINISHED_JOBS_KEPT_MS): Promise<number> {
  const purged = await rows<{ id: string }>(
    db,
    sql`delete from jobs where status in ('done', 'failed')
          and finished_at < now() - make_interval(secs => ${keptMs / 1000}) returning id`,
  );
  return purged.length;
}

/**
 * Whether a job of `queue` whose payload's `field` is `value` is queued or running. A sweep that queues work
 * "unless some is pending" asks again under the row's lock before enqueuing: another process may be
 * sweeping the same rows at the same moment (`--processes N` start their timers together).
 */
export async function jobPendingFor(db: Db, queue: string, field: string, value: string): Promise<boolean> {
  const found = await rows<{ id: string }>(
    db,
    sql`select id from jobs where queue = ${queue} and status in ('queued', 'running')
          and payload->>${field} = ${value} limit 1`,
  );
  return found.length > 0;
}

export async function getJob(db: Db, id: string): Promise<Job | undefined> {
  const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
  return job;
}

/**
 * Exponential backoff with jitter (between half and all of the step), capped at 10 minutes by default.
 * The jitter spreads retries of many failed items so they do not hit a recovering partner at once.
 */
export function backoffMs(
  attempt: number,
  random = Math.random,
  opts: { baseMs?: number; capMs?: number } = {},
): number {
  const cap = opts.capMs ?? 10 * 60_000;
  const base = Math.min(cap, (opts.baseMs ?? 1000) * 2 ** Math.min(40, Math.max(0, attempt - 1)));
  return Math.round(base / 2 + random() * (base / 2));
}

export interface WorkerOptions {
  pollMs?: number;
  leaseMs?: number;
  batch?: number;
  logger?: FastifyBaseLogger;
}

/**
 * Polls the jobs table and runs handlers. A job whose lease ran out (its process died) is claimed again.
 * Returns a stop function that waits for the running jobs to finish.
 */
export function startWorker(db: Db, handlers: Record<string, JobHandler>, opts: WorkerOptions = {}) {
  const pollMs = opts.pollMs ?? 500;
  const leaseMs = opts.leaseMs ?? 60_000;
  const queues = Object.keys(handlers);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function claim(): Promise<Job[]> {
    if (queues.length === 0) return [];
    const claimed = await rows<{ id: string }>(
      db,
      sql`update jobs set status = 'running', attempts = attempts + 1,
            locked_until = now() + make_interval(secs => ${leaseMs / 1000})
          where id in (
            select id from jobs
            where queue in (${sql.join(
              queues.map((q) => sql`${q}`),
              sql`, `,
            )})
              and ((status = 'queued' and run_at <= now()) or (status = 'running' and locked_until < now()))
            order by run_at
            limit ${opts.batch ?? 5}
            for update skip locked)
          returning id`,
    );
    if (claimed.length === 0) return [];
    return db
      .select()
      .from(jobs)
      .where(
        sql`${jobs.id} in (${sql.join(
          claimed.map((c) => sql`${c.id}`),
          sql`, `,
        )})`,
      );
  }

  async function run(job: Job) {
    const handler = handlers[job.queue]!;
    const ctx: JobContext = {
      job,
      db,
      // A job reporting progress is alive: its lease is renewed, so a long one (a reprocess of a thousand
      // tickets) is not claimed again by another poll while it still runs.
      progress: async (done, total) => {
        await db
          .update(jobs)
          .set({
            progressDone: done,
            ...(total === undefined ? {} : { progressTotal: total }),
            lockedUntil: new Date(Date.now() + leaseMs),
          })
          .where(eq(jobs.id, job.id));
      },
    };
    try {
      const result = await handler(ctx);
      await db
        .update(jobs)
        .set({ status: 'done', result: result ?? null, finishedAt: new Date(), lockedUntil: null })
        .where(and(eq(jobs.id, job.id), eq(jobs.status, 'running')));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = job.attempts >= job.maxAttempts;
      opts.logger?.warn({ jobId: job.id, queue: job.queue, attempt: job.attempts, err: error }, 'job failed');
      await db
        .update(jobs)
        .set(
          final
            ? { status: 'failed', lastError: message, finishedAt: new Date(), lockedUntil: null }
            : {
                status: 'queued',
                lastError: message,
                lockedUntil: null,
                runAt: new Date(Date.now() + backoffMs(job.attempts)),
              },
        )
        .where(eq(jobs.id, job.id));
    }
  }

  async function tick() {
    if (stopped) return;
    try {
      const claimed = await claim();
      await Promise.all(claimed.map(run));
      if (claimed.length > 0 && !stopped) {
        running = tick();
        return;
      }
    } catch (error) {
      opts.logger?.error({ err: error }, 'job worker poll failed');
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), pollMs);
  }

  running = tick();
  return {
    /** Polls now instead of waiting for the next interval (used after enqueueing from this process). */
    wake() {
      if (stopped || !timer) return;
      clearTimeout(timer);
      timer = undefined;
      running = tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type Worker = ReturnType<typeof startWorker>;
