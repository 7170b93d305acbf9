import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { admins, financeReaders, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { documentTypeNames } from './domain.ts';
import { listPaymentMethods, platformMethods, savePaymentMethod } from './payment-methods.ts';

const Mapping = Type.Object(
  Object.fromEntries(platformMethods.map((m) => [m, StringEnum(documentTypeNames)])) as Record<
    (typeof platformMethods)[number],
    ReturnType<typeof StringEnum<typeof documentTypeNames>>
  >,
  { description: 'each platform payment method → the document type of its receivable' },
);

const PaymentMethod = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    active: Type.Boolean(),
    mapping: Mapping,
    version: Type.Integer(),
    updatedBy: Type.String(),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'FinancePaymentMethod' },
);

const Body = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    active: Type.Optional(Type.Boolean()),
    mapping: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 40 }), {
      description: `every one of ${platformMethods.join(', ')} → one of ${documentTypeNames.join(', ')}`,
    }),
    version: Type.Optional(
      Type.Integer({ minimum: 0, description: 'the version you read (0: you create it); stale → 409' }),
    ),
  },
  { additionalProperties: false },
);

const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });

/** Financeiro → Formas de pagamento: the network's omni payment methods (CD_FORMA_PAGTO_OMNI). */
export function registerPaymentMethodRoutes(app: App, db: Db) {
  const tags = ['finance'];
  app.get(
    '/api/v1/finance/payment-methods',
    {
      config: { access: financeReaders },
      schema: {
        tags,
        summary: 'The network’s omni payment methods and how the platform’s methods map to document types',
        description:
          'CD_FORMA_PAGTO_OMNI chooses, per business unit, which one the receivables raised at acceptance use. ' +
          'A code with no active method here: the receivable takes the platform’s method as its document type ' +
          'and says so (`paymentMethodConfigured: false`).',
        response: { 200: Type.Object({ items: Type.Array(PaymentMethod) }) },
      },
    },
    async (req) => ({ items: await listPaymentMethods(db, principalOf(req).networkId) }),
  );

  app.put(
    '/api/v1/finance/payment-methods/:code',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Creates or replaces a payment method of the network (admins; audited)',
        description:
          'Every platform method must be mapped to a known document type (422 FINANCE.PAYMENT_METHOD_INVALID ' +
          'naming each field); the code is 1 to 20 letters, digits, "_" or "-". `version`, when sent, must be ' +
          'the current one (409 FINANCE.PAYMENT_METHOD_STALE). The next acceptances use the new mapping; ' +
          'receivables already raised keep theirs.',
        params: CodeParams,
        body: Body,
        response: { 200: PaymentMethod, 201: PaymentMethod },
      },
    },
    async (req, reply) => {
      const { created, ...view } = unwrap(
        await savePaymentMethod(db, principalOf(req), req.params.code, req.body as Static<typeof Body>),
      );
      return reply.code(created ? 201 : 200).send(view);
    },
  );
}
