import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ADMIN, addDemoUsers, LOJA8, LOJA11, STAFF11 } from '../../../test/order-fixtures.ts';
import { TEST_SECRET_KEY } from '../../../test/secret-key.ts';
import { rows, sql } from '../../platform/db/sql.ts';
import { transaction } from '../../platform/db/transaction.ts';
import { numberFor } from '../issuing.ts';
import { recordDocument, reserveDocumentNumber } from '../records.ts';
import { buildAccessKey } from '../xml/index.ts';
import { resendStuckRanges, voidAgedGaps } from './service.ts';

const DAY = 86_400_000;

describe.each(databaseKinds())('voiding numbers (inutilização) on the %s database', (kind) => {
  let t: TestApp;
  let store11: { id: string; network_id: string; cnpj: string };
  let store8: { id: string; network_id: string; cnpj: string };

  beforeAll(async () => {
    t = await startTestApp(kind);
    await addDemoUsers(t);
    const stores = await rows<{ id: string; code: string; network_id: string; cnpj: string }>(
      t.database.db,
      sql`select id, code, network_id, cnpj from nodes where code in ('11', '8')`,
    );
    store11 = stores.find((s) => s.code === '11')!;
    store8 = stores.find((s) => s.code === '8')!;
  }, 60_000);
  afterAll(() => t?.close());

  type Store = typeof store11;
  /** Takes the series' next number and, unless `status` is null, records a document under it. */
  async function issue(
    store: Store,
    series: number,
    status: 'authorised' | 'rejected' | 'sending' | null,
    reference = `order-${Math.random()}`,
  ) {
    const ref = { storeId: store.id, model: 55 as const, series };
    const done = await transaction(t.database.db, async (tx) => {
      const n = await reserveDocumentNumber(tx, ref);
      if (!n.ok || status === null) return n;
      const key = buildAccessKey({
        stateCode: '35',
        yearMonth: '2612',
        cnpj: store.cnpj,
        model: '55',
        series,
        number: n.value,
        emissionType: 1,
        numericCode: String(10_000_000 + n.value),
      });
      if (!key.ok) return key;
      const doc = await recordDocument(tx, {
        ...ref,
        networkId: store.network_id,
        number: n.value,
        accessKey: key.value,
        status,
        purpose: 'sale',
        referenceType: 'order',
        referenceId: reference,
        xml: '<NFe/>',
        content: {},
      });
      return doc.ok ? { ok: true as const, value: n.value } : doc;
    });
    if (!done.ok) throw new Error(done.failure.code);
    return done.value;
  }

  const body = (over: Record<string, unknown> = {}) => ({
    storeCode: '11',
    model: 55,
    series: 41,
    from: 2,
    to: 3,
    justification: 'Numeracao pulada por queda do sistema',
    ...over,
  });
  const count = async () =>
    Number(
      (await rows<{ n: number }>(t.database.db, sql`select count(*) as n from fiscal_voided_ranges`))[0]!.n,
    );

  async function settled(id: string, auth = LOJA11) {
    for (let i = 0; i < 400; i++) {
      const res = await t.request('GET', `/api/v1/fiscal/voided-ranges/${id}`, { auth });
      if (res.body.status !== 'sending') return res.body;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`range ${id} still sending`);
  }

  it('lists the gaps of a series, voids one at SEFAZ and keeps its ProcInutNFe', async () => {
    // Series 41 of store 11: 1 authorised, 2–3 reserved and lost (a crash), 4 authorised, 5 rejected.
    await issue(store11, 41, 'authorised');
    await issue(store11, 41, null);
    await issue(store11, 41, null);
    await issue(store11, 41, 'authorised');
    await issue(store11, 41, 'rejected');
    const gaps = await t.request('GET', '/api/v1/fiscal/number-gaps?storeCode=11', { auth: LOJA11 });
    expect(gaps.status).toBe(200);
    const mine = gaps.body.items.filter((g: { series: number }) => g.series === 41);
    expect(mine).toMatchObject([
      { storeCode: '11', model: 55, from: 2, to: 3, count: 2, rejectedNumbers: [], ageDays: 0 },
      { from: 5, to: 5, count: 1, rejectedNumbers: [5], ageDays: 0 },
    ]);
    expect(mine[0].since).not.toBeNull();

    const posted = await t.request('POST', '/api/v1/fiscal/voided-ranges', { auth: LOJA11, body: body() });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    expect(posted.body).toMatchObject({
      status: 'sending',
      origin: 'manual',
      from: 2,
      to: 3,
      storeCode: '11',
    });
    const voided = await settled(posted.body.id);
    expect(voided).toMatchObject({ status: 'voided', rejection: null });
    expect(voided.protocol).toMatch(/^[0-9]{15}$/);
    const xml = await t.request('GET', `/api/v1/fiscal/voided-ranges/${posted.body.id}/xml`, {
      auth: LOJA11,
    });
    expect(xml.status).toBe(200);
    expect(xml.headers['content-type']).toContain('application/xml');
    expect(xml.body).toContain('<ProcInutNFe');
    expect(xml.body).toContain('<cStat>102</cStat>');
    expect(xml.body).toContain(`<nProt>${voided.protocol}</nProt>`);

    const log = await t.request('GET', '/api/v1/audit-events?action=fiscal_numbering', { auth: ADMIN });
    expect(
      log.body.items.find((e: { target: { id: string } }) => e.target.id === posted.body.id),
    ).toMatchObject({
      action: 'fiscal_numbering.void_requested',
      after: { from: 2, to: 3, series: 41 },
    });

    const after = await t.request('GET', '/api/v1/fiscal/number-gaps?storeCode=11', { auth: LOJA11 });
    expect(after.body.items.filter((g: { series: number }) => g.series === 41)).toMatchObject([
      { from: 5, to: 5 },
    ]);
  });

  it('refuses, with a clear code and nothing recorded, what SEFAZ or the series forbids', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ from: 1, to: 2 }, 409, 'FISCAL.VOID_NUMBER_USED'],
      [{ from: 3, to: 3 }, 409, 'FISCAL.VOID_OVERLAP'],
      [{ from: 5, to: 6 }, 422, 'FISCAL.VOID_BEYOND_COUNTER'],
      [{ from: 1, to: 10_001 }, 422, 'FISCAL.VOID_TOO_WIDE'],
      [{ from: 5, to: 4 }, 422, 'FISCAL.VOID_INVALID'],
      [{ justification: 'curta demais' }, 422, 'FISCAL.VOID_INVALID'],
      [{ storeCode: '99' }, 404, 'NETWORK.STORE_NOT_FOUND'],
    ];
    for (const [over, status, code] of cases) {
      const res = await t.request('POST', '/api/v1/fiscal/voided-ranges', { auth: LOJA11, body: body(over) });
      expect([res.status, res.body.code], JSON.stringify(over)).toEqual([status, code]);
    }
    const bad = await t.request('POST', '/api/v1/fiscal/voided-ranges', {
      auth: LOJA11,
      body: body({ model: 57, from: 0 }),
    });
    expect(bad.status).toBe(422);
    // Store 8 is not store 11's manager's; a clerk does not void.
    const other = await t.request('POST', '/api/v1/fiscal/voided-ranges', {
      auth: LOJA11,
      body: body({ storeCode: '8' }),
    });
    expect(other.status).toBe(404);
    const clerk = await t.request('POST', '/api/v1/fiscal/voided-ranges', {
      auth: STAFF11,
      body: body({ from: 5, to: 5 }),
    });
    expect(clerk.status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('refuses numbers of an earlier year', async () => {
    await issue(store11, 42, 'authorised');
    await issue(store11, 42, null);
    await issue(store11, 42, 'authorised');
    await t.database.db.execute(
      sql`update fiscal_documents set created_at = created_at - interval '400 days'
          where store_id = ${store11.id} and series = 42 and number = 1`,
    );
    const res = await t.request('POST', '/api/v1/fiscal/voided-ranges', {
      auth: LOJA11,
      body: body({ series: 42, from: 1, to: 1 }),
    });
    expect([res.status, res.body.code]).toEqual([422, 'FISCAL.VOID_OTHER_YEAR']);
    const fine = await t.request('POST', '/api/v1/fiscal/voided-ranges', {
      auth: LOJA11,
      body: body({ series: 42, from: 2, to: 2 }),
    });
    expect(fine.status).toBe(202);
    expect((await settled(fine.body.id)).status).toBe('voided');
  });

  it('voids a rejected document’s number: its order then issues under a new number', async () => {
    const reference = 'order-abandoned';
    const n = await issue(store11, 43, 'rejected', reference);
    const slot = {
      storeId: store11.id,
      model: 55 as const,
      series: 43,
      referenceType: 'order',
      referenceId: reference,
    };
    const again = await transaction(t.database.db, (tx) => numberFor(tx, slot));
    expect(again).toMatchObject({ ok: true, value: { number: n } });
    const res = await t.request('POST', '/api/v1/fiscal/voided-ranges', {
      auth: LOJA11,
      body: body({ series: 43, from: n, to: n }),
    });
    expect(res.status).toBe(202);
    expect((await settled(res.body.id)).status).toBe('voided');
    const fresh = await transaction(t.database.db, (tx) => numberFor(tx, slot));
    expect(fresh).toMatchObject({ ok: true, value: { number: n + 1 } });
    expect(fresh.ok && fresh.value.previous).toBeUndefined();
  });

  it('takes SEFAZ’s 563 (the same range voided before) as voided, and sends again what was left sending', async () => {
    await issue(store11, 44, null);
    await issue(store11, 44, 'authorised');
    const first = await t.request('POST', '/api/v1/fiscal/voided-ranges', {
      auth: ADMIN,
      body: body({ series: 44, from: 1, to: 1 }),
    });
    const voided = await settled(first.body.id, ADMIN);
    expect(voided.status).toBe('voided');
    // The worker died after SEFAZ voided it, before its commit (the request still the XML kept); its job
    // is gone too.
    const proc = (
      await t.request('GET', `/api/v1/fiscal/voided-ranges/${first.body.id}/xml`, { auth: ADMIN })
    ).body as string;
    const request = proc
      .slice(proc.indexOf('<inutNFe'), proc.indexOf('</inutNFe>') + '</inutNFe>'.length)
      .replace('<inutNFe versao="4.00"', '<inutNFe versao="4.00" xmlns="http://www.portalfiscal.inf.br/nfe"');
    await t.database.db.execute(
      sql`update fiscal_voided_ranges set status = 'sending', protocol = null, voided_at = null, xml = ${request}
          where id = ${first.body.id}`,
    );
    await t.database.db.execute(sql`delete from jobs where payload->>'rangeId' = ${first.body.id}`);
    // Two processes' resends at once (`--processes N` start their timers together) queue it once.
    const both = await Promise.all([
      resendStuckRanges(t.database.db, 0),
      resendStuckRanges(t.database.db, 0),
    ]);
    expect(both.sort()).toEqual([0, 1]);
    t.worker.wake();
    expect(await settled(first.body.id, ADMIN)).toMatchObject({
      status: 'voided',
      protocol: null,
      rejection: {
        code: 563,
        reason: 'Rejeição: Já existe pedido de Inutilização com a mesma faixa de inutilização',
      },
    });
    const gaps = await t.request('GET', '/api/v1/fiscal/number-gaps?storeCode=11', { auth: ADMIN });
    expect(gaps.body.items.filter((g: { series: number }) => g.series === 44)).toEqual([]);
  });

  it('records SEFAZ’s refusal: a number SEFAZ saw authorised is rejected with 241', async () => {
    // Ours lost the document (a restore from an old backup): SEFAZ still holds its authorisation.
    const orderNumber = await issue(store11, 46, null);
    await (await import('../authorizer/simulator-store.ts'))
      .createDatabaseSimulatorStore(t.database.db)
      .save({
        accessKey: '3526124599741800015355046000000001100000001'.padEnd(44, '0'),
        protocol: '135260000099999',
        emitterCnpj: store11.cnpj,
        model: '55',
        series: 46,
        number: orderNumber,
        authorizedAt: new Date(),
        nfeProcXml: '<nfeProc/>',
      });
    const res = await t.request('POST', '/api/v1/fiscal/voided-ranges', {
      auth: ADMIN,
      body: body({ series: 46, from: 1, to: 1 }),
    });
    expect(await settled(res.body.id, ADMIN)).toMatchObject({
      status: 'rejected',
      protocol: null,
      rejection: { code: 241, reason: 'Rejeição: Um número da faixa já foi utilizado' },
    });
  });

  it('lists the voided ranges newest first, page by page, to whoever sees the store', async () => {
    const first = await t.request('GET', '/api/v1/fiscal/voided-ranges?storeCode=11&limit=2', {
      auth: LOJA11,
    });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await t.request(
      'GET',
      `/api/v1/fiscal/voided-ranges?storeCode=11&limit=2&cursor=${first.body.nextCursor}`,
      { auth: LOJA11 },
    );
    expect(next.body.items.length).toBeGreaterThan(0);
    const ids = [...first.body.items, ...next.body.items].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const voided = await t.request('GET', '/api/v1/fiscal/voided-ranges?status=rejected', { auth: ADMIN });
    expect(voided.body.items.every((r: { status: string }) => r.status === 'rejected')).toBe(true);
    expect(
      (await t.request('GET', '/api/v1/fiscal/voided-ranges?storeCode=11', { auth: LOJA8 })).status,
    ).toBe(404);
    const cursor = await t.request('GET', '/api/v1/fiscal/voided-ranges?cursor=bm9wZQ', { auth: LOJA11 });
    expect([cursor.status, cursor.body.code]).toEqual([422, 'REQUEST.INVALID_CURSOR']);
    const missing = await t.request('GET', `/api/v1/fiscal/voided-ranges/${first.body.items[0].id}`, {
      auth: LOJA8,
    });
    expect(missing.status).toBe(404);
  });

  it('voids at night the gaps older than QT_DIAS_INUTILIZACAO_AUTO days, and only those', async () => {
    // Store 8, series 45: 1 and 2 lost 10 days ago (3 issued then), 4 lost yesterday (5 issued then).
    for (const status of [null, null, 'authorised', null, 'authorised'] as const)
      await issue(store8, 45, status);
    await t.database.db.execute(
      sql`update fiscal_documents set created_at = now() - interval '10 days'
          where store_id = ${store8.id} and series = 45 and number = 3`,
    );
    await t.database.db.execute(
      sql`update fiscal_documents set created_at = now() - interval '1 day'
          where store_id = ${store8.id} and series = 45 and number = 5`,
    );
    const deps = { secretKey: TEST_SECRET_KEY };
    // Off by default (0): nothing happens.
    const before = await count();
    expect(await voidAgedGaps(t.database.db, deps)).toBe(0);
    expect(await count()).toBe(before);

    const set = await t.request('PUT', '/api/v1/nodes/8/parameters/QT_DIAS_INUTILIZACAO_AUTO', {
      auth: ADMIN,
      body: { value: 7 },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(await voidAgedGaps(t.database.db, deps)).toBe(1);
    t.worker.wake();
    const ranges = await t.request(
      'GET',
      '/api/v1/fiscal/voided-ranges?storeCode=8&series=45&origin=automatic',
      {
        auth: ADMIN,
      },
    );
    expect(ranges.body.items).toMatchObject([
      {
        from: 1,
        to: 2,
        origin: 'automatic',
        requestedBy: 'system:night-voiding',
        justification: 'Numeracao nao utilizada: lacuna da serie inutilizada automaticamente pelo Omnihub',
      },
    ]);
    expect((await settled(ranges.body.items[0].id, ADMIN)).status).toBe('voided');
    // Run again the same night: the gap is voided, the younger one still too young.
    expect(await voidAgedGaps(t.database.db, deps)).toBe(0);
    // Eight days later the younger one goes too.
    const later = () => new Date(Date.now() + 8 * DAY);
    expect(await voidAgedGaps(t.database.db, { ...deps, clock: later })).toBe(1);
  });
});
