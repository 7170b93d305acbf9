import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../../platform/db/index.ts';
import { backOffice, principalOf } from '../../platform/http/access.ts';
import { unwrap } from '../../platform/http/problems.ts';
import { StringEnum } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/server.ts';
import { PageOf, PageQuery } from '../../platform/pagination.ts';
import { voidedRangeStatuses, voidOrigins } from '../domain.ts';
import { Nullable } from '../payloads.ts';
import type { IssuingDeps } from '../signing.ts';
import { MAX_RANGE_WIDTH } from './domain.ts';
import { getVoidedRange, listVoidedRanges, numberGaps, requestVoid } from './service.ts';

export interface VoidingRouteOptions extends IssuingDeps {
  /** Wakes the in-process job worker, so SEFAZ is asked now rather than at the next poll. */
  wakeWorker?: () => void;
}

const StoreCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$' });
const Model = Type.Union([Type.Literal(55), Type.Literal(65)]);
const Number9 = Type.Integer({ minimum: 1, maximum: 999_999_999 });

const VoidBody = Type.Object(
  {
    storeCode: StoreCode,
    model: Model,
    series: Type.Integer({ minimum: 0, maximum: 999 }),
    from: Number9,
    to: Number9,
    justification: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: '15 to 255 characters (xJust)',
    }),
  },
  { additionalProperties: false },
);

const VoidedRange = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    storeCode: Type.String(),
    model: Model,
    series: Type.Integer(),
    year: Type.Integer({ description: 'the request’s year (ano)' }),
    from: Type.Integer(),
    to: Type.Integer(),
    justification: Type.String(),
    status: StringEnum(voidedRangeStatuses, {
      description: 'sending: on its way to SEFAZ; voided: cStat 102; rejected: SEFAZ refused it',
    }),
    origin: StringEnum(voidOrigins, { description: 'manual: a user; automatic: the night job' }),
    protocol: Nullable(Type.String({ description: 'nProt of the 102' })),
    rejection: Nullable(Type.Object({ code: Type.Integer(), reason: Type.String() })),
    requestedBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    voidedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'FiscalVoidedRange' },
);

const ListQuery = Type.Object(
  {
    storeCode: Type.Optional(StoreCode),
    model: Type.Optional(Type.Integer({ enum: [55, 65] })),
    series: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
    status: Type.Optional(StringEnum(voidedRangeStatuses)),
    origin: Type.Optional(StringEnum(voidOrigins)),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const Gap = Type.Object({
  storeCode: Type.String(),
  model: Model,
  series: Type.Integer(),
  from: Type.Integer(),
  to: Type.Integer(),
  count: Type.Integer(),
  rejectedNumbers: Type.Array(Type.Integer(), {
    description: 'numbers inside held by a rejected document: voiding them abandons it (at most 50 listed)',
  }),
  since: Nullable(
    Type.String({
      format: 'date-time',
      description:
        'when the gap is known to exist: the next document’s issue, or its rejected document’s last change',
    }),
  ),
  ageDays: Nullable(Type.Integer()),
});
const Gaps = Type.Object({ items: Type.Array(Gap) }, { $id: 'FiscalNumberGaps' });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const GapsQuery = Type.Object({ storeCode: Type.Optional(StoreCode) }, { additionalProperties: false });

export function registerVoidingRoutes(app: App, db: Db, opts: VoidingRouteOptions) {
  const tags = ['fiscal'];

  app.post(
    '/api/v1/fiscal/voided-ranges',
    {
      config: { access: ['network_admin', 'central_admin', 'store_manager'] },
      schema: {
        tags,
        summary:
          'Void a range of unused numbers of a store’s series at SEFAZ (inutilização, NFeInutilizacao4)',
        description:
          'Managers and admins. The range is signed with the store’s certificate, validated against inutNFe_v4.00.xsd ' +
          'and sent to SEFAZ by the job worker: 202 with status `sending`; GET it for SEFAZ’s answer (`voided` with ' +
          `the protocol, or \`rejected\`). At most ${MAX_RANGE_WIDTH} numbers (422 FISCAL.VOID_TOO_WIDE). 422 ` +
          'FISCAL.VOID_BEYOND_COUNTER past the series’ last number, FISCAL.VOID_OTHER_YEAR for numbers of an earlier ' +
          'year; 409 FISCAL.VOID_NUMBER_USED when a number has a document that is not rejected, FISCAL.VOID_OVERLAP ' +
          'when a number is voided or being voided. A rejected document’s number may be voided: the document is ' +
          'then abandoned, and issuing again for its order takes a new number.',
        body: VoidBody,
        response: { 202: VoidedRange },
      },
    },
    async (req, reply) => {
      const body = req.body as Static<typeof VoidBody>;
      const range = unwrap(await requestVoid(db, opts, principalOf(req), body));
      opts.wakeWorker?.();
      return reply.code(202).send(range);
    },
  );

  app.get(
    '/api/v1/fiscal/voided-ranges',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Voided ranges of the stores you see, newest first',
        querystring: ListQuery,
        response: { 200: PageOf(VoidedRange) },
      },
    },
    async (req) =>
      unwrap(await listVoidedRanges(db, principalOf(req), req.query as Static<typeof ListQuery>)),
  );

  app.get(
    '/api/v1/fiscal/voided-ranges/:id',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'A voided range and SEFAZ’s answer',
        params: IdParams,
        response: { 200: VoidedRange },
      },
    },
    async (req) => {
      const { xml: _xml, ...range } = unwrap(await getVoidedRange(db, principalOf(req), req.params.id));
      return range;
    },
  );

  app.get(
    '/api/v1/fiscal/voided-ranges/:id/xml',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The XML kept: the signed inutNFe, or the ProcInutNFe once SEFAZ voided the range',
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
      const range = unwrap(await getVoidedRange(db, principalOf(req), req.params.id));
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="inut-${range.id}.xml"`)
        .header('cache-control', 'no-store')
        .send(range.xml);
    },
  );

  app.get(
    '/api/v1/fiscal/number-gaps',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'Numbers of each series with no valid document and not voided, with their age',
        description:
          'Runs of numbers up to each series’ counter held by no document (or only by a rejected one) and by no ' +
          'voided range. `since` dates the gap; null when nothing dates it. These are what the night job voids ' +
          'once older than QT_DIAS_INUTILIZACAO_AUTO days.',
        querystring: GapsQuery,
        response: { 200: Gaps },
      },
    },
    async (req) =>
      unwrap(await numberGaps(db, principalOf(req), (req.query as Static<typeof GapsQuery>).storeCode)),
  );
}
