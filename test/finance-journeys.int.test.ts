import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned, nfeOf } from './fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from './harness.ts';
import { ADMIN, CNPJ_ALNUM, CPF, confer, LOJA8, LOJA11, orderBody, PLATFORM } from './order-fixtures.ts';
import { move, restock } from './pickup-fixtures.ts';

const LOJA3 = 'loja3@demo.local';

type Payment = { method: string; amount: string; installments?: number; partyDocument?: string };
type Movement = { storeCode: string; account: string; amount: string };
type Entry = { kind: string; orderId: string | null; movements: Movement[] };

/**
 * The seeds' walkthroughs (003 Financeiro, Finalização, Cancelamento) through the API, each with the money
 * it moves: the finance body of the order's purchase after every journey, always balanced.
 */
describe.each(databaseKinds())('finance journeys on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  const post = (url: string, auth: string, body?: unknown) => t.request('POST', url, { auth, body });
  const get = (url: string, auth: string) => t.request('GET', url, { auth });

  async function place(opts: Parameters<typeof orderBody>[0] & { payments?: Payment[] } = {}) {
    const { payments, ...rest } = opts;
    const body = orderBody(rest);
    if (payments) body.payments = payments as typeof body.payments;
    const res = await post('/api/v1/orders', PLATFORM, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; number: number };
  }

  async function financeOf(id: string) {
    const res = await get(`/api/v1/orders/${id}/finance`, ADMIN);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.balanced).toBe(true);
    return res.body;
  }

  async function accept(id: string, auth = LOJA11) {
    const res = await post(`/api/v1/orders/${id}/accept`, auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /** accept → picking → conference → NF-e, authorised. */
  async function shipInvoiced(id: string, auth = LOJA11) {
    await accept(id, auth);
    await move(t, id, 'picking', auth);
    await confer(t, id, auth);
    const res = await post(`/api/v1/orders/${id}/invoice`, auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.order.status).toBe('invoiced');
    const doc = await get(`/api/v1/fiscal-documents/${res.body.fiscalDocument.id}`, auth);
    expect(doc.status).toBe(200);
    return doc.body as { id: string; accessKey: string; xml: string };
  }

  const kinds = (f: { entries: Entry[] }) => f.entries.map((e) => e.kind);
  const dups = (xml: string) =>
    [...xml.matchAll(/<dup><nDup>(\d+)<\/nDup><dVenc>([\d-]+)<\/dVenc><vDup>([\d.]+)<\/vDup><\/dup>/g)].map(
      ([, number, dueDate, amount]) => ({ number, dueDate, amount }),
    );

  it('pickup paid by pix: accept → conference → POS rescue and NFC-e → handover; the sale settles the advance', async () => {
    await restock(t, [['CAL-002', 1]]);
    const order = await place({ payments: [{ method: 'pix', amount: '199.90' }] });
    await accept(order.id);
    await move(t, order.id, 'picking');
    const conference = await get(`/api/v1/orders/${order.id}/conference`, LOJA11);
    if (conference.body.required) await confer(t, order.id);
    else await move(t, order.id, 'ready_for_pickup');
    const accepted = await financeOf(order.id);
    expect(accepted.receivables).toMatchObject([
      { storeCode: '11', method: 'pix', documentType: 'pix', amount: '199.90', open: '199.90' },
    ]);
    expect(accepted.advance).toMatchObject({ amount: '199.90', balance: '199.90', state: 'open' });

    const pos = (action: string, body?: unknown) =>
      post(`/api/v1/pos/orders/${order.number}/${action}`, 'demo-pos-11', body);
    expect((await pos('rescue')).status).toBe(200);
    const finished = await pos('finish', { customerDocument: CPF });
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    expect(finished.body.order.status).toBe('invoiced');
    const handed = await post(`/api/v1/orders/${order.id}/handover`, 'demo-pos-11', {
      name: 'Maria Silva',
      document: CPF,
    });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(handed.body.status).toBe('delivered');

    const finance = await financeOf(order.id);
    expect(kinds(finance)).toEqual(['acceptance', 'invoice']);
    expect(finance.advance).toMatchObject({ balance: '0.00', settled: '199.90', state: 'settled' });
    expect(finance.settlements).toMatchObject([
      { storeCode: '11', amount: '199.90', documentKey: finished.body.fiscalDocument.accessKey },
    ]);
    expect(finance.receivables[0].installments).toHaveLength(1);
  });

  it('ship paid by credit card in 3 instalments: a card receivable of 3 instalments, the NF-e settles it', async () => {
    await restock(t, [['CAL-002', 1]]);
    const order = await place({
      deliveryType: 'ship',
      freight: '15.00',
      payments: [{ method: 'credit_card', amount: '214.90', installments: 3 }],
    });
    const doc = await shipInvoiced(order.id);
    expect(dups(doc.xml)).toEqual([]);
    const finance = await financeOf(order.id);
    expect(finance.receivables).toHaveLength(1);
    expect(finance.receivables[0]).toMatchObject({
      documentType: 'credit_card',
      amount: '214.90',
      party: { kind: 'customer' },
    });
    expect(finance.receivables[0].installments.map((i: { amount: string }) => i.amount)).toEqual([
      '71.64',
      '71.63',
      '71.63',
    ]);
    expect(kinds(finance)).toEqual(['acceptance', 'invoice']);
    expect(finance.settlements).toMatchObject([{ amount: '214.90', documentKey: doc.accessKey }]);
    expect(finance.advance).toMatchObject({ state: 'settled', balance: '0.00' });
  });

  it('boleto in 2 instalments against the customer: the NF-e duplicatas are the receivable’s instalments', async () => {
    await restock(t, [['CAL-002', 1]]);
    const order = await place({
      deliveryType: 'ship',
      freight: '10.00',
      payments: [{ method: 'invoice', amount: '209.90', installments: 2 }],
    });
    const doc = await shipInvoiced(order.id);
    const finance = await financeOf(order.id);
    const [receivable] = finance.receivables;
    expect(receivable).toMatchObject({
      documentType: 'invoice',
      amount: '209.90',
      party: { kind: 'customer', document: '52998224725', name: 'Maria Silva' },
    });
    expect(receivable.installments).toHaveLength(2);
    expect(dups(doc.xml)).toEqual(receivable.installments);
    for (const i of receivable.installments) expect(i.dueDate > receivable.issuedOn).toBe(true);
    await expectValidSigned(nfeOf(doc.xml), 'infNFe', 'nfe');
  });

  it('boleto in 3 instalments with a linked party: the receivable is the party’s, the dups the same', async () => {
    await restock(t, [['CAL-002', 1]]);
    const order = await place({
      deliveryType: 'ship',
      freight: '10.00',
      payments: [
        { method: 'invoice', amount: '209.90', installments: 3, partyDocument: '11.222.333/0001-81' },
      ],
    });
    const doc = await shipInvoiced(order.id);
    const finance = await financeOf(order.id);
    const [receivable] = finance.receivables;
    expect(receivable).toMatchObject({
      documentType: 'invoice',
      party: { kind: 'party', document: '11222333000181' },
    });
    expect(receivable.installments.map((i: { amount: string }) => i.amount)).toEqual([
      '69.98',
      '69.96',
      '69.96',
    ]);
    expect(dups(doc.xml)).toEqual(receivable.installments);
    await expectValidSigned(nfeOf(doc.xml), 'infNFe', 'nfe');
  });

  it('marketplace with the marketplace’s CNPJ: the receivable is raised against the marketplace', async () => {
    await restock(t, [['CAL-002', 1]]);
    const order = await place({
      deliveryType: 'ship',
      freight: '10.00',
      payments: [{ method: 'marketplace', amount: '209.90', partyDocument: CNPJ_ALNUM }],
    });
    await shipInvoiced(order.id);
    const finance = await financeOf(order.id);
    expect(finance.receivables).toMatchObject([
      {
        documentType: 'marketplace',
        amount: '209.90',
        party: { kind: 'marketplace', document: '12ABC34501DE35', name: null },
      },
    ]);
    expect(finance.advance).toMatchObject({ state: 'settled' });
  });

  it('split 2+1 with a re-route: one advance for the purchase, the re-routed share moves to store 3, the transfer NF-e moves no money', async () => {
    await restock(t, [['CAL-002', 1]]);
    await restock(t, [['CAM-001', 1]], '8');
    await restock(t, [['CAM-002', 1]], '3');
    const order = await place({
      deliveryType: 'ship',
      freight: '20.00',
      lines: [
        ['CAL-002', 1, '199.90'],
        ['CAM-001', 1, '59.90'],
        ['CAM-002', 1, '49.90'],
      ],
      payments: [{ method: 'credit_card', amount: '329.70', installments: 2 }],
    });
    const rerouted = await post(`/api/v1/orders/${order.id}/reroute`, LOJA11, {
      lines: [{ sku: 'CAM-002', quantity: 1 }],
      storeCode: '3',
      reason: 'Sem estoque na loja',
    });
    expect(rerouted.status, JSON.stringify(rerouted.body)).toBe(200);
    const other = rerouted.body.reroutedOrder as { id: string };
    expect(other).toMatchObject({ storeCode: '3' });
    expect(rerouted.body.order.total).toBe('279.80');

    const refused = await post(`/api/v1/orders/${order.id}/accept`, LOJA11);
    expect(refused.status).toBe(409);
    const split = await post(`/api/v1/orders/${order.id}/split`, LOJA11, {
      allocations: [{ sku: 'CAM-001', storeCode: '8', quantity: 1 }],
    });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const request = split.body.requests[0].id;
    expect((await post(`/api/v1/stock-requests/${request}/accept`, LOJA8)).status).toBe(200);
    const transfer = await post(`/api/v1/stock-requests/${request}/invoice`, LOJA8);
    expect(transfer.status, JSON.stringify(transfer.body)).toBe(200);
    expect((await post(`/api/v1/stock-requests/${request}/receive`, LOJA11)).status).toBe(200);

    const first = await shipInvoiced(order.id);
    let finance = await financeOf(order.id);
    expect(finance.orders).toHaveLength(2);
    expect(finance.receivables).toMatchObject([{ storeCode: '11', amount: '329.70' }]);
    expect(finance.advance).toMatchObject({ amount: '329.70', balance: '49.90', settled: '279.80' });
    expect(finance.advance.byCompany).toEqual([
      expect.objectContaining({ storeCode: '11', balance: '49.90' }),
    ]);
    expect(finance.settlements).toMatchObject([{ storeCode: '11', documentKey: first.accessKey }]);

    await shipInvoiced(other.id, LOJA3);
    finance = await financeOf(other.id);
    expect(kinds(finance)).toEqual(['acceptance', 'invoice', 'advance_transfer', 'invoice']);
    const transferEntry = finance.entries.find((e: Entry) => e.kind === 'advance_transfer') as Entry;
    expect(transferEntry.orderId).toBe(other.id);
    expect(transferEntry.movements.map((m) => [m.storeCode, m.account, m.amount]).sort()).toEqual(
      [
        ['11', 'customer_advance', '49.90'],
        ['11', 'intercompany', '-49.90'],
        ['3', 'intercompany', '49.90'],
        ['3', 'customer_advance', '-49.90'],
      ].sort(),
    );
    expect(finance.advance).toMatchObject({ balance: '0.00', settled: '329.70', state: 'settled' });
    expect(finance.settlements.map((s: { storeCode: string }) => s.storeCode)).toEqual(['11', '3']);
    // The transfer NF-e between the companies is not a sale: store 8 has no movement at all.
    expect(
      finance.entries.flatMap((e: Entry) => e.movements).filter((m: Movement) => m.storeCode === '8'),
    ).toEqual([]);
    expect(transfer.body.transferDocument.id).toBeTruthy();
  });

  it('a re-route shares each payment between the orders to the cent: each payer’s receivable is what it paid', async () => {
    await restock(t, [['CAL-002', 1]]);
    await restock(t, [['CAM-002', 1]], '3');
    const order = await place({
      deliveryType: 'ship',
      freight: '10.00',
      lines: [
        ['CAL-002', 1, '199.90'],
        ['CAM-002', 1, '59.90'],
      ],
      payments: [
        { method: 'pix', amount: '100.00' },
        { method: 'credit_card', amount: '169.80', installments: 2 },
      ],
    });
    const rerouted = await post(`/api/v1/orders/${order.id}/reroute`, LOJA11, {
      lines: [{ sku: 'CAM-002', quantity: 1 }],
      storeCode: '3',
      reason: 'Sem estoque na loja',
    });
    expect(rerouted.status, JSON.stringify(rerouted.body)).toBe(200);
    const other = (await get(`/api/v1/orders/${rerouted.body.reroutedOrder.id}`, ADMIN)).body;
    // Both shares of a payment round (22.21 + 77.80 of the pix, before): the kept one is what is left.
    const paid = new Map<string, number>();
    for (const p of [...rerouted.body.order.payments, ...other.payments] as Payment[])
      paid.set(p.method, (paid.get(p.method) ?? 0) + Math.round(Number(p.amount) * 100));
    expect(Object.fromEntries(paid)).toEqual({ pix: 10000, credit_card: 16980 });
    await accept(other.id, LOJA3);
    const finance = await financeOf(order.id);
    expect(
      finance.receivables.map((r: { method: string; amount: string }) => `${r.method} ${r.amount}`).sort(),
    ).toEqual(['credit_card 169.80', 'pix 100.00']);
  });

  it('a re-routed order cancelled before its acceptance: its share is released, the receivable partly cancelled', async () => {
    await restock(t, [['CAL-002', 1]]);
    const order = await place({
      deliveryType: 'ship',
      lines: [
        ['CAL-002', 1, '199.90'],
        ['CAM-002', 1, '49.90'],
      ],
      payments: [{ method: 'pix', amount: '249.80' }],
    });
    const rerouted = await post(`/api/v1/orders/${order.id}/reroute`, LOJA11, {
      lines: [{ sku: 'CAM-002', quantity: 1 }],
      storeCode: '3',
      reason: 'Sem estoque na loja',
    });
    expect(rerouted.status, JSON.stringify(rerouted.body)).toBe(200);
    const other = rerouted.body.reroutedOrder as { id: string };
    // Store 11 accepts first: the purchase's receivable and whole advance are raised there.
    await accept(order.id);
    const cancelled = await post(`/api/v1/orders/${other.id}/transitions`, LOJA3, {
      to: 'cancelled',
      reason: 'Cliente desistiu deste item',
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const finance = await financeOf(order.id);
    expect(kinds(finance)).toEqual(['acceptance', 'advance_release']);
    expect(finance.receivables).toMatchObject([
      { storeCode: '11', amount: '249.80', open: '199.90', state: 'partially_cancelled' },
    ]);
    expect(finance.advance).toMatchObject({
      amount: '249.80',
      balance: '199.90',
      released: '49.90',
      state: 'open',
    });
    const listed = await get('/api/v1/finance/receivables?storeCode=11&state=partially_cancelled', ADMIN);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(finance.receivables[0].id);
  });

  it('cancelled before invoicing: the advance is released, the receivable undone', async () => {
    await restock(t, [['CAL-002', 1]]);
    const order = await place({
      deliveryType: 'ship',
      payments: [{ method: 'invoice', amount: '199.90', installments: 2 }],
    });
    await accept(order.id);
    const res = await post(`/api/v1/orders/${order.id}/transitions`, LOJA11, {
      to: 'cancelled',
      reason: 'Cliente desistiu',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const finance = await financeOf(order.id);
    expect(kinds(finance)).toEqual(['acceptance', 'advance_release']);
    expect(finance.advance).toMatchObject({ balance: '0.00', released: '199.90', state: 'released' });
    expect(finance.receivables[0]).toMatchObject({ open: '0.00', state: 'cancelled' });
    expect(finance.creditBalance).toBe('0.00');
  });

  it('an NF-e cancelled in its window: the sale is undone and the advance released', async () => {
    await restock(t, [['CAL-002', 1]]);
    const order = await place({
      deliveryType: 'ship',
      freight: '15.00',
      payments: [{ method: 'credit_card', amount: '214.90', installments: 1 }],
    });
    const doc = await shipInvoiced(order.id);
    const res = await post(`/api/v1/fiscal-documents/${doc.id}/cancel`, LOJA11, {
      justification: 'Cliente desistiu da compra antes do envio',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const finance = await financeOf(order.id);
    expect(kinds(finance)).toEqual(['acceptance', 'invoice', 'invoice_cancellation', 'advance_release']);
    expect(finance.settlements).toMatchObject([{ amount: '214.90', state: 'cancelled' }]);
    expect(finance.advance).toMatchObject({ balance: '0.00', settled: '0.00', released: '214.90' });
    expect(finance.receivables[0]).toMatchObject({ open: '0.00', state: 'cancelled' });
    const sales = finance.entries
      .flatMap((e: Entry) => e.movements)
      .filter((m: Movement) => m.account === 'sales')
      .reduce((a: number, m: Movement) => a + Math.round(Number(m.amount) * 100), 0);
    expect(sales).toBe(0);
  });
});
