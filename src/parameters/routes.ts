import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { type Actor, admins, backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import { StringEnum } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import * as parameters from './service.ts';

const kinds = ['network', 'central', 'store'] as const;
const types = ['boolean', 'integer', 'string', 'url', 'enum', 'list'] as const;

const NodeCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: 'Code of a network node' });
// Not an enum of known codes: an unknown code is answered with PARAMETER.UNKNOWN, not a schema error.
const ParameterCode = Type.String({ minLength: 1, maxLength: 100, description: 'Parameter code, e.g. 9253' });

const AnyValue = Type.Unknown({
  description: 'boolean, integer, string or array of strings, as the definition says',
});

const Choice = Type.Object({ value: Type.String(), label: Type.String({ description: 'pt-BR' }) });

const Definition = Type.Object(
  {
    code: Type.String(),
    label: Type.String({ description: 'pt-BR, for the back office' }),
    description: Type.String(),
    group: Type.String(),
    type: StringEnum(types),
    default: Type.Unknown({ description: 'null: not set until a node sets it' }),
    allowedValues: Type.Optional(Type.Array(Choice, { description: 'enum values, or allowed list items' })),
    pattern: Type.Optional(Type.String({ description: 'regular expression each string (item) matches' })),
    min: Type.Optional(Type.Integer()),
    max: Type.Optional(Type.Integer()),
    maxLength: Type.Optional(Type.Integer()),
    maxItems: Type.Optional(Type.Integer()),
    scope: Type.Array(StringEnum(kinds), { description: 'node kinds that may hold a value' }),
    public: Type.Boolean({ description: 'values set at a node are shown to users of the nodes below' }),
    honoured: Type.Boolean({
      description: 'a flow of Omnihub reads it today; false: it may be set but changes nothing yet',
    }),
  },
  { $id: 'ParameterDefinition' },
);

const Effective = Type.Object(
  {
    code: Type.String(),
    value: AnyValue,
    source: Type.Union([Type.Object({ nodeCode: Type.String(), kind: StringEnum(kinds) }), Type.Null()], {
      description: 'the node whose value applies; null: the default',
    }),
    hidden: Type.Boolean({ description: 'a private value set above your node: value is null' }),
  },
  { $id: 'EffectiveParameter' },
);

const SetBody = Type.Object({ value: AnyValue }, { additionalProperties: false });
const NodeParams = Type.Object({ code: NodeCode });
const ParamParams = Type.Object({ code: NodeCode, param: ParameterCode });

function present(def: parameters.CodedDefinition): Static<typeof Definition> {
  return {
    code: def.code,
    label: def.label,
    description: def.description,
    group: def.group,
    type: def.type,
    default: def.default,
    scope: [...def.scope],
    public: def.public,
    honoured: def.honoured,
    ...(def.type === 'enum' && { allowedValues: [...def.values] }),
    ...(def.type === 'list' && def.items && { allowedValues: [...def.items] }),
    ...((def.type === 'string' || def.type === 'list') && def.pattern && { pattern: def.pattern }),
    ...(def.type === 'string' && def.maxLength !== undefined && { maxLength: def.maxLength }),
    ...(def.type === 'list' && def.maxItems !== undefined && { maxItems: def.maxItems }),
    ...(def.type === 'integer' && def.min !== undefined && { min: def.min }),
    ...(def.type === 'integer' && def.max !== undefined && { max: def.max }),
  };
}

/** Users read any node they see; a store's POS key its own store's POS parameters. */
const readers: readonly Actor[] = [...backOffice, 'pos'];
const posReading =
  'A POS key reads its own store only (another node: 404) and only the parameters the POS downloads ' +
  '(9253, 9254, 9242, 9285; another: 403 PARAMETER.NOT_FOR_POS), with the values the store uses.';

export function registerParametersRoutes(app: App, db: Db) {
  const tags = ['parameters'];

  app.get(
    '/api/v1/parameters',
    {
      config: { access: backOffice },
      schema: {
        tags,
        summary: 'The parameter registry: every definition with its type, default and scope',
        response: {
          200: Type.Object({ items: Type.Array(Definition), nextCursor: Type.Null() }),
        },
      },
    },
    async () => ({ items: parameters.definitions.map(present), nextCursor: null }),
  );

  app.get(
    '/api/v1/nodes/:code/parameters',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: "Every parameter's effective value at a node, with the node it comes from",
        description: posReading,
        params: NodeParams,
        response: { 200: Type.Object({ items: Type.Array(Effective), nextCursor: Type.Null() }) },
      },
    },
    async (req) => {
      const reader = principalOf(req);
      return {
        items: unwrap(
          reader.actor === 'pos'
            ? await parameters.effectiveForPos(db, reader, req.params.code)
            : await parameters.effectiveAll(db, reader, req.params.code),
        ),
        nextCursor: null,
      };
    },
  );

  app.get(
    '/api/v1/nodes/:code/parameters/:param',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: "One parameter's effective value at a node",
        description: posReading,
        params: ParamParams,
        response: { 200: Effective },
      },
    },
    async (req) => {
      const reader = principalOf(req);
      if (reader.actor !== 'pos')
        return unwrap(await parameters.effectiveOne(db, reader, req.params.code, req.params.param));
      const [one] = unwrap(await parameters.effectiveForPos(db, reader, req.params.code, req.params.param));
      return one!;
    },
  );

  app.put(
    '/api/v1/nodes/:code/parameters/:param',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Set a parameter at a node (your node or below); the nodes below inherit it',
        params: ParamParams,
        body: SetBody,
        response: { 200: Effective },
      },
    },
    async (req) => {
      const { value } = req.body as Static<typeof SetBody>;
      return unwrap(
        await parameters.setValue(db, principalOf(req), req.params.code, req.params.param, value),
      );
    },
  );

  app.delete(
    '/api/v1/nodes/:code/parameters/:param',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Remove the value set at a node: it inherits again. Answers the new effective value',
        params: ParamParams,
        response: { 200: Effective },
      },
    },
    async (req) =>
      unwrap(await parameters.unsetValue(db, principalOf(req), req.params.code, req.params.param)),
  );
}
