import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned } from '../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, CPF, confer, createOrder, LOJA11, POS11 } from '../../test/order-fixtures.ts';
import { mediaBoxes, textOf } from '../../test/pdf.ts';
import { TEST_SECRET_KEY } from '../../test/secret-key.ts';
import { jobHandlers, simulatorAuthorizer } from '../app.ts';
import { resendStuck } from '../fiscal/authorizer/index.ts';
import { formatAccessKey } from '../fiscal/printing/index.ts';
import { documentsFor } from '../fiscal/service.ts';
import { generateTestCertificate } from '../fiscal/xml/index.ts';
import { rows, sql } from '../platform/db/sql.ts';
import { startWorker } from '../platform/jobs/service.ts';
import { invoiceOrder, issueConsumerReceipt } from './invoicing.ts';
import type * as orders from './service.ts';

const deps = { secretKey: TEST_SECRET_KEY };

describe.each(databaseKinds())('an order’s invoicing through the fiscal outbox on %s', (kind) => {
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

  async function move(id: string, to: string, auth = LOJA11) {
    const res = await t.request('POST', `/api/v1/orders/${id}/transitions`, { auth, body: { to } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  async function shipOrderInPicking() {
    const order = await createOrder(t, { deliveryType: 'ship', freight: '12.00' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await move(order.id, 'picking');
    await confer(t, order.id);
    return order.id;
  }

  async function settledDocument(orderId: string) {
    for (let i = 0; i < 400; i++) {
      const [doc] = await documentsFor(t.database.db, 'order', orderId);
      if (doc && doc.status !== 'sending') return doc;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`the document of ${orderId} is still sending`);
  }

  it('issues the NFC-e of a pickup order the POS rescued: QR code, schema, signature, 80 mm receipt', async () => {
    const order = await createOrder(t, { deliveryType: 'pickup' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    await move(order.id, 'picking');
    await confer(t, order.id);
    const early = await issueConsumerReceipt(t.database.db, deps, manager, order.id);
    expect(early.ok || early.failure.code).toBe('FISCAL.NOT_INVOICING');
    await move(order.id, 'invoicing', POS11);

    const issued = await issueConsumerReceipt(t.database.db, deps, manager, order.id, CPF);
    expect(issued.ok, JSON.stringify(issued)).toBe(true);
    t.worker.wake();
    const doc = await settledDocument(order.id);
    expect(doc).toMatchObject({ model: 65, status: 'authorised' });
    expect(doc.xml).toMatch(/<infNFeSupl><qrCode>https:\/\/[^<]+\?p=\d{44}\|2\|2\|1\|[0-9A-F]{40}<\/qrCode>/);
    expect(doc.xml).toContain('<CPF>52998224725</CPF>');
    const nfe = doc.xml.slice(doc.xml.indexOf('<NFe'), doc.xml.indexOf('</NFe>') + 6);
    await expectValidSigned(nfe, 'infNFe', 'nfe');
    const read = await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(read.body.status).toBe('invoiced');

    const again = await issueConsumerReceipt(t.database.db, deps, manager, order.id);
    expect(again.ok).toBe(false);

    const pdf = await t.app.inject({
      method: 'GET',
      url: `/api/v1/fiscal-documents/${doc.id}/danfe.pdf`,
      headers: { authorization: `Bearer ${await t.token(LOJA11)}` },
    });
    expect(pdf.statusCode).toBe(200);
    const [page] = mediaBoxes(pdf.rawPayload);
    expect(page![2]).toBeCloseTo((80 * 72) / 25.4, 0);
    expect(await textOf(pdf.rawPayload)).toContain(formatAccessKey(doc.accessKey));
  });

  it('recovers an authorisation whose answer was lost: the resend reads it back, once', async () => {
    await t.worker.stop();
    try {
      const id = await shipOrderInPicking();
      const issued = await invoiceOrder(t.database.db, deps, manager, id);
      expect(issued.ok).toBe(true);
      const [doc] = await documentsFor(t.database.db, 'order', id);
      // SEFAZ authorises, then the process dies before it records the answer.
      const first = await simulatorAuthorizer(t.database).authorize(doc!.xml);
      expect(first.outcome).toBe('authorized');

      const worker = startWorker(t.database.db, jobHandlers(t.database), { pollMs: 20 });
      try {
        const settled = await settledDocument(id);
        expect(settled.status).toBe('authorised');
        expect(settled.protocol).toBe(first.outcome === 'authorized' ? first.protocol : '');
      } finally {
        await worker.stop();
      }
      const read = await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 });
      expect(read.body.status).toBe('invoiced');
      expect(read.body.history.filter((h: { to: string }) => h.to === 'invoiced')).toHaveLength(1);
    } finally {
      t.worker = startWorker(t.database.db, jobHandlers(t.database), { pollMs: 50 });
    }
  });

  it('a rejected NF-e sends the order back to picking; invoicing again reuses its number', async () => {
    await t.worker.stop();
    let id: string;
    try {
      id = await shipOrderInPicking();
      // Dated 31 days ago: SEFAZ refuses an NF-e issued more than 30 days before it arrives (228).
      const late = { ...deps, clock: () => new Date(Date.now() - 31 * 86_400_000) };
      expect((await invoiceOrder(t.database.db, late, manager, id)).ok).toBe(true);
    } finally {
      t.worker = startWorker(t.database.db, jobHandlers(t.database), { pollMs: 50 });
    }
    const rejected = await settledDocument(id);
    expect(rejected).toMatchObject({ status: 'rejected', rejectionCode: 228 });
    const back = (await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 })).body;
    expect(back.status).toBe('picking');
    expect(back.history.at(-1)).toMatchObject({ from: 'invoicing', to: 'picking' });
    expect(back.history.at(-1).reason).toContain('228');

    const again = await t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.fiscalDocument.id).toBe(rejected.id);
    const [doc, ...others] = await documentsFor(t.database.db, 'order', id);
    expect(others).toEqual([]);
    expect(doc).toMatchObject({ status: 'authorised', number: rejected.number, rejectionCode: null });
  });

  it('sends again a document left in sending after its job gave up', async () => {
    await t.worker.stop();
    try {
      const id = await shipOrderInPicking();
      expect((await invoiceOrder(t.database.db, deps, manager, id)).ok).toBe(true);
      const [doc] = await documentsFor(t.database.db, 'order', id);
      await t.database.db.execute(
        sql`update jobs set status = 'failed' where payload->>'documentId' = ${doc!.id}`,
      );
      expect(await resendStuck(t.database.db, 60_000)).toBe(0);
      // Two processes' resends at once (`--processes N` start their timers together) queue it once.
      const later = new Date(Date.now() + 120_000);
      const both = await Promise.all([
        resendStuck(t.database.db, 60_000, later),
        resendStuck(t.database.db, 60_000, later),
      ]);
      expect(both.sort()).toEqual([0, 1]);
      const [queued] = await rows<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from jobs where status = 'queued' and payload->>'documentId' = ${doc!.id}`,
      );
      expect(queued!.n).toBe(1);
      expect(await resendStuck(t.database.db, 60_000, new Date(Date.now() + 120_000))).toBe(0);
      const worker = startWorker(t.database.db, jobHandlers(t.database), { pollMs: 20 });
      try {
        expect((await settledDocument(id)).status).toBe('authorised');
      } finally {
        await worker.stop();
      }
    } finally {
      t.worker = startWorker(t.database.db, jobHandlers(t.database), { pollMs: 50 });
    }
  });

  it('keeps the certificate secret, checks a new one against the store and signs with it', async () => {
    const shown = await t.request('GET', '/api/v1/nodes/11/fiscal-settings', { auth: LOJA11 });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ configured: true, environment: '2', taxRegime: 1, csc: { id: '1' } });
    expect(shown.body.certificate.subject).toContain('45997418000153');
    expect(JSON.stringify(shown.body)).not.toMatch(/pkcs12|password|token|v1\./);
    const central = await t.request('GET', '/api/v1/nodes/SUL/fiscal-settings', { auth: ADMIN });
    expect(central.status).toBe(422);
    expect(central.body.code).toBe('FISCAL.NOT_A_STORE');

    const other = generateTestCertificate({
      legalName: 'Outra Empresa Ltda',
      cnpj: '04252011000110',
      password: 'x',
    });
    const wrongCompany = await t.request('PUT', '/api/v1/nodes/11/fiscal-settings', {
      auth: ADMIN,
      body: { taxRegime: 1, certificate: { pkcs12: other.pkcs12.toString('base64'), password: 'x' } },
    });
    expect(wrongCompany.status).toBe(422);
    expect(wrongCompany.body.code).toBe('FISCAL.CERTIFICATE_CNPJ_MISMATCH');

    const own = generateTestCertificate({
      legalName: 'Loja 11 Nova',
      cnpj: '45997418000153',
      password: 'certa',
    });
    const wrongPassword = await t.request('PUT', '/api/v1/nodes/11/fiscal-settings', {
      auth: ADMIN,
      body: { taxRegime: 1, certificate: { pkcs12: own.pkcs12.toString('base64'), password: 'errada' } },
    });
    expect(wrongPassword.status).toBe(422);
    expect(wrongPassword.body.errors[0].path).toBe('/certificate/password');
    const byManager = await t.request('PUT', '/api/v1/nodes/11/fiscal-settings', {
      auth: LOJA11,
      body: { taxRegime: 1 },
    });
    expect(byManager.status).toBe(403);
    const normal = await t.request('PUT', '/api/v1/nodes/11/fiscal-settings', {
      auth: ADMIN,
      body: { taxRegime: 3 },
    });
    expect(normal.status).toBe(422);
    expect(normal.body.errors.map((e: { path: string }) => e.path)).toEqual([
      '/icmsRateIntrastate',
      '/icmsRateInterstate',
    ]);

    const saved = await t.request('PUT', '/api/v1/nodes/11/fiscal-settings', {
      auth: ADMIN,
      body: { taxRegime: 1, certificate: { pkcs12: own.pkcs12.toString('base64'), password: 'certa' } },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.certificate.subject).toContain('Loja 11 Nova');
    expect(saved.body.csc).toEqual({ id: '1' });

    const id = await shipOrderInPicking();
    const res = await t.request('POST', `/api/v1/orders/${id}/invoice`, { auth: LOJA11 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const doc = await t.request('GET', `/api/v1/fiscal-documents/${res.body.fiscalDocument.id}`, {
      auth: LOJA11,
    });
    expect(doc.body.xml).toContain(own.certificate.certificateBase64);
  });
});
