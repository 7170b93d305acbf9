import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Db } from './index.ts';
import { statementName } from './prepare.ts';

/** Rows of a raw query, the same shape on both drivers. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const dialect = new PgDialect();

/** Dates, timestamps and intervals (and their arrays) as the text PostgreSQL sends, as drizzle's own queries. */
const RAW_TYPES = new Set([
  pg.types.builtins.TIMESTAMPTZ,
  pg.types.builtins.TIMESTAMP,
  pg.types.builtins.DATE,
  pg.types.builtins.INTERVAL,
  1231,
  1115,
  1185,
  1187,
  1182,
]);
const types = {
  getTypeParser: ((typeId: number, format?: 'text' | 'binary') =>
    RAW_TYPES.has(typeId)
      ? (value: string) => value
      : pg.types.getTypeParser(typeId, format)) as typeof pg.types.getTypeParser,
};

/**
 * `rows` straight on the server's pool, past drizzle's session and its statement logger: for the hottest
 * reads (a request's authentication, the POS poll). Like every parameterized statement on the server it is
 * a named prepared statement (`prepare.ts`). Outside a transaction only (a transaction's client is not the
 * pool); PGlite, in process, takes the plain path.
 */
export async function preparedRows<T>(db: Db, query: SQL): Promise<T[]> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (!(client instanceof pg.Pool)) return rows<T>(db, query);
  const { sql: text, params } = dialect.sqlToQuery(query);
  const name = statementName(text);
  const result = await client.query({ name, text, values: params as unknown[], types });
  return result.rows as T[];
}

/** int8/numeric aggregates come back as number from PGlite and string from pg: normalise. */
export const toInt = (value: unknown): number => Number(value ?? 0);

export { sql };

/**
 * Ids as one array parameter (`= any(${uuidArray(ids)})`): one bound value however many ids, where
 * `in (...)` binds one per id. The ids are the database's own (uuids hold no comma or brace).
 */
export const uuidArray = (ids: readonly string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`;

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
