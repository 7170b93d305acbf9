import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import { type ReprocessHandlers, ticketDirections, ticketStatuses } from '../platform/tickets/service.ts';
import * as connector from './service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Instant = (description: string) => Type.Optional(Type.String({ maxLength: 40, description }));
const Period = {
  from: Instant('YYYY-MM-DD (from the start of that São Paulo day) or an ISO date-time; default: to − 24 h'),
  to: Instant('YYYY-MM-DD (to the end of that São Paulo day) or an ISO date-time, exclusive; default: now'),
};
const Filters = {
  system: Type.Optional(
    Type.String({ minLength: 1, maxLength: 60, description: 'vtex, nuvemshop, webhook, …' }),
  ),
  status: Type.Optional(StringEnum(ticketStatuses)),
  kind: Type.Optional(
    Type.String({ minLength: 1, maxLength: 60, description: 'order.ingest, vtex.order, …' }),
  ),
  moduleCode: Type.Optional(Type.Integer({ minimum: 0, description: "The interface's module code" })),
  direction: Type.Optional(StringEnum(ticketDirections)),
  orderId: Type.Optional(Type.String({ format: 'uuid' })),
  reference: Type.Optional(
    Type.String({ minLength: 1, maxLength: 120, description: "The partner's reference" }),
  ),
  ...Period,
};
const ListQuery = Type.Object({ ...Filters, ...PageQuery });

const ticketFields = {
  id: Type.String({ format: 'uuid' }),
  direction: StringEnum(ticketDirections),
  system: Type.String(),
  method: Type.String(),
  kind: Type.String(),
  moduleCode: Nullable(Type.Integer()),
  status: StringEnum(ticketStatuses),
  attempts: Type.Integer(),
  orderId: Nullable(Type.String({ format: 'uuid' })),
  reference: Nullable(Type.String()),
  url: Nullable(Type.String({ description: 'Credentials in the query string masked' })),
  httpStatus: Nullable(Type.Integer()),
  latencyMs: Type.Integer(),
  requestBytes: Type.Integer(),
  responseBytes: Type.Integer(),
  error: Nullable(Type.String()),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  reprocessOf: Nullable(Type.String({ format: 'uuid' })),
  reprocessable: Type.Boolean({ description: 'Settled, and of a kind that can be run again' }),
};
const Ticket = Type.Object(ticketFields, { $id: 'ConnectorTicket' });
const TicketDetail = Type.Object(
  {
    ...ticketFields,
    request: Nullable(
      Type.String({ description: 'As sent or received, personal data and credentials masked' }),
    ),
    response: Nullable(
      Type.String({ description: 'As sent or received, personal data and credentials masked' }),
    ),
    truncated: Type.Boolean({ description: 'A side was longer than 64 KiB and was cut' }),
  },
  { $id: 'ConnectorTicketDetail' },
);
const ConsumptionQuery = Type.Object({
  ...Period,
  system: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  method: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
const ConsumptionRow = Type.Object(
  {
    day: Type.String({ format: 'date', description: 'The São Paulo day' }),
    system: Type.String(),
    method: Type.String(),
    calls: Type.Integer(),
    succeeded: Type.Integer({ description: 'Tickets processed' }),
    failed: Type.Integer(),
    p95LatencyMs: Nullable(Type.Integer({ description: '95th percentile (continuous) of the latency' })),
    bytesIn: Type.Integer({ description: 'Received by Omnihub: inbound requests, answers to its calls' }),
    bytesOut: Type.Integer({ description: 'Sent by Omnihub' }),
  },
  { $id: 'ConnectorConsumption' },
);
const ReprocessBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 1000 })),
    filter: Type.Optional(Type.Object(Filters, { additionalProperties: false })),
    reason: Type.String({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);

/**
 * Integrações → Tickets and Consumo (issue 16 §3–5): the network's admins, since tickets belong to the
 * network (no node). `handlers` are the reprocess handlers the worker runs: what they cover is reprocessable.
 */
export function registerTicketRoutes(app: App, db: Db, handlers: ReprocessHandlers<Db>) {
  const tags = ['connector'];
  const access = ['network_admin'] as const;

  app.get(
    '/api/v1/connector/tickets',
    {
      config: { access },
      schema: {
        tags,
        summary: "The network's exchanges with outside systems, newest first (the integration log)",
        description: 'The period defaults to the last 24 hours. Pending tickets are not reprocessable.',
        querystring: ListQuery,
        response: { 200: PageOf(Ticket) },
      },
    },
    async (req) =>
      unwrap(
        await connector.listTickets(db, principalOf(req), handlers, req.query as Static<typeof ListQuery>),
      ),
  );

  app.get(
    '/api/v1/connector/tickets/:id',
    {
      config: { access },
      schema: {
        tags,
        summary: 'One ticket with what was sent and received, personal data and credentials masked',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: TicketDetail },
      },
    },
    async (req) => unwrap(await connector.getTicket(db, principalOf(req), handlers, req.params.id)),
  );

  app.post(
    '/api/v1/connector/tickets/reprocess',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Queue processed or failed tickets to run again, with a reason (one job; audited)',
        description:
          'Either `ids` or `filter` (the list filters; pending tickets never match). 422 ' +
          'CONNECTOR.NOTHING_TO_REPROCESS, CONNECTOR.TOO_MANY_TICKETS (over 1,000), CONNECTOR.NOT_REPROCESSABLE ' +
          '(a kind without a handler: `kinds`); 409 CONNECTOR.REPROCESS_IN_PROGRESS while a queued or running ' +
          'job holds one of them (`jobId`). Follow the job at /api/v1/jobs/{jobId}; its result is ' +
          '`{done, failed: [{ticketId, error}]}`.',
        body: ReprocessBody,
        response: {
          202: Type.Object({ jobId: Type.String({ format: 'uuid' }), count: Type.Integer() }),
        },
      },
    },
    async (req, reply) => {
      const accepted = unwrap(
        await connector.requestReprocess(
          db,
          principalOf(req),
          handlers,
          req.body as Static<typeof ReprocessBody>,
        ),
      );
      return reply.code(202).header('location', `/api/v1/jobs/${accepted.jobId}`).send(accepted);
    },
  );

  app.get(
    '/api/v1/connector/consumption',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Consumo Connector: calls, outcomes, p95 latency and bytes per system × method × day',
        description: 'Days are São Paulo days; the period defaults to the last 24 hours.',
        querystring: ConsumptionQuery,
        response: { 200: Type.Object({ items: Type.Array(ConsumptionRow) }) },
      },
    },
    async (req) => ({
      items: unwrap(
        await connector.consumption(db, principalOf(req), req.query as Static<typeof ConsumptionQuery>),
      ),
    }),
  );

  app.get(
    '/api/v1/connector/consumption.csv',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The same consumption as CSV (UTF-8 with BOM, for spreadsheets)',
        querystring: ConsumptionQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const rows = unwrap(
        await connector.consumption(db, principalOf(req), req.query as Static<typeof ConsumptionQuery>),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="consumo-connector.csv"')
        .send(connector.consumptionCsv(rows));
    },
  );
}
