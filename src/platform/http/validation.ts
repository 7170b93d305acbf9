import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { FailureError } from '../errors.ts';

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

// NUL and lone UTF-16 surrogates: PostgreSQL text and jsonb cannot store them.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** JSON Pointer of the first string holding a character the database cannot store. */
export function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') || LONE_SURROGATE.test(value) ? path || '/' : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}/${i}`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const found = findNul(key, `${path}/${key}`) ?? findNul(v, `${path}/${key}`);
      if (found) return found;
    }
  }
  return null;
}

/** Refuses NUL characters anywhere in the input with a 422, before any handler can hand them to the database. */
export function registerNulGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['body', request.body],
      ['query', request.query],
      ['params', request.params],
    ] as const) {
      const path = findNul(value);
      if (path) {
        throw new FailureError({
          kind: 'invalid',
          code: 'REQUEST.INVALID',
          detail: 'Text fields cannot contain NUL characters or broken Unicode (lone surrogates).',
          errors: [
            {
              path,
              code: 'REQUEST.UNSTORABLE_TEXT',
              params: { part },
              message: `contains a NUL character or broken Unicode (in ${part})`,
            },
          ],
        });
      }
    }
  });
}
