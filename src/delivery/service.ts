import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import type { DeliveryType } from './domain.ts';
import { createExperience, type ExperienceInput } from './experiences.ts';
import { replaceTransitTimes } from './simulation.ts';
import * as store from './store.ts';

/**
 * Delivery experiences as other contexts (the split) and the HTTP routes use them. Configuration,
 * store lists and the map live in experiences.ts; transit times and the simulation in simulation.ts.
 */

export {
  type AccountEditor,
  type AccountInput,
  type AccountTestInput,
  type AccountTestOutcome,
  type Carrier,
  CarrierAccountUnreadable,
  type CarrierAccountView,
  type CarrierClientOptions,
  CarrierFault,
  type CarrierFor,
  type CarrierLabel,
  type CarrierRefusal,
  type CarrierWebhook,
  type CreatedShipment,
  carrierAdapters,
  carrierCodesWithAccount,
  carrierFor,
  carrierWebhookFor,
  deleteAccount as deleteCarrierAccount,
  listAccounts as listCarrierAccounts,
  putAccount as putCarrierAccount,
  type ShipmentRequest,
  type TrackedShipment,
  type TrackingEvent,
  type TrackingStatus,
  testAccount as testCarrierAccount,
  trackingStatuses,
} from './carriers/index.ts';
export type { DeliveryType, Region, TransitRow, Uf } from './domain.ts';
export { deliveryTypes, regionOfUf, stateOfPostalCode, UFS } from './domain.ts';
export {
  createExperience,
  deleteExperience,
  type EnabledStoreView,
  type ExperienceInput,
  type ExperienceListQuery,
  type ExperiencePatch,
  type ExperienceView,
  experienceMap,
  getExperience,
  listExperiences,
  setExperienceStores,
  updateExperience,
} from './experiences.ts';
export {
  type DeliveryOption,
  listTransitTimes,
  replaceTransitTimes,
  type Simulation,
  type SimulationInput,
  simulateDelivery,
  transitDays,
} from './simulation.ts';

/**
 * Which companies may serve an order of a fulfilling store (PDVFC019: "sugerirá as empresas com base nas
 * configurações … compatíveis com a empresa origem"): the experiences that enable the store with the
 * order's delivery type — for a shipment with a carrier, that carrier's; without one, any shipment — and
 * the union of their companies. `storeIds: null` when none matches: no experience constrains the split.
 */
export async function allowedStoresFor(
  db: Db,
  order: { storeId: string; deliveryType: DeliveryType; carrier: string | null },
): Promise<{ experiences: { code: string; description: string }[]; storeIds: Set<string> | null }> {
  const place = await network.placement(db, order.storeId);
  if (!place) return { experiences: [], storeIds: null };
  let rows = await store.experiencesEnabling(db, {
    networkId: place.networkId,
    storeId: order.storeId,
    type: order.deliveryType,
  });
  const carrier = order.carrier?.trim().toUpperCase();
  if (order.deliveryType === 'ship' && carrier) rows = rows.filter((r) => r.carrierCode === carrier);
  if (rows.length === 0) return { experiences: [], storeIds: null };
  const enabled = await store.storesOf(
    db,
    rows.map((r) => r.id),
  );
  const storeIds = new Set([...enabled.values()].flat().map((s) => s.storeId));
  return { experiences: rows.map((r) => ({ code: r.code, description: r.description })), storeIds };
}

/**
 * The service a store's ship experiences name for a carrier (PDVFM093: the experience's carrier and service),
 * when they agree on one; null when none names one or they differ (the carrier job then quotes).
 */
export async function experienceServiceFor(
  db: Db,
  storeId: string,
  carrierCode: string,
): Promise<string | null> {
  const place = await network.placement(db, storeId);
  if (!place) return null;
  const rows = await store.experiencesEnabling(db, { networkId: place.networkId, storeId, type: 'ship' });
  const services = new Set(
    rows.filter((r) => r.carrierCode === carrierCode && r.serviceCode).map((r) => r.serviceCode!),
  );
  return services.size === 1 ? [...services][0]! : null;
}

const demoExperiences: ExperienceInput[] = [
  { code: 'RETIRA', description: 'Retirada na loja', type: 'pickup', storeCodes: ['11', '8', '3'] },
  {
    code: 'SEDEX',
    description: 'Envio Correios – SEDEX',
    carrierCode: 'CORREIOS',
    carrierName: 'Correios',
    serviceCode: '04014',
    type: 'ship',
    storeCodes: ['11', '8', '3'],
  },
  { code: 'PROPRIA', description: 'Entrega própria', type: 'ship', storeCodes: ['11', '8'] },
];

/** The demo's experiences and a few CORREIOS transit rows (the demo network's). */
export async function seedDeliveryExperiences(db: Db, networkId: string): Promise<void> {
  const root = await network.getNodeById(db, networkId);
  if (!root) throw new Error(`seedDeliveryExperiences: no network ${networkId}`);
  const viewer = { nodeId: root.id, nodePath: root.path, networkId };
  for (const e of demoExperiences) {
    const done = await createExperience(db, viewer, e);
    if (!done.ok) throw new Error(`seedDeliveryExperiences: ${done.failure.code} ${done.failure.detail}`);
  }
  const route = (fromState: string, toState: string, days: number) => ({
    carrierCode: 'CORREIOS',
    serviceCode: '04014',
    fromState,
    toState,
    days,
  });
  const done = await replaceTransitTimes(db, viewer, [
    route('SP', 'SP', 1),
    route('SP', 'PR', 3),
    route('PR', 'SP', 3),
    route('PR', 'PR', 1),
  ]);
  if (!done.ok) throw new Error(`seedDeliveryExperiences: ${done.failure.code} ${done.failure.detail}`);
}
