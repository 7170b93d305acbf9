import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../../test/harness.ts';
import { LOJA11, POS11 } from '../../../test/order-fixtures.ts';
import type { FiscalDocument } from '../../fiscal/domain.ts';
import {
  shipFromStoreToCuritiba,
  store11Emitter,
  trousers,
  tShirt,
} from '../../fiscal/fixtures.test-support.ts';
import {
  type A1Certificate,
  buildNfeXml,
  generateTestCertificate,
  qrCodeV2Online,
  withSupplement,
} from '../../fiscal/xml/index.ts';
import { signInfNFe } from '../../fiscal/xml/signature.ts';
import { rows, sql, toInt } from '../../platform/db/sql.ts';
import { saoPauloDay } from '../../platform/format-br.ts';

/** Not a real CSC: 32 alphanumerics, the usual length SEFAZ hands out. */
const CSC = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

/**
 * Store 11's POS issued an NFC-e at its till and signed it with the store's A1 certificate (the fiscal
 * module's own builder, as the fiscal tests do): 2 × CAM-001 at 59.90 less 11.98, 1 × CAL-002 at 199.90 =
 * 307.72, paid by PIX and credit card. `tamper` changes the XML before signing.
 */
function signedNfce(
  certificate: A1Certificate,
  opts: { number: number; emitterCnpj?: string; tamper?: (xml: string) => string },
): string {
  const doc: FiscalDocument = shipFromStoreToCuritiba({
    model: '65',
    number: opts.number,
    numericCode: '28461937',
    destination: '1',
    presence: '1',
    finalConsumer: true,
    emitter: { ...store11Emitter, cnpj: opts.emitterCnpj ?? store11Emitter.cnpj },
    recipient: {
      document: { kind: 'cpf', number: '39053344705' },
      name: '',
      stateRegistrationIndicator: '9',
    },
    items: [tShirt('5102'), trousers('5102')],
    freight: { mode: '9', amount: 0n },
    payments: [
      { method: '17', amount: 10000n },
      { method: '03', amount: 20772n, card: { integration: '2', brand: '01', authorization: '842913' } },
    ],
  });
  const built = buildNfeXml(doc);
  if (!built.ok) throw new Error(JSON.stringify(built.failure));
  const xml = (opts.tamper ?? ((x) => x))(built.value.xml);
  const qr = qrCodeV2Online({
    accessKey: built.value.accessKey,
    environment: '2',
    cscId: '000001',
    csc: CSC,
    state: 'SP',
  });
  if (!qr.ok) throw new Error(JSON.stringify(qr.failure));
  return withSupplement(signInfNFe(xml, certificate), qr.value);
}

/** The sale the NFC-e above documents. */
const saleLines = {
  items: [
    { sku: 'CAM-001', quantity: 2, unitPrice: '59.90', discount: '11.98' },
    { sku: 'CAL-002', quantity: 1, unitPrice: '199.90' },
  ],
  payments: [
    { method: 'pix', amount: '100.00' },
    { method: 'credit_card', amount: '207.72' },
  ],
  total: '307.72',
};

/** POS uploads (issue 18, seed 000 §2) through the API, on each database. */
describe.each(databaseKinds())('POS uploads on %s', (kind) => {
  let t: TestApp;
  let certificate: A1Certificate;
  let nfceNumber = 700;
  beforeAll(async () => {
    requireTool('xmllint');
    ({ certificate } = generateTestCertificate({
      legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
      cnpj: store11Emitter.cnpj,
      password: 'senha-da-loja-11',
    }));
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  /** A terminal of its own per test, so sequences never meet. */
  const terminal = () => `T-${randomUUID().slice(0, 8)}`;
  const header = (term: string, sequence: number, posId: string = randomUUID()) => ({
    terminal: term,
    sequence,
    posId,
    occurredAt: new Date().toISOString(),
  });
  const send = (uploadKind: string, body: unknown) =>
    t.request('POST', `/api/v1/pos/uploads/${uploadKind}`, { auth: POS11, body });
  const balance = async (sku: string): Promise<{ onHand: number; available: number }> => {
    const res = await t.request('GET', `/api/v1/stock?sku=${sku}&storeCode=11`, { auth: LOJA11 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items[0] ?? { onHand: 0, available: 0 };
  };
  const onHand = async (sku: string) => (await balance(sku)).onHand;
  /** Goods received at store 11, so a sale finds them free. */
  const stockUp = async (sku: string, quantity: number) => {
    const res = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: LOJA11,
      body: { storeCode: '11', sku, quantity, reason: 'Recebimento' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const salesOf = async (posId: string) =>
    toInt(
      (
        await rows<{ n: number }>(
          t.database.db,
          sql`select count(*) as n from pos_sales where pos_id = ${posId}`,
        )
      )[0]?.n,
    );
  const rejectionsOf = (posId: string) =>
    rows<{ code: string; attempts: number; details: { errors: { code: string }[] } }>(
      t.database.db,
      sql`select code, attempts, details from pos_upload_rejections where pos_id = ${posId}`,
    );

  it('a sale with the POS’s signed NFC-e moves stock, counts as PDV, and a re-send is the same sale', async () => {
    const today = saoPauloDay(new Date());
    const report = async () =>
      (
        await t.request('GET', `/api/v1/reports/sales-by-channel?from=${today}&to=${today}&storeCode=11`, {
          auth: LOJA11,
        })
      ).body.totals.pos;
    await stockUp('CAM-001', 10);
    await stockUp('CAL-002', 10);
    const [shirts, trousersBefore, posBefore] = [
      await onHand('CAM-001'),
      await onHand('CAL-002'),
      await report(),
    ];
    const body = {
      ...header(terminal(), 1),
      ...saleLines,
      nfceXml: signedNfce(certificate, { number: nfceNumber++ }),
    };

    const res = await send('sale', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      upload: { kind: 'sale', terminal: body.terminal, sequence: 1, posId: body.posId },
      replayed: false,
      result: { saleId: expect.any(String), stockMovements: 2, fiscalDocument: null },
    });
    expect(await onHand('CAM-001')).toBe(shirts - 2);
    expect(await onHand('CAL-002')).toBe(trousersBefore - 1);
    const pos = await report();
    expect(pos.count).toBe(posBefore.count + 1);
    expect(Number(pos.value) * 100 - Number(posBefore.value) * 100).toBeCloseTo(30772, 5);

    // The POS timed out and sends it again: the first answer, nothing applied twice.
    const again = await send('sale', body);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toEqual({ ...res.body, replayed: true });
    expect(await salesOf(body.posId)).toBe(1);
    expect(await onHand('CAM-001')).toBe(shirts - 2);
    expect((await report()).count).toBe(posBefore.count + 1);
  });

  it('a sale without XML (the web POS) gets an NFC-e issued by Omnihub', async () => {
    const body = {
      ...header(terminal(), 1),
      customerDocument: '529.982.247-25',
      items: [{ sku: 'CAL-002', quantity: 1, unitPrice: '199.90' }],
      payments: [{ method: 'cash', amount: '199.90' }],
      total: '199.90',
    };
    const res = await send('sale', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const doc = res.body.result.fiscalDocument;
    expect(doc).toMatchObject({ id: expect.any(String), accessKey: expect.stringMatching(/^35\d{42}$/) });
    expect(doc.accessKey.slice(20, 22)).toBe('65');
    const [row] = await rows<{ reference_type: string; reference_id: string }>(
      t.database.db,
      sql`select reference_type, reference_id from fiscal_documents where id = ${doc.id}`,
    );
    expect(row).toEqual({ reference_type: 'pos_sale', reference_id: res.body.result.saleId });
    // SEFAZ's answer (the simulator, through the worker) reaches the sale by the pos_sale reference handlers.
    await expect
      .poll(
        async () =>
          (
            await rows<{ fiscal_status: string }>(
              t.database.db,
              sql`select fiscal_status from pos_sales where id = ${res.body.result.saleId}`,
            )
          )[0]?.fiscal_status,
        { timeout: 15_000, interval: 100 },
      )
      .toBe('authorised');
  });

  it('refuses what does not add up or does not check, keeping a rejection and applying nothing', async () => {
    const shirts = await onHand('CAM-001');
    const term = terminal();
    let sequence = 1;
    const refusals: [string, Record<string, unknown>, string][] = [
      [
        'unknown SKU',
        {
          items: [{ sku: 'NAO-EXISTE', quantity: 1, unitPrice: '10.00' }],
          payments: [{ method: 'cash', amount: '10.00' }],
          total: '10.00',
        },
        'POS.UNKNOWN_SKU',
      ],
      [
        'negative quantity',
        {
          items: [{ sku: 'CAM-001', quantity: -1, unitPrice: '59.90' }],
          payments: [{ method: 'cash', amount: '59.90' }],
          total: '59.90',
        },
        'POS.INVALID_QUANTITY',
      ],
      [
        'totals not adding up',
        {
          items: [{ sku: 'CAM-001', quantity: 1, unitPrice: '59.90' }],
          payments: [{ method: 'cash', amount: '50.00' }],
          total: '50.00',
        },
        'POS.TOTAL_MISMATCH',
      ],
      [
        'XML failing the XSD',
        {
          ...saleLines,
          nfceXml: signedNfce(certificate, {
            number: nfceNumber++,
            tamper: (xml) => xml.replace('<tpImp>4</tpImp>', '<tpImp>7</tpImp>'),
          }),
        },
        'FISCAL.SCHEMA_INVALID',
      ],
      [
        'XML with a broken signature',
        {
          ...saleLines,
          nfceXml: signedNfce(certificate, { number: nfceNumber++ }).replace(
            'Calça chino algodão bege 40',
            'Calça chino algodão bege 42',
          ),
        },
        'FISCAL.SIGNATURE_INVALID',
      ],
      [
        'emitter of another store',
        {
          ...saleLines,
          nfceXml: signedNfce(certificate, { number: nfceNumber++, emitterCnpj: '11222333000181' }),
        },
        'POS.NFCE_OTHER_EMITTER',
      ],
    ];
    for (const [name, sale, code] of refusals) {
      const body = { ...header(term, sequence++), ...sale };
      const res = await send('sale', body);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(
        res.body.errors.map((e: { code: string }) => e.code),
        name,
      ).toContain(code);
      const kept = await rejectionsOf(body.posId);
      expect(kept, name).toHaveLength(1);
      expect(
        kept[0]!.details.errors.map((e) => e.code),
        name,
      ).toContain(code);
      expect(await salesOf(body.posId), name).toBe(0);
    }
    expect(await onHand('CAM-001')).toBe(shirts);
  });

  it('opens, moves and closes the cash with the expected amount and the difference', async () => {
    const term = terminal();
    const session = `CX-${randomUUID()}`;
    const opened = await send('cash-opening', {
      ...header(term, 1, session),
      amount: '100.00',
      operator: 'Joana',
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const sale = await send('sale', {
      ...header(term, 2),
      cashSessionPosId: session,
      items: [{ sku: 'CAM-001', quantity: 1, unitPrice: '59.90' }],
      payments: [{ method: 'cash', amount: '59.90' }],
      total: '59.90',
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    const supply = await send('cash-movement', {
      ...header(term, 3),
      cashSessionPosId: session,
      type: 'supply',
      amount: '20.00',
      reason: 'Troco',
    });
    expect(supply.status, JSON.stringify(supply.body)).toBe(201);
    const withdrawal = await send('cash-movement', {
      ...header(term, 4),
      cashSessionPosId: session,
      type: 'withdrawal',
      amount: '30.00',
      reason: 'Sangria para o cofre',
    });
    expect(withdrawal.status).toBe(201);
    const closed = await send('cash-closing', {
      ...header(term, 5),
      cashSessionPosId: session,
      countedAmount: '149.00',
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(201);
    // 100.00 + 59.90 − 30.00 + 20.00 = 149.90 expected; 149.00 counted.
    expect(closed.body.result).toMatchObject({
      expectedAmount: '149.90',
      countedAmount: '149.00',
      difference: '-0.90',
    });
    // Closed: nothing more goes into it.
    const late = await send('cash-movement', {
      ...header(term, 6),
      cashSessionPosId: session,
      type: 'supply',
      amount: '5.00',
      reason: 'Tarde',
    });
    expect(late.status).toBe(422);
    expect(late.body.errors[0].code).toBe('POS.CASH_SESSION_CLOSED');
    const unknown = await send('cash-movement', {
      ...header(terminal(), 1),
      cashSessionPosId: session,
      type: 'supply',
      amount: '5.00',
      reason: 'Outro terminal',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].code).toBe('POS.CASH_SESSION_UNKNOWN');
  });

  it('a customer upload only fills what the network does not know (server wins)', async () => {
    const term = terminal();
    const document = '390.533.447-05';
    const first = await send('customer', {
      ...header(term, 1),
      document,
      name: 'Bruno Lima',
      email: 'bruno@example.com',
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.result).toMatchObject({ created: true });
    const second = await send('customer', {
      ...header(term, 2),
      document: '39053344705',
      name: 'Bruno L.',
      email: 'outro@example.com',
      phone: '+55 11 98888-0000',
      birthDate: '1990-05-17',
    });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.result).toMatchObject({
      customerId: first.body.result.customerId,
      created: false,
      filled: ['phone', 'birthDate'],
    });
    const [row] = await rows<Record<string, string>>(
      t.database.db,
      sql`select name, email, phone, birth_date::text as birth from customers where id = ${first.body.result.customerId}`,
    );
    expect(row).toEqual({
      name: 'Bruno Lima',
      email: 'bruno@example.com',
      phone: '+55 11 98888-0000',
      birth: '1990-05-17',
    });
  });

  it('stores a Z reduction per terminal and day, refusing totals that do not match', async () => {
    const term = terminal();
    const day = saoPauloDay(new Date());
    const z = {
      day,
      counter: 12,
      salesCount: 3,
      grossTotal: '500.00',
      cancellations: '20.00',
      discounts: '10.00',
    };
    const wrong = await send('z-reduction', { ...header(term, 1), ...z, netTotal: '480.00' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0]).toMatchObject({ path: '/netTotal', code: 'POS.Z_TOTALS_MISMATCH' });
    const right = await send('z-reduction', { ...header(term, 2), ...z, netTotal: '470.00' });
    expect(right.status, JSON.stringify(right.body)).toBe(201);
    expect(right.body.result).toMatchObject({ day, netTotal: '470.00' });
    const other = await send('z-reduction', { ...header(term, 3), ...z, netTotal: '470.00' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('POS.Z_REDUCTION_EXISTS');
  });

  it('answers 409 when a terminal reuses a sequence for another record', async () => {
    const term = terminal();
    const first = await send('cash-opening', { ...header(term, 1), amount: '50.00' });
    expect(first.status).toBe(201);
    const reused = await send('cash-opening', { ...header(term, 1), amount: '50.00' });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('POS.UPLOAD_SEQUENCE_REUSED');
  });

  it('records a completed sale beyond the free stock: the shortfall is adjusted in, naming the sale', async () => {
    const before = await balance('CAM-001');
    const quantity = before.available + 2;
    const body = {
      ...header(terminal(), 1),
      items: [{ sku: 'CAM-001', quantity, unitPrice: '10.00' }],
      payments: [{ method: 'pix', amount: `${quantity * 10}.00` }],
      total: `${quantity * 10}.00`,
    };
    const res = await send('sale', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.result.stockMovements).toBe(2);
    const after = await balance('CAM-001');
    expect(after.available).toBe(0);
    expect(after.onHand).toBe(before.onHand - before.available);
    const moves = await rows<{ kind: string; reason: string }>(
      t.database.db,
      sql`select kind, reason from stock_movements where reference_type = 'pos_sale'
          and reference_id = ${res.body.result.saleId} order by id`,
    );
    expect(moves.map((m) => m.kind)).toEqual(['adjustment', 'sale']);
    expect(moves[0]!.reason).toContain('acima do saldo livre');
  });

  it('two identical uploads racing on the server make one sale', async () => {
    await stockUp('CAM-001', 5);
    const shirts = await onHand('CAM-001');
    const body = {
      ...header(terminal(), 1),
      items: [{ sku: 'CAM-001', quantity: 1, unitPrice: '59.90' }],
      payments: [{ method: 'pix', amount: '59.90' }],
      total: '59.90',
    };
    const answers = await Promise.all([send('sale', body), send('sale', body)]);
    expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([
      200, 201,
    ]);
    expect(answers[0]!.body.result).toEqual(answers[1]!.body.result);
    expect(await salesOf(body.posId)).toBe(1);
    expect(await onHand('CAM-001')).toBe(shirts - 1);
  });

  it('keeps a body that fails the schema as a refusal too', async () => {
    const body = { ...header(terminal(), 1), amount: 100 };
    const res = await send('cash-opening', body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('REQUEST.INVALID');
    expect(await rejectionsOf(body.posId)).toMatchObject([{ code: 'REQUEST.INVALID', attempts: 1 }]);
  });
});
