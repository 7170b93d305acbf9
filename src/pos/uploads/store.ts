import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.ts';
import { rows } from '../../platform/db/sql.ts';
import { centsOf } from '../../platform/money.ts';
import type { CustomerFields } from './domain.ts';
import {
  posCashMovements,
  posCashSessions,
  posSaleItems,
  posSalePayments,
  posSales,
  posUploadRejections,
  posUploads,
  posZReductions,
} from './schema.ts';

export type UploadRow = typeof posUploads.$inferSelect;
export type CashSessionRow = typeof posCashSessions.$inferSelect;

/** The upload already applied under this terminal's sequence, or under this kind and POS id. */
export async function findUpload(
  db: Db,
  storeId: string,
  f: { terminal: string; sequence: number; kind: string; posId: string },
): Promise<{ bySequence?: UploadRow; byPosId?: UploadRow }> {
  const [bySequence] = await db
    .select()
    .from(posUploads)
    .where(
      and(
        eq(posUploads.storeId, storeId),
        eq(posUploads.terminal, f.terminal),
        eq(posUploads.sequence, f.sequence),
      ),
    );
  const [byPosId] = await db
    .select()
    .from(posUploads)
    .where(and(eq(posUploads.storeId, storeId), eq(posUploads.kind, f.kind), eq(posUploads.posId, f.posId)));
  return { bySequence, byPosId };
}

/** Claims the upload first, so a concurrent identical one waits on the unique index and then replays. */
export async function insertUpload(db: Db, row: typeof posUploads.$inferInsert): Promise<UploadRow> {
  const [inserted] = await db.insert(posUploads).values(row).returning();
  return inserted!;
}

export async function setUploadResult(db: Db, id: string, result: unknown): Promise<void> {
  await db.update(posUploads).set({ result }).where(eq(posUploads.id, id));
}

/**
 * A refusal kept for support: the same upload refused again for the same reason counts an attempt on the
 * open row instead of adding one per retry of the POS.
 */
export async function recordRejection(db: Db, row: typeof posUploadRejections.$inferInsert): Promise<void> {
  const again = await db
    .update(posUploadRejections)
    .set({
      attempts: sql`${posUploadRejections.attempts} + 1`,
      receivedAt: sql`now()`,
      message: row.message,
      details: row.details,
      payload: row.payload,
    })
    .where(
      and(
        eq(posUploadRejections.storeId, row.storeId),
        row.terminal == null
          ? isNull(posUploadRejections.terminal)
          : eq(posUploadRejections.terminal, row.terminal),
        row.sequence == null
          ? isNull(posUploadRejections.sequence)
          : eq(posUploadRejections.sequence, row.sequence),
        eq(posUploadRejections.kind, row.kind),
        eq(posUploadRejections.code, row.code),
        isNull(posUploadRejections.resolvedAt),
      ),
    )
    .returning({ id: posUploadRejections.id });
  if (again.length === 0) await db.insert(posUploadRejections).values(row);
}

// Cash sessions

/** A new session; undefined when the terminal already has one under this POS id. */
export async function insertSession(
  db: Db,
  row: typeof posCashSessions.$inferInsert,
): Promise<CashSessionRow | undefined> {
  const [inserted] = await db.insert(posCashSessions).values(row).onConflictDoNothing().returning();
  return inserted;
}

/** A terminal's session by the POS's id; locked when a movement or the closing changes it. */
export async function findSession(
  db: Db,
  storeId: string,
  terminal: string,
  posId: string,
  lock = false,
): Promise<CashSessionRow | undefined> {
  const q = db
    .select()
    .from(posCashSessions)
    .where(
      and(
        eq(posCashSessions.storeId, storeId),
        eq(posCashSessions.terminal, terminal),
        eq(posCashSessions.posId, posId),
      ),
    );
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function insertMovement(db: Db, row: typeof posCashMovements.$inferInsert): Promise<string> {
  const [inserted] = await db.insert(posCashMovements).values(row).returning({ id: posCashMovements.id });
  return inserted!.id;
}

/** The session's cash sales, supplies and withdrawals, in cents. */
export async function sessionTotals(
  db: Db,
  sessionId: string,
): Promise<{ cashSales: bigint; supplies: bigint; withdrawals: bigint }> {
  const [sales] = await rows<{ cash: string | number | null }>(
    db,
    sql`select coalesce(sum(p.amount), 0) as cash from ${posSalePayments} p
        join ${posSales} s on s.id = p.sale_id
        where s.cash_session_id = ${sessionId} and p.method = 'cash'`,
  );
  const moves = await rows<{ type: string; total: string | number }>(
    db,
    sql`select type, coalesce(sum(amount), 0) as total from ${posCashMovements}
        where session_id = ${sessionId} group by type`,
  );
  const of = (type: string) => centsOf(moves.find((m) => m.type === type)?.total ?? 0);
  return { cashSales: centsOf(sales?.cash ?? 0), supplies: of('supply'), withdrawals: of('withdrawal') };
}

export async function closeSession(
  db: Db,
  id: string,
  f: {
    closingPosId: string;
    countedAmount: string;
    expectedAmount: string;
    difference: string;
    closedAt: Date;
  },
): Promise<void> {
  await db.update(posCashSessions).set(f).where(eq(posCashSessions.id, id));
}

// Sales

export async function insertSale(
  db: Db,
  sale: typeof posSales.$inferInsert & { id: string },
  items: Omit<typeof posSaleItems.$inferInsert, 'saleId'>[],
  payments: Omit<typeof posSalePayments.$inferInsert, 'saleId'>[],
): Promise<void> {
  await db.insert(posSales).values(sale);
  await db.insert(posSaleItems).values(items.map((i) => ({ ...i, saleId: sale.id })));
  await db.insert(posSalePayments).values(payments.map((p) => ({ ...p, saleId: sale.id })));
}

export async function setSaleFiscal(
  db: Db,
  saleId: string,
  f: { fiscalDocumentId?: string; fiscalStatus: string },
): Promise<void> {
  await db.update(posSales).set(f).where(eq(posSales.id, saleId));
}

export async function saleByAccessKey(db: Db, accessKey: string): Promise<{ id: string } | undefined> {
  const [row] = await db
    .select({ id: posSales.id })
    .from(posSales)
    .where(eq(posSales.nfceAccessKey, accessKey));
  return row;
}

// Z reductions

export async function insertZReduction(
  db: Db,
  row: typeof posZReductions.$inferInsert,
): Promise<{ id: string } | undefined> {
  const [inserted] = await db
    .insert(posZReductions)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: posZReductions.id });
  return inserted;
}

// The network's customers: the table is the POS sync's (src/pos/sync/schema.ts, same context); written in SQL
// here because a sub-folder reaches its sibling only through an index the sync slice owns.

export async function findCustomer(
  db: Db,
  networkId: string,
  document: string,
): Promise<(CustomerFields & { id: string }) | undefined> {
  const [row] = await rows<CustomerFields & { id: string }>(
    db,
    sql`select id, name, email, phone, birth_date::text as "birthDate" from customers
        where network_id = ${networkId} and document = ${document} for update`,
  );
  return row;
}

/** A new customer; undefined when one with the document was inserted meanwhile (then filled as known). */
export async function insertCustomer(
  db: Db,
  c: CustomerFields & { networkId: string; document: string; originStoreId: string },
): Promise<string | undefined> {
  const [row] = await rows<{ id: string }>(
    db,
    sql`insert into customers (network_id, document, name, email, phone, birth_date, origin_store_id)
        values (${c.networkId}, ${c.document}, ${c.name}, ${c.email}, ${c.phone}, ${c.birthDate}, ${c.originStoreId})
        on conflict (network_id, document) do nothing returning id`,
  );
  return row?.id;
}

export async function fillCustomer(db: Db, id: string, fill: Partial<CustomerFields>): Promise<void> {
  await db.execute(
    sql`update customers set
          name = coalesce(${fill.name ?? null}, name),
          email = coalesce(${fill.email ?? null}, email),
          phone = coalesce(${fill.phone ?? null}, phone),
          birth_date = coalesce(${fill.birthDate ?? null}::date, birth_date),
          updated_at = now()
        where id = ${id}`,
  );
}
