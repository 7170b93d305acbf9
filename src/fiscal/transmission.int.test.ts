import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import {
  ADMIN,
  addDemoUsers,
  confer,
  createOrder,
  LOJA8,
  LOJA11,
  STAFF11,
} from '../../test/order-fixtures.ts';
import { rows, sql } from '../platform/db/sql.ts';

describe.each(databaseKinds())(
  'the manual transmission of the NF-e (TP_ENVIO_NFE_AUTOMATIC) on %s',
  (kind) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind);
      await addDemoUsers(t);
    }, 60_000);
    afterAll(() => t?.close());

    async function setSending(value: string) {
      const res = await t.request('PUT', '/api/v1/nodes/11/parameters/TP_ENVIO_NFE_AUTOMATIC', {
        auth: ADMIN,
        body: { value },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }

    async function shipOrderInPicking() {
      const order = await createOrder(t, { deliveryType: 'ship', freight: '12.00' });
      expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(
        200,
      );
      const moved = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
        auth: LOJA11,
        body: { to: 'picking' },
      });
      expect(moved.status).toBe(200);
      await confer(t, order.id);
      return order.id as string;
    }

    const orderStatus = async (id: string) =>
      (await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 })).body.status;

    it('0 keeps the signed NF-e unsent, the order invoicing, until someone presses "Transmitir"', async () => {
      await setSending('0');
      const orderId = await shipOrderInPicking();
      const invoiced = await t.request('POST', `/api/v1/orders/${orderId}/invoice`, { auth: LOJA11 });
      expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(202);
      expect(invoiced.body.fiscalDocument.status).toBe('unsent');
      const documentId = invoiced.body.fiscalDocument.id;
      // Nothing goes to SEFAZ by itself: no job, and the order waits.
      await new Promise((r) => setTimeout(r, 300));
      const jobs = await rows<{ n: number }>(
        t.database.db,
        sql`select count(*) as n from jobs where payload->>'documentId' = ${documentId}`,
      );
      expect(Number(jobs[0]!.n)).toBe(0);
      expect(await orderStatus(orderId)).toBe('invoicing');
      const doc = await t.request('GET', `/api/v1/fiscal-documents/${documentId}`, { auth: LOJA11 });
      expect(doc.body).toMatchObject({ status: 'unsent', signatureValid: true, protocol: null });

      // Another store's manager does not see it; the store's clerk transmits it.
      const hidden = await t.request('POST', `/api/v1/fiscal-documents/${documentId}/transmit`, {
        auth: LOJA8,
      });
      expect(hidden.status).toBe(404);
      const sent = await t.request('POST', `/api/v1/fiscal-documents/${documentId}/transmit`, {
        auth: STAFF11,
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      expect(sent.body).toMatchObject({
        status: 'authorised',
        protocol: expect.stringMatching(/^[0-9]{15}$/),
      });
      expect(await orderStatus(orderId)).toBe('invoiced');

      const again = await t.request('POST', `/api/v1/fiscal-documents/${documentId}/transmit`, {
        auth: LOJA11,
      });
      expect([again.status, again.body.code]).toEqual([409, 'FISCAL.NOT_UNSENT']);
      const unknown = await t.request(
        'POST',
        '/api/v1/fiscal-documents/00000000-0000-4000-8000-000000000000/transmit',
        { auth: LOJA11 },
      );
      expect(unknown.status).toBe(404);
    });

    it('2 holds it too; 1 and 3 transmit at once, as before', async () => {
      await setSending('2');
      const held = await shipOrderInPicking();
      const first = await t.request('POST', `/api/v1/orders/${held}/invoice`, { auth: LOJA11 });
      expect(first.body.fiscalDocument.status).toBe('unsent');

      for (const value of ['1', '3']) {
        await setSending(value);
        const orderId = await shipOrderInPicking();
        const res = await t.request('POST', `/api/v1/orders/${orderId}/invoice`, { auth: LOJA11 });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.fiscalDocument.status).toBe('authorised');
        expect(await orderStatus(orderId)).toBe('invoiced');
      }
      // The one held earlier still waits for its "Transmitir".
      expect(await orderStatus(held)).toBe('invoicing');
    });

    it('a network that never set it transmits at once: the default is 1', async () => {
      const res = await t.request('GET', '/api/v1/parameters', { auth: ADMIN });
      const def = res.body.items.find((d: { code: string }) => d.code === 'TP_ENVIO_NFE_AUTOMATIC');
      expect(def).toMatchObject({ default: '1', honoured: true });
    });
  },
);
