import { type SQL, sql } from 'drizzle-orm';
import { numeric } from 'drizzle-orm/pg-core';

/** Column shapes every context's schema.ts shares, so one rule is written once. */

/** Money as an exact decimal with two places (never a float); up to 999,999,999,999.99. */
export const money = (name: string) => numeric(name, { precision: 14, scale: 2 });

/**
 * A check that `column` holds one of `values` (a status or kind enumerated in a domain.ts). The values are
 * the code's own constants, never input, so they are written into the constraint as literals.
 */
export const oneOf = (column: string, values: readonly string[]): SQL =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
