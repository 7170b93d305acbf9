import { type Static, Type } from '@sinclair/typebox';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import { principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import { answerId } from '../platform/http/tickets.ts';
import { posTicket } from './ticket.ts';

const { storeCode: _storeCode, channel: _channel, ...sale } = orders.IngestPayload.properties;
const EndlessAisleBody = Type.Object(
  {
    ...sale,
    storeCode: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,20}$',
        description: 'The store that serves it; default the POS’s own (which may then split it)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The POS's endless-aisle sales (seeds 003 PDVFM001, "prateleira infinita"). */
export function registerEndlessAisleRoutes(app: App, db: Db) {
  app.post(
    '/api/v1/pos/endless-aisle-orders',
    {
      config: { access: ['pos'], ticket: { ...posTicket, orderId: answerId } },
      schema: {
        tags: ['pos'],
        summary: 'Sell from the endless aisle: an order for goods the store lacks (idempotent on externalId)',
        description:
          'The body of POST /api/v1/orders (externalId: the POS’s own sale id), with `storeCode` optional (default ' +
          'the POS’s store). 201 with the order: modality `endless_aisle`, channel `pos`, status open and ' +
          '`endlessAisle` with the selling store, its representative (CD_REPRE_PRATELEIRA), print model ' +
          '(CD_MOD_VENDA_PRATELEIRA) and the blocking reason (CD_MOTIVOBLOQ_PED_PRATELE) it stays blocked with ' +
          'until the fulfilling store accepts it; then acceptance and split as for any order. 200 with the same ' +
          'order for a repeat; 409 ORDER.EXTERNAL_ID_CONFLICT for another body; 409 ORDER.ENDLESS_AISLE_DISABLED ' +
          'when TP_UTILIZA_PRATELEIRA is off for the POS’s store; 422 ORDER.INVALID naming each field.',
        body: EndlessAisleBody,
        response: { 200: orders.OrderPayload, 201: orders.OrderPayload },
      },
    },
    async (req, reply) => {
      const done = unwrap(
        await orders.sellFromEndlessAisle(
          db,
          orders.callerOf(principalOf(req)),
          req.body as Static<typeof EndlessAisleBody>,
        ),
      );
      return reply.code(done.created ? 201 : 200).send(done.order);
    },
  );
}
