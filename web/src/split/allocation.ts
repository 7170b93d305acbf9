import type { Allocation, SplitLine, SplitOptions } from '../api/types.ts';

/** What the user typed per company and SKU, as text (an input may be empty or half-typed). */
export type Quantities = Record<string, string>;

export const cellKey = (sku: string, storeCode: string) => `${sku}|${storeCode}`;

/** The router's proposal as the inputs' values; every other company starts at zero. */
export function quantitiesFrom(options: SplitOptions): Quantities {
  const q: Quantities = {};
  for (const line of options.lines) for (const c of line.companies) q[cellKey(line.sku, c.storeCode)] = '0';
  for (const a of options.proposal) q[cellKey(a.sku, a.storeCode)] = String(a.quantity);
  return q;
}

const parse = (text: string | undefined): number | null => {
  const s = (text ?? '').trim();
  if (s === '') return 0;
  return /^\d+$/.test(s) ? Number(s) : null;
};

export type CellProblem = { kind: 'notNumber' } | { kind: 'overAvailable'; available: number };
export type LineProblem = { kind: 'overPending'; allocated: number; pending: number };

export interface Check {
  cells: Record<string, CellProblem>;
  lines: Record<string, LineProblem>;
  /** Per SKU, what the inputs allocate now (invalid inputs count as zero). */
  allocated: Record<string, number>;
  /** The allocations to send, in the screen's order (zeros left out). */
  allocations: Allocation[];
  valid: boolean;
}

/**
 * The server's rules, checked as the user types: whole numbers, never more than a company has available,
 * never more than pending per SKU (the server checks again under lock).
 */
export function check(lines: readonly SplitLine[], q: Quantities): Check {
  const cells: Check['cells'] = {};
  const problems: Check['lines'] = {};
  const allocated: Check['allocated'] = {};
  const allocations: Allocation[] = [];
  for (const line of lines) {
    let sum = 0;
    for (const c of line.companies) {
      const key = cellKey(line.sku, c.storeCode);
      const n = parse(q[key]);
      if (n === null) {
        cells[key] = { kind: 'notNumber' };
        continue;
      }
      if (n > c.available) cells[key] = { kind: 'overAvailable', available: c.available };
      sum += n;
      if (n > 0) allocations.push({ sku: line.sku, storeCode: c.storeCode, quantity: n });
    }
    allocated[line.sku] = sum;
    if (sum > line.pending)
      problems[line.sku] = { kind: 'overPending', allocated: sum, pending: line.pending };
  }
  const valid = Object.keys(cells).length === 0 && Object.keys(problems).length === 0;
  return { cells, lines: problems, allocated, allocations, valid };
}

/** The stock requests a commit will create: one per company other than the store itself. */
export function requestsOf(allocations: readonly Allocation[], mainStoreCode: string) {
  const byStore = new Map<string, Allocation[]>();
  for (const a of allocations) {
    if (a.storeCode === mainStoreCode) continue;
    byStore.set(a.storeCode, [...(byStore.get(a.storeCode) ?? []), a]);
  }
  return [...byStore.entries()].map(([storeCode, lines]) => ({ storeCode, lines }));
}
