import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../test/harness.ts';
import {
  ADMIN,
  addDemoUsers,
  CENTRAL,
  createOrder,
  LOJA11,
  PLATFORM,
  POS11,
  STAFF11,
} from '../../test/order-fixtures.ts';
import { rows, sql } from '../platform/db/sql.ts';
import {
  allowedTargets,
  type GuardContext,
  guards,
  type OrderActor,
  type OrderFacts,
  type OrderStatus,
  orderActors,
  type Transition,
  transitions,
} from './domain.ts';
import * as orders from './service.ts';

/** The demo network lists these carriers in DS_LST_TRANSPORT_OMNI: the store reports their dispatch. */
const demoCtx: GuardContext = {
  manualCarriers: ['CORREIOS', 'JADLOG'],
  // TRANSLOCAL gets a carrier account in beforeAll: its orders are moved by its events, not by hand.
  carriersWithAccount: ['TRANSLOCAL'],
  // TP_VALIDA_SLD_ACEITE_PED = 01 network-wide; CD_TIPOCLAS_OMNI by default.
  splitEnabled: true,
  omniClassification: 'OMNI',
  // TP_CONF_ACEITE_PED = 2 in this suite (beforeAll): the scan conference is optional, bare moves allowed.
  conferenceRequired: false,
};

const credentials: Record<Exclude<OrderActor, 'system'>, string> = {
  network_admin: ADMIN,
  central_admin: CENTRAL,
  store_manager: LOJA11,
  store_staff: STAFF11,
  platform: PLATFORM,
  pos: POS11,
  erp: 'demo-erp-key',
};

type Shape = Pick<OrderFacts, 'deliveryType' | 'carrier' | 'classification'>;

/** An order shape that passes the edge's guard and can reach its `from` status. */
function shapeFor(t: Transition): Shape {
  const omni = { classification: 'OMNI' };
  if (t.guard === 'pickup' || t.guard === 'pickupConferred')
    return { deliveryType: 'pickup', carrier: null, ...omni };
  if (t.guard === 'ship' || t.guard === 'shipConferred')
    return { deliveryType: 'ship', carrier: 'TRANSLOCAL', ...omni };
  const ship: Shape = { deliveryType: 'ship', carrier: 'CORREIOS', ...omni };
  return pathTo(t.from, ship) ? ship : { deliveryType: 'pickup', carrier: null, ...omni };
}

const passes = (t: Transition, facts: OrderFacts) => !t.guard || guards[t.guard].test(facts, demoCtx);

/** Shortest chain of edges from open to `status` that this order shape can take. */
function pathTo(status: OrderStatus, shape: Shape): Transition[] | undefined {
  const queue: { at: OrderStatus; path: Transition[] }[] = [{ at: 'open', path: [] }];
  const seen = new Set<OrderStatus>(['open']);
  while (queue.length) {
    const { at, path } = queue.shift()!;
    if (at === status) return path;
    for (const t of transitions.filter(
      (e) => e.from === at && passes(e, { status: at, ...shape, conferredAt: null }),
    )) {
      if (seen.has(t.to)) continue;
      seen.add(t.to);
      queue.push({ at: t.to, path: [...path, t] });
    }
  }
  return undefined;
}

describe.each(databaseKinds())('order transitions on the %s database', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await addDemoUsers(t);
    const restock = await t.request('POST', '/api/v1/stock/adjustments', {
      auth: ADMIN,
      body: { storeCode: '11', sku: 'CAM-002', quantity: 5000, reason: 'Estoque para os testes' },
    });
    expect(restock.status).toBe(201);
    // The table's edges as bare moves: conference optional here (conference.int.test.ts covers the rule).
    const optional = await t.request('PUT', '/api/v1/nodes/DEMO/parameters/TP_CONF_ACEITE_PED', {
      auth: ADMIN,
      body: { value: '2' },
    });
    expect(optional.status, JSON.stringify(optional.body)).toBe(200);
    // A carrier that reports itself: an active account on the network (its adapter is never called here).
    await t.database.db.execute(
      sql`insert into carrier_accounts (id, node_id, carrier_code, adapter, sealed_credentials)
          select gen_random_uuid(), id, 'TRANSLOCAL', 'melhor_envio', 'sealed' from nodes where code = 'DEMO'`,
    );
  });
  afterAll(() => t?.close());

  const homes: Record<Exclude<OrderActor, 'system'>, string> = {
    network_admin: 'DEMO',
    central_admin: 'SUL',
    store_manager: '11',
    store_staff: '11',
    platform: 'DEMO',
    pos: '11',
    erp: 'DEMO',
  };

  /** A back-office caller for the service, for edges only a flow takes (the flow's own endpoint is tested with it). */
  async function callerAs(actor: Exclude<OrderActor, 'system'>): Promise<orders.OrderCaller> {
    const [node] = await rows<{ id: string; path: string; network_id: string }>(
      t.database.db,
      sql`select id, path, network_id from nodes where code = ${homes[actor]}`,
    );
    return {
      kind: 'user',
      id: actor,
      name: actor,
      actor,
      nodeId: node!.id,
      nodePath: node!.path,
      networkId: node!.network_id,
    };
  }

  /** Makes the change as this actor, through the API (or the service for `system`); answers the status code. */
  async function attempt(actor: OrderActor, id: string, to: OrderStatus, flow?: orders.OrderFlow) {
    if (flow && actor !== 'system') {
      const done = await orders.transition(t.database.db, await callerAs(actor), id, to, {
        reason: 'teste',
        flow,
      });
      return done.ok ? { status: 200, body: {} } : { status: 409, body: done.failure };
    }
    if (actor === 'system') {
      const done = await orders.transition(t.database.db, orders.systemCaller('test'), id, to, {
        reason: 'teste',
      });
      return done.ok
        ? { status: 200, body: {} }
        : { status: done.failure.kind === 'conflict' ? 409 : 422, body: done.failure };
    }
    if (actor === 'platform' && to === 'cancelled') {
      return t.request('POST', `/api/v1/orders/${id}/cancel`, { auth: PLATFORM, body: { reason: 'teste' } });
    }
    return t.request('POST', `/api/v1/orders/${id}/transitions`, {
      auth: credentials[actor],
      body: { to, reason: 'teste' },
    });
  }

  /** A new order of this shape at store 11, moved along the table to `status`. */
  async function orderAt(status: OrderStatus, shape: Shape): Promise<string> {
    const order = await createOrder(t, {
      lines: [['CAM-002', 1, '59.90']],
      deliveryType: shape.deliveryType,
      ...(shape.carrier ? { carrier: shape.carrier } : {}),
    });
    const path = pathTo(status, shape);
    if (!path) throw new Error(`no path to ${status} for ${JSON.stringify(shape)}`);
    for (const step of path) {
      const actor = (['store_manager', 'pos', 'system'] as const).find((a) => step.actors.includes(a))!;
      const res = await attempt(actor, order.id, step.to, step.flow);
      expect(res.status, `${step.from} → ${step.to} by ${actor}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    return order.id;
  }

  const statusOf = async (id: string) =>
    (await t.request('GET', `/api/v1/orders/${id}`, { auth: ADMIN })).body as {
      status: OrderStatus;
      history: { from: OrderStatus | null; to: OrderStatus; channel: string; reason: string | null }[];
    };

  it.each(transitions.map((e) => [`${e.from} → ${e.to} by ${e.actors.join(', ')}`, e] as const))(
    '%s: made by its actors and refused to every other, through the API',
    async (_name, edge) => {
      const shape = shapeFor(edge);
      const facts: OrderFacts = { status: edge.from, ...shape, conferredAt: null };
      const allowed = new Set(
        transitions
          .filter((e) => e.from === edge.from && e.to === edge.to && passes(e, facts))
          .flatMap((e) => e.actors),
      );
      const refused = orderActors.filter((a) => !allowed.has(a));
      const shared = refused.length ? await orderAt(edge.from, shape) : undefined;
      for (const actor of refused) {
        const res = await attempt(actor, shared!, edge.to);
        if ((actor === 'platform' && edge.to !== 'cancelled') || actor === 'erp') {
          // The platform's only status endpoint is /cancel, and the ERP only reads finance: the
          // back-office route refuses them outright.
          expect(res.status).toBe(403);
        } else {
          expect(res.status, `${actor}: ${JSON.stringify(res.body)}`).toBe(409);
          expect(res.body.code).toBe('ORDER.TRANSITION_NOT_ALLOWED');
          if (actor !== 'system') {
            expect(res.body.allowed).toEqual(allowedTargets(facts, actor, demoCtx));
          }
        }
        expect((await statusOf(shared!)).status, actor).toBe(edge.from);
      }
      for (const actor of allowed) {
        const id = await orderAt(edge.from, shape);
        if (edge.flow && actor !== 'system') {
          // Offered to the actor, but the bare transition refuses it: the flow's endpoint takes it.
          const bare = await attempt(actor, id, edge.to);
          expect(bare.status).toBe(409);
          expect(bare.body.detail).toContain(orders.orderFlows[edge.flow]);
        }
        const res = await attempt(actor, id, edge.to, edge.flow);
        expect(res.status, `${actor}: ${JSON.stringify(res.body)}`).toBe(200);
        const after = await statusOf(id);
        expect(after.status).toBe(edge.to);
        expect(after.history.at(-1)).toMatchObject({
          from: edge.through ?? edge.from,
          to: edge.to,
          channel: actor === 'platform' || actor === 'pos' || actor === 'system' ? actor : 'back_office',
          reason: 'teste',
        });
      }
    },
  );

  it('refuses a move whose guard fails, naming the guard', async () => {
    const ship = await orderAt('picking', {
      deliveryType: 'ship',
      carrier: 'CORREIOS',
      classification: 'OMNI',
    });
    const notPickup = await attempt('store_manager', ship, 'ready_for_pickup');
    expect(notPickup.status).toBe(409);
    expect(notPickup.body).toMatchObject({
      currentStatus: 'picking',
      requested: 'ready_for_pickup',
      allowed: ['invoicing', 'cancelled'],
    });
    expect(notPickup.body.detail).toContain('pickup-in-store');

    const unlisted = await orderAt('invoiced', {
      deliveryType: 'ship',
      carrier: 'TRANSLOCAL',
      classification: 'OMNI',
    });
    const byStore = await attempt('store_manager', unlisted, 'in_transit');
    expect(byStore.status).toBe(409);
    expect(byStore.body.detail).toContain('DS_LST_TRANSPORT_OMNI');
    expect(byStore.body.allowed).toEqual([]);
  });

  it('asks a reason for a cancellation and refuses the platform after acceptance', async () => {
    const open = await orderAt('open', { deliveryType: 'pickup', carrier: null, classification: 'OMNI' });
    const bare = await t.request('POST', `/api/v1/orders/${open}/transitions`, {
      auth: LOJA11,
      body: { to: 'cancelled' },
    });
    expect(bare.status).toBe(422);
    expect(bare.body).toMatchObject({ code: 'ORDER.REASON_REQUIRED', errors: [{ path: '/reason' }] });
    expect((await statusOf(open)).status).toBe('open');

    const accepted = await orderAt('accepted', {
      deliveryType: 'pickup',
      carrier: null,
      classification: 'OMNI',
    });
    const late = await t.request('POST', `/api/v1/orders/${accepted}/cancel`, {
      auth: PLATFORM,
      body: { reason: 'cliente desistiu' },
    });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: 'ORDER.TRANSITION_NOT_ALLOWED',
      currentStatus: 'accepted',
      allowed: [],
    });
  });

  it('answers 404 for an order of a store the caller does not see', async () => {
    const id = await orderAt('open', { deliveryType: 'pickup', carrier: null, classification: 'OMNI' });
    const res = await t.request('POST', `/api/v1/orders/${id}/transitions`, {
      auth: 'loja8@demo.local',
      body: { to: 'accepted' },
    });
    expect(res.status).toBe(404);
    expect(
      (await t.request('POST', `/api/v1/orders/${id}/accept`, { auth: 'loja8@demo.local' })).status,
    ).toBe(404);
    expect((await statusOf(id)).status).toBe('open');
  });
});
