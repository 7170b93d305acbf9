import { getTableColumns, type InferSelectModel, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * A table's rows as one JSON array inside a larger statement, and back to the rows drizzle would have
 * returned: a parent read with its children in one round trip (the order with its lines, payments and
 * history). Numerics and bigints travel as text so no digit is lost; every value then goes through the
 * column's own mapping (dates become Dates, jsonb stays parsed), as a plain select would.
 */
export function jsonRows<T extends PgTable>(table: T) {
  const columns = Object.entries(getTableColumns(table)) as [string, PgColumn][];
  const fields = sql.join(
    columns.map(([key, column]) => {
      const exact = column.columnType === 'PgNumeric' || column.columnType.startsWith('PgBigInt');
      return sql`${key}::text, ${exact ? sql`${column}::text` : column}`;
    }),
    sql`, `,
  );
  return {
    /** `(select json_agg(…) from table where … order by …)`, `[]` when there is none. */
    agg: (where: SQL, orderBy: SQL): SQL =>
      sql`(select coalesce(json_agg(json_build_object(${fields}) order by ${orderBy}), '[]'::json) from ${table} where ${where})`,
    /** The first row only, or null: `(select json_build_object(…) from table where … limit 1)`. */
    one: (where: SQL): SQL => sql`(select json_build_object(${fields}) from ${table} where ${where} limit 1)`,
    decode(value: unknown): InferSelectModel<T> {
      const raw = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
      const row: Record<string, unknown> = {};
      for (const [key, column] of columns) {
        const v = raw[key];
        row[key] = v === null || v === undefined ? null : column.mapFromDriverValue(v);
      }
      return row as InferSelectModel<T>;
    },
    decodeAll(value: unknown): InferSelectModel<T>[] {
      const list = (typeof value === 'string' ? JSON.parse(value) : value) as unknown[];
      return list.map((v) => this.decode(v));
    },
  };
}
