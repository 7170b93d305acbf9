import { cnpj as cnpjLib } from 'cpf-cnpj-validator';
import { validateIE } from 'validations-br';
import type { FieldError } from '../platform/errors.ts';

export type NodeKind = 'network' | 'central' | 'store';
export type Visibility = 'public' | 'private';

export interface Address {
  street: string;
  number: string;
  complement?: string | null;
  district: string;
  city: string;
  /** IBGE municipality code (7 digits), needed on fiscal documents. */
  cityCode: string;
  state: string;
  postalCode: string;
}

/** An address as a request sends it: the IBGE code may be left out (resolved from state + city). */
export type AddressInput = Omit<Address, 'cityCode'> & { cityCode?: string | null };

export interface NetworkNode {
  id: string;
  networkId: string;
  parentId: string | null;
  kind: NodeKind;
  code: string;
  path: string;
  name: string;
  legalName: string;
  cnpj: string | null;
  stateRegistration: string | null;
  address: Address | null;
  latitude: number | null;
  longitude: number | null;
  email: string | null;
  visibility: Visibility;
  active: boolean;
  version: number;
}

/** The part of a principal that decides what it sees. */
export interface Viewer {
  nodeId: string;
  nodePath: string;
  networkId: string;
}

import { isUf } from '../platform/uf.ts';

export { UFS } from '../platform/uf.ts';

export const childKinds: Record<NodeKind, readonly NodeKind[]> = {
  network: ['central', 'store'],
  central: ['store'],
  store: [],
};

export const pathOf = (parentPath: string | null, id: string) => `${parentPath ?? '/'}${id}/`;

export const isWithin = (path: string, ancestorPath: string) => path.startsWith(ancestorPath);

/**
 * A node sees itself and everything below it, and its ancestors' public data. Siblings and the private
 * data of ancestors are invisible (answered as 404, so their existence does not leak).
 */
export function canSee(viewer: Viewer, owner: { path: string; visibility: Visibility }): boolean {
  if (isWithin(owner.path, viewer.nodePath)) return true;
  return owner.visibility === 'public' && isWithin(viewer.nodePath, owner.path);
}

/** A node may be changed only by a viewer at the node itself or above it. */
export const canManage = (viewer: Viewer, node: { path: string }) => isWithin(node.path, viewer.nodePath);

/** Normalised CNPJ (14 characters, digits or — since 2026 — uppercase letters in the first 12). */
export function normaliseCnpj(value: string): string | null {
  const stripped = value.replace(/[./-\s]/g, '').toUpperCase();
  return /^[0-9A-Z]{12}[0-9]{2}$/.test(stripped) && cnpjLib.isValid(stripped) ? stripped : null;
}

/** State registration as stored: digits, or "ISENTO" for exempt companies; null when it is neither. */
export function normaliseStateRegistration(value: string): string | null {
  const v = value.replace(/[./-\s]/g, '').toUpperCase();
  return v === 'ISENTO' || /^[0-9]{2,14}$/.test(v) ? v : null;
}

/**
 * Whether a state registration (IE) is valid in that UF: its length, fixed digits and check digits, per the
 * state's rules as SINTEGRA publishes them (validations-br implements the 27). "ISENTO" is valid anywhere.
 */
export function isValidStateRegistration(value: string, uf: string): boolean {
  const v = normaliseStateRegistration(value);
  if (v === 'ISENTO') return true;
  if (v === null || !isUf(uf)) return false;
  try {
    return validateIE(v, uf);
  } catch {
    return false;
  }
}

export interface NodeInput {
  kind?: NodeKind;
  cnpj?: string | null;
  stateRegistration?: string | null;
  address?: AddressInput | null;
  latitude?: number | null;
  longitude?: number | null;
}

/**
 * Field-level checks a schema cannot express; returns the errors with their JSON pointers. `current` is the
 * node being changed: a state registration is checked against the UF of the address it ends up with.
 */
export function validateNode(
  input: NodeInput,
  kind: NodeKind,
  current?: { stateRegistration: string | null; address: Address | null },
): FieldError[] {
  const errors: FieldError[] = [];
  if (input.cnpj != null && normaliseCnpj(input.cnpj) === null) {
    errors.push({
      path: '/cnpj',
      code: 'NETWORK.CNPJ_INVALID',
      message: 'is not a valid CNPJ (check digits)',
    });
  }
  if (kind === 'store' && input.cnpj === null) {
    errors.push({
      path: '/cnpj',
      code: 'NETWORK.CNPJ_REQUIRED',
      message: 'is required for a store (company)',
    });
  }
  const ie = input.stateRegistration !== undefined ? input.stateRegistration : current?.stateRegistration;
  const uf = input.address !== undefined ? input.address?.state : current?.address?.state;
  if (ie != null && (input.stateRegistration !== undefined || input.address !== undefined)) {
    const normalised = normaliseStateRegistration(ie);
    if (normalised !== null && normalised !== 'ISENTO' && !uf) {
      errors.push({
        path: '/stateRegistration',
        code: 'NETWORK.STATE_REGISTRATION_NEEDS_STATE',
        message: "is checked against the address's state (UF): give the address",
      });
    } else if (normalised === null || (uf && isUf(uf) && !isValidStateRegistration(ie, uf))) {
      errors.push({
        path: '/stateRegistration',
        code: 'NETWORK.STATE_REGISTRATION_INVALID',
        params: { state: uf ?? null },
        message: `is not a valid state registration${uf ? ` of ${uf}` : ''} (length or check digits), nor ISENTO`,
      });
    }
  }
  const a = input.address;
  if (a) {
    if (!isUf(a.state)) {
      errors.push({
        path: '/address/state',
        code: 'NETWORK.STATE_UNKNOWN',
        message: 'is not a Brazilian state (UF)',
      });
    }
    if (!/^[0-9]{8}$/.test(a.postalCode.replace('-', ''))) {
      errors.push({
        path: '/address/postalCode',
        code: 'NETWORK.CEP_FORMAT',
        message: 'must be a CEP of 8 digits',
      });
    }
    if (a.cityCode != null && !/^[0-9]{7}$/.test(a.cityCode)) {
      errors.push({
        path: '/address/cityCode',
        code: 'NETWORK.CITY_CODE_FORMAT',
        message: 'must be the 7-digit IBGE code',
      });
    }
  }
  if ((input.latitude == null) !== (input.longitude == null)) {
    errors.push({
      path: '/latitude',
      code: 'NETWORK.COORDINATES_PAIR',
      message: 'latitude and longitude go together',
    });
  }
  return errors;
}

/** An order of a store that is not finished yet, as a deactivation refusal lists it. */
export interface OpenOrder {
  id: string;
  number: number | null;
  status: string;
}

/** A stock request still on its way, where the store asks for goods or supplies them. */
export interface OpenStockRequest {
  id: string;
  orderId: string;
  orderNumber: number | null;
  status: string;
}

/** Unfinished work at a store: the first few of each kind, with their totals. */
export interface OpenWork {
  orders?: { items: OpenOrder[]; total: number };
  stockRequests?: { items: OpenStockRequest[]; total: number };
}

/** How many of each kind a refusal lists (the totals say how many there are). */
export const OPEN_WORK_LISTED = 20;

export const hasOpenWork = (work: OpenWork) =>
  (work.orders?.total ?? 0) > 0 || (work.stockRequests?.total ?? 0) > 0;

/** The fields of a node the audit log keeps (what an admin edits). */
export const auditedFields = [
  'name',
  'legalName',
  'cnpj',
  'stateRegistration',
  'address',
  'latitude',
  'longitude',
  'email',
  'visibility',
  'active',
] as const;

export function snapshotOf(node: NetworkNode): Record<string, unknown> {
  return Object.fromEntries([
    ['code', node.code],
    ['kind', node.kind],
    ...auditedFields.map((f) => [f, node[f]]),
  ]);
}

/** The audited fields that differ between two versions of a node, as before/after snapshots (active apart). */
export function changedFields(before: NetworkNode, after: NetworkNode) {
  const changed = auditedFields.filter(
    (f) => f !== 'active' && JSON.stringify(before[f]) !== JSON.stringify(after[f]),
  );
  return {
    before: Object.fromEntries(changed.map((f) => [f, before[f]])),
    after: Object.fromEntries(changed.map((f) => [f, after[f]])),
    changed,
  };
}

/** Great-circle distance in kilometres (haversine): used to rank companies by proximity. */
export function distanceKm(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
) {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLng = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
