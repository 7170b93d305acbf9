/**
 * The SEFAZ simulator's memory in the database (`sefaz_simulator_documents`), so a restarted Omnihub,
 * or a second process on the same database, answers a resent NF-e 204 and a repeated event 573,
 * and `consult` still finds what was authorised before the restart.
 */
import { and, between, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.ts';
import { rows, sql, toInt } from '../../platform/db/sql.ts';
import {
  sefazSimulatorDocuments,
  sefazSimulatorProtocolSeq,
  sefazSimulatorState,
  sefazSimulatorVoidedRanges,
} from '../schema.ts';
import type { AuthorizedNfe, SimulatorStore, VoidedAtSefaz } from './sefaz-simulator.ts';

type Row = typeof sefazSimulatorDocuments.$inferSelect;

function toRecord(row: Row): AuthorizedNfe {
  const record: AuthorizedNfe = {
    accessKey: row.accessKey,
    protocol: row.protocol,
    emitterCnpj: row.emitterCnpj,
    model: row.model === '65' ? '65' : '55',
    series: row.series,
    number: row.number,
    authorizedAt: row.authorizedAt,
    nfeProcXml: row.nfeProcXml,
    corrections: row.corrections.map((c) => ({ ...c, at: new Date(c.at) })),
  };
  return row.cancellationProtocol && row.cancelledAt
    ? { ...record, cancellation: { protocol: row.cancellationProtocol, at: row.cancelledAt } }
    : record;
}

export function createDatabaseSimulatorStore(db: Db): SimulatorStore {
  const t = sefazSimulatorDocuments;
  return {
    async byKey(accessKey) {
      const [row] = await db.select().from(t).where(eq(t.accessKey, accessKey));
      return row && toRecord(row);
    },
    async byNumber(emitterCnpj, model, series, number, svc = false) {
      const [row] = await db
        .select()
        .from(t)
        .where(
          and(
            eq(t.emitterCnpj, emitterCnpj),
            eq(t.model, model),
            eq(t.series, series),
            eq(t.number, number),
            sql`(substr(${t.accessKey}, 35, 1) in ('6', '7')) = ${svc}`,
          ),
        );
      return row && toRecord(row);
    },
    async save(record) {
      const values = {
        protocol: record.protocol,
        emitterCnpj: record.emitterCnpj,
        model: record.model,
        series: record.series,
        number: record.number,
        authorizedAt: record.authorizedAt,
        nfeProcXml: record.nfeProcXml,
        cancellationProtocol: record.cancellation?.protocol ?? null,
        cancelledAt: record.cancellation?.at ?? null,
        corrections: (record.corrections ?? []).map((c) => ({ ...c, at: c.at.toISOString() })),
      };
      await db
        .insert(t)
        .values({ accessKey: record.accessKey, ...values })
        .onConflictDoUpdate({ target: t.accessKey, set: values });
    },
    async nextSequence() {
      // int8: a number from PGlite, a string from pg.
      const [row] = await rows<{ value: unknown }>(
        db,
        sql`select nextval(${sefazSimulatorProtocolSeq.seqName}::regclass) as value`,
      );
      return toInt(row?.value);
    },
    async availability() {
      const [row] = await db.select().from(sefazSimulatorState).where(eq(sefazSimulatorState.id, 1));
      return row
        ? { available: row.available, changedBy: row.changedBy, changedAt: row.changedAt }
        : { available: true, changedBy: null, changedAt: null };
    },
    async setAvailability(available, changedBy) {
      const values = { available, changedBy, changedAt: new Date() };
      const [row] = await db
        .insert(sefazSimulatorState)
        .values({ id: 1, ...values })
        .onConflictDoUpdate({ target: sefazSimulatorState.id, set: values })
        .returning();
      return { available: row!.available, changedBy: row!.changedBy, changedAt: row!.changedAt };
    },
    async numbersAuthorized(emitterCnpj, model, series, from, to) {
      const found = await db
        .select({ number: t.number })
        .from(t)
        .where(
          and(
            eq(t.emitterCnpj, emitterCnpj),
            eq(t.model, model),
            eq(t.series, series),
            between(t.number, from, to),
          ),
        )
        .orderBy(t.number)
        .limit(20);
      return found.map((r) => r.number);
    },
    async voidedOverlapping(emitterCnpj, model, series, from, to) {
      const v = sefazSimulatorVoidedRanges;
      const found = await db
        .select()
        .from(v)
        .where(
          and(
            eq(v.emitterCnpj, emitterCnpj),
            eq(v.model, model),
            eq(v.series, series),
            lte(v.fromNumber, to),
            gte(v.toNumber, from),
          ),
        )
        .orderBy(v.fromNumber);
      return found.map(
        (r): VoidedAtSefaz => ({
          emitterCnpj: r.emitterCnpj,
          model: r.model,
          series: r.series,
          from: r.fromNumber,
          to: r.toNumber,
          protocol: r.protocol,
          voidedAt: r.voidedAt,
        }),
      );
    },
    async saveVoided(range) {
      await db.insert(sefazSimulatorVoidedRanges).values({
        id: range.protocol,
        emitterCnpj: range.emitterCnpj,
        model: range.model,
        series: range.series,
        fromNumber: range.from,
        toNumber: range.to,
        protocol: range.protocol,
        voidedAt: range.voidedAt,
      });
    },
  };
}
