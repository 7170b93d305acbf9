import type { FiscalDocumentStatus } from '../api/types.ts';
import { query } from '../api.ts';

/**
 * The filters of "Notas Fiscais" as they travel in the address (reload, back and a shared link keep
 * them), in Portuguese keys like the queue's: loja, modelo, situacao, de, ate (YYYY-MM-DD), numero,
 * chave and destinatario.
 */
export interface DocumentFilters {
  store: string;
  model: '' | '55' | '65';
  status: '' | FiscalDocumentStatus;
  from: string;
  to: string;
  number: string;
  accessKey: string;
  q: string;
}

export const documentStatuses: readonly FiscalDocumentStatus[] = [
  'sending',
  'contingency',
  'authorised',
  'rejected',
  'cancelled',
];

export const emptyFilters: DocumentFilters = {
  store: '',
  model: '',
  status: '',
  from: '',
  to: '',
  number: '',
  accessKey: '',
  q: '',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const text = (value: string | null, max: number) => (value ?? '').slice(0, max);

export function readDocumentParams(params: URLSearchParams): DocumentFilters {
  const model = params.get('modelo');
  const status = params.get('situacao');
  return {
    store: /^[A-Za-z0-9_-]{1,20}$/.test(params.get('loja') ?? '') ? params.get('loja')! : '',
    model: model === '55' || model === '65' ? model : '',
    status: documentStatuses.find((s) => s === status) ?? '',
    from: DAY.test(params.get('de') ?? '') ? params.get('de')! : '',
    to: DAY.test(params.get('ate') ?? '') ? params.get('ate')! : '',
    number: /^\d{1,9}$/.test(params.get('numero') ?? '') ? params.get('numero')! : '',
    accessKey: text(params.get('chave'), 60),
    q: text(params.get('destinatario'), 100),
  };
}

/** The address's query of a set of filters: only those given. */
export function documentParams(f: DocumentFilters): Record<string, string> {
  const entries: [string, string][] = [
    ['loja', f.store],
    ['modelo', f.model],
    ['situacao', f.status],
    ['de', f.from],
    ['ate', f.to],
    ['numero', f.number],
    ['chave', f.accessKey.replace(/\s/g, '')],
    ['destinatario', f.q.trim()],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== ''));
}

export const isFiltered = (f: DocumentFilters) => Object.keys(documentParams(f)).length > 0;

/** The API's query of a set of filters. */
export const apiQuery = (f: DocumentFilters) =>
  query({
    storeCode: f.store || undefined,
    model: f.model || undefined,
    status: f.status || undefined,
    from: f.from || undefined,
    to: f.to || undefined,
    number: f.number || undefined,
    accessKey: f.accessKey.replace(/\s/g, '') || undefined,
    q: f.q.trim() || undefined,
  });
