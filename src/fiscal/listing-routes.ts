import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { PageOf } from '../platform/pagination.ts';
import type { AuthorizerFor } from './authorizer/index.ts';
import { sefazFaultKinds } from './authorizer/index.ts';
import { fiscalDocumentStatuses, fiscalPurposes } from './domain.ts';
import { consultDocument, type DocumentListQuery, listDocuments } from './listing.ts';
import { Nullable } from './payloads.ts';

export interface FiscalListingRouteOptions {
  /** The authoriser of each store (its settings choose the simulator or SEFAZ), as the outbox uses it. */
  authorizerFor: AuthorizerFor;
  /** Wakes the in-process job worker, so an authorisation queued by a consultation runs now. */
  wakeWorker?: () => void;
}

const StoreCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$' });
const Day = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: 'YYYY-MM-DD, São Paulo day',
});
const Status = StringEnum(fiscalDocumentStatuses);
const Purpose = StringEnum(fiscalPurposes);

const ListQuery = Type.Object(
  {
    storeCode: Type.Optional(Type.Array(StoreCode, { maxItems: 200, description: 'repeatable' })),
    model: Type.Optional(Type.Integer({ enum: [55, 65], description: '55 NF-e, 65 NFC-e' })),
    status: Type.Optional(Type.Array(Status, { maxItems: 10, description: 'repeatable' })),
    purpose: Type.Optional(Type.Array(Purpose, { maxItems: 10, description: 'repeatable' })),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    number: Type.Optional(Type.Integer({ minimum: 1, maximum: 999_999_999, description: 'nNF' })),
    series: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
    accessKey: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'the 44 digits, or their beginning' }),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "part of the recipient's name, or their CPF/CNPJ",
      }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
);

const Rejection = Nullable(Type.Object({ code: Type.Integer(), reason: Type.String() }));

const ListItem = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    storeCode: Type.String(),
    storeName: Type.String(),
    model: Type.Integer({ description: '55 NF-e, 65 NFC-e' }),
    series: Type.Integer(),
    number: Type.Integer(),
    accessKey: Type.String(),
    formattedAccessKey: Type.String({ description: 'the key in groups of four, as on the DANFE' }),
    status: Status,
    purpose: Purpose,
    reference: Type.Object({
      type: Type.String({ description: 'order, stock_request, …' }),
      id: Type.String(),
      label: Nullable(Type.String({ description: 'as printed in infCpl, e.g. "Pedido 42 (EXT-1)"' })),
    }),
    recipient: Nullable(
      Type.Object({ name: Type.String(), document: Type.String({ description: 'CPF or CNPJ' }) }),
    ),
    total: Nullable(Type.String({ description: 'vNF, e.g. "332.72"' })),
    issuedAt: Type.String({ format: 'date-time' }),
    authorisedAt: Nullable(Type.String({ format: 'date-time' })),
    cancelledAt: Nullable(Type.String({ format: 'date-time' })),
    protocol: Nullable(Type.String({ description: 'nProt' })),
    rejection: Rejection,
    transmitBy: Nullable(
      Type.String({ format: 'date-time', description: 'in contingency: the deadline to transmit it' }),
    ),
  },
  { $id: 'FiscalDocumentListItem' },
);

const SefazView = StringEnum(['authorised', 'cancelled', 'denied', 'not_found', 'refused'] as const, {
  description:
    'authorised (cStat 100/150), cancelled (101), denied (110/301/302), not_found (217: SEFAZ holds no ' +
    'NF-e under the key), refused (any other cStat: SEFAZ refused the consultation itself)',
});
const Consultation = Type.Union(
  [
    Type.Object({
      ok: Type.Literal(true),
      ours: Type.Object({ status: Status, protocol: Nullable(Type.String()) }),
      sefaz: Type.Object({
        view: SefazView,
        status: Type.Integer({ description: 'cStat' }),
        reason: Type.String({ description: 'xMotivo' }),
        protocol: Nullable(Type.String({ description: 'nProt of the authorisation or cancellation' })),
        at: Nullable(Type.String({ format: 'date-time' })),
      }),
      agrees: Nullable(
        Type.Boolean({
          description: 'whether our status says what SEFAZ says; null while ours is on its way',
        }),
      ),
      queued: Type.Boolean({
        description:
          'SEFAZ authorised a document we still send: its authorisation job was queued to adopt it',
      }),
      consultedAt: Type.String({ format: 'date-time' }),
    }),
    Type.Object({
      ok: Type.Literal(false),
      kind: StringEnum(sefazFaultKinds),
      message: Type.String(),
    }),
  ],
  { $id: 'FiscalConsultation' },
);

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The fiscal documents screen: the list, and asking SEFAZ about one document. */
export function registerFiscalListingRoutes(app: App, db: Db, opts: FiscalListingRouteOptions) {
  const tags = ['fiscal'];

  app.get(
    '/api/v1/fiscal-documents',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The fiscal documents (NF-e, NFC-e) of the stores you see, newest first',
        description:
          'Filters: `storeCode` (repeatable; a store you do not see is 404), `model`, `status` and `purpose` ' +
          '(repeatable), `from`/`to` (the São Paulo days of issue, both included, at most 366 days), `number`, ' +
          '`series`, `accessKey` (the 44 digits or their beginning), `q` (part of the recipient’s name, or ' +
          'their CPF/CNPJ). Keyset pages of `limit` ≤ 100 (`nextCursor`). Bad filters: 422 FISCAL.INVALID_QUERY.',
        querystring: ListQuery,
        response: { 200: PageOf(ListItem) },
      },
    },
    async (req) =>
      unwrap(
        await listDocuments(db, principalOf(req), req.query as Static<typeof ListQuery> as DocumentListQuery),
      ),
  );

  app.post(
    '/api/v1/fiscal-documents/:id/consult',
    {
      config: {
        access: backOffice,
        // SEFAZ blocks an emitter that asks about the same key over and over (cStat 656, consumo indevido).
        rateLimit: {
          max: 10,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req) => `consult ${(req.params as { id?: string }).id ?? ''}`,
        },
      },
      schema: {
        tags,
        summary: 'Ask SEFAZ now what it holds under the document’s key (NFeConsultaProtocolo4)',
        description:
          'Answers SEFAZ’s view (cStat, xMotivo, protocol) next to ours and whether they agree; changes nothing ' +
          'here, except that a document we still send which SEFAZ authorised gets its authorisation job queued ' +
          'now (`queued`), which adopts SEFAZ’s protocol. When SEFAZ cannot be asked: 200 with `ok: false`, ' +
          'the fault’s `kind` and message. At most 10 a minute per document (429): SEFAZ blocks an emitter ' +
          'that consults one key too often (cStat 656).',
        params: IdParams,
        response: { 200: Consultation },
      },
    },
    async (req) => {
      const answer = unwrap(await consultDocument(db, opts.authorizerFor, principalOf(req), req.params.id));
      if (answer.ok && answer.queued) opts.wakeWorker?.();
      return answer;
    },
  );
}
