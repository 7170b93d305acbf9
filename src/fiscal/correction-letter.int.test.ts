import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { confer, createOrder, LOJA8, LOJA11 } from '../../test/order-fixtures.ts';
import { scriptedSefaz, useAuthorizer } from '../../test/scripted-sefaz.ts';
import { validateXml } from './xml/index.ts';

/** The correction letter (CC-e, tpEvento 110110) of an authorised NF-e, through the API. */
describe.each(databaseKinds())('the correction letter on %s', (kind) => {
  let t: TestApp;
  let sefaz: ReturnType<typeof scriptedSefaz>;
  beforeAll(async () => {
    requireTool('xmllint');
    t = await startTestApp(kind);
    sefaz = scriptedSefaz(t);
    await useAuthorizer(t, sefaz.authorizer);
  }, 60_000);
  afterAll(() => t?.close());

  async function authorisedNfe(): Promise<{ orderId: string; docId: string }> {
    const order = await createOrder(t, { deliveryType: 'ship', freight: '12.00' });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);
    await confer(t, order.id);
    const res = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { orderId: order.id, docId: res.body.fiscalDocument.id };
  }

  const correct = (docId: string, text: string, auth = LOJA11) =>
    t.request('POST', `/api/v1/fiscal-documents/${docId}/correction-letters`, { auth, body: { text } });

  it('registers letters in sequence, lists them on the document and serves each procEventoNFe', async () => {
    const { docId } = await authorisedNfe();
    const first = await correct(docId, 'Complemento do endereço de entrega: fundos, portão azul');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.status).toBe('authorised');
    expect(first.body.events).toEqual([
      expect.objectContaining({
        type: '110110',
        kind: 'correction',
        sequence: 1,
        status: 'registered',
        text: 'Complemento do endereço de entrega: fundos, portão azul',
        rejection: null,
      }),
    ]);
    expect(first.body.events[0].protocol).toMatch(/^[0-9]{15}$/);

    const second = await correct(docId, 'Telefone do destinatário: (11) 98888-7777');
    expect(second.status).toBe(200);
    expect(second.body.events.map((e: { sequence: number }) => e.sequence)).toEqual([1, 2]);

    const eventId = second.body.events[1].id;
    const xml = await t.app.inject({
      method: 'GET',
      url: `/api/v1/fiscal-documents/${docId}/events/${eventId}/xml`,
      headers: { authorization: `Bearer ${await t.token(LOJA11)}` },
    });
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-disposition']).toContain('-110110-02-procEventoNFe.xml');
    expect(xml.body).toMatch(/^<procEventoNFe/);
    expect(xml.body).toContain('<nSeqEvento>2</nSeqEvento>');
    expect(await validateXml(xml.body, 'procEventoNFe')).toEqual({ ok: true, value: undefined });

    // Another store's user sees neither the document nor its events.
    expect((await correct(docId, 'Texto qualquer de correção', LOJA8)).status).toBe(404);
    const foreign = await t.request('GET', `/api/v1/fiscal-documents/${docId}/events/${eventId}/xml`, {
      auth: LOJA8,
    });
    expect(foreign.status).toBe(404);
    const unknown = await t.request(
      'GET',
      `/api/v1/fiscal-documents/${docId}/events/00000000-0000-4000-8000-000000000000/xml`,
      { auth: LOJA11 },
    );
    expect(unknown.status).toBe(404);
  });

  it('refuses a text out of 15–1,000 characters with field errors, and changes nothing', async () => {
    const { docId } = await authorisedNfe();
    for (const text of ['curto', 'x'.repeat(1001)]) {
      const res = await correct(docId, text);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'FISCAL.CORRECTION_INVALID',
        errors: [expect.objectContaining({ path: '/text', code: 'FISCAL.CORRECTION_LENGTH' })],
      });
    }
    const bad = await t.request('POST', `/api/v1/fiscal-documents/${docId}/correction-letters`, {
      auth: LOJA11,
      body: { text: 42 },
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    const view = await t.request('GET', `/api/v1/fiscal-documents/${docId}`, { auth: LOJA11 });
    expect(view.body.events).toEqual([]);
  });

  it('a letter whose answer was lost is read back from the consultation (573), registered once', async () => {
    const { docId } = await authorisedNfe();
    const before = sefaz.calls.registerEvent;
    sefaz.faults.registerEvent.push('timeout');
    const res = await correct(docId, 'Onde se lê Rua A, leia-se Rua B, número 100');
    expect([200, 202]).toContain(res.status);
    let events: { status: string; protocol: string | null; sequence: number }[] = [];
    for (let i = 0; i < 400; i++) {
      events = (await t.request('GET', `/api/v1/fiscal-documents/${docId}`, { auth: LOJA11 })).body.events;
      if (events[0]?.status !== 'sending') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(events).toEqual([expect.objectContaining({ status: 'registered', sequence: 1 })]);
    expect(events[0]!.protocol).toMatch(/^[0-9]{15}$/);
    expect(sefaz.calls.registerEvent - before).toBe(2);
    const next = await correct(docId, 'Segunda correção depois da recuperada');
    expect(next.body.events.map((e: { sequence: number }) => e.sequence)).toEqual([1, 2]);
  }, 20_000);

  it('refuses a letter on a cancelled NF-e (409) and on an unknown document (404)', async () => {
    const { docId } = await authorisedNfe();
    const cancel = await t.request('POST', `/api/v1/fiscal-documents/${docId}/cancel`, {
      auth: LOJA11,
      body: { justification: 'Cliente desistiu da compra no mesmo dia' },
    });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const res = await correct(docId, 'Correção depois do cancelamento');
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('FISCAL.NOT_AUTHORISED');
    expect(
      (await correct('00000000-0000-4000-8000-000000000000', 'Correção de um documento inexistente')).status,
    ).toBe(404);
  });
});
