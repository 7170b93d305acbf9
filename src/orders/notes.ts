/**
 * The store's notes on an order ("Observação", seeds 003 PEDFM237): whoever sees the order in the back office
 * adds one; they are never edited or deleted, and read newest first with their author and time.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { decodeCursor, type Page, pageOf } from '../platform/pagination.ts';
import { noteText } from './batch-rules.ts';
import { canSee, type OrderCaller, orderNotFound } from './lifecycle.ts';
import { orderNotes } from './schema.ts';
import * as store from './store.ts';

export interface NoteView {
  id: string;
  text: string;
  author: { id: string; name: string };
  at: string;
}

const viewOf = (row: typeof orderNotes.$inferSelect): NoteView => ({
  id: row.id,
  text: row.text,
  author: { id: row.authorId, name: row.authorName },
  at: row.at.toISOString(),
});

async function visible(db: Db, caller: OrderCaller, orderId: string): Promise<Result<store.OrderRow>> {
  const order = await store.findOrder(db, orderId);
  if (!order || !(await canSee(db, caller, order))) return orderNotFound(orderId);
  return ok(order);
}

export async function addNote(
  db: Db,
  caller: OrderCaller,
  orderId: string,
  raw: string,
): Promise<Result<NoteView>> {
  const order = await visible(db, caller, orderId);
  if (!order.ok) return order;
  const text = noteText(raw);
  if (!text.ok)
    return fail('invalid', text.code, `The note ${text.message}.`, {
      errors: [{ path: '/text', code: text.code, message: text.message }],
    });
  const [row] = await db
    .insert(orderNotes)
    .values({
      orderId,
      text: text.text,
      authorKind: caller.kind,
      authorId: caller.id,
      authorName: caller.name,
      // Milliseconds, as the cursor carries them: a microsecond the cursor cannot say would repeat a note.
      at: new Date(),
    })
    .returning();
  return ok(viewOf(row!));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Newest first, a keyset page at a time on (at, id). */
export async function listNotes(
  db: Db,
  caller: OrderCaller,
  orderId: string,
  page: { cursor?: string; limit?: number },
): Promise<Result<Page<NoteView>>> {
  const order = await visible(db, caller, orderId);
  if (!order.ok) return order;
  const decoded = decodeCursor(page.cursor);
  if (!decoded.ok) return decoded;
  const [at, id] = decoded.value ?? [];
  const after =
    decoded.value === null
      ? undefined
      : typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && UUID.test(id)
        ? { at: new Date(at), id }
        : null;
  if (after === null)
    return fail('invalid', 'REQUEST.INVALID_CURSOR', 'The cursor is not one this API returned.', {
      errors: [{ path: '/cursor', code: 'REQUEST.CURSOR_INVALID', message: 'is not a valid cursor' }],
    });
  const limit = page.limit ?? 50;
  const rows = await db
    .select()
    .from(orderNotes)
    .where(
      and(
        eq(orderNotes.orderId, orderId),
        after
          ? sql`(${orderNotes.at}, ${orderNotes.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(orderNotes.at), desc(orderNotes.id))
    .limit(limit + 1);
  return ok(pageOf(rows.map(viewOf), limit, (n) => [n.at, n.id]));
}

/** How many notes the order has (the order view's `notesCount`). */
export async function countNotes(db: Db, orderId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orderNotes)
    .where(eq(orderNotes.orderId, orderId));
  return Number(row?.n ?? 0);
}
