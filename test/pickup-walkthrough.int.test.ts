import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, defaultAuthorizer, jobHandlers } from '../src/app.ts';
import { createTargetPolicy, startDeliveryWorker } from '../src/integration/service.ts';
import { startWorker } from '../src/platform/jobs/service.ts';
import { expectValidSigned, nfeOf } from './fiscal-tools.ts';
import { databaseKinds, deliveryTestOptions, RECEIVER_HOSTS, startTestApp, type TestApp } from './harness.ts';
import { ADMIN, CPF, createOrder, LOJA11, POS11 } from './order-fixtures.ts';
import { restock } from './pickup-fixtures.ts';
import { TEST_SECRET_KEY } from './secret-key.ts';
import { WebhookReceiver, waitFor } from './webhook-receiver.ts';

const SECRET = 'walkthrough-webhook-secret';

/**
 * Issue 13's acceptance, through the public API only, as the seeds walk it (seed 000 §4.1, seed 003
 * Conferência, Finalização, Comprovante): the platform's order, the store's acceptance, picking and scan
 * conference by EAN, the POS's pending list, rescue, NFC-e with the customer's CPF, handover — each status
 * change a signed webhook, in order. Then the same sale with SEFAZ unreachable, across a restart.
 */
describe.each(databaseKinds())('the pickup walkthrough on the %s database', (kind) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp(kind, { webhookAllowHosts: RECEIVER_HOSTS });
    receiver = await WebhookReceiver.reserve();
    await receiver.up(() => ({ status: 200 }));
    const clients = await t.request('GET', '/api/v1/api-clients', { auth: ADMIN });
    const platform = clients.body.items.find((c: { scope: string }) => c.scope === 'platform');
    const hook = await t.request('PUT', `/api/v1/api-clients/${platform.id}/webhook`, {
      auth: ADMIN,
      body: { url: receiver.url, secret: SECRET },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await receiver?.down();
    await t?.close();
  });

  const ok = async (res: Promise<{ status: number; body: any }>, status = 200) => {
    const answer = await res;
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    return answer.body;
  };
  const pos = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    t.request(method, `/api/v1/pos${url}`, { auth: POS11, body });
  const statusesOf = (orderId: string) =>
    receiver
      .delivered()
      .filter((r) => r.json.orderId === orderId && r.json.event === 'order.status_changed')
      .map((r) => r.json.status);

  /** Ingest → accept → picking → conference by EAN: the order waits at the counter. */
  async function atTheCounter() {
    await restock(t, [['CAL-002', 1]]);
    const order = await createOrder(t, { deliveryType: 'pickup', lines: [['CAL-002', 1, '199.90']] });
    await ok(t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 }));
    await ok(
      t.request('POST', `/api/v1/orders/${order.id}/transitions`, { auth: LOJA11, body: { to: 'picking' } }),
    );

    // The default TP_CONF_ACEITE_PED (0) wants the count: no bare way to the counter.
    const bare = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'ready_for_pickup' },
    });
    expect(bare.status).toBe(409);
    const conference = await ok(t.request('GET', `/api/v1/orders/${order.id}/conference`, { auth: LOJA11 }));
    const [line] = conference.lines as { ean: string; expected: number }[];
    expect(line!.ean).toMatch(/^\d{8,14}$/);
    const wrong = await t.request('POST', `/api/v1/orders/${order.id}/conference/scans`, {
      auth: LOJA11,
      body: { ean: '7890000000000' },
    });
    expect(wrong.status).toBe(422);
    await ok(
      t.request('POST', `/api/v1/orders/${order.id}/conference/scans`, {
        auth: LOJA11,
        body: { ean: line!.ean },
      }),
    );
    await ok(t.request('POST', `/api/v1/orders/${order.id}/conference/finish`, { auth: LOJA11 }));
    const ready = await ok(t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 }));
    expect(ready.status).toBe('ready_for_pickup');
    return order as { id: string; number: number };
  }

  it('ingest → accept → picking → conference → POS pending → rescue → NFC-e with CPF → handover, every step a webhook in order', async () => {
    const order = await atTheCounter();

    const pending = await ok(pos('GET', '/pending-orders'));
    expect(pending.count).toBe(1);
    expect(pending.orders[0]).toMatchObject({ id: order.id, number: order.number });

    const rescued = await ok(pos('POST', `/orders/${order.number}/rescue`));
    expect(rescued.order.status).toBe('invoicing');
    expect((await ok(pos('GET', '/pending-orders'))).count).toBe(0);

    const finished = await ok(pos('POST', `/orders/${order.number}/finish`, { customerDocument: CPF }));
    expect(finished.order.status).toBe('invoiced');
    expect(finished.fiscalDocument.status).toBe('authorised');
    const doc = await ok(
      t.request('GET', `/api/v1/fiscal-documents/${finished.fiscalDocument.id}`, { auth: LOJA11 }),
    );
    expect(doc.model).toBe(65);
    expect(doc.accessKey).toBe(finished.fiscalDocument.accessKey);
    expect(doc.xml).toMatch(/<dest><CPF>52998224725<\/CPF>/);
    expect(doc.xml).toMatch(/<qrCode>https:\/\/[^<]+\?p=\d{44}\|2\|\d\|\d+\|[0-9A-F]{40}<\/qrCode>/);
    await expectValidSigned(nfeOf(doc.xml), 'infNFe', 'nfe');

    // Handed over: delivered, with who collected it, and the delivery receipt to sign.
    const handed = await ok(
      t.request('POST', `/api/v1/orders/${order.id}/handover`, {
        auth: POS11,
        body: { name: 'Maria Silva', document: CPF },
      }),
    );
    expect(handed.status).toBe('delivered');
    const receipt = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orders/${order.id}/pickup-receipt.pdf`,
      headers: { authorization: `Bearer ${POS11}` },
    });
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');

    const expected = ['accepted', 'picking', 'ready_for_pickup', 'invoicing', 'invoiced', 'delivered'];
    await waitFor(
      async () => statusesOf(order.id).length >= expected.length,
      'every status change delivered',
    );
    expect(statusesOf(order.id)).toEqual(expected);
  }, 120_000);

  it('with SEFAZ unreachable: the contingency receipt, the order invoiced, transmitted after a restart', async () => {
    const order = await atTheCounter();
    await ok(t.request('PUT', '/api/v1/fiscal/simulator', { auth: ADMIN, body: { available: false } }));

    await ok(pos('POST', `/orders/${order.number}/rescue`));
    const finished = await ok(pos('POST', `/orders/${order.number}/finish`, { customerDocument: '' }));
    expect(finished.order.status).toBe('invoiced');
    expect(finished.fiscalDocument.status).toBe('contingency');
    const key = finished.fiscalDocument.accessKey as string;
    expect(key[34]).toBe('9');
    const offline = await ok(
      t.request('GET', `/api/v1/fiscal-documents/${finished.fiscalDocument.id}`, { auth: LOJA11 }),
    );
    expect(offline.xml).toContain('<tpEmis>9</tpEmis>');
    expect(offline.xml).not.toContain('<dest>');
    const alarm = await ok(t.request('GET', '/api/v1/fiscal/contingency', { auth: LOJA11 }));
    expect(alarm.items.map((i: { accessKey: string }) => i.accessKey)).toContain(key);

    // Omnihub restarts while SEFAZ is still away: nothing is lost, the order stays invoiced.
    await t.app.close();
    await Promise.all([t.worker.stop(), t.deliveries.stop()]);
    const deps = { secretKey: TEST_SECRET_KEY };
    t.worker = startWorker(t.database.db, jobHandlers(t.database, defaultAuthorizer(t.database), deps), {
      pollMs: 50,
    });
    const targets = createTargetPolicy({ allow: RECEIVER_HOSTS });
    t.deliveries = startDeliveryWorker(t.database.db, { ...deliveryTestOptions, targets });
    t.app = await buildApp(t.database, {
      logger: false,
      wakeWorker: t.worker.wake,
      wakeDeliveries: t.deliveries.wake,
      secretKey: TEST_SECRET_KEY,
      webhookTargets: targets,
    });
    expect((await ok(t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 }))).status).toBe(
      'invoiced',
    );

    // SEFAZ is back: the same document, same key and number, authorised; the order moves no further.
    await ok(t.request('PUT', '/api/v1/fiscal/simulator', { auth: ADMIN, body: { available: true } }));
    let authorised: { status: string; accessKey: string; number: number } | undefined;
    await waitFor(async () => {
      authorised = await ok(
        t.request('GET', `/api/v1/fiscal-documents/${finished.fiscalDocument.id}`, { auth: LOJA11 }),
      );
      return authorised!.status === 'authorised';
    }, 'the contingency NFC-e authorised');
    expect(authorised).toMatchObject({ accessKey: key, number: offline.number });
    const after = await ok(t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 }));
    expect(after.status).toBe('invoiced');
    expect(after.history.filter((h: { to: string }) => h.to === 'invoiced')).toHaveLength(1);
    expect((await ok(t.request('GET', '/api/v1/fiscal/contingency', { auth: LOJA11 }))).items).toEqual([]);
  }, 120_000);
});
