import * as audit from '../audit/service.ts';
import * as catalog from '../catalog/service.ts';
import * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import { saoPauloDay } from '../platform/format-br.ts';
import * as stock from '../stock/service.ts';
import {
  addDays,
  compareOptions,
  type DeliveryType,
  isUf,
  missingLines,
  normalisePostalCode,
  type Region,
  regionOfUf,
  stateOfPostalCode,
  type TransitRow,
  transitDaysFrom,
  type Uf,
} from './domain.ts';
import { networkStores } from './experiences.ts';
import * as store from './store.ts';

/** Days in transit for a route: the network's carrier table, else the default by state and region. */
export async function transitDays(
  db: Db,
  networkId: string,
  route: { carrierCode: string | null; serviceCode: string | null; fromState: Uf; toState: Uf },
): Promise<number> {
  const rows = route.carrierCode
    ? await store.transitRows(db, networkId, { fromState: route.fromState, toState: route.toState })
    : [];
  return transitDaysFrom(rows, route).days;
}

export async function listTransitTimes(
  db: Db,
  viewer: network.Viewer,
  f: { carrierCode?: string },
): Promise<TransitRow[]> {
  return store.transitRows(db, viewer.networkId, { carrierCode: f.carrierCode?.toUpperCase() });
}

/** The table as the audit log keeps it: days by "CARRIER SERVICE FROM>TO", so a diff names each route. */
function transitSnapshot(rows: readonly TransitRow[]): Record<string, number> {
  const entries = rows.map(
    (r) => [`${r.carrierCode} ${r.serviceCode ?? '*'} ${r.fromState}>${r.toState}`, r.days] as const,
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

/** Replaces the network's whole table (the carrier's answer, stood in for); each error names its row. */
export async function replaceTransitTimes(
  db: Db,
  viewer: network.Viewer & audit.Who,
  items: {
    carrierCode: string;
    serviceCode?: string | null;
    fromState: string;
    toState: string;
    days: number;
  }[],
): Promise<Result<TransitRow[]>> {
  const errors: FieldError[] = [];
  const rows: TransitRow[] = [];
  const keys = new Set<string>();
  items.forEach((item, i) => {
    const carrierCode = item.carrierCode.trim().toUpperCase();
    const serviceCode = item.serviceCode?.trim() || null;
    if (!/^[A-Z0-9_-]{1,20}$/.test(carrierCode))
      errors.push({
        path: `/items/${i}/carrierCode`,
        code: 'DELIVERY.CARRIER_CODE_FORMAT',
        message: 'must be 1 to 20 letters, digits, _ or -',
      });
    if (serviceCode !== null && serviceCode.length > 40)
      errors.push({
        path: `/items/${i}/serviceCode`,
        code: 'DELIVERY.SERVICE_CODE_LENGTH',
        params: { max: 40 },
        message: 'must have at most 40 characters',
      });
    const from = item.fromState.toUpperCase();
    const to = item.toState.toUpperCase();
    if (!isUf(from))
      errors.push({
        path: `/items/${i}/fromState`,
        code: 'DELIVERY.STATE_UNKNOWN',
        message: 'is not a Brazilian state (UF)',
      });
    if (!isUf(to))
      errors.push({
        path: `/items/${i}/toState`,
        code: 'DELIVERY.STATE_UNKNOWN',
        message: 'is not a Brazilian state (UF)',
      });
    const key = JSON.stringify([carrierCode, serviceCode, from, to]);
    if (keys.has(key))
      errors.push({ path: `/items/${i}`, code: 'DELIVERY.ROW_REPEATED', message: 'repeats an earlier row' });
    keys.add(key);
    if (isUf(from) && isUf(to))
      rows.push({ carrierCode, serviceCode, fromState: from, toState: to, days: item.days });
  });
  if (errors.length)
    return fail('invalid', 'DELIVERY.INVALID_TRANSIT_TIMES', 'Some rows of the transit table are invalid.', {
      errors,
    });
  return transaction(db, async (tx) => {
    const before = transitSnapshot(await store.transitRows(tx, viewer.networkId));
    await store.replaceTransitRows(tx, viewer.networkId, rows);
    const saved = await store.transitRows(tx, viewer.networkId);
    const after = transitSnapshot(saved);
    const root = (await network.lineage(tx, viewer.nodeId))[0];
    if (root && JSON.stringify(before) !== JSON.stringify(after)) {
      // The table is the network's: its event belongs to the network root.
      await audit.record(tx, viewer, audit.scopeOf(root), {
        action: 'carrier_transit_times.replaced',
        target: { type: 'carrier_transit_times', id: viewer.networkId, label: 'carrier transit times' },
        before,
        after,
      });
    }
    return ok(saved);
  });
}

export interface SimulationInput {
  postalCode: string;
  items: { sku: string; quantity: number }[];
  storeCode?: string;
}

export interface DeliveryOption {
  experienceCode: string;
  experienceDescription: string;
  type: DeliveryType;
  carrierCode: string | null;
  carrierName: string | null;
  serviceCode: string | null;
  storeCode: string;
  storeName: string;
  storeState: string | null;
  canServe: boolean;
  missing: { sku: string; requested: number; available: number }[];
  invoiceDays: number;
  transitDays: number;
  expectedDate: string;
}

export interface Simulation {
  destination: { postalCode: string; state: Uf; region: Region };
  today: string;
  options: DeliveryOption[];
}

const invalidSimulation = (errors: FieldError[]) =>
  fail('invalid', 'DELIVERY.INVALID_SIMULATION', 'The simulation request is invalid.', { errors });

/**
 * The companies a simulation shows: those under the viewer's node and, for a store, the others its
 * TP_VISUAL_EMP_PRATELEIRA shows (seeds 003: the companies visible in PDVFC019's stock and freight query;
 * the same rule the split reads) — 1 only itself, 2 the stores of its central, 3 every store of the network.
 */
async function companiesSeenBy(db: Db, viewer: network.Viewer) {
  const own = (node: network.NetworkNode) => network.isWithin(node.path, viewer.nodePath);
  const origin = await network.getNodeById(db, viewer.nodeId);
  if (origin?.kind !== 'store') return own;
  const visibility = (await parameters.resolve(db, origin.id, 'TP_VISUAL_EMP_PRATELEIRA')).value;
  if (visibility === '3') return () => true;
  if (visibility === '2')
    return (node: network.NetworkNode) => own(node) || node.parentId === origin.parentId;
  return own;
}

/**
 * PDVFC019's simulation: for each experience the caller sees and each active company enabled under it
 * (and visible to the caller), whether the company serves the whole cart from its free stock, and when
 * the customer gets it — today + invoicing lead days (DS_LST_DTPREV_OMNI) + the carrier's transit days
 * for a shipment (a pickup's destination is the store itself).
 */
export async function simulateDelivery(
  db: Db,
  viewer: network.Viewer,
  input: SimulationInput,
  now: Date = new Date(),
): Promise<Result<Simulation>> {
  const postalCode = normalisePostalCode(input.postalCode);
  const state = postalCode ? stateOfPostalCode(postalCode) : undefined;
  const errors: FieldError[] = [];
  if (!postalCode)
    errors.push({ path: '/postalCode', code: 'DELIVERY.CEP_FORMAT', message: 'must be a CEP of 8 digits' });
  else if (!state)
    errors.push({
      path: '/postalCode',
      code: 'DELIVERY.CEP_UNKNOWN',
      message: 'belongs to no Brazilian state',
    });
  const cart = new Map<string, number>();
  for (const line of input.items) cart.set(line.sku, (cart.get(line.sku) ?? 0) + line.quantity);
  const products = await catalog.productsBySku(db, viewer.networkId, [...cart.keys()]);
  const bySku = new Map(products.map((p) => [p.sku, p]));
  input.items.forEach((line, i) => {
    if (!bySku.has(line.sku))
      errors.push({
        path: `/items/${i}/sku`,
        code: 'DELIVERY.PRODUCT_UNKNOWN',
        params: { sku: line.sku },
        message: `there is no product ${line.sku}`,
      });
  });
  let only: network.NetworkNode | undefined;
  if (input.storeCode !== undefined) {
    const found = await network.findStore(db, viewer, input.storeCode);
    if (found.ok) only = found.value;
    else
      errors.push({
        path: '/storeCode',
        code: 'DELIVERY.STORE_NOT_VISIBLE',
        params: { storeCode: input.storeCode },
        message: `there is no store ${input.storeCode} visible to you`,
      });
  }
  if (errors.length || !state || !postalCode) return invalidSimulation(errors);

  const experiences = await store.listVisible(db, {
    networkId: viewer.networkId,
    viewerPath: viewer.nodePath,
    storeId: only?.id,
    limit: 1000,
  });
  const [enabled, stores] = await Promise.all([
    store.storesOf(
      db,
      experiences.map((e) => e.id),
    ),
    networkStores(db, viewer.networkId),
  ]);
  const sees = await companiesSeenBy(db, viewer);
  const candidates = new Map<string, network.NetworkNode>();
  for (const e of experiences)
    for (const s of enabled.get(e.id) ?? []) {
      const node = stores.get(s.storeId);
      if (node?.active && sees(node) && (!only || only.id === node.id)) candidates.set(node.id, node);
    }
  const balances = await stock.balances(db, {
    storeIds: [...candidates.keys()],
    productIds: products.map((p) => p.id),
  });
  const availableAt = (storeId: string) => (sku: string) =>
    balances.find((b) => b.storeId === storeId && b.productId === bySku.get(sku)!.id)?.available ?? 0;
  const lead = new Map<string, readonly string[]>();
  for (const id of candidates.keys())
    lead.set(id, (await parameters.resolve(db, id, 'DS_LST_DTPREV_OMNI')).value as readonly string[]);
  const transit = await store.transitRows(db, viewer.networkId, { toState: state });
  const today = saoPauloDay(now);
  const lines = [...cart].map(([sku, quantity]) => ({ sku, quantity }));

  const options: DeliveryOption[] = [];
  for (const e of experiences)
    for (const s of enabled.get(e.id) ?? []) {
      const node = candidates.get(s.storeId);
      if (!node) continue;
      const missing = missingLines(lines, availableAt(node.id));
      const invoiceDays = parameters.invoiceLeadDays(lead.get(node.id) ?? [], e.type);
      const fromState = node.address?.state;
      const days =
        e.type === 'pickup'
          ? 0
          : fromState && isUf(fromState)
            ? transitDaysFrom(transit, {
                carrierCode: e.carrierCode,
                serviceCode: e.serviceCode,
                fromState,
                toState: state,
              }).days
            : 7;
      options.push({
        experienceCode: e.code,
        experienceDescription: e.description,
        type: e.type,
        carrierCode: e.carrierCode,
        carrierName: e.carrierName,
        serviceCode: e.serviceCode,
        storeCode: node.code,
        storeName: node.name,
        storeState: fromState ?? null,
        canServe: missing.length === 0,
        missing,
        invoiceDays,
        transitDays: days,
        expectedDate: addDays(today, invoiceDays + days),
      });
    }
  options.sort(compareOptions);
  return ok({ destination: { postalCode, state, region: regionOfUf[state] }, today, options });
}
