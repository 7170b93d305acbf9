import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import * as orders from '../orders/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import * as fulfilment from './service.ts';

const Id = Type.String({ format: 'uuid' });
const format = Type.Optional(
  StringEnum(fulfilment.labelFormats, {
    default: fulfilment.defaultLabelFormat,
    description:
      '`thermal`: a 10×15 cm label per page (label printers); `a4`: four labels per A4 sheet. A carrier’s own ' +
      'label keeps its pages.',
  }),
);
const LabelQuery = Type.Object({ format });
const BatchQuery = Type.Object({
  ids: Type.String({
    minLength: 1,
    // Room for more than the maximum, so a list one id too long is told FULFILMENT.BATCH_SIZE.
    maxLength: 37 * 2 * fulfilment.MAX_LABELS,
    description: `The selected orders' ids, comma-separated (up to ${fulfilment.MAX_LABELS}); a repeated id prints once`,
  }),
  format,
});

const pdfAnswer = (description: string) => ({
  200: { description, content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } } },
});

function sendPdf(reply: FastifyReply, { pdf, fileName }: fulfilment.LabelPdf) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(pdf);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `a,b,c` → the ids, or a 422 naming what is wrong with the list. */
function parseIds(raw: string) {
  const ids = raw.split(',').map((s) => s.trim());
  const bad = ids.filter((id) => !UUID.test(id));
  if (bad.length > 0)
    return fail('invalid', 'FULFILMENT.BATCH_IDS', 'ids must be order ids (UUIDs) separated by commas.', {
      errors: [
        {
          path: '/ids',
          code: 'FULFILMENT.BATCH_IDS',
          params: { invalid: bad.slice(0, 10) },
          message: `are not order ids: ${bad.slice(0, 10).join(', ')}`,
        },
      ],
    });
  if (new Set(ids).size > fulfilment.MAX_LABELS)
    return fail('invalid', 'FULFILMENT.BATCH_SIZE', `Select between 1 and ${fulfilment.MAX_LABELS} orders.`, {
      errors: [
        {
          path: '/ids',
          code: 'FULFILMENT.BATCH_SIZE',
          params: { maxItems: fulfilment.MAX_LABELS },
          message: `must name at most ${fulfilment.MAX_LABELS} orders`,
        },
      ],
    });
  return { ok: true as const, value: ids };
}

/** Shipping paperwork: logistic labels of ship orders and the content declaration of stock requests. */
export function registerLabelRoutes(app: App, db: Db) {
  const tags = ['fulfilment'];
  const caller = (req: Parameters<typeof principalOf>[0]) => orders.callerOf(principalOf(req));

  app.get(
    '/api/v1/orders/:id/label.pdf',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The logistic label of a ship order (etiqueta logística), as PDF',
        description:
          'The carrier’s own label when its adapter stored one; otherwise Omnihub’s: sender (the store) and ' +
          'recipient blocks, carrier and service, the tracking code and the destination CEP as Code 128, the ' +
          'Correios DataMatrix, the NF-e number and access key, the order number and the store’s logo ' +
          '(CD_LOGOTIPO_EMP). Copies per TP_IMP_ETIQ_LOGISTICA_PED (3 and 4: two). 409 ORDER.NO_TRACKING_CODE ' +
          'while the order has no tracking code (PUT /orders/{id}/shipment); 409 ORDER.NOT_SHIP for a pickup ' +
          'order; 404 ORDER.NOT_FOUND when the order is not visible to you.',
        params: Type.Object({ id: Id }),
        querystring: LabelQuery,
        response: pdfAnswer('The label, opened in the browser (Content-Disposition: inline)'),
      },
    },
    async (req, reply) => {
      const { format: chosen } = req.query as Static<typeof LabelQuery>;
      return sendPdf(
        reply,
        unwrap(
          await fulfilment.labelOf(db, caller(req), req.params.id, chosen ?? fulfilment.defaultLabelFormat),
        ),
      );
    },
  );

  app.get(
    '/api/v1/labels.pdf',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The logistic labels of selected orders, as one PDF',
        description:
          `Up to ${fulfilment.MAX_LABELS} orders in the order given, each per its store's ` +
          'TP_IMP_ETIQ_LOGISTICA_PED: copies (values 3 and 4 print two) and, on A4, whether an order starts a ' +
          'new sheet (2 and 4) or the labels share sheets (1 and 3); on a thermal roll every label is a page. ' +
          'A carrier’s own label is put in its order’s place. All or nothing, as a store prints the batch it ' +
          'selected: 422 FULFILMENT.BATCH_IDS / FULFILMENT.BATCH_SIZE for a malformed list or more than ' +
          `${fulfilment.MAX_LABELS} orders; 404 ORDER.NOT_FOUND naming every id you cannot see (\`orderIds\`); ` +
          '409 FULFILMENT.LABELS_NOT_PRINTABLE listing each order that cannot print yet (`orders`: id, number, ' +
          'code ORDER.NOT_SHIP or ORDER.NO_TRACKING_CODE, reason). Nothing is printed then: deselect those and ' +
          'print again.',
        querystring: BatchQuery,
        response: pdfAnswer('The labels, opened in the browser (Content-Disposition: inline)'),
      },
    },
    async (req, reply) => {
      const q = req.query as Static<typeof BatchQuery>;
      const ids = unwrap(parseIds(q.ids));
      return sendPdf(
        reply,
        unwrap(await fulfilment.labelsOf(db, caller(req), ids, q.format ?? fulfilment.defaultLabelFormat)),
      );
    },
  );

  app.get(
    '/api/v1/stock-requests/:id/content-declaration.pdf',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The content declaration of a stock request’s goods (declaração de conteúdo), as PDF',
        description:
          'The Correios model for goods sent by post without an NF-e: sender (the company asked for the goods) ' +
          'and recipient (the main store), the goods with quantity and value, totals, the weight line, the ' +
          'declaration and its signature; two copies on one A4 sheet. For the sending company and the nodes ' +
          'above it (403 SPLIT.NOT_YOUR_SIDE for the main store); 409 SPLIT.REQUEST_NOT_SENDING before the ' +
          'request is accepted or once it is refused or cancelled; 404 SPLIT.REQUEST_NOT_FOUND.',
        params: Type.Object({ id: Id }),
        response: pdfAnswer('The declaration, opened in the browser (Content-Disposition: inline)'),
      },
    },
    async (req, reply) =>
      sendPdf(reply, unwrap(await fulfilment.contentDeclarationOf(db, principalOf(req), req.params.id))),
  );
}
