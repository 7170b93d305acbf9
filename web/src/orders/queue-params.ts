import { type OrderStatus, orderStatuses } from '../api/types.ts';
import { query } from '../api.ts';

/**
 * The queue's filters as they travel in the address (so reload, back and a shared link keep them), in
 * the catalogue's Portuguese keys: situacao (repeated), numero, de, ate (YYYY-MM-DD), loja (repeated),
 * endereco=corrigir ("Endereço a corrigir"), auto (sim/nao when not the user's default) and intervalo (seconds).
 */
export interface QueueFilters {
  statuses: OrderStatus[];
  number: string;
  from: string;
  to: string;
  stores: string[];
  /** Only ship orders whose city has no IBGE code ("Endereço a corrigir"). */
  addressIssue: boolean;
}

export const intervals = [30, 60, 120, 300] as const;
export type Interval = (typeof intervals)[number];
const DEFAULT_INTERVAL: Interval = 60;

/** What the server shows without any filter (and auto refresh shows): today's open and picking orders. */
export const defaultStatuses: readonly OrderStatus[] = ['open', 'picking'];
export const defaultFilters = (today: string): QueueFilters => ({
  statuses: [...defaultStatuses],
  number: '',
  from: today,
  to: today,
  stores: [],
  addressIssue: false,
});

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface QueueView {
  filters: QueueFilters;
  hasFilters: boolean;
  /** Auto refresh: on by default for store users, and only ever over the default view. */
  auto: boolean;
  interval: Interval;
}

export function readQueueParams(params: URLSearchParams, autoByDefault: boolean): QueueView {
  const filters: QueueFilters = {
    statuses: orderStatuses.filter((s) => params.getAll('situacao').includes(s)),
    number: /^\d{1,10}$/.test(params.get('numero') ?? '') ? params.get('numero')! : '',
    from: DAY.test(params.get('de') ?? '') ? params.get('de')! : '',
    to: DAY.test(params.get('ate') ?? '') ? params.get('ate')! : '',
    stores: [...new Set(params.getAll('loja').filter((c) => /^[A-Za-z0-9_-]{1,20}$/.test(c)))],
    addressIssue: params.get('endereco') === 'corrigir',
  };
  const hasFilters = isFiltered(filters);
  const autoParam = params.get('auto');
  const auto = !hasFilters && (autoParam === 'sim' || (autoParam !== 'nao' && autoByDefault));
  const asked = Number(params.get('intervalo'));
  const interval = intervals.find((i) => i === asked) ?? DEFAULT_INTERVAL;
  return { filters, hasFilters, auto, interval };
}

export const isFiltered = (f: QueueFilters) =>
  f.statuses.length > 0 ||
  f.number !== '' ||
  f.from !== '' ||
  f.to !== '' ||
  f.stores.length > 0 ||
  f.addressIssue;

/** The address of a view: the filters, the interval when not the default, `auto` when not the default. */
export function queueParams(
  filters: QueueFilters | null,
  opts: { auto: boolean; autoByDefault: boolean; interval: Interval },
): URLSearchParams {
  const p = new URLSearchParams();
  if (filters) {
    for (const s of filters.statuses) p.append('situacao', s);
    if (filters.number) p.set('numero', filters.number);
    if (filters.from) p.set('de', filters.from);
    if (filters.to) p.set('ate', filters.to);
    for (const c of filters.stores) p.append('loja', c);
    if (filters.addressIssue) p.set('endereco', 'corrigir');
  }
  if (!filters || !isFiltered(filters)) {
    if (opts.auto !== opts.autoByDefault) p.set('auto', opts.auto ? 'sim' : 'nao');
  }
  if (opts.interval !== DEFAULT_INTERVAL) p.set('intervalo', String(opts.interval));
  return p;
}

/** The API path of the queue (no paging): without filters the server applies its default view. */
export function queueApiPath(filters: QueueFilters | null): string {
  if (!filters || !isFiltered(filters)) return '/api/v1/orders';
  return `/api/v1/orders${query({
    status: filters.statuses,
    number: filters.number || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
    storeCode: filters.stores,
    addressIssue: filters.addressIssue ? 'city_unresolved' : undefined,
  })}`;
}
