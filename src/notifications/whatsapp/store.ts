import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.ts';
import { whatsappAccounts } from './schema.ts';

export type AccountRow = typeof whatsappAccounts.$inferSelect;
export type AccountValues = Omit<AccountRow, 'networkId'>;

export async function find(db: Db, networkId: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(whatsappAccounts).where(eq(whatsappAccounts.networkId, networkId));
  return row;
}

/** What decides whether a cached channel is still the account's: read by primary key on every send. */
export async function version(
  db: Db,
  networkId: string,
): Promise<{ updatedAt: Date; active: boolean } | undefined> {
  const [row] = await db
    .select({ updatedAt: whatsappAccounts.updatedAt, active: whatsappAccounts.active })
    .from(whatsappAccounts)
    .where(eq(whatsappAccounts.networkId, networkId));
  return row;
}

export async function upsert(db: Db, networkId: string, values: AccountValues): Promise<AccountRow> {
  const [row] = await db
    .insert(whatsappAccounts)
    .values({ networkId, ...values })
    .onConflictDoUpdate({ target: whatsappAccounts.networkId, set: values })
    .returning();
  return row!;
}

export async function remove(db: Db, networkId: string): Promise<AccountRow | undefined> {
  const [row] = await db
    .delete(whatsappAccounts)
    .where(eq(whatsappAccounts.networkId, networkId))
    .returning();
  return row;
}

/** Locks the account's row for the change (two admins saving at once: one after the other). */
export async function findForUpdate(db: Db, networkId: string): Promise<AccountRow | undefined> {
  const [row] = await db
    .select()
    .from(whatsappAccounts)
    .where(eq(whatsappAccounts.networkId, networkId))
    .for('update');
  return row;
}
