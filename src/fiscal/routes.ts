import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { admins, backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import * as fiscal from './service.ts';

const NodeCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: 'Code of a network node' });
const Operation = StringEnum(fiscal.fiscalOperations, {
  description:
    'sale, home_delivery, pickup (in person: always intrastate), transfer_out, transfer_in, customer_return (a customer’s goods back: 1202/2202)',
});
// Format and first digit are checked by the service, so a wrong CFOP names its field with the rule broken.
const Cfop = Type.String({ description: 'CFOP, 4 digits', examples: ['5102'] });

const Effective = Type.Object(
  {
    operation: Operation,
    direction: StringEnum(['entry', 'exit'] as const),
    cfopIntrastate: Type.String(),
    cfopInterstate: Type.String(),
    cfopInterstateNonContributor: Type.Union([Type.String(), Type.Null()], {
      description: 'interstate exit to a non-contributor; null: cfopInterstate applies',
    }),
    natOp: Type.String({ description: 'natureza da operação (pt-BR)' }),
    source: Type.Union(
      [
        Type.Object({ nodeCode: Type.String(), kind: StringEnum(['network', 'central', 'store'] as const) }),
        Type.Null(),
      ],
      { description: 'the node whose setting applies; null: the built-in default' },
    ),
  },
  { $id: 'EffectiveFiscalOperation' },
);

const SetBody = Type.Object(
  {
    cfopIntrastate: Cfop,
    cfopInterstate: Cfop,
    cfopInterstateNonContributor: Type.Optional(Type.Union([Cfop, Type.Null()])),
    natOp: Type.Optional(Type.String({ description: '1 to 60 characters; default: the built-in natOp' })),
  },
  { additionalProperties: false },
);
const NodeParams = Type.Object({ code: NodeCode });
const OperationParams = Type.Object({ code: NodeCode, operation: Operation });

export function registerFiscalRoutes(app: App, db: Db) {
  const tags = ['fiscal'];

  app.get(
    '/api/v1/nodes/:code/fiscal-operations',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: "Every fiscal operation's CFOPs and natOp at a node, with the node each comes from",
        params: NodeParams,
        response: { 200: Type.Object({ items: Type.Array(Effective), nextCursor: Type.Null() }) },
      },
    },
    async (req) => ({
      items: unwrap(await fiscal.listOperations(db, principalOf(req), req.params.code)),
      nextCursor: null,
    }),
  );

  app.put(
    '/api/v1/nodes/:code/fiscal-operations/:operation',
    {
      config: { access: admins },
      schema: {
        tags,
        summary:
          "Set an operation's CFOPs and natOp at a node (your node or below); the nodes below inherit it",
        params: OperationParams,
        body: SetBody,
        response: { 200: Effective },
      },
    },
    async (req) => {
      const body = req.body as Static<typeof SetBody>;
      const { code, operation } = req.params as Static<typeof OperationParams>;
      return unwrap(
        await fiscal.setOperation(db, principalOf(req), code, operation, {
          cfopIntrastate: body.cfopIntrastate,
          cfopInterstate: body.cfopInterstate,
          cfopInterstateNonContributor: body.cfopInterstateNonContributor ?? null,
          natOp: body.natOp ?? fiscal.defaultOperations[operation].natOp,
        }),
      );
    },
  );

  app.delete(
    '/api/v1/nodes/:code/fiscal-operations/:operation',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Remove the setting held at a node: it inherits again. Answers the new effective setting',
        params: OperationParams,
        response: { 200: Effective },
      },
    },
    async (req) => {
      const { code, operation } = req.params as Static<typeof OperationParams>;
      return unwrap(await fiscal.removeOperation(db, principalOf(req), code, operation));
    },
  );
}
