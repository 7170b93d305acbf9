import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { registerConferenceRoutes } from './conference-routes.ts';
import { registerLabelRoutes } from './label-routes.ts';
import * as fulfilment from './service.ts';

const Id = Type.String({ format: 'uuid' });
const LayoutQuery = {
  layout: Type.Optional(
    StringEnum(fulfilment.layouts, {
      default: fulfilment.defaultLayout,
      description:
        '`a4`: a sheet per slip, matrix-printer style; `thermal`: an 80 mm roll, one page per slip',
    }),
  ),
};
const SlipQuery = Type.Object(LayoutQuery);
const BatchQuery = Type.Object({
  orderId: Type.Array(Id, {
    minItems: 1,
    maxItems: fulfilment.MAX_BATCH,
    description: `The selected orders (repeat the parameter, up to ${fulfilment.MAX_BATCH}); a repeated id prints once`,
  }),
  ...LayoutQuery,
});

/** The PDF itself: no JSON serialisation, documented as a binary answer. */
const pdfResponse = {
  200: {
    description: 'The picking slip(s), opened in the browser (Content-Disposition: inline)',
    content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
  },
};

function sendPdf(reply: FastifyReply, { pdf, fileName }: fulfilment.SlipPdf) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(pdf);
}

export function registerFulfilmentRoutes(app: App, db: Db) {
  const tags = ['fulfilment'];
  const caller = (req: Parameters<typeof principalOf>[0]) => orders.callerOf(principalOf(req));

  app.get(
    '/api/v1/orders/:id/picking-slip.pdf',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The picking slip of an order (romaneio de separação), as PDF',
        description:
          'The sheet that goes with the picked goods: store, order number with its Code 128 barcode, customer, ' +
          'delivery, the items with a check column, payments, totals and signature lines. 404 ORDER.NOT_FOUND ' +
          'when the order is not visible to you (as GET /orders/{id}).',
        params: Type.Object({ id: Id }),
        querystring: SlipQuery,
        response: pdfResponse,
      },
    },
    async (req, reply) => {
      const { layout } = req.query as Static<typeof SlipQuery>;
      return sendPdf(reply, unwrap(await fulfilment.pickingSlipOf(db, caller(req), req.params.id, layout)));
    },
  );

  app.get(
    '/api/v1/orders/:id/pickup-receipt.pdf',
    {
      config: { access: [...backOffice, 'pos'] },
      schema: {
        tags,
        summary: 'The pickup delivery receipt of a served pickup order (comprovante de entrega), as PDF',
        description:
          'Half an A4 sheet for the customer and the store to sign: store (name, CNPJ, address), order number and ' +
          'date, customer, the items, the NFC-e (number and access key), the pickup (who, document, when; blank ' +
          'until the handover) and two signature lines. Reprintable: from the second print on it says "2ª via". ' +
          '409 FULFILMENT.RECEIPT_NOT_AVAILABLE for a ship order or one not served yet (only invoiced or ' +
          'delivered); 404 ORDER.NOT_FOUND when the order is not visible to you (a POS sees its store’s).',
        params: Type.Object({ id: Id }),
        response: {
          200: {
            description: 'The receipt, opened in the browser (Content-Disposition: inline)',
            content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
          },
        },
      },
    },
    async (req, reply) =>
      sendPdf(reply, unwrap(await fulfilment.pickupReceiptOf(db, caller(req), req.params.id))),
  );

  app.get(
    '/api/v1/picking-slips.pdf',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The picking slips of selected orders, as one PDF',
        description:
          `Up to ${fulfilment.MAX_BATCH} orders, each slip on its own page(s), in the order given. 404 ORDER.NOT_FOUND ` +
          'naming every id you cannot see (`orderIds`), and nothing is printed.',
        querystring: BatchQuery,
        response: pdfResponse,
      },
    },
    async (req, reply) => {
      const { orderId, layout } = req.query as Static<typeof BatchQuery>;
      return sendPdf(reply, unwrap(await fulfilment.pickingSlipsOf(db, caller(req), orderId, layout)));
    },
  );

  registerConferenceRoutes(app, db);
  registerLabelRoutes(app, db);
}
