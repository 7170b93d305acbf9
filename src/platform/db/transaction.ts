import { FailureError, type Result } from '../errors.ts';
import type { Db } from './index.ts';

/**
 * Runs a use case in one transaction. A returned failure rolls everything back, so a use case can write,
 * discover a business failure later and still leave nothing half-written. On PGlite transactions run one
 * after another; on a server they run concurrently under row locks and constraints.
 */
export async function transaction<T>(db: Db, work: (tx: Db) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await db.transaction(async (tx) => {
      const result = await work(tx);
      if (!result.ok) throw new FailureError(result.failure);
      return result;
    });
  } catch (error) {
    if (error instanceof FailureError) return { ok: false, failure: error.failure };
    throw error;
  }
}
