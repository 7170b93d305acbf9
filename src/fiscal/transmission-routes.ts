import { Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import * as documents from './documents.ts';
import { transmitDocument } from './issuing.ts';
import { FiscalDocument } from './payloads.ts';

export interface TransmissionRouteOptions {
  /** Wakes the in-process job worker, so SEFAZ is asked now rather than at the next poll. */
  wakeWorker?: () => void;
  /** How long the request waits for SEFAZ's answer before answering 202 with the document still sending. */
  answerWithinMs?: number;
}

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The manual transmission of an NF-e kept `unsent` (TP_ENVIO_NFE_AUTOMATIC 0 or 2). */
export function registerTransmissionRoutes(app: App, db: Db, opts: TransmissionRouteOptions = {}) {
  const answerWithin = opts.answerWithinMs ?? 15_000;
  app.post(
    '/api/v1/fiscal-documents/:id/transmit',
    {
      config: { access: backOffice },
      schema: {
        tags: ['fiscal'],
        summary: 'Transmit to SEFAZ an NF-e waiting for transmission ("Transmitir")',
        description:
          'Store staff, managers and admins. An NF-e of a store whose TP_ENVIO_NFE_AUTOMATIC is 0 or 2 is built and ' +
          'signed at invoicing and waits as `unsent` (its order stays `invoicing`); this sends it. 200 once SEFAZ ' +
          'authorised it (the order is `invoiced`); 202 while SEFAZ has not answered; 422 FISCAL.REJECTED when SEFAZ ' +
          'refused it (the order is back in picking). 409 FISCAL.NOT_UNSENT when the document is not waiting.',
        params: IdParams,
        response: { 200: FiscalDocument, 202: FiscalDocument },
      },
    },
    async (req, reply) => {
      const reader = principalOf(req);
      const { documentId } = unwrap(await transmitDocument(db, reader, req.params.id));
      opts.wakeWorker?.();
      const doc = await documents.settledDocument(db, documentId, answerWithin);
      if (doc?.status === 'rejected')
        unwrap(
          fail(
            'invalid',
            'FISCAL.REJECTED',
            `SEFAZ rejected the NF-e: ${doc.rejectionCode} ${doc.rejectionReason}.`,
            {
              data: {
                fiscalDocument: { id: doc.id, accessKey: doc.accessKey, status: doc.status },
                rejection: { code: doc.rejectionCode, reason: doc.rejectionReason },
              },
            },
          ),
        );
      const view = unwrap(await documents.getDocumentView(db, reader, documentId));
      return reply.code(doc?.status === 'sending' ? 202 : 200).send(view);
    },
  );
}
