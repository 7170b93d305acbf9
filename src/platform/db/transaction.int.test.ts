import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../../test/harness.ts';
import { fail, ok } from '../errors.ts';
import type { Database } from './index.ts';
import { rows } from './sql.ts';
import { transaction } from './transaction.ts';

describe.each(databaseKinds())('transaction helper on the %s database', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await database.db.execute(sql`create table tx_probe (v int)`);
  });
  afterAll(() => database?.close());

  it('commits on success and rolls back a returned failure', async () => {
    const { db } = database;
    const good = await transaction(db, async (tx) => {
      await tx.execute(sql`insert into tx_probe values (1)`);
      return ok('done');
    });
    expect(good).toEqual({ ok: true, value: 'done' });
    const bad = await transaction(db, async (tx) => {
      await tx.execute(sql`insert into tx_probe values (2)`);
      return fail('conflict', 'TEST.LATE', 'found out late');
    });
    expect(bad).toMatchObject({ ok: false, failure: { code: 'TEST.LATE' } });
    expect(await rows<{ v: number }>(db, sql`select v from tx_probe order by v`)).toEqual([{ v: 1 }]);
  });
});
