import { cnpj as cnpjLib } from 'cpf-cnpj-validator';
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

/** State registration: digits, or "ISENTO" for exempt companies. Per-state check digits are not checked. */
export function normaliseStateRegistration(value: string): string | null {
  const v = value.replace(/[./-\s]/g, '').toUpperCase();
  return v === 'ISENTO' || /^[0-9]{2,14}$/.test(v) ? v : null;
}

export interface NodeInput {
  kind?: NodeKind;
  cnpj?: string | null;
  stateRegistration?: string | null;
  address?: Address | null;
  latitude?: number | null;
  longitude?: number | null;
}

/** Field-level checks a schema cannot express; returns the errors with their JSON pointers. */
export function validateNode(input: NodeInput, kind: NodeKind): FieldError[] {
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
  if (input.stateRegistration != null && normaliseStateRegistration(input.stateRegistration) === null) {
    errors.push({
      path: '/stateRegistration',
      code: 'NETWORK.STATE_REGISTRATION_FORMAT',
      message: 'must be digits or ISENTO',
    });
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
    if (!/^[0-9]{7}$/.test(a.cityCode)) {
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
