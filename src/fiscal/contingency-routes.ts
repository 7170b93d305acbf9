import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { contingencyAlarms } from './contingency.ts';
import { fiscalDocumentStatuses } from './domain.ts';
import { Nullable } from './payloads.ts';
import { simulatorAvailability, switchSimulator } from './simulator-switch.ts';
import { contingencyDocuments, enterSvc, leaveSvc, modesFor, transmitNow } from './svc/index.ts';

export interface ContingencyRouteOptions {
  /** Wakes the in-process job worker once SEFAZ is back, so the waiting documents go now. */
  wakeWorker?: () => void;
  /** The installation's key the certificates are sealed with: NF-e are signed again in SVC. */
  secretKey: Buffer;
  clock?: () => Date;
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
  status: StringEnum(['contingency', 'rejected', 'denied'] as const),
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

const iso = (description?: string) =>
  Type.String({ format: 'date-time', ...(description ? { description } : {}) });
const SvcMode = Type.Object(
  {
    storeCode: Type.String(),
    storeName: Type.String(),
    state: StringEnum(['off', 'alarm', 'active'] as const, {
      description:
        'off; alarm: the state authoriser was found down and nobody confirmed SVC yet; active: NF-e are issued in SVC',
    }),
    authoriser: StringEnum(['SVC-AN', 'SVC-RS'] as const, {
      description: "the state's contingency authoriser",
    }),
    emissionType: Type.Integer({ description: 'tpEmis of the NF-e issued in it: 6 SVC-AN, 7 SVC-RS' }),
    raisedAt: Nullable(iso('when the authoriser was found down')),
    raisedBy: Nullable(Type.String({ description: 'the fault or status answer that raised it' })),
    since: Nullable(iso('dhCont: when the contingency started')),
    justification: Nullable(Type.String({ description: 'xJust of the NF-e issued in it' })),
    confirmedBy: Nullable(Type.String({ description: 'user id, or `system` (IN_CONTINGENCIA_SVC_AUTO)' })),
    confirmedByName: Nullable(Type.String({ description: 'their name, or `system`' })),
    endedAt: Nullable(iso()),
    endedBy: Nullable(Type.String()),
    endedByName: Nullable(Type.String()),
    endReason: Nullable(Type.String()),
  },
  { $id: 'FiscalSvcMode' },
);
const SvcModes = Type.Object({ items: Type.Array(SvcMode) });
const EnterBody = Type.Object(
  {
    storeCode: Type.String({ minLength: 1, maxLength: 40 }),
    justification: Type.String({ description: 'xJust of the NF-e issued in SVC: 15 to 256 characters' }),
  },
  { additionalProperties: false },
);
const LeaveQuery = Type.Object(
  {
    storeCode: Type.String({ minLength: 1, maxLength: 40 }),
    reason: Type.String({ description: 'why the contingency ends: 5 to 500 characters' }),
  },
  { additionalProperties: false },
);
const Reconciliation = Type.Object({
  state: StringEnum(['not_sent', 'not_found', 'online_cancelled', 'failed'] as const, {
    description:
      'not_sent: the normal send never reached the state; not_found: the state holds no NF-e under the normal key; ' +
      'online_cancelled: the state had authorised it too, cancelled there (the SVC one stands); failed: see reason',
  }),
  at: iso(),
  protocol: Type.Optional(Type.String({ description: 'nProt of the cancellation of the normal key' })),
  reason: Type.Optional(Type.String()),
});
const ContingencyDocument = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    model: Type.Union([Type.Literal(55), Type.Literal(65)]),
    kind: StringEnum(['offline', 'svc'] as const, {
      description: 'offline: NFC-e tpEmis 9; svc: NF-e tpEmis 6/7',
    }),
    emissionType: Type.Integer(),
    series: Type.Integer(),
    number: Type.Integer(),
    accessKey: Type.String(),
    onlineAccessKey: Nullable(Type.String({ description: 'the key it had in normal emission' })),
    status: StringEnum(fiscalDocumentStatuses),
    storeCode: Type.String(),
    reference: Type.Object({ type: Type.String(), id: Type.String() }),
    contingencyAt: Nullable(iso()),
    deadline: Nullable(
      iso(
        'NFC-e: transmit within 24 h of emission; NF-e issued again in SVC: the 24 h in which a state authorisation of its normal key can still be cancelled',
      ),
    ),
    level: StringEnum(['ok', 'warning', 'overdue', 'rejected', 'done'] as const),
    lastError: Nullable(Type.String()),
    rejection: Nullable(Type.Object({ code: Type.Integer(), reason: Type.String() })),
    reconciliation: Nullable(Reconciliation),
  },
  { $id: 'FiscalContingencyDocument' },
);
const DocumentsQuery = Type.Object(
  {
    storeCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    state: Type.Optional(StringEnum(['pending', 'all'] as const, { default: 'pending' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);
const DocumentsPage = Type.Object({ items: Type.Array(ContingencyDocument), total: Type.Integer() });

/** The contingency: the NFC-e alarm, the NF-e SVC mode per store, the panel's documents, the simulator's switch. */
export function registerContingencyRoutes(app: App, db: Db, opts: ContingencyRouteOptions) {
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

  const deciders = ['network_admin', 'central_admin', 'store_manager'] as const;
  const deps = { secretKey: opts.secretKey, clock: opts.clock };

  app.get(
    '/api/v1/fiscal/contingency/svc',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The NF-e contingency in SVC of each store you see: off, alarm or active',
        description:
          'An `alarm` says the state authoriser was found down (a timeout, no connection, or NFeStatusServico4 108/109) ' +
          'and asks for a confirmation; `active` means new NF-e are issued in SVC (tpEmis 6 SVC-AN / 7 SVC-RS) with ' +
          '`since` as dhCont and `justification` as xJust.',
        response: { 200: SvcModes },
      },
    },
    async (req) => ({ items: await modesFor(db, principalOf(req)) }),
  );

  app.post(
    '/api/v1/fiscal/contingency/svc',
    {
      config: { access: [...deciders] },
      schema: {
        tags,
        summary: 'Enter the NF-e contingency in SVC for a store (confirms its alarm)',
        description:
          'From now on the store’s NF-e are issued in SVC (MOC 7.0 §3, NT 2013.007) with this justification; the NF-e ' +
          'whose send failed are issued again in SVC (same number, new key) and sent. 409 when already active. Audited.',
        body: EnterBody,
        response: { 200: SvcMode },
      },
    },
    async (req) => {
      const view = unwrap(await enterSvc(db, deps, principalOf(req), req.body as Static<typeof EnterBody>));
      opts.wakeWorker?.();
      return view;
    },
  );

  app.delete(
    '/api/v1/fiscal/contingency/svc',
    {
      config: { access: [...deciders] },
      schema: {
        tags,
        summary: 'Leave the NF-e contingency in SVC (or dismiss its alarm)',
        description:
          'New NF-e go to the state again. The NF-e issued again in SVC after a timeout are reconciled: their normal ' +
          'key is consulted at the state and, if the state authorised it too, cancelled there (the SVC one stands). Audited.',
        querystring: LeaveQuery,
        response: { 200: SvcMode },
      },
    },
    async (req) => {
      const view = unwrap(await leaveSvc(db, deps, principalOf(req), req.query as Static<typeof LeaveQuery>));
      opts.wakeWorker?.();
      return view;
    },
  );

  app.get(
    '/api/v1/fiscal/contingency/documents',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          'Documents in contingency: NFC-e offline (tpEmis 9) and NF-e in SVC (tpEmis 6/7), the closest deadline first',
        description:
          '`state=pending` (default): still sending, in contingency or rejected; `all` adds the settled ones.',
        querystring: DocumentsQuery,
        response: { 200: DocumentsPage },
      },
    },
    async (req) => {
      const q = req.query as Static<typeof DocumentsQuery>;
      return unwrap(
        await contingencyDocuments(db, principalOf(req), {
          storeCode: q.storeCode,
          state: q.state ?? 'pending',
          limit: q.limit ?? 20,
          offset: q.offset ?? 0,
        }),
      );
    },
  );

  app.post(
    '/api/v1/fiscal/contingency/documents/:id/transmit',
    {
      config: { access: [...deciders] },
      schema: {
        tags,
        summary: 'Transmit a document waiting for SEFAZ now ("transmitir agora")',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 202: Type.Object({ queued: Type.Boolean() }) },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const queued = unwrap(await transmitNow(db, principalOf(req), id));
      opts.wakeWorker?.();
      return reply.code(202).send(queued);
    },
  );
}
