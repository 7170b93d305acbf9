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

describe.runIf(databaseKinds().includes('server'))('statements on the server', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase('server');
  });
  afterAll(() => database?.close());

  it('are named prepared statements of their connection once they carry parameters', async () => {
    const names = await transaction(database.db, async (tx) => {
      await tx.execute(sql`select ${41}::int + 1 as answer`);
      // The connection may hold others already (the migration's, on a pooled connection).
      return ok(
        await rows<{ name: string }>(
          tx,
          sql`select name from pg_prepared_statements where statement like '%+ 1 as answer'`,
        ),
      );
    });
    expect(names.ok && names.value.map((r) => r.name)).toEqual([
      expect.stringMatching(/^omnihub_[0-9a-f]{20}$/),
    ]);
  });

  it('run without JIT, set when each connection opens', async () => {
    expect(await rows<{ jit: string }>(database.db, sql`select current_setting('jit') as jit`)).toEqual([
      { jit: 'off' },
    ]);
  });

  it('fail with the server’s own error, and the same text runs again afterwards', async () => {
    const divide = (by: number) => rows<{ q: number }>(database.db, sql`select 10 / ${by}::int as q`);
    for (let i = 0; i < 3; i++) {
      await expect(divide(0)).rejects.toMatchObject({ cause: { code: '22012' } });
      expect(await divide(5)).toEqual([{ q: 2 }]);
    }
    const broken = () => rows(database.db, sql`select no_such_column from nodes where id = ${'x'}`);
    for (let i = 0; i < 2; i++) await expect(broken()).rejects.toMatchObject({ cause: { code: '42703' } });
  });
});
