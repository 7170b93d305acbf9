import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import { createOrder, LOJA8, LOJA11, orderBody, PLATFORM } from '../../test/order-fixtures.ts';

describe.each(databaseKinds())('a ship order’s shipment on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const put = (id: string, body: unknown, auth = PLATFORM) =>
    t.request('PUT', `/api/v1/orders/${id}/shipment`, { auth, body });

  it('takes the tracking from the platform or the store, keeps the history and tells the platform', async () => {
    const order = await createOrder(t, { deliveryType: 'ship', carrier: 'JADLOG' });
    const first = await put(order.id, {
      carrier: 'CORREIOS',
      service: 'SEDEX',
      trackingCode: ' ab123456789br ',
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.carrier).toBe('CORREIOS');
    expect(first.body.shipment).toMatchObject({
      carrier: 'CORREIOS',
      service: 'SEDEX',
      trackingCode: 'AB123456789BR',
      trackingUrl: 'https://rastreamento.correios.com.br/app/index.php?objetos=AB123456789BR',
      source: 'platform',
      carrierLabel: false,
    });
    const again = await put(order.id, {
      carrier: 'CORREIOS',
      service: 'SEDEX',
      trackingCode: 'AB123456789BR',
    });
    expect(again.status).toBe(200);
    expect(again.body.history.length).toBe(first.body.history.length);

    const corrected = await put(
      order.id,
      { carrier: 'JADLOG', trackingCode: 'JD0001', trackingUrl: 'https://jadlog.example/t/JD0001' },
      LOJA11,
    );
    expect(corrected.status).toBe(200);
    expect(corrected.body.shipment).toMatchObject({
      carrier: 'JADLOG',
      source: 'back_office',
      service: null,
    });
    expect(corrected.body.history.at(-1).reason).toBe(
      'Rastreio corrigido: CORREIOS SEDEX AB123456789BR → JADLOG JD0001',
    );
    const events = await t.request('GET', `/api/v1/orders/${order.id}/webhook-deliveries`, { auth: LOJA11 });
    expect(
      events.body.items.filter((d: { event: string }) => d.event === 'order.shipment_changed'),
    ).toHaveLength(2);
  });

  it('takes the tracking with the order when the platform already has it', async () => {
    const post = (body: unknown) => t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    const body = {
      ...orderBody({ deliveryType: 'ship' }),
      shipment: { carrier: 'CORREIOS', trackingCode: 'OB111222333BR' },
    };
    const created = await post(body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.carrier).toBe('CORREIOS');
    expect(created.body.shipment).toMatchObject({ trackingCode: 'OB111222333BR', source: 'platform' });
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(again.body.shipment.trackingCode).toBe('OB111222333BR');

    const taken = await post({ ...body, externalId: `${body.externalId}-2` });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('ORDER.TRACKING_CODE_TAKEN');
    const pickup = await post({
      ...orderBody(),
      shipment: { carrier: 'CORREIOS', trackingCode: 'OB900000000BR' },
    });
    expect(pickup.status).toBe(422);
    expect(pickup.body.errors).toContainEqual(
      expect.objectContaining({ path: '/shipment', code: 'ORDER.NOT_SHIP' }),
    );
    const mismatch = await post({
      ...orderBody({ deliveryType: 'ship', carrier: 'JADLOG' }),
      shipment: { carrier: 'CORREIOS', trackingCode: 'OB999888777BR' },
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.errors).toContainEqual(
      expect.objectContaining({ path: '/shipment/carrier', code: 'ORDER.CARRIER_MISMATCH' }),
    );
    const badUrl = await post({
      ...orderBody({ deliveryType: 'ship' }),
      shipment: { carrier: 'CORREIOS', trackingCode: 'OB999888777BR', trackingUrl: 'ftp://x' },
    });
    expect(badUrl.body.errors).toContainEqual(expect.objectContaining({ path: '/shipment/trackingUrl' }));
  });

  it('refuses what is not a shipment of a visible, open ship order and changes nothing', async () => {
    const pickup = await createOrder(t, { deliveryType: 'pickup' });
    expect((await put(pickup.id, { carrier: 'CORREIOS', trackingCode: 'AA000000000BR' })).body.code).toBe(
      'ORDER.NOT_SHIP',
    );
    const ship = await createOrder(t, { deliveryType: 'ship', carrier: 'CORREIOS' });
    const other = await createOrder(t, { deliveryType: 'ship', carrier: 'CORREIOS' });
    expect((await put(ship.id, { carrier: 'CORREIOS', trackingCode: 'QQ111111111BR' })).status).toBe(200);
    const taken = await put(other.id, { carrier: 'CORREIOS', trackingCode: 'qq111111111br' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('ORDER.TRACKING_CODE_TAKEN');
    const badUrl = await put(other.id, {
      carrier: 'CORREIOS',
      trackingCode: 'QQ2',
      trackingUrl: 'javascript:x',
    });
    expect(badUrl.status).toBe(422);
    const badUrl2 = await put(other.id, {
      carrier: 'CORREIOS',
      trackingCode: 'QQ222',
      trackingUrl: 'ftp://x/y',
    });
    expect(badUrl2.status).toBe(422);
    expect(badUrl2.body.errors[0]).toMatchObject({
      path: '/trackingUrl',
      code: 'ORDER.TRACKING_URL_INVALID',
    });
    expect((await put(other.id, { carrier: 'correios', trackingCode: 'QQ222' })).status).toBe(422);
    expect((await put(other.id, { carrier: 'CORREIOS', trackingCode: 'QQ222', extra: 1 })).status).toBe(422);
    expect((await put(other.id, { carrier: 'CORREIOS', trackingCode: 'QQ222' }, LOJA8)).status).toBe(404);
    const unchanged = await t.request('GET', `/api/v1/orders/${other.id}`, { auth: LOJA11 });
    expect(unchanged.body.shipment).toBeNull();
    const cancelled = await t.request('POST', `/api/v1/orders/${other.id}/cancel`, {
      auth: PLATFORM,
      body: { reason: 'desistência' },
    });
    expect(cancelled.status).toBe(200);
    expect((await put(other.id, { carrier: 'CORREIOS', trackingCode: 'QQ222' })).body.code).toBe(
      'ORDER.SHIPMENT_LOCKED',
    );
  });
});
