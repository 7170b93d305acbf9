import { type TObject, Type } from '@sinclair/typebox';
import type { FastifyError } from 'fastify';
import type * as fiscal from '../../fiscal/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { principalOf } from '../../platform/http/access.ts';
import { unwrap, validationCode } from '../../platform/http/problems.ts';
import { Money, StringEnum } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/server.ts';
import { posTicket } from '../ticket.ts';
import { cashMovementTypes, salePaymentMethods } from './domain.ts';
import * as uploads from './service.ts';

export interface PosUploadRouteOptions extends fiscal.IssuingDeps {
  /** Wakes the in-process job worker, so the NFC-e Omnihub issues for a sale goes to SEFAZ now. */
  wakeWorker?: () => void;
}

const Common = {
  terminal: Type.String({ minLength: 1, maxLength: 40, description: 'The terminal (PDV) that sends it' }),
  sequence: Type.Integer({
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'The terminal’s own upload counter: a re-send keeps it, the next upload takes the next one',
  }),
  posId: Type.String({ minLength: 1, maxLength: 64, description: 'The POS’s id of the record' }),
  occurredAt: Type.String({ format: 'date-time', description: 'When it happened at the counter' }),
};
// Quantities and counts are integers here; whether they are positive is a business check, so a refusal is
// kept for support with its reason like any other.
const Int = (description: string) =>
  Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000, description });
const Text = (max: number, description: string) => Type.String({ maxLength: max, description });
const body = (props: Record<string, Parameters<typeof Type.Object>[0][string]>) =>
  Type.Object({ ...Common, ...props }, { additionalProperties: false });

const bodies: Record<uploads.UploadKind, { summary: string; description: string; schema: TObject }> = {
  'cash-opening': {
    summary: 'Cash opening (abertura de caixa) of a terminal',
    description:
      'Opens the terminal’s cash session `posId` with its float. Result: `{cashSessionId, openingAmount}`.',
    schema: body({
      amount: Money({ description: 'The float in the drawer' }),
      operator: Type.Optional(Text(120, 'The cashier')),
    }),
  },
  'cash-movement': {
    summary: 'Sangria (withdrawal) or suprimento (supply) in an open cash session',
    description:
      'Refused (422 POS.CASH_SESSION_UNKNOWN / POS.CASH_SESSION_CLOSED at /cashSessionPosId) unless the ' +
      'session is open on this terminal. Result: `{cashMovementId, cashSessionId, type, amount}`.',
    schema: body({
      cashSessionPosId: Type.String({ minLength: 1, maxLength: 64 }),
      type: StringEnum(cashMovementTypes, { description: 'withdrawal = sangria, supply = suprimento' }),
      amount: Money(),
      reason: Text(500, 'Why (required)'),
    }),
  },
  'cash-closing': {
    summary: 'Cash closing (fechamento): expected amount and difference',
    description:
      'Closes the open session: expected = opening + cash sales + supplies − withdrawals; difference = ' +
      'counted − expected (negative: missing). Result: `{cashSessionId, expectedAmount, countedAmount, difference}`.',
    schema: body({ cashSessionPosId: Type.String({ minLength: 1, maxLength: 64 }), countedAmount: Money() }),
  },
  customer: {
    summary: 'A customer registered at the counter (server wins)',
    description:
      'Joins the network’s customers by CPF/CNPJ. A customer the network knows keeps what it knows: only ' +
      'missing fields are filled. Result: `{customerId, created, filled}`.',
    schema: body({
      document: Type.String({
        minLength: 1,
        maxLength: 20,
        description: 'CPF or CNPJ, with or without punctuation',
      }),
      name: Type.String({ minLength: 1, maxLength: 120 }),
      email: Type.Optional(Text(254, 'E-mail')),
      phone: Type.Optional(Text(30, 'Phone')),
      birthDate: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' })),
    }),
  },
  sale: {
    summary: 'A sale made at the counter, with its NFC-e or without (Omnihub issues it)',
    description:
      'Lines (known SKUs of the network, positive integer quantities) less discounts and the payments must ' +
      'each add up to `total`. The goods leave the store’s stock (`sale` movements; the POS wins for completed ' +
      'sales: a shortfall of the free balance is first put on hand by an adjustment naming the sale), and the ' +
      'sale counts as PDV in the sales-by-channel report. With `nfceXml` (the POS’s own signed NFC-e): checked ' +
      'against the NF-e 4.00 schema and its signature, model 65, emitter = the store’s CNPJ, vNF = total, and ' +
      'stored; `fiscalDocument` is null. Without it: Omnihub issues the NFC-e (reference `pos_sale`). Result: ' +
      '`{saleId, stockMovements, fiscalDocument: {id, accessKey, status} | null}`.',
    schema: body({
      cashSessionPosId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      customerDocument: Type.Optional(Text(20, 'CPF or CNPJ the customer asked for on the receipt')),
      items: Type.Array(
        Type.Object(
          {
            sku: Type.String({ minLength: 1, maxLength: 60 }),
            quantity: Int('Units sold (a positive integer)'),
            unitPrice: Money(),
            discount: Type.Optional(Money()),
          },
          { additionalProperties: false },
        ),
        { maxItems: 500 },
      ),
      payments: Type.Array(
        Type.Object(
          { method: StringEnum(salePaymentMethods), amount: Money() },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
      total: Money(),
      nfceXml: Type.Optional(
        Type.String({ maxLength: 600_000, description: 'The signed NFC-e (<NFe> or nfeProc)' }),
      ),
    }),
  },
  'z-reduction': {
    summary: 'Z reduction (redução Z) of a terminal’s day',
    description:
      'One per terminal and day (409 POS.Z_REDUCTION_EXISTS for another). netTotal = grossTotal − ' +
      'cancellations − discounts. Result: `{zReductionId, day, netTotal}`.',
    schema: body({
      day: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
      counter: Int('The Z counter (CRZ)'),
      salesCount: Int('Sales of the day'),
      grossTotal: Money(),
      cancellations: Money(),
      discounts: Money(),
      netTotal: Money(),
    }),
  },
};

const Answer = Type.Object({
  upload: Type.Object({
    id: Type.String({ format: 'uuid' }),
    kind: StringEnum(uploads.uploadKinds),
    terminal: Type.String(),
    sequence: Type.Integer(),
    posId: Type.String(),
    receivedAt: Type.String({ format: 'date-time' }),
  }),
  replayed: Type.Boolean({
    description: 'true: the same upload was applied before; this is its first answer',
  }),
  result: Type.Record(Type.String(), Type.Unknown(), { description: 'What applying it gave, per kind' }),
});

const common =
  ' The same upload again (same terminal and sequence, same posId) answers 200 with the first answer and ' +
  '`replayed: true`; the terminal’s sequence reused for another record is 409 POS.UPLOAD_SEQUENCE_REUSED. A ' +
  'refusal (422 with field errors) is kept in the store’s refused uploads and applies nothing.';

/** Each upload is a connector ticket found by the POS's own id of the record (support searches by it). */
const uploadTicket = {
  ...posTicket,
  reference: (req: { body?: unknown }) => {
    const posId = (req.body as { posId?: unknown } | undefined)?.posId;
    return typeof posId === 'string' ? posId.slice(0, 64) : null;
  },
};

/** `POST /api/v1/pos/uploads/{kind}`: what a store's POS sends back, one route per kind. */
export function registerPosUploadRoutes(app: App, db: Db, opts: PosUploadRouteOptions) {
  for (const kind of uploads.uploadKinds) {
    const { summary, description, schema } = bodies[kind];
    app.post(
      `/api/v1/pos/uploads/${kind}`,
      {
        config: { access: ['pos'], ticket: uploadTicket },
        // A malformed body is kept as a refusal too, then answered as any schema failure.
        attachValidation: true,
        schema: {
          tags: ['pos'],
          summary,
          description: description + common,
          body: schema,
          response: { 200: Answer, 201: Answer },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const caller = { kind: p.kind, id: p.id, nodeId: p.nodeId };
        const invalid = (req as { validationError?: FastifyError }).validationError;
        if (invalid) {
          const errors = (invalid.validation ?? []).map((e) => ({
            path: e.instancePath || '/',
            code: validationCode(e.keyword),
            message: e.message ?? 'is invalid',
          }));
          await uploads.rejectMalformed(db, caller, kind, req.body, errors);
          throw invalid;
        }
        const answer = unwrap(
          await uploads.upload(db, opts, caller, kind, req.body as unknown as uploads.UploadBody, new Date()),
        );
        if (kind === 'sale' && !answer.replayed) opts.wakeWorker?.();
        return reply.code(answer.replayed ? 200 : 201).send(answer);
      },
    );
  }
}
