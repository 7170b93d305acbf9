/**
 * The split (seeds: "Split de Pedido de Venda", PEDFP144) as rules: what of each line is still pending,
 * which allocations a user may commit, the distance between companies, and the router that proposes an
 * allocation. Pure: no clock, no database.
 */
import type { FieldError } from '../platform/errors.ts';

/** A stock request's life (seeds: "pedido de prateleira" at the support company). */
export const requestStatuses = [
  'requested',
  'accepted',
  'invoicing',
  'in_transit',
  'received',
  'rejected',
  'cancelled',
] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export const requestStatusLabels: Record<RequestStatus, string> = {
  requested: 'Solicitado (bloqueado até o aceite)',
  accepted: 'Aceito pela empresa de apoio',
  invoicing: 'Transferência em faturamento',
  in_transit: 'Transferência faturada (em trânsito)',
  received: 'Recebido na loja principal',
  rejected: 'Recusado pela empresa de apoio',
  cancelled: 'Cancelado',
};

/** Requests whose goods are still on their way to the main store (or may be). */
export const inFlight: readonly RequestStatus[] = ['requested', 'accepted', 'invoicing', 'in_transit'];

/** Every move of a stock request, and who makes it. */
export const requestTransitions: readonly {
  from: RequestStatus;
  to: RequestStatus;
  by: 'support' | 'main' | 'system';
  description: string;
}[] = [
  {
    from: 'requested',
    to: 'accepted',
    by: 'support',
    description: 'The support company accepts (unblocked)',
  },
  {
    from: 'requested',
    to: 'rejected',
    by: 'support',
    description: 'Refused: the allocation is pending again',
  },
  {
    from: 'accepted',
    to: 'rejected',
    by: 'support',
    description: 'Refused after accepting, before invoicing',
  },
  { from: 'accepted', to: 'invoicing', by: 'support', description: 'Transfer NF-e issued and sent to SEFAZ' },
  {
    from: 'invoicing',
    to: 'in_transit',
    by: 'system',
    description: 'Transfer NF-e authorised: the goods left',
  },
  {
    from: 'invoicing',
    to: 'accepted',
    by: 'system',
    description: 'Transfer NF-e rejected: correct and invoice again',
  },
  { from: 'in_transit', to: 'received', by: 'main', description: 'The main store received the goods' },
  {
    from: 'requested',
    to: 'cancelled',
    by: 'system',
    description: 'The order was cancelled before the goods left',
  },
  {
    from: 'accepted',
    to: 'cancelled',
    by: 'system',
    description: 'The order was cancelled before the goods left',
  },
];

export const canMoveRequest = (from: RequestStatus, to: RequestStatus) =>
  requestTransitions.some((t) => t.from === from && t.to === to);

export interface LineState {
  productId: string;
  sku: string;
  requested: number;
  /** Held by the order at the main store (its own stock, or transfers received). */
  held: number;
  /** In stock requests still on their way. */
  allocated: number;
}

export const pendingOf = (l: LineState) => Math.max(0, l.requested - l.held - l.allocated);

export interface Allocation {
  sku: string;
  storeCode: string;
  quantity: number;
}

/** A company that may serve the order: the main store or an eligible support company. */
export interface Candidate {
  storeId: string;
  storeCode: string;
  storeName: string;
  isMain: boolean;
  /** Straight-line km to the main store; null without coordinates. */
  distanceKm: number | null;
  /** Available quantity per product id (absent: none). */
  available: ReadonlyMap<string, number>;
}

/**
 * Allocations the user may commit: known SKUs and companies, positive quantities, per SKU never more than
 * pending and per company never more than available (the reservation checks it again under lock).
 */
export function allocationErrors(
  allocations: readonly Allocation[],
  lines: readonly LineState[],
  candidates: readonly Candidate[],
): FieldError[] {
  const errors: FieldError[] = [];
  const bySku = new Map(lines.map((l) => [l.sku, l]));
  const byCode = new Map(candidates.map((c) => [c.storeCode, c]));
  const perSku = new Map<string, number>();
  const perStoreSku = new Map<string, number>();
  allocations.forEach((a, i) => {
    const line = bySku.get(a.sku);
    const company = byCode.get(a.storeCode);
    if (!line)
      errors.push({
        path: `/allocations/${i}/sku`,
        code: 'SPLIT.SKU_NOT_IN_ORDER',
        params: { sku: a.sku },
        message: `${a.sku} is not a line of the order`,
      });
    if (!company)
      errors.push({
        path: `/allocations/${i}/storeCode`,
        code: 'SPLIT.STORE_NOT_ELIGIBLE',
        params: { storeCode: a.storeCode },
        message: `${a.storeCode} may not serve this order (not the store, or not enabled for the split)`,
      });
    if (!Number.isInteger(a.quantity) || a.quantity < 1)
      errors.push({
        path: `/allocations/${i}/quantity`,
        code: 'SPLIT.QUANTITY_NOT_POSITIVE',
        message: 'must be a whole number from 1',
      });
    if (!line || !company || errors.length) return;
    perSku.set(a.sku, (perSku.get(a.sku) ?? 0) + a.quantity);
    const key = `${a.storeCode}|${a.sku}`;
    perStoreSku.set(key, (perStoreSku.get(key) ?? 0) + a.quantity);
    if ((perStoreSku.get(key) ?? 0) > (company.available.get(line.productId) ?? 0))
      errors.push({
        path: `/allocations/${i}/quantity`,
        code: 'SPLIT.QUANTITY_ABOVE_AVAILABLE',
        params: { storeCode: a.storeCode, sku: a.sku, available: company.available.get(line.productId) ?? 0 },
        message: `store ${a.storeCode} has ${company.available.get(line.productId) ?? 0} of ${a.sku} available`,
      });
  });
  for (const [sku, quantity] of perSku) {
    const line = bySku.get(sku)!;
    if (quantity > pendingOf(line))
      errors.push({
        path: '/allocations',
        code: 'SPLIT.QUANTITY_ABOVE_PENDING',
        params: { sku, allocated: quantity, pending: pendingOf(line) },
        message: `${sku}: ${quantity} allocated, only ${pendingOf(line)} pending`,
      });
  }
  return errors;
}

/** A way to rank companies; a network may plug in its own (app.ts). */
export interface RoutingStrategy {
  readonly name: string;
  propose(lines: readonly LineState[], candidates: readonly Candidate[]): Allocation[];
}

/** A company as the router weighs it: its free units of each product still needed, by product index. */
interface Weighed {
  c: Candidate;
  units: number[];
  /** Its free units of all the order's products: the tie-break after the distance. */
  stock: number;
}

/** Between companies covering as much: the nearer, then the one with more stock, then the lower code. */
const closer = (a: Weighed, b: Weighed) =>
  ((a.c.distanceKm ?? Number.POSITIVE_INFINITY) - (b.c.distanceKm ?? Number.POSITIVE_INFINITY) ||
    b.stock - a.stock ||
    (a.c.storeCode < b.c.storeCode ? -1 : a.c.storeCode > b.c.storeCode ? 1 : 0)) < 0;

/**
 * The default proposal: the fulfilling store first; then as few companies as possible (greedily, the one
 * covering most of what is left, so one company that can send everything wins); between equals the
 * nearest, then the one with most stock, then the code, so the same input always gives the same answer.
 * Each company's stock is read from its map once, into an array by product; a company that covers
 * nothing of what is left never covers anything again and is dropped.
 */
export const defaultStrategy: RoutingStrategy = {
  name: 'main-first-fewest-nearest',
  propose(lines, candidates) {
    // One entry per product (a product on two lines: the last line's pending, as a map by product would).
    const index = new Map<string, number>();
    const products: { productId: string; sku: string; need: number }[] = [];
    for (const l of lines) {
      const at = index.get(l.productId);
      const entry = { productId: l.productId, sku: l.sku, need: pendingOf(l) };
      if (at === undefined) {
        index.set(l.productId, products.length);
        products.push(entry);
      } else products[at] = entry;
    }
    const need = products.map((p) => p.need);
    const weigh = (c: Candidate): Weighed => {
      const units = products.map((p) => c.available.get(p.productId) ?? 0);
      return { c, units, stock: units.reduce((a, b) => a + b, 0) };
    };
    const out: Allocation[] = [];
    const take = (w: Weighed) => {
      for (let k = 0; k < need.length; k++) {
        const q = Math.min(need[k]!, w.units[k]!);
        if (q <= 0) continue;
        out.push({ sku: products[k]!.sku, storeCode: w.c.storeCode, quantity: q });
        need[k]! -= q;
      }
    };
    const covers = (w: Weighed) => {
      let units = 0;
      for (let k = 0; k < need.length; k++) units += Math.min(need[k]!, w.units[k]!);
      return units;
    };
    const main = candidates.find((c) => c.isMain);
    if (main) take(weigh(main));
    let rest = candidates.filter((c) => !c.isMain).map(weigh);
    while (need.some((n) => n > 0)) {
      let best: (Weighed & { covered: number }) | undefined;
      const still: Weighed[] = [];
      for (const w of rest) {
        const covered = covers(w);
        if (covered === 0) continue;
        still.push(w);
        if (!best || covered > best.covered || (covered === best.covered && closer(w, best)))
          best = { ...w, covered };
      }
      if (!best) break;
      take(best);
      const chosen = best.c;
      rest = still.filter((w) => w.c !== chosen);
    }
    return out.sort((a, b) => a.sku.localeCompare(b.sku) || a.storeCode.localeCompare(b.storeCode));
  },
};

export type Alert = 'green' | 'yellow' | 'red';

/**
 * The traceability colour of something still in progress: red once past its expected date, yellow within
 * `alertDays` of it, green before; none when done or without an expected date.
 */
export function alertOf(expectedAt: Date | null, done: boolean, now: Date, alertDays: number): Alert | null {
  if (done || !expectedAt) return null;
  if (now.getTime() > expectedAt.getTime()) return 'red';
  if (now.getTime() > expectedAt.getTime() - alertDays * 86_400_000) return 'yellow';
  return 'green';
}

/** Whole days from `from` to `to` (the tree's "days in progress"). */
export const daysBetween = (from: Date, to: Date) =>
  Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));
