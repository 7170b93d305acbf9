import { type Static, Type } from '@sinclair/typebox';
import * as integration from '../integration/service.ts';
import type { Db } from '../platform/db/index.ts';
import { type Actor, backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import { answerId, type TicketRoute } from '../platform/http/tickets.ts';
import { bareBodyIsEmpty } from '../platform/http/validation.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import {
  AcceptBody,
  Address,
  CancelBody,
  EmptyBody,
  IdParams,
  IngestBody,
  Nullable,
  Order,
  QueueItem,
  QueueQuery,
  ShipmentBody,
  Status,
  TransitionBody,
} from './payloads.ts';
import * as orders from './service.ts';

const orderReaders: readonly Actor[] = [...backOffice, 'platform', 'pos'];
const transitionActors: readonly Actor[] = [...backOffice, 'pos'];
/** The platform API's order calls are connector tickets (issue 16 §3); back-office users' are not. */
const platformTicket = (kind: string, more: Partial<TicketRoute> = {}): TicketRoute => ({
  system: 'platform-api',
  kind,
  clientsOnly: true,
  ...more,
});

const conflicts =
  '409 ORDER.TRANSITION_NOT_ALLOWED with `currentStatus`, `requested` and `allowed` (the statuses you may move it to).';

export function registerOrderRoutes(app: App, db: Db) {
  const tags = ['orders'];
  const caller = (req: Parameters<typeof principalOf>[0]) => orders.callerOf(principalOf(req));

  app.post(
    '/api/v1/orders',
    {
      config: {
        access: ['platform'],
        ticket: platformTicket('order.ingest', {
          orderId: answerId,
          reference: (req) => {
            const externalId = (req.body as { externalId?: unknown } | undefined)?.externalId;
            return typeof externalId === 'string' ? externalId : null;
          },
        }),
      },
      schema: {
        tags,
        summary: 'Push a paid order (idempotent on externalId)',
        description:
          '201 with the new order (status open); 200 with the existing order when this externalId was already ' +
          'received with the same body; 409 ORDER.EXTERNAL_ID_CONFLICT when it came with another body. 422 ' +
          'ORDER.INVALID lists every field to fix: CPF/CNPJ check digits, SKUs unknown or not enabled for the ' +
          'e-commerce, the store (of your network, active, taking omni orders: 9253), quantities, discounts, ' +
          'items − discounts + freight = payments, address for ship orders, placedAt not in the future.',
        body: IngestBody,
        response: { 200: Order, 201: Order },
      },
    },
    async (req, reply) => {
      const done = unwrap(await orders.ingest(db, caller(req), req.body as Static<typeof IngestBody>));
      return reply.code(done.created ? 201 : 200).send(done.order);
    },
  );

  app.get(
    '/api/v1/orders',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The store queue',
        description:
          'Orders of the stores you act on, filtered by status (repeatable), number, placed-at period and ' +
          'store (repeatable). Without any filter: today’s (America/Sao_Paulo) open and picking orders. ' +
          '`totals` counts the filtered orders per status, whatever the status filter.',
        querystring: QueueQuery,
        response: {
          200: Type.Object({
            items: Type.Array(QueueItem),
            nextCursor: Nullable(Type.String()),
            totals: Type.Object(Object.fromEntries(orders.orderStatuses.map((s) => [s, Type.Integer()]))),
          }),
        },
      },
    },
    async (req) =>
      unwrap(await orders.listQueue(db, principalOf(req), req.query as Static<typeof QueueQuery>)),
  );

  app.get(
    '/api/v1/orders/:id',
    {
      config: { access: orderReaders },
      schema: {
        tags,
        summary: 'One order with items, payments and history',
        params: IdParams,
        response: { 200: Order },
      },
    },
    async (req) => unwrap(await orders.getOrder(db, caller(req), req.params.id)),
  );

  app.post(
    '/api/v1/orders/:id/cancel',
    {
      config: { access: ['platform'], ticket: platformTicket('order.cancel') },
      schema: {
        tags,
        summary: 'Cancel an order before the store accepts it',
        description: `Allowed while open or awaiting stock; afterwards ${conflicts}`,
        params: IdParams,
        body: CancelBody,
        response: { 200: Order },
      },
    },
    async (req) =>
      unwrap(
        await orders.cancel(db, caller(req), req.params.id, (req.body as Static<typeof CancelBody>).reason),
      ),
  );

  app.post(
    '/api/v1/orders/:id/transitions',
    {
      config: { access: transitionActors },
      schema: {
        tags,
        summary: 'Change the status (the transition table of docs/order-states.md)',
        description:
          `\`to: accepted\` accepts as POST /accept does; \`to: picking\` from open accepts on the way (two ` +
          `history rows, one step). A cancellation needs a reason. ${conflicts} ` +
          '409 ORDER.INSUFFICIENT_STOCK on acceptance without the stock.',
        params: IdParams,
        body: TransitionBody,
        response: { 200: Order },
      },
    },
    async (req) => {
      const body = req.body as Static<typeof TransitionBody>;
      return unwrap(
        await orders.changeAndShow(db, caller(req), req.params.id, body.to, {
          reason: body.reason,
          allowShortfall: body.allowShortfall,
        }),
      );
    },
  );

  app.put(
    '/api/v1/orders/:id/delivery-address',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Correct the delivery address of a ship order before it is invoiced',
        description:
          'Back-office users who see the order. The address as at ingest: `cityCode` may be omitted (resolved ' +
          'from state + city), `country` is BR/BRA/Brasil. 200 with the order; its history keeps the old and the ' +
          'new address and the platform gets `order.address_changed`. 422 ORDER.ADDRESS_INVALID with field ' +
          'errors; 409 ORDER.NOT_SHIP for a pickup order, ORDER.ADDRESS_LOCKED from invoicing on (the NF-e ' +
          'carries the address: a correction letter then).',
        params: IdParams,
        body: Address,
        response: { 200: Order },
      },
    },
    async (req) =>
      unwrap(
        await orders.changeDeliveryAddress(
          db,
          caller(req),
          req.params.id,
          req.body as Static<typeof Address>,
        ),
      ),
  );

  app.put(
    '/api/v1/orders/:id/shipment',
    {
      config: { access: [...backOffice, 'platform'], ticket: platformTicket('order.shipment') },
      schema: {
        tags,
        summary: 'State how a ship order travels: carrier, service, tracking code and link',
        description:
          'The platform (its orders) or back-office users who see the order. 200 with the order, whose ' +
          '`shipment` and `carrier` now name this carrier; its history keeps the old and the new tracking and the ' +
          'platform gets `order.shipment_changed`. The same shipment again changes nothing. 409 ORDER.NOT_SHIP for ' +
          'a pickup order, ORDER.SHIPMENT_LOCKED once delivered or cancelled, ORDER.TRACKING_CODE_TAKEN when ' +
          'another order of the network holds the carrier’s code; 422 ORDER.SHIPMENT_INVALID with field errors.',
        params: IdParams,
        body: ShipmentBody,
        response: { 200: Order },
      },
    },
    async (req) =>
      unwrap(
        await orders.setShipment(db, caller(req), req.params.id, req.body as Static<typeof ShipmentBody>),
      ),
  );

  app.post(
    '/api/v1/orders/:id/accept',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Accept: reserve every line at the store',
        description:
          '200 with the accepted order (arrivedAt, expectedInvoiceAt from DS_LST_DTPREV_OMNI). 409 ' +
          'ORDER.INSUFFICIENT_STOCK with `lines: [{sku, requested, available, missing}]`, `splitAvailable` ' +
          '(TP_VALIDA_SLD_ACEITE_PED = 01) and `shortfallAllowed` (IN_BLOQ_SALDO_NEG off: a manager may send ' +
          '`allowShortfall: true` to accept holding what there is, the rest recorded as the order’s ' +
          '`shortfall` and in its history), nothing reserved. 409 ORDER.SHORTFALL_NOT_ALLOWED when ' +
          '`allowShortfall` is sent where IN_BLOQ_SALDO_NEG is on; 403 for a clerk. 409 ' +
          'ORDER.TRANSITION_NOT_ALLOWED for an order without the omni classification in force (CD_TIPOCLAS_OMNI). ' +
          conflicts,
        params: IdParams,
        body: AcceptBody,
        response: { 200: Order },
      },
      // A bare POST (no body) accepts.
      preValidation: bareBodyIsEmpty,
    },
    async (req) =>
      unwrap(
        await orders.accept(db, caller(req), req.params.id, {
          allowShortfall: (req.body as Static<typeof AcceptBody>).allowShortfall,
        }),
      ),
  );

  app.get(
    '/api/v1/orders/:id/webhook-deliveries',
    {
      config: { access: [...backOffice, 'platform'] },
      schema: {
        tags,
        summary: 'The webhook deliveries of an order, each with its attempts, in sequence',
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: PageOf(integration.DeliveryWithAttemptsSchema) },
      },
    },
    async (req) => unwrap(await orders.deliveriesOf(db, caller(req), req.params.id, req.query)),
  );

  app.post(
    '/api/v1/orders/:id/status-resend',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Send the current status to the platform again (when it missed it)',
        description:
          '202: a new webhook delivery of the change that produced the current status is queued after the ' +
          'order’s other deliveries.',
        params: IdParams,
        body: EmptyBody,
        response: {
          202: Type.Object({
            orderId: Type.String({ format: 'uuid' }),
            externalId: Type.String(),
            status: Status,
            previousStatus: Nullable(Status),
            at: Type.String({ format: 'date-time' }),
          }),
        },
      },
      preValidation: bareBodyIsEmpty,
    },
    async (req, reply) =>
      reply.code(202).send(unwrap(await orders.resendStatus(db, caller(req), req.params.id))),
  );
}
