import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { fail, ok, type Result } from './errors.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export type PageQuery = { cursor?: string; limit?: number };

/** Keyset cursors are opaque to clients: the last row's sort key, base64url-encoded JSON. */
export const encodeCursor = (key: unknown[]): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(cursor: string | undefined): Result<unknown[] | null> {
  if (!cursor) return ok(null);
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key)) return ok(key);
  } catch {}
  return fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
    errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
  });
}

/** Given limit+1 fetched rows, the page and the cursor of its last row. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

export type Paged<T extends TSchema> = Static<ReturnType<typeof PageOf<T>>>;
