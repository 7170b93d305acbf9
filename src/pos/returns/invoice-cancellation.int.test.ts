import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned, nfeOf } from '../../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import {
  ADMIN,
  addDemoUsers,
  CPF,
  LOJA8,
  LOJA11,
  orderBody,
  PLATFORM,
  POS11,
  STAFF11,
  stockOf,
} from '../../../test/order-fixtures.ts';
import { rows, sql } from '../../platform/db/sql.ts';

type Line = [sku: string, quantity: number, unitPrice: string, discount?: string];

/**
 * Seed 003 Cancelamento through the API: an invoiced order cancelled inside the NF-e window (the invoice
 * cancelled, the advance kept or released) and outside it (a return NF-e, the customer's credit, refunds),
 * goods coming back after dispatch, and the POS return's money.
 */
describe.each(databaseKinds())('cancelling invoiced orders, returns and refunds on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await addDemoUsers(t);
    // Invoicing without conference by scan: this suite is about what happens after the sale.
    await t.request('PUT', '/api/v1/nodes/11/parameters/TP_CONF_ACEITE_PED', {
      auth: ADMIN,
      body: { value: '1' },
    });
  }, 60_000);
  afterAll(() => t?.close());

  async function move(id: string, to: string, auth = LOJA11) {
    const res = await t.request('POST', `/api/v1/orders/${id}/transitions`, { auth, body: { to } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /** A ship order invoiced with its NF-e authorised. */
  async function shipInvoiced(lines: Line[] = [['CAL-002', 2, '199.90']]) {
    const body = orderBody({ deliveryType: 'ship', lines, freight: '10.00' });
    const created = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const order = created.body as { id: string; number: number; total: string };
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await move(order.id, 'picking');
    const invoiced = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    // 202 when SEFAZ (the simulator, on a busy machine) answers later than the request waits.
    expect([200, 202], JSON.stringify(invoiced.body)).toContain(invoiced.status);
    return authorised(order, invoiced.body.fiscalDocument);
  }

  /** A pickup order (no customer address) sold at the counter: rescued by the POS, its NFC-e authorised. */
  async function pickupInvoiced() {
    const body = orderBody({ deliveryType: 'pickup', lines: [['CAL-002', 1, '199.90']] });
    const created = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const order = created.body as { id: string; number: number; total: string };
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await move(order.id, 'picking');
    await move(order.id, 'ready_for_pickup');
    const counter = `/api/v1/pos/orders/${order.number}`;
    expect((await t.request('POST', `${counter}/rescue`, { auth: POS11 })).status).toBe(200);
    const finished = await t.request('POST', `${counter}/finish`, {
      auth: POS11,
      body: { customerDocument: CPF },
    });
    expect([200, 202], JSON.stringify(finished.body)).toContain(finished.status);
    return authorised(order, finished.body.fiscalDocument);
  }

  /** Waits for SEFAZ (the simulator) to answer the sale's document: the order is then invoiced. */
  async function authorised<T extends { id: string }>(order: T, sale: { id: string; accessKey: string }) {
    for (let i = 0; i < 400; i++) {
      const [doc] = await rows<{ status: string }>(
        t.database.db,
        sql`select status from fiscal_documents where id = ${sale.id}`,
      );
      if (doc?.status !== 'sending') break;
      t.worker.wake();
      await new Promise((r) => setTimeout(r, 50));
    }
    const now = await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(now.body.status).toBe('invoiced');
    return { ...order, saleId: sale.id, saleKey: sale.accessKey };
  }

  const financeOf = async (id: string) => {
    const res = await t.request('GET', `/api/v1/orders/${id}/finance`, { auth: ADMIN });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const kinds = (finance: { entries: { kind: string }[] }) => finance.entries.map((e) => e.kind);
  const cancelInvoice = (
    id: string,
    reason = 'Cliente desistiu da compra após o faturamento',
    auth = LOJA11,
    customerAddress?: Record<string, string>,
  ) =>
    t.request('POST', `/api/v1/orders/${id}/invoice-cancellation`, {
      auth,
      body: { reason, ...(customerAddress ? { customerAddress } : {}) },
    });
  const refund = (id: string, body: unknown, headers: Record<string, string> = {}, auth = LOJA11) =>
    t.request('POST', `/api/v1/orders/${id}/refunds`, { auth, body, headers });

  /** Cancels inside the window; a 202 (SEFAZ slower than the request waits) is waited for. */
  async function cancelledInWindow(id: string) {
    const res = await cancelInvoice(id);
    expect([200, 202], JSON.stringify(res.body)).toContain(res.status);
    expect(res.body.outcome).toBe(res.status === 200 ? 'cancelled' : 'cancellation_pending');
    for (let i = 0; i < 400; i++) {
      const order = await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 });
      if (order.body.status === 'cancelled') return res;
      t.worker.wake();
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`order ${id} was not cancelled`);
  }

  /** Moves the sale's authorisation two days back: SEFAZ's cancellation window is over. */
  const ageSale = (saleId: string) =>
    t.database.db.execute(
      sql`update fiscal_documents set authorised_at = authorised_at - interval '2 days' where id = ${saleId}`,
    );

  it('inside the window cancels the NF-e and the order, and releases the advance to the payer', async () => {
    const sold = await shipInvoiced();
    const window = await t.request('GET', `/api/v1/orders/${sold.id}/invoice-cancellation`, { auth: LOJA11 });
    expect(window.status, JSON.stringify(window.body)).toBe(200);
    expect(window.body).toMatchObject({
      documentId: sold.saleId,
      model: 55,
      open: true,
      action: 'cancel_document',
    });

    // Managers and admins only; a justification SEFAZ accepts; only orders the caller sees.
    expect((await cancelInvoice(sold.id, 'curto demais')).status).toBe(422);
    expect((await cancelInvoice(sold.id, undefined, STAFF11)).status).toBe(403);
    expect((await cancelInvoice(sold.id, undefined, LOJA8)).status).toBe(404);

    const res = await cancelledInWindow(sold.id);
    if (res.status === 200) {
      expect(res.body.order.status).toBe('cancelled');
      expect(res.body.fiscalDocument).toMatchObject({ id: sold.saleId, status: 'cancelled' });
    }
    const finance = await financeOf(sold.id);
    expect(finance.balanced).toBe(true);
    // Entries of one change share their instant; their order within it is not asserted.
    expect(kinds(finance).sort()).toEqual(
      ['acceptance', 'invoice', 'invoice_cancellation', 'advance_release'].sort(),
    );
    expect(finance.advance).toMatchObject({ balance: '0.00', released: '409.80', state: 'released' });
    expect(finance.receivables[0]).toMatchObject({ open: '0.00', state: 'cancelled' });
    expect(finance.creditBalance).toBe('0.00');
  });

  it('inside the window with IN_MANTER_SALD_ADIAN on keeps the advance as the customer’s credit', async () => {
    const set = (value: boolean) =>
      t.request('PUT', '/api/v1/nodes/11/parameters/IN_MANTER_SALD_ADIAN', { auth: ADMIN, body: { value } });
    expect((await set(true)).status).toBe(200);
    try {
      const sold = await shipInvoiced([['CAL-002', 1, '199.90']]);
      await cancelledInWindow(sold.id);
      const finance = await financeOf(sold.id);
      expect(finance.balanced).toBe(true);
      expect(kinds(finance).sort()).toEqual(
        ['acceptance', 'invoice', 'invoice_cancellation', 'advance_kept'].sort(),
      );
      expect(finance.advance).toMatchObject({ balance: '0.00', kept: '209.90' });
      expect(finance.receivables[0]).toMatchObject({ open: '209.90', state: 'open' });
      expect(finance.creditBalance).toBe('209.90');
    } finally {
      expect((await set(false)).status).toBe(200);
    }
  });

  it('outside the window reverses the sale by a return NF-e, credits the customer, and refunds it', async () => {
    const sold = await shipInvoiced();
    await ageSale(sold.saleId);
    const window = await t.request('GET', `/api/v1/orders/${sold.id}/invoice-cancellation`, { auth: LOJA11 });
    expect(window.body).toMatchObject({ open: false, action: 'reverse_sale', addressRequired: false });
    const before = await stockOf(t, 'CAL-002', '11');

    const res = await cancelInvoice(sold.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.outcome).toBe('reversed');
    expect(res.body.order.status).toBe('invoiced');
    expect(res.body.return).toMatchObject({
      orderId: sold.id,
      total: '399.80',
      full: true,
      items: [{ sku: 'CAL-002', quantity: 2 }],
      reason: { code: '', description: expect.stringContaining('Cliente desistiu da compra') },
    });
    const [doc] = await rows<{ xml: string; status: string }>(
      t.database.db,
      sql`select xml, status from fiscal_documents where id = ${res.body.fiscalDocument.id}`,
    );
    const xml = nfeOf(doc!.xml);
    expect(xml).toContain('<finNFe>4</finNFe>');
    expect(xml).toContain('<tpNF>0</tpNF>');
    expect(xml).toContain(`<refNFe>${sold.saleKey}</refNFe>`);
    await expectValidSigned(xml, 'infNFe', 'nfe');
    expect(await stockOf(t, 'CAL-002', '11')).toMatchObject({ onHand: before.onHand + 2 });
    const [fact] = await rows<{ event: string }>(
      t.database.db,
      sql`select event from webhook_deliveries where order_id = ${sold.id} and event = 'order.returned'`,
    );
    expect(fact).toBeTruthy();

    // Nothing is left to reverse now.
    const again = await cancelInvoice(sold.id);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('RETURN.NOTHING_LEFT');

    // The return's value (the goods; the freight stays a sale) is the customer's credit.
    let finance = await financeOf(sold.id);
    expect(finance.balanced).toBe(true);
    expect(kinds(finance)).toEqual(['acceptance', 'invoice', 'return_credit']);
    expect(finance.creditBalance).toBe('399.80');

    // Refunds: above the credit refused, nothing written; part by pix (twice the same key: once); the rest as a voucher.
    const above = await refund(sold.id, { method: 'pix', amount: '399.81' });
    expect(above.status).toBe(422);
    expect(above.body.code).toBe('FINANCE.REFUND_ABOVE_CREDIT');
    expect(kinds(await financeOf(sold.id))).toEqual(['acceptance', 'invoice', 'return_credit']);
    expect((await refund(sold.id, { method: 'pix', amount: '10.00' }, {}, STAFF11)).status).toBe(403);

    const key = { 'idempotency-key': `refund-${sold.id}` };
    const pix = await refund(sold.id, { method: 'pix', amount: '100.00', note: 'Pix na chave CPF' }, key);
    expect(pix.status, JSON.stringify(pix.body)).toBe(200);
    expect(pix.body.creditBalance).toBe('299.80');
    const retried = await refund(sold.id, { method: 'pix', amount: '100.00', note: 'Pix na chave CPF' }, key);
    expect(retried.status).toBe(200);
    expect((await financeOf(sold.id)).creditBalance).toBe('299.80');

    const voucher = await refund(sold.id, { method: 'store_credit', amount: '299.80' });
    expect(voucher.status, JSON.stringify(voucher.body)).toBe(200);
    finance = voucher.body;
    expect(finance.creditBalance).toBe('0.00');
    expect(finance.balanced).toBe(true);
    expect(kinds(finance)).toEqual(['acceptance', 'invoice', 'return_credit', 'refund', 'refund']);
    expect(
      finance.credits
        .filter((c: { kind: string }) => c.kind === 'refund')
        .map((c: { method: string }) => c.method),
    ).toEqual(['pix', 'store_credit']);
    expect((await refund(sold.id, { method: 'cash', amount: '0.01' })).status).toBe(422);
  });

  it('outside the NFC-e window of a pickup order asks for the customer’s address, which the return NF-e names', async () => {
    const sold = await pickupInvoiced();
    const windowOf = async () => {
      const res = await t.request('GET', `/api/v1/orders/${sold.id}/invoice-cancellation`, { auth: LOJA11 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    // Inside the window the NFC-e is cancelled: no return NF-e, so no address to ask.
    expect(await windowOf()).toMatchObject({ model: 65, action: 'cancel_document', addressRequired: false });
    await ageSale(sold.saleId);
    expect(await windowOf()).toMatchObject({ open: false, action: 'reverse_sale', addressRequired: true });

    const stockBefore = await stockOf(t, 'CAL-002', '11');
    const entriesBefore = kinds(await financeOf(sold.id));
    const reason = 'Cliente devolveu a compra depois do prazo';
    const campinas = {
      street: 'Rua Barão de Jaguara',
      number: '900',
      complement: 'Sala 12',
      district: 'Centro',
      city: 'Campinas',
      state: 'SP',
      postalCode: '13015-001',
    };
    const missing = await cancelInvoice(sold.id, reason);
    expect(missing.status, JSON.stringify(missing.body)).toBe(422);
    expect(missing.body.code).toBe('RETURN.CUSTOMER_ADDRESS_REQUIRED');
    expect(missing.body.errors[0]).toMatchObject({ path: '/customerAddress' });
    const badCep = await cancelInvoice(sold.id, reason, LOJA11, { ...campinas, postalCode: '1301' });
    expect(badCep.status).toBe(422);
    expect(badCep.body.errors).toContainEqual(
      expect.objectContaining({ path: '/customerAddress/postalCode', code: 'VALIDATION.PATTERN' }),
    );
    const nowhere = await cancelInvoice(sold.id, reason, LOJA11, { ...campinas, city: 'Cidade Que Não Há' });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.code).toBe('RETURN.CUSTOMER_ADDRESS_REQUIRED');
    expect(nowhere.body.errors).toContainEqual(
      expect.objectContaining({ path: '/customerAddress/cityCode', code: 'FISCAL.CITY_CODE_REQUIRED' }),
    );
    // Refused: no return, no stock back, no finance entry.
    expect(await stockOf(t, 'CAL-002', '11')).toMatchObject({ onHand: stockBefore.onHand });
    expect(kinds(await financeOf(sold.id))).toEqual(entriesBefore);
    expect(
      (await t.request('GET', `/api/v1/orders/${sold.id}/returns`, { auth: LOJA11 })).body.items,
    ).toEqual([]);

    const res = await cancelInvoice(sold.id, reason, LOJA11, campinas);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.outcome).toBe('reversed');
    expect(res.body.order.status).toBe('invoiced');
    expect(res.body.return).toMatchObject({
      total: '199.90',
      full: true,
      items: [{ sku: 'CAL-002', quantity: 1 }],
    });
    const [doc] = await rows<{ xml: string }>(
      t.database.db,
      sql`select xml from fiscal_documents where id = ${res.body.fiscalDocument.id}`,
    );
    const xml = nfeOf(doc!.xml);
    expect(xml).toContain('<mod>55</mod>');
    expect(xml).toContain('<finNFe>4</finNFe>');
    expect(xml).toContain(`<refNFe>${sold.saleKey}</refNFe>`);
    const dest = xml.slice(xml.indexOf('<dest>'), xml.indexOf('</dest>'));
    for (const part of [
      '<xLgr>Rua Barão de Jaguara</xLgr>',
      '<nro>900</nro>',
      '<xCpl>Sala 12</xCpl>',
      '<xBairro>Centro</xBairro>',
      '<cMun>3509502</cMun>',
      '<xMun>Campinas</xMun>',
      '<UF>SP</UF>',
      '<CEP>13015001</CEP>',
    ])
      expect(dest).toContain(part);
    await expectValidSigned(xml, 'infNFe', 'nfe');
    expect(await stockOf(t, 'CAL-002', '11')).toMatchObject({ onHand: stockBefore.onHand + 1 });
    const finance = await financeOf(sold.id);
    expect(finance.balanced).toBe(true);
    expect(kinds(finance)).toEqual([...entriesBefore, 'return_credit']);
    expect(finance.creditBalance).toBe('199.90');
  });

  it('answers 409 while the goods are in transit; once delivered a back-office return credits what came back', async () => {
    const sold = await shipInvoiced();
    const shipment = await t.request('PUT', `/api/v1/orders/${sold.id}/shipment`, {
      auth: PLATFORM,
      body: { carrier: 'CORREIOS', service: 'SEDEX', trackingCode: 'AB123456789BR' },
    });
    expect(shipment.status, JSON.stringify(shipment.body)).toBe(200);
    await move(sold.id, 'in_transit');
    const transit = await cancelInvoice(sold.id);
    expect(transit.status).toBe(409);
    expect(transit.body.code).toBe('RETURN.IN_TRANSIT');
    const body = { items: [{ sku: 'CAL-002', quantity: 1 }], reasonCode: '01' };
    const early = await t.request('POST', `/api/v1/orders/${sold.id}/returns`, { auth: LOJA11, body });
    expect(early.status).toBe(409);

    await move(sold.id, 'delivered');
    const before = await stockOf(t, 'CAL-002', '11');
    const res = await t.request('POST', `/api/v1/orders/${sold.id}/returns`, { auth: STAFF11, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.return).toMatchObject({ total: '199.90', full: false, reason: { code: '01' } });
    expect(await stockOf(t, 'CAL-002', '11')).toMatchObject({ onHand: before.onHand + 1 });
    // A refund in the same request is a manager's.
    const refused = await t.request('POST', `/api/v1/orders/${sold.id}/returns`, {
      auth: STAFF11,
      body: { ...body, refund: { method: 'cash' } },
    });
    expect(refused.status).toBe(403);
    const finance = await financeOf(sold.id);
    expect(finance.balanced).toBe(true);
    expect(kinds(finance)).toEqual(['acceptance', 'invoice', 'return_credit']);
    expect(finance.creditBalance).toBe('199.90');
  });

  it('posts the POS return’s credit and refund in its transaction, keeping the ledger balanced', async () => {
    const sold = await shipInvoiced();
    const res = await t.request('POST', '/api/v1/pos/returns', {
      auth: POS11,
      body: {
        orderNumber: sold.number,
        items: [{ sku: 'CAL-002', quantity: 1 }],
        reasonCode: '02',
        refund: { method: 'card_reversal', amount: '150.00' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const finance = await financeOf(sold.id);
    expect(finance.balanced).toBe(true);
    expect(kinds(finance)).toEqual(['acceptance', 'invoice', 'return_credit', 'refund']);
    expect(finance.creditBalance).toBe('49.90');
    expect(finance.receivables[0]).toMatchObject({ amount: '409.80', open: '259.80' });
    const entries = finance.entries as { kind: string; reference: string | null }[];
    expect(entries.find((e) => e.kind === 'refund')).toBeTruthy();
  });
});
