import { cnpj, cpf } from 'cpf-cnpj-validator';
import type { FieldError } from '../../platform/errors.ts';
import { type Cents, fromCents, parseMoney } from '../../platform/money.ts';

/**
 * What a POS sends back (seed 000 §2, "Integração de dados que são recebidos do PDV") and the rules an
 * upload is checked by before anything is applied. Pure: no database, no HTTP.
 */

/** What a POS sends back (seed 000 §2, "Integração de dados que são recebidos do PDV"). */
export const uploadKinds = [
  'cash-opening',
  'cash-movement',
  'cash-closing',
  'customer',
  'sale',
  'z-reduction',
] as const;
export type UploadKind = (typeof uploadKinds)[number];

/** Sangria (withdrawal) and suprimento (supply): cash taken out of or put into the drawer during a session. */
export const cashMovementTypes = ['withdrawal', 'supply'] as const;
export type CashMovementType = (typeof cashMovementTypes)[number];

/** The payment methods a POS sale is paid with (the NFC-e's tPag is fiscal's mapping of each). */
export const salePaymentMethods = [
  'cash',
  'credit_card',
  'debit_card',
  'pix',
  'voucher',
  'store_credit',
] as const;
export type SalePaymentMethod = (typeof salePaymentMethods)[number];

/** Every upload: the terminal, its own upload counter, the POS's id of the record, when it happened. */
export interface UploadHeader {
  terminal: string;
  sequence: number;
  posId: string;
  occurredAt: string;
}

export interface CashOpeningBody extends UploadHeader {
  amount: string;
  operator?: string;
}
export interface CashMovementBody extends UploadHeader {
  cashSessionPosId: string;
  type: CashMovementType;
  amount: string;
  reason: string;
}
export interface CashClosingBody extends UploadHeader {
  cashSessionPosId: string;
  countedAmount: string;
}
export interface CustomerBody extends UploadHeader {
  document: string;
  name: string;
  email?: string;
  phone?: string;
  birthDate?: string;
}
export interface SaleLine {
  sku: string;
  quantity: number;
  unitPrice: string;
  discount?: string;
}
export interface SaleBody extends UploadHeader {
  cashSessionPosId?: string;
  customerDocument?: string;
  items: SaleLine[];
  payments: { method: SalePaymentMethod; amount: string }[];
  total: string;
  nfceXml?: string;
}
export interface ZReductionBody extends UploadHeader {
  day: string;
  counter: number;
  salesCount: number;
  grossTotal: string;
  cancellations: string;
  discounts: string;
  netTotal: string;
}

export interface UploadBodies {
  'cash-opening': CashOpeningBody;
  'cash-movement': CashMovementBody;
  'cash-closing': CashClosingBody;
  customer: CustomerBody;
  sale: SaleBody;
  'z-reduction': ZReductionBody;
}
export type UploadBody = UploadBodies[UploadKind];

const error = (
  path: string,
  code: string,
  message: string,
  params?: Record<string, unknown>,
): FieldError => ({
  path,
  code,
  message,
  ...(params ? { params } : {}),
});

/** Cents of a money field that must be at least `min` cents (0: may be zero; 1: positive). */
function amount(value: string, path: string, errors: FieldError[], min: 0n | 1n): Cents {
  const cents = parseMoney(value);
  if (cents === null) {
    errors.push(error(path, 'POS.INVALID_MONEY', 'is not a decimal with two places'));
    return 0n;
  }
  if (cents < min)
    errors.push(
      error(path, min === 1n ? 'POS.AMOUNT_NOT_POSITIVE' : 'POS.AMOUNT_NEGATIVE', 'must not be negative', {
        min: fromCents(min),
      }),
    );
  return cents;
}

/** An upload's time: a valid instant, not in the future beyond the terminal clock's usual drift. */
export const CLOCK_DRIFT_MS = 10 * 60_000;
export function occurredAtErrors(occurredAt: string, now: Date): FieldError[] {
  const at = new Date(occurredAt);
  if (Number.isNaN(at.getTime())) return [error('/occurredAt', 'POS.INVALID_TIME', 'is not a valid time')];
  if (at.getTime() > now.getTime() + CLOCK_DRIFT_MS)
    return [error('/occurredAt', 'POS.TIME_IN_FUTURE', 'is in the future', { now: now.toISOString() })];
  return [];
}

export function cashOpeningErrors(body: CashOpeningBody): FieldError[] {
  const errors: FieldError[] = [];
  amount(body.amount, '/amount', errors, 0n);
  return errors;
}

export function cashMovementErrors(body: CashMovementBody): FieldError[] {
  const errors: FieldError[] = [];
  amount(body.amount, '/amount', errors, 1n);
  if (body.reason.trim() === '')
    errors.push(error('/reason', 'POS.REASON_REQUIRED', 'a withdrawal or supply says why'));
  return errors;
}

export function cashClosingErrors(body: CashClosingBody): FieldError[] {
  const errors: FieldError[] = [];
  amount(body.countedAmount, '/countedAmount', errors, 0n);
  return errors;
}

/**
 * What the drawer should hold at the closing: the opening float, plus the cash received for sales, plus
 * supplies (suprimentos), minus withdrawals (sangrias).
 */
export function expectedCash(f: {
  opening: Cents;
  cashSales: Cents;
  supplies: Cents;
  withdrawals: Cents;
}): Cents {
  return f.opening + f.cashSales + f.supplies - f.withdrawals;
}

/** The closing's figures, as money strings: expected, counted, difference (counted − expected; < 0: missing). */
export function closingOf(expected: Cents, counted: Cents) {
  return {
    expectedAmount: fromCents(expected),
    countedAmount: fromCents(counted),
    difference: fromCents(counted - expected),
  };
}

/** CPF (11 digits) or CNPJ (14, the first 12 alphanumeric since 2026) without punctuation, when valid. */
export function normaliseDocument(value: string): string | null {
  const stripped = value.replace(/[.\-/\s]/g, '').toUpperCase();
  if (/^[0-9]{11}$/.test(stripped)) return cpf.isValid(stripped) ? stripped : null;
  if (/^[0-9A-Z]{12}[0-9]{2}$/.test(stripped)) return cnpj.isValid(stripped) ? stripped : null;
  return null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function customerErrors(body: CustomerBody): FieldError[] {
  const errors: FieldError[] = [];
  if (!normaliseDocument(body.document))
    errors.push(error('/document', 'POS.INVALID_DOCUMENT', 'is not a valid CPF or CNPJ (check digits)'));
  if (body.name.trim() === '') errors.push(error('/name', 'POS.NAME_REQUIRED', 'is required'));
  if (body.email !== undefined && body.email !== '' && !EMAIL.test(body.email))
    errors.push(error('/email', 'POS.INVALID_EMAIL', 'is not an e-mail address'));
  if (body.birthDate !== undefined && !validDay(body.birthDate))
    errors.push(error('/birthDate', 'POS.INVALID_DATE', 'is not a calendar day (YYYY-MM-DD)'));
  return errors;
}

export interface CustomerFields {
  name: string;
  email: string | null;
  phone: string | null;
  birthDate: string | null;
}

/**
 * Server wins (seed 000 §2, Cliente): an upload only fills what the network's record lacks; what the
 * server already knows stays. Answers the fields to write (empty: nothing to change).
 */
export function customerFill(known: CustomerFields, sent: CustomerBody): Partial<CustomerFields> {
  const fill: Partial<CustomerFields> = {};
  const blank = (v: string | null) => v === null || v.trim() === '';
  const given = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  if (blank(known.name) && given(sent.name)) fill.name = given(sent.name);
  if (blank(known.email) && given(sent.email)) fill.email = given(sent.email)!;
  if (blank(known.phone) && given(sent.phone)) fill.phone = given(sent.phone)!;
  if (blank(known.birthDate) && given(sent.birthDate)) fill.birthDate = given(sent.birthDate)!;
  return fill;
}

function validDay(day: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

export interface SaleTotals {
  total: Cents;
  itemsTotal: Cents;
  discountTotal: Cents;
  /** What was paid in cash: what the drawer received for the sale. */
  cash: Cents;
}

/**
 * A sale adds up: quantities positive integers, prices and discounts not negative, a line's discount not
 * above the line, the lines (less discounts) equal to `total`, and the payments equal to `total`.
 */
export function saleErrors(body: SaleBody): { errors: FieldError[]; totals: SaleTotals } {
  const errors: FieldError[] = [];
  let itemsTotal = 0n;
  let discountTotal = 0n;
  if (body.items.length === 0) errors.push(error('/items', 'POS.NO_ITEMS', 'a sale has at least one item'));
  body.items.forEach((line, i) => {
    const at = `/items/${i}`;
    if (!Number.isInteger(line.quantity) || line.quantity < 1)
      errors.push(
        error(`${at}/quantity`, 'POS.INVALID_QUANTITY', 'must be a positive integer', {
          quantity: line.quantity,
        }),
      );
    const price = amount(line.unitPrice, `${at}/unitPrice`, errors, 0n);
    const discount = amount(line.discount ?? '0.00', `${at}/discount`, errors, 0n);
    const gross = price * BigInt(Number.isInteger(line.quantity) && line.quantity > 0 ? line.quantity : 0);
    if (discount > gross)
      errors.push(
        error(`${at}/discount`, 'POS.DISCOUNT_ABOVE_LINE', 'is above the line’s value', {
          line: fromCents(gross),
        }),
      );
    itemsTotal += gross;
    discountTotal += discount;
  });
  const total = amount(body.total, '/total', errors, 0n);
  const lines = itemsTotal - discountTotal;
  if (lines !== total)
    errors.push(
      error('/total', 'POS.TOTAL_MISMATCH', 'is not the sum of the lines less their discounts', {
        lines: fromCents(lines),
        total: body.total,
      }),
    );
  let paid = 0n;
  let cash = 0n;
  if (body.payments.length === 0)
    errors.push(error('/payments', 'POS.NO_PAYMENTS', 'a sale has at least one payment'));
  body.payments.forEach((p, i) => {
    const value = amount(p.amount, `/payments/${i}/amount`, errors, 1n);
    paid += value;
    if (p.method === 'cash') cash += value;
  });
  if (body.payments.length > 0 && paid !== total)
    errors.push(
      error('/payments', 'POS.PAYMENTS_MISMATCH', 'do not add up to the total', {
        paid: fromCents(paid),
        total: body.total,
      }),
    );
  if (body.customerDocument !== undefined && body.customerDocument.trim() !== '')
    if (!normaliseDocument(body.customerDocument))
      errors.push(
        error('/customerDocument', 'POS.INVALID_DOCUMENT', 'is not a valid CPF or CNPJ (check digits)'),
      );
  return { errors, totals: { total, itemsTotal, discountTotal, cash } };
}

/** The POS's own NFC-e must be this sale's: model 65, issued by the store, for the sale's total. */
export function nfceMatchErrors(
  nfce: { model: string; emitterCnpj: string; total: string },
  expected: { storeCnpj: string; total: Cents },
): FieldError[] {
  const errors: FieldError[] = [];
  if (nfce.model !== '65')
    errors.push(
      error('/nfceXml', 'POS.NFCE_NOT_MODEL_65', 'is not an NFC-e (model 65)', { model: nfce.model }),
    );
  if (nfce.emitterCnpj.toUpperCase() !== expected.storeCnpj.toUpperCase())
    errors.push(
      error('/nfceXml', 'POS.NFCE_OTHER_EMITTER', 'was issued by another company than the store', {
        emitter: nfce.emitterCnpj,
        store: expected.storeCnpj,
      }),
    );
  const vNF = parseMoney(nfce.total);
  if (vNF !== expected.total)
    errors.push(
      error('/nfceXml', 'POS.NFCE_TOTAL_MISMATCH', 'has a total (vNF) other than the sale’s', {
        vNF: nfce.total,
        total: fromCents(expected.total),
      }),
    );
  return errors;
}

/**
 * A Z reduction is consistent: counter ≥ 1, sales count ≥ 0, amounts not negative, and the net total is the
 * gross less cancellations and discounts.
 */
export function zReductionErrors(body: ZReductionBody): FieldError[] {
  const errors: FieldError[] = [];
  if (!validDay(body.day))
    errors.push(error('/day', 'POS.INVALID_DATE', 'is not a calendar day (YYYY-MM-DD)'));
  if (!Number.isInteger(body.counter) || body.counter < 1)
    errors.push(error('/counter', 'POS.INVALID_COUNTER', 'must be a positive integer'));
  if (!Number.isInteger(body.salesCount) || body.salesCount < 0)
    errors.push(error('/salesCount', 'POS.INVALID_COUNT', 'must be zero or more'));
  const gross = amount(body.grossTotal, '/grossTotal', errors, 0n);
  const cancellations = amount(body.cancellations, '/cancellations', errors, 0n);
  const discounts = amount(body.discounts, '/discounts', errors, 0n);
  const net = amount(body.netTotal, '/netTotal', errors, 0n);
  if (errors.length === 0 && gross - cancellations - discounts !== net)
    errors.push(
      error('/netTotal', 'POS.Z_TOTALS_MISMATCH', 'is not the gross total less cancellations and discounts', {
        expected: fromCents(gross - cancellations - discounts),
      }),
    );
  return errors;
}

/** The business checks of an upload that need nothing but the upload itself. */
export function uploadErrors(kind: UploadKind, body: UploadBody, now: Date): FieldError[] {
  const errors = occurredAtErrors(body.occurredAt, now);
  switch (kind) {
    case 'cash-opening':
      return [...errors, ...cashOpeningErrors(body as CashOpeningBody)];
    case 'cash-movement':
      return [...errors, ...cashMovementErrors(body as CashMovementBody)];
    case 'cash-closing':
      return [...errors, ...cashClosingErrors(body as CashClosingBody)];
    case 'customer':
      return [...errors, ...customerErrors(body as CustomerBody)];
    case 'sale':
      return [...errors, ...saleErrors(body as SaleBody).errors];
    case 'z-reduction':
      return [...errors, ...zReductionErrors(body as ZReductionBody)];
  }
}

/**
 * The same upload again: the stored one has this kind and POS id (a re-send after a timeout). Anything else
 * under the terminal's sequence is another upload reusing it.
 */
export const isSameUpload = (
  stored: { kind: string; posId: string },
  sent: { kind: UploadKind; posId: string },
): boolean => stored.kind === sent.kind && stored.posId === sent.posId;
