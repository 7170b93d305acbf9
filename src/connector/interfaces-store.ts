import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { rows } from '../platform/db/sql.ts';
import type { CatalogueEntry } from './catalogue.ts';
import type { RunOutcome, RunTrigger } from './domain.ts';
import { integrationInterfaces, interfaceRuns } from './schema.ts';

export type InterfaceRow = typeof integrationInterfaces.$inferSelect;
export type RunRow = typeof interfaceRuns.$inferSelect;

/** Inserts the catalogue's interfaces a network lacks; an existing code is left as its admins set it. */
export async function insertCatalogue(
  db: Db,
  networkId: string,
  entries: readonly CatalogueEntry[],
  firstRunOf: (e: CatalogueEntry) => Date | null,
): Promise<number> {
  const inserted = await db
    .insert(integrationInterfaces)
    .values(entries.map((e) => ({ ...e, networkId, nextRunAt: firstRunOf(e) })))
    .onConflictDoNothing()
    .returning({ id: integrationInterfaces.id });
  return inserted.length;
}

export async function listInterfaces(db: Db, networkId: string): Promise<InterfaceRow[]> {
  return db
    .select()
    .from(integrationInterfaces)
    .where(eq(integrationInterfaces.networkId, networkId))
    .orderBy(integrationInterfaces.code);
}

export async function findInterface(
  db: Db,
  networkId: string,
  code: number,
): Promise<InterfaceRow | undefined> {
  const [row] = await db
    .select()
    .from(integrationInterfaces)
    .where(and(eq(integrationInterfaces.networkId, networkId), eq(integrationInterfaces.code, code)));
  return row;
}

export async function findInterfaceById(db: Db, id: string): Promise<InterfaceRow | undefined> {
  const [row] = await db.select().from(integrationInterfaces).where(eq(integrationInterfaces.id, id));
  return row;
}

export async function updateInterface(
  db: Db,
  id: string,
  patch: Partial<Omit<InterfaceRow, 'id' | 'networkId' | 'code'>>,
): Promise<InterfaceRow> {
  const [row] = await db
    .update(integrationInterfaces)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(integrationInterfaces.id, id))
    .returning();
  return row!;
}

/** The last run of each interface of a network (for the list). */
export async function lastRuns(db: Db, networkId: string): Promise<Map<string, RunRow>> {
  const found = await db
    .selectDistinctOn([interfaceRuns.interfaceId])
    .from(interfaceRuns)
    .innerJoin(integrationInterfaces, eq(integrationInterfaces.id, interfaceRuns.interfaceId))
    .where(eq(integrationInterfaces.networkId, networkId))
    .orderBy(interfaceRuns.interfaceId, desc(interfaceRuns.startedAt), desc(interfaceRuns.id));
  return new Map(found.map((r) => [r.interface_runs.interfaceId, r.interface_runs]));
}

/** When the interface's last successful run started: where an `orders` dataset starts from. */
export async function lastSuccessStart(db: Db, interfaceId: string): Promise<Date | null> {
  const [row] = await db
    .select({ startedAt: interfaceRuns.startedAt })
    .from(interfaceRuns)
    .where(and(eq(interfaceRuns.interfaceId, interfaceId), eq(interfaceRuns.outcome, 'succeeded')))
    .orderBy(desc(interfaceRuns.startedAt))
    .limit(1);
  return row?.startedAt ?? null;
}

/**
 * Newest first; keyset on (started_at, id). Runs are stamped with the process's clock (milliseconds), so the
 * cursor's time is the row's exact time.
 */
export async function runHistory(
  db: Db,
  interfaceId: string,
  after: { startedAt: Date; id: string } | null,
  limit: number,
): Promise<RunRow[]> {
  return db
    .select()
    .from(interfaceRuns)
    .where(
      and(
        eq(interfaceRuns.interfaceId, interfaceId),
        after
          ? or(
              lt(interfaceRuns.startedAt, after.startedAt),
              and(eq(interfaceRuns.startedAt, after.startedAt), lt(interfaceRuns.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(interfaceRuns.startedAt), desc(interfaceRuns.id))
    .limit(limit);
}

/**
 * Starts a run unless one is running: the partial unique index on `running` decides, so two processes (or a
 * schedule and a click) never both start one. Undefined when one was already running.
 */
export async function startRun(
  db: Db,
  interfaceId: string,
  trigger: RunTrigger,
): Promise<RunRow | undefined> {
  const [row] = await db
    .insert(interfaceRuns)
    .values({ interfaceId, trigger, outcome: 'running', startedAt: new Date() })
    .onConflictDoNothing({ target: interfaceRuns.interfaceId, where: sql`outcome = 'running'` })
    .returning();
  return row;
}

export async function recordRun(
  db: Db,
  run: { interfaceId: string; trigger: RunTrigger; outcome: RunOutcome; message: string },
): Promise<RunRow> {
  const [row] = await db
    .insert(interfaceRuns)
    .values({ ...run, startedAt: new Date(), finishedAt: new Date() })
    .returning();
  return row!;
}

export async function setRunJob(db: Db, runId: string, jobId: string): Promise<void> {
  await db.update(interfaceRuns).set({ jobId }).where(eq(interfaceRuns.id, runId));
}

export async function findRun(db: Db, id: string): Promise<RunRow | undefined> {
  const [row] = await db.select().from(interfaceRuns).where(eq(interfaceRuns.id, id));
  return row;
}

/** Ends a running run; a run already ended (a job run twice after a lost lease) stays as it ended. */
export async function finishRun(
  db: Db,
  id: string,
  end: { outcome: Exclude<RunOutcome, 'running'>; items: number; message: string | null },
): Promise<boolean> {
  const done = await db
    .update(interfaceRuns)
    .set({ ...end, message: end.message?.slice(0, 2000) ?? null, finishedAt: new Date() })
    .where(and(eq(interfaceRuns.id, id), eq(interfaceRuns.outcome, 'running')))
    .returning({ id: interfaceRuns.id });
  return done.length > 0;
}

/**
 * Claims the interfaces on a period whose time has come, in one conditional UPDATE: the row moves to the
 * first slot of its grid after now, so of two processes ticking at once exactly one gets it back.
 */
export async function claimDuePeriods(db: Db): Promise<InterfaceRow[]> {
  const claimed = await rows<{ id: string }>(
    db,
    sql`update integration_interfaces
          set next_run_at = next_run_at + make_interval(mins => schedule_minutes)
                * (floor(extract(epoch from now() - next_run_at) / (schedule_minutes * 60)) + 1)
        where next_run_at <= now() and schedule_minutes is not null
        returning id`,
  );
  return byIds(
    db,
    claimed.map((c) => c.id),
  );
}

/** Interfaces on a cron expression whose time has come (claimed one by one with `claimCron`). */
export async function dueCrons(db: Db): Promise<InterfaceRow[]> {
  return db
    .select()
    .from(integrationInterfaces)
    .where(sql`${integrationInterfaces.nextRunAt} <= now() and ${integrationInterfaces.cron} is not null`);
}

/**
 * Claims one cron interface: moves its next time, on the condition that it is still due — of two processes,
 * the second's UPDATE waits for the first's row lock, then finds it no longer due and moves nothing.
 */
export async function claimCron(db: Db, id: string, next: Date | null): Promise<boolean> {
  const moved = await db
    .update(integrationInterfaces)
    .set({ nextRunAt: next })
    .where(and(eq(integrationInterfaces.id, id), sql`${integrationInterfaces.nextRunAt} <= now()`))
    .returning({ id: integrationInterfaces.id });
  return moved.length > 0;
}

async function byIds(db: Db, ids: string[]): Promise<InterfaceRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(integrationInterfaces)
    .where(
      sql`${integrationInterfaces.id} in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
}

/** Deletes ended runs older than `keptMs`, keeping each interface's last run whatever its age. */
export async function purgeRuns(db: Db, keptMs: number): Promise<number> {
  const purged = await rows<{ id: string }>(
    db,
    sql`delete from interface_runs r
         where r.outcome <> 'running'
           and r.started_at < now() - make_interval(secs => ${keptMs / 1000})
           and r.id <> (select l.id from interface_runs l where l.interface_id = r.interface_id
                        order by l.started_at desc limit 1)
        returning r.id`,
  );
  return purged.length;
}
