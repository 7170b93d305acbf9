import { type Static, Type } from '@sinclair/typebox';
import * as fiscal from '../../fiscal/service.ts';
import * as orders from '../../orders/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { fail } from '../../platform/errors.ts';
import { type Actor, admins, backOffice, principalOf } from '../../platform/http/access.ts';
import { unwrap } from '../../platform/http/problems.ts';
import { Money, Quantity, StringEnum } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/server.ts';
import { posTicket } from '../ticket.ts';
import { REASON_CODE_PATTERN, REASON_DESCRIPTION_MAX, refundMethods, returnReasonTypes } from './domain.ts';
import * as cancellation from './invoice-cancellation.ts';
import * as returns from './service.ts';

export interface ReturnRouteOptions extends fiscal.IssuingDeps {
  wakeWorker?: () => void;
  /** What each reference type allows (cancelling its documents), registered in app.ts. */
  references: fiscal.References;
  /** How long the answer waits for SEFAZ's authorisation of the return's NF-e (it is 201 either way). */
  answerWithinMs?: number;
}

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD (São Paulo calendar day)' });
const ReasonType = StringEnum(returnReasonTypes, {
  description: 'oms_order_return: "Devolução Pedido OMS", asked at the POS when the sale was an omni order',
});
const ReasonCode = Type.String({ pattern: REASON_CODE_PATTERN, description: 'Unique in the network' });

const Reason = Type.Object(
  {
    code: Type.String(),
    description: Type.String(),
    type: ReasonType,
    validFrom: Day,
    validTo: Type.Union([Day, Type.Null()], { description: 'Last day it may be chosen; null: open-ended' }),
    active: Type.Boolean(),
    current: Type.Boolean({ description: 'Active and within its period today' }),
    version: Type.Integer(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ReturnReason' },
);

const ReasonFields = {
  description: Type.String({ minLength: 1, maxLength: REASON_DESCRIPTION_MAX }),
  type: ReasonType,
  validFrom: Day,
  validTo: Type.Optional(Type.Union([Day, Type.Null()])),
  active: Type.Optional(Type.Boolean()),
};
const CreateReason = Type.Object({ code: ReasonCode, ...ReasonFields }, { additionalProperties: false });
const PutReason = Type.Object(
  {
    ...ReasonFields,
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The version you read; 409 when it changed' }),
    ),
  },
  { additionalProperties: false },
);
const ReasonQuery = Type.Object({
  type: Type.Optional(ReasonType),
  current: Type.Optional(Type.Boolean({ description: 'Only those valid today (always so for a POS)' })),
});
const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });

const ReturnItem = Type.Object({
  sku: Type.String(),
  description: Type.String(),
  quantity: Type.Integer(),
  unitPrice: Money({ description: 'The sale’s unit price' }),
  discount: Money({ description: 'This return’s share of the line’s discount' }),
  total: Money(),
});
const OrderReturn = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    orderId: Type.String({ format: 'uuid' }),
    orderNumber: Type.Integer(),
    storeCode: Type.String(),
    reason: Type.Union([Type.Object({ code: Type.String(), description: Type.String() }), Type.Null()], {
      description:
        'Null only where the network had no valid omni reason; code "" for a sale reversed outside its cancellation window (the manager’s words)',
    }),
    items: Type.Array(ReturnItem),
    total: Money({ description: 'What the goods back were worth' }),
    refund: Type.Union([Type.Object({ method: StringEnum(refundMethods), amount: Money() }), Type.Null()]),
    full: Type.Boolean({ description: 'Nothing of the order is left to give back' }),
    fiscalDocumentId: Type.String({ format: 'uuid' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'OrderReturn' },
);
const StockMovement = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: 'return' }),
  sku: Type.String(),
  quantity: Type.Integer({ description: 'Units back on hand at the store' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
/**
 * The customer's address asked for an order without one (a pickup): the NF-e de entrada of a return (at the
 * counter, in the back office, or the reversal of "Cancelar pedido") names it.
 */
const CustomerAddressBody = Type.Object(
  {
    street: Type.String({ minLength: 1, maxLength: 60 }),
    number: Type.String({ minLength: 1, maxLength: 60 }),
    complement: Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Null()])),
    district: Type.String({ minLength: 1, maxLength: 60 }),
    city: Type.String({ minLength: 1, maxLength: 60 }),
    cityCode: Type.Optional(
      Type.Union([Type.String({ pattern: '^[0-9]{7}$' }), Type.Null()], {
        description: 'IBGE code; resolved from state and city when absent',
      }),
    ),
    state: Type.String({ pattern: '^[A-Za-z]{2}$' }),
    postalCode: Type.String({ pattern: '^[0-9]{5}-?[0-9]{3}$' }),
  },
  {
    additionalProperties: false,
    description:
      'The customer’s address, for an order without one (a pickup): the NF-e de entrada names it (422 RETURN.CUSTOMER_ADDRESS_REQUIRED otherwise)',
  },
);
const ReturnBody = Type.Object(
  {
    orderNumber: Type.Integer({
      minimum: 1,
      maximum: 2_147_483_647,
      description: 'The order’s number at this POS’s store',
    }),
    items: Type.Array(
      Type.Object(
        { sku: Type.String({ minLength: 1, maxLength: 60 }), quantity: Quantity() },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: 990,
      },
    ),
    reasonCode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 40, description: 'An omni return reason valid today' }),
    ),
    customerAddress: Type.Optional(CustomerAddressBody),
    refund: Type.Optional(
      Type.Object(
        {
          method: StringEnum(refundMethods),
          amount: Type.Optional(
            Money({ description: 'Defaults to what the goods back were worth; never above it' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const { orderNumber: _orderNumber, ...backOfficeReturnFields } = ReturnBody.properties;
const BackOfficeReturnBody = Type.Object(backOfficeReturnFields, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const CancellationBody = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: `${cancellation.REASON_MIN} to ${cancellation.REASON_MAX} characters: SEFAZ's justification (xJust), or the return NF-e's reason`,
    }),
    customerAddress: Type.Optional(CustomerAddressBody),
  },
  { additionalProperties: false },
);
const CancellationWindow = Type.Object({
  documentId: Type.String({ format: 'uuid' }),
  model: Type.Integer({ description: '55 NF-e, 65 NFC-e' }),
  open: Type.Boolean({ description: 'SEFAZ still cancels the document (24 h NF-e, 30 min NFC-e)' }),
  closesAt: Type.String({ format: 'date-time' }),
  action: StringEnum(['cancel_document', 'reverse_sale'] as const, {
    description: 'What POST invoice-cancellation will do now',
  }),
  addressRequired: Type.Boolean({
    description:
      'true: the action is `reverse_sale` and the order has no address the return NF-e can name (a pickup): send `customerAddress`',
  }),
});
const CancellationAnswer = Type.Object({
  outcome: StringEnum(['cancelled', 'cancellation_pending', 'reversed'] as const),
  order: orders.OrderPayload,
  fiscalDocument: fiscal.FiscalDocumentPayload,
  return: Type.Optional(OrderReturn),
});
/** Who cancels an invoiced order and gives refunds: managers and admins (orders' `cancellers`). */
const managers: readonly Actor[] = orders.cancellers as readonly Actor[];

export function registerReturnRoutes(app: App, db: Db, opts: ReturnRouteOptions) {
  const tags = ['pos'];
  const answerWithin = opts.answerWithinMs ?? 15_000;
  const movementsOf = (done: { stockMovements: returns.Returned['stockMovements'] }) =>
    done.stockMovements.map((m) => ({
      id: m.id,
      kind: m.kind,
      sku: m.sku,
      quantity: m.onHandDelta,
      reason: m.reason,
      createdAt: m.createdAt.toISOString(),
    }));

  /** A return as the routes answer it: once SEFAZ answered its NF-e (or the wait is over). */
  const answerOf = async (done: returns.Returned) => {
    opts.wakeWorker?.();
    const doc = await fiscal.settledDocument(db, done.fiscalDocumentId, answerWithin);
    if (!doc) throw new Error(`fiscal document ${done.fiscalDocumentId} vanished`);
    return {
      return: done.return,
      fiscalDocument: { id: doc.id, accessKey: doc.accessKey, status: doc.status },
      stockMovements: movementsOf(done),
    };
  };

  app.get(
    '/api/v1/return-reasons',
    {
      config: { access: [...backOffice, 'pos'] },
      schema: {
        tags,
        summary: 'Return reasons of the network (a POS: only those valid today)',
        description:
          'Seed 000 §3.4.4: reasons of type "Devolução Pedido OMS" are offered at the POS’s return of an omni ' +
          'order. A POS key gets the reasons it may choose today; the back office all of them (`current=true`: ' +
          'only those valid today).',
        querystring: ReasonQuery,
        response: { 200: Type.Object({ items: Type.Array(Reason), nextCursor: Type.Null() }) },
      },
    },
    async (req) => ({
      items: await returns.listReasons(db, principalOf(req), req.query as Static<typeof ReasonQuery>),
      nextCursor: null,
    }),
  );

  app.get(
    '/api/v1/return-reasons/:code',
    {
      config: { access: [...backOffice, 'pos'] },
      schema: { tags, summary: 'One return reason', params: CodeParams, response: { 200: Reason } },
    },
    async (req) => unwrap(await returns.getReason(db, principalOf(req), req.params.code)),
  );

  app.post(
    '/api/v1/return-reasons',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Register a return reason for the network (admins; audited)',
        body: CreateReason,
        response: { 201: Reason },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          unwrap(await returns.createReason(db, principalOf(req), req.body as Static<typeof CreateReason>)),
        ),
  );

  app.put(
    '/api/v1/return-reasons/:code',
    {
      config: { access: admins },
      schema: {
        tags,
        summary:
          'Change a return reason: description, type, validity; `active: false` deactivates it (audited)',
        params: CodeParams,
        body: PutReason,
        response: { 200: Reason },
      },
    },
    async (req) =>
      unwrap(
        await returns.updateReason(
          db,
          principalOf(req),
          req.params.code,
          req.body as Static<typeof PutReason>,
        ),
      ),
  );

  app.post(
    '/api/v1/pos/returns',
    {
      config: { access: ['pos'], ticket: posTicket },
      schema: {
        tags,
        summary: 'Goods of an omni order come back at the POS (troca/devolução omni)',
        description:
          'For an `invoiced` or `delivered` order of this POS’s store (404 for any other store’s). Needs an omni ' +
          'return reason valid today while the network has any (422 RETURN.REASON_INVALID naming /reasonCode). ' +
          'Partial returns are allowed; never more than sold minus returned per SKU (409 RETURN.MORE_THAN_SOLD ' +
          'naming /items/i/quantity with what remains). In one transaction: the NF-e de entrada (model 55, ' +
          'finNFe 4, CFOP 1202 / 2202, NFref = the sale’s NF-e or NFC-e key) is issued and sent to SEFAZ, the ' +
          'goods are back in the store’s stock (`return` movements), and the order’s history and an ' +
          '`order.returned` webhook carry the reason. The order’s status does not change.',
        body: ReturnBody,
        response: {
          201: Type.Object({
            return: OrderReturn,
            fiscalDocument: fiscal.DocumentRefPayload,
            stockMovements: Type.Array(StockMovement),
          }),
        },
      },
    },
    async (req, reply) => {
      const done = unwrap(
        await returns.createReturn(db, opts, principalOf(req), req.body as Static<typeof ReturnBody>),
      );
      return reply.code(201).send(await answerOf(done));
    },
  );

  app.get(
    '/api/v1/orders/:id/returns',
    {
      config: { access: [...backOffice, 'pos'] },
      schema: {
        tags,
        summary: 'The returns of an order, oldest first',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Type.Object({ items: Type.Array(OrderReturn), nextCursor: Type.Null() }) },
      },
    },
    async (req) => ({
      items: unwrap(await returns.returnsOfOrder(db, principalOf(req), req.params.id)),
      nextCursor: null,
    }),
  );

  app.post(
    '/api/v1/orders/:id/returns',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Goods of an invoiced or delivered order come back to the store (back office)',
        description:
          'The POS return’s flow by the order’s id, for goods that come back after dispatch: an omni return ' +
          'reason valid today (while the network has any), never more than sold minus returned per SKU (409 ' +
          'RETURN.MORE_THAN_SOLD), 409 RETURN.IN_TRANSIT while the goods are on their way. In one transaction: ' +
          'the NF-e de entrada (finNFe 4, NFref = the sale’s key) queued for SEFAZ, the goods back in stock, the ' +
          'history fact and the `order.returned` webhook, and the goods’ value credited to the customer ' +
          '(finance); an optional refund (managers and admins) pays it back at once.',
        params: IdParams,
        body: BackOfficeReturnBody,
        response: {
          201: Type.Object({
            return: OrderReturn,
            fiscalDocument: fiscal.DocumentRefPayload,
            stockMovements: Type.Array(StockMovement),
          }),
        },
      },
    },
    async (req, reply) => {
      const done = unwrap(
        await returns.createBackOfficeReturn(
          db,
          opts,
          principalOf(req),
          req.params.id,
          req.body as Static<typeof BackOfficeReturnBody>,
        ),
      );
      return reply.code(201).send(await answerOf(done));
    },
  );

  app.get(
    '/api/v1/orders/:id/invoice-cancellation',
    {
      config: { access: backOffice },
      schema: {
        tags: ['orders', 'fiscal'],
        summary: 'Whether the invoiced order’s NF-e / NFC-e may still be cancelled, and until when',
        description:
          '`action` says what "Cancelar pedido" does now: `cancel_document` inside the window of an order whose ' +
          'goods are still at the store, else `reverse_sale` (a return NF-e, the amount credited to the ' +
          'customer). `addressRequired` says the reversal needs the customer’s address in the POST (the order ' +
          'has none, as a pickup). 409 ORDER.NO_SALE_DOCUMENT when the order has no authorised sale document.',
        params: IdParams,
        response: { 200: CancellationWindow },
      },
    },
    async (req) => unwrap(await cancellation.cancellationWindowOf(db, opts, principalOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/orders/:id/invoice-cancellation',
    {
      config: { access: managers },
      schema: {
        tags: ['orders', 'fiscal'],
        summary: 'Cancel an invoiced order: its NF-e inside the window, else a reversal by return NF-e',
        description:
          'Managers and admins; `reason` of 15 to 255 characters. Inside the cancellation window (24 h for an ' +
          'NF-e, 30 min for an NFC-e, from its authorisation) of an `invoiced` order the sale’s document is ' +
          'cancelled at SEFAZ (event 110111): 200 `cancelled` with the order cancelled and the advance kept or ' +
          'released per IN_MANTER_SALD_ADIAN, 202 `cancellation_pending` while SEFAZ has not answered, 422 ' +
          'FISCAL.CANCELLATION_REJECTED when SEFAZ refuses. Outside it (or for a `delivered` order) the order ' +
          'is NOT cancelled: 200 `reversed` with a return NF-e (finNFe 4, NFref = the sale’s key) of ' +
          'everything left to return, the goods back in stock, the `order.returned` webhook and the amount ' +
          'credited to the customer (refund it with POST /orders/{id}/refunds). The return NF-e names the ' +
          'customer’s address: for an order without one (a pickup; GET says `addressRequired`) send ' +
          '`customerAddress`, else 422 RETURN.CUSTOMER_ADDRESS_REQUIRED naming /customerAddress (a city the ' +
          'IBGE table does not know: /customerAddress/cityCode); it is ignored by a document cancellation. ' +
          '409 RETURN.IN_TRANSIT while the goods are on their way, RETURN.NOTHING_LEFT when everything came ' +
          'back already, ORDER.NO_SALE_DOCUMENT without an authorised sale document; 404 when the order is not ' +
          'visible.',
        params: IdParams,
        body: CancellationBody,
        response: { 200: CancellationAnswer, 202: CancellationAnswer },
      },
    },
    async (req, reply) => {
      const caller = principalOf(req);
      const done = unwrap(
        await cancellation.cancelInvoicedOrder(
          db,
          opts,
          opts.references,
          caller,
          req.params.id,
          req.body as Static<typeof CancellationBody>,
        ),
      );
      opts.wakeWorker?.();
      const who = orders.callerOf(caller);
      if (done.outcome === 'cancellation') {
        const event = await fiscal.settled(() => fiscal.findEvent(db, done.eventId), answerWithin);
        if (event?.status === 'rejected')
          unwrap(
            fail(
              'invalid',
              'FISCAL.CANCELLATION_REJECTED',
              `SEFAZ refused the cancellation: ${event.rejectionCode} ${event.rejectionReason}. The document stays authorised.`,
              { data: { rejection: { code: event.rejectionCode, reason: event.rejectionReason } } },
            ),
          );
        const pending = event?.status === 'sending';
        return reply.code(pending ? 202 : 200).send({
          outcome: pending ? 'cancellation_pending' : 'cancelled',
          order: unwrap(await orders.getOrder(db, who, req.params.id)),
          fiscalDocument: unwrap(await fiscal.getDocumentView(db, caller, done.documentId)),
        });
      }
      const id = done.returned.fiscalDocumentId;
      await fiscal.settledDocument(db, id, answerWithin);
      return reply.code(200).send({
        outcome: 'reversed',
        order: unwrap(await orders.getOrder(db, who, req.params.id)),
        fiscalDocument: unwrap(await fiscal.getDocumentView(db, caller, id)),
        return: done.returned.return,
      });
    },
  );
}
