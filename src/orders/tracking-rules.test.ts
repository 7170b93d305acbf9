import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TrackingStatus, trackingStatuses } from '../delivery/service.ts';
import { checkTransition, noContext, type OrderStatus } from './domain.ts';
import { eventNote, statusAfter, stepsFor } from './tracking-rules.ts';

const rank: Partial<Record<OrderStatus, number>> = { invoiced: 0, in_transit: 1, delivered: 2 };

const event = (status: TrackingStatus, minute: number, eventId = `${status}-${minute}`) => ({
  status,
  at: new Date(Date.UTC(2026, 11, 1, 12, minute)),
  eventId,
});

describe('tracking events → order status', () => {
  it('moves an invoiced order to in transit on posting, transit or out for delivery', () => {
    for (const s of ['posted', 'in_transit', 'out_for_delivery'] as const)
      expect(stepsFor('invoiced', s)).toEqual(['in_transit']);
    expect(stepsFor('in_transit', 'out_for_delivery')).toEqual([]);
  });

  it('delivers through in transit when the order is still invoiced', () => {
    expect(stepsFor('invoiced', 'delivered')).toEqual(['in_transit', 'delivered']);
    expect(stepsFor('in_transit', 'delivered')).toEqual(['delivered']);
    expect(stepsFor('delivered', 'delivered')).toEqual([]);
  });

  it('keeps failures, returns and cancellations on the timeline without moving the status', () => {
    for (const s of ['delivery_failed', 'returning', 'cancelled'] as const)
      for (const from of ['invoiced', 'in_transit', 'delivered'] as const)
        expect(stepsFor(from, s)).toEqual([]);
  });

  it('never moves an order backwards, nor one outside the carrier’s stretch of the journey', () => {
    expect(stepsFor('delivered', 'posted')).toEqual([]);
    expect(stepsFor('delivered', 'in_transit')).toEqual([]);
    for (const s of trackingStatuses) {
      expect(stepsFor('picking', s)).toEqual([]);
      expect(stepsFor('cancelled', s)).toEqual([]);
      expect(stepsFor('invoicing', s)).toEqual([]);
    }
  });

  it('takes only edges the lifecycle table gives the system for a ship order', () => {
    const ship = {
      deliveryType: 'ship' as const,
      carrier: 'TRANSLOCAL',
      classification: 'OMNI',
      conferredAt: null,
    };
    for (const from of ['invoiced', 'in_transit'] as const)
      for (const s of trackingStatuses) {
        let at: OrderStatus = from;
        for (const to of stepsFor(from, s)) {
          expect(checkTransition({ ...ship, status: at }, to, 'system', noContext).ok, `${at} → ${to}`).toBe(
            true,
          );
          at = to;
        }
      }
  });

  it('ends where the events sorted by time end, whatever order and batches they arrive in (never backwards)', () => {
    const statusArb = fc.constantFrom(...trackingStatuses);
    fc.assert(
      fc.property(
        fc.array(statusArb, { minLength: 1, maxLength: 12 }),
        fc.constantFrom<OrderStatus>('invoiced', 'in_transit', 'delivered'),
        fc.infiniteStream(fc.integer({ min: 0, max: 1_000 })),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 12, maxLength: 12 }),
        (statuses, start, keys, batchSizes) => {
          const events = statuses.map((s, i) => event(s, i));
          const sorted = statusAfter(start, events);
          // A permutation of the events, cut into batches (webhook calls, polls), each applied on its own.
          const shuffled = events
            .map((e) => ({ e, k: keys.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.e);
          let current = start;
          let seen = rank[current]!;
          for (let i = 0, b = 0; i < shuffled.length; i += batchSizes[b++ % batchSizes.length]!) {
            current = statusAfter(current, shuffled.slice(i, i + batchSizes[b % batchSizes.length]!));
            expect(rank[current]!).toBeGreaterThanOrEqual(seen);
            seen = rank[current]!;
          }
          expect(current).toBe(sorted);
        },
      ),
    );
  });

  it('writes the carrier’s own words in the history', () => {
    expect(eventNote('CORREIOS', { description: 'Objeto entregue ao destinatário' })).toBe(
      'Correios: Objeto entregue ao destinatário',
    );
    expect(eventNote('TRANSLOCAL', { description: 'Saiu para entrega', location: 'Curitiba/PR' })).toBe(
      'TRANSLOCAL: Saiu para entrega (Curitiba/PR)',
    );
  });
});
