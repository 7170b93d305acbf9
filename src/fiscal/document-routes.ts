import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import { DANFE_LINK, openLink } from '../platform/public-links.ts';
import * as documents from './documents.ts';
import type { IssuingDeps } from './issuing.ts';
import { FiscalDocument } from './payloads.ts';
import type { References } from './references.ts';

export interface FiscalRouteOptions extends IssuingDeps {
  /** Wakes the in-process job worker, so SEFAZ is asked now rather than at the next poll. */
  wakeWorker?: () => void;
  /** How long a request waits for SEFAZ's answer before answering 202 with the document still sending. */
  answerWithinMs?: number;
  /** What each reference type allows (cancelling its documents), registered in app.ts. */
  references: References;
}

const Id = Type.String({ format: 'uuid' });
const IdParams = Type.Object({ id: Id });
const CancelBody = Type.Object(
  {
    justification: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: '15 to 255 characters (xJust)',
    }),
  },
  { additionalProperties: false },
);

const CorrectionBody = Type.Object(
  {
    text: Type.String({
      minLength: 1,
      maxLength: 4000,
      description: 'xCorrecao: what is corrected, 15 to 1,000 characters',
    }),
  },
  { additionalProperties: false },
);
const EventParams = Type.Object({ id: Id, eventId: Id });

/** A file answer, outside the JSON serialiser. */
function sendFile(reply: FastifyReply, type: string, disposition: string, body: Buffer | string) {
  return reply
    .type(type)
    .header('content-disposition', disposition)
    .header('cache-control', 'no-store')
    .send(body);
}

export function registerFiscalDocumentRoutes(app: App, db: Db, opts: FiscalRouteOptions) {
  const tags = ['fiscal'];
  const answerWithin = opts.answerWithinMs ?? 15_000;

  app.get(
    '/api/v1/fiscal-documents/:id',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'A fiscal document: key, status, protocol or rejection, XML, events',
        description: 'The signature is verified on every read (`signatureValid`).',
        params: IdParams,
        response: { 200: FiscalDocument },
      },
    },
    async (req) => unwrap(await documents.getDocumentView(db, principalOf(req), req.params.id)),
  );

  app.get(
    '/api/v1/fiscal-documents/:id/xml',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The XML to keep and hand to the customer: nfeProc once authorised',
        params: IdParams,
        response: {
          200: {
            description: 'The XML file (attachment)',
            content: { 'application/xml': { schema: Type.String() } },
          },
        },
      },
    },
    async (req, reply) => {
      const { xml, accessKey } = unwrap(await documents.documentXml(db, principalOf(req), req.params.id));
      return sendFile(
        reply,
        'application/xml; charset=utf-8',
        `attachment; filename="${accessKey}-nfe.xml"`,
        xml,
      );
    },
  );

  app.get(
    '/api/v1/fiscal-documents/:id/danfe.pdf',
    {
      // The POS prints the receipts of its own store (its key is bound to the store: others are not visible).
      config: { access: [...backOffice, 'pos'] },
      schema: {
        tags,
        summary: 'The DANFE (NF-e, A4) or the NFC-e receipt (80 mm, with its QR code), as PDF',
        description: 'Back office, and the POS key of the document’s store (its receipts).',
        params: IdParams,
        response: {
          200: {
            description: 'The PDF (inline)',
            content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
          },
        },
      },
    },
    async (req, reply) => {
      const { pdf, accessKey } = unwrap(await documents.documentPdf(db, principalOf(req), req.params.id));
      return sendFile(reply, 'application/pdf', `inline; filename="${accessKey}-danfe.pdf"`, pdf);
    },
  );

  app.get(
    '/api/v1/public/danfe/:token',
    {
      // The link in the customer's e-mail: signed with the installation's key, expiring; no login.
      config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'The DANFE of a signed, expiring link (the customer’s e-mail), without a login',
        description: '404 FISCAL.LINK_INVALID for a link that is malformed, tampered with or expired.',
        params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
        response: {
          200: {
            description: 'The PDF (inline)',
            content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
          },
        },
      },
    },
    async (req, reply) => {
      const id = openLink(opts.secretKey, DANFE_LINK, req.params.token);
      if (!id || !/^[0-9a-f-]{36}$/.test(id))
        return unwrap(
          fail('not_found', 'FISCAL.LINK_INVALID', 'This link does not open a document (or expired).'),
        );
      const { pdf, accessKey } = unwrap(await documents.publicDocumentPdf(db, id));
      return sendFile(reply, 'application/pdf', `inline; filename="${accessKey}-danfe.pdf"`, pdf);
    },
  );

  app.post(
    '/api/v1/fiscal-documents/:id/cancel',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Cancel an authorised document at SEFAZ (event 110111)',
        description:
          'Managers and admins; a justification of 15 to 255 characters. SEFAZ accepts it within 24 h of the ' +
          'authorisation for an NF-e and 30 min for an NFC-e: then the document is `cancelled` and its order ' +
          'too, with the sold goods back in stock. After the window: 422 FISCAL.CANCELLATION_REJECTED with ' +
          'SEFAZ’s code 501, and nothing changes. 409 FISCAL.GOODS_LEFT once the order is in transit. 202 while ' +
          'SEFAZ has not answered.',
        params: IdParams,
        body: CancelBody,
        response: { 200: FiscalDocument, 202: FiscalDocument },
      },
    },
    async (req, reply) => {
      const reader = principalOf(req);
      const { justification } = req.body as Static<typeof CancelBody>;
      const { eventId } = unwrap(
        await documents.requestCancellation(db, opts, opts.references, reader, req.params.id, justification),
      );
      opts.wakeWorker?.();
      const event = await documents.settled(() => documents.findEvent(db, eventId), answerWithin);
      if (event?.status === 'rejected')
        unwrap(
          fail(
            'invalid',
            'FISCAL.CANCELLATION_REJECTED',
            `SEFAZ refused the cancellation: ${event.rejectionCode} ${event.rejectionReason}. The document stays authorised.`,
            { data: { rejection: { code: event.rejectionCode, reason: event.rejectionReason } } },
          ),
        );
      const view = unwrap(await documents.getDocumentView(db, reader, req.params.id));
      return reply.code(event?.status === 'sending' ? 202 : 200).send(view);
    },
  );

  app.post(
    '/api/v1/fiscal-documents/:id/correction-letters',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Send a correction letter (Carta de Correção, event 110110) for an authorised NF-e',
        description:
          'Back-office users who see the document’s store. The text (15 to 1,000 characters) corrects what the ' +
          'NF-e says, never the tax values, the parties or the dates (the layout’s conditions of use); a later ' +
          'letter replaces the earlier ones and takes the next sequence (1–20). 200 once SEFAZ registered it ' +
          '(the document with its events), 202 while SEFAZ has not answered; 409 FISCAL.CORRECTION_NOT_NFE for an ' +
          'NFC-e, FISCAL.NOT_AUTHORISED when the document is not authorised, FISCAL.EVENT_PENDING while another ' +
          'event is on its way; 422 FISCAL.CORRECTION_INVALID for the text, FISCAL.CORRECTION_REJECTED with ' +
          'SEFAZ’s code when SEFAZ refused it.',
        params: IdParams,
        body: CorrectionBody,
        response: { 200: FiscalDocument, 202: FiscalDocument },
      },
    },
    async (req, reply) => {
      const reader = principalOf(req);
      const { text } = req.body as Static<typeof CorrectionBody>;
      const { eventId } = unwrap(await documents.requestCorrection(db, opts, reader, req.params.id, text));
      opts.wakeWorker?.();
      const event = await documents.settled(() => documents.findEvent(db, eventId), answerWithin);
      if (event?.status === 'rejected')
        unwrap(
          fail(
            'invalid',
            'FISCAL.CORRECTION_REJECTED',
            `SEFAZ refused the correction letter: ${event.rejectionCode} ${event.rejectionReason}.`,
            { data: { rejection: { code: event.rejectionCode, reason: event.rejectionReason } } },
          ),
        );
      const view = unwrap(await documents.getDocumentView(db, reader, req.params.id));
      return reply.code(event?.status === 'sending' ? 202 : 200).send(view);
    },
  );

  app.get(
    '/api/v1/fiscal-documents/:id/events/:eventId/xml',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'An event’s XML: the procEventoNFe once SEFAZ registered it, the signed envEvento before',
        params: EventParams,
        response: {
          200: {
            description: 'The XML file (attachment)',
            content: { 'application/xml': { schema: Type.String() } },
          },
        },
      },
    },
    async (req, reply) => {
      const { xml, accessKey, type, sequence, name } = unwrap(
        await documents.eventXml(db, principalOf(req), req.params.id, req.params.eventId),
      );
      return sendFile(
        reply,
        'application/xml; charset=utf-8',
        `attachment; filename="${accessKey}-${type}-${String(sequence).padStart(2, '0')}-${name}.xml"`,
        xml,
      );
    },
  );
}
