import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned } from '../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { CPF, confer, createOrder, LOJA8, LOJA11, POS11 } from '../../test/order-fixtures.ts';
import { textOf } from '../../test/pdf.ts';
import { TEST_SECRET_KEY } from '../../test/secret-key.ts';
import { buildApp, defaultAuthorizer, jobHandlers } from '../app.ts';
import { resendStuck } from '../fiscal/authorizer/index.ts';
import * as fiscal from '../fiscal/service.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { startWorker } from '../platform/jobs/service.ts';
import { issueConsumerReceipt } from './invoicing.ts';
import type * as orders from './service.ts';

const ADMIN = 'admin@demo.local';
const deps = { secretKey: TEST_SECRET_KEY };
const HOUR = 3_600_000;

/**
 * Issue 13, "NFC-e contingency": SEFAZ unreachable at the till → the NFC-e is issued offline (tpEmis 9),
 * the order is invoiced, the receipt says so; Omnihub restarts; SEFAZ comes back → the same document,
 * under the same key and number, is authorised and nothing moves twice.
 */
describe.each(databaseKinds())('NFC-e offline contingency on %s', (kind) => {
  let t: TestApp;
  let manager: orders.OrderCaller;
  beforeAll(async () => {
    t = await startTestApp(kind);
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

  const sefaz = (available: boolean, auth = ADMIN) =>
    t.request('PUT', '/api/v1/fiscal/simulator', { auth, body: { available } });

  async function move(id: string, to: string, auth = LOJA11) {
    const res = await t.request('POST', `/api/v1/orders/${id}/transitions`, { auth, body: { to } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /** A pickup order the POS rescued, finished as the POS does: issue the NFC-e, wait for the outbox. */
  async function finishAtTheTill() {
    const order = await createOrder(t, { deliveryType: 'pickup' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await move(order.id, 'picking');
    await confer(t, order.id);
    await move(order.id, 'invoicing', POS11);
    const started = Date.now();
    const issued = await issueConsumerReceipt(t.database.db, deps, manager, order.id, CPF);
    if (!issued.ok) throw new Error(JSON.stringify(issued.failure));
    t.worker.wake();
    const doc = await fiscal.settledDocument(t.database.db, issued.value.documentId, 10_000);
    return { orderId: order.id, doc: doc!, elapsed: Date.now() - started };
  }

  const documentOf = async (orderId: string) =>
    (await fiscal.documentsFor(t.database.db, 'order', orderId))[0];

  async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
    for (let i = 0; i < 600; i++) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('switches the simulated SEFAZ: network admin only, validated, audited, kept', async () => {
    expect((await t.request('GET', '/api/v1/fiscal/simulator', { auth: LOJA11 })).body).toMatchObject({
      available: true,
    });
    expect((await sefaz(false, LOJA11)).status).toBe(403);
    const bad = await t.request('PUT', '/api/v1/fiscal/simulator', {
      auth: ADMIN,
      body: { available: 'no' },
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('available');
    expect((await t.request('GET', '/api/v1/fiscal/simulator', { auth: POS11 })).body.available).toBe(true);

    const off = await sefaz(false);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ available: false, changedAt: expect.any(String) });
    const on = await sefaz(true);
    expect(on.body.available).toBe(true);
    const log = await t.request('GET', '/api/v1/audit-events?limit=10', { auth: ADMIN });
    const switched = log.body.items.filter(
      (e: { action: string }) => e.action === 'sefaz_simulator.switched',
    );
    expect(switched).toHaveLength(2);
  });

  it('SEFAZ unreachable: contingency receipt at once, order invoiced; after a restart, transmitted with the same key', async () => {
    expect((await sefaz(false)).status).toBe(200);
    const { orderId, doc, elapsed } = await finishAtTheTill();

    // The cashier is answered with the contingency document, not left waiting for SEFAZ.
    expect(doc.status).toBe('contingency');
    expect(elapsed).toBeLessThan(8_000);
    expect(doc.model).toBe(65);
    expect(doc.accessKey[34]).toBe('9');
    expect(doc.onlineAccessKey?.[34]).toBe('1');
    expect(doc.accessKey.slice(22, 34)).toBe(doc.onlineAccessKey!.slice(22, 34));
    expect(doc.xml).toContain('<tpEmis>9</tpEmis>');
    expect(doc.xml).toMatch(/<dhCont>[^<]+<\/dhCont><xJust>SEFAZ indisponível[^<]+<\/xJust>/);
    expect(doc.xml).toMatch(
      /<qrCode>https:\/\/[^<]+\?p=\d{34}9\d{9}\|2\|2\|\d{2}\|[0-9.]+\|[0-9A-F]{56}\|1\|[0-9A-F]{40}<\/qrCode>/,
    );
    await expectValidSigned(doc.xml, 'infNFe', 'nfe');
    expect(doc.transmitBy!.getTime() - doc.contingencyAt!.getTime()).toBe(24 * HOUR);

    const order = (await t.request('GET', `/api/v1/orders/${orderId}`, { auth: LOJA11 })).body;
    expect(order.status).toBe('invoiced');
    expect(order.history.at(-1)).toMatchObject({ from: 'invoicing', to: 'invoiced' });
    expect(order.history.at(-1).reason).toContain('contingência');

    const pdf = await t.app.inject({
      method: 'GET',
      url: `/api/v1/fiscal-documents/${doc.id}/danfe.pdf`,
      headers: { authorization: `Bearer ${await t.token(LOJA11)}` },
    });
    expect(pdf.statusCode).toBe(200);
    const receipt = (await textOf(pdf.rawPayload)).replace(/\n/g, ' ');
    expect(receipt).toContain('EMITIDA EM CONTINGÊNCIA');
    expect(receipt).toContain('Pendente de autorização');

    const view = await t.request('GET', `/api/v1/fiscal-documents/${doc.id}`, { auth: LOJA11 });
    expect(view.body).toMatchObject({
      status: 'contingency',
      accessKey: doc.accessKey,
      signatureValid: true,
      contingency: { transmitBy: doc.transmitBy!.toISOString(), onlineAccessKey: doc.onlineAccessKey },
    });

    // The alarm: the store and the admins see it with its deadline; store 8 does not.
    const alarm = await t.request('GET', '/api/v1/fiscal/contingency', { auth: LOJA11 });
    expect(alarm.status).toBe(200);
    expect(alarm.body.level).toBe('ok');
    expect(alarm.body.items).toEqual([
      expect.objectContaining({
        id: doc.id,
        accessKey: doc.accessKey,
        number: doc.number,
        status: 'contingency',
        storeCode: '11',
        reference: { type: 'order', id: orderId },
        transmitBy: doc.transmitBy!.toISOString(),
        level: 'ok',
      }),
    ]);
    expect((await t.request('GET', '/api/v1/fiscal/contingency', { auth: ADMIN })).body.items).toHaveLength(
      1,
    );
    expect((await t.request('GET', '/api/v1/fiscal/contingency', { auth: LOJA8 })).body).toEqual({
      level: 'none',
      items: [],
    });
    // Less than 6 h left warns; past the deadline is overdue.
    const setDeadline = (at: Date) =>
      t.database.db.execute(sql`update fiscal_documents set transmit_by = ${at} where id = ${doc.id}`);
    await setDeadline(new Date(Date.now() + 2 * HOUR));
    expect((await t.request('GET', '/api/v1/fiscal/contingency', { auth: LOJA11 })).body.level).toBe(
      'warning',
    );
    await setDeadline(new Date(Date.now() - HOUR));
    expect((await t.request('GET', '/api/v1/fiscal/contingency', { auth: LOJA11 })).body.level).toBe(
      'overdue',
    );

    // The outbox keeps trying while SEFAZ is away, and records why it could not.
    const retried = await until(
      () => documentOf(orderId),
      (d) => (d?.updatedAt.getTime() ?? 0) > doc.updatedAt.getTime(),
      'a failed transmission attempt',
    );
    expect(retried?.lastTransportError).toContain('SEFAZ unreachable');
    expect(retried?.status).toBe('contingency');

    // Restart: the app and the worker stop; the job is lost too (as if its retries ran out).
    await t.app.close();
    await t.worker.stop();
    await t.database.db.execute(
      sql`update jobs set status = 'failed' where queue = 'fiscal.authorise' and payload->>'documentId' = ${doc.id} and status <> 'done'`,
    );
    await t.database.db.execute(
      sql`update fiscal_documents set updated_at = now() - interval '10 minutes' where id = ${doc.id}`,
    );
    t.worker = startWorker(t.database.db, jobHandlers(t.database, defaultAuthorizer(t.database), deps), {
      pollMs: 50,
    });
    t.app = await buildApp(t.database, {
      logger: false,
      wakeWorker: t.worker.wake,
      secretKey: TEST_SECRET_KEY,
    });
    // At start-up (main.ts), what waits for SEFAZ is queued again.
    expect(await resendStuck(t.database.db)).toBe(1);

    // SEFAZ is back: the switch transmits the waiting document now.
    expect((await sefaz(true)).status).toBe(200);
    const authorised = await until(
      () => documentOf(orderId),
      (d) => d?.status === 'authorised',
      'the contingency NFC-e to be authorised',
    );
    expect(authorised).toMatchObject({ accessKey: doc.accessKey, number: doc.number, series: doc.series });
    expect(authorised!.protocol).toMatch(/^\d{15}$/);
    expect(authorised!.xml).toContain(`<chNFe>${doc.accessKey}</chNFe>`);
    expect(authorised!.xml).toContain('<cStat>100</cStat>');
    expect(authorised!.lastTransportError).toBeNull();

    const after = (await t.request('GET', `/api/v1/orders/${orderId}`, { auth: LOJA11 })).body;
    expect(after.status).toBe('invoiced');
    expect(after.history.filter((h: { to: string }) => h.to === 'invoiced')).toHaveLength(1);
    expect((await t.request('GET', '/api/v1/fiscal/contingency', { auth: LOJA11 })).body).toEqual({
      level: 'none',
      items: [],
    });
    const reprint = await t.app.inject({
      method: 'GET',
      url: `/api/v1/fiscal-documents/${doc.id}/danfe.pdf`,
      headers: { authorization: `Bearer ${await t.token(LOJA11)}` },
    });
    const text = (await textOf(reprint.rawPayload)).replace(/\n/g, ' ');
    expect(text).toContain('EMITIDA EM CONTINGÊNCIA');
    expect(text).toContain(`Protocolo de autorização: ${authorised!.protocol}`);
  }, 60_000);

  it('a contingency NFC-e SEFAZ later refuses raises the alarm; the sale stands', async () => {
    expect((await sefaz(false)).status).toBe(200);
    const { orderId, doc } = await finishAtTheTill();
    expect(doc.status).toBe('contingency');
    // Altered after signing: SEFAZ will answer 297 (signature differs).
    await t.database.db.execute(
      sql`update fiscal_documents set xml = replace(xml, '<natOp>', '<natOp>X') where id = ${doc.id}`,
    );
    expect((await sefaz(true)).status).toBe(200);
    t.worker.wake();
    const rejected = await until(
      () => documentOf(orderId),
      (d) => d?.status === 'rejected',
      'the rejection',
    );
    expect(rejected?.rejectionCode).toBe(297);
    const order = (await t.request('GET', `/api/v1/orders/${orderId}`, { auth: LOJA11 })).body;
    expect(order.status).toBe('invoiced');
    const alarm = (await t.request('GET', '/api/v1/fiscal/contingency', { auth: LOJA11 })).body;
    expect(alarm.level).toBe('rejected');
    expect(alarm.items[0]).toMatchObject({ id: doc.id, level: 'rejected', rejection: { code: 297 } });
  }, 60_000);
});
