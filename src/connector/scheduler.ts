import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../platform/db/index.ts';
import { enqueue, type JobHandler } from '../platform/jobs/service.ts';
import { ticketRecorder } from '../platform/tickets/service.ts';
import { genericAdapters } from './adapters/index.ts';
import { buildDataset } from './datasets.ts';
import { INTERFACE_RUN_QUEUE, type InterfaceAdapter } from './domain.ts';
import * as store from './interfaces-store.ts';
import { nextRun } from './schedule.ts';

/**
 * The interface scheduler (issue 16 §2). Every process ticks (`OMNIHUB_SCHEDULER_TICK_MS`, 15 s by default);
 * a tick claims the interfaces whose time has come with a conditional UPDATE that moves their next time past
 * now — of several processes ticking at once exactly one gets each row back — and, in the same transaction,
 * starts a run and enqueues its job on the shared job queue. An interface whose previous run is still going
 * gets a `skipped` run instead of a second one.
 */
export const DEFAULT_TICK_MS = 15_000;

/** OMNIHUB_SCHEDULER_TICK_MS (tests tick faster); anything but a whole number of 10 ms or more is the default. */
export function schedulerTickMs(env: NodeJS.ProcessEnv): number {
  const value = Number(env.OMNIHUB_SCHEDULER_TICK_MS);
  return Number.isInteger(value) && value >= 10 ? value : DEFAULT_TICK_MS;
}

export async function runDueInterfaces(
  db: Db,
  now = new Date(),
  logger?: Pick<FastifyBaseLogger, 'info'>,
): Promise<{ started: number; skipped: number; recorded: number }> {
  return db.transaction(async (tx) => {
    const due = await store.claimDuePeriods(tx);
    for (const row of await store.dueCrons(tx)) {
      if (await store.claimCron(tx, row.id, nextRun(row, row.nextRunAt!, now))) due.push(row);
    }
    let started = 0;
    let recorded = 0;
    for (const row of due) {
      // An inactive interface, or one without an adapter, has nothing to run: its period is recorded here,
      // as the seed logs "inativa", without a job that would only say so.
      const idle = idleOutcome(row);
      if (idle) {
        if (idle.outcome === 'inactive') logger?.info({ interface: row.code }, idle.message);
        await store.recordRun(tx, { interfaceId: row.id, trigger: 'schedule', ...idle });
        recorded++;
        continue;
      }
      const run = await store.startRun(tx, row.id, 'schedule');
      if (!run) {
        await store.recordRun(tx, {
          interfaceId: row.id,
          trigger: 'schedule',
          outcome: 'skipped',
          message: 'a execução anterior ainda não terminou',
        });
        continue;
      }
      const job = await enqueue(tx, INTERFACE_RUN_QUEUE, { runId: run.id }, { maxAttempts: 3 });
      await store.setRunJob(tx, run.id, job.id);
      started++;
    }
    return { started, skipped: due.length - started - recorded, recorded };
  });
}

/** Why a run of this interface does nothing: it is inactive (seed 000 §5.3), or bound to no adapter. */
function idleOutcome(row: {
  code: number;
  active: boolean;
  adapter: string;
}): { outcome: 'inactive' | 'skipped'; message: string } | null {
  if (!row.active) return { outcome: 'inactive', message: `Interface ${row.code} inativa` };
  if (!genericAdapters[row.adapter as Exclude<InterfaceAdapter, 'none'>]) {
    return { outcome: 'skipped', message: 'sem adaptador configurado' };
  }
  return null;
}

export interface InterfaceRunDeps {
  /** OMNIHUB_NATS_URL; without it an interface bound to NATS fails its runs, saying why. */
  natsUrl?: string;
  logger?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
}

/**
 * The job of one run: an inactive interface records `inactive` and does nothing else (seed: "o processo
 * continua rodando … porém o código da mesma não é executado"); one without an adapter records `skipped`;
 * otherwise its adapter runs and the run ends `succeeded` or `failed` with the adapter's message. The job
 * itself never fails: the run row is the record, and a partner that is down is tried again next period.
 */
export function interfaceRunHandler(deps: InterfaceRunDeps = {}): JobHandler {
  const natsUrl = deps.natsUrl ?? process.env.OMNIHUB_NATS_URL?.trim() ?? undefined;
  return async ({ job, db }) => {
    const { runId } = job.payload as { runId: string };
    const run = await store.findRun(db, runId);
    if (run?.outcome !== 'running') return { runId, outcome: run?.outcome ?? 'gone' };
    const row = (await store.findInterfaceById(db, run.interfaceId))!;
    const idle = idleOutcome(row);
    if (idle) {
      if (idle.outcome === 'inactive') deps.logger?.info({ interface: row.code, runId }, idle.message);
      await store.finishRun(db, runId, { ...idle, items: 0 });
      return { runId, outcome: idle.outcome };
    }
    const adapter = genericAdapters[row.adapter as Exclude<InterfaceAdapter, 'none'>]!;
    try {
      const since = await store.lastSuccessStart(db, row.id);
      const result = await adapter({
        networkId: row.networkId,
        code: row.code,
        system: row.system,
        direction: row.direction,
        settings: row.adapterSettings,
        dataset: (source) => buildDataset(db, row.networkId, source, since),
        tickets: ticketRecorder(db, deps.logger),
        natsUrl,
      });
      await store.finishRun(db, runId, { outcome: 'succeeded', ...result });
      return { runId, outcome: 'succeeded', items: result.items };
    } catch (error) {
      const message = (error as Error).message;
      deps.logger?.warn({ interface: row.code, runId, err: error }, 'interface run failed');
      await store.finishRun(db, runId, { outcome: 'failed', items: 0, message });
      return { runId, outcome: 'failed' };
    }
  };
}

export const interfaceJobHandlers = (deps: InterfaceRunDeps = {}): Record<string, JobHandler> => ({
  [INTERFACE_RUN_QUEUE]: interfaceRunHandler(deps),
});

/** How long interface runs are kept (the history screen pages through them). */
export const INTERFACE_RUNS_KEPT_MS = 30 * 24 * 3_600_000;

export const purgeInterfaceRuns = (db: Db, keptMs = INTERFACE_RUNS_KEPT_MS) => store.purgeRuns(db, keptMs);
