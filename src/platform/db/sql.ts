import { type SQL, sql } from 'drizzle-orm';
import type { Db } from './index.ts';

/** Rows of a raw query, the same shape on both drivers. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** int8/numeric aggregates come back as number from PGlite and string from pg: normalise. */
export const toInt = (value: unknown): number => Number(value ?? 0);

export { sql };

/** The SQLSTATE of a database error (drizzle wraps the driver's error in `cause`). */
export function pgErrorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
