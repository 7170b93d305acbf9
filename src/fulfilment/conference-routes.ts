import { type Static, type TSchema, Type } from '@sinclair/typebox';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import { type Actor, backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { bareBodyIsEmpty } from '../platform/http/validation.ts';
import * as fulfilment from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Who = Type.Object({ id: Type.String(), name: Type.String(), role: Type.String() });

const Conference = Type.Object({
  orderId: Type.String({ format: 'uuid' }),
  orderNumber: Type.Integer(),
  orderStatus: StringEnum(orders.orderStatuses),
  deliveryType: StringEnum(orders.deliveryTypes),
  mode: StringEnum(['scan_required', 'at_acceptance', 'scan_optional'] as const, {
    description:
      'TP_CONF_ACEITE_PED at the store: 0 `scan_required`, 1 `at_acceptance` (no scan), 2 `scan_optional`',
  }),
  required: Type.Boolean({ description: 'The order may not move on before the count is finished' }),
  status: StringEnum(fulfilment.conferenceStatuses),
  method: Nullable(StringEnum(['scan', 'acceptance'] as const)),
  lines: Type.Array(
    Type.Object({
      line: Type.Integer(),
      sku: Type.String(),
      ean: Type.String(),
      description: Type.String(),
      expected: Type.Integer(),
      counted: Type.Integer(),
    }),
  ),
  totals: Type.Object({ expected: Type.Integer(), counted: Type.Integer() }),
  startedAt: Nullable(Type.String({ format: 'date-time' })),
  startedBy: Nullable(Who),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  finishedBy: Nullable(Who),
});

const ScanBody = Type.Object(
  {
    ean: Type.Optional(
      Type.String({
        pattern: '^\\s*[0-9]{8,14}\\s*$',
        description: 'The scanned barcode (EAN-8/13, UPC-A, GTIN-14)',
      }),
    ),
    sku: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
const RestartBody = Type.Object({ reason: Type.String({ maxLength: 500 }) }, { additionalProperties: false });

const counters: readonly Actor[] = [...backOffice, 'pos'];
/** A restart throws counted work away: a manager's decision, as a cancellation is. */
const restarters: readonly Actor[] = ['network_admin', 'central_admin', 'store_manager'];

export function registerConferenceRoutes(app: App, db: Db) {
  const tags = ['fulfilment'];
  const caller = (req: Parameters<typeof principalOf>[0]) => orders.callerOf(principalOf(req));
  const Scanned = Type.Composite([
    Conference,
    Type.Object({
      scanned: Type.Object({ line: Type.Integer(), sku: Type.String(), quantity: Type.Integer() }),
    }),
  ]);

  app.get(
    '/api/v1/orders/:id/conference',
    {
      config: { access: counters },
      schema: {
        tags,
        summary: 'The scan conference of an order: expected vs counted per line',
        description:
          '`status`: not_started (nothing scanned), counting, finished (by scanning, or `method: acceptance` ' +
          'where TP_CONF_ACEITE_PED = 1). Who started and finished it, and when. A POS key sees its store’s ' +
          'orders only (404 otherwise).',
        params: Params,
        response: { 200: Conference },
      },
    },
    async (req) => unwrap(await fulfilment.conferenceOf(db, caller(req), req.params.id)),
  );

  app.post(
    '/api/v1/orders/:id/conference/scans',
    {
      config: { access: counters },
      schema: {
        tags,
        summary: 'Count a scanned item (conferência por leitura)',
        description:
          'Exactly one of `ean` (what a barcode scanner reads) or `sku`; `quantity` defaults to 1. The first ' +
          'scan starts the count (one count per order). 422 CONFERENCE.NOT_IN_ORDER for an EAN/SKU that is ' +
          'not an item of the order, 422 CONFERENCE.OVER_QUANTITY past the ordered quantity: nothing counted ' +
          'either way. 409 CONFERENCE.NOT_IN_PICKING outside picking, CONFERENCE.ALREADY_FINISHED after the ' +
          'finish, CONFERENCE.AT_ACCEPTANCE where the store confirms at acceptance (TP_CONF_ACEITE_PED = 1).',
        params: Params,
        body: ScanBody,
        response: { 200: Scanned },
      },
    },
    async (req) =>
      unwrap(
        await fulfilment.recordScan(db, caller(req), req.params.id, req.body as Static<typeof ScanBody>),
      ),
  );

  app.post(
    '/api/v1/orders/:id/conference/finish',
    {
      config: { access: counters },
      schema: {
        tags,
        summary: 'Finish the conference once every unit is counted',
        description:
          '409 CONFERENCE.INCOMPLETE with `missing: [{line, sku, ean, description, expected, counted, missing}]` ' +
          'until every unit is counted. A pickup order moves to `ready_for_pickup` (history and webhook, in ' +
          'the same transaction); a ship order may then be invoiced (POST /orders/{id}/invoice).',
        params: Params,
        body: Type.Object({}, { additionalProperties: false }),
        response: { 200: Conference },
      },
      preValidation: bareBodyIsEmpty,
    },
    async (req) => unwrap(await fulfilment.finishConference(db, caller(req), req.params.id)),
  );

  app.delete(
    '/api/v1/orders/:id/conference',
    {
      config: { access: restarters },
      schema: {
        tags,
        summary: 'Restart the conference (manager), with a reason',
        description:
          'The count in force is closed as restarted (kept) and the reason goes into the order’s history; ' +
          'the next scan starts a new count. Only while the order is in picking: a ship order’s finished ' +
          'count may be restarted (its invoicing is locked again); once the count moved a pickup order on, ' +
          '409 CONFERENCE.MOVED_ON. 422 CONFERENCE.REASON_REQUIRED without a reason; 409 ' +
          'CONFERENCE.NOT_STARTED when nothing was counted.',
        params: Params,
        body: RestartBody,
        response: { 200: Conference },
      },
    },
    async (req) =>
      unwrap(
        await fulfilment.restartConference(
          db,
          caller(req),
          req.params.id,
          (req.body as Static<typeof RestartBody>).reason,
        ),
      ),
  );
}
