import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/index.ts';
import { FailureError } from '../errors.ts';
import { idempotencyKeys } from './schema.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[\x21-\x7e]{1,255}$/;
/** A request still "in progress" after this long died with its process: its key may be used again. */
const ABANDONED_MS = 60_000;
export const KEEP_HOURS = 24;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
  interface FastifyContextConfig {
    /** The answer carries a secret shown once (a new API key, a temporary password): it is never kept for a replay. */
    answersSecret?: boolean;
  }
}

/** What a retry of a request whose answer held a secret gets instead: the secret is not kept anywhere. */
const SECRET_NOT_REPLAYED = JSON.stringify({
  type: 'https://omnihub.dev/problems/idempotency-secret-not-replayed',
  title: 'Conflict',
  status: 409,
  code: 'IDEMPOTENCY.SECRET_NOT_REPLAYED',
  detail:
    'The first request with this Idempotency-Key succeeded; its answer held a secret, which is shown only once.',
});

/**
 * Idempotency-Key on any mutating request (IETF draft "The Idempotency-Key HTTP Header Field"):
 * the first request runs and its answer is kept; a retry with the same key and body gets that answer
 * again (header `Idempotent-Replayed: true`); the same key with another body is 422; a retry while the
 * first is still running is 409. Server errors are not kept, so they can be retried.
 */
export function registerIdempotency(app: FastifyInstance, db: Db) {
  app.decorateRequest('idempotencyKey', null);

  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !MUTATING.has(request.method) || !request.principal) return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new FailureError({
        kind: 'invalid',
        code: 'IDEMPOTENCY.INVALID_KEY',
        detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
        errors: [
          {
            path: '/Idempotency-Key',
            code: 'REQUEST.IDEMPOTENCY_KEY_INVALID',
            message: 'is not a valid key',
          },
        ],
      });
    }
    const principalId = `${request.principal.kind}:${request.principal.id}`;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    await db
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.principalId, principalId),
          eq(idempotencyKeys.key, key),
          eq(idempotencyKeys.state, 'in_progress'),
          lt(idempotencyKeys.createdAt, new Date(Date.now() - ABANDONED_MS)),
        ),
      );
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ principalId, key, requestHash, state: 'in_progress' })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) {
      request.idempotencyKey = key;
      return;
    }
    const [previous] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.principalId, principalId), eq(idempotencyKeys.key, key)));
    if (!previous || previous.requestHash !== requestHash) {
      throw new FailureError({
        kind: 'invalid',
        code: 'IDEMPOTENCY.KEY_REUSED',
        detail: 'This Idempotency-Key was already used for a different request.',
      });
    }
    if (previous.state === 'in_progress') {
      throw new FailureError({
        kind: 'conflict',
        code: 'IDEMPOTENCY.IN_PROGRESS',
        detail: 'The first request with this Idempotency-Key is still being processed; retry shortly.',
      });
    }
    reply.hijack();
    reply.raw.writeHead(previous.responseStatus ?? 200, {
      'content-type': previous.responseType ?? 'application/json; charset=utf-8',
      'idempotent-replayed': 'true',
      'x-request-id': request.id,
    });
    reply.raw.end(previous.responseBody ?? '');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    if (!key || !request.principal) return payload;
    const principalId = `${request.principal.kind}:${request.principal.id}`;
    const where = and(eq(idempotencyKeys.principalId, principalId), eq(idempotencyKeys.key, key));
    if (
      reply.statusCode >= 500 ||
      (payload !== null && payload !== undefined && typeof payload !== 'string')
    ) {
      await db.delete(idempotencyKeys).where(where);
    } else if (request.routeOptions.config.answersSecret && reply.statusCode < 300) {
      await db
        .update(idempotencyKeys)
        .set({
          state: 'done',
          responseStatus: 409,
          responseType: 'application/problem+json; charset=utf-8',
          responseBody: SECRET_NOT_REPLAYED,
        })
        .where(where);
    } else {
      await db
        .update(idempotencyKeys)
        .set({
          state: 'done',
          responseStatus: reply.statusCode,
          responseType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
          responseBody: (payload as string | null) ?? '',
        })
        .where(where);
    }
    return payload;
  });
}

/** Forgets answers older than KEEP_HOURS; run periodically. */
export async function purgeIdempotencyKeys(db: Db): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${KEEP_HOURS})`));
}
