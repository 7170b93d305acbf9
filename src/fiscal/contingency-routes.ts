import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { contingencyAlarms } from './contingency.ts';
import { Nullable } from './payloads.ts';
import { simulatorAvailability, switchSimulator } from './simulator-switch.ts';

export interface ContingencyRouteOptions {
  /** Wakes the in-process job worker once SEFAZ is back, so the waiting documents go now. */
  wakeWorker?: () => void;
}

const Simulator = Type.Object(
  {
    available: Type.Boolean({ description: 'false: the simulator plays SEFAZ unreachable' }),
    changedBy: Nullable(Type.String({ description: 'id of the user who switched it last' })),
    changedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'SefazSimulator' },
);
const SimulatorBody = Type.Object({ available: Type.Boolean() }, { additionalProperties: false });

const Level = StringEnum(['ok', 'warning', 'overdue', 'rejected'] as const, {
  description: 'ok; warning: less than 6 h left; overdue: past the 24 h; rejected: SEFAZ refused it',
});
const Alarm = Type.Object({
  id: Type.String({ format: 'uuid' }),
  model: Type.Literal(65),
  series: Type.Integer(),
  number: Type.Integer(),
  accessKey: Type.String({ description: 'the contingency key (tpEmis 9), the one transmitted' }),
  status: StringEnum(['contingency', 'rejected'] as const),
  storeCode: Type.String(),
  reference: Type.Object({ type: Type.String(), id: Type.String() }),
  contingencyAt: Type.String({ format: 'date-time', description: 'dhCont: when it was issued offline' }),
  transmitBy: Type.String({ format: 'date-time', description: 'deadline: emission + 24 h' }),
  level: Level,
  lastError: Nullable(Type.String({ description: 'the last transport fault met sending it' })),
  rejection: Nullable(Type.Object({ code: Type.Integer(), reason: Type.String() })),
});
const Contingency = Type.Object(
  {
    level: StringEnum(['none', 'ok', 'warning', 'overdue', 'rejected'] as const, {
      description: 'the worst among the items; none when nothing waits',
    }),
    items: Type.Array(Alarm),
  },
  { $id: 'FiscalContingency' },
);

/** The NFC-e contingency: its alarm, and the switch of the simulated SEFAZ. */
export function registerContingencyRoutes(app: App, db: Db, opts: ContingencyRouteOptions = {}) {
  const tags = ['fiscal'];

  app.get(
    '/api/v1/fiscal/contingency',
    {
      config: { access: [...backOffice, 'pos'] },
      schema: {
        tags,
        summary: 'NFC-e issued in offline contingency and not yet authorised, with their 24 h deadline',
        description:
          'The documents of the stores you see that SEFAZ has not authorised yet (status `contingency`), and ' +
          'those it refused after the contingency (`rejected`: the sale stands, the store must act). `level` ' +
          'warns when less than 6 h are left and when the deadline passed. Empty when nothing waits.',
        response: { 200: Contingency },
      },
    },
    async (req) => contingencyAlarms(db, principalOf(req)),
  );

  app.get(
    '/api/v1/fiscal/simulator',
    {
      config: { access: [...backOffice, 'pos'] },
      schema: {
        tags,
        summary: 'Whether the SEFAZ simulator answers or plays SEFAZ unreachable',
        response: { 200: Simulator },
      },
    },
    async () => simulatorAvailability(db),
  );

  app.put(
    '/api/v1/fiscal/simulator',
    {
      config: { access: ['network_admin'] },
      schema: {
        tags,
        summary: 'Switch the SEFAZ simulator: available, or unreachable (to show the NFC-e contingency)',
        description:
          'Unavailable, every call to the simulator fails at once like a refused connection: NFC-e are issued in ' +
          'offline contingency (tpEmis 9) and wait. Available again, the waiting documents are transmitted now. ' +
          'Kept in the database (survives a restart); audited. Only the demo’s simulator: a real SEFAZ is not switched.',
        body: SimulatorBody,
        response: { 200: Simulator },
      },
    },
    async (req) => {
      const { available } = req.body as Static<typeof SimulatorBody>;
      const view = unwrap(await switchSimulator(db, principalOf(req), available));
      if (available) opts.wakeWorker?.();
      return view;
    },
  );
}
