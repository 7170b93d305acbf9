import type { TicketRoute } from '../platform/http/tickets.ts';

/**
 * Every POS call is a connector ticket (issue 16 §3), filed under the route's pattern. The order it was
 * about is the one its answer names: the counter's `order`, a return's `orderId` (an endless-aisle sale, being an order, declares its own).
 */
export const posTicket: TicketRoute = {
  system: 'pos',
  kind: 'pos.request',
  orderId: (_request, answer) => {
    const a = answer as { order?: { id?: unknown }; return?: { orderId?: unknown } } | null;
    const id = a?.order?.id ?? a?.return?.orderId;
    return typeof id === 'string' ? id : null;
  },
};
