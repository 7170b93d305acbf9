import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjustmentDelta,
  adjustmentErrors,
  applyDeltas,
  available,
  type Deltas,
  deltasAllowed,
  deltasOf,
  invariantHolds,
  type MovementKind,
  movementKinds,
  type Quantities,
  quantityErrors,
  shortage,
} from './domain.ts';

/** What the service does, on plain numbers: a guarded change either happens whole, with its movement, or not at all. */
type Op =
  | { op: 'adjust'; delta: number }
  | { op: 'count'; counted: number }
  | { op: 'reserve'; quantity: number }
  | { op: 'release'; pick: number }
  | { op: 'consume'; pick: number; as: 'sale' | 'transfer_out' }
  | { op: 'out'; kind: 'sale' | 'transfer_out'; quantity: number }
  | { op: 'in'; kind: 'transfer_in' | 'return'; quantity: number };

const quantity = fc.integer({ min: 1, max: 30 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('adjust' as const), delta: fc.integer({ min: -40, max: 40 }) }),
  fc.record({ op: fc.constant('count' as const), counted: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ op: fc.constant('reserve' as const), quantity }),
  fc.record({ op: fc.constant('release' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('consume' as const),
    pick: fc.nat(),
    as: fc.constantFrom('sale', 'transfer_out'),
  }),
  fc.record({ op: fc.constant('out' as const), kind: fc.constantFrom('sale', 'transfer_out'), quantity }),
  fc.record({ op: fc.constant('in' as const), kind: fc.constantFrom('transfer_in', 'return'), quantity }),
);

interface Model {
  balance: Quantities;
  ledger: { kind: MovementKind; d: Deltas }[];
  holds: { quantity: number; active: boolean }[];
}

function run(ops: Op[]): Model {
  const m: Model = { balance: { onHand: 0, reserved: 0 }, ledger: [], holds: [] };
  const tryMove = (kind: MovementKind, d: Deltas): boolean => {
    const next = applyDeltas(m.balance, d);
    if (!invariantHolds(next)) return false;
    m.balance = next;
    m.ledger.push({ kind, d });
    return true;
  };
  for (const o of ops) {
    const active = m.holds.filter((h) => h.active);
    switch (o.op) {
      case 'adjust':
        if (o.delta !== 0) tryMove('adjustment', deltasOf('adjustment', o.delta));
        break;
      case 'count': {
        const delta = adjustmentDelta(m.balance, { countedQuantity: o.counted, reason: 'count' });
        if (delta !== 0) tryMove('adjustment', deltasOf('adjustment', delta));
        break;
      }
      case 'reserve':
        if (tryMove('reservation', deltasOf('reservation', o.quantity))) {
          m.holds.push({ quantity: o.quantity, active: true });
        }
        break;
      case 'release':
      case 'consume': {
        const hold = active[o.pick % Math.max(1, active.length)];
        if (!hold) break;
        const d =
          o.op === 'release' ? deltasOf('release', hold.quantity) : deltasOf(o.as, hold.quantity, true);
        expect(tryMove(o.op === 'release' ? 'release' : o.as, d)).toBe(true);
        hold.active = false;
        break;
      }
      case 'out':
      case 'in':
        tryMove(o.kind, deltasOf(o.kind, o.quantity));
        break;
    }
  }
  return m;
}

describe('stock ledger rules', () => {
  it('keeps the ledger sum equal to the balance, available >= 0 and reserved equal to the active holds', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const m = run(ops);
        const sum = m.ledger.reduce((acc, { d }) => applyDeltas(acc, d), { onHand: 0, reserved: 0 });
        expect(sum).toEqual(m.balance);
        expect(available(m.balance)).toBeGreaterThanOrEqual(0);
        expect(invariantHolds(m.balance)).toBe(true);
        expect(m.balance.reserved).toBe(m.holds.filter((h) => h.active).reduce((a, h) => a + h.quantity, 0));
        for (const { kind, d } of m.ledger) expect(deltasAllowed(kind, d)).toBe(true);
      }),
    );
  });

  it('lets a reservation through exactly when on hand minus reserved covers it', () => {
    const balance = fc
      .tuple(fc.nat(100), fc.nat(100))
      .map(([a, b]) => ({ onHand: Math.max(a, b), reserved: Math.min(a, b) }));
    fc.assert(
      fc.property(balance, quantity, (b, q) => {
        expect(invariantHolds(applyDeltas(b, deltasOf('reservation', q)))).toBe(available(b) >= q);
      }),
    );
  });

  it('brings the on-hand quantity to the count, whatever it was', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), (onHand, counted) => {
        const b = { onHand, reserved: 0 };
        const delta = adjustmentDelta(b, { countedQuantity: counted, reason: 'count' });
        expect(applyDeltas(b, deltasOf('adjustment', delta)).onHand).toBe(counted);
      }),
    );
  });

  it('gives every kind deltas its own sign rule accepts, and refuses the wrong signs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...movementKinds), quantity, fc.boolean(), (kind, q, held) => {
        expect(deltasAllowed(kind, deltasOf(kind, q, held))).toBe(true);
      }),
    );
    expect(deltasAllowed('reservation', { onHand: -1, reserved: 1 })).toBe(false);
    expect(deltasAllowed('release', { onHand: 0, reserved: 1 })).toBe(false);
    expect(deltasAllowed('sale', { onHand: -2, reserved: -3 })).toBe(false);
    expect(deltasAllowed('sale', { onHand: -2, reserved: 1 })).toBe(false);
    expect(deltasAllowed('transfer_in', { onHand: 2, reserved: 2 })).toBe(false);
    expect(deltasAllowed('adjustment', { onHand: 0, reserved: 0 })).toBe(false);
    expect(deltasAllowed('adjustment', { onHand: 0.5, reserved: 0 })).toBe(false);
  });

  it('reports what is missing of a shortage, never a negative figure', () => {
    fc.assert(
      fc.property(quantity, fc.integer({ min: -5, max: 50 }), (requested, availableNow) => {
        const s = shortage(requested, availableNow);
        expect(s.available).toBeGreaterThanOrEqual(0);
        expect(s.missing).toBe(Math.max(0, requested - s.available));
      }),
    );
  });
});

describe('adjustment input', () => {
  it('wants exactly one of quantity and countedQuantity, a non-zero change and a reason', () => {
    expect(adjustmentErrors({ reason: 'x' })).toEqual([
      {
        path: '/quantity',
        code: 'STOCK.QUANTITY_OR_COUNT',
        message: 'send either quantity (a change) or countedQuantity (a count)',
      },
    ]);
    expect(adjustmentErrors({ quantity: 1, countedQuantity: 2, reason: 'x' })).toHaveLength(1);
    expect(adjustmentErrors({ quantity: 0, reason: 'x' })).toEqual([
      { path: '/quantity', code: 'STOCK.QUANTITY_ZERO', message: 'must not be zero' },
    ]);
    expect(adjustmentErrors({ countedQuantity: -1, reason: 'x' })[0]?.path).toBe('/countedQuantity');
    expect(adjustmentErrors({ quantity: -3, reason: '  ' })).toEqual([
      { path: '/reason', code: 'STOCK.REASON_REQUIRED', message: 'must say why' },
    ]);
    expect(adjustmentErrors({ countedQuantity: 0, reason: 'inventário' })).toEqual([]);
  });

  it('wants whole, positive, bounded quantities', () => {
    expect(quantityErrors(1)).toEqual([]);
    expect(quantityErrors(0)).toEqual([
      {
        path: '/quantity',
        code: 'STOCK.QUANTITY_BELOW_MIN',
        params: { min: 1 },
        message: 'must be at least 1',
      },
    ]);
    expect(quantityErrors(1.5)).toEqual([
      { path: '/quantity', code: 'STOCK.QUANTITY_NOT_INTEGER', message: 'must be an integer' },
    ]);
    expect(quantityErrors(2_000_000, '/lines/0/quantity')[0]?.path).toBe('/lines/0/quantity');
  });
});
