import { jobHandlers } from '../src/app.ts';
import {
  type Authorizer,
  createDatabaseSimulatorStore,
  createSefazSimulator,
  SefazFault,
  type SefazFaultKind,
  type SimulatorRules,
} from '../src/fiscal/authorizer/index.ts';
import { startWorker } from '../src/platform/jobs/service.ts';
import type { TestApp } from './harness.ts';
import { TEST_SECRET_KEY } from './secret-key.ts';

/**
 * The database's SEFAZ simulator behind a script: rules it plays (a denial, a late authorisation) and
 * faults it meets, each either before the call (`unreachable`: nothing sent) or after SEFAZ processed it
 * (`timeout`, `unexpected_body`, `http_status`: the answer is lost). Counts the calls of each service.
 */
export function scriptedSefaz(t: TestApp) {
  const rule: { authorization?: SimulatorRules['authorization'] } = {};
  const simulator = createSefazSimulator({
    clock: () => new Date(),
    store: createDatabaseSimulatorStore(t.database.db),
    rules: { authorization: (nfe) => rule.authorization?.(nfe) },
  });
  const faults: { authorize: SefazFaultKind[]; registerEvent: SefazFaultKind[] } = {
    authorize: [],
    registerEvent: [],
  };
  const calls = { authorize: 0, consult: 0, registerEvent: 0 };
  async function faulty<T>(queue: SefazFaultKind[], service: string, call: () => Promise<T>): Promise<T> {
    const fault = queue.shift();
    if (fault === 'unreachable' || fault === 'tls') throw new SefazFault(fault, service, `${fault} (script)`);
    const answer = await call();
    if (fault) throw new SefazFault(fault, service, `${fault} after SEFAZ processed it (script)`);
    return answer;
  }
  const authorizer: Authorizer = {
    authorize(xml) {
      calls.authorize++;
      return faulty(faults.authorize, 'NFeAutorizacao4', () => simulator.authorize(xml));
    },
    registerEvent(xml) {
      calls.registerEvent++;
      return faulty(faults.registerEvent, 'NFeRecepcaoEvento4', () => simulator.registerEvent(xml));
    },
    consult(key, xml) {
      calls.consult++;
      return simulator.consult(key, xml);
    },
    voidRange: (xml) => simulator.voidRange(xml),
    status: (model) => simulator.status(model),
  };
  return { rule, faults, calls, authorizer };
}

/** Replaces the test app's worker by one asking `authorizer` (the routes poll the database for its answer). */
export async function useAuthorizer(t: TestApp, authorizer: Authorizer): Promise<void> {
  await t.worker.stop();
  t.worker = startWorker(t.database.db, jobHandlers(t.database, authorizer, { secretKey: TEST_SECRET_KEY }), {
    pollMs: 20,
  });
}
