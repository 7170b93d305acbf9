import { type Actor, actors, roles } from '../platform/actors.ts';

/**
 * The order lifecycle as data (the statuses of docs/order-states.md): every status change anywhere in Omnihub is
 * one edge of `transitions`, checked by `checkTransition` and drawn into docs/order-states.md.
 * Ingest validation lives in ingest-rules.ts.
 */

export const orderStatuses = [
  'open',
  'awaiting_stock',
  'accepted',
  'picking',
  'ready_for_pickup',
  'invoicing',
  'invoiced',
  'in_transit',
  'delivered',
  'cancelled',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** The back office's words (seeds: "Status do Pedido"). */
export const statusLabels: Record<OrderStatus, string> = {
  open: 'Em aberto',
  awaiting_stock: 'Aguardando estoque',
  accepted: 'Pedido aceito',
  picking: 'Em separação',
  ready_for_pickup: 'Disponível para retirada',
  invoicing: 'Em faturamento',
  invoiced: 'Faturado',
  in_transit: 'Em transporte',
  delivered: 'Entregue',
  cancelled: 'Cancelado',
};

export const deliveryTypes = ['pickup', 'ship'] as const;
export type DeliveryType = (typeof deliveryTypes)[number];

/** How the sale was made: an e-commerce order, or (later, from the POS) an endless-aisle order. */
export const modalities = ['ecommerce', 'endless_aisle'] as const;
export type Modality = (typeof modalities)[number];

export const paymentMethods = ['credit_card', 'debit_card', 'pix', 'invoice', 'marketplace'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** Who changes an order: a principal's role or scope, or `system` for what only a flow may do. */
export type OrderActor = Actor | 'system';
export const orderActors: readonly OrderActor[] = [...actors, 'system'];

export const historyActorKinds = ['user', 'client', 'system'] as const;
export type HistoryActorKind = (typeof historyActorKinds)[number];

export const historyChannels = ['platform', 'back_office', 'pos', 'system'] as const;
export type HistoryChannel = (typeof historyChannels)[number];

export function channelOf(actor: OrderActor): HistoryChannel {
  if (actor === 'platform' || actor === 'pos' || actor === 'system') return actor;
  return 'back_office';
}

// --- guards ------------------------------------------------------------------------------------

/** What a guard may look at: the order's own facts, never its items or amounts. */
export interface OrderFacts {
  status: OrderStatus;
  deliveryType: DeliveryType;
  carrier: string | null;
  /** The omni classification stamped at ingest (CD_TIPOCLAS_OMNI then). */
  classification: string;
  /** When its items were confirmed: the scan conference finished, or the acceptance (TP_CONF_ACEITE_PED = 1). */
  conferredAt: Date | null;
}

/** Settings of the fulfilling store that guards read; loaded only when an edge needs them. */
export interface GuardContext {
  /** DS_LST_TRANSPORT_OMNI: carriers whose "in transit" and "delivered" the store sets by hand. */
  manualCarriers: readonly string[];
  /**
   * The carrier codes with an active carrier account for the store (or an ancestor): only their events reach
   * the order by themselves. Every other carrier is moved by hand, so no ship order is stuck after invoicing.
   */
  carriersWithAccount: readonly string[];
  /** TP_VALIDA_SLD_ACEITE_PED = '01': the store may split an order short of stock across the group. */
  splitEnabled: boolean;
  /** CD_TIPOCLAS_OMNI in force: the classification an order must carry to be accepted. */
  omniClassification: string | null;
  /**
   * TP_CONF_ACEITE_PED = '0': the scan conference must be finished before a pickup order is offered to the POS
   * or a ship order is invoiced. '1' confirms the items at acceptance and '2' makes the scan optional.
   */
  conferenceRequired: boolean;
}

/**
 * TP_CONF_ACEITE_PED (seeds 003, Conferência): '0' (default) a scan conference after acceptance, required
 * before the order moves on; '1' the acceptance confirms the items (no scan); '2' the scan is optional.
 */
export const conferenceModes = { '0': 'scan_required', '1': 'at_acceptance', '2': 'scan_optional' } as const;
export type ConferenceMode = (typeof conferenceModes)[keyof typeof conferenceModes];
export const conferenceMode = (value: string | null | undefined): ConferenceMode =>
  conferenceModes[(value ?? '0') as keyof typeof conferenceModes] ?? 'scan_required';

/** Seeds 003 (Conferência): the count is finished, or this store does not require one. */
const conferred = (o: OrderFacts, ctx: GuardContext) => !ctx.conferenceRequired || Boolean(o.conferredAt);

interface Guard {
  readonly description: string;
  readonly usesContext: boolean;
  readonly test: (order: OrderFacts, ctx: GuardContext) => boolean;
}

export const guards = {
  pickup: {
    description: 'a pickup-in-store order',
    usesContext: false,
    test: (o) => o.deliveryType === 'pickup',
  },
  ship: {
    description: 'a ship-from-store order',
    usesContext: false,
    test: (o) => o.deliveryType === 'ship',
  },
  pickupConferred: {
    description:
      'a pickup-in-store order whose conference is finished (TP_CONF_ACEITE_PED = 0 requires it: ' +
      'POST /api/v1/orders/{id}/conference/finish)',
    usesContext: true,
    test: (o, ctx) => o.deliveryType === 'pickup' && conferred(o, ctx),
  },
  shipConferred: {
    description:
      'a ship-from-store order whose conference is finished (TP_CONF_ACEITE_PED = 0 requires it: ' +
      'POST /api/v1/orders/{id}/conference/finish)',
    usesContext: true,
    test: (o, ctx) => o.deliveryType === 'ship' && conferred(o, ctx),
  },
  manualCarrier: {
    description:
      'a ship-from-store order whose carrier does not report itself: listed in DS_LST_TRANSPORT_OMNI, ' +
      'without an active carrier account for the store (PROPRIA, an unknown carrier), or no carrier at all',
    usesContext: true,
    // Issue 15 §5: no ship order may be stuck after invoicing; only a carrier with an account reports itself.
    test: (o, ctx) =>
      o.deliveryType === 'ship' &&
      (o.carrier === null ||
        ctx.manualCarriers.includes(o.carrier) ||
        !ctx.carriersWithAccount.includes(o.carrier)),
  },
  omniClassified: {
    description: 'an order carrying the network’s omni classification (CD_TIPOCLAS_OMNI)',
    usesContext: true,
    test: (o, ctx) => ctx.omniClassification !== null && o.classification === ctx.omniClassification,
  },
  splitEnabled: {
    description: 'a store that splits orders short of stock (TP_VALIDA_SLD_ACEITE_PED = 01)',
    usesContext: true,
    test: (_o, ctx) => ctx.splitEnabled,
  },
} as const satisfies Record<string, Guard>;
export type GuardName = keyof typeof guards;

/** No settings loaded: every guard that reads them fails (nothing is allowed on a guess). */
export const noContext: GuardContext = {
  manualCarriers: [],
  carriersWithAccount: [],
  splitEnabled: false,
  omniClassification: null,
  conferenceRequired: true,
};

// --- the transition table ----------------------------------------------------------------------

export interface Transition {
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  readonly actors: readonly OrderActor[];
  readonly guard?: GuardName;
  /**
   * The flow whose endpoint takes this edge, because entering the status means more than the status
   * (invoicing issues an NF-e): `changeStatus` takes it only when the caller names that flow.
   */
  readonly flow?: OrderFlow;
  /**
   * The status the order passes through on the way, as one step: `changeStatus` takes the edge to it
   * first (its guard, side effects, history and webhook), then this one. Seeds 000: "Em aberto" goes
   * straight to "Em separação", accepting (and reserving) on the way.
   */
  readonly through?: OrderStatus;
  readonly description: string;
}

/** Flows with their own endpoint; their edges are offered to users but not taken by a bare transition. */
export const orderFlows = {
  invoice: 'POST /api/v1/orders/{id}/invoice',
  split: 'POST /api/v1/orders/{id}/split',
  handover: 'POST /api/v1/orders/{id}/handover',
} as const;
export type OrderFlow = keyof typeof orderFlows;

const backOffice: readonly OrderActor[] = roles;
/** A cancellation undoes the store's and the customer's plans: not for a clerk (store_staff). */
export const cancellers: readonly OrderActor[] = ['network_admin', 'central_admin', 'store_manager'];

export const transitions: readonly Transition[] = [
  {
    from: 'open',
    to: 'accepted',
    actors: backOffice,
    guard: 'omniClassified',
    description:
      'Store accepts: every line reserved (short lines only after a manager confirms, IN_BLOQ_SALDO_NEG off)',
  },
  {
    from: 'open',
    to: 'picking',
    actors: backOffice,
    guard: 'omniClassified',
    through: 'accepted',
    description: 'Picking started on an open order: accepted on the way, in the same step',
  },
  {
    from: 'open',
    to: 'awaiting_stock',
    actors: backOffice,
    guard: 'splitEnabled',
    flow: 'split',
    description: 'Split committed: stock requested from other companies of the group',
  },
  {
    from: 'awaiting_stock',
    to: 'open',
    actors: ['system'],
    description: 'No stock request of the split still on its way (all received, or some refused)',
  },
  { from: 'accepted', to: 'picking', actors: backOffice, description: 'Picking started' },
  {
    from: 'picking',
    to: 'ready_for_pickup',
    actors: [...backOffice, 'pos', 'system'],
    guard: 'pickupConferred',
    description:
      'Conference finished (POST …/conference/finish takes it; bare only once conferred or not required): offered to the POS',
  },
  {
    from: 'ready_for_pickup',
    to: 'invoicing',
    actors: ['pos'],
    guard: 'pickup',
    description: 'POS rescued the order and is finishing the receipt',
  },
  {
    from: 'invoicing',
    to: 'ready_for_pickup',
    actors: ['pos'],
    guard: 'pickup',
    description: 'POS gave the order back without a receipt',
  },
  {
    from: 'picking',
    to: 'invoicing',
    actors: backOffice,
    guard: 'shipConferred',
    flow: 'invoice',
    description: 'NF-e issued and sent to SEFAZ (POST /orders/{id}/invoice)',
  },
  {
    from: 'invoicing',
    to: 'invoiced',
    actors: ['system'],
    description: 'NF-e or NFC-e authorised: reserved stock becomes a sale',
  },
  {
    from: 'invoicing',
    to: 'picking',
    actors: ['system'],
    guard: 'ship',
    description: 'SEFAZ rejected the NF-e: back to picking, to correct and invoice again',
  },
  {
    from: 'invoiced',
    to: 'in_transit',
    actors: backOffice,
    guard: 'manualCarrier',
    description: 'Dispatched; the store reports it for a carrier that does not',
  },
  {
    from: 'invoiced',
    to: 'in_transit',
    actors: ['system'],
    guard: 'ship',
    description: 'The carrier reported the dispatch',
  },
  {
    from: 'in_transit',
    to: 'delivered',
    actors: backOffice,
    guard: 'manualCarrier',
    description: 'Delivered; the store reports it for a carrier that does not',
  },
  {
    from: 'in_transit',
    to: 'delivered',
    actors: ['system'],
    guard: 'ship',
    description: 'The carrier reported the delivery',
  },
  {
    from: 'invoiced',
    to: 'delivered',
    actors: [...backOffice, 'pos'],
    guard: 'pickup',
    flow: 'handover',
    description:
      'Handed over to the customer at the store, recording who picked it up (POST /orders/{id}/handover)',
  },
  {
    from: 'open',
    to: 'cancelled',
    actors: ['platform', ...cancellers, 'system'],
    description: 'Cancelled before acceptance (system: the split was fully rejected)',
  },
  {
    from: 'awaiting_stock',
    to: 'cancelled',
    actors: ['platform', ...cancellers, 'system'],
    description: 'Cancelled while waiting for transfers',
  },
  {
    from: 'accepted',
    to: 'cancelled',
    actors: cancellers,
    description: 'Cancelled after acceptance: reservations released',
  },
  {
    from: 'picking',
    to: 'cancelled',
    actors: cancellers,
    description: 'Cancelled during picking: reservations released',
  },
  {
    from: 'ready_for_pickup',
    to: 'cancelled',
    actors: [...cancellers, 'pos'],
    description: 'Not picked up: reservations released',
  },
  {
    from: 'invoiced',
    to: 'cancelled',
    actors: ['system'],
    description: 'Fiscal document cancelled or reversed (fiscal flow)',
  },
];

export const terminalStatuses: readonly OrderStatus[] = orderStatuses.filter(
  (s) => !transitions.some((t) => t.from === s),
);

const edgesFrom = (status: OrderStatus) => transitions.filter((t) => t.from === status);

/** Whether a guard of an edge leaving `status` reads the store's settings (so they must be loaded). */
export const needsContext = (status: OrderStatus): boolean =>
  edgesFrom(status).some((t) => t.guard !== undefined && guards[t.guard].usesContext);

const passes = (t: Transition, order: OrderFacts, ctx: GuardContext) =>
  t.guard === undefined || guards[t.guard].test(order, ctx);

/** The statuses this actor may move the order to now, in table order. */
export function allowedTargets(order: OrderFacts, actor: OrderActor, ctx: GuardContext): OrderStatus[] {
  const targets = edgesFrom(order.status)
    .filter((t) => t.actors.includes(actor) && passes(t, order, ctx))
    .map((t) => t.to);
  return [...new Set(targets)];
}

export type TransitionCheck =
  | { ok: true; edge: Transition }
  | { ok: false; reason: 'no_edge' | 'actor' | 'guard'; guards: GuardName[] }
  | { ok: false; reason: 'flow'; flow: OrderFlow };

/** The edge that lets `actor` move the order to `to`, or why none does. */
export function checkTransition(
  order: OrderFacts,
  to: OrderStatus,
  actor: OrderActor,
  ctx: GuardContext,
  flow?: OrderFlow,
): TransitionCheck {
  const edges = edgesFrom(order.status).filter((t) => t.to === to);
  if (edges.length === 0) return { ok: false, reason: 'no_edge', guards: [] };
  const mine = edges.filter((t) => t.actors.includes(actor));
  if (mine.length === 0) return { ok: false, reason: 'actor', guards: [] };
  const edge = mine.find((t) => passes(t, order, ctx));
  if (edge?.flow && edge.flow !== flow) return { ok: false, reason: 'flow', flow: edge.flow };
  if (edge) return { ok: true, edge };
  return { ok: false, reason: 'guard', guards: mine.flatMap((t) => (t.guard ? [t.guard] : [])) };
}

/** The sentence a 409 carries, so the user knows what to do instead. */
export function refusal(
  order: OrderFacts,
  to: OrderStatus,
  actor: OrderActor,
  check: TransitionCheck,
): string {
  if (check.ok) return '';
  const move = `${order.status} → ${to}`;
  switch (check.reason) {
    case 'no_edge':
      return `An order cannot go ${move}.`;
    case 'actor':
      return `${move} is not made by ${actor}.`;
    case 'guard':
      return `${move} is only for ${check.guards.map((g) => guards[g].description).join(' or ')}.`;
    case 'flow':
      return `${move} is made by ${orderFlows[check.flow]}.`;
  }
}

/** A cancellation always says why (seeds: a cancellation reason is recorded on the order). */
export const reasonRequired = (to: OrderStatus) => to === 'cancelled';

/** Statuses in which the order holds stock at its store (reserved at acceptance, consumed when invoiced). */
export const holdsStock = (status: OrderStatus) =>
  status === 'accepted' || status === 'picking' || status === 'ready_for_pickup' || status === 'invoicing';

/** How fiscal documents, stock reservations and messages name an order they are for. */
export const ORDER_REFERENCE = 'order';
