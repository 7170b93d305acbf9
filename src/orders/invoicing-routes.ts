import { type Static, Type } from '@sinclair/typebox';
import * as fiscal from '../fiscal/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import { bareBodyIsEmpty } from '../platform/http/validation.ts';
import { invoiceOrder, ORDER_REFERENCE } from './invoicing.ts';
import { callerOf } from './lifecycle.ts';
import { IdParams, Order } from './payloads.ts';
import { getOrder } from './view-loader.ts';

export interface InvoicingRouteOptions extends fiscal.IssuingDeps {
  /** Wakes the in-process job worker, so SEFAZ is asked now rather than at the next poll. */
  wakeWorker?: () => void;
  /** How long a request waits for SEFAZ's answer before answering 202 with the document still sending. */
  answerWithinMs?: number;
}

const Invoiced = Type.Object({ order: Order, fiscalDocument: fiscal.DocumentRefPayload });

const InvoiceBody = Type.Object(
  {
    salespersonId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'The salesperson, a user of the order’s store (GET /orders/{id}/salespeople): asked where ' +
          'TP_DADO_ADIC_BX_PED_ECOMM is 1, required where it is 2',
      }),
    ),
  },
  { additionalProperties: false },
);

export function registerInvoicingRoutes(app: App, db: Db, opts: InvoicingRouteOptions) {
  // Listed with the fiscal documents in the API reference, as they always were.
  const tags = ['fiscal'];
  const answerWithin = opts.answerWithinMs ?? 15_000;
  const caller = (req: Parameters<typeof principalOf>[0]) => callerOf(principalOf(req));

  app.post(
    '/api/v1/orders/:id/invoice',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Issue the NF-e of a ship-from-store order in picking (faturar)',
        description:
          'Checks parameters 9258 (document type 55) and 9259 (series), the store’s certificate, the emitter’s and ' +
          'recipient’s data and that the document carries the order’s items and values; then builds, signs and ' +
          'validates the NF-e, moves the order to `invoicing` and sends the NF-e to SEFAZ. 200 once authorised ' +
          '(the order is `invoiced`, its reservations are sales); 202 when SEFAZ has not answered yet (the order ' +
          'stays `invoicing`, the answer arrives by itself) or when the store transmits by hand ' +
          '(TP_ENVIO_NFE_AUTOMATIC 0 or 2: the NF-e is `unsent` until POST /fiscal-documents/{id}/transmit); 422 FISCAL.REJECTED when SEFAZ refused it (the order ' +
          'is back in `picking`; invoicing again reuses the number); 422 FISCAL.DENIED when SEFAZ denied its use (110/301/302: ' +
          'the number is used up, the order is back in `picking`, invoicing again takes a new number). 422 FISCAL.DATA_INCOMPLETE lists every missing ' +
          'field; 409 ORDER.TRANSITION_NOT_ALLOWED when the order is not a ship order in picking. 422 ' +
          'ORDER.SALESPERSON_REQUIRED when the store asks for the salesperson (TP_DADO_ADIC_BX_PED_ECOMM 2) and ' +
          'none is sent; 422 ORDER.SALESPERSON_UNKNOWN for one who is not a user of the order’s store. The ' +
          'salesperson is kept on the order, in its history and in the NF-e’s infCpl ("Vendedor: …").',
        params: IdParams,
        body: InvoiceBody,
        response: { 200: Invoiced, 202: Invoiced },
      },
      // A bare POST (no body) invoices without a salesperson.
      preValidation: bareBodyIsEmpty,
    },
    async (req, reply) => {
      const who = caller(req);
      const { salespersonId } = req.body as Static<typeof InvoiceBody>;
      const issued = unwrap(await invoiceOrder(db, opts, who, req.params.id, { salespersonId }));
      opts.wakeWorker?.();
      const doc = await fiscal.settledDocument(db, issued.documentId, answerWithin);
      if (!doc) throw new Error(`fiscal document ${issued.documentId} vanished`);
      if (doc.status === 'rejected')
        unwrap(
          fail(
            'invalid',
            'FISCAL.REJECTED',
            `SEFAZ rejected the NF-e: ${doc.rejectionCode} ${doc.rejectionReason}. The order is back in picking.`,
            {
              data: {
                fiscalDocument: { id: doc.id, accessKey: doc.accessKey, status: doc.status },
                rejection: { code: doc.rejectionCode, reason: doc.rejectionReason },
              },
            },
          ),
        );
      if (doc.status === 'denied')
        unwrap(
          fail(
            'invalid',
            'FISCAL.DENIED',
            `SEFAZ denied the NF-e (uso denegado): ${doc.rejectionCode} ${doc.rejectionReason}. Its number is used up; the order is back in picking.`,
            {
              data: {
                fiscalDocument: { id: doc.id, accessKey: doc.accessKey, status: doc.status },
                rejection: { code: doc.rejectionCode, reason: doc.rejectionReason },
              },
            },
          ),
        );
      const order = unwrap(await getOrder(db, who, req.params.id));
      return reply
        .code(doc.status === 'sending' || doc.status === 'unsent' ? 202 : 200)
        .send({ order, fiscalDocument: { id: doc.id, accessKey: doc.accessKey, status: doc.status } });
    },
  );

  app.get(
    '/api/v1/orders/:id/fiscal-documents',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: "An order's fiscal documents, oldest first",
        params: IdParams,
        response: {
          200: Type.Object({ items: Type.Array(fiscal.FiscalDocumentPayload), nextCursor: Type.Null() }),
        },
      },
    },
    async (req) => {
      unwrap(await getOrder(db, caller(req), req.params.id));
      return { items: await fiscal.documentViewsFor(db, ORDER_REFERENCE, req.params.id), nextCursor: null };
    },
  );
}
