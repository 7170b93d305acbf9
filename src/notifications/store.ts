import { and, desc, eq, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import type { ChannelName } from './channel.ts';
import type { NotificationStatus } from './domain.ts';
import { notifications, notificationTemplates } from './schema.ts';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotificationRow = typeof notifications.$inferInsert;
export type TemplateRow = typeof notificationTemplates.$inferSelect;

/** The INSERT of a notification, to send within a larger statement of the same transaction (a CTE). */
export function insertNotificationStatement(tx: Db, row: NewNotificationRow & { id: string }) {
  return tx.insert(notifications).values(row);
}

export async function insertNotification(tx: Db, row: NewNotificationRow): Promise<NotificationRow> {
  const [inserted] = await tx.insert(notifications).values(row).returning();
  return inserted!;
}

export async function findNotification(
  db: Db,
  id: string,
  lock = false,
): Promise<NotificationRow | undefined> {
  const query = db.select().from(notifications).where(eq(notifications.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function updateNotification(
  db: Db,
  id: string,
  set: Partial<NewNotificationRow>,
): Promise<NotificationRow | undefined> {
  const [row] = await db.update(notifications).set(set).where(eq(notifications.id, id)).returning();
  return row;
}

export function notificationsOfOrder(db: Db, orderId: string): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.orderId, orderId))
    .orderBy(notifications.createdAt, notifications.id);
}

export interface OutboxFilter {
  storeIds: readonly string[];
  status?: NotificationStatus;
  channel?: ChannelName;
  from?: Date;
  to?: Date;
  /** The last row of the previous page: (createdAt, id), newest first. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

export function outbox(db: Db, f: OutboxFilter): Promise<NotificationRow[]> {
  if (f.storeIds.length === 0) return Promise.resolve([]);
  const where: SQL[] = [inArray(notifications.storeId, [...f.storeIds])];
  if (f.status) where.push(eq(notifications.status, f.status));
  if (f.channel) where.push(eq(notifications.channel, f.channel));
  if (f.from) where.push(sql`${notifications.createdAt} >= ${f.from.toISOString()}`);
  if (f.to) where.push(lt(notifications.createdAt, f.to));
  if (f.after)
    where.push(
      or(
        lt(notifications.createdAt, f.after.createdAt),
        and(eq(notifications.createdAt, f.after.createdAt), lt(notifications.id, f.after.id)),
      )!,
    );
  return db
    .select()
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(f.limit + 1);
}

export async function findTemplate(
  db: Db,
  networkId: string,
  code: string,
): Promise<TemplateRow | undefined> {
  const [row] = await db
    .select()
    .from(notificationTemplates)
    .where(and(eq(notificationTemplates.networkId, networkId), eq(notificationTemplates.code, code)));
  return row;
}

export function templatesOf(db: Db, networkId: string): Promise<TemplateRow[]> {
  return db.select().from(notificationTemplates).where(eq(notificationTemplates.networkId, networkId));
}

export async function saveTemplate(tx: Db, row: typeof notificationTemplates.$inferInsert): Promise<void> {
  await tx
    .insert(notificationTemplates)
    .values(row)
    .onConflictDoUpdate({
      target: [notificationTemplates.networkId, notificationTemplates.code],
      set: {
        subject: row.subject,
        text: row.text,
        html: row.html,
        updatedBy: row.updatedBy,
        updatedAt: row.updatedAt,
      },
    });
}

export async function deleteTemplate(
  tx: Db,
  networkId: string,
  code: string,
): Promise<TemplateRow | undefined> {
  const [row] = await tx
    .delete(notificationTemplates)
    .where(and(eq(notificationTemplates.networkId, networkId), eq(notificationTemplates.code, code)))
    .returning();
  return row;
}
