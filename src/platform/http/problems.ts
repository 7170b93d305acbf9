import { type Static, Type } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type Failure, FailureError, type FailureKind, type Result } from '../errors.ts';

/** RFC 9457 problem details, the only error shape of the API. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable machine-readable code, CONTEXT.REASON' }),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String({ description: 'JSON Pointer into the request part' }),
          in: Type.Optional(Type.String({ description: 'body, query, params or headers' })),
          code: Type.String({
            description:
              'Stable machine-readable code of the field error, CONTEXT.REASON (VALIDATION.* for the schema checks)',
          }),
          params: Type.Optional(
            Type.Record(Type.String(), Type.Unknown(), {
              description: 'The values the message names (a limit, a quantity, a SKU), for a translation',
            }),
          ),
          message: Type.String({ description: 'The same in English' }),
        }),
      ),
    ),
  },
  { additionalProperties: true, $id: 'Problem' },
);
export type Problem = Static<typeof Problem>;

const statusOf: Record<FailureKind, number> = {
  invalid: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  rate_limited: 429,
  unavailable: 503,
};

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemFromFailure(failure: Failure): Problem {
  const status = statusOf[failure.kind];
  return {
    // The failure's data first: none of its keys may override the problem's own members.
    ...failure.data,
    type: `https://omnihub.dev/problems/${failure.code.toLowerCase().replace(/[._]/g, '-')}`,
    title: titles[status] ?? 'Error',
    status,
    detail: failure.detail,
    code: failure.code,
    ...(failure.errors ? { errors: [...failure.errors] } : {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** Turns a service result into the response value, or aborts the request with its problem. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new FailureError(result.failure);
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** An Ajv keyword as a field error code: `maxLength` → `VALIDATION.MAX_LENGTH`. */
export const validationCode = (keyword: string) =>
  `VALIDATION.${keyword.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;

function validationErrors(error: FastifyError): Problem['errors'] {
  const part = (error.validationContext ?? 'body') as string;
  return (error.validation as AjvError[] | undefined)?.map((e) => {
    let path = e.instancePath;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = `${path}/${String(e.params.missingProperty)}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = `${path}/${String(e.params.additionalProperty)}`;
      message = 'is not an accepted field';
    }
    // Ajv's params name the limit or the expected type ({limit: 120}, {type: 'string'}, {allowedValues}).
    return { path: path || '/', in: part, code: validationCode(e.keyword), params: e.params, message };
  });
}

/** Maps every error that reaches Fastify to a problem; never leaks a stack trace. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof FailureError) {
    const retryAfter = error.failure.data?.retryAfter;
    if (error.failure.kind === 'rate_limited' && typeof retryAfter === 'number') {
      reply.header('retry-after', String(retryAfter));
    }
    return sendProblem(reply, problemFromFailure(error.failure));
  }
  if (error.validation) {
    return sendProblem(reply, {
      type: 'https://omnihub.dev/problems/validation',
      title: titles[422]!,
      status: 422,
      detail: 'The request does not match the schema; see errors for each field.',
      code: 'REQUEST.INVALID',
      errors: validationErrors(error),
    });
  }
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) {
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, {
      type: 'about:blank',
      title: titles[500]!,
      status: 500,
      detail: 'Something went wrong on our side; the request id identifies it in the logs.',
      code: 'SERVER.ERROR',
      instance: request.id,
    });
  }
  const code = /^REQUEST\.[A-Z_]+$/.test(error.code ?? '')
    ? error.code
    : status === 400 && error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
      ? 'REQUEST.MALFORMED_JSON'
      : status === 400
        ? 'REQUEST.MALFORMED'
        : status === 413
          ? 'REQUEST.TOO_LARGE'
          : status === 415
            ? 'REQUEST.UNSUPPORTED_MEDIA_TYPE'
            : status === 429
              ? 'REQUEST.RATE_LIMITED'
              : `REQUEST.${(titles[status] ?? 'ERROR').toUpperCase().replace(/ /g, '_')}`;
  return sendProblem(reply, {
    type: 'about:blank',
    title: titles[status] ?? 'Error',
    status,
    detail: error.message,
    code,
  });
}

/**
 * Errors Fastify answers before routing (a path parameter past the router's limit, a URL that does not
 * decode): a problem like any other, whose detail never repeats the request's path.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  // Answered before any hook runs, so the security headers are set here.
  reply.header('x-content-type-options', 'nosniff');
  return sendProblem(reply, {
    type: 'about:blank',
    title: tooLong ? 'URI Too Long' : titles[400]!,
    status: tooLong ? 414 : 400,
    detail: tooLong
      ? 'A path segment is longer than any identifier this API uses.'
      : 'The request URL is not valid (a broken percent-encoding).',
    code: tooLong ? 'REQUEST.URI_TOO_LONG' : 'REQUEST.MALFORMED_URL',
  });
}
