import type { Actor } from '../platform/actors.ts';
import type { FieldError } from '../platform/errors.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { fromCents, toCents } from '../platform/money.ts';

export type { FieldError };

/** The principal as the catalog sees it: where it sits in the network, and who it is. */
export interface CatalogViewer {
  nodeId: string;
  nodePath: string;
  networkId: string;
  actor: Actor;
}

/**
 * The channel a principal buys or sells through, which decides what of the catalog it sees: the
 * e-commerce platform only what is enabled for the e-commerce, a POS what the stores offer; the
 * back office sees everything.
 */
export function channelOf(actor: Actor): Channel | null {
  if (actor === 'platform') return 'ecommerce';
  if (actor === 'pos') return 'store';
  return null;
}

/** Units of sale printed on fiscal documents (NF-e uCom/uTrib). */
export const units = ['UN', 'PC', 'PAR', 'KG', 'G', 'CX', 'KIT', 'JG', 'DZ', 'MT', 'M2', 'LT'] as const;
export type Unit = (typeof units)[number];

export interface EcommerceFlags {
  /** "Integra e-commerce": the product is sent to the e-commerce platform. */
  integratesEcommerce: boolean;
  /** "Ativo e-commerce": the product is sellable there. */
  activeEcommerce: boolean;
}

export interface Product extends EcommerceFlags {
  id: string;
  networkId: string;
  sku: string;
  ean: string;
  description: string;
  ncm: string;
  unit: string;
  /** The network default price; stores and centrals may override it. */
  price: string;
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What the e-commerce platform may see: the product active and both flags set. */
export const isEcommerceEnabled = (p: EcommerceFlags & { active: boolean }) =>
  p.active && p.integratesEcommerce && p.activeEcommerce;

// --- identifiers -------------------------------------------------------------------------------

/** GS1 mod-10 check digit of a 12-digit EAN-13 body: weights 1,3,1,3… from the left. */
export function eanCheckDigit(body: string): number {
  if (!/^[0-9]{12}$/.test(body)) throw new Error(`EAN-13 body must be 12 digits, got "${body}"`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export const isValidEan13 = (ean: string) =>
  /^[0-9]{13}$/.test(ean) && eanCheckDigit(ean.slice(0, 12)) === Number(ean[12]);

/** NCM: 8 digits (dots allowed on input); chapters run from 01 to 97 (Mercosur Common Nomenclature). */
export function normaliseNcm(value: string): string | null {
  const digits = value.replace(/\./g, '');
  if (!/^[0-9]{8}$/.test(digits)) return null;
  const chapter = Number(digits.slice(0, 2));
  return chapter >= 1 && chapter <= 97 ? digits : null;
}

// --- product input -----------------------------------------------------------------------------

export interface ProductInput {
  ean?: string;
  ncm?: string;
  price?: string;
}

/** Field checks a schema cannot express, with JSON pointers into the body. */
export function validateProduct(input: ProductInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.ean !== undefined && !isValidEan13(input.ean)) {
    errors.push({
      path: '/ean',
      code: 'CATALOG.EAN_INVALID',
      message: 'is not a valid EAN-13 (13 digits, GS1 check digit)',
    });
  }
  if (input.ncm !== undefined && normaliseNcm(input.ncm) === null) {
    errors.push({
      path: '/ncm',
      code: 'CATALOG.NCM_INVALID',
      message: 'must be an NCM of 8 digits, chapter 01 to 97',
    });
  }
  if (input.price !== undefined && toCents(input.price) < 0n) {
    errors.push({ path: '/price', code: 'CATALOG.PRICE_NEGATIVE', message: 'must not be negative' });
  }
  return errors;
}

// --- e-commerce flags --------------------------------------------------------------------------

/**
 * Applies a change of the two e-commerce flags. A product is active on the e-commerce only if it
 * integrates with it. Clearing "integrates" also clears "active": a product no longer sent to the
 * platform cannot stay sellable there, and refusing instead would force every caller to send both
 * flags in the right order. Activating a product that does not integrate is refused, not cascaded
 * upwards: exposing a product to the platform is a decision the caller must state.
 */
export function applyFlags(current: EcommerceFlags, change: Partial<EcommerceFlags>): Result<EcommerceFlags> {
  if (change.integratesEcommerce === false && change.activeEcommerce === true) {
    return fail(
      'invalid',
      'CATALOG.CONTRADICTORY_FLAGS',
      'A product cannot be active on the e-commerce without integrating with it.',
      {
        errors: [
          {
            path: '/activeEcommerce',
            code: 'CATALOG.ECOMMERCE_NOT_INTEGRATED',
            message: 'cannot be true while integratesEcommerce is false',
          },
        ],
      },
    );
  }
  const integratesEcommerce = change.integratesEcommerce ?? current.integratesEcommerce;
  const activeEcommerce = integratesEcommerce ? (change.activeEcommerce ?? current.activeEcommerce) : false;
  if (change.activeEcommerce === true && !integratesEcommerce) {
    return fail(
      'conflict',
      'CATALOG.NOT_INTEGRATED',
      'The product does not integrate with the e-commerce; set integratesEcommerce first (or in the same request).',
    );
  }
  return ok({ integratesEcommerce, activeEcommerce });
}

export const sameFlags = (a: EcommerceFlags, b: EcommerceFlags) =>
  a.integratesEcommerce === b.integratesEcommerce && a.activeEcommerce === b.activeEcommerce;

// --- prices ------------------------------------------------------------------------------------

export type PriceSource = 'network' | 'central' | 'store';

export interface ResolvedPrice {
  price: string;
  source: PriceSource;
  /** The node whose override applies; null for the network default. */
  nodeId: string | null;
}

/**
 * Nearest node wins: walking from the node up to the root, the first override found is the price;
 * without any, the network default. `chain` runs root → node, as the node's path does.
 */
export function resolvePrice(
  defaultPrice: string,
  chain: ReadonlyArray<{ id: string; kind: 'network' | 'central' | 'store' }>,
  overrides: ReadonlyMap<string, string>,
): ResolvedPrice {
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i]!;
    const price = overrides.get(node.id);
    if (price !== undefined && node.kind !== 'network') return { price, source: node.kind, nodeId: node.id };
  }
  return { price: defaultPrice, source: 'network', nodeId: null };
}

// --- promotions --------------------------------------------------------------------------------

/**
 * The sales modality a promotion is registered for. Only promotions of the "Ecommerce" modality are
 * offered to the e-commerce platform (seeds, promotions engine); `all` stands for a promotion
 * selected for every modality, the e-commerce included, and `store` for the physical stores (POS).
 */
export const modalities = ['ecommerce', 'store', 'all'] as const;
export type Modality = (typeof modalities)[number];
export type Channel = 'ecommerce' | 'store';

export const offeredOn = (modality: Modality, channel: Channel) => modality === 'all' || modality === channel;

export interface PromotionTerms {
  discountPercent: string | null;
  discountAmount: string | null;
  startsAt: Date;
  endsAt: Date;
  active: boolean;
}

/** A promotion applies from startsAt (inclusive) to endsAt (exclusive), while active. */
export const isCurrent = (p: Pick<PromotionTerms, 'startsAt' | 'endsAt' | 'active'>, at: Date) =>
  p.active && p.startsAt.getTime() <= at.getTime() && at.getTime() < p.endsAt.getTime();

export function validatePromotion(p: PromotionTerms): FieldError[] {
  const errors: FieldError[] = [];
  const percent = p.discountPercent === null ? null : toCents(p.discountPercent);
  const amount = p.discountAmount === null ? null : toCents(p.discountAmount);
  if ((percent === null) === (amount === null)) {
    errors.push({
      path: '/discountPercent',
      code: 'CATALOG.DISCOUNT_ONE_OF',
      message: 'exactly one of discountPercent and discountAmount is set',
    });
  }
  if (percent !== null && (percent <= 0n || percent > 10_000n)) {
    errors.push({
      path: '/discountPercent',
      code: 'CATALOG.DISCOUNT_PERCENT_RANGE',
      message: 'must be above 0.00 and at most 100.00',
    });
  }
  if (amount !== null && amount <= 0n)
    errors.push({
      path: '/discountAmount',
      code: 'CATALOG.DISCOUNT_AMOUNT_POSITIVE',
      message: 'must be above 0.00',
    });
  if (p.endsAt.getTime() <= p.startsAt.getTime()) {
    errors.push({ path: '/endsAt', code: 'CATALOG.ENDS_BEFORE_START', message: 'must be after startsAt' });
  }
  return errors;
}

/**
 * The price after the promotion's discount, never below zero. A percentage is rounded half-up to
 * the cent, as a cashier would.
 */
export function discountedPrice(
  price: string,
  terms: Pick<PromotionTerms, 'discountPercent' | 'discountAmount'>,
): string {
  const cents = toCents(price);
  if (terms.discountPercent !== null) {
    const off = (cents * toCents(terms.discountPercent) + 5_000n) / 10_000n;
    return fromCents(cents - off < 0n ? 0n : cents - off);
  }
  const amount = terms.discountAmount === null ? 0n : toCents(terms.discountAmount);
  return fromCents(cents - amount < 0n ? 0n : cents - amount);
}
