/**
 * The sync administration (seed 000 §2 Taskmanager, the PDV monitoring screen): the intervals per data type
 * (LoteAgendamento) for the network and per store, and the pure rules the monitoring uses. The monitoring is
 * in admin-monitor.ts, the exceptions and refused uploads in admin-support.ts. One transaction per use case.
 */
import * as audit from '../../audit/service.ts';
import * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { fail, ok, type Result } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import * as store from './admin-store.ts';
import { type DataType, dataTypeOf, dataTypes, MAX_INTERVAL_MINUTES } from './domain.ts';

type Viewer = network.Viewer;
type Store = network.NetworkNode;
/** A type is stale once it missed two intervals, and never before this many minutes (interval 0: always due). */
const STALE_FLOOR_MINUTES = 10;
export const MINUTE = 60_000;

export type IntervalFrom = 'default' | 'network' | 'store';

export interface Effective {
  minutes: number;
  from: IntervalFrom;
}

/** The interval in force: the store's own, else the network's, else the domain's default. */
export function effectiveInterval(
  type: DataType,
  rows: readonly { storeId: string | null; dataType: string; minutes: number }[],
  storeId: string | null,
): Effective {
  const own = storeId ? rows.find((r) => r.dataType === type.code && r.storeId === storeId) : undefined;
  if (own) return { minutes: own.minutes, from: 'store' };
  const net = rows.find((r) => r.dataType === type.code && r.storeId === null);
  if (net) return { minutes: net.minutes, from: 'network' };
  return { minutes: type.minutes, from: 'default' };
}

/** When the store may advance its release of a type again (null: whenever it polls). */
export function nextAllowedAt(
  control: { lastDownloadAt: Date | null; fullLoadRequested: boolean } | undefined,
  minutes: number,
  exception: boolean,
): Date | null {
  if (exception || !control?.lastDownloadAt || control.fullLoadRequested) return null;
  return new Date(control.lastDownloadAt.getTime() + minutes * MINUTE);
}

/** Never downloaded, or nothing downloaded for twice its interval: the POS is likely not polling it. */
export function isStale(lastDownloadAt: Date | null | undefined, minutes: number, now: Date): boolean {
  if (!lastDownloadAt) return true;
  return now.getTime() - lastDownloadAt.getTime() > Math.max(2 * minutes, STALE_FLOOR_MINUTES) * MINUTE;
}

export const unknownType = (code: string) =>
  fail('not_found', 'POS.UNKNOWN_DATA_TYPE', `There is no POS data type ${code}.`, {
    data: { dataType: code },
  });

const who = (p: Principal) => `${p.kind}:${p.id}`;

export async function scopeOfNode(tx: Db, id: string) {
  const node = await network.getNodeById(tx, id);
  if (!node) throw new Error(`node ${id} is gone`);
  return audit.scopeOf(node);
}

// ---- intervals -------------------------------------------------------------------------------------------

export interface DataTypeView {
  dataType: string;
  seedName: string | null;
  seedMinutes: number | null;
  defaultMinutes: number;
  minutes: number;
  from: IntervalFrom;
  source: DataType['source'];
}

/** Every data type with its interval in force for the network, or for one store the viewer sees. */
export async function listDataTypes(
  db: Db,
  viewer: Viewer,
  storeCode?: string,
): Promise<Result<{ items: DataTypeView[] }>> {
  let storeId: string | null = null;
  if (storeCode) {
    const found = await network.findStore(db, viewer, storeCode);
    if (!found.ok) return found;
    storeId = found.value.id;
  }
  const rows = await store.intervals(db, viewer.networkId, storeId ? [storeId] : []);
  return ok({
    items: dataTypes.map((type) => ({
      dataType: type.code,
      seedName: type.seedName,
      seedMinutes: type.seedMinutes,
      defaultMinutes: type.minutes,
      ...effectiveInterval(type, rows, storeId),
      source: type.source,
    })),
  });
}

/** The store an interval change targets (null: the network), or why the editor may not change it. */
async function intervalTarget(db: Db, editor: Principal, storeCode?: string): Promise<Result<Store | null>> {
  if (storeCode) return network.findStore(db, editor, storeCode);
  // The network's interval reaches every central's stores: only the network's own admins set it.
  if (editor.nodeId !== editor.networkId)
    return fail(
      'forbidden',
      'POS.SYNC_NETWORK_INTERVAL_FORBIDDEN',
      'Only the network’s administrators change the network’s interval; send storeCode for one of your stores.',
    );
  return ok(null);
}

export async function setInterval(
  db: Db,
  editor: Principal,
  dataType: string,
  input: { minutes: number; storeCode?: string },
): Promise<Result<DataTypeView>> {
  const type = dataTypeOf(dataType);
  if (!type) return unknownType(dataType);
  if (!Number.isInteger(input.minutes) || input.minutes < 0 || input.minutes > MAX_INTERVAL_MINUTES)
    return fail('invalid', 'POS.SYNC_INTERVAL_INVALID', 'The interval is not valid.', {
      errors: [
        {
          path: '/minutes',
          code: 'POS.SYNC_INTERVAL_OUT_OF_RANGE',
          params: { minimum: 0, maximum: MAX_INTERVAL_MINUTES },
          message: `must be a whole number of minutes from 0 to ${MAX_INTERVAL_MINUTES}`,
        },
      ],
    });
  const target = await intervalTarget(db, editor, input.storeCode);
  if (!target.ok) return target;
  const storeId = target.value?.id ?? null;
  return transaction(db, async (tx) => {
    const before = await store.findInterval(tx, editor.networkId, storeId, type.code);
    await store.upsertInterval(tx, {
      networkId: editor.networkId,
      storeId,
      dataType: type.code,
      minutes: input.minutes,
      updatedBy: who(editor),
    });
    if (before?.minutes !== input.minutes)
      await audit.record(tx, editor, await scopeOfNode(tx, storeId ?? editor.networkId), {
        action: 'pos_sync_interval.updated',
        target: intervalTarget2(type, target.value),
        before: before ? { minutes: before.minutes } : null,
        after: { minutes: input.minutes },
      });
    return intervalView(tx, editor.networkId, type, storeId);
  });
}

/** Removes the store's own interval (back to the network's) or the network's (back to the default). */
export async function clearInterval(
  db: Db,
  editor: Principal,
  dataType: string,
  storeCode?: string,
): Promise<Result<DataTypeView>> {
  const type = dataTypeOf(dataType);
  if (!type) return unknownType(dataType);
  const target = await intervalTarget(db, editor, storeCode);
  if (!target.ok) return target;
  const storeId = target.value?.id ?? null;
  return transaction(db, async (tx) => {
    const before = await store.findInterval(tx, editor.networkId, storeId, type.code);
    if (before) {
      await store.deleteInterval(tx, before.id);
      await audit.record(tx, editor, await scopeOfNode(tx, storeId ?? editor.networkId), {
        action: 'pos_sync_interval.removed',
        target: intervalTarget2(type, target.value),
        before: { minutes: before.minutes },
        after: null,
      });
    }
    return intervalView(tx, editor.networkId, type, storeId);
  });
}

function intervalTarget2(type: DataType, storeNode: Store | null) {
  return {
    type: 'pos_sync_interval',
    id: storeNode ? `${storeNode.code}/${type.code}` : type.code,
    label: storeNode ? `${type.code} (loja ${storeNode.code})` : type.code,
  };
}

async function intervalView(
  tx: Db,
  networkId: string,
  type: DataType,
  storeId: string | null,
): Promise<Result<DataTypeView>> {
  const rows = await store.intervals(tx, networkId, storeId ? [storeId] : []);
  return ok({
    dataType: type.code,
    seedName: type.seedName,
    seedMinutes: type.seedMinutes,
    defaultMinutes: type.minutes,
    ...effectiveInterval(type, rows, storeId),
    source: type.source,
  });
}
