import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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

/**
 * Deepest nesting of arrays and objects a JSON body may have. Real requests stay under 10; the walks over a
 * parsed body (the NUL guard, the validator, the serialiser) are recursive and overflow the stack at a few
 * thousand levels.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether a JSON text nests deeper than `limit`: one pass over the characters, no recursion, no parse. */
export function jsonDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** A bare POST is an empty object; an explicit JSON `null` stays null and is refused by the body schema. */
export async function bareBodyIsEmpty(request: FastifyRequest) {
  if (request.body === undefined) request.body = {};
}

/**
 * Fastify's own JSON parser (with its prototype-poisoning checks), behind a depth bound checked on the raw
 * text before anything walks it.
 */
export function registerJsonParser(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDeeperThan(body as string, MAX_JSON_DEPTH)) {
      const error = Object.assign(
        new Error(`The JSON body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`),
        { statusCode: 400, code: 'REQUEST.JSON_TOO_DEEP' },
      );
      return done(error, undefined);
    }
    parse(request, body as string, done);
  });
}
