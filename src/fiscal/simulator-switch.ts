/**
 * The switch of the SEFAZ simulator (the demo's and the tests' authoriser): answering, or playing SEFAZ
 * unreachable so the NFC-e contingency can be shown. Kept in the simulator's database table; switching is
 * an administrative change, audited.
 */
import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Actor } from '../platform/http/access.ts';
import {
  createDatabaseSimulatorStore,
  type SimulatorAvailability,
  transmitContingencyNow,
} from './authorizer/index.ts';

/** Who switches the simulated SEFAZ: the network administrator (it is the whole installation's SEFAZ). */
export type SimulatorSwitcher = network.Viewer & audit.Who & { id: string; actor: Actor; networkId: string };

export interface SimulatorView {
  available: boolean;
  changedBy: string | null;
  changedAt: string | null;
}

const simulatorView = (a: SimulatorAvailability): SimulatorView => ({
  available: a.available,
  changedBy: a.changedBy,
  changedAt: a.changedAt?.toISOString() ?? null,
});

export async function simulatorAvailability(db: Db): Promise<SimulatorView> {
  return simulatorView(await createDatabaseSimulatorStore(db).availability());
}

/**
 * Makes the simulated SEFAZ answer or play unreachable, audited. Back to available, the contingency
 * documents waiting for their next try are transmitted now.
 */
export async function switchSimulator(
  db: Db,
  who: SimulatorSwitcher,
  available: boolean,
): Promise<Result<SimulatorView>> {
  if (who.actor !== 'network_admin')
    return fail(
      'forbidden',
      'FISCAL.SIMULATOR_ADMIN_ONLY',
      'Only the network administrator switches the simulated SEFAZ.',
    );
  const switched = await transaction(db, async (tx) => {
    const simulator = createDatabaseSimulatorStore(tx);
    const before = await simulator.availability();
    const after = await simulator.setAvailability(available, who.id);
    const [root] = await network.lineage(tx, who.networkId);
    if (root)
      await audit.record(tx, who, audit.scopeOf(root), {
        action: 'sefaz_simulator.switched',
        target: { type: 'sefaz_simulator', id: 'sefaz-simulator', label: 'SEFAZ simulada' },
        before: { available: before.available },
        after: { available: after.available },
      });
    return ok(simulatorView(after));
  });
  if (switched.ok && available) await transmitContingencyNow(db);
  return switched;
}
