import * as audit from '../audit/service.ts';
import type { TargetPolicy } from '../integration/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { enqueue } from '../platform/jobs/service.ts';
import { decodeCursor, type Page, pageOf } from '../platform/pagination.ts';
import { type FieldError, validateSettings } from './adapters/index.ts';
import { interfaceCatalogue } from './catalogue.ts';
import {
  INTERFACE_RUN_QUEUE,
  type InterfaceAdapter,
  type InterfaceDirection,
  type InterfaceMethod,
  type RunOutcome,
  type RunTrigger,
} from './domain.ts';
import * as store from './interfaces-store.ts';
import { firstRun, MAX_SCHEDULE_MINUTES, parseCron } from './schedule.ts';

/**
 * Integration interfaces as configuration (issue 16 §1, seed 000 §5.3): each network's catalogue, its
 * schedules, on/off, the adapter that runs each one, "run now" and the run history. Network admins.
 */
export interface RunView {
  id: string;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string | null;
  outcome: RunOutcome;
  items: number;
  message: string | null;
  jobId: string | null;
}

export interface InterfaceView {
  code: number;
  name: string;
  system: string;
  direction: InterfaceDirection;
  method: InterfaceMethod;
  scheduleMinutes: number | null;
  cron: string | null;
  active: boolean;
  adapter: string;
  adapterSettings: Record<string, unknown>;
  nextRunAt: string | null;
  updatedAt: string;
  updatedBy: string | null;
  lastRun: RunView | null;
}

export interface InterfacePatch {
  active?: boolean;
  scheduleMinutes?: number | null;
  cron?: string | null;
  adapter?: InterfaceAdapter;
  adapterSettings?: Record<string, unknown>;
}

type Editor = Principal & audit.Who;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const runView = (r: store.RunRow): RunView => ({
  id: r.id,
  trigger: r.trigger,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  outcome: r.outcome,
  items: r.items,
  message: r.message,
  jobId: r.jobId,
});

const view = (r: store.InterfaceRow, lastRun?: store.RunRow): InterfaceView => ({
  code: r.code,
  name: r.name,
  system: r.system,
  direction: r.direction,
  method: r.method,
  scheduleMinutes: r.scheduleMinutes,
  cron: r.cron,
  active: r.active,
  adapter: r.adapter,
  adapterSettings: r.adapterSettings,
  nextRunAt: r.nextRunAt?.toISOString() ?? null,
  updatedAt: r.updatedAt.toISOString(),
  updatedBy: r.updatedBy,
  lastRun: lastRun ? runView(lastRun) : null,
});

/** Gives a network the catalogue's interfaces it lacks (the demo seed; lazily, the list). */
export async function seedInterfaces(db: Db, networkId: string, now = new Date()): Promise<number> {
  return store.insertCatalogue(db, networkId, interfaceCatalogue, (e) =>
    firstRun({ scheduleMinutes: e.scheduleMinutes, cron: null }, now),
  );
}

const notFound = (code: number) =>
  fail('not_found', 'CONNECTOR.INTERFACE_NOT_FOUND', `There is no interface ${code} in the network.`);

export async function listInterfaces(db: Db, viewer: Principal): Promise<InterfaceView[]> {
  if (!viewer.networkId) return [];
  let found = await store.listInterfaces(db, viewer.networkId);
  if (found.length === 0 && (await seedInterfaces(db, viewer.networkId)) > 0)
    found = await store.listInterfaces(db, viewer.networkId);
  const last = await store.lastRuns(db, viewer.networkId);
  return found.map((r) => view(r, last.get(r.id)));
}

export async function getInterface(db: Db, viewer: Principal, code: number): Promise<Result<InterfaceView>> {
  const row = viewer.networkId ? await store.findInterface(db, viewer.networkId, code) : undefined;
  if (!row) return notFound(code);
  const [last] = await store.runHistory(db, row.id, null, 1);
  return ok(view(row, last));
}

/** Field errors of a schedule change; the schedule it leaves (minutes and cron never both). */
function scheduleOf(
  row: store.InterfaceRow,
  patch: InterfacePatch,
): { errors: FieldError[]; scheduleMinutes: number | null; cron: string | null } {
  const errors: FieldError[] = [];
  if (patch.scheduleMinutes != null && patch.cron != null)
    errors.push({
      path: '/cron',
      code: 'CONNECTOR.SCHEDULE_TWICE',
      message: 'give either scheduleMinutes or cron, not both',
    });
  if (
    patch.scheduleMinutes != null &&
    !(patch.scheduleMinutes >= 1 && patch.scheduleMinutes <= MAX_SCHEDULE_MINUTES)
  )
    errors.push({
      path: '/scheduleMinutes',
      code: 'CONNECTOR.SCHEDULE_INVALID',
      message: `must be between 1 and ${MAX_SCHEDULE_MINUTES} minutes`,
    });
  if (patch.cron != null) {
    const parsed = parseCron(patch.cron);
    if (!parsed.ok) errors.push({ path: '/cron', code: 'CONNECTOR.CRON_INVALID', message: parsed.error });
  }
  // Setting one kind of schedule replaces the other; null clears it.
  const scheduleMinutes =
    patch.scheduleMinutes !== undefined
      ? patch.scheduleMinutes
      : patch.cron != null
        ? null
        : row.scheduleMinutes;
  const cron = patch.cron !== undefined ? patch.cron : patch.scheduleMinutes != null ? null : row.cron;
  return { errors, scheduleMinutes, cron };
}

export async function patchInterface(
  db: Db,
  editor: Editor,
  code: number,
  patch: InterfacePatch,
  opts: { targets: TargetPolicy; now?: Date },
): Promise<Result<InterfaceView>> {
  const now = opts.now ?? new Date();
  const root = editor.networkId ? await network.getNodeById(db, editor.networkId) : undefined;
  const row = root ? await store.findInterface(db, root.networkId, code) : undefined;
  if (!root || !row) return notFound(code);
  const schedule = scheduleOf(row, patch);
  const errors = [...schedule.errors];
  const adapter = patch.adapter ?? (row.adapter as InterfaceAdapter);
  const adapterChanged = patch.adapter !== undefined || patch.adapterSettings !== undefined;
  let adapterSettings = row.adapterSettings;
  if (adapterChanged) {
    const checked = await validateSettings(adapter, row.direction, patch.adapterSettings ?? {});
    if (checked.ok) adapterSettings = checked.settings;
    else errors.push(...checked.errors);
    // Private and loopback addresses only where OMNIHUB_WEBHOOK_ALLOW_HOSTS lets outbound calls go (an on-premises ERP).
    const refusal =
      checked.ok && adapter === 'http_json' && (await opts.targets.refusal(String(adapterSettings.url)));
    if (refusal)
      errors.push({ path: '/adapterSettings/url', code: 'CONNECTOR.URL_NOT_ALLOWED', message: refusal });
  }
  if (errors.length)
    return fail('invalid', 'CONNECTOR.INTERFACE_INVALID', 'The interface cannot be configured so.', {
      errors,
    });
  const scheduleChanged = schedule.scheduleMinutes !== row.scheduleMinutes || schedule.cron !== row.cron;
  return transaction(db, async (tx) => {
    const saved = await store.updateInterface(tx, row.id, {
      active: patch.active ?? row.active,
      scheduleMinutes: schedule.scheduleMinutes,
      cron: schedule.cron,
      adapter,
      adapterSettings,
      ...(scheduleChanged ? { nextRunAt: firstRun(schedule, now) } : {}),
      updatedBy: editor.name,
    });
    const shown = (r: store.InterfaceRow) => ({
      active: r.active,
      scheduleMinutes: r.scheduleMinutes,
      cron: r.cron,
      adapter: r.adapter,
      adapterSettings: r.adapterSettings,
    });
    await audit.record(tx, editor, audit.scopeOf(root), {
      action: 'integration_interface.changed',
      target: { type: 'integration_interface', id: String(code), label: `${code} ${row.name}` },
      before: shown(row),
      after: shown(saved),
    });
    const [last] = await store.runHistory(tx, row.id, null, 1);
    return ok(view(saved, last));
  });
}

/**
 * Runs an interface now (Executar agora): the run row and its job in one transaction, 409 while a run of it
 * is still going — one at a time, whoever started the other.
 */
export async function runInterfaceNow(
  db: Db,
  editor: Editor,
  code: number,
): Promise<Result<{ runId: string; jobId: string }>> {
  const row = editor.networkId ? await store.findInterface(db, editor.networkId, code) : undefined;
  if (!row) return notFound(code);
  return transaction(db, async (tx) => {
    const run = await store.startRun(tx, row.id, 'manual');
    if (!run)
      return fail(
        'conflict',
        'CONNECTOR.INTERFACE_RUNNING',
        `Interface ${code} is running; wait for it to end.`,
      );
    const job = await enqueue(
      tx,
      INTERFACE_RUN_QUEUE,
      { runId: run.id },
      {
        createdBy: editor.name,
        ownerNodeId: editor.networkId ?? undefined,
        maxAttempts: 3,
      },
    );
    await store.setRunJob(tx, run.id, job.id);
    return ok({ runId: run.id, jobId: job.id });
  });
}

export async function interfaceRuns(
  db: Db,
  viewer: Principal,
  code: number,
  q: { cursor?: string; limit?: number },
): Promise<Result<Page<RunView>>> {
  const row = viewer.networkId ? await store.findInterface(db, viewer.networkId, code) : undefined;
  if (!row) return notFound(code);
  const key = decodeCursor(q.cursor);
  if (!key.ok) return key;
  const after = key.value ? { startedAt: new Date(String(key.value[0])), id: String(key.value[1]) } : null;
  if (after && (Number.isNaN(after.startedAt.getTime()) || !UUID.test(after.id)))
    return fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
      errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
    });
  const limit = q.limit ?? 50;
  const found = await store.runHistory(db, row.id, after, limit + 1);
  const page = pageOf(found, limit, (r) => [r.startedAt.toISOString(), r.id]);
  return ok({ items: page.items.map(runView), nextCursor: page.nextCursor });
}
