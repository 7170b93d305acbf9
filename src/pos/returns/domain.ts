/**
 * Returns at the POS (seed 000 §3.4.4 "Cadastro de Motivo de Devolução Omni", §3.5.2 "Troca/Devolução
 * Omni"): the reasons a network registers per type with a validity period, and the arithmetic of what an
 * order may still give back. Pure: no clock (the day is passed in), no database.
 */
import type { FieldError } from '../../platform/errors.ts';
import { type Cents, centsOf, fromCents } from '../../platform/money.ts';

/**
 * The reason types of the seeds' "Motivos" screen: `oms_order_return` ("Devolução Pedido OMS") is offered
 * when the sale was an omni order; the others are there for the POS's own returns to come.
 */
export const returnReasonTypes = ['oms_order_return', 'store_sale_return'] as const;
export type ReturnReasonType = (typeof returnReasonTypes)[number];
export const OMNI_RETURN: ReturnReasonType = 'oms_order_return';

export const REASON_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$';
export const REASON_DESCRIPTION_MAX = 120;

export interface ReasonValidity {
  active: boolean;
  /** YYYY-MM-DD, the first day it may be chosen. */
  validFrom: string;
  /** YYYY-MM-DD, the last day it may be chosen; null: open-ended. */
  validTo: string | null;
}

/** Whether a reason may be chosen on `day` (YYYY-MM-DD, São Paulo): active and within its period. */
export const isValidOn = (reason: ReasonValidity, day: string): boolean =>
  reason.active && reason.validFrom <= day && (reason.validTo === null || reason.validTo >= day);

/** A calendar day YYYY-MM-DD that exists (no 30 February) in the years a database date takes. */
const isDay = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value < '1900-01-01') return false;
  const at = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === value;
};

/** The fields of a reason, each problem with its path. */
export function reasonErrors(f: {
  description?: string;
  validFrom?: string;
  validTo?: string | null;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (f.description !== undefined) {
    const text = f.description.trim();
    if (text.length === 0 || text.length > REASON_DESCRIPTION_MAX)
      errors.push({
        path: '/description',
        code: 'RETURN.REASON_DESCRIPTION_LENGTH',
        params: { min: 1, max: REASON_DESCRIPTION_MAX },
        message: `must have 1 to ${REASON_DESCRIPTION_MAX} characters`,
      });
  }
  for (const field of ['validFrom', 'validTo'] as const) {
    const value = f[field];
    if (value && !isDay(value))
      errors.push({ path: `/${field}`, code: 'RETURN.DATE_INVALID', message: 'must be a date YYYY-MM-DD' });
  }
  if (f.validFrom && f.validTo && isDay(f.validFrom) && isDay(f.validTo) && f.validTo < f.validFrom)
    errors.push({
      path: '/validTo',
      code: 'RETURN.PERIOD_INVERTED',
      params: { validFrom: f.validFrom },
      message: 'must not be before validFrom',
    });
  return errors;
}

export interface SoldLine {
  sku: string;
  quantity: number;
}

/** What each SKU of the order may still give back: sold minus every return so far (never below zero). */
export function remainingBySku(
  sold: readonly SoldLine[],
  returned: readonly SoldLine[],
): Map<string, { sold: number; returned: number; remaining: number }> {
  const back = new Map<string, number>();
  for (const r of returned) back.set(r.sku, (back.get(r.sku) ?? 0) + r.quantity);
  return new Map(
    sold.map((s) => {
      const returnedSoFar = back.get(s.sku) ?? 0;
      return [
        s.sku,
        { sold: s.quantity, returned: returnedSoFar, remaining: Math.max(0, s.quantity - returnedSoFar) },
      ];
    }),
  );
}

export interface RequestedLine {
  sku: string;
  quantity: number;
}

/**
 * The requested lines against what remains: SKUs the order did not sell (or named twice) are invalid
 * (422); a quantity above what remains is a conflict with what was returned already (409). Each error
 * names `/items/i/...` and, for quantities, what remains.
 */
export function returnLineProblems(
  requested: readonly RequestedLine[],
  remaining: ReturnType<typeof remainingBySku>,
): { invalid: FieldError[]; exceeded: FieldError[] } {
  const invalid: FieldError[] = [];
  const exceeded: FieldError[] = [];
  const seen = new Set<string>();
  requested.forEach((line, i) => {
    const left = remaining.get(line.sku);
    if (!left)
      invalid.push({
        path: `/items/${i}/sku`,
        code: 'RETURN.SKU_NOT_SOLD',
        params: { sku: line.sku },
        message: `the order did not sell ${line.sku}`,
      });
    else if (seen.has(line.sku))
      invalid.push({
        path: `/items/${i}/sku`,
        code: 'RETURN.SKU_REPEATED',
        params: { sku: line.sku },
        message: `${line.sku} is named twice; give one line per SKU`,
      });
    else if (line.quantity > left.remaining)
      exceeded.push({
        path: `/items/${i}/quantity`,
        code: 'RETURN.QUANTITY_EXCEEDS_REMAINING',
        params: { sku: line.sku, requested: line.quantity, ...left },
        message: `${line.quantity} asked, ${left.remaining} of ${left.sold} sold may still come back`,
      });
    seen.add(line.sku);
  });
  return { invalid, exceeded };
}

/**
 * The part of a line's discount that goes with `quantity` units returned after `before` units already
 * returned: the difference of the cumulative shares, so the returns of a whole line add up to exactly its
 * discount, whatever the partial returns were (no cent lost or counted twice).
 */
export function discountShare(
  lineDiscount: Cents,
  lineQuantity: number,
  before: number,
  quantity: number,
): Cents {
  const total = BigInt(lineQuantity);
  const upTo = (units: number) => (lineDiscount * BigInt(units)) / total;
  return upTo(before + quantity) - upTo(before);
}

export interface ReturnedValue {
  unitPrice: string;
  discount: string;
  total: string;
}

/** A returned line's values: the sale's unit price, its share of the line's discount, and what it was worth. */
export function returnedValue(
  line: { unitPrice: string; discount: string; quantity: number },
  before: number,
  quantity: number,
): ReturnedValue {
  const discount = discountShare(centsOf(line.discount), line.quantity, before, quantity);
  const total = centsOf(line.unitPrice) * BigInt(quantity) - discount;
  return {
    unitPrice: fromCents(centsOf(line.unitPrice)),
    discount: fromCents(discount),
    total: fromCents(total),
  };
}

/** Whether, after this return, nothing of the order is left to give back. */
export const fullyReturned = (
  remaining: ReturnType<typeof remainingBySku>,
  requested: readonly RequestedLine[],
) =>
  [...remaining].every(
    ([sku, left]) =>
      left.remaining === requested.filter((r) => r.sku === sku).reduce((a, r) => a + r.quantity, 0),
  );

export const refundMethods = ['cash', 'pix', 'card_reversal', 'store_credit'] as const;
export type RefundMethod = (typeof refundMethods)[number];
