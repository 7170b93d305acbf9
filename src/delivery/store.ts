import { and, asc, eq, exists, gt, ilike, inArray, like, or, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/index.ts';
import type { DeliveryType, ExperienceFields, TransitRow, Uf } from './domain.ts';
import { carrierTransitTimes, deliveryExperienceStores, deliveryExperiences } from './schema.ts';

export type ExperienceRow = typeof deliveryExperiences.$inferSelect;
export interface EnabledStore {
  storeId: string;
  storePath: string;
}

/** Seen by a viewer: created at or below its node, or enabling a store at or below it. */
const visibleTo = (viewerPath: string) =>
  or(
    like(deliveryExperiences.ownerPath, `${viewerPath}%`),
    exists(
      sql`(select 1 from ${deliveryExperienceStores} where ${deliveryExperienceStores.experienceId} = ${deliveryExperiences.id} and ${deliveryExperienceStores.storePath} like ${`${viewerPath}%`})`,
    ),
  );

export async function findByCode(
  db: Db,
  networkId: string,
  code: string,
  lock = false,
): Promise<ExperienceRow | undefined> {
  const query = db
    .select()
    .from(deliveryExperiences)
    .where(and(eq(deliveryExperiences.networkId, networkId), eq(deliveryExperiences.code, code)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** The experience of the network with this description (case-insensitive), other than `exceptId`. */
export async function findByDescription(
  db: Db,
  networkId: string,
  description: string,
  exceptId?: string,
): Promise<ExperienceRow | undefined> {
  const [row] = await db
    .select()
    .from(deliveryExperiences)
    .where(
      and(
        eq(deliveryExperiences.networkId, networkId),
        sql`lower(${deliveryExperiences.description}) = lower(${description})`,
        exceptId ? sql`${deliveryExperiences.id} <> ${exceptId}` : undefined,
      ),
    );
  return row;
}

/** The next free numeric code of the network (PDVFM093: the code is generated when not typed). */
export async function nextNumericCode(db: Db, networkId: string): Promise<string> {
  const [row] = await db
    .select({
      last: sql<string | null>`max(${deliveryExperiences.code}::numeric)`,
    })
    .from(deliveryExperiences)
    .where(
      and(eq(deliveryExperiences.networkId, networkId), sql`${deliveryExperiences.code} ~ '^[0-9]{1,18}$'`),
    );
  return String(Number(row?.last ?? 0) + 1);
}

export async function isVisible(db: Db, experienceId: string, viewerPath: string): Promise<boolean> {
  const [row] = await db
    .select({ id: deliveryExperiences.id })
    .from(deliveryExperiences)
    .where(and(eq(deliveryExperiences.id, experienceId), visibleTo(viewerPath)));
  return row !== undefined;
}

export function listVisible(
  db: Db,
  f: {
    networkId: string;
    viewerPath: string;
    q?: string;
    type?: DeliveryType;
    storeId?: string;
    afterCode?: string;
    limit: number;
  },
): Promise<ExperienceRow[]> {
  const pattern = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return db
    .select()
    .from(deliveryExperiences)
    .where(
      and(
        eq(deliveryExperiences.networkId, f.networkId),
        visibleTo(f.viewerPath),
        pattern
          ? or(ilike(deliveryExperiences.code, pattern), ilike(deliveryExperiences.description, pattern))
          : undefined,
        f.type ? eq(deliveryExperiences.type, f.type) : undefined,
        f.storeId
          ? exists(
              sql`(select 1 from ${deliveryExperienceStores} where ${deliveryExperienceStores.experienceId} = ${deliveryExperiences.id} and ${deliveryExperienceStores.storeId} = ${f.storeId})`,
            )
          : undefined,
        f.afterCode !== undefined ? gt(deliveryExperiences.code, f.afterCode) : undefined,
      ),
    )
    .orderBy(asc(deliveryExperiences.code))
    .limit(f.limit);
}

export async function insertExperience(
  db: Db,
  row: ExperienceFields & { id: string; networkId: string; code: string; ownerPath: string },
): Promise<ExperienceRow> {
  const [inserted] = await db.insert(deliveryExperiences).values(row).returning();
  return inserted!;
}

/** Changes the row only at the version read; undefined when someone else changed it first. */
export async function updateExperience(
  db: Db,
  id: string,
  version: number,
  fields: Partial<ExperienceFields>,
): Promise<ExperienceRow | undefined> {
  const [row] = await db
    .update(deliveryExperiences)
    .set({ ...fields, version: version + 1, updatedAt: new Date() })
    .where(and(eq(deliveryExperiences.id, id), eq(deliveryExperiences.version, version)))
    .returning();
  return row;
}

export async function deleteExperience(db: Db, id: string): Promise<void> {
  await db.delete(deliveryExperiences).where(eq(deliveryExperiences.id, id));
}

export async function storesOf(db: Db, experienceIds: string[]): Promise<Map<string, EnabledStore[]>> {
  const out = new Map<string, EnabledStore[]>(experienceIds.map((id) => [id, []]));
  if (experienceIds.length === 0) return out;
  const rows = await db
    .select()
    .from(deliveryExperienceStores)
    .where(inArray(deliveryExperienceStores.experienceId, experienceIds));
  for (const r of rows) out.get(r.experienceId)?.push({ storeId: r.storeId, storePath: r.storePath });
  return out;
}

export async function replaceStores(db: Db, experienceId: string, stores: EnabledStore[]): Promise<void> {
  await db.delete(deliveryExperienceStores).where(eq(deliveryExperienceStores.experienceId, experienceId));
  if (stores.length === 0) return;
  await db.insert(deliveryExperienceStores).values(stores.map((s) => ({ experienceId, ...s })));
}

/** The experiences of a network that enable a store, with a delivery type. */
export function experiencesEnabling(
  db: Db,
  f: { networkId: string; storeId: string; type: DeliveryType },
): Promise<ExperienceRow[]> {
  return db
    .select()
    .from(deliveryExperiences)
    .where(
      and(
        eq(deliveryExperiences.networkId, f.networkId),
        eq(deliveryExperiences.type, f.type),
        exists(
          sql`(select 1 from ${deliveryExperienceStores} where ${deliveryExperienceStores.experienceId} = ${deliveryExperiences.id} and ${deliveryExperienceStores.storeId} = ${f.storeId})`,
        ),
      ),
    )
    .orderBy(asc(deliveryExperiences.code));
}

const toTransit = (r: typeof carrierTransitTimes.$inferSelect): TransitRow => ({
  carrierCode: r.carrierCode,
  serviceCode: r.serviceCode === '' ? null : r.serviceCode,
  fromState: r.fromState as Uf,
  toState: r.toState as Uf,
  days: r.days,
});

export async function transitRows(
  db: Db,
  networkId: string,
  f: { carrierCode?: string; fromState?: Uf; toState?: Uf } = {},
): Promise<TransitRow[]> {
  const rows = await db
    .select()
    .from(carrierTransitTimes)
    .where(
      and(
        eq(carrierTransitTimes.networkId, networkId),
        f.carrierCode ? eq(carrierTransitTimes.carrierCode, f.carrierCode) : undefined,
        f.fromState ? eq(carrierTransitTimes.fromState, f.fromState) : undefined,
        f.toState ? eq(carrierTransitTimes.toState, f.toState) : undefined,
      ),
    )
    .orderBy(
      asc(carrierTransitTimes.carrierCode),
      asc(carrierTransitTimes.serviceCode),
      asc(carrierTransitTimes.fromState),
      asc(carrierTransitTimes.toState),
    );
  return rows.map(toTransit);
}

export async function replaceTransitRows(db: Db, networkId: string, rows: TransitRow[]): Promise<void> {
  await db.delete(carrierTransitTimes).where(eq(carrierTransitTimes.networkId, networkId));
  if (rows.length === 0) return;
  await db
    .insert(carrierTransitTimes)
    .values(rows.map((r) => ({ networkId, ...r, serviceCode: r.serviceCode ?? '' })));
}
