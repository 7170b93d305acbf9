import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../test/harness.ts';
import type { Database } from '../platform/db/index.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail } from '../platform/errors.ts';
import { recordDocument, reserveDocumentNumber, type SeriesRef } from './service.ts';
import { buildAccessKey } from './xml/access-key.ts';

describe.each(databaseKinds())('fiscal numbering on the %s database', (kind) => {
  let database: Database;
  let networkId: string;
  let store11: string;
  let store8: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const stores = await rows<{ id: string; code: string; network_id: string }>(
      database.db,
      sql`select id, code, network_id from nodes where code in ('11', '8')`,
    );
    store11 = stores.find((s) => s.code === '11')!.id;
    store8 = stores.find((s) => s.code === '8')!.id;
    networkId = stores[0]!.network_id;
  });
  afterAll(() => database?.close());

  const take = (ref: SeriesRef) => transaction(database.db, (tx) => reserveDocumentNumber(tx, ref));
  const numberOf = async (ref: SeriesRef) => {
    const result = await take(ref);
    if (!result.ok) throw new Error(result.failure.code);
    return result.value;
  };

  it('gives 100 concurrent invoices of one store 100 distinct consecutive numbers', async () => {
    const ref = { storeId: store11, model: 55, series: 1 } as const;
    const numbers = await Promise.all(Array.from({ length: 100 }, () => numberOf(ref)));
    expect(new Set(numbers).size).toBe(100);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('counts each series and each model on its own, and each store from 1', async () => {
    expect(await numberOf({ storeId: store11, model: 55, series: 2 })).toBe(1);
    expect(await numberOf({ storeId: store11, model: 65, series: 1 })).toBe(1);
    expect(await numberOf({ storeId: store8, model: 55, series: 1 })).toBe(1);
    expect(await numberOf({ storeId: store11, model: 55, series: 2 })).toBe(2);
    expect(await numberOf({ storeId: store11, model: 55, series: 1 })).toBe(101);
  });

  it('gives a failed issue its number back: no gap', async () => {
    const ref = { storeId: store11, model: 65, series: 7 } as const;
    expect(await numberOf(ref)).toBe(1);
    let taken = 0;
    const failed = await transaction(database.db, async (tx) => {
      const n = await reserveDocumentNumber(tx, ref);
      if (n.ok) taken = n.value;
      return fail('invalid', 'FISCAL.DOCUMENT_INVALID', 'found out after numbering');
    });
    expect(failed.ok).toBe(false);
    expect(taken).toBe(2);
    expect(await numberOf(ref)).toBe(2);
  });

  it('refuses a series outside 0..999', async () => {
    const result = await take({ storeId: store11, model: 55, series: 1000 });
    expect(result).toMatchObject({ ok: false, failure: { code: 'FISCAL.SERIES_INVALID' } });
  });

  it('records a document under its number and refuses a second one with the same number', async () => {
    const ref = { storeId: store8, model: 55, series: 3 } as const;
    const key = (number: number, numericCode: string) => {
      const k = buildAccessKey({
        stateCode: '35',
        yearMonth: '2611',
        cnpj: '12345678000195',
        model: '55',
        series: ref.series,
        number,
        emissionType: 1,
        numericCode,
      });
      if (!k.ok) throw new Error(k.failure.detail);
      return k.value;
    };
    const record = (number: number, accessKey: string) =>
      transaction(database.db, (tx) =>
        recordDocument(tx, {
          ...ref,
          networkId,
          number,
          accessKey,
          status: 'sending',
          purpose: 'sale',
          referenceType: 'order',
          referenceId: 'order-1',
          xml: '<NFe/>',
          content: {},
        }),
      );
    const issued = await transaction(database.db, async (tx) => {
      const n = await reserveDocumentNumber(tx, ref);
      if (!n.ok) return n;
      return recordDocument(tx, {
        ...ref,
        networkId,
        number: n.value,
        accessKey: key(n.value, '48213907'),
        status: 'sending',
        purpose: 'sale',
        referenceType: 'order',
        referenceId: 'order-1',
        xml: '<NFe/>',
        content: {},
      });
    });
    expect(issued).toMatchObject({
      ok: true,
      value: { number: 1, numericCode: '48213907', status: 'sending' },
    });
    expect(await record(1, key(1, '51730284'))).toMatchObject({
      ok: false,
      failure: { code: 'FISCAL.DOCUMENT_DUPLICATE' },
    });
    expect(await record(2, key(1, '51730284'))).toMatchObject({
      ok: false,
      failure: { code: 'FISCAL.ACCESS_KEY_MISMATCH' },
    });
    const ok2 = await record(2, key(2, '51730284'));
    expect(ok2.ok).toBe(true);
  });
});
