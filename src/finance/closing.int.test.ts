import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, LOJA11, orderBody, PLATFORM, POS11 } from '../../test/order-fixtures.ts';
import { invoicedPickupOrder, readyPickupOrder, restock } from '../../test/pickup-fixtures.ts';
import { rows } from '../platform/db/sql.ts';
import { saoPauloDay } from '../platform/format-br.ts';

const CNPJ_MARKETPLACE = '11.222.333/0001-81';

describe.each(databaseKinds())('the daily closing and the payment methods on the %s database', (kind) => {
  let t: TestApp;
  const day = saoPauloDay(new Date());
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const closing = async (query = '', auth = LOJA11) => {
    const res = await t.request('GET', `/api/v1/finance/closing?day=${day}${query}`, { auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const store11 = async () => (await closing('&storeCode=11')).stores[0];

  /** An order of store 11 accepted with the given payment (the whole total, one instalment). */
  const acceptedWith = async (payment: Record<string, unknown>) => {
    await restock(t, [['CAL-002', 1, '']]);
    const body = orderBody();
    body.payments = [{ method: 'credit_card', amount: '199.90', installments: 1, ...payment } as never];
    const created = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const accepted = await t.request('POST', `/api/v1/orders/${created.body.id}/accept`, { auth: LOJA11 });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const money = await t.request('GET', `/api/v1/orders/${created.body.id}/finance`, { auth: ADMIN });
    expect(money.status).toBe(200);
    return { id: created.body.id as string, receivable: money.body.receivables[0] };
  };

  it('closes the day of a store: acceptances, invoices, a cancellation, a return, reconciled with the NF-e', async () => {
    const empty = await store11();
    expect(empty).toMatchObject({ storeCode: '11', empty: true, accepted: { count: 0, value: '0.00' } });
    expect(empty.reconciliation.reconciled).toBe(true);

    const sold = await invoicedPickupOrder(t);
    const cancelled = await readyPickupOrder(t);
    const res = await t.request('POST', `/api/v1/orders/${cancelled.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'cancelled', reason: 'Cliente desistiu' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const returned = await invoicedPickupOrder(t);
    const back = await t.request('POST', '/api/v1/pos/returns', {
      auth: POS11,
      body: {
        orderNumber: returned.number,
        items: [{ sku: 'CAL-002', quantity: 1 }],
        reasonCode: '01',
        customerAddress: {
          street: 'Rua Barão de Jaguara',
          number: '900',
          district: 'Centro',
          city: 'Campinas',
          state: 'SP',
          postalCode: '13015-001',
        },
      },
    });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    const returnId = back.body.return.id as string;
    // The POS return itself credits the customer (pos/returns/service.ts → finance.creditReturn, keyed by it).
    const credit = await rows<{ kind: string }>(
      t.database.db,
      sql`select kind from finance_entries where key = ${`return:${returnId}`}`,
    );
    expect(credit).toEqual([{ kind: 'return_credit' }]);

    const day11 = await store11();
    expect(day11).toMatchObject({
      storeCode: '11',
      empty: false,
      accepted: { count: 3, value: '599.70' },
      invoiced: { count: 2, value: '399.80' },
      invoiceCancellations: { count: 0, value: '0.00' },
      advancesReleased: { count: 1, value: '199.90' },
      advancesKept: { count: 0, value: '0.00' },
      credited: { count: 1, value: '199.90' },
    });
    expect(day11.refunded.byMethod.map((r: { method: string }) => r.method)).toEqual([
      'cash',
      'pix',
      'card_reversal',
      'store_credit',
    ]);
    const sales = day11.accounts.find((a: { account: string }) => a.account === 'sales');
    expect(sales).toMatchObject({ debit: '0.00', credit: '399.80', net: '-399.80' });
    expect(day11.reconciliation).toMatchObject({
      sales: {
        fiscal: { count: 2, value: '399.80' },
        finance: { count: 2, value: '399.80' },
        difference: '0.00',
      },
      cancellations: { fiscal: { count: 0 }, finance: { count: 0 }, difference: '0.00' },
      returns: { fiscal: { count: 1, value: '199.90' }, finance: { count: 1, value: '199.90' } },
      reconciled: true,
      differences: [],
    });
    expect(sold.document.status).toBe('authorised');

    // The network admin sees every store; store 8 moved nothing today.
    const all = await closing('', ADMIN);
    expect(all.stores.length).toBeGreaterThan(1);
    expect(all.stores.find((s: { storeCode: string }) => s.storeCode === '8')).toMatchObject({ empty: true });
    // A store user sees its store only.
    expect((await closing('')).stores.map((s: { storeCode: string }) => s.storeCode)).toEqual(['11']);

    const csv = await t.request('GET', `/api/v1/finance/closing.csv?day=${day}&storeCode=11`, {
      auth: LOJA11,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(String(csv.body)).toContain('loja,dia,grupo,item,quantidade,valor');
    expect(String(csv.body)).toContain(`11,${day},Movimento,Faturados (vendas),2,399.80`);
    expect(String(csv.body)).toContain('Conciliação,Conciliado,0,');
  });

  it('lists the order whose authorised sale document has no invoice in the ledger', async () => {
    const { id: orderId } = await acceptedWith({});
    // A sale NF-e authorised for the order while the ledger never saw it invoiced.
    const [model] = await rows<{ id: string }>(
      t.database.db,
      sql`select id from fiscal_documents where reference_type = 'order' and status = 'authorised' limit 1`,
    );
    await t.database.db.execute(sql`
      insert into fiscal_documents (id, network_id, store_id, model, series, number, access_key, cnf, status,
        purpose, reference_type, reference_id, xml, content, protocol, authorised_at)
      select ${randomUUID()}, network_id, store_id, model, series, number + 900000,
        lpad((number + 900000)::text, 44, '9'), cnf, 'authorised', purpose, 'order', ${orderId}, xml, content,
        protocol, now()
      from fiscal_documents where id = ${model!.id}`);
    const day11 = await store11();
    expect(day11.reconciliation.reconciled).toBe(false);
    expect(day11.reconciliation.sales).toMatchObject({
      fiscal: { count: 3, value: '599.70' },
      finance: { count: 2, value: '399.80' },
      difference: '199.90',
    });
    expect(day11.reconciliation.differences).toEqual([
      { kind: 'sales', orderId, reference: orderId, fiscal: '199.90', finance: '0.00', difference: '199.90' },
    ]);
    const csv = await t.request('GET', `/api/v1/finance/closing.csv?day=${day}&storeCode=11`, {
      auth: LOJA11,
    });
    expect(String(csv.body)).toContain('Conciliação,Diferenças,1,');
  });

  it('refuses a bad day and a store the reader does not see', async () => {
    const bad = await t.request('GET', '/api/v1/finance/closing?day=2026-02-30', { auth: LOJA11 });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'FINANCE.INVALID_CLOSING_QUERY' });
    expect(bad.body.errors[0]).toMatchObject({ path: '/day', code: 'FINANCE.DAY_INVALID' });
    const other = await t.request('GET', '/api/v1/finance/closing?storeCode=8', { auth: LOJA11 });
    expect(other.status).toBe(404);
    const none = await t.request('GET', '/api/v1/finance/closing?day=2020-01-01&storeCode=11', {
      auth: LOJA11,
    });
    expect(none.status).toBe(200);
    expect(none.body.stores[0]).toMatchObject({ empty: true, reconciliation: { reconciled: true } });
  });

  it('maps the platform methods to document types as the network configures its omni payment method', async () => {
    const listed = await t.request('GET', '/api/v1/finance/payment-methods', { auth: LOJA11 });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toMatchObject([
      {
        code: 'OMNI',
        active: true,
        version: 1,
        mapping: {
          credit_card: 'credit_card',
          debit_card: 'debit_card',
          pix: 'pix',
          invoice: 'invoice',
          marketplace: 'marketplace',
        },
      },
    ]);
    const mapping = { ...listed.body.items[0].mapping, debit_card: 'credit_card' };

    const forbidden = await t.request('PUT', '/api/v1/finance/payment-methods/OMNI', {
      auth: LOJA11,
      body: { name: 'Omni', mapping },
    });
    expect(forbidden.status).toBe(403);
    const invalid = await t.request('PUT', '/api/v1/finance/payment-methods/OMNI', {
      auth: ADMIN,
      body: { name: 'Omni', mapping: { ...mapping, pix: 'boleto', cheque: 'invoice', invoice: undefined } },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('FINANCE.PAYMENT_METHOD_INVALID');
    expect(invalid.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['/mapping/pix', 'FINANCE.DOCUMENT_TYPE_UNKNOWN'],
      ['/mapping/invoice', 'FINANCE.PAYMENT_METHOD_UNMAPPED'],
      ['/mapping/cheque', 'FINANCE.PLATFORM_METHOD_UNKNOWN'],
    ]);
    const badCode = await t.request('PUT', '/api/v1/finance/payment-methods/OMNI%20X', {
      auth: ADMIN,
      body: { name: 'Omni', mapping },
    });
    expect(badCode.status).toBe(422);
    expect(badCode.body.errors[0]).toMatchObject({
      path: '/code',
      code: 'FINANCE.PAYMENT_METHOD_CODE_INVALID',
    });

    const saved = await t.request('PUT', '/api/v1/finance/payment-methods/OMNI', {
      auth: ADMIN,
      body: { name: 'Omni', mapping, version: 1 },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ version: 2, mapping: { debit_card: 'credit_card' } });
    const stale = await t.request('PUT', '/api/v1/finance/payment-methods/OMNI', {
      auth: ADMIN,
      body: { name: 'Omni', mapping, version: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('FINANCE.PAYMENT_METHOD_STALE');
    const audited = await rows<{ action: string }>(
      t.database.db,
      sql`select action from audit_events where target_type = 'finance_payment_method'`,
    );
    expect(audited.map((a) => a.action)).toEqual(['finance_payment_method.updated']);

    // The next acceptance's receivable follows the mapping; a boleto stays a boleto.
    const debit = await acceptedWith({ method: 'debit_card' });
    expect(debit.receivable).toMatchObject({
      method: 'debit_card',
      documentType: 'credit_card',
      paymentMethodCode: 'OMNI',
      paymentMethodConfigured: true,
    });
    expect((await acceptedWith({ method: 'invoice' })).receivable).toMatchObject({ documentType: 'invoice' });

    // A store whose CD_FORMA_PAGTO_OMNI names no configured method still accepts, and the receivable says so.
    const set = await t.request('PUT', '/api/v1/nodes/11/parameters/CD_FORMA_PAGTO_OMNI', {
      auth: ADMIN,
      body: { value: 'OMNI2' },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    try {
      expect((await acceptedWith({ method: 'debit_card' })).receivable).toMatchObject({
        documentType: 'debit_card',
        paymentMethodCode: 'OMNI2',
        paymentMethodConfigured: false,
      });
      const created = await t.request('PUT', '/api/v1/finance/payment-methods/OMNI2', {
        auth: ADMIN,
        body: { name: 'Omni loja 11', mapping: { ...mapping, pix: 'credit_card' } },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await acceptedWith({ method: 'pix' })).receivable).toMatchObject({
        documentType: 'credit_card',
        paymentMethodCode: 'OMNI2',
        paymentMethodConfigured: true,
      });
    } finally {
      await t.request('DELETE', '/api/v1/nodes/11/parameters/CD_FORMA_PAGTO_OMNI', { auth: ADMIN });
    }
  });

  it('raises a marketplace payment against the marketplace, without its CNPJ against the customer (marked), or as a card with IN_GERA_CRT_MKTPLACE_OMNI', async () => {
    const marketplace = { method: 'marketplace', partyDocument: CNPJ_MARKETPLACE };
    expect((await acceptedWith(marketplace)).receivable).toMatchObject({
      documentType: 'marketplace',
      party: { kind: 'marketplace', document: '11222333000181', name: null, marketplaceUnnamed: false },
    });
    // The contract makes partyDocument optional (the connectors send none): the order is taken and its
    // receivable booked against the customer, marked so finance knows the marketplace is unknown.
    const unnamed = await acceptedWith({ method: 'marketplace' });
    expect(unnamed.receivable).toMatchObject({
      documentType: 'marketplace',
      party: { kind: 'customer', document: '52998224725', name: 'Maria Silva', marketplaceUnnamed: true },
    });
    const listed = await t.request(
      'GET',
      '/api/v1/finance/receivables?storeCode=11&documentType=marketplace',
      {
        auth: LOJA11,
      },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((r: { orderId: string }) => r.orderId === unnamed.id)?.party).toMatchObject(
      { kind: 'customer', marketplaceUnnamed: true },
    );
    const csv = await t.request(
      'GET',
      '/api/v1/finance/receivables.csv?storeCode=11&documentType=marketplace',
      {
        auth: LOJA11,
      },
    );
    expect(String(csv.body)).toContain(';Maria Silva (marketplace não informado);52998224725;');
    const set = await t.request('PUT', '/api/v1/nodes/11/parameters/IN_GERA_CRT_MKTPLACE_OMNI', {
      auth: ADMIN,
      body: { value: true },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    try {
      expect((await acceptedWith(marketplace)).receivable).toMatchObject({
        documentType: 'credit_card',
        party: { kind: 'customer', marketplaceUnnamed: false },
      });
    } finally {
      await t.request('DELETE', '/api/v1/nodes/11/parameters/IN_GERA_CRT_MKTPLACE_OMNI', { auth: ADMIN });
    }
  });
});
