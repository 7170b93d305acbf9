import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import { type Actor, admins, backOffice, type Principal, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { Quantity, StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { bareBodyIsEmpty } from '../platform/http/validation.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import { MAX_QUANTITY, movementKinds, reservationStatuses } from './domain.ts';
import * as stock from './service.ts';
import * as views from './views.ts';

const StoreCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: 'Store code' });
const Sku = Type.String({ minLength: 1, maxLength: 60 });
const Reason = Type.String({ minLength: 1, maxLength: 200 });

const StockItem = Type.Object({
  sku: Type.String(),
  storeCode: Type.String(),
  available: Type.Integer({ description: 'On hand minus reserved; never negative' }),
  onHand: Type.Optional(Type.Integer({ description: 'Back office and POS only' })),
  reserved: Type.Optional(Type.Integer({ description: 'Back office and POS only' })),
});

const Movement = Type.Object({
  id: Type.Integer(),
  storeCode: Type.String(),
  sku: Type.String(),
  kind: StringEnum(movementKinds),
  onHandDelta: Type.Integer(),
  reservedDelta: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  referenceType: Type.Union([Type.String(), Type.Null()]),
  referenceId: Type.Union([Type.String(), Type.Null()]),
  reservationId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

const Reservation = Type.Object({
  id: Type.String({ format: 'uuid' }),
  storeCode: Type.String(),
  sku: Type.String(),
  quantity: Type.Integer(),
  status: StringEnum(reservationStatuses),
  referenceType: Type.Union([Type.String(), Type.Null()]),
  referenceId: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const AdjustmentBody = Type.Object(
  {
    storeCode: StoreCode,
    sku: Sku,
    quantity: Type.Optional(
      Type.Integer({
        minimum: -MAX_QUANTITY,
        maximum: MAX_QUANTITY,
        description: 'Signed change of the on-hand quantity, not zero; or send countedQuantity',
      }),
    ),
    countedQuantity: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_QUANTITY, description: 'The quantity counted on the shelf' }),
    ),
    reason: Reason,
  },
  { additionalProperties: false },
);

const ReservationBody = Type.Object(
  {
    storeCode: StoreCode,
    sku: Sku,
    quantity: Quantity(),
    reference: Type.Optional(
      Type.String({ minLength: 1, maxLength: 120, description: 'Your note: a customer, a ticket' }),
    ),
  },
  { additionalProperties: false },
);

const MovementQuery = Type.Object({
  storeCode: Type.Optional(StoreCode),
  sku: Type.Optional(Sku),
  kind: Type.Optional(Type.Array(StringEnum(movementKinds))),
  ...PageQuery,
});

const ReleaseBody = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });

/** Reservations made through this API are holds at the counter; an order's are the order flow's to close. */
const MANUAL = 'manual';

const stockAdjusters: readonly Actor[] = [...admins, 'store_manager'];

const actorRef = (p: Principal) => `${p.kind}:${p.id}`;

export function registerStockRoutes(app: App, db: Db) {
  const tags = ['stock'];

  app.get(
    '/api/v1/stock',
    {
      config: { access: [...backOffice, 'platform', 'pos'] },
      schema: {
        tags,
        summary: 'Available stock per SKU and store',
        description:
          'Every SKU × store pair you may see, ordered by SKU then store. The e-commerce platform sees only ' +
          'products enabled for the e-commerce, at every store of the network; a store user and a POS ' +
          'see their store.',
        querystring: Type.Object({
          sku: Type.Optional(Type.Array(Sku, { maxItems: 200 })),
          storeCode: Type.Optional(Type.Array(StoreCode, { maxItems: 200 })),
          ...PageQuery,
        }),
        response: { 200: PageOf(StockItem) },
      },
    },
    async (req) => {
      const viewer = principalOf(req);
      const page = unwrap(await views.stockPage(db, viewer, req.query));
      if (viewer.actor !== 'platform') return page;
      return {
        items: page.items.map(({ sku, storeCode, available }) => ({ sku, storeCode, available })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/stock/movements',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The stock ledger of your stores, newest first',
        querystring: MovementQuery,
        response: { 200: PageOf(Movement) },
      },
    },
    async (req) =>
      unwrap(await views.movementPage(db, principalOf(req), req.query as Static<typeof MovementQuery>)),
  );

  app.post(
    '/api/v1/stock/adjustments',
    {
      config: { access: stockAdjusters },
      schema: {
        tags,
        summary: 'Adjust the on-hand quantity (a signed change or a count)',
        description:
          '201 with the movement written; 200 with `movement: null` when a count equals the balance. ' +
          '409 STOCK.BELOW_RESERVED when the result would be below the reserved quantity.',
        body: AdjustmentBody,
        response: {
          200: Type.Object({ balance: StockItem, movement: Type.Union([Movement, Type.Null()]) }),
          201: Type.Object({ balance: StockItem, movement: Type.Union([Movement, Type.Null()]) }),
        },
      },
    },
    async (req, reply) => {
      const viewer = principalOf(req);
      const body = req.body as Static<typeof AdjustmentBody>;
      const { store, product } = unwrap(await views.resolveLine(db, viewer, body.storeCode, body.sku));
      const done = unwrap(
        await stock.adjust(db, {
          storeId: store.id,
          productId: product.id,
          quantity: body.quantity,
          countedQuantity: body.countedQuantity,
          reason: body.reason,
          actor: actorRef(viewer),
        }),
      );
      const names = { sku: product.sku, storeCode: store.code };
      const { onHand, reserved, available } = done.balance;
      return reply.code(done.movement ? 201 : 200).send({
        balance: { ...names, onHand, reserved, available },
        movement: done.movement && views.movementView(done.movement, names),
      });
    },
  );

  app.post(
    '/api/v1/stock/reservations',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Hold stock at a store (a customer’s item kept at the counter)',
        description: '409 STOCK.INSUFFICIENT with requested, available and missing when the store is short.',
        body: ReservationBody,
        response: { 201: Reservation },
      },
    },
    async (req, reply) => {
      const viewer = principalOf(req);
      const body = req.body as Static<typeof ReservationBody>;
      const { store, product } = unwrap(await views.resolveLine(db, viewer, body.storeCode, body.sku));
      const reservation = unwrap(
        await stock.reserve(db, {
          storeId: store.id,
          productId: product.id,
          quantity: body.quantity,
          reference: { type: MANUAL, id: body.reference ?? null },
          actor: actorRef(viewer),
        }),
      );
      return reply
        .code(201)
        .send(views.reservationView(reservation, { storeCode: store.code, sku: product.sku }));
    },
  );

  const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

  app.get(
    '/api/v1/stock/reservations/:id',
    {
      config: { access: backOffice },
      schema: { tags, summary: 'One reservation', params: IdParams, response: { 200: Reservation } },
    },
    async (req) => {
      const { reservation, names } = unwrap(
        await views.visibleReservation(db, principalOf(req), req.params.id),
      );
      return views.reservationView(reservation, names);
    },
  );

  app.post(
    '/api/v1/stock/reservations/:id/release',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Release a hold made at the counter',
        description:
          '409 STOCK.RESERVATION_CLOSED when already released or consumed; 409 STOCK.RESERVATION_NOT_MANUAL ' +
          'for a hold owned by an order (cancel the order instead).',
        params: IdParams,
        body: ReleaseBody,
        response: { 200: Reservation },
      },
      // The body is optional: a bare POST releases with no reason.
      preValidation: bareBodyIsEmpty,
    },
    async (req) => {
      const viewer = principalOf(req);
      const { reservation, names } = unwrap(await views.visibleReservation(db, viewer, req.params.id));
      if (reservation.reference?.type !== MANUAL) {
        unwrap(
          fail(
            'conflict',
            'STOCK.RESERVATION_NOT_MANUAL',
            `This reservation belongs to ${reservation.reference?.type ?? 'another process'} ` +
              `${reservation.reference?.id ?? ''}; it is released by that flow.`.trim(),
            { data: { referenceType: reservation.reference?.type ?? null } },
          ),
        );
      }
      const body = req.body as Static<typeof ReleaseBody>;
      const released = unwrap(
        await stock.release(db, {
          reservationId: reservation.id,
          actor: actorRef(viewer),
          reason: body.reason,
        }),
      );
      return views.reservationView(released, names);
    },
  );
}
