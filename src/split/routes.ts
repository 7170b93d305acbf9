import { type Static, Type } from '@sinclair/typebox';
import * as fiscal from '../fiscal/service.ts';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import * as split from './service.ts';
import { traceOf } from './trace.ts';

export interface SplitRouteOptions extends split.SplitDeps {
  wakeWorker?: () => void;
  /** How long invoicing a transfer waits for SEFAZ before answering 202 (default 15 s). */
  answerWithinMs?: number;
}

const Id = Type.String({ format: 'uuid' });
const IdParams = Type.Object({ id: Id });
const Sku = Type.String({ minLength: 1, maxLength: 40 });
const StoreCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Status = StringEnum(split.requestStatuses);

const AllocationSchema = Type.Object(
  { sku: Sku, storeCode: StoreCode, quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
  { additionalProperties: false },
);

const Options = Type.Object({
  order: Type.Object({
    id: Id,
    number: Nullable(Type.Integer()),
    status: Type.String(),
    storeCode: Type.String(),
  }),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      description: Type.String(),
      requested: Type.Integer(),
      held: Type.Integer({ description: 'held by the order at its store' }),
      allocated: Type.Integer({ description: 'in stock requests still on their way' }),
      pending: Type.Integer(),
      companies: Type.Array(
        Type.Object({
          storeCode: Type.String(),
          storeName: Type.String(),
          isMain: Type.Boolean(),
          available: Type.Integer(),
          distanceKm: Nullable(Type.Number()),
        }),
      ),
    }),
  ),
  proposal: Type.Array(AllocationSchema),
  strategy: Type.String(),
});

const Request = Type.Object(
  {
    id: Id,
    orderId: Id,
    orderNumber: Nullable(Type.Integer()),
    storeCode: Type.String({ description: 'the support company asked for the goods' }),
    storeName: Type.String(),
    mainStoreCode: Type.String(),
    status: Status,
    blockReason: Nullable(
      Type.String({ description: 'CD_MOTIVOBLOQ_PED_PRATELE while waiting for acceptance' }),
    ),
    rejectionReason: Nullable(Type.String()),
    lines: Type.Array(Type.Object({ line: Type.Integer(), sku: Type.String(), quantity: Type.Integer() })),
    transferDocument: Nullable(Type.Object({ id: Id, accessKey: Type.String(), status: Type.String() })),
    entryCfop: Nullable(Type.String()),
    expectedAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
    acceptedAt: Nullable(Type.String({ format: 'date-time' })),
    invoicedAt: Nullable(Type.String({ format: 'date-time' })),
    receivedAt: Nullable(Type.String({ format: 'date-time' })),
    version: Type.Integer(),
  },
  { $id: 'StockRequest' },
);

const TraceNodeSchema = Type.Recursive(
  (This) =>
    Type.Object({
      kind: StringEnum(['order', 'stock_request', 'transfer_invoice', 'invoice'] as const),
      id: Id,
      label: Type.String(),
      storeCode: Type.String(),
      stage: Type.String(),
      stageLabel: Type.String(),
      createdAt: Type.String({ format: 'date-time' }),
      expectedAt: Nullable(Type.String({ format: 'date-time' })),
      invoicedAt: Nullable(Type.String({ format: 'date-time' })),
      done: Type.Boolean(),
      alert: Nullable(StringEnum(['green', 'yellow', 'red'] as const)),
      daysInProgress: Type.Integer(),
      quantities: Type.Object({
        requested: Type.Integer(),
        invoiced: Type.Integer(),
        pending: Type.Integer(),
      }),
      children: Type.Array(This),
    }),
  { $id: 'TraceNode' },
);

const ListQuery = Type.Object({
  storeCode: Type.Optional(Type.Array(StoreCode, { maxItems: 50 })),
  side: Type.Optional(
    StringEnum(['support', 'main'] as const, {
      description: '`support`: requests your stores are asked to send; `main`: requests your stores made',
    }),
  ),
  status: Type.Optional(Type.Array(Status, { maxItems: 10 })),
  orderId: Type.Optional(Id),
  ...PageQuery,
});
const SplitBody = Type.Object(
  { allocations: Type.Array(AllocationSchema, { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
const RerouteBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
    storeCode: Type.Optional(StoreCode),
    reason: Type.String({ minLength: 3, maxLength: 500, description: 'why the lines are refused' }),
  },
  { additionalProperties: false },
);
const RejectBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 500, description: 'why the request is refused' }) },
  { additionalProperties: false },
);

export function registerSplitRoutes(app: App, db: Db, opts: SplitRouteOptions) {
  const tags = ['split'];
  const caller = (req: Parameters<typeof principalOf>[0]) => orders.callerOf(principalOf(req));

  app.get(
    '/api/v1/orders/:id/split-options',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Per line, what is pending and the companies that may send it, with the router’s proposal',
        description:
          'Companies: the store itself and the group’s stores taking part in the split (TP_UTILIZA_PRATELEIRA) ' +
          'that the store sees (TP_VISUAL_EMP_PRATELEIRA), with their available quantity and distance. The ' +
          'proposal prefers the store, then fewest companies, then the nearest, then the most stock.',
        params: IdParams,
        response: { 200: Options },
      },
    },
    async (req) => unwrap(await split.splitOptions(db, opts, caller(req), req.params.id)),
  );

  app.post(
    '/api/v1/orders/:id/split',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Commit a split: stock requests at the companies, the order awaiting stock',
        description:
          'Never more than pending per SKU nor than a company’s available stock (422 SPLIT.INVALID_ALLOCATION ' +
          'naming the allocation). What is allocated to the store itself is reserved there; each other company ' +
          'gets one stock request holding its goods. 409 SPLIT.STOCK_CHANGED when another order took the stock ' +
          'first; 409 ORDER.TRANSITION_NOT_ALLOWED unless the order is open.',
        params: IdParams,
        body: SplitBody,
        response: {
          200: Type.Object({ order: orders.OrderPayload, requests: Type.Array(Request) }),
        },
      },
    },
    async (req) => {
      const who = caller(req);
      const { allocations } = req.body as Static<typeof SplitBody>;
      const { requests } = unwrap(await split.commitSplit(db, who, req.params.id, allocations));
      return { order: unwrap(await orders.getOrder(db, who, req.params.id)), requests };
    },
  );

  app.post(
    '/api/v1/orders/:id/reroute',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Refuse lines at acceptance: they become a new order for another company',
        description:
          'The refused (pending) quantities leave the order with their share of the payments and become a new ' +
          'open order at `storeCode`, or at the company the router picks (the nearest that can send them all), ' +
          'linked to the original. Refusing every line cancels the original with CD_MOT_CANC_PED_PRATELEIR. ' +
          '409 SPLIT.NO_COMPANY when no company can take them; 409 SPLIT.POOL_DISABLED unless the store lets ' +
          'other companies of the pool take its orders (IN_BAIXA_PED_POOL_EMP).',
        params: IdParams,
        body: RerouteBody,
        response: {
          200: Type.Object({
            order: orders.OrderPayload,
            reroutedOrder: Type.Object(
              { id: Id, number: Type.Integer(), storeCode: Type.String(), status: Type.String() },
              { description: 'the new order (GET /orders/{id} for all of it)' },
            ),
          }),
        },
      },
    },
    async (req) => {
      const who = caller(req);
      const body = req.body as Static<typeof RerouteBody>;
      const moved = unwrap(await split.rerouteOrder(db, who, req.params.id, body));
      return {
        order: unwrap(await orders.getOrder(db, who, req.params.id)),
        reroutedOrder: {
          id: moved.orderId,
          number: moved.number,
          storeCode: moved.storeCode,
          status: 'open',
        },
      };
    },
  );

  app.get(
    '/api/v1/orders/:id/trace',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          'The traceability tree: order → stock requests → transfer invoices → re-routed orders → invoice',
        description:
          'Each node: stage, created and expected dates, a colour alert while in progress (green in time, ' +
          'yellow within QT_DIAS_ALERTA_RASTREIO days of the expected date, red late; none when done), days in ' +
          'progress, invoiced date and quantities requested / invoiced / pending.',
        params: IdParams,
        response: { 200: Type.Object({ root: TraceNodeSchema }) },
      },
    },
    async (req) => unwrap(await traceOf(db, caller(req), req.params.id)),
  );

  app.get(
    '/api/v1/stock-requests',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Stock requests to and from your stores (newest first)',
        description: '`storeCode` matches the support or the main store; `side` keeps one of the two.',
        querystring: ListQuery,
        response: { 200: PageOf(Request) },
      },
    },
    async (req) => {
      const q = req.query as Static<typeof ListQuery>;
      return unwrap(await split.listRequests(db, principalOf(req), q));
    },
  );

  app.get(
    '/api/v1/stock-requests/:id',
    {
      config: { access: backOffice },
      schema: { tags, summary: 'One stock request', params: IdParams, response: { 200: Request } },
    },
    async (req) => unwrap(await split.getRequest(db, principalOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/stock-requests/:id/accept',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The support company accepts the request (it is unblocked)',
        params: IdParams,
        response: { 200: Request },
      },
    },
    async (req) => unwrap(await split.acceptRequest(db, principalOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/stock-requests/:id/reject',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The support company refuses the request: its goods are free again, the quantities pending',
        description: 'When no request of the split is on its way any more, the order is open again.',
        params: IdParams,
        body: RejectBody,
        response: { 200: Request },
      },
    },
    async (req) =>
      unwrap(
        await split.rejectRequest(
          db,
          principalOf(req),
          req.params.id,
          (req.body as Static<typeof RejectBody>).reason,
        ),
      ),
  );

  app.post(
    '/api/v1/stock-requests/:id/invoice',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          'The support company invoices the transfer (NF-e 5152/6152); the goods leave once authorised',
        description:
          '200 once SEFAZ authorised the transfer NF-e (the request is `in_transit`); 202 while it has not ' +
          'answered (`invoicing`); 422 FISCAL.REJECTED with SEFAZ’s code (the request is `accepted` again).',
        params: IdParams,
        response: { 200: Request, 202: Request },
      },
    },
    async (req, reply) => {
      const reader = principalOf(req);
      const invoiced = unwrap(await split.invoiceRequest(db, opts, reader, req.params.id));
      opts.wakeWorker?.();
      const doc = await fiscal.settledDocument(
        db,
        invoiced.transferDocument!.id,
        opts.answerWithinMs ?? 15_000,
      );
      // A denial (uso denegado) is told to the request as a rejection; invoicing again takes a new number.
      if (doc?.status === 'rejected' || doc?.status === 'denied')
        unwrap(
          fail(
            'invalid',
            doc.status === 'denied' ? 'FISCAL.DENIED' : 'FISCAL.REJECTED',
            `SEFAZ ${doc.status === 'denied' ? 'denied' : 'rejected'} the transfer NF-e: ${doc.rejectionCode} ${doc.rejectionReason}.`,
            {
              data: { rejection: { code: doc.rejectionCode, reason: doc.rejectionReason } },
            },
          ),
        );
      const view = unwrap(await split.getRequest(db, reader, req.params.id));
      return reply.code(view.status === 'invoicing' ? 202 : 200).send(view);
    },
  );

  app.post(
    '/api/v1/stock-requests/:id/receive',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The main store receives the transfer: the goods enter its stock, held for the order',
        description: 'When every request of the split is received (or refused) the order is `open` again.',
        params: IdParams,
        response: { 200: Request },
      },
    },
    async (req) => unwrap(await split.receiveRequest(db, principalOf(req), req.params.id)),
  );
}
