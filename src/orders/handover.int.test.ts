import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { createOrder, LOJA8, LOJA11, PLATFORM, POS11 } from '../../test/order-fixtures.ts';
import { mediaBoxes, textOf } from '../../test/pdf.ts';
import { invoicedPickupOrder, readyPickupOrder } from '../../test/pickup-fixtures.ts';
import { rows, sql } from '../platform/db/sql.ts';

/** The end of a pickup order at the counter: the handover and its receipt (issue 13 §2), on each database. */
describe.each(databaseKinds())('handover and pickup receipt on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  const handover = (id: string, body: unknown, auth = LOJA11, headers?: Record<string, string>) =>
    t.request('POST', `/api/v1/orders/${id}/handover`, { auth, body, headers });
  const receipt = async (id: string, auth = LOJA11) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orders/${id}/pickup-receipt.pdf`,
      headers: { authorization: `Bearer ${auth.includes('@') ? await t.token(auth) : auth}` },
    });
    return { status: res.statusCode, type: res.headers['content-type'], pdf: res.rawPayload, body: res.body };
  };
  const pickupsOf = async (id: string) =>
    rows<{ name: string }>(t.database.db, sql`select name from order_pickups where order_id = ${id}`);

  it('hands an invoiced pickup order to the customer: delivered, who, document, when, by whom', async () => {
    const order = await invoicedPickupOrder(t);
    const res = await handover(order.id, { name: '  João  da Silva ', document: '111.444.777-35' }, POS11);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('delivered');
    expect(res.body.pickup).toMatchObject({
      name: 'João da Silva',
      document: '11144477735',
      documentKind: 'cpf',
      handedBy: { kind: 'client', channel: 'pos' },
    });
    expect(Date.parse(res.body.pickup.at)).toBeGreaterThan(Date.now() - 60_000);
    const last = res.body.history.at(-1);
    expect(last).toMatchObject({ from: 'invoiced', to: 'delivered', channel: 'pos' });
    expect(last.reason).toContain('João da Silva');

    // Twice: 409 naming who took it, nothing written again.
    const again = await handover(order.id, { name: 'Outra Pessoa' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ORDER.ALREADY_HANDED_OVER', currentStatus: 'delivered' });
    expect(again.body.detail).toContain('João da Silva');
    expect(await pickupsOf(order.id)).toHaveLength(1);
  });

  it('takes an RG-like document or none, from a back-office user', async () => {
    const order = await invoicedPickupOrder(t);
    const res = await handover(order.id, { name: 'Ana Souza', document: '12.345.678-X' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.pickup).toMatchObject({ document: '12.345.678-X', documentKind: 'other' });
    expect(res.body.pickup.handedBy).toMatchObject({ kind: 'user', channel: 'back_office' });

    const other = await invoicedPickupOrder(t);
    const bare = await handover(other.id, { name: 'Ana Souza' });
    expect(bare.status).toBe(200);
    expect(bare.body.pickup).toMatchObject({ document: null, documentKind: null });
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const order = await invoicedPickupOrder(t);
    const cases: [unknown, string][] = [
      [{ name: 'A' }, '/name'],
      [{ name: 'x'.repeat(101) }, '/name'],
      [{ name: 'Ana', document: '111.111.111-12' }, '/document'],
      [{ name: 'Ana', document: '12.345.678/0001-00' }, '/document'],
      [{ name: 'Ana', document: '<script>' }, '/document'],
      [{ document: '52998224725' }, '/name'],
      [{ name: 'Ana', extra: 1 }, ''],
    ];
    for (const [body, path] of cases) {
      const res = await handover(order.id, body);
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      if (path) expect(JSON.stringify(res.body.errors), JSON.stringify(body)).toContain(path);
    }
    const read = await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(read.body).toMatchObject({ status: 'invoiced', pickup: null });
    expect(await pickupsOf(order.id)).toHaveLength(0);
  });

  it('before invoiced: 409 with the next step; a bare transition says to use the handover', async () => {
    const order = await readyPickupOrder(t);
    const early = await handover(order.id, { name: 'Ana Souza' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'ORDER.NOT_INVOICED', currentStatus: 'ready_for_pickup' });
    expect(early.body.nextStep).toContain('rescue');

    const served = await invoicedPickupOrder(t);
    const bare = await t.request('POST', `/api/v1/orders/${served.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'delivered' },
    });
    expect(bare.status).toBe(409);
    expect(bare.body.detail).toContain('/handover');
    expect(bare.body.allowed).toContain('delivered');
  });

  it('a ship order is not handed over at the counter (409), and nothing of store 11 is seen by store 8 (404)', async () => {
    const ship = await createOrder(t, { deliveryType: 'ship' });
    const refused = await handover(ship.id, { name: 'Ana Souza' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ORDER.NOT_PICKUP');

    const order = await invoicedPickupOrder(t);
    expect((await handover(order.id, { name: 'Ana Souza' }, LOJA8)).status).toBe(404);
    expect((await handover(order.id, { name: 'Ana Souza' }, PLATFORM)).status).toBe(403);
    expect((await receipt(order.id, LOJA8)).status).toBe(404);
  });

  it('answers an idempotent retry with the first result', async () => {
    const order = await invoicedPickupOrder(t);
    const headers = { 'idempotency-key': `handover-${order.id}` };
    const first = await handover(order.id, { name: 'Ana Souza' }, LOJA11, headers);
    const second = await handover(order.id, { name: 'Ana Souza' }, LOJA11, headers);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.pickup).toEqual(first.body.pickup);
  });

  it('prints the pickup receipt of a served order: store, items, NFC-e, pickup, signatures; reprints say 2ª via', async () => {
    const order = await invoicedPickupOrder(t, { lines: [['CAL-002', 2, '199.90']] });
    const first = await receipt(order.id, POS11);
    expect(first.status, first.body).toBe(200);
    expect(first.type).toBe('application/pdf');
    const text = textOf(first.pdf);
    for (const words of [
      'Comprovante de entrega',
      'Loja 11',
      'CNPJ',
      String(order.number),
      'Maria Silva',
      '529.982.247-25',
      'CAL-002',
      'Assinatura do cliente',
      'Assinatura da loja',
      `Chave de acesso: ${order.document.accessKey.replace(/(.{4})(?=.)/g, '$1 ')}`,
      `NFC-e nº ${order.document.number}`,
      'Aguardando a retirada',
    ])
      expect(text).toContain(words);
    expect(text).not.toContain('2ª via');
    expect(mediaBoxes(first.pdf)[0]).toEqual([0, 0, 595.28, 841.89]);

    expect((await handover(order.id, { name: 'Pedro Alves', document: '52998224725' })).status).toBe(200);
    const reprint = textOf((await receipt(order.id)).pdf);
    expect(reprint).toContain('2ª via');
    expect(reprint).toContain('Pedro Alves');
    expect(reprint).toContain('Retirado em');
    expect(reprint).not.toContain('Aguardando a retirada');
  });

  it('offers the receipt only for served pickup orders (409 saying why)', async () => {
    const ready = await readyPickupOrder(t);
    const early = await receipt(ready.id);
    expect(early.status).toBe(409);
    expect(JSON.parse(early.body)).toMatchObject({ code: 'FULFILMENT.RECEIPT_NOT_AVAILABLE', status: 409 });
    expect(JSON.parse(early.body).detail).toContain('ready_for_pickup');

    const ship = await createOrder(t, { deliveryType: 'ship' });
    const refused = await receipt(ship.id);
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.body).detail).toContain('pickup orders only');
    expect((await receipt('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
