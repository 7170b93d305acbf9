import type { FieldError } from '../platform/errors.ts';
/**
 * Delivery experiences (PDVFM093 – Configuração de Experiência): how an order reaches the customer —
 * pickup at a store, or shipped by the store through a carrier or its own delivery — and which companies
 * may serve it. Pure: the configuration rules, CEP → UF, the five regions, transit fallbacks, dates and
 * the offline map's projection.
 */

export const deliveryTypes = ['pickup', 'ship'] as const;
export type DeliveryType = (typeof deliveryTypes)[number];

import { isUf, UFS, type Uf } from '../platform/uf.ts';

export { isUf, UFS, type Uf };

/** The five regions of IBGE. */
export const regions = ['norte', 'nordeste', 'centro_oeste', 'sudeste', 'sul'] as const;
export type Region = (typeof regions)[number];

export const regionOfUf: Readonly<Record<Uf, Region>> = {
  AC: 'norte',
  AP: 'norte',
  AM: 'norte',
  PA: 'norte',
  RO: 'norte',
  RR: 'norte',
  TO: 'norte',
  AL: 'nordeste',
  BA: 'nordeste',
  CE: 'nordeste',
  MA: 'nordeste',
  PB: 'nordeste',
  PE: 'nordeste',
  PI: 'nordeste',
  RN: 'nordeste',
  SE: 'nordeste',
  DF: 'centro_oeste',
  GO: 'centro_oeste',
  MT: 'centro_oeste',
  MS: 'centro_oeste',
  ES: 'sudeste',
  MG: 'sudeste',
  RJ: 'sudeste',
  SP: 'sudeste',
  PR: 'sul',
  RS: 'sul',
  SC: 'sul',
};

/**
 * The Correios CEP ranges per UF (first five digits, inclusive). Some UFs hold two ranges (AM around RR,
 * DF and GO interleaved). Prefixes outside every range (00000–00999) belong to no UF.
 */
export const cepRanges: readonly { uf: Uf; from: number; to: number }[] = [
  { uf: 'SP', from: 1000, to: 19999 },
  { uf: 'RJ', from: 20000, to: 28999 },
  { uf: 'ES', from: 29000, to: 29999 },
  { uf: 'MG', from: 30000, to: 39999 },
  { uf: 'BA', from: 40000, to: 48999 },
  { uf: 'SE', from: 49000, to: 49999 },
  { uf: 'PE', from: 50000, to: 56999 },
  { uf: 'AL', from: 57000, to: 57999 },
  { uf: 'PB', from: 58000, to: 58999 },
  { uf: 'RN', from: 59000, to: 59999 },
  { uf: 'CE', from: 60000, to: 63999 },
  { uf: 'PI', from: 64000, to: 64999 },
  { uf: 'MA', from: 65000, to: 65999 },
  { uf: 'PA', from: 66000, to: 68899 },
  { uf: 'AP', from: 68900, to: 68999 },
  { uf: 'AM', from: 69000, to: 69299 },
  { uf: 'RR', from: 69300, to: 69399 },
  { uf: 'AM', from: 69400, to: 69899 },
  { uf: 'AC', from: 69900, to: 69999 },
  { uf: 'DF', from: 70000, to: 72799 },
  { uf: 'GO', from: 72800, to: 72999 },
  { uf: 'DF', from: 73000, to: 73699 },
  { uf: 'GO', from: 73700, to: 76799 },
  { uf: 'RO', from: 76800, to: 76999 },
  { uf: 'TO', from: 77000, to: 77999 },
  { uf: 'MT', from: 78000, to: 78899 },
  // Rondônia's second range (Porto Velho's older CEPs), between Mato Grosso's and Mato Grosso do Sul's.
  { uf: 'RO', from: 78900, to: 78999 },
  { uf: 'MS', from: 79000, to: 79999 },
  { uf: 'PR', from: 80000, to: 87999 },
  { uf: 'SC', from: 88000, to: 89999 },
  { uf: 'RS', from: 90000, to: 99999 },
];

/** A CEP as 8 digits ("80020-310" → "80020310"), or undefined when it is not one. */
export function normalisePostalCode(cep: string): string | undefined {
  const digits = cep.trim().replace(/^(\d{5})-(\d{3})$/, '$1$2');
  return /^\d{8}$/.test(digits) ? digits : undefined;
}

/** The UF a CEP belongs to, by the Correios ranges; undefined for a malformed or unassigned CEP. */
export function stateOfPostalCode(cep: string): Uf | undefined {
  const digits = normalisePostalCode(cep);
  if (!digits) return undefined;
  const prefix = Number(digits.slice(0, 5));
  return cepRanges.find((r) => prefix >= r.from && prefix <= r.to)?.uf;
}

/** Days in transit when the carrier's table has no row: same state 2, same region 4, otherwise 7. */
export function defaultTransitDays(fromState: Uf, toState: Uf): number {
  if (fromState === toState) return 2;
  return regionOfUf[fromState] === regionOfUf[toState] ? 4 : 7;
}

export interface TransitRow {
  carrierCode: string;
  /** null: the carrier's row for every service. */
  serviceCode: string | null;
  fromState: Uf;
  toState: Uf;
  days: number;
}

/** A service is known by its code: "04014 SEDEX" and "04014" are the same service. */
const serviceKey = (service: string | null) => service?.trim().split(/\s+/)[0]?.toUpperCase() ?? null;

/** The carrier's own row for the service, else its row for every service, else the default. */
export function transitDaysFrom(
  rows: readonly TransitRow[],
  route: { carrierCode: string | null; serviceCode: string | null; fromState: Uf; toState: Uf },
): { days: number; source: 'service' | 'carrier' | 'default' } {
  const carrier = route.carrierCode?.toUpperCase();
  const same = (r: TransitRow) =>
    carrier !== undefined &&
    r.carrierCode.toUpperCase() === carrier &&
    r.fromState === route.fromState &&
    r.toState === route.toState;
  const service = serviceKey(route.serviceCode);
  const exact = rows.find((r) => same(r) && r.serviceCode !== null && serviceKey(r.serviceCode) === service);
  if (exact) return { days: exact.days, source: 'service' };
  const any = rows.find((r) => same(r) && r.serviceCode === null);
  if (any) return { days: any.days, source: 'carrier' };
  return { days: defaultTransitDays(route.fromState, route.toState), source: 'default' };
}

export const CODE_PATTERN = '^[A-Za-z0-9_-]{1,20}$';
/** The carrier whose services are contracted by code (SEDEX 04014, PAC 04510): the service is mandatory. */
export const CORREIOS = 'CORREIOS';

export interface ExperienceFields {
  description: string;
  carrierCode: string | null;
  carrierName: string | null;
  serviceCode: string | null;
  type: DeliveryType;
}

/** Blank optional texts are absent; the rest trimmed. */
export function normaliseFields(input: {
  description: string;
  carrierCode?: string | null;
  carrierName?: string | null;
  serviceCode?: string | null;
  type?: DeliveryType | null;
}): Omit<ExperienceFields, 'type'> & { type: DeliveryType | null } {
  const text = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v.trim());
  const carrierCode = text(input.carrierCode)?.toUpperCase() ?? null;
  return {
    description: input.description.trim(),
    carrierCode,
    carrierName: text(input.carrierName),
    serviceCode: text(input.serviceCode),
    // A carrier forces shipping by the store (the seeds: "o tipo será definido automaticamente").
    type: input.type ?? (carrierCode ? 'ship' : null),
  };
}

/** The configuration rules of PDVFM093; each error names the field. */
export function validateExperience(f: Omit<ExperienceFields, 'type'> & { type: DeliveryType | null }) {
  const errors: FieldError[] = [];
  if (f.description.length < 1 || f.description.length > 120)
    errors.push({
      path: '/description',
      code: 'DELIVERY.DESCRIPTION_LENGTH',
      params: { min: 1, max: 120 },
      message: 'must have 1 to 120 characters',
    });
  if (f.carrierCode !== null && !/^[A-Z0-9_-]{1,20}$/.test(f.carrierCode))
    errors.push({
      path: '/carrierCode',
      code: 'DELIVERY.CARRIER_CODE_FORMAT',
      message: 'must be 1 to 20 letters, digits, _ or -',
    });
  if (f.carrierName !== null && f.carrierName.length > 60)
    errors.push({
      path: '/carrierName',
      code: 'DELIVERY.CARRIER_NAME_LENGTH',
      params: { max: 60 },
      message: 'must have at most 60 characters',
    });
  if (f.carrierCode === null && f.carrierName !== null)
    errors.push({
      path: '/carrierName',
      code: 'DELIVERY.CARRIER_CODE_REQUIRED',
      message: 'needs a carrier code',
    });
  if (f.serviceCode !== null && f.serviceCode.length > 40)
    errors.push({
      path: '/serviceCode',
      code: 'DELIVERY.SERVICE_CODE_LENGTH',
      params: { max: 40 },
      message: 'must have at most 40 characters',
    });
  if (f.carrierCode === null && f.serviceCode !== null)
    errors.push({
      path: '/serviceCode',
      code: 'DELIVERY.CARRIER_CODE_REQUIRED',
      message: 'needs a carrier code',
    });
  if (f.carrierCode === CORREIOS && f.serviceCode === null)
    errors.push({
      path: '/serviceCode',
      code: 'DELIVERY.SERVICE_CODE_REQUIRED',
      params: { carrierCode: 'CORREIOS' },
      message: 'is required for CORREIOS (e.g. "04014 SEDEX")',
    });
  if (f.type === null)
    errors.push({ path: '/type', code: 'DELIVERY.TYPE_REQUIRED', message: 'is required without a carrier' });
  else if (f.carrierCode !== null && f.type !== 'ship')
    errors.push({
      path: '/type',
      code: 'DELIVERY.TYPE_MUST_BE_SHIP',
      message: 'must be ship when a carrier delivers',
    });
  return errors;
}

/** A calendar date (YYYY-MM-DD) some days after another. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface SimulationOption {
  experienceCode: string;
  storeCode: string;
  canServe: boolean;
  expectedDate: string;
}

/** Servable first, then the earliest date, then by store and experience code (stable for the same cart). */
export function compareOptions(a: SimulationOption, b: SimulationOption): number {
  if (a.canServe !== b.canServe) return a.canServe ? -1 : 1;
  if (a.expectedDate !== b.expectedDate) return a.expectedDate < b.expectedDate ? -1 : 1;
  const byStore = a.storeCode.localeCompare(b.storeCode, 'en', { numeric: true });
  return byStore || a.experienceCode.localeCompare(b.experienceCode);
}

/** What each line of a cart lacks at a store (empty when it serves all of it). */
export function missingLines(
  cart: readonly { sku: string; quantity: number }[],
  available: (sku: string) => number,
): { sku: string; requested: number; available: number }[] {
  return cart
    .map((line) => ({ sku: line.sku, requested: line.quantity, available: available(line.sku) }))
    .filter((l) => l.available < l.requested);
}
