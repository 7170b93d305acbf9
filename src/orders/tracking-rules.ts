import type { TrackingStatus } from '../delivery/service.ts';
import type { OrderStatus } from './domain.ts';

/**
 * What a carrier's tracking event does to a ship order (issue 15 §5). Pure: the webhook and the polling
 * (tracking.ts) record the events and apply them through these rules.
 *
 * - posted, in_transit, out_for_delivery: the goods left the store → `in_transit`;
 * - delivered → `delivered`, through `in_transit` when the order is still `invoiced` (two steps, each with its
 *   own history row and webhook);
 * - delivery_failed, returning, cancelled: kept on the order's timeline with a note, the status stays;
 * - never backwards: an event that names an earlier stage than the order's status changes nothing, so events
 *   applied in any order end where the latest stage reached puts them.
 */

/** The status an event says the goods reached; null: the event only joins the timeline. */
export function stageOf(status: TrackingStatus): 'in_transit' | 'delivered' | null {
  switch (status) {
    case 'posted':
    case 'in_transit':
    case 'out_for_delivery':
      return 'in_transit';
    case 'delivered':
      return 'delivered';
    default:
      return null;
  }
}

/** The statuses the order passes through for this event, from where it is; empty when it stays. */
export function stepsFor(current: OrderStatus, event: TrackingStatus): OrderStatus[] {
  const stage = stageOf(event);
  if (stage === null) return [];
  if (current === 'invoiced') return stage === 'delivered' ? ['in_transit', 'delivered'] : ['in_transit'];
  if (current === 'in_transit' && stage === 'delivered') return ['delivered'];
  return [];
}

/** Events in the carrier's time order (the event id breaks ties, so a batch is applied the same way twice). */
export const inTimeOrder = <E extends { at: Date; eventId: string }>(events: readonly E[]): E[] =>
  [...events].sort((a, b) => a.at.getTime() - b.at.getTime() || a.eventId.localeCompare(b.eventId));

/** Where a batch of events takes an order in `start` (each event's steps, in time order). */
export function statusAfter(
  start: OrderStatus,
  events: readonly { status: TrackingStatus; at: Date; eventId: string }[],
): OrderStatus {
  let current = start;
  for (const e of inTimeOrder(events)) current = stepsFor(current, e.status).at(-1) ?? current;
  return current;
}

/** The carrier's name in the history's notes ("Correios: Objeto entregue ao destinatário"). */
const carrierNames: Readonly<Record<string, string>> = {
  CORREIOS: 'Correios',
  MELHOR_ENVIO: 'Melhor Envio',
  JADLOG: 'Jadlog',
  PROPRIA: 'Frota própria',
};
export const carrierName = (code: string) => carrierNames[code] ?? code;

/** The history's words for an event: the carrier's own, as written, with the place when it says one. */
export const eventNote = (carrier: string, e: { description: string; location?: string | null }) =>
  `${carrierName(carrier)}: ${e.description}${e.location ? ` (${e.location})` : ''}`;
