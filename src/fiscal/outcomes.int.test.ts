import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { CPF, confer, createOrder, LOJA11, POS11 } from '../../test/order-fixtures.ts';
import { readyPickupOrder } from '../../test/pickup-fixtures.ts';
import { scriptedSefaz, useAuthorizer } from '../../test/scripted-sefaz.ts';
import { TEST_SECRET_KEY } from '../../test/secret-key.ts';
import { issueConsumerReceipt } from '../orders/invoicing.ts';
import type { OrderCaller } from '../orders/service.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { documentsFor } from './service.ts';

/** SEFAZ's answers as the outbox meets them, each played by the simulator through the order's API. */
describe.each(databaseKinds())('SEFAZ outcomes in the fiscal outbox on %s', (kind) => {
  let t: TestApp;
  let sefaz: ReturnType<typeof scriptedSefaz>;
  let manager: OrderCaller;
  beforeAll(async () => {
    t = await startTestApp(kind);
    sefaz = scriptedSefaz(t);
    await useAuthorizer(t, sefaz.authorizer);
    const [node] = await rows<{ id: string; path: string; network_id: string }>(
      t.database.db,
      sql`select id, path, network_id from nodes where code = '11'`,
    );
    manager = {
      kind: 'user',
      id: 'test-manager',
      name: 'Gerente',
      actor: 'store_manager',
      nodeId: node!.id,
      nodePath: node!.path,
      networkId: node!.network_id,
    };
  }, 60_000);
  afterAll(() => t?.close());

  async function move(id: string, to: string, auth = LOJA11) {
    const res = await t.request('POST', `/api/v1/orders/${id}/transitions`, { auth, body: { to } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  async function inPicking(deliveryType: 'ship' | 'pickup' = 'ship') {
    const order = await createOrder(t, {
      deliveryType,
      freight: deliveryType === 'ship' ? '12.00' : undefined,
    });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await move(order.id, 'picking');
    await confer(t, order.id);
    return order.id as string;
  }

  async function settled(orderId: string, count = 1) {
    for (let i = 0; i < 600; i++) {
      const docs = await documentsFor(t.database.db, 'order', orderId);
      if (docs.length >= count && docs.every((d) => d.status !== 'sending')) return docs;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`the documents of ${orderId} are still sending`);
  }

  const order = async (id: string) => (await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 })).body;

  it('a denied NF-e (302) keeps its protocol and nfeProc, sends the order back to picking, and never gives its number again', async () => {
    const id = await inPicking();
    sefaz.rule.authorization = () => 302;
    const denied = await t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 });
    sefaz.rule.authorization = undefined;
    expect(denied.status, JSON.stringify(denied.body)).toBe(422);
    expect(denied.body).toMatchObject({
      code: 'FISCAL.DENIED',
      rejection: { code: 302, reason: 'Uso Denegado: Irregularidade fiscal do destinatário' },
    });
    const back = await order(id);
    expect(back.status).toBe('picking');
    expect(back.history.at(-1).reason).toMatch(/Uso denegado .*302.*Irregularidade fiscal do destinatário/);

    const docId = denied.body.fiscalDocument.id;
    const view = (await t.request('GET', `/api/v1/fiscal-documents/${docId}`, { auth: LOJA11 })).body;
    expect(view).toMatchObject({ status: 'denied', rejection: { code: 302 }, authorisation: null });
    expect(view.protocol).toMatch(/^[0-9]{15}$/);
    expect(view.xml).toMatch(/^<nfeProc[\s\S]*<cStat>302<\/cStat>/);

    const again = await t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.fiscalDocument.id).not.toBe(docId);
    const [first, second] = await documentsFor(t.database.db, 'order', id);
    expect(first).toMatchObject({ id: docId, status: 'denied' });
    expect(second).toMatchObject({ status: 'authorised' });
    expect(second!.number).toBeGreaterThan(first!.number);
  });

  it('a denied NFC-e at the counter answers FISCAL.DENIED; finishing again issues another number', async () => {
    const pickup = await readyPickupOrder(t);
    const pos = (action: string, body?: unknown) =>
      t.request('POST', `/api/v1/pos/orders/${pickup.number}/${action}`, { auth: POS11, body });
    expect((await pos('rescue')).status).toBe(200);
    sefaz.rule.authorization = () => 110;
    const denied = await pos('finish', { customerDocument: CPF });
    sefaz.rule.authorization = undefined;
    expect(denied.status, JSON.stringify(denied.body)).toBe(422);
    expect(denied.body).toMatchObject({
      code: 'FISCAL.DENIED',
      rejection: { code: 110, reason: 'Uso Denegado' },
    });
    expect((await order(pickup.id)).status).toBe('invoicing');
    const finished = await pos('finish', { customerDocument: CPF });
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    const [first, second] = await documentsFor(t.database.db, 'order', pickup.id);
    expect(first).toMatchObject({ status: 'denied', model: 65 });
    expect(second).toMatchObject({ status: 'authorised', model: 65 });
    expect(second!.number).not.toBe(first!.number);
  });

  it('an NF-e authorised late (150) is authorised and keeps SEFAZ’s own status and text', async () => {
    const id = await inPicking();
    sefaz.rule.authorization = () => 150;
    const res = await t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 });
    sefaz.rule.authorization = undefined;
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const view = (
      await t.request('GET', `/api/v1/fiscal-documents/${res.body.fiscalDocument.id}`, { auth: LOJA11 })
    ).body;
    expect(view).toMatchObject({
      status: 'authorised',
      authorisation: { code: 150, reason: 'Autorizado o uso da NF-e, autorização fora de prazo' },
    });
    expect((await order(id)).status).toBe('invoiced');
  });

  it('a timeout after SEFAZ authorised: the retry consults the key and adopts it, sending nothing twice', async () => {
    const id = await inPicking();
    const before = { ...sefaz.calls };
    sefaz.faults.authorize.push('timeout');
    const res = await t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 });
    expect([200, 202]).toContain(res.status);
    const [doc] = await settled(id);
    expect(doc).toMatchObject({ status: 'authorised', lastTransportError: null });
    expect(sefaz.calls.authorize - before.authorize).toBe(1);
    expect(sefaz.calls.consult - before.consult).toBe(1);
    const history = (await order(id)).history.filter((h: { to: string }) => h.to === 'invoiced');
    expect(history).toHaveLength(1);
  });

  it('an authoriser that cannot be reached leaves the NF-e sending and the retry sends it (no consult needed)', async () => {
    const id = await inPicking();
    const before = { ...sefaz.calls };
    sefaz.faults.authorize.push('unreachable', 'http_status');
    await t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 });
    const [doc] = await settled(id);
    expect(doc!.status).toBe('authorised');
    // unreachable: sent again; http_status (SEFAZ got it): consulted, adopted, not sent a third time.
    expect(sefaz.calls.authorize - before.authorize).toBe(2);
    expect(sefaz.calls.consult - before.consult).toBe(1);
  }, 20_000);

  it('an NFC-e whose online version reached SEFAZ before the timeout: the contingency copy meets 539 and the online authorisation is adopted', async () => {
    const id = await inPicking('pickup');
    await move(id, 'invoicing', POS11);
    sefaz.faults.authorize.push('timeout');
    const issued = await issueConsumerReceipt(t.database.db, { secretKey: TEST_SECRET_KEY }, manager, id);
    expect(issued.ok, JSON.stringify(issued)).toBe(true);
    t.worker.wake();
    let doc: Awaited<ReturnType<typeof documentsFor>>[number] | undefined;
    for (let i = 0; i < 600; i++) {
      [doc] = await documentsFor(t.database.db, 'order', id);
      if (doc?.status === 'authorised' || doc?.status === 'rejected') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(doc).toMatchObject({ status: 'authorised', model: 65 });
    expect(doc!.contingencyAt).not.toBeNull();
    // Authorised under the online key (tpEmis 1 at position 35), the nfeProc of that version.
    expect(doc!.accessKey).toBe(doc!.onlineAccessKey);
    expect(doc!.accessKey[34]).toBe('1');
    expect(doc!.xml).toContain(`<chNFe>${doc!.accessKey}</chNFe>`);
    expect(doc!.xml).toContain('<tpEmis>1</tpEmis>');
    const read = await order(id);
    expect(read.status).toBe('invoiced');
    // The CC-e is an NF-e event: an NFC-e is refused before anything is signed.
    const letter = await t.request('POST', `/api/v1/fiscal-documents/${doc!.id}/correction-letters`, {
      auth: LOJA11,
      body: { text: 'Correção de uma NFC-e que não cabe' },
    });
    expect(letter.status).toBe(409);
    expect(letter.body.code).toBe('FISCAL.CORRECTION_NOT_NFE');
  }, 20_000);
});
