import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Distinct statement texts named per process; past it a text runs unnamed (parsed and planned each time). */
const MAX_NAMED = 2_000;

const names = new Map<string, string>();

/** The prepared statement's name for a text: a hash of it, so one name never means two texts. */
export function statementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED) return known;
  const name = `omnihub_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  names.set(text, name);
  return name;
}

type QueryConfig = { text?: unknown; name?: unknown; values?: unknown; submit?: unknown };

/**
 * Makes every parameterized statement of a server connection a named prepared statement: parsed and
 * planned once per connection, then only bound and executed (PostgreSQL may keep a generic plan after five
 * runs). Omnihub's statements are short index lookups whose planning costs as much as running them
 * (docs/benchmarks.md). Statements without parameters (migrations, `set`, several statements in one text)
 * stay on the simple protocol, which cannot prepare them. A connection pooler in transaction mode must
 * support protocol-level prepared statements (PgBouncer 1.21 and later).
 */
export function prepareEveryStatement(client: pg.ClientBase): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const config = args[0] as QueryConfig | string;
    // drizzle passes (config, values); a config may also carry its own.
    const values = Array.isArray(args[1]) ? args[1] : typeof config === 'object' ? config?.values : undefined;
    if (
      config !== null &&
      typeof config === 'object' &&
      typeof config.text === 'string' &&
      config.name === undefined &&
      typeof config.submit !== 'function' &&
      Array.isArray(values) &&
      values.length > 0
    ) {
      const name = statementName(config.text);
      if (name !== undefined) args[0] = { ...config, name };
    }
    return query(...args);
  };
}
