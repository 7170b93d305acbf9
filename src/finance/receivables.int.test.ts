import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, CPF, LOJA8, LOJA11, orderBody, PLATFORM } from '../../test/order-fixtures.ts';
import { restock } from '../../test/pickup-fixtures.ts';
import { saoPauloDay } from '../platform/format-br.ts';

interface Item {
  id: string;
  storeCode: string;
  orderId: string;
  documentType: string;
  state: string;
  amount: string;
  open: string;
  issuedOn: string;
  order: { number: number | null; externalId: string | null; customerName: string | null };
}

describe.each(databaseKinds())('Contas a receber and balances on the %s database', (kind) => {
  let t: TestApp;
  const today = saoPauloDay(new Date());
  const yesterday = saoPauloDay(new Date(Date.now() - 86_400_000));
  // Store 11: a card order accepted (open), a pix order accepted then cancelled; store 8: a card order.
  let card11: { id: string; externalId: string };
  let pix11: { id: string; externalId: string };
  let card8: { id: string; externalId: string };

  const placeAndAccept = async (storeCode: string, auth: string, method = 'credit_card') => {
    await restock(t, [['CAL-002', 1]], storeCode);
    const body = orderBody({ storeCode });
    if (method !== 'credit_card') body.payments = [{ method, amount: '199.90', installments: 1 }];
    const created = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const accepted = await t.request('POST', `/api/v1/orders/${created.body.id}/accept`, { auth });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    return { id: created.body.id as string, externalId: body.externalId };
  };

  const list = async (query: string, auth = ADMIN) => {
    const res = await t.request('GET', `/api/v1/finance/receivables${query}`, { auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: Item[]; nextCursor: string | null };
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    card11 = await placeAndAccept('11', LOJA11);
    pix11 = await placeAndAccept('11', LOJA11, 'pix');
    const cancelled = await t.request('POST', `/api/v1/orders/${pix11.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'cancelled', reason: 'Cliente desistiu' },
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    card8 = await placeAndAccept('8', LOJA8);
  });
  afterAll(() => t?.close());

  it('lists the receivables of the stores one sees, with the order and the customer', async () => {
    const admin = await list('');
    expect(admin.items.map((i) => i.orderId)).toEqual(
      expect.arrayContaining([card11.id, pix11.id, card8.id]),
    );
    const card = admin.items.find((i) => i.orderId === card11.id)!;
    expect(card).toMatchObject({
      storeCode: '11',
      documentType: 'credit_card',
      amount: '199.90',
      open: '199.90',
      state: 'open',
      issuedOn: today,
      order: { externalId: card11.externalId, customerName: 'Maria Silva' },
    });
    expect(card.order.number).toEqual(expect.any(Number));

    const store11 = await list('', LOJA11);
    expect(store11.items.map((i) => i.orderId).sort()).toEqual([card11.id, pix11.id].sort());
    const store8 = await list('', LOJA8);
    expect(store8.items.map((i) => i.orderId)).toEqual([card8.id]);
    // A store one does not see is not found; one that does not exist neither.
    for (const code of ['11', 'NOPE']) {
      const res = await t.request('GET', `/api/v1/finance/receivables?storeCode=${code}`, { auth: LOJA8 });
      expect(res.status, JSON.stringify(res.body)).toBe(404);
      expect(res.body.code).toBe('NETWORK.STORE_NOT_FOUND');
    }
    expect((await list('?storeCode=8')).items.map((i) => i.orderId)).toEqual([card8.id]);
  });

  it('filters by document type, state and São Paulo issue day in the query', async () => {
    expect((await list('?documentType=pix')).items.map((i) => i.orderId)).toEqual([pix11.id]);
    const cancelled = await list('?state=cancelled');
    expect(cancelled.items).toMatchObject([{ orderId: pix11.id, open: '0.00', state: 'cancelled' }]);
    expect((await list('?state=open')).items.map((i) => i.orderId).sort()).toEqual(
      [card11.id, card8.id].sort(),
    );
    expect((await list('?state=partially_cancelled')).items).toEqual([]);
    expect((await list(`?to=${yesterday}`)).items).toEqual([]);
    expect((await list(`?from=${today}&to=${today}&storeCode=11`)).items).toHaveLength(2);
    // The state filter runs before the page is cut: a page of one still finds the cancelled receivable.
    const one = await list('?state=cancelled&limit=1');
    expect(one.items.map((i) => i.orderId)).toEqual([pix11.id]);
    expect(one.nextCursor).toBeNull();
  });

  it('pages by keyset without losing or repeating a row', async () => {
    const all = (await list('?limit=200')).items.map((i) => i.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await list(
        `?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('refuses a query it cannot answer with a 422 naming the field', async () => {
    const cases: [string, string][] = [
      ['?from=2026-02-30', '/from'],
      ['?to=ontem', '/to'],
      [`?from=${today}&to=${yesterday}`, '/from'],
      ['?cursor=bm90LWEtY3Vyc29y', '/cursor'],
      ['?limit=0', '/limit'],
      ['?limit=201', '/limit'],
      ['?state=paid', '/state'],
      ['?documentType=cheque', '/documentType'],
    ];
    for (const [query, path] of cases) {
      const res = await t.request('GET', `/api/v1/finance/receivables${query}`, { auth: ADMIN });
      expect(res.status, query).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const csv = await t.request('GET', `/api/v1/finance/receivables.csv?from=${today}&to=${yesterday}`, {
      auth: ADMIN,
    });
    expect(csv.status).toBe(422);
  });

  it('exports every matching row as a pt-BR CSV', async () => {
    const res = await t.request('GET', '/api/v1/finance/receivables.csv?storeCode=11', { auth: LOJA11 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('contas-a-receber.csv');
    const text = String(res.body);
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toContain('Emissão;Loja;Pedido');
    expect(lines).toHaveLength(3);
    const pix = lines.find((l) => l.includes(pix11.externalId))!;
    expect(pix).toContain(';Pix;');
    expect(pix).toContain(';199,90;0,00;Cancelado');
    const byType = await t.request('GET', '/api/v1/finance/receivables.csv?documentType=credit_card', {
      auth: LOJA8,
    });
    const rows = String(byType.body).trimEnd().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(card8.externalId);
  });

  it('answers balances that sum to zero per company and per customer', async () => {
    const res = await t.request('GET', '/api/v1/finance/balances', { auth: ADMIN });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const companies = res.body.companies as {
      storeCode: string;
      total: string;
      accounts: { account: string; balance: string }[];
    }[];
    expect(companies.map((c) => c.storeCode)).toEqual(expect.arrayContaining(['11', '8']));
    for (const c of companies) expect(c.total).toBe('0.00');
    const store8 = companies.find((c) => c.storeCode === '8')!;
    expect(store8.accounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ account: 'receivable', balance: '199.90' }),
        expect.objectContaining({ account: 'customer_advance', balance: '-199.90' }),
      ]),
    );
    const mine = await t.request('GET', '/api/v1/finance/balances?storeCode=8', { auth: LOJA8 });
    expect(mine.body.companies).toHaveLength(1);
    expect((await t.request('GET', '/api/v1/finance/balances?storeCode=11', { auth: LOJA8 })).status).toBe(
      404,
    );

    const customer = await t.request('GET', `/api/v1/finance/balances?customerDocument=${CPF}`, {
      auth: LOJA11,
    });
    expect(customer.status, JSON.stringify(customer.body)).toBe(200);
    expect(customer.body.customer.total).toBe('0.00');
    expect(customer.body.customer.accounts.length).toBeGreaterThan(0);
    const bad = await t.request('GET', '/api/v1/finance/balances?customerDocument=123', { auth: ADMIN });
    expect(bad.status).toBe(422);
  });
});
