import { describe, expect, it } from 'vitest';
import {
  allowedTargets,
  checkTransition,
  conferenceMode,
  type GuardContext,
  guards,
  noContext,
  type OrderActor,
  type OrderFacts,
  orderActors,
  orderStatuses,
  refusal,
  type Transition,
  terminalStatuses,
  transitions,
} from './domain.ts';

const ctx: GuardContext = {
  manualCarriers: ['CORREIOS'],
  // TRANSLOCAL and CORREIOS have carrier accounts: only TRANSLOCAL reports itself (CORREIOS is listed).
  carriersWithAccount: ['CORREIOS', 'TRANSLOCAL'],
  splitEnabled: true,
  omniClassification: 'OMNI',
  conferenceRequired: false,
};
const OMNI = { classification: 'OMNI', conferredAt: null } as const;

/** An order in `from` that passes the edge's guard. */
function factsFor(t: Transition): OrderFacts {
  switch (t.guard) {
    case 'pickup':
    case 'pickupConferred':
      return { status: t.from, deliveryType: 'pickup', carrier: null, ...OMNI };
    case 'ship':
    case 'shipConferred':
      return { status: t.from, deliveryType: 'ship', carrier: 'TRANSLOCAL', ...OMNI };
    default:
      return { status: t.from, deliveryType: 'ship', carrier: 'CORREIOS', ...OMNI };
  }
}

/** Who may make from → to for these facts: every edge between them whose guard passes. */
const expectedActors = (facts: OrderFacts, to: string) =>
  new Set(
    transitions
      .filter((e) => e.from === facts.status && e.to === to)
      .filter((e) => !e.guard || guards[e.guard].test(facts, ctx))
      .flatMap((e) => e.actors),
  );

describe('the transition table', () => {
  it.each(transitions.map((t) => [`${t.from} → ${t.to} (${t.actors.join(', ')})`, t] as const))(
    '%s: allowed for its actors, refused for every other',
    (_name, t) => {
      const facts = factsFor(t);
      const allowed = expectedActors(facts, t.to);
      for (const actor of t.actors) expect(allowed.has(actor)).toBe(true);
      for (const actor of orderActors) {
        // An edge a flow takes is checked as that flow: bare, it is refused with the flow's name.
        const check = checkTransition(facts, t.to, actor, ctx, t.flow);
        expect(check.ok, `${actor}`).toBe(allowed.has(actor));
        if (t.flow && allowed.has(actor))
          expect(checkTransition(facts, t.to, actor, ctx)).toEqual({
            ok: false,
            reason: 'flow',
            flow: t.flow,
          });
        expect(allowedTargets(facts, actor, ctx).includes(t.to), `${actor}`).toBe(allowed.has(actor));
      }
    },
  );

  it('refuses every move the table does not have, for every actor', () => {
    for (const from of orderStatuses) {
      for (const to of orderStatuses) {
        if (transitions.some((t) => t.from === from && t.to === to)) continue;
        for (const actor of orderActors) {
          const check = checkTransition(
            { status: from, deliveryType: 'ship', carrier: 'CORREIOS', ...OMNI },
            to,
            actor,
            ctx,
          );
          expect(check).toEqual({ ok: false, reason: 'no_edge', guards: [] });
        }
      }
    }
  });

  it('is well formed: known actors, no self-loops, no actor on two edges of one move, every status reachable', () => {
    for (const t of transitions) {
      expect(t.from).not.toBe(t.to);
      for (const a of t.actors) expect(orderActors).toContain(a);
      expect(new Set(t.actors).size).toBe(t.actors.length);
    }
    const seen = new Set<string>();
    for (const t of transitions) {
      for (const a of t.actors) {
        const key = `${t.from}>${t.to}>${a}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
    const reached = new Set(['open']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of transitions) {
        if (reached.has(t.from) && !reached.has(t.to)) {
          reached.add(t.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...orderStatuses].sort());
    expect([...terminalStatuses].sort()).toEqual(['cancelled', 'delivered']);
  });

  it('lets the platform cancel only before acceptance and a clerk never', () => {
    const platformMoves = transitions
      .filter((t) => t.actors.includes('platform'))
      .map((t) => `${t.from}>${t.to}`);
    expect(platformMoves.sort()).toEqual(['awaiting_stock>cancelled', 'open>cancelled']);
    expect(transitions.filter((t) => t.to === 'cancelled' && t.actors.includes('store_staff'))).toEqual([]);
  });

  it('keeps the fiscal and split moves to the flows (system)', () => {
    const systemOnly = transitions.filter((t) => t.actors.length === 1 && t.actors[0] === 'system');
    expect(systemOnly.map((t) => `${t.from}>${t.to}`).sort()).toEqual(
      [
        'awaiting_stock>open',
        'in_transit>delivered',
        'invoiced>cancelled',
        'invoiced>in_transit',
        'invoicing>invoiced',
        'invoicing>picking',
      ].sort(),
    );
    for (const t of transitions.filter((e) => e.to === 'invoiced')) expect(t.actors).toEqual(['system']);
    // Entering awaiting_stock commits a split: offered to the back office, taken only by its endpoint.
    for (const t of transitions.filter((e) => e.to === 'awaiting_stock')) expect(t.flow).toBe('split');
  });
});

describe('guards', () => {
  const at = (
    status: OrderFacts['status'],
    deliveryType: 'pickup' | 'ship',
    carrier: string | null = null,
  ): OrderFacts => ({
    status,
    deliveryType,
    carrier,
    ...OMNI,
  });

  it('offers pickup only for pickup orders', () => {
    expect(checkTransition(at('picking', 'ship'), 'ready_for_pickup', 'store_staff', ctx)).toEqual({
      ok: false,
      reason: 'guard',
      guards: ['pickupConferred'],
    });
    expect(checkTransition(at('picking', 'pickup'), 'ready_for_pickup', 'store_staff', ctx).ok).toBe(true);
    expect(checkTransition(at('invoiced', 'ship', 'CORREIOS'), 'delivered', 'pos', ctx).ok).toBe(false);
  });

  it('holds a pickup order in picking and a ship order’s invoicing until the conference is finished (TP_CONF_ACEITE_PED = 0)', () => {
    const required = { ...ctx, conferenceRequired: true };
    const conferred = (o: OrderFacts) => ({ ...o, conferredAt: new Date() });
    const pickup = at('picking', 'pickup');
    const ship = at('picking', 'ship', 'TRANSLOCAL');
    expect(allowedTargets(pickup, 'store_manager', required)).toEqual(['cancelled']);
    expect(allowedTargets(conferred(pickup), 'store_manager', required)).toEqual([
      'ready_for_pickup',
      'cancelled',
    ]);
    expect(allowedTargets(ship, 'store_manager', required)).toEqual(['cancelled']);
    expect(allowedTargets(conferred(ship), 'store_manager', required)).toEqual(['invoicing', 'cancelled']);
    const refused = checkTransition(ship, 'invoicing', 'store_manager', required, 'invoice');
    expect(refused).toEqual({ ok: false, reason: 'guard', guards: ['shipConferred'] });
    expect(refusal(ship, 'invoicing', 'store_manager', refused)).toContain('conference is finished');
    // Not required (1: confirmed at acceptance, 2: optional): the bare move stays allowed.
    expect(checkTransition(pickup, 'ready_for_pickup', 'store_staff', ctx).ok).toBe(true);
    // Nothing loaded: nothing allowed on a guess.
    expect(checkTransition(pickup, 'ready_for_pickup', 'store_staff', noContext).ok).toBe(false);
    // The POS counts too: it may take the edge its finish takes.
    expect(checkTransition(conferred(pickup), 'ready_for_pickup', 'pos', required).ok).toBe(true);
  });

  it('reads TP_CONF_ACEITE_PED, an unknown or unset value as the default (required)', () => {
    expect(['0', '1', '2', null, '9'].map(conferenceMode)).toEqual([
      'scan_required',
      'at_acceptance',
      'scan_optional',
      'scan_required',
      'scan_required',
    ]);
  });

  it('lets the store report in transit for a ship order whose carrier does not report itself', () => {
    const by = (o: OrderFacts, actor: OrderActor, c: GuardContext = ctx) =>
      checkTransition(o, 'in_transit', actor, c).ok;
    // Listed in DS_LST_TRANSPORT_OMNI, even with an account.
    expect(by(at('invoiced', 'ship', 'CORREIOS'), 'store_manager')).toBe(true);
    // An account and not listed: its events move the order, not the store.
    expect(by(at('invoiced', 'ship', 'TRANSLOCAL'), 'store_manager')).toBe(false);
    // No ship order is stuck: no carrier, the own fleet, a carrier without an account.
    expect(by(at('invoiced', 'ship', null), 'store_manager')).toBe(true);
    expect(by(at('invoiced', 'ship', 'PROPRIA'), 'store_manager')).toBe(true);
    expect(by(at('invoiced', 'ship', 'JADLOG'), 'store_manager')).toBe(true);
    expect(by(at('invoiced', 'pickup'), 'store_manager')).toBe(false);
    expect(by(at('invoiced', 'ship', 'CORREIOS'), 'store_manager', { ...ctx, manualCarriers: [] })).toBe(
      false,
    );
    expect(
      by(at('invoiced', 'ship', 'CORREIOS'), 'store_manager', {
        ...ctx,
        manualCarriers: [],
        carriersWithAccount: [],
      }),
    ).toBe(true);
    // A carrier that reports itself comes in as the system.
    expect(by(at('invoiced', 'ship', 'TRANSLOCAL'), 'system')).toBe(true);
    expect(by(at('invoiced', 'pickup'), 'system')).toBe(false);
    expect(by(at('picking', 'ship', 'CORREIOS'), 'store_manager')).toBe(false);
    const delivered = (o: OrderFacts) => checkTransition(o, 'delivered', 'store_manager', ctx).ok;
    expect(delivered(at('in_transit', 'ship', 'PROPRIA'))).toBe(true);
    expect(delivered(at('in_transit', 'ship', 'TRANSLOCAL'))).toBe(false);
  });

  it('offers the split only where TP_VALIDA_SLD_ACEITE_PED = 01', () => {
    const open = at('open', 'pickup');
    expect(checkTransition(open, 'awaiting_stock', 'store_manager', ctx, 'split').ok).toBe(true);
    const off = { ...ctx, splitEnabled: false };
    expect(checkTransition(open, 'awaiting_stock', 'store_manager', off, 'split')).toEqual({
      ok: false,
      reason: 'guard',
      guards: ['splitEnabled'],
    });
    expect(allowedTargets(open, 'store_staff', off)).toEqual(['accepted', 'picking']);
  });

  it('accepts (and starts picking) only an order carrying the omni classification in force', () => {
    const other = { ...at('open', 'pickup'), classification: 'B2B' };
    for (const to of ['accepted', 'picking'] as const)
      expect(checkTransition(other, to, 'store_manager', ctx)).toEqual({
        ok: false,
        reason: 'guard',
        guards: ['omniClassified'],
      });
    expect(checkTransition(at('open', 'pickup'), 'accepted', 'store_manager', ctx).ok).toBe(true);
    expect(
      checkTransition(at('open', 'pickup'), 'accepted', 'store_manager', { ...ctx, omniClassification: null })
        .ok,
    ).toBe(false);
  });

  it('lists the targets an actor may choose now', () => {
    expect(allowedTargets(at('open', 'pickup'), 'platform', ctx)).toEqual(['cancelled']);
    expect(allowedTargets(at('open', 'pickup'), 'store_staff', ctx)).toEqual([
      'accepted',
      'picking',
      'awaiting_stock',
    ]);
    expect(allowedTargets(at('open', 'pickup'), 'store_manager', ctx)).toEqual([
      'accepted',
      'picking',
      'awaiting_stock',
      'cancelled',
    ]);
    expect(allowedTargets(at('accepted', 'pickup'), 'platform', ctx)).toEqual([]);
    expect(allowedTargets(at('picking', 'pickup'), 'store_manager', ctx)).toEqual([
      'ready_for_pickup',
      'cancelled',
    ]);
    expect(allowedTargets(at('picking', 'ship'), 'store_manager', ctx)).toEqual(['invoicing', 'cancelled']);
    expect(allowedTargets(at('ready_for_pickup', 'pickup'), 'pos', ctx)).toEqual(['invoicing', 'cancelled']);
    expect(allowedTargets(at('invoiced', 'ship', 'CORREIOS'), 'system', ctx)).toEqual([
      'in_transit',
      'cancelled',
    ]);
    for (const status of terminalStatuses) {
      for (const actor of orderActors)
        expect(allowedTargets(at(status, 'ship', 'CORREIOS'), actor, ctx)).toEqual([]);
    }
  });
});
