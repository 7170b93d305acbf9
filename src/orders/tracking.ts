/**
 * A carrier's tracking events reaching the order (issue 15 §2, §5; seed 003 Em Transporte): from its webhook
 * (POST /carrier-events/{carrier}) or the polling of its accounts (carrier-shipments.ts). Each event is
 * recorded once (carrier, tracking code, event id); an event of a code no order holds is recorded with no
 * order and goes no further. A new event of a known order is applied under the order's lock, in the carrier's
 * time order: tracking-rules.ts says which statuses it moves the order through (never backwards), each step
 * through `changeStatus` as the system (history row and webhook each), and every event leaves the carrier's
 * words in the history.
 */
import type { TrackingEvent } from '../delivery/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { ok } from '../platform/errors.ts';
import { lockOrder, recordFact } from './facts.ts';
import { changeStatus, type OrderCaller, systemCaller } from './lifecycle.ts';
import { carrierName, eventNote, inTimeOrder, stepsFor } from './tracking-rules.ts';
import * as tracking from './tracking-store.ts';

export interface TrackingBatch {
  /** The order's carrier code the events are about (CORREIOS, …): the webhook's `{carrier}`, the polled account's. */
  carrierCode: string;
  /** The network whose account received them; absent: a code one order alone holds, in any network. */
  networkId?: string;
  events: readonly TrackingEvent[];
  source: tracking.TrackingSource;
}

export interface TrackingOutcome {
  /** Events in the batch. */
  received: number;
  /** Events new to Omnihub that belong to an order (and were applied to it). */
  applied: number;
}

/** The order's history names the carrier's tracking as what moved it. */
const carrierCaller = (carrier: string): OrderCaller => ({
  ...systemCaller('carrier'),
  name: `Rastreio ${carrierName(carrier)}`,
});

export async function applyTrackingEvents(db: Db, batch: TrackingBatch): Promise<TrackingOutcome> {
  const codes = [...new Set(batch.events.map((e) => e.trackingCode.trim().toUpperCase()))];
  const done = await transaction(db, async (tx) => {
    const holders = await tracking.ordersHoldingCodes(tx, batch.carrierCode, codes, batch.networkId);
    const fresh = await tracking.recordEvents(
      tx,
      batch.carrierCode,
      batch.events.map((e) => {
        const trackingCode = e.trackingCode.trim().toUpperCase();
        const holder = holders.get(trackingCode);
        return {
          ...e,
          trackingCode,
          orderId: holder?.orderId ?? null,
          networkId: holder?.networkId ?? batch.networkId ?? null,
        };
      }),
      batch.source,
      new Date(),
    );
    const byOrder = new Map<string, tracking.TrackingEventRow[]>();
    for (const e of fresh) if (e.orderId) byOrder.set(e.orderId, [...(byOrder.get(e.orderId) ?? []), e]);
    const caller = carrierCaller(batch.carrierCode);
    // Orders locked in one order (by id) so two batches over the same orders never wait on each other in a circle.
    for (const orderId of [...byOrder.keys()].sort()) {
      for (const event of inTimeOrder(byOrder.get(orderId)!)) {
        const found = await lockOrder(tx, caller, orderId);
        if (!found.ok) continue;
        const note = eventNote(batch.carrierCode, event);
        const steps = stepsFor(found.value.order.status, event.status);
        for (const to of steps) {
          const moved = await changeStatus(tx, caller, orderId, to, { reason: note });
          // The table refuses only what the rules never ask; a refusal leaves the event on the timeline.
          if (!moved.ok) break;
        }
        if (steps.length === 0) await recordFact(tx, caller, found.value.order, { note });
      }
    }
    return ok({
      received: batch.events.length,
      applied: [...byOrder.values()].reduce((n, list) => n + list.length, 0),
    });
  });
  // Nothing above returns a failure: a fault throws and rolls the batch back.
  if (!done.ok) throw new Error(done.failure.detail);
  return done.value;
}
