import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { ADMIN, confer, createOrder, LOJA11, PLATFORM } from '../../test/order-fixtures.ts';
import {
  type Carrier,
  CarrierFault,
  type CarrierWebhook,
  type TrackingEvent,
  type TrackingStatus,
} from '../delivery/service.ts';
import { rows, sql } from '../platform/db/sql.ts';
import * as orders from './service.ts';

/** TRANSLOCAL has a carrier account on the demo network (beforeAll): its events move its orders. */
const REPORTING = 'TRANSLOCAL';
const SECRET = 'segredo-do-webhook';
const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('base64');

/** The carrier's events as the fake gateway's webhook sends them. */
interface WireEvent {
  code: string;
  id: string;
  status: TrackingStatus;
  text: string;
  at: string;
  where?: string;
}
const toEvent = (e: WireEvent): TrackingEvent => ({
  trackingCode: e.code,
  eventId: e.id,
  status: e.status,
  carrierCode: e.status.toUpperCase(),
  description: e.text,
  at: new Date(e.at),
  location: e.where,
});

/** A gateway's webhook: HMAC-SHA256 of the raw body in `x-signature`, a JSON array of events. */
const fakeWebhook: CarrierWebhook = {
  verify: (headers, raw) =>
    headers['x-signature'] === createHmac('sha256', SECRET).update(raw).digest('base64'),
  parse: (raw) => {
    const body = JSON.parse(raw.toString('utf8')) as WireEvent[];
    if (!Array.isArray(body)) throw new Error('expected an array of events');
    return body.map(toEvent);
  },
};

/** What the fake carrier answers, per test. */
const carrier = {
  refuse: new Set<string>(),
  faultsLeft: 0,
  labelsNotReady: 1,
  created: [] as string[],
  track: [] as TrackingEvent[],
  tracked: [] as string[],
  /** The gateway assigns the object's code only after the shipment exists (Melhor Envio's `tracking: null`). */
  lateCode: false,
  /** The service each created shipment asked for. */
  services: [] as string[],
};

const fakeCarrier: Carrier = {
  adapter: 'melhor_envio',
  // Two services: the order names none, so the job takes the cheaper one.
  quote: async () => [
    { service: '2', serviceName: 'Correios SEDEX', price: '31.90', days: 2 },
    { service: '1', serviceName: 'Correios PAC', price: '18.36', days: 6 },
  ],
  async createShipment(request) {
    carrier.services.push(request.service);
    if (carrier.faultsLeft > 0) {
      carrier.faultsLeft--;
      throw new CarrierFault('unreachable', 'createShipment', 'connect ECONNREFUSED 127.0.0.1:9');
    }
    if (carrier.refuse.has(request.reference))
      return { refused: true, code: '422', message: 'CEP de destino não atendido' };
    carrier.created.push(request.reference);
    expect(request.sender.document).toMatch(/^\d{14}$/);
    expect(request.recipient.postalCode).toBe('01304001');
    expect(request.invoice?.accessKey).toMatch(/^\d{44}$/);
    expect(request.parcels[0]!.weightGrams).toBeGreaterThan(0);
    return {
      carrierShipmentId: `ME-${request.orderNumber}`,
      trackingCode: carrier.lateCode ? null : `tl${request.orderNumber}br`,
      trackingUrl: null,
    };
  },
  async label() {
    if (carrier.labelsNotReady-- > 0) return { ready: false, retryAfterMs: 20 };
    return { ready: true, pdf: Buffer.from('%PDF-1.4 etiqueta') };
  },
  async track(shipments) {
    carrier.tracked.push(...shipments.map((s) => s.trackingCode));
    const codes = new Set(shipments.map((s) => s.trackingCode));
    const ids = new Set(shipments.map((s) => s.carrierShipmentId));
    return carrier.track.filter(
      (e) => codes.has(e.trackingCode) || (e.carrierShipmentId && ids.has(e.carrierShipmentId)),
    );
  },
  cancel: async () => ({ cancelled: true }),
};

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(databaseKinds())('carrier tracking on the %s database', (kind) => {
  let t: TestApp;
  let networkId: string;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      carrierFor: async (_store, code) => (code === REPORTING ? fakeCarrier : null),
      carrierWebhookFor: async (code) => (code === REPORTING ? [{ webhook: fakeWebhook, networkId }] : []),
    });
    const [demo] = await rows<{ network_id: string }>(
      t.database.db,
      sql`select network_id from nodes where code = 'DEMO'`,
    );
    networkId = demo!.network_id;
    await t.database.db.execute(
      sql`insert into carrier_accounts (id, node_id, carrier_code, adapter, sealed_credentials)
          select gen_random_uuid(), id, ${REPORTING}, 'melhor_envio', 'sealed' from nodes where code = 'DEMO'`,
    );
    const restock = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: ADMIN,
      body: { storeCode: '11', sku: 'CAM-002', quantity: 500, reason: 'Estoque para os testes' },
    });
    expect(restock.status).toBe(201);
  }, 60_000);
  afterAll(() => t?.close());

  const view = async (id: string) => (await t.request('GET', `/api/v1/orders/${id}`, { auth: LOJA11 })).body;

  async function invoicedOrder(carrierCode: string | null) {
    const order = await createOrder(t, {
      deliveryType: 'ship',
      lines: [['CAM-002', 1, '59.90']],
      ...(carrierCode ? { carrier: carrierCode } : {}),
    });
    expect((await t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(200);
    const picking = await t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status).toBe(200);
    await confer(t, order.id);
    const invoiced = await t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(invoiced.status, JSON.stringify(invoiced.body)).toBe(200);
    expect(invoiced.body.order.status).toBe('invoiced');
    return order as { id: string; number: number };
  }

  const move = (id: string, to: string) =>
    t.request('POST', `/api/v1/orders/${id}/transitions`, { auth: LOJA11, body: { to } });

  const statusWebhooks = async (id: string) =>
    (await t.request('GET', `/api/v1/orders/${id}/webhook-deliveries`, { auth: ADMIN })).body.items
      .filter((d: any) => d.payload.event === 'order.status_changed')
      .map((d: any) => d.payload.status);

  const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 12, minute)).toISOString();

  it('lets the store move by hand the orders no carrier reports: own fleet, no account, no carrier', async () => {
    for (const code of ['PROPRIA', 'SEMCONTA', null]) {
      const order = await invoicedOrder(code);
      expect((await view(order.id)).allowedTransitions, String(code)).toContain('in_transit');
      expect((await move(order.id, 'in_transit')).status).toBe(200);
      const delivered = await move(order.id, 'delivered');
      expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
      expect(delivered.body.status).toBe('delivered');
    }
    const reporting = await invoicedOrder(REPORTING);
    expect((await view(reporting.id)).allowedTransitions).not.toContain('in_transit');
    const refused = await move(reporting.id, 'in_transit');
    expect(refused.status).toBe(409);
  });

  it('records each event once, applies them in time order, never backwards, and keeps unknown codes', async () => {
    const order = await createOrder(t, { deliveryType: 'ship', lines: [['CAM-002', 1, '59.90']] });
    // Not invoiced yet: the events are kept on its timeline, the status stays.
    const put = await t.request('PUT', `/api/v1/orders/${order.id}/shipment`, {
      auth: PLATFORM,
      body: { carrier: REPORTING, trackingCode: 'TL-EARLY-1' },
    });
    expect(put.status).toBe(200);
    const early = await orders.applyTrackingEvents(t.database.db, {
      carrierCode: REPORTING,
      networkId,
      source: 'poll',
      events: [
        toEvent({ code: 'tl-early-1', id: 'e1', status: 'posted', text: 'Objeto postado', at: at(1) }),
      ],
    });
    expect(early).toEqual({ received: 1, applied: 1 });
    expect((await view(order.id)).status).toBe('open');

    const invoiced = await invoicedOrder(REPORTING);
    const code = `TL-${invoiced.number}-X`;
    await until(
      'the carrier shipment',
      () => view(invoiced.id),
      (v) => v.shipment?.source === 'carrier',
    );
    // The store corrects the tracking to another code of the same carrier.
    expect(
      (
        await t.request('PUT', `/api/v1/orders/${invoiced.id}/shipment`, {
          auth: LOJA11,
          body: { carrier: REPORTING, trackingCode: code },
        })
      ).status,
    ).toBe(200);
    const events = [
      toEvent({ code, id: 'd', status: 'delivered', text: 'Objeto entregue ao destinatário', at: at(30) }),
      toEvent({ code, id: 'p', status: 'posted', text: 'Objeto postado', at: at(10), where: 'São Paulo/SP' }),
      toEvent({ code: 'ZZ-NOBODY-1', id: 'u', status: 'in_transit', text: 'Em trânsito', at: at(11) }),
    ];
    const first = await orders.applyTrackingEvents(t.database.db, {
      carrierCode: REPORTING,
      networkId,
      source: 'poll',
      events,
    });
    expect(first).toEqual({ received: 3, applied: 2 });
    const after = await view(invoiced.id);
    expect(after.status).toBe('delivered');
    const moves = after.history.filter((h: any) => h.from !== h.to).slice(-2);
    expect(moves.map((h: any) => [h.from, h.to, h.actor.role, h.channel])).toEqual([
      ['invoiced', 'in_transit', 'system', 'system'],
      ['in_transit', 'delivered', 'system', 'system'],
    ]);
    expect(moves[0].reason).toBe(`${REPORTING}: Objeto postado (São Paulo/SP)`);
    expect(moves[1].reason).toBe(`${REPORTING}: Objeto entregue ao destinatário`);
    expect(after.trackingEvents.map((e: any) => [e.status, e.description])).toEqual([
      ['delivered', 'Objeto entregue ao destinatário'],
      ['posted', 'Objeto postado'],
    ]);

    // The same events again (a repeated poll): nothing new, nothing applied twice.
    const again = await orders.applyTrackingEvents(t.database.db, {
      carrierCode: REPORTING,
      networkId,
      source: 'webhook',
      events,
    });
    expect(again).toEqual({ received: 3, applied: 0 });
    // A late event of an earlier stage joins the timeline without moving the order back.
    const late = await orders.applyTrackingEvents(t.database.db, {
      carrierCode: REPORTING,
      networkId,
      source: 'poll',
      events: [toEvent({ code, id: 't', status: 'in_transit', text: 'Objeto em trânsito', at: at(20) })],
    });
    expect(late.applied).toBe(1);
    const final = await view(invoiced.id);
    expect(final.status).toBe('delivered');
    expect(final.history.length).toBe(after.history.length + 1);
    expect(final.history.at(-1)).toMatchObject({ from: 'delivered', to: 'delivered' });
    expect(final.trackingEvents).toHaveLength(3);
    expect(await statusWebhooks(invoiced.id)).toEqual([
      'accepted',
      'picking',
      'invoicing',
      'invoiced',
      'in_transit',
      'delivered',
    ]);

    const unknown = await rows<{ order_id: string | null; network_id: string }>(
      t.database.db,
      sql`select order_id, network_id from order_tracking_events where tracking_code = 'ZZ-NOBODY-1'`,
    );
    expect(unknown).toEqual([{ order_id: null, network_id: networkId }]);
  });

  it('takes the carrier’s signed webhook: 401 and nothing recorded on a bad signature, 400 on a malformed body', async () => {
    const order = await invoicedOrder(REPORTING);
    const shipped = await until(
      'the carrier shipment',
      () => view(order.id),
      (v) => Boolean(v.shipment?.trackingCode),
    );
    const code = shipped.shipment.trackingCode as string;
    const post = (body: string, signature = sign(body)) =>
      t.request('POST', `/api/v1/carrier-events/${REPORTING}`, {
        body,
        headers: { 'content-type': 'application/json', 'x-signature': signature },
      });
    const count = async () =>
      (
        await rows<{ n: number }>(t.database.db, sql`select count(*)::int as n from order_tracking_events`)
      )[0]!.n;
    const before = await count();

    const transit = JSON.stringify([
      {
        code,
        id: 'w1',
        status: 'in_transit',
        text: 'Objeto em trânsito\u0000',
        at: at(40),
        where: 'Curitiba/PR',
      },
    ]);
    const forged = await post(transit, sign('something else'));
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('CARRIER.SIGNATURE_INVALID');
    expect(forged.headers['content-type']).toContain('application/problem+json');
    expect((await post(transit, '')).status).toBe(401);
    expect((await t.request('POST', '/api/v1/carrier-events/OUTRA', { body: transit })).status).toBe(401);
    expect(await count()).toBe(before);
    expect((await view(order.id)).status).toBe('invoiced');

    const malformed = await post('{"code": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('CARRIER.EVENT_MALFORMED');
    const unknownStatus = await post(
      JSON.stringify([{ code, id: 'w0', status: 'lost_in_space', text: 'Extraviado', at: at(39) }]),
    );
    expect(unknownStatus.status).toBe(400);
    expect(await count()).toBe(before);

    const ok = await post(transit);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ received: 1, applied: 1 });
    expect((await view(order.id)).status).toBe('in_transit');
    const delivered = JSON.stringify([
      { code, id: 'w2', status: 'delivered', text: 'Objeto entregue ao destinatário', at: at(50) },
    ]);
    expect((await post(delivered)).body).toEqual({ received: 1, applied: 1 });
    expect((await post(delivered)).body).toEqual({ received: 1, applied: 0 });
    const done = await view(order.id);
    expect(done.status).toBe('delivered');
    expect(done.trackingEvents.map((e: any) => [e.source, e.description])).toEqual([
      ['webhook', 'Objeto entregue ao destinatário'],
      ['webhook', 'Objeto em trânsito'],
    ]);
    expect((await statusWebhooks(order.id)).slice(-2)).toEqual(['in_transit', 'delivered']);

    const tooLarge = await post(JSON.stringify([{ pad: 'x'.repeat(300 * 1024) }]));
    expect(tooLarge.status).toBe(413);
  });

  it('creates the carrier’s shipment after the NF-e, fetches its label once ready, and polls its events', async () => {
    carrier.labelsNotReady = 2;
    const order = await invoicedOrder(REPORTING);
    const labelled = await until(
      'the carrier label',
      () => view(order.id),
      (v) => v.shipment?.carrierLabel === true,
    );
    expect(labelled.shipment).toMatchObject({
      carrier: REPORTING,
      trackingCode: `TL${order.number}BR`,
      source: 'carrier',
    });
    expect(
      labelled.history.some((h: any) =>
        h.reason?.startsWith(`Envio criado na transportadora (ME-${order.number})`),
      ),
    ).toBe(true);
    const [stored] = await rows<{ carrier_label: string; carrier_shipment_id: string }>(
      t.database.db,
      sql`select carrier_label, carrier_shipment_id from order_shipments where order_id = ${order.id}`,
    );
    expect(Buffer.from(stored!.carrier_label, 'base64').toString()).toBe('%PDF-1.4 etiqueta');
    expect(stored!.carrier_shipment_id).toBe(`ME-${order.number}`);
    // The order names no service and no delivery experience does: the cheaper quote.
    expect(carrier.services.at(-1)).toBe('1');
    expect(labelled.carrierShipmentAvailable).toBe(false);

    carrier.track = [
      toEvent({
        code: `TL${order.number}BR`,
        id: 'poll-1',
        status: 'posted',
        text: 'Objeto postado',
        at: at(5),
      }),
    ];
    // A round waiting from another test's order is let through first. Two processes polling at once
    // (`--processes N` start their timers together) queue one round, not two.
    const rounds = await until(
      'no tracking round pending',
      () =>
        Promise.all([orders.enqueueTrackingPolls(t.database.db), orders.enqueueTrackingPolls(t.database.db)]),
      ([a, b]) => a + b > 0,
    );
    expect(Math.min(...rounds)).toBe(0);
    t.worker.wake();
    const moved = await until(
      'the polled event',
      () => view(order.id),
      (v) => v.status === 'in_transit',
    );
    expect(moved.trackingEvents[0]).toMatchObject({ source: 'poll', description: 'Objeto postado' });
    expect(carrier.tracked).toContain(`TL${order.number}BR`);
  });

  it('ships by the service the store’s delivery experience names for the carrier', async () => {
    carrier.labelsNotReady = 0;
    const experience = await t.request('POST', '/api/v1/delivery-experiences', {
      auth: ADMIN,
      body: {
        description: 'Envio Translocal expresso',
        type: 'ship',
        carrierCode: REPORTING,
        serviceCode: '2',
        storeCodes: ['11'],
      },
    });
    expect(experience.status, JSON.stringify(experience.body)).toBe(201);
    const order = await invoicedOrder(REPORTING);
    await until(
      'the carrier label',
      () => view(order.id),
      (v) => v.shipment?.carrierLabel === true,
    );
    expect(carrier.services.at(-1)).toBe('2');
    expect(
      (await t.request('DELETE', `/api/v1/delivery-experiences/${experience.body.code}`, { auth: ADMIN }))
        .status,
    ).toBe(204);
  });

  it('takes the code a gateway assigns after the shipment, from its next tracking poll', async () => {
    carrier.labelsNotReady = 0;
    carrier.lateCode = true;
    const order = await invoicedOrder(REPORTING);
    const created = await until(
      'the carrier shipment without a code',
      () => view(order.id),
      (v) => v.shipment?.carrierLabel === true,
    );
    expect(created.shipment.trackingCode).toBeNull();
    carrier.lateCode = false;
    carrier.track = [
      {
        ...toEvent({
          code: `LT${order.number}BR`,
          id: 'late-1',
          status: 'posted',
          text: 'Objeto postado',
          at: at(6),
        }),
        carrierShipmentId: `ME-${order.number}`,
      },
    ];
    await until(
      'no tracking round pending',
      () => orders.enqueueTrackingPolls(t.database.db),
      (n) => n > 0,
    );
    t.worker.wake();
    const moved = await until(
      'the late code and its event',
      () => view(order.id),
      (v) => v.status === 'in_transit',
    );
    expect(moved.shipment).toMatchObject({ trackingCode: `LT${order.number}BR`, source: 'carrier' });
    expect(moved.history.some((h: any) => h.reason?.startsWith('Código de rastreio atribuído'))).toBe(true);
  });

  it('records a carrier’s refusal on the order, retries its faults, and asks again from the order page', async () => {
    carrier.labelsNotReady = 0;
    const refusedOrder = await createOrder(t, {
      deliveryType: 'ship',
      carrier: REPORTING,
      lines: [['CAM-002', 1, '59.90']],
    });
    carrier.refuse.add(refusedOrder.id);
    expect(
      (await t.request('POST', `/api/v1/orders/${refusedOrder.id}/accept`, { auth: LOJA11 })).status,
    ).toBe(200);
    expect((await move(refusedOrder.id, 'picking')).status).toBe(200);
    await confer(t, refusedOrder.id);
    expect(
      (await t.request('POST', `/api/v1/orders/${refusedOrder.id}/invoice`, { auth: LOJA11 })).status,
    ).toBe(200);
    const refused = await until(
      'the refusal',
      () => view(refusedOrder.id),
      (v) => v.carrierProblem !== null,
    );
    expect(refused.status).toBe('invoiced');
    expect(refused.shipment).toBeNull();
    expect(refused.carrierProblem).toMatchObject({
      operation: 'create_shipment',
      message: '422: CEP de destino não atendido',
      final: true,
    });
    expect(refused.history.at(-1).reason).toBe(
      `${REPORTING} recusou o envio: CEP de destino não atendido (422)`,
    );
    expect(refused.carrierShipmentAvailable).toBe(true);

    // The store asks again once the carrier serves the CEP; the carrier is down at first and comes back.
    carrier.refuse.delete(refusedOrder.id);
    carrier.faultsLeft = 1;
    const again = await t.request('POST', `/api/v1/orders/${refusedOrder.id}/carrier-shipment`, {
      auth: LOJA11,
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.carrierShipmentAvailable).toBe(false);
    expect(again.body.history.at(-1).reason).toBe(`Envio solicitado à transportadora ${REPORTING}`);
    const faulted = await until(
      'the fault shown',
      () => view(refusedOrder.id),
      (v) => v.carrierProblem?.message?.includes('ECONNREFUSED') || Boolean(v.shipment),
    );
    if (!faulted.shipment) expect(faulted.carrierProblem).toMatchObject({ final: false, attempts: 1 });
    const created = await until(
      'the retried shipment',
      () => view(refusedOrder.id),
      (v) => Boolean(v.shipment?.trackingCode),
    );
    expect(created.status).toBe('invoiced');
    expect(created.carrierProblem).toBeNull();
    const [job] = await rows<{ attempts: number; status: string }>(
      t.database.db,
      sql`select attempts, status from jobs where queue = 'carrier.create_shipment'
          and payload->>'orderId' = ${refusedOrder.id} order by created_at desc limit 1`,
    );
    expect(job).toEqual({ attempts: 2, status: 'done' });

    const noMore = await t.request('POST', `/api/v1/orders/${refusedOrder.id}/carrier-shipment`, {
      auth: LOJA11,
    });
    expect(noMore.status).toBe(409);
    expect(noMore.body.code).toBe('ORDER.CARRIER_SHIPMENT_NOT_APPLICABLE');
    const own = await invoicedOrder('PROPRIA');
    expect((await view(own.id)).carrierShipmentAvailable).toBe(false);
    expect(
      (await t.request('POST', `/api/v1/orders/${own.id}/carrier-shipment`, { auth: LOJA11 })).status,
    ).toBe(409);
  });
});
