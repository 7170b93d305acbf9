import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf, PageQuery } from '../platform/pagination.ts';
import { MAX_BATCH, NOTE_MAX } from './batch-rules.ts';
import { requestInvoiceBatch } from './invoice-batch.ts';
import { callerOf } from './lifecycle.ts';
import { addNote, listNotes } from './notes.ts';
import { IdParams } from './payloads.ts';
import { salespeopleFor } from './salesperson.ts';

const Uuid = Type.String({ format: 'uuid' });

const InvoiceBatchBody = Type.Object(
  {
    ids: Type.Array(Uuid, { minItems: 1, maxItems: MAX_BATCH, description: 'The selected orders' }),
    salespersonId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'The salesperson of every order of the batch (TP_DADO_ADIC_BX_PED_ECOMM)',
      }),
    ),
  },
  { additionalProperties: false },
);

const Note = Type.Object(
  {
    id: Uuid,
    text: Type.String(),
    author: Type.Object({ id: Type.String(), name: Type.String() }),
    at: Type.String({ format: 'date-time' }),
  },
  { $id: 'OrderNote' },
);

const NoteBody = Type.Object(
  { text: Type.String({ maxLength: NOTE_MAX + 200, description: `1-${NOTE_MAX} characters once trimmed` }) },
  { additionalProperties: false },
);

/** Issue 15 §6: batch invoicing, the salesperson asked at invoicing, the order's notes. */
export function registerBatchRoutes(app: App, db: Db) {
  const caller = (req: Parameters<typeof principalOf>[0]) => callerOf(principalOf(req));

  app.post(
    '/api/v1/orders/invoice-batch',
    {
      config: { access: backOffice },
      schema: {
        tags: ['fiscal'],
        summary: 'Invoice several ship orders (faturar selecionados), in a background job',
        description:
          `Up to ${MAX_BATCH} order ids (422 for none, more, or a malformed id). 202 with the job to poll at ` +
          'GET /jobs/{jobId}: its progress counts the orders done, and its result is `{counts, items}` with ' +
          'one item per order, `{id, number, outcome, code?, message?, fiscalDocumentId?}`: `invoiced` (NF-e ' +
          'authorised), `pending` (sent to SEFAZ, the answer still to come: the order moves by itself), ' +
          '`refused` with the code the single POST /orders/{id}/invoice would answer (ORDER.NOT_FOUND, with ' +
          'no number, for an order you do not see). Each order is invoiced in its own transaction; one refused ' +
          'never stops the others. `salespersonId` names the salesperson of every order.',
        body: InvoiceBatchBody,
        response: {
          202: Type.Object({
            jobId: Uuid,
            total: Type.Integer({ description: 'Orders in the batch (each id once)' }),
          }),
        },
      },
    },
    async (req, reply) => {
      const body = req.body as Static<typeof InvoiceBatchBody>;
      const queued = unwrap(await requestInvoiceBatch(db, caller(req), body));
      return reply.code(202).send(queued);
    },
  );

  app.get(
    '/api/v1/orders/:id/salespeople',
    {
      config: { access: backOffice },
      schema: {
        tags: ['orders'],
        summary: 'Whether invoicing the order asks for a salesperson, and the store users to pick from',
        description:
          'TP_DADO_ADIC_BX_PED_ECOMM of the order’s store: `none` (0, not asked), `optional` (1) or ' +
          '`required` (2); `items` are the store’s active users (empty when not asked).',
        params: IdParams,
        response: {
          200: Type.Object({
            mode: StringEnum(['none', 'optional', 'required'] as const),
            items: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
          }),
        },
      },
    },
    async (req) => unwrap(await salespeopleFor(db, caller(req), req.params.id)),
  );

  app.post(
    '/api/v1/orders/:id/notes',
    {
      config: { access: backOffice },
      schema: {
        tags: ['orders'],
        summary: 'Add a note to an order (observação)',
        description:
          `201 with the note, its author and time. The text is trimmed and must keep 1-${NOTE_MAX} ` +
          'characters (422 ORDER.NOTE_EMPTY / ORDER.NOTE_TOO_LONG). Notes are never edited or deleted.',
        params: IdParams,
        body: NoteBody,
        response: { 201: Note },
      },
    },
    async (req, reply) => {
      const note = unwrap(
        await addNote(db, caller(req), req.params.id, (req.body as Static<typeof NoteBody>).text),
      );
      return reply.code(201).send(note);
    },
  );

  app.get(
    '/api/v1/orders/:id/notes',
    {
      config: { access: backOffice },
      schema: {
        tags: ['orders'],
        summary: 'The notes of an order, newest first',
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: PageOf(Note) },
      },
    },
    async (req) => unwrap(await listNotes(db, caller(req), req.params.id, req.query)),
  );
}
