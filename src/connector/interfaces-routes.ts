import { Type } from '@sinclair/typebox';
import type { TargetPolicy } from '../integration/service.ts';
import type { Db } from '../platform/db/index.ts';
import { principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import {
  interfaceAdapters,
  interfaceDirections,
  interfaceMethods,
  runOutcomes,
  runTriggers,
} from './domain.ts';
import * as connector from './service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Run = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    trigger: StringEnum(runTriggers),
    startedAt: Type.String({ format: 'date-time' }),
    finishedAt: Nullable(Type.String({ format: 'date-time' })),
    outcome: StringEnum(runOutcomes, {
      description:
        'running; succeeded; failed; inactive (the interface was off: nothing done); skipped (a run was still ' +
        'going, or the interface has no adapter)',
    }),
    items: Type.Integer(),
    message: Nullable(Type.String()),
    jobId: Nullable(Type.String({ format: 'uuid' })),
  },
  { $id: 'ConnectorInterfaceRun' },
);

const Interface = Type.Object(
  {
    code: Type.Integer({ description: "The interface's code (seed 000 §5.3, tickets' moduleCode)" }),
    name: Type.String(),
    system: Type.String({ description: 'The satellite system' }),
    direction: StringEnum(interfaceDirections),
    method: StringEnum(interfaceMethods),
    scheduleMinutes: Type.Union([Type.Integer(), Type.Null()]),
    cron: Nullable(Type.String()),
    active: Type.Boolean(),
    adapter: Type.String({ description: `${interfaceAdapters.join(', ')} or a vendor adapter's name` }),
    adapterSettings: Type.Record(Type.String(), Type.Unknown()),
    nextRunAt: Nullable(Type.String({ format: 'date-time' })),
    updatedAt: Type.String({ format: 'date-time' }),
    updatedBy: Nullable(Type.String()),
    lastRun: Type.Union([Run, Type.Null()]),
  },
  { $id: 'ConnectorInterface' },
);

const CodeParams = Type.Object({ code: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

const Patch = Type.Object(
  {
    active: Type.Optional(Type.Boolean()),
    scheduleMinutes: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 10_080 }), Type.Null()], {
        description: 'Run every N minutes (replaces cron); null: no period',
      }),
    ),
    cron: Type.Optional(
      Type.Union([Type.String({ minLength: 9, maxLength: 120 }), Type.Null()], {
        description:
          'Five fields (minute hour day month weekday) in Brasília time: *, numbers, ranges, steps and lists; ' +
          'replaces scheduleMinutes; null: no cron',
      }),
    ),
    adapter: Type.Optional(StringEnum(interfaceAdapters)),
    adapterSettings: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'http_json {url, method GET (in) | POST (out), headers?, source? (out), timeoutMs?}; file_drop ' +
          '{directory, pattern?, format csv|xml, source? (out)}; nats {subject, source} (out only). source: stock or orders',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Integrações → Interfaces (issue 16 §1, §2, §8): network admins. */
export function registerInterfaceRoutes(
  app: App,
  db: Db,
  opts: { wakeWorker?: () => void; targets: TargetPolicy },
) {
  const tags = ['connector'];
  const access = ['network_admin'] as const;

  app.get(
    '/api/v1/connector/interfaces',
    {
      config: { access },
      schema: {
        tags,
        summary: "The network's integration interfaces with their last run",
        description: 'A network without interfaces is given the catalogue (seed 000 §5.3) on its first look.',
        response: { 200: Type.Object({ items: Type.Array(Interface) }) },
      },
    },
    async (req) => ({ items: await connector.listInterfaces(db, principalOf(req)) }),
  );

  app.get(
    '/api/v1/connector/interfaces/:code',
    {
      config: { access },
      schema: {
        tags,
        summary: 'One interface',
        params: CodeParams,
        response: { 200: Interface },
      },
    },
    async (req) => {
      const { code } = req.params as { code: number };
      return unwrap(await connector.getInterface(db, principalOf(req), code));
    },
  );

  app.patch(
    '/api/v1/connector/interfaces/:code',
    {
      config: { access },
      schema: {
        tags,
        summary: "Turn an interface on or off, change its schedule or its adapter's settings",
        description:
          'Validated per adapter and direction: 422 CONNECTOR.INTERFACE_INVALID with field errors (an outbound ' +
          'interface needs a source Omnihub builds; a file drop directory must exist and be writable; NATS is ' +
          'outbound only). An inactive interface stays scheduled; its runs record `inactive`. Audited.',
        params: CodeParams,
        body: Patch,
        response: { 200: Interface },
      },
    },
    async (req) => {
      const { code } = req.params as { code: number };
      return unwrap(
        await connector.patchInterface(db, principalOf(req), code, req.body as connector.InterfacePatch, {
          targets: opts.targets,
        }),
      );
    },
  );

  app.post(
    '/api/v1/connector/interfaces/:code/run',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Run an interface now',
        description:
          '202 with the run and its job; 409 CONNECTOR.INTERFACE_RUNNING while a run of it is going.',
        params: CodeParams,
        response: {
          202: Type.Object({
            runId: Type.String({ format: 'uuid' }),
            jobId: Type.String({ format: 'uuid' }),
          }),
        },
      },
    },
    async (req, reply) => {
      const { code } = req.params as { code: number };
      const started = unwrap(await connector.runInterfaceNow(db, principalOf(req), code));
      opts.wakeWorker?.();
      return reply.code(202).send(started);
    },
  );

  app.get(
    '/api/v1/connector/interfaces/:code/runs',
    {
      config: { access },
      schema: {
        tags,
        summary: "An interface's runs, newest first",
        params: CodeParams,
        querystring: Type.Object(PageQuery),
        response: { 200: PageOf(Run) },
      },
    },
    async (req) => {
      const { code } = req.params as { code: number };
      return unwrap(
        await connector.interfaceRuns(db, principalOf(req), code, req.query as { cursor?: string }),
      );
    },
  );
}
