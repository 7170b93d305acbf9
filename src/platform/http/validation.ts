import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Bodies are validated strictly (no type coercion, unknown fields refused where the schema says so);
 * query strings and path parameters are coerced, since everything there arrives as text.
 */
export function registerValidation(app: FastifyInstance) {
  const base = { allErrors: true, strict: false, removeAdditional: false, useDefaults: true } as const;
  const strict = addFormats.default(new Ajv.default({ ...base, coerceTypes: false }));
  const coercing = addFormats.default(new Ajv.default({ ...base, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema as object),
  );
}
