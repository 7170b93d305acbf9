import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { mappingKinds, paymentMethodCodes, platforms } from './domain.ts';
import * as connector from './service.ts';

const Platform = StringEnum(platforms, { description: 'The e-commerce platform' });
const Kind = StringEnum(mappingKinds, {
  description:
    "store: the platform's pickup point / warehouse → a store code; sku: its SKU reference → an Omnihub SKU; " +
    `payment: its payment system → one of ${paymentMethodCodes.join(', ')}`,
});
const Code = Type.String({ minLength: 1, maxLength: 120 });
const Mapping = Type.Object(
  {
    platform: Platform,
    kind: Kind,
    externalCode: Type.String(),
    internalCode: Type.String(),
    updatedAt: Type.String({ format: 'date-time' }),
    updatedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'ConnectorMapping' },
);
const KeyParams = Type.Object({ platform: Platform, kind: Kind, externalCode: Code });

/** The mapping of a platform's codes (issue 16 §6): network admins. */
export function registerConnectorRoutes(app: App, db: Db) {
  const tags = ['connector'];
  const access = ['network_admin'] as const;

  app.get(
    '/api/v1/connectors/:platform/mappings',
    {
      config: { access },
      schema: {
        tags,
        summary: "The network's mappings of a platform's codes to Omnihub's",
        params: Type.Object({ platform: Platform }),
        querystring: Type.Object({ kind: Type.Optional(Kind) }),
        response: { 200: Type.Object({ items: Type.Array(Mapping), nextCursor: Type.Null() }) },
      },
    },
    async (req) => {
      const { platform } = req.params as { platform: connector.Platform };
      const { kind } = req.query as { kind?: connector.MappingKind };
      return { items: await connector.listMappings(db, principalOf(req), platform, kind), nextCursor: null };
    },
  );

  app.put(
    '/api/v1/connectors/:platform/mappings/:kind/:externalCode',
    {
      config: { access },
      schema: {
        tags,
        summary: "Map one of the platform's codes to Omnihub's (create or replace)",
        description:
          'The internal code must exist: a store of the network, a product SKU, or a payment method; otherwise ' +
          '422 CONNECTOR.MAPPING_INVALID. Orders held for an unmapped code are brought in by reprocessing their tickets.',
        params: KeyParams,
        body: Type.Object({ internalCode: Code }, { additionalProperties: false }),
        response: { 200: Mapping },
      },
    },
    async (req) => {
      const key = req.params as Static<typeof KeyParams>;
      const { internalCode } = req.body as { internalCode: string };
      return unwrap(await connector.putMapping(db, principalOf(req), { ...key, internalCode }));
    },
  );

  app.delete(
    '/api/v1/connectors/:platform/mappings/:kind/:externalCode',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Remove a mapping: the code is then taken as it is (SKUs) or refused',
        params: KeyParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      unwrap(await connector.deleteMapping(db, principalOf(req), req.params as Static<typeof KeyParams>));
      return reply.code(204).send(null);
    },
  );
}
