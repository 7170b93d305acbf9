/**
 * Issue 16's scheduler: what one tick costs a process. Seeds the demo network, then copies its interface
 * catalogue until there are ~57,000 interfaces (a thousand networks' worth), and times a tick that finds
 * nothing due (every process's usual tick, every 15 s) and one that claims 1,000 due interfaces at once
 * (starting their runs and enqueueing their jobs in the same transaction).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { runDueInterfaces } from '../src/connector/service.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { Database } from '../src/platform/db/index.ts';
import { rows, sql } from '../src/platform/db/sql.ts';

export const SCHEDULER_BENCH = 'scheduler';
const COPIES = Number(process.env.BENCH_SCHEDULER_COPIES ?? 999);
const DUE = 1000;
const IDLE_TICKS = 50;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function benchScheduler(label: string, database: Database): Promise<void> {
  const { db } = database;
  await database.migrate();
  await seedDemo(db, { secretKey: randomBytes(32) });
  await db.execute(sql`
    insert into integration_interfaces (network_id, code, name, system, direction, method, schedule_minutes,
                                        active, adapter, next_run_at)
    select i.network_id, i.code + k * 100000, i.name, i.system, i.direction, i.method, i.schedule_minutes,
           i.active, 'none', now() + interval '1 hour'
    from integration_interfaces i, generate_series(1, ${COPIES}) k`);
  await db.execute(sql`update integration_interfaces set next_run_at = now() + interval '1 hour'
                       where next_run_at is not null`);
  const [{ total } = { total: 0 }] = await rows<{ total: number }>(
    db,
    sql`select count(*)::int as total from integration_interfaces`,
  );

  const idle: number[] = [];
  for (let i = 0; i < IDLE_TICKS; i++) {
    const started = performance.now();
    await runDueInterfaces(db);
    idle.push(performance.now() - started);
  }
  idle.sort((a, b) => a - b);

  // Bound to an adapter and active, so each due one starts a run and its job (no worker runs them here).
  await db.execute(sql`update integration_interfaces
                          set next_run_at = now() - interval '1 second', adapter = 'http_json', active = true
                       where id in (select id from integration_interfaces where schedule_minutes is not null
                                    order by code limit ${DUE})`);
  const started = performance.now();
  const claimed = await runDueInterfaces(db);
  const busy = performance.now() - started;
  console.log(
    `scheduler (${label}): ${total} interfaces — idle tick p50 ${pct(idle, 50).toFixed(1)} ms, p99 ${pct(idle, 99).toFixed(1)} ms; ` +
      `a tick starting ${claimed.started} runs (${DUE} due) ${busy.toFixed(0)} ms`,
  );
}
