import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { admins, backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import type { AuthorizerResolver } from './authorizer/index.ts';
import { sefazFaultKinds } from './authorizer/index.ts';
import { testCommunication } from './communication-test.ts';
import { Nullable } from './payloads.ts';
import { AUTHORIZERS, getSettings, putSettings } from './settings.ts';

export interface SettingsRouteOptions {
  /** Seals the certificate, its password and the CSC. */
  secretKey: Buffer;
  /** The authoriser each store's settings choose ("testar comunicação" asks it). */
  authorizers: AuthorizerResolver;
  /** How long "testar comunicação" waits for each model's answer (default 10 s). */
  communicationTimeoutMs?: number;
}

const NodeParams = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$' }) });
const Rate = Type.String({ description: 'percent, e.g. "18.00"' });
const Authorizer = StringEnum(AUTHORIZERS, {
  description: 'simulator: the built-in simulator (no fiscal value, the demo’s); sefaz: the state’s SEFAZ',
});
const Environment = StringEnum(['1', '2'] as const, { description: '1 production, 2 homologação' });
const SettingsBody = Type.Object(
  {
    environment: Type.Optional(Environment),
    authorizer: Type.Optional(Authorizer),
    taxRegime: Type.Integer({
      minimum: 1,
      maximum: 4,
      description: 'CRT: 1 Simples Nacional, 2 Simples over the sublimit, 3 regime normal, 4 MEI',
    }),
    icmsRateIntrastate: Type.Optional(Nullable(Rate)),
    icmsRateInterstate: Type.Optional(Nullable(Rate)),
    certificate: Type.Optional(
      Type.Object(
        {
          pkcs12: Type.String({ minLength: 1, maxLength: 200_000, description: 'the A1 .pfx file, base64' }),
          password: Type.String({ maxLength: 200 }),
        },
        { additionalProperties: false },
      ),
    ),
    csc: Type.Optional(
      Nullable(
        Type.Object(
          { id: Type.String({ maxLength: 6 }), token: Type.String({ maxLength: 36 }) },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
const Settings = Type.Object(
  {
    storeCode: Type.String(),
    configured: Type.Boolean(),
    environment: Environment,
    authorizer: Authorizer,
    taxRegime: Nullable(Type.Integer()),
    icmsRateIntrastate: Nullable(Type.String()),
    icmsRateInterstate: Nullable(Type.String()),
    certificate: Nullable(
      Type.Object({ subject: Type.String(), notAfter: Type.String({ format: 'date-time' }) }),
    ),
    csc: Nullable(Type.Object({ id: Type.String() })),
    updatedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'FiscalSettings' },
);
const Model = Type.Union([Type.Literal(55), Type.Literal(65)]);
const ModelStatus = Type.Union(
  [
    Type.Object({
      model: Model,
      ok: Type.Literal(true),
      status: Type.Integer({
        description: 'cStat: 107 in operation, 108 paralysed for now, 109 without forecast',
      }),
      reason: Type.String({ description: 'xMotivo' }),
      averageSeconds: Nullable(Type.Number({ description: 'tMed' })),
      expectedBackAt: Nullable(Type.String({ format: 'date-time', description: 'dhRetorno' })),
      observation: Nullable(Type.String({ description: 'xObs' })),
      checkedAt: Type.String({ format: 'date-time' }),
      elapsedMs: Type.Integer(),
    }),
    Type.Object({
      model: Model,
      ok: Type.Literal(false),
      kind: StringEnum(sefazFaultKinds),
      message: Type.String(),
      elapsedMs: Type.Integer(),
    }),
  ],
  { $id: 'FiscalModelStatus' },
);
const CommunicationTest = Type.Object(
  {
    storeCode: Type.String(),
    authorizer: Authorizer,
    environment: Environment,
    results: Type.Array(ModelStatus),
  },
  { $id: 'FiscalCommunicationTest' },
);

export function registerFiscalSettingsRoutes(app: App, db: Db, opts: SettingsRouteOptions) {
  const tags = ['fiscal'];

  app.get(
    '/api/v1/nodes/:code/fiscal-settings',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary:
          "A store's fiscal settings: regime, environment, authoriser, certificate (subject, validity) and CSC id",
        description: 'The certificate, its password and the CSC token are never answered.',
        params: NodeParams,
        response: { 200: Settings },
      },
    },
    async (req) => unwrap(await getSettings(db, principalOf(req), req.params.code)),
  );

  app.put(
    '/api/v1/nodes/:code/fiscal-settings',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: "Set a store's fiscal settings and upload its A1 certificate",
        description:
          'The certificate must open with its password, belong to the store’s company (CNPJ root) and be ' +
          'valid; it is stored encrypted. Leaving `certificate` out keeps the current one; `csc: null` removes ' +
          'the CSC. Under the regime normal (3) both ICMS rates are required. `authorizer: sefaz` needs a ' +
          'certificate valid now (this request’s or the stored one) and the store’s state in its registration: ' +
          'else 422 FISCAL.SEFAZ_NOT_READY with errors at `/certificate` or `/authorizer`. Leaving `authorizer` ' +
          'out keeps the current choice (`simulator` at first).',
        params: NodeParams,
        body: SettingsBody,
        response: { 200: Settings },
      },
    },
    async (req) => {
      const p = principalOf(req);
      return unwrap(
        await putSettings(
          db,
          p,
          req.params.code,
          req.body as Static<typeof SettingsBody> as Parameters<typeof putSettings>[3],
          opts.secretKey,
        ),
      );
    },
  );

  app.post(
    '/api/v1/nodes/:code/fiscal-settings/communication-test',
    {
      config: {
        access: backOffice,
        // SEFAZ blocks a certificate that calls a service too often (cStat 656, consumo indevido).
        rateLimit: {
          max: 12,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req) => `fiscal-communication-test:${(req.params as { code: string }).code}`,
        },
      },
      schema: {
        tags,
        summary: "Testar comunicação: NFeStatusServico4 of the store's authoriser, NF-e (55) and NFC-e (65)",
        description:
          'Asks the authoriser the store’s settings choose (simulator or its state’s SEFAZ, in its environment) ' +
          'for the service status of both models, with a short timeout. Each model answers its cStat (107 in ' +
          'operation, 108/109 paralysed), xMotivo, tMed, dhRetorno and xObs, or `ok: false` with the fault’s ' +
          '`kind` and text when no answer was had: still 200, it is the test’s result. 422 ' +
          'FISCAL.AUTHORIZER_UNAVAILABLE when the store chose SEFAZ and its client cannot be built.',
        params: NodeParams,
        response: { 200: CommunicationTest },
      },
    },
    async (req) =>
      unwrap(
        await testCommunication(
          db,
          principalOf(req),
          req.params.code,
          opts.authorizers,
          opts.communicationTimeoutMs ?? 10_000,
        ),
      ),
  );
}
