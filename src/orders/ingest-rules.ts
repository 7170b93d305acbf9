import { createHash } from 'node:crypto';
import { cnpj, cpf } from 'cpf-cnpj-validator';
import type { FieldError } from '../platform/errors.ts';
import { fromCents, MAX_CENTS, parseMoney } from '../platform/money.ts';
import { resolveMunicipality } from '../platform/municipalities/index.ts';
import { isUf } from '../platform/uf.ts';
import type { DeliveryType, PaymentMethod } from './domain.ts';
import { type ShipmentInput, shipmentErrors } from './shipment-rules.ts';

/**
 * What the platform's order must satisfy before a store ever sees it (issue 3, "Ingest"), pure: the
 * checks that need the database (store, SKUs) are in ingest.ts. Money is decimal strings in, integer
 * cents (bigint) inside: never a float.
 */

export type { FieldError };

export interface CustomerAddress {
  street: string;
  number: string;
  complement?: string | null;
  district: string;
  city: string;
  /** IBGE municipality code; the NF-e needs it, a platform may not know it (resolved from state + city). */
  cityCode?: string | null;
  state: string;
  postalCode: string;
  /** What every platform sends (VTEX `BRA`, Nuvemshop and Shopify `BR`, Magento `Brasil`): only Brazil. */
  country?: string | null;
}

/** The spellings of Brazil the platforms send in an address, compared without case or surrounding space. */
const BRAZIL = new Set(['br', 'bra', 'brasil', 'brazil']);
export const isBrazil = (country: string): boolean => BRAZIL.has(country.trim().toLowerCase());

/**
 * The address as the order keeps it: the IBGE code the NF-e needs (cMun) resolved from state + city when the
 * platform sent none (accent-, case- and punctuation-insensitive, former names included; still null when the
 * city is not found, for the store to fix before invoicing — never a refusal at ingest), and no country
 * (always Brazil).
 */
export function storedAddress(address: CustomerAddress): CustomerAddress {
  const { country: _country, ...rest } = address;
  if (address.cityCode) return { ...rest, cityCode: address.cityCode };
  // Resolved from the table: the city is then written as IBGE names it (xMun of the NF-e), not as typed.
  const found = resolveMunicipality(address.state, address.city);
  return { ...rest, city: found?.name ?? address.city, cityCode: found?.code ?? null };
}

export interface IngestInput {
  externalId: string;
  storeCode: string;
  deliveryType: DeliveryType;
  channel?: string;
  carrier?: string;
  shipment?: ShipmentInput;
  customer: { name: string; document: string; email: string; phone: string; address?: CustomerAddress };
  items: { sku: string; quantity: number; unitPrice: string; discount?: string }[];
  freight?: string;
  payments: { method: PaymentMethod; amount: string; installments?: number; partyDocument?: string }[];
  placedAt: string;
}

export const DEFAULT_CHANNEL = 'ecommerce';
/** A platform's clock may run a little ahead of ours; more than this is a wrong date. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
// --- documents ---------------------------------------------------------------------------------

export type DocumentKind = 'cpf' | 'cnpj';

/** CPF (11 digits) or CNPJ (14 characters, the first 12 alphanumeric since 2026) without punctuation, when valid. */
export function normaliseDocument(value: string): { kind: DocumentKind; value: string } | null {
  const stripped = value.replace(/[.\-/\s]/g, '').toUpperCase();
  if (/^[0-9]{11}$/.test(stripped)) return cpf.isValid(stripped) ? { kind: 'cpf', value: stripped } : null;
  if (/^[0-9A-Z]{12}[0-9]{2}$/.test(stripped)) {
    return cnpj.isValid(stripped) ? { kind: 'cnpj', value: stripped } : null;
  }
  return null;
}

// --- amounts -----------------------------------------------------------------------------------

export interface Amounts {
  /** Per line: gross (quantity × unit price), discount, net. */
  lines: { gross: bigint; discount: bigint; total: bigint }[];
  itemsTotal: bigint;
  discountTotal: bigint;
  freight: bigint;
  total: bigint;
  paid: bigint;
}

/** The order's sums in cents; unparseable money counts as zero (validateIngest reports it). */
export function amountsOf(input: Pick<IngestInput, 'items' | 'freight' | 'payments'>): Amounts {
  const lines = input.items.map((item) => {
    const gross = BigInt(item.quantity) * (parseMoney(item.unitPrice) ?? 0n);
    const discount = parseMoney(item.discount ?? '0.00') ?? 0n;
    return { gross, discount, total: gross - discount };
  });
  const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
  const itemsTotal = sum(lines.map((l) => l.gross));
  const discountTotal = sum(lines.map((l) => l.discount));
  const freight = parseMoney(input.freight ?? '0.00') ?? 0n;
  return {
    lines,
    itemsTotal,
    discountTotal,
    freight,
    total: itemsTotal - discountTotal + freight,
    paid: sum(input.payments.map((p) => parseMoney(p.amount) ?? 0n)),
  };
}

// --- validation --------------------------------------------------------------------------------

function moneyErrors(path: string, value: string | undefined, errors: FieldError[], positive = false) {
  if (value === undefined) return;
  const cents = parseMoney(value);
  if (cents === null)
    errors.push({
      path,
      code: 'ORDER.MONEY_FORMAT',
      message: 'must be a decimal with two places, e.g. "129.90"',
    });
  else if (positive ? cents <= 0n : cents < 0n) {
    errors.push(
      positive
        ? { path, code: 'ORDER.AMOUNT_NOT_POSITIVE', message: 'must be greater than zero' }
        : { path, code: 'ORDER.AMOUNT_NEGATIVE', message: 'must not be negative' },
    );
  }
}

/** The rules of a delivery address, with its fields' pointers under `base`. */
export function addressErrors(address: CustomerAddress, errors: FieldError[], base = '/customer/address') {
  if (!isUf(address.state))
    errors.push({
      path: `${base}/state`,
      code: 'ORDER.STATE_UNKNOWN',
      message: 'is not a Brazilian state (UF)',
    });
  if (!/^[0-9]{8}$/.test(address.postalCode.replace('-', ''))) {
    errors.push({
      path: `${base}/postalCode`,
      code: 'ORDER.CEP_FORMAT',
      message: 'must be a CEP of 8 digits',
    });
  }
  if (address.country != null && !isBrazil(address.country))
    errors.push({
      path: `${base}/country`,
      code: 'ORDER.COUNTRY_UNSUPPORTED',
      message: 'must be Brazil (BR, BRA or Brasil): orders are delivered in Brazil only',
    });
  if (address.cityCode != null && !/^[0-9]{7}$/.test(address.cityCode)) {
    errors.push({
      path: `${base}/cityCode`,
      code: 'ORDER.CITY_CODE_FORMAT',
      message: 'must be the 7-digit IBGE code',
    });
  }
}

// A lone UTF-16 surrogate is not Unicode text: jsonb refuses it and text columns would silently alter it.
const LONE_SURROGATE = /\p{Cs}/u;

/** Pointers of the strings (keys or values) holding a lone surrogate. */
function brokenText(value: unknown, path: string, errors: FieldError[]) {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value))
      errors.push({ path: path || '/', code: 'ORDER.TEXT_INVALID', message: 'is not valid Unicode text' });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) brokenText(v, `${path}/${i}`, errors);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      brokenText(LONE_SURROGATE.test(k) ? k : v, `${path}/${k}`, errors);
  }
}

/** Every rule the request breaks, each with the JSON pointer of the field to fix. */
export function validateIngest(input: IngestInput, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  brokenText(input, '', errors);
  if (errors.length) return errors;
  if (!normaliseDocument(input.customer.document)) {
    errors.push({
      path: '/customer/document',
      code: 'ORDER.DOCUMENT_INVALID',
      message: 'is not a valid CPF or CNPJ (check digits)',
    });
  }
  if (input.deliveryType === 'ship' && !input.customer.address) {
    errors.push({
      path: '/customer/address',
      code: 'ORDER.ADDRESS_REQUIRED',
      message: 'is required for a ship-from-store order',
    });
  }
  if (input.customer.address) addressErrors(input.customer.address, errors);
  if (input.carrier !== undefined && input.deliveryType !== 'ship') {
    errors.push({
      path: '/carrier',
      code: 'ORDER.CARRIER_NOT_SHIP',
      message: 'applies only to ship-from-store orders',
    });
  }
  if (input.shipment) {
    if (input.deliveryType !== 'ship')
      errors.push({
        path: '/shipment',
        code: 'ORDER.NOT_SHIP',
        message: 'applies only to ship-from-store orders',
      });
    else if (input.carrier !== undefined && input.carrier !== input.shipment.carrier)
      errors.push({
        path: '/shipment/carrier',
        code: 'ORDER.CARRIER_MISMATCH',
        params: { carrier: input.carrier },
        message: `must be the order's carrier (${input.carrier})`,
      });
    for (const e of shipmentErrors(input.shipment)) errors.push({ ...e, path: `/shipment${e.path}` });
  }

  if (input.items.length === 0)
    errors.push({ path: '/items', code: 'ORDER.ITEMS_EMPTY', message: 'must have at least one line' });
  const firstLineOf = new Map<string, number>();
  input.items.forEach((item, i) => {
    const path = `/items/${i}`;
    const first = firstLineOf.get(item.sku);
    if (first !== undefined) {
      errors.push({
        path: `${path}/sku`,
        code: 'ORDER.SKU_REPEATED',
        params: { firstLine: first },
        message: `repeats line ${first}; send one line per SKU`,
      });
    } else firstLineOf.set(item.sku, i);
    if (!Number.isSafeInteger(item.quantity) || item.quantity <= 0) {
      errors.push({
        path: `${path}/quantity`,
        code: 'ORDER.QUANTITY_NOT_POSITIVE',
        message: 'must be a whole number greater than zero',
      });
    }
    moneyErrors(`${path}/unitPrice`, item.unitPrice, errors);
    moneyErrors(`${path}/discount`, item.discount, errors);
  });
  moneyErrors('/freight', input.freight, errors);
  input.payments.forEach((payment, i) => {
    moneyErrors(`/payments/${i}/amount`, payment.amount, errors, true);
    if (payment.partyDocument !== undefined && !normaliseDocument(payment.partyDocument)) {
      errors.push({
        path: `/payments/${i}/partyDocument`,
        code: 'ORDER.DOCUMENT_INVALID',
        message: 'is not a valid CPF or CNPJ',
      });
    }
  });

  const placedAt = Date.parse(input.placedAt);
  if (Number.isNaN(placedAt))
    errors.push({ path: '/placedAt', code: 'ORDER.DATE_INVALID', message: 'is not a date-time' });
  else if (placedAt > now.getTime() + FUTURE_TOLERANCE_MS) {
    errors.push({ path: '/placedAt', code: 'ORDER.DATE_IN_FUTURE', message: 'is in the future' });
  }
  // Sums are only meaningful once every amount parsed and is in range.
  if (errors.some((e) => /^\/(items|freight|payments)/.test(e.path))) return errors;
  return [...errors, ...amountErrors(amountsOf(input))];
}

function amountErrors(a: Amounts): FieldError[] {
  const errors: FieldError[] = [];
  a.lines.forEach((line, i) => {
    if (line.discount > line.gross) {
      errors.push({
        path: `/items/${i}/discount`,
        code: 'ORDER.DISCOUNT_ABOVE_LINE',
        params: { lineTotal: fromCents(line.gross) },
        message: `must not exceed the line's ${fromCents(line.gross)} (quantity × unit price)`,
      });
    } else if (line.gross > MAX_CENTS) {
      errors.push({
        path: `/items/${i}/quantity`,
        code: 'ORDER.LINE_TOO_LARGE',
        message: 'makes the line total too large',
      });
    }
  });
  if (errors.length) return errors;
  if (a.itemsTotal > MAX_CENTS || a.total > MAX_CENTS || a.paid > MAX_CENTS) {
    return [{ path: '/items', code: 'ORDER.TOTAL_TOO_LARGE', message: 'the order total is too large' }];
  }
  if (a.paid !== a.total) {
    errors.push({
      path: '/payments',
      code: 'ORDER.PAYMENTS_MISMATCH',
      params: {
        paid: fromCents(a.paid),
        itemsTotal: fromCents(a.itemsTotal),
        discountTotal: fromCents(a.discountTotal),
        freight: fromCents(a.freight),
        total: fromCents(a.total),
      },
      message:
        `add up to ${fromCents(a.paid)}, but the items (${fromCents(a.itemsTotal)}) less discounts ` +
        `(${fromCents(a.discountTotal)}) plus freight (${fromCents(a.freight)}) come to ${fromCents(a.total)}`,
    });
  }
  return errors;
}

// --- the request hash --------------------------------------------------------------------------

/**
 * The request as it is meant, not as it was typed: documents without punctuation, absent amounts as
 * "0.00", the instant in UTC, keys in one order. The same order re-sent with another formatting is still the same order.
 */
export function canonicalRequest(input: IngestInput): unknown {
  const doc = (value: string) => normaliseDocument(value)?.value ?? value;
  const placedAt = Date.parse(input.placedAt);
  return {
    ...input,
    placedAt: Number.isNaN(placedAt) ? input.placedAt : new Date(placedAt).toISOString(),
    channel: input.channel ?? DEFAULT_CHANNEL,
    freight: input.freight ?? '0.00',
    customer: { ...input.customer, document: doc(input.customer.document) },
    items: input.items.map((item) => ({ ...item, discount: item.discount ?? '0.00' })),
    payments: input.payments.map((p) =>
      p.partyDocument ? { ...p, partyDocument: doc(p.partyDocument) } : p,
    ),
  };
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : +(a > b)));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (input: IngestInput): string =>
  createHash('sha256')
    .update(stableJson(canonicalRequest(input)))
    .digest('hex');
