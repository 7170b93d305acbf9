/**
 * The counter's rules (seeds 000 §3.5 "Resgate do Pedido", §4.1 "Pickup in Store"): what a POS may do with
 * one of its store's pickup orders in each status, and what it says when it may not. Pure: no I/O.
 */

/** What the cashier does with an omni order, in the order it happens at the counter. */
export const posActions = ['rescue', 'finish', 'release', 'handover'] as const;
export type PosAction = (typeof posActions)[number];

/** Where each action is taken (the 409s name them, so a client knows the next step). */
export const actionEndpoints: Record<PosAction, string> = {
  rescue: 'POST /api/v1/pos/orders/{number}/rescue',
  finish: 'POST /api/v1/pos/orders/{number}/finish',
  release: 'POST /api/v1/pos/orders/{number}/release',
  handover: 'POST /api/v1/orders/{id}/handover',
};

/** The statuses an action leaves from (the order lifecycle's POS edges, domain.ts of orders). */
const from: Record<PosAction, string> = {
  rescue: 'ready_for_pickup',
  finish: 'invoicing',
  release: 'invoicing',
  handover: 'invoiced',
};

export interface CounterOrder {
  status: string;
  deliveryType: string;
}

/**
 * The actions the POS may take now. Only pickup orders come to the counter (a ship-from-store order is
 * invoiced with an NF-e in the back office: "não ocorre interação com PDV").
 */
export function actionsFor(order: CounterOrder): PosAction[] {
  if (order.deliveryType !== 'pickup') return [];
  return posActions.filter((a) => from[a] === order.status);
}

/** The sentence of a 409: why not, and what to do instead. */
export function refusal(action: PosAction, order: CounterOrder, allowed: readonly PosAction[]): string {
  if (order.deliveryType !== 'pickup')
    return 'A ship-from-store order is invoiced in the back office, not at the POS.';
  const next = allowed.length
    ? ` Next: ${allowed.map((a) => `${a} (${actionEndpoints[a]})`).join(' or ')}.`
    : ' The POS has nothing more to do with it.';
  return `The order is ${order.status}: ${action} is taken from ${from[action]}.${next}`;
}

/** The most pending pickups one read lists (the count is always the whole number). */
export const PENDING_LIMIT = 200;

/** What the POS reads of its store's parameters, as `GET /pos/setup` answers it. */
export interface PosSettings {
  /** 9253: the store takes part in the omnichannel process (its POS shows and finishes hub orders). */
  participates: boolean;
  /** 9254: the base URL the POS calls the omni services at (the POS client's API base). */
  serviceUrl: string;
  /** 9242: the URL pending orders are queried at. */
  pendingOrdersUrl: string;
  /** 9285: online integration: the pending list is read live; off, the cashier finds orders by number. */
  online: boolean;
}

/** Why the pending list is empty whatever the orders (null: it lists them). */
export function pendingNotice(settings: PosSettings): { code: string; message: string } | null {
  if (!settings.participates)
    return {
      code: 'POS.STORE_NOT_OMNI',
      message: 'The store does not take part in the omnichannel process (parameter 9253 off).',
    };
  if (!settings.online)
    return {
      code: 'POS.OFFLINE_LOOKUP',
      message:
        'Online pending-order look-up is off (parameter 9285): find the order by its number (pré-venda).',
    };
  return null;
}

/** The release reason, trimmed; empty means none was given. */
export const releaseReason = (reason: string | undefined): string => (reason ?? '').trim();

/**
 * The customer's document asked at the counter ("deseja informar o CPF?"): absent or blank means none;
 * otherwise its digits (punctuation dropped), to be checked by the caller.
 */
export function askedDocument(value: string | undefined | null): string | null {
  const stripped = (value ?? '').replace(/[.\-/\s]/g, '').toUpperCase();
  return stripped === '' ? null : stripped;
}
