/**
 * Expected business failures are values, not exceptions: a service returns `fail(...)`
 * with a code (`CONTEXT.REASON`) and the data the caller needs to act. The HTTP layer maps
 * the kind to a status in one place (`http/problems.ts`).
 */
export type FailureKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'rate_limited'
  /** Something the server needs is missing or down (a validator not installed): 503, the request may be retried. */
  | 'unavailable';

/**
 * One invalid field: its JSON pointer in the request (or the document) and what is wrong with it, as a
 * code (`CONTEXT.REASON`) with the values it names, so a client renders it in its own language, and in
 * English for scripts and logs.
 */
export interface FieldError {
  path: string;
  code: string;
  params?: Readonly<Record<string, unknown>>;
  message: string;
}

export interface Failure {
  readonly kind: FailureKind;
  readonly code: string;
  readonly detail: string;
  readonly errors?: ReadonlyArray<FieldError>;
  readonly data?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export function fail(
  kind: FailureKind,
  code: string,
  detail: string,
  extra: { errors?: Failure['errors']; data?: Record<string, unknown> } = {},
): { ok: false; failure: Failure } {
  return { ok: false, failure: { kind, code, detail, ...extra } };
}

/** Thrown to abort a transaction with a business failure; caught by `http/problems.ts` or `unwrapTx`. */
export class FailureError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.detail);
    this.name = 'FailureError';
  }
}

/** Rolls back the surrounding transaction and surfaces the failure as a returned value. */
export function abort(failure: { ok: false; failure: Failure }): never {
  throw new FailureError(failure.failure);
}

/** Runs a transactional body where `abort()` rolls back; returns the failure as a value. */
export async function catchFailure<T>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await run());
  } catch (error) {
    if (error instanceof FailureError) return { ok: false, failure: error.failure };
    throw error;
  }
}
