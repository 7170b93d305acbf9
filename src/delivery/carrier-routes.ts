import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { admins, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import * as delivery from './service.ts';

const NodeCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: 'Code of a network node' });
const CarrierCode = Type.String({
  pattern: '^[A-Za-z0-9_]{1,20}$',
  description:
    'The carrier code orders and delivery experiences name (CORREIOS, MELHORENVIO, …); upper-cased',
});
const Params = Type.Object({ code: NodeCode, carrierCode: CarrierCode });
const Adapter = StringEnum(delivery.carrierAdapters, {
  description: 'correios (API Correios, CWS) or melhor_envio (the Melhor Envio gateway)',
});

const Settings = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'correios: {baseUrl?, postingCard (10 digits), contract (10 digits), dr (1–99), services? (5-digit codes)}; ' +
    'melhor_envio: {baseUrl?, contactEmail, services? (service ids)}. baseUrl defaults to production ' +
    '(https://api.correios.com.br, https://melhorenvio.com.br); homologation https://apihom.correios.com.br, ' +
    'sandbox https://sandbox.melhorenvio.com.br.',
});

const Account = Type.Object(
  {
    nodeCode: Type.String({ description: 'The node holding the account' }),
    carrierCode: Type.String(),
    adapter: Adapter,
    settings: Settings,
    credentials: Type.Literal('stored', { description: 'Credentials are sealed and never answered' }),
    active: Type.Boolean(),
    inherited: Type.Boolean({ description: 'Held by an ancestor of the node asked about' }),
    effective: Type.Boolean({
      description: "The account this node's orders of the carrier code use (the nearest active one)",
    }),
    updatedAt: Type.String({ format: 'date-time' }),
    updatedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'CarrierAccount' },
);

const PutBody = Type.Object(
  {
    adapter: Adapter,
    settings: Type.Optional(Settings),
    credentials: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description:
          'correios: {user, accessCode}; melhor_envio: {token, webhookSecret}. Required on create and when the ' +
          'adapter changes; absent on an update: the stored ones are kept.',
      }),
    ),
    active: Type.Optional(Type.Boolean({ description: 'Default true on create; kept on update' })),
  },
  { additionalProperties: false },
);

const PostalCode = Type.String({ pattern: '^[0-9]{8}$', description: 'CEP, 8 digits' });
const TestBody = Type.Object(
  {
    fromPostalCode: Type.Optional(PostalCode),
    toPostalCode: Type.Optional(PostalCode),
    service: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);
const TestAnswer = Type.Object({
  outcome: StringEnum(['quoted', 'refused', 'fault'] as const),
  quotes: Type.Optional(
    Type.Array(
      Type.Object({
        service: Type.String(),
        serviceName: Type.String(),
        price: Type.String(),
        days: Type.Integer(),
      }),
    ),
  ),
  code: Type.Optional(Type.String({ description: "refused: the carrier's code or HTTP status" })),
  kind: Type.Optional(
    Type.String({
      description: 'fault: unreachable, timeout, unauthorized, http_status, unexpected_body, …',
    }),
  ),
  message: Type.Optional(Type.String()),
  httpStatus: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
});

export interface CarrierAccountRouteOptions {
  /** Seals and opens the accounts' credentials. */
  readonly secretKey: Buffer;
  /** The carrier clients of "Testar" (a short timeout in tests). */
  readonly carrierOptions?: delivery.CarrierClientOptions;
}

/** Carrier accounts per node (issue 15 §3): network and central admins of the node. */
export function registerCarrierAccountRoutes(app: App, db: Db, opts: CarrierAccountRouteOptions) {
  const tags = ['delivery'];

  app.get(
    '/api/v1/nodes/:code/carrier-accounts',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'A node\'s carrier accounts: its own and those it inherits; credentials only as "stored"',
        params: Type.Object({ code: NodeCode }),
        response: { 200: Type.Object({ items: Type.Array(Account), nextCursor: Type.Null() }) },
      },
    },
    async (req) => ({
      items: unwrap(
        await delivery.listCarrierAccounts(db, principalOf(req), (req.params as { code: string }).code),
      ),
      nextCursor: null,
    }),
  );

  app.put(
    '/api/v1/nodes/:code/carrier-accounts/:carrierCode',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: "Create or replace a node's account for a carrier code (your node or below)",
        description:
          "Settings and credentials are checked per adapter: 422 CARRIER.ACCOUNT_INVALID with each field's error. " +
          'The nodes below use it unless they hold their own. Every change is in the audit log, secrets masked.',
        params: Params,
        body: PutBody,
        response: { 200: Account },
      },
    },
    async (req) => {
      const { code, carrierCode } = req.params as Static<typeof Params>;
      return unwrap(
        await delivery.putCarrierAccount(
          db,
          principalOf(req),
          opts.secretKey,
          code,
          carrierCode,
          req.body as Static<typeof PutBody>,
        ),
      );
    },
  );

  app.delete(
    '/api/v1/nodes/:code/carrier-accounts/:carrierCode',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: "Remove a node's own account: it inherits its ancestors' again",
        params: Params,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const { code, carrierCode } = req.params as Static<typeof Params>;
      unwrap(await delivery.deleteCarrierAccount(db, principalOf(req), opts.secretKey, code, carrierCode));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/nodes/:code/carrier-accounts/:carrierCode/test',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: "Quote a sample parcel (1 kg, 20 × 15 × 10 cm, R$ 100,00) with the node's own account",
        description:
          'Answers what the carrier said (its prices, or its refusal) or the fault that kept it from answering ' +
          "(unreachable, timeout, unauthorized, …). From the node's CEP unless given; changes nothing.",
        params: Params,
        body: Type.Optional(TestBody),
        response: { 200: TestAnswer },
      },
    },
    async (req) => {
      const { code, carrierCode } = req.params as Static<typeof Params>;
      return unwrap(
        await delivery.testCarrierAccount(
          db,
          principalOf(req),
          opts.secretKey,
          code,
          carrierCode,
          (req.body ?? {}) as Static<typeof TestBody>,
          opts.carrierOptions,
        ),
      );
    },
  );
}
