/**
 * The counter's pure helpers: the CPF asked at the register (typed or scanned, masked as typed, check
 * digits verified before the sale is finished), the order number a scanner types, and the return lines.
 */
import { cpf } from 'cpf-cnpj-validator';

/** Only the digits, at most 11 (a CPF). */
export const cpfDigits = (value: string): string => value.replace(/\D/g, '').slice(0, 11);

/** "12345678909" (or a half-typed part of it) → "123.456.789-09", as the cashier types. */
export function maskCpf(value: string): string {
  const d = cpfDigits(value);
  if (d.length <= 3) return d;
  if (d.length <= 6) return `${d.slice(0, 3)}.${d.slice(3)}`;
  if (d.length <= 9) return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`;
  return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}

export type CpfCheck = 'empty' | 'incomplete' | 'invalid' | 'valid';

/** Whether a typed CPF may go into the NFC-e: 11 digits whose two check digits hold (not 000.000.000-00). */
export function checkCpf(value: string): CpfCheck {
  const d = cpfDigits(value);
  if (d.length === 0) return 'empty';
  if (d.length < 11) return 'incomplete';
  return cpf.isValid(d) ? 'valid' : 'invalid';
}

/**
 * The order number in what was typed or scanned: digits only ("Nº 123", " 123\n", "000123" → 123),
 * null when there is none. A scanner types the digits and Enter into the focused input.
 */
export function orderNumberOf(input: string): number | null {
  const digits = input.replace(/\D/g, '');
  if (!digits || digits.length > 12) return null;
  const n = Number(digits);
  return n > 0 ? n : null;
}

export interface SoldLine {
  sku: string;
  description: string;
  quantity: number;
}

/** What is left to give back: the sold lines less the units earlier returns took, per SKU. */
export function remainingLines<L extends SoldLine>(
  sold: readonly L[],
  returned: Readonly<Record<string, number>>,
): L[] {
  const left = { ...returned };
  return sold.map((line) => {
    const back = Math.max(0, Math.min(left[line.sku] ?? 0, line.quantity));
    left[line.sku] = (left[line.sku] ?? 0) - back;
    return { ...line, quantity: line.quantity - back };
  });
}

/** The lines of a return: only quantities above zero, each capped at what was sold on that SKU. */
export function returnLines(
  sold: readonly SoldLine[],
  chosen: Readonly<Record<string, number>>,
): { sku: string; quantity: number }[] {
  const soldBySku = new Map<string, number>();
  for (const line of sold) soldBySku.set(line.sku, (soldBySku.get(line.sku) ?? 0) + line.quantity);
  const lines: { sku: string; quantity: number }[] = [];
  for (const [sku, max] of soldBySku) {
    const wanted = Math.trunc(chosen[sku] ?? 0);
    if (wanted > 0) lines.push({ sku, quantity: Math.min(wanted, max) });
  }
  return lines;
}

/**
 * Whether the NFC-e went out in offline contingency (tpEmis 9: SEFAZ unreachable, transmitted later):
 * the receipt then says "EMITIDA EM CONTINGÊNCIA" and the counter shows SEFAZ as down.
 */
export const inContingency = (doc: { status: string }): boolean => doc.status === 'contingency';
