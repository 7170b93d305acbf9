import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nfeOf } from '../../test/fiscal-tools.ts';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import {
  ADMIN,
  address,
  confer,
  createOrder,
  LOJA8,
  LOJA11,
  orderBody,
  PLATFORM,
} from '../../test/order-fixtures.ts';

/** Issue 15 §6 and the queue's side of §1: batch invoicing, the salesperson, notes, the unknown-city flag. */
describe.each(databaseKinds())('batch invoicing, salesperson, notes and the queue flag on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 60_000);
  afterAll(() => t?.close());

  async function pickingShipOrder(opts: { storeCode?: string; auth?: string; conferred?: boolean } = {}) {
    const auth = opts.auth ?? LOJA11;
    const order = await createOrder(t, {
      deliveryType: 'ship',
      storeCode: opts.storeCode,
      lines: opts.storeCode === '8' ? [['CAM-001', 1, '99.90']] : undefined,
    });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth,
      body: { to: 'picking' },
    });
    expect(picking.status, JSON.stringify(picking.body)).toBe(200);
    if (opts.conferred !== false) await confer(t, order.id, auth);
    return order as { id: string; number: number };
  }

  async function finished(jobId: string, auth = LOJA11) {
    for (let i = 0; i < 400; i++) {
      const job = await t.request('GET', `/api/v1/jobs/${jobId}`, { auth });
      expect(job.status).toBe(200);
      if (job.body.status === 'done' || job.body.status === 'failed') return job.body;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`job ${jobId} did not finish`);
  }

  async function statusOf(id: string) {
    for (let i = 0; i < 200; i++) {
      const res = await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 });
      if (res.body.status !== 'invoicing') return res.body;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`order ${id} stayed invoicing`);
  }

  const setMode = (value: string | null) =>
    value === null
      ? t.request('DELETE', '/api/v1/nodes/11/parameters/TP_DADO_ADIC_BX_PED_ECOMM', { auth: ADMIN })
      : t.request('PUT', '/api/v1/nodes/11/parameters/TP_DADO_ADIC_BX_PED_ECOMM', {
          auth: ADMIN,
          body: { value },
        });

  it('invoices a mixed selection: each order its own result, the others never stopped, nothing leaked', async () => {
    const first = await pickingShipOrder();
    const second = await pickingShipOrder();
    const unconferred = await pickingShipOrder({ conferred: false });
    const elsewhere = await pickingShipOrder({ storeCode: '8', auth: LOJA8 });
    const unknown = randomUUID();
    const ids = [first.id, unconferred.id, elsewhere.id, unknown, second.id, first.id];

    const res = await t.request('POST', '/api/v1/orders/invoice-batch', { auth: LOJA11, body: { ids } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.total).toBe(5);
    const job = await finished(res.body.jobId);
    expect(job.status).toBe('done');
    expect(job.progress).toMatchObject({ done: 5, total: 5, percent: 100 });
    const items = job.result.items as { id: string; number: number | null; outcome: string; code?: string }[];
    expect(items.map((i) => i.id)).toEqual([first.id, unconferred.id, elsewhere.id, unknown, second.id]);
    const byId = new Map(items.map((i) => [i.id, i]));
    for (const ok of [first, second]) {
      expect(['invoiced', 'pending']).toContain(byId.get(ok.id)!.outcome);
      expect(byId.get(ok.id)).toMatchObject({ number: ok.number, fiscalDocumentId: expect.any(String) });
      expect((await statusOf(ok.id)).status).toBe('invoiced');
    }
    expect(byId.get(unconferred.id)).toMatchObject({
      number: unconferred.number,
      outcome: 'refused',
      code: 'ORDER.TRANSITION_NOT_ALLOWED',
    });
    // Another store's order and an unknown id are the same answer: not found, no number.
    for (const hidden of [elsewhere.id, unknown])
      expect(byId.get(hidden)).toMatchObject({ number: null, outcome: 'refused', code: 'ORDER.NOT_FOUND' });
    expect(job.result.counts).toEqual({
      invoiced: items.filter((i) => i.outcome === 'invoiced').length,
      pending: items.filter((i) => i.outcome === 'pending').length,
      refused: 3,
    });
    const stillPicking = await t.request('GET', `/api/v1/orders/${unconferred.id}`, { auth: LOJA11 });
    expect(stillPicking.body.status).toBe('picking');
    const untouched = await t.request('GET', `/api/v1/orders/${elsewhere.id}`, { auth: LOJA8 });
    expect(untouched.body.status).toBe('picking');
    // The job is the store's: another store does not see it.
    expect((await t.request('GET', `/api/v1/jobs/${res.body.jobId}`, { auth: LOJA8 })).status).toBe(404);
  });

  it('refuses an empty, oversized or malformed selection with 422, nothing queued', async () => {
    for (const ids of [[], Array.from({ length: 101 }, () => randomUUID()), ['not-an-id']]) {
      const res = await t.request('POST', '/api/v1/orders/invoice-batch', { auth: LOJA11, body: { ids } });
      expect(res.status, JSON.stringify(ids.length)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const platform = await t.request('POST', '/api/v1/orders/invoice-batch', {
      auth: PLATFORM,
      body: { ids: [randomUUID()] },
    });
    expect(platform.status).toBe(403);
  });

  it('asks for the salesperson as TP_DADO_ADIC_BX_PED_ECOMM says: 0 not asked, 1 optional, 2 required', async () => {
    const order = await pickingShipOrder();
    const none = await t.request('GET', `/api/v1/orders/${order.id}/salespeople`, { auth: LOJA11 });
    expect(none.body).toEqual({ mode: 'none', items: [] });

    expect((await setMode('2')).status).toBe(200);
    try {
      const choice = await t.request('GET', `/api/v1/orders/${order.id}/salespeople`, { auth: LOJA11 });
      expect(choice.body.mode).toBe('required');
      const seller = (choice.body.items as { id: string; name: string }[])[0]!;
      expect(seller).toMatchObject({ id: expect.any(String), name: expect.any(String) });

      const missing = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
      expect(missing.status).toBe(422);
      expect(missing.body.code).toBe('ORDER.SALESPERSON_REQUIRED');
      expect(missing.body.errors).toEqual([expect.objectContaining({ path: '/salespersonId' })]);
      // Another store's user is no salesperson of this one.
      const other = await t.request('GET', '/api/v1/users?nodeCode=8', { auth: ADMIN });
      const stranger = (other.body.items as { id: string }[])[0]!.id;
      const unknown = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, {
        auth: LOJA11,
        body: { salespersonId: stranger },
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.code).toBe('ORDER.SALESPERSON_UNKNOWN');
      expect((await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 })).body.status).toBe(
        'picking',
      );

      const done = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, {
        auth: LOJA11,
        body: { salespersonId: seller.id },
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.order.salesperson).toEqual(seller);
      expect(done.body.order.history.map((h: { reason: string | null }) => h.reason)).toContain(
        `Vendedor: ${seller.name}`,
      );
      const doc = await t.request('GET', `/api/v1/fiscal-documents/${done.body.fiscalDocument.id}`, {
        auth: LOJA11,
      });
      expect(nfeOf(doc.body.xml)).toContain(`Vendedor: ${seller.name}`);

      // The batch takes one salesperson for all; without it, each order is refused as the single call is.
      const a = await pickingShipOrder();
      const b = await pickingShipOrder();
      const bare = await t.request('POST', '/api/v1/orders/invoice-batch', {
        auth: LOJA11,
        body: { ids: [a.id] },
      });
      const refused = await finished(bare.body.jobId);
      expect(refused.result.items[0]).toMatchObject({
        outcome: 'refused',
        code: 'ORDER.SALESPERSON_REQUIRED',
      });
      const named = await t.request('POST', '/api/v1/orders/invoice-batch', {
        auth: LOJA11,
        body: { ids: [a.id, b.id], salespersonId: seller.id },
      });
      const job = await finished(named.body.jobId);
      expect(job.result.counts.refused).toBe(0);
      for (const id of [a.id, b.id]) expect((await statusOf(id)).salesperson).toEqual(seller);

      expect((await setMode('1')).status).toBe(200);
      const optional = await pickingShipOrder();
      const without = await t.request('POST', `/api/v1/orders/${optional.id}/invoice`, { auth: LOJA11 });
      expect(without.status, JSON.stringify(without.body)).toBe(200);
      expect(without.body.order.salesperson).toBeNull();
    } finally {
      await setMode(null);
    }
  });

  it('keeps notes append-only, trimmed, newest first, for those who see the order', async () => {
    const order = await createOrder(t);
    const empty = await t.request('GET', `/api/v1/orders/${order.id}/notes`, { auth: LOJA11 });
    expect(empty.body).toEqual({ items: [], nextCursor: null });

    for (const text of ['   ', 'x'.repeat(2001)]) {
      const bad = await t.request('POST', `/api/v1/orders/${order.id}/notes`, {
        auth: LOJA11,
        body: { text },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0]).toMatchObject({ path: '/text' });
    }
    const first = await t.request('POST', `/api/v1/orders/${order.id}/notes`, {
      auth: LOJA11,
      body: { text: '  Cliente pediu embalagem para presente  ' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      text: 'Cliente pediu embalagem para presente',
      author: { id: expect.any(String), name: expect.any(String) },
    });
    const second = await t.request('POST', `/api/v1/orders/${order.id}/notes`, {
      auth: ADMIN,
      body: { text: 'Ligar antes de entregar' },
    });
    expect(second.status).toBe(201);
    const third = await t.request('POST', `/api/v1/orders/${order.id}/notes`, {
      auth: LOJA11,
      body: { text: 'é'.repeat(2000) },
    });
    expect(third.status).toBe(201);

    const page = await t.request('GET', `/api/v1/orders/${order.id}/notes?limit=2`, { auth: LOJA11 });
    expect(page.body.items.map((n: { id: string }) => n.id)).toEqual([third.body.id, second.body.id]);
    const rest = await t.request(
      'GET',
      `/api/v1/orders/${order.id}/notes?limit=2&cursor=${page.body.nextCursor}`,
      { auth: LOJA11 },
    );
    expect(rest.body).toEqual({ items: [first.body], nextCursor: null });
    expect((await t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 })).body.notesCount).toBe(3);

    // Another store's user neither reads nor writes them; nobody edits or deletes one.
    expect((await t.request('GET', `/api/v1/orders/${order.id}/notes`, { auth: LOJA8 })).status).toBe(404);
    const foreign = await t.request('POST', `/api/v1/orders/${order.id}/notes`, {
      auth: LOJA8,
      body: { text: 'intrusa' },
    });
    expect(foreign.status).toBe(404);
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const)
      expect(
        (await t.request(method, `/api/v1/orders/${order.id}/notes/${first.body.id}`, { auth: ADMIN }))
          .status,
      ).toBe(404);
  });

  it('flags a ship order whose city has no IBGE code in the queue, and filters them', async () => {
    const body = orderBody({ deliveryType: 'ship' });
    const { cityCode: _code, ...noCode } = address;
    body.customer = { ...body.customer, address: { ...noCode, city: 'Vila Que Não Existe' } } as never;
    const flagged = await t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(flagged.status).toBe(201);
    const fine = await createOrder(t, { deliveryType: 'ship' });
    const pickup = await createOrder(t);

    const queue = await t.request('GET', '/api/v1/orders?status=open&limit=200', { auth: LOJA11 });
    const flagOf = (id: string) =>
      (queue.body.items as { id: string; addressIssue: string | null }[]).find((i) => i.id === id)
        ?.addressIssue;
    expect(flagOf(flagged.body.id)).toBe('city_unresolved');
    expect(flagOf(fine.id)).toBeNull();
    expect(flagOf(pickup.id)).toBeNull();

    const only = await t.request('GET', '/api/v1/orders?addressIssue=city_unresolved&limit=200', {
      auth: LOJA11,
    });
    expect(only.status).toBe(200);
    const ids = (only.body.items as { id: string; addressIssue: string }[]).map((i) => i.id);
    expect(ids).toContain(flagged.body.id);
    expect(ids).not.toContain(fine.id);
    expect(new Set(only.body.items.map((i: { addressIssue: string }) => i.addressIssue))).toEqual(
      new Set(['city_unresolved']),
    );

    // Corrected, the flag is gone.
    const fixed = await t.request('PUT', `/api/v1/orders/${flagged.body.id}/delivery-address`, {
      auth: LOJA11,
      body: { ...noCode, city: 'Campinas' },
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    const after = await t.request('GET', '/api/v1/orders?addressIssue=city_unresolved&limit=200', {
      auth: LOJA11,
    });
    expect(after.body.items.map((i: { id: string }) => i.id)).not.toContain(flagged.body.id);
  });
});
