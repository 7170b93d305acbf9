import { nextDay, saoPauloDay, startOfDay } from '../platform/format-br.ts';
import { parseMoney } from '../platform/money.ts';
import type { OrderStatus } from './domain.ts';

/**
 * The store queue's rules (seeds: "Pedido de Venda Omni", filters and auto-refresh), pure. Days are
 * São Paulo days: the store's "today" ends at its midnight, not at UTC's.
 */

/** Auto-refresh shows today's orders that need the store: "Em aberto" and "Em separação". */
export const defaultStatuses: readonly OrderStatus[] = ['open', 'picking'];

export const sorts = ['-placedAt', 'placedAt', '-number', 'number', '-total', 'total'] as const;
export type Sort = (typeof sorts)[number];
export type SortKey = 'placedAt' | 'number' | 'total';

export const parseSort = (sort: Sort): { key: SortKey; descending: boolean } => ({
  key: sort.replace('-', '') as SortKey,
  descending: sort.startsWith('-'),
});

// The São Paulo day helpers live in the pt-BR kernel; re-exported for the queue's callers.
export { nextDay, startOfDay };

const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
// Far enough for any order, inside what timestamptz holds.
const EARLIEST = Date.parse('1900-01-01T00:00:00Z');
const LATEST = Date.parse('9999-01-01T00:00:00Z');

/** A day bound (the whole São Paulo day) or an instant; null when it is neither. */
export function parseBound(value: string, end: boolean): Date | null {
  if (DAY.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return null;
    if (ms < EARLIEST || ms > LATEST) return null;
    return startOfDay(end ? nextDay(value) : value);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < EARLIEST || ms > LATEST || !/T/.test(value)) return null;
  // An instant given as `to` is included.
  return new Date(end ? ms + 1 : ms);
}

export interface QueueFilters {
  status?: readonly OrderStatus[];
  number?: number;
  from?: string;
  to?: string;
  storeCode?: readonly string[];
  /** "Endereço a corrigir": only ship orders whose city has no IBGE code. */
  addressIssue?: 'city_unresolved';
}

/** With no filter at all the queue is what auto-refresh shows: today's open and picking orders. */
export function effectiveFilters(q: QueueFilters, now: Date): QueueFilters {
  const none =
    !q.status?.length &&
    q.number === undefined &&
    !q.from &&
    !q.to &&
    !q.storeCode?.length &&
    !q.addressIssue;
  if (!none) return q;
  const today = saoPauloDay(now);
  return { status: defaultStatuses, from: today, to: today };
}

/**
 * The queue's counters of a period [from, before) split in two: the whole São Paulo days inside it, read from
 * the per-day counts (`fromDay` included, `beforeDay` excluded; absent on a side the period leaves open),
 * and the parts of a day at either end (`edges`), read from the orders themselves. `days` is null when the
 * period holds no whole day.
 */
export interface CountedSpan {
  days: { fromDay?: string; beforeDay?: string } | null;
  edges: { from?: Date; before?: Date }[];
}

export function countedSpan(from: Date | undefined, before: Date | undefined): CountedSpan {
  let fromDay: string | undefined;
  if (from) {
    const day = saoPauloDay(from);
    fromDay = startOfDay(day).getTime() === from.getTime() ? day : nextDay(day);
  }
  const beforeDay = before && saoPauloDay(before);
  if (fromDay && beforeDay && fromDay >= beforeDay) return { days: null, edges: [{ from, before }] };
  const edges: CountedSpan['edges'] = [];
  if (from && fromDay && startOfDay(fromDay) > from) edges.push({ from, before: startOfDay(fromDay) });
  if (before && beforeDay && startOfDay(beforeDay) < before)
    edges.push({ from: startOfDay(beforeDay), before });
  return { days: { fromDay, beforeDay }, edges };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cursor's position when it belongs to this sort: [sort, value, id] as pageOf wrote it. */
export function cursorPosition(
  key: unknown[] | null,
  sort: Sort,
): { value: string | number; id: string } | null | 'invalid' {
  if (key === null) return null;
  const [cursorSort, value, id] = key;
  if (key.length !== 3 || cursorSort !== sort || typeof id !== 'string' || !UUID.test(id)) return 'invalid';
  const { key: sortKey } = parseSort(sort);
  if (sortKey === 'number') {
    return Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= 2_147_483_647
      ? { value: value as number, id }
      : 'invalid';
  }
  if (typeof value !== 'string') return 'invalid';
  if (sortKey === 'total')
    return !value.startsWith('-') && parseMoney(value) !== null ? { value, id } : 'invalid';
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && ms >= EARLIEST && ms <= LATEST
    ? { value: new Date(ms).toISOString(), id }
    : 'invalid';
}
