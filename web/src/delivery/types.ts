/** The delivery experiences API as the back office reads it (src/delivery/routes.ts). */

export type DeliveryType = 'pickup' | 'ship';

export interface EnabledStore {
  code: string;
  name: string;
  city: string | null;
  state: string | null;
  latitude: number | null;
  longitude: number | null;
  active: boolean;
}

export interface Experience {
  code: string;
  description: string;
  carrierCode: string | null;
  carrierName: string | null;
  serviceCode: string | null;
  type: DeliveryType;
  stores: EnabledStore[];
  version: number;
  updatedAt: string;
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
  destination: { postalCode: string; state: string; region: string };
  today: string;
  options: DeliveryOption[];
}

/** The companies "Copiar empresas" keeps in the page, with where they came from. */
export interface CopiedStores {
  origin: string;
  storeCodes: string[];
}

/** "2026-11-26" → "26/11/2026", without a time zone that could shift the day. */
export function formatDay(ymd: string): string {
  const [y, m, d] = ymd.split('-');
  return `${d}/${m}/${y}`;
}

/** "80020310" → "80020-310". */
export const formatCep = (cep: string) => cep.replace(/^(\d{5})(\d{3})$/, '$1-$2');
