import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned, nfeOf } from '../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, CPF, createOrder, LOJA8, LOJA11, POS11 } from '../../test/order-fixtures.ts';
import { textOf } from '../../test/pdf.ts';
import { formatAccessKey } from '../fiscal/printing/index.ts';

/** The counter's side of the pickup walkthrough (seeds 000 §3.5, §4.1) through the POS key, on each database. */
describe.each(databaseKinds())('the POS at the counter on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    // No scan conference in these tests: the bare picking → ready_for_pickup stays allowed (TP_CONF_ACEITE_PED 1).
    const put = await t.request('PUT', '/api/v1/nodes/DEMO/parameters/TP_CONF_ACEITE_PED', {
      auth: ADMIN,
      body: { value: '1' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }, 60_000);
  afterAll(() => t?.close());

  const pos = (method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>) =>
    t.request(method, `/api/v1/pos${url}`, { auth: POS11, body, headers });

  async function move(id: string, to: string, auth = LOJA11) {
    const res = await t.request('POST', `/api/v1/orders/${id}/transitions`, { auth, body: { to } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  const pickupAt = (storeCode: string) =>
    createOrder(t, {
      deliveryType: 'pickup',
      storeCode,
      lines: storeCode === '11' ? [['CAL-002', 1, '199.90']] : [['CAM-001', 1, '59.90']],
    });

  /** A pickup order of the store, accepted, picked and ready at the counter. */
  async function readyOrder(storeCode = '11', auth = LOJA11, created?: { id: string; number: number }) {
    const order = created ?? (await pickupAt(storeCode));
    const accepted = await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await move(order.id, 'picking', auth);
    await move(order.id, 'ready_for_pickup', auth);
    return order as { id: string; number: number };
  }

  const orderOf = async (id: string) =>
    (await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 })).body;
  const documentsOf = async (id: string) =>
    (await t.request('GET', `/api/v1/orders/${id}/fiscal-documents`, { auth: LOJA11 })).body.items;

  it('pickup walkthrough: pending → downloaded ("Confirmado loja") → look-up → rescue → finish with CPF → receipt', async () => {
    const before = (await pos('GET', '/pending-orders')).body.count;
    const order = await readyOrder();

    // Confirmed by the store, not yet at the POS: "Pedido recebido".
    const queued = async () =>
      (
        await t.request('GET', `/api/v1/orders?status=ready_for_pickup&number=${order.number}&storeCode=11`, {
          auth: LOJA11,
        })
      ).body.items[0];
    expect((await queued()).posDownloadedAt).toBeNull();

    const pending = await pos('GET', '/pending-orders');
    expect(pending.status, JSON.stringify(pending.body)).toBe(200);
    expect(pending.body.count).toBe(before + 1);
    expect(pending.body).toMatchObject({ online: true, notice: null });
    const listed = pending.body.orders.find((o: { id: string }) => o.id === order.id);
    expect(listed).toMatchObject({
      number: order.number,
      customerName: 'Maria Silva',
      itemsSummary: expect.stringContaining('1× '),
      units: 1,
      total: '199.90',
    });
    expect(Date.parse(listed.readyAt)).toBeGreaterThan(0);

    // Downloaded: the queue says so, the history notes it once, however often the POS polls.
    expect((await queued()).posDownloadedAt).toBe(listed.downloadedAt);
    await pos('GET', '/pending-orders');
    const detail = await orderOf(order.id);
    expect(detail.posDownloadedAt).toBe(listed.downloadedAt);
    const notes = detail.history.filter((h: { from: string; to: string }) => h.from === h.to);
    expect(notes).toEqual([
      expect.objectContaining({
        from: 'ready_for_pickup',
        to: 'ready_for_pickup',
        channel: 'pos',
        reason: 'Pedido baixado pelo PDV (Confirmado loja)',
      }),
    ]);
    expect(detail.status).toBe('ready_for_pickup');

    const found = await pos('GET', `/orders?number=${order.number}`);
    expect(found.status).toBe(200);
    expect(found.body.order).toMatchObject({ id: order.id, status: 'ready_for_pickup', storeCode: '11' });
    expect(found.body.order.items).toHaveLength(1);
    expect(found.body.order.payments).toHaveLength(1);
    expect(found.body.order.customer.name).toBe('Maria Silva');
    expect(found.body).toMatchObject({ actions: ['rescue'], fiscalDocument: null });

    const rescued = await pos('POST', `/orders/${order.number}/rescue`);
    expect(rescued.status, JSON.stringify(rescued.body)).toBe(200);
    expect(rescued.body.order.status).toBe('invoicing');
    expect(rescued.body.actions).toEqual(['finish', 'release']);
    expect((await pos('GET', '/pending-orders')).body.count).toBe(before);

    const finished = await pos('POST', `/orders/${order.number}/finish`, { customerDocument: CPF });
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    expect(finished.body.order.status).toBe('invoiced');
    expect(finished.body.actions).toEqual(['handover']);
    expect(finished.body.fiscalDocument).toMatchObject({ status: 'authorised' });

    const doc = (
      await t.request('GET', `/api/v1/fiscal-documents/${finished.body.fiscalDocument.id}`, { auth: LOJA11 })
    ).body;
    expect(doc).toMatchObject({ model: 65, status: 'authorised', signatureValid: true });
    expect(doc.xml).toContain('<mod>65</mod>');
    expect(doc.xml).toMatch(/<dest><CPF>52998224725<\/CPF>/);
    expect(doc.xml).toContain('<qrCode>');
    await expectValidSigned(nfeOf(doc.xml), 'infNFe', 'nfe');

    // The POS prints its receipt with its own key.
    const pdf = await t.app.inject({
      method: 'GET',
      url: `/api/v1/fiscal-documents/${doc.id}/danfe.pdf`,
      headers: { authorization: `Bearer ${POS11}` },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await textOf(pdf.rawPayload)).toContain(formatAccessKey(doc.accessKey));

    const history = (await orderOf(order.id)).history.map((h: { to: string; channel: string }) => [
      h.to,
      h.channel,
    ]);
    expect(history.slice(-3)).toEqual([
      ['ready_for_pickup', 'pos'],
      ['invoicing', 'pos'],
      ['invoiced', 'system'],
    ]);
    const after = await pos('GET', `/orders?number=${order.number}`);
    expect(after.body.fiscalDocument).toEqual(finished.body.fiscalDocument);
  });

  it('finishes without a CPF (no dest) and refuses an invalid one with 422 naming /customerDocument', async () => {
    const order = await readyOrder();
    expect((await pos('POST', `/orders/${order.number}/rescue`)).status).toBe(200);
    const invalid = await pos('POST', `/orders/${order.number}/finish`, {
      customerDocument: '123.456.789-00',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe('POS.CUSTOMER_DOCUMENT_INVALID');
    expect(invalid.body.errors).toEqual([expect.objectContaining({ path: '/customerDocument' })]);
    expect(await documentsOf(order.id)).toEqual([]);
    expect((await orderOf(order.id)).status).toBe('invoicing');

    const finished = await pos('POST', `/orders/${order.number}/finish`, { customerDocument: '' });
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    const [doc] = await documentsOf(order.id);
    expect(doc).toMatchObject({ model: 65, status: 'authorised' });
    expect(doc.xml).not.toContain('<dest>');
  });

  it('answers 409 with the next POS actions: finish before rescue, rescue twice, finish twice, release after finish', async () => {
    const order = await readyOrder();
    const early = await pos('POST', `/orders/${order.number}/finish`, {});
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      code: 'POS.ACTION_NOT_ALLOWED',
      currentStatus: 'ready_for_pickup',
      allowed: ['rescue'],
    });
    expect((await pos('POST', `/orders/${order.number}/release`, { reason: 'desistiu' })).body).toMatchObject(
      { code: 'POS.ACTION_NOT_ALLOWED', allowed: ['rescue'] },
    );

    expect((await pos('POST', `/orders/${order.number}/rescue`)).status).toBe(200);
    const twice = await pos('POST', `/orders/${order.number}/rescue`);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({
      code: 'POS.ACTION_NOT_ALLOWED',
      currentStatus: 'invoicing',
      allowed: ['finish', 'release'],
    });

    expect((await pos('POST', `/orders/${order.number}/finish`)).status).toBe(200);
    const again = await pos('POST', `/orders/${order.number}/finish`, { customerDocument: CPF });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'POS.ACTION_NOT_ALLOWED', allowed: ['handover'] });
    const late = await pos('POST', `/orders/${order.number}/release`, { reason: 'desistiu' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ currentStatus: 'invoiced', allowed: ['handover'] });
    expect(await documentsOf(order.id)).toHaveLength(1);
    expect((await orderOf(order.id)).status).toBe('invoiced');
  });

  it('release gives a rescued order back with its reason, and refuses it without one', async () => {
    const order = await readyOrder();
    expect((await pos('POST', `/orders/${order.number}/rescue`)).status).toBe(200);
    for (const body of [{}, { reason: '' }, { reason: '   ' }]) {
      const refused = await pos('POST', `/orders/${order.number}/release`, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(refused.body.errors.map((e: { path: string }) => e.path)).toContain('/reason');
    }
    expect((await orderOf(order.id)).status).toBe('invoicing');

    const released = await pos('POST', `/orders/${order.number}/release`, {
      reason: 'Cliente desistiu no caixa',
    });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body.order.status).toBe('ready_for_pickup');
    expect(released.body.actions).toEqual(['rescue']);
    expect(released.body.order.history.at(-1)).toMatchObject({
      from: 'invoicing',
      to: 'ready_for_pickup',
      channel: 'pos',
      reason: 'Cliente desistiu no caixa',
    });
    const listed = (await pos('GET', '/pending-orders')).body.orders.map((o: { id: string }) => o.id);
    expect(listed).toContain(order.id);
  });

  it('a POS of store 11 sees and touches nothing of store 8 (404)', async () => {
    // Numbers are per store: take a store 8 number that store 11 has not given (yet).
    let created = await pickupAt('8');
    const atStore11 = async (n: number) =>
      (await t.request('GET', `/api/v1/orders?number=${n}&storeCode=11&from=2000-01-01`, { auth: ADMIN }))
        .body.items.length > 0;
    while (await atStore11(created.number)) created = await pickupAt('8');
    const foreign = await readyOrder('8', LOJA8, created);
    const listed = (await pos('GET', '/pending-orders')).body.orders.map((o: { id: string }) => o.id);
    expect(listed).not.toContain(foreign.id);
    for (const [method, url, body] of [
      ['GET', `/orders?number=${foreign.number}`, undefined],
      ['POST', `/orders/${foreign.number}/rescue`, undefined],
      ['POST', `/orders/${foreign.number}/finish`, {}],
      ['POST', `/orders/${foreign.number}/release`, { reason: 'x' }],
    ] as const) {
      const res = await pos(method, url, body);
      expect(`${res.status} ${res.body.code}`, url).toBe('404 POS.ORDER_NOT_FOUND');
    }
    expect((await t.request('GET', `/api/v1/orders/${foreign.id}`, { auth: LOJA8 })).body.status).toBe(
      'ready_for_pickup',
    );
    expect((await pos('GET', '/orders?number=999999')).status).toBe(404);
  });

  it('replays the first answer of a retried rescue or finish (same Idempotency-Key)', async () => {
    const order = await readyOrder();
    const key = { 'idempotency-key': `rescue-${order.id}` };
    const first = await pos('POST', `/orders/${order.number}/rescue`, undefined, key);
    const retry = await pos('POST', `/orders/${order.number}/rescue`, undefined, key);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);

    const finishKey = { 'idempotency-key': `finish-${order.id}` };
    const finished = await pos(
      'POST',
      `/orders/${order.number}/finish`,
      { customerDocument: CPF },
      finishKey,
    );
    const replay = await pos('POST', `/orders/${order.number}/finish`, { customerDocument: CPF }, finishKey);
    expect(finished.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(finished.body);
    expect(await documentsOf(order.id)).toHaveLength(1);
  });

  it('reads its own store’s POS parameters (GET /pos/setup and /nodes/11/parameters) and nothing else', async () => {
    const setup = await pos('GET', '/setup');
    expect(setup.status).toBe(200);
    expect(setup.body).toMatchObject({
      store: { code: '11' },
      participates: true,
      online: true,
      serviceUrl: expect.stringMatching(/^https?:\/\//),
      pendingOrdersUrl: expect.stringMatching(/^https?:\/\//),
    });

    const all = await t.request('GET', '/api/v1/nodes/11/parameters', { auth: POS11 });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.items.map((p: { code: string }) => p.code).sort()).toEqual([
      '9242',
      '9253',
      '9254',
      '9285',
    ]);
    // 9242 is private at the network, but the POS is configured with it.
    expect(all.body.items.find((p: { code: string }) => p.code === '9242')).toMatchObject({ hidden: false });
    const one = await t.request('GET', '/api/v1/nodes/11/parameters/9285', { auth: POS11 });
    expect(one.body).toMatchObject({ code: '9285', value: true });
    const other = await t.request('GET', '/api/v1/nodes/11/parameters/9258', { auth: POS11 });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('PARAMETER.NOT_FOR_POS');
    for (const url of [
      '/api/v1/nodes/8/parameters',
      '/api/v1/nodes/8/parameters/9253',
      '/api/v1/nodes/SUL/parameters',
    ])
      expect((await t.request('GET', url, { auth: POS11 })).status, url).toBe(404);
    expect(
      (await t.request('PUT', '/api/v1/nodes/11/parameters/9285', { auth: POS11, body: { value: false } }))
        .status,
    ).toBe(403);
  });

  it('follows 9285 (online look-up off: empty list, look-up by number still works) and 9253 (not omni: 409)', async () => {
    const order = await readyOrder();
    const set = async (code: string, value: boolean) =>
      expect(
        (await t.request('PUT', `/api/v1/nodes/11/parameters/${code}`, { auth: ADMIN, body: { value } }))
          .status,
      ).toBe(200);
    try {
      await set('9285', false);
      const offline = await pos('GET', '/pending-orders');
      expect(offline.body).toMatchObject({
        count: 0,
        orders: [],
        online: false,
        notice: { code: 'POS.OFFLINE_LOOKUP' },
      });
      expect((await orderOf(order.id)).posDownloadedAt).toBeNull();
      expect((await pos('GET', `/orders?number=${order.number}`)).body.actions).toEqual(['rescue']);
      expect((await pos('GET', '/setup')).body.online).toBe(false);
      await set('9285', true);

      await set('9253', false);
      const out = await pos('GET', '/pending-orders');
      expect(out.body).toMatchObject({ count: 0, orders: [], notice: { code: 'POS.STORE_NOT_OMNI' } });
      const rescue = await pos('POST', `/orders/${order.number}/rescue`);
      expect(rescue.status).toBe(409);
      expect(rescue.body.code).toBe('POS.STORE_NOT_OMNI');
      expect((await orderOf(order.id)).status).toBe('ready_for_pickup');
    } finally {
      await set('9285', true);
      await set('9253', true);
    }
  });

  it('streams the pending count live to the POS of the store (GET /pos/events)', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/pos/events`, {
      headers: { authorization: `Bearer ${POS11}` },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events: { event: string; data: any }[] = [];
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
          }
        }
      } catch {
        // hung up
      }
    })();
    const waitFor = async (pred: (e: { event: string; data: any }) => boolean) => {
      for (let i = 0; i < 200 && !events.some(pred); i++) await new Promise((r) => setTimeout(r, 25));
      const found = events.find(pred);
      if (!found) throw new Error(`no such event in ${JSON.stringify(events)}`);
      return found;
    };
    try {
      const first = await waitFor((e) => e.event === 'pending');
      const count = first.data.count as number;
      expect(count).toBe((await pos('GET', '/pending-orders')).body.count);
      const order = await readyOrder();
      await waitFor(
        (e) => e.event === 'order' && e.data.orderId === order.id && e.data.status === 'ready_for_pickup',
      );
      await waitFor((e) => e.event === 'pending' && e.data.count === count + 1);
      // Store 8's orders are not this counter's business.
      const foreign = await readyOrder('8', LOJA8);
      await new Promise((r) => setTimeout(r, 200));
      expect(events.some((e) => e.data.orderId === foreign.id)).toBe(false);
    } finally {
      abort.abort();
    }
    const platform = await fetch(`${base}/api/v1/pos/events`, {
      headers: { authorization: `Bearer ${await t.token(LOJA11)}` },
    });
    expect(platform.status).toBe(403);
  });
});
