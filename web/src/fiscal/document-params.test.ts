import { describe, expect, it } from 'vitest';
import { apiQuery, documentParams, emptyFilters, isFiltered, readDocumentParams } from './document-params.ts';

describe('the filters of "Notas Fiscais" in the address', () => {
  it('survive the round trip through the address, and only those given are written', () => {
    const filters = {
      ...emptyFilters,
      store: '11',
      model: '55' as const,
      status: 'rejected' as const,
      from: '2026-03-01',
      to: '2026-03-31',
      number: '42',
      accessKey: '3526 0312',
      q: ' Maria ',
    };
    const params = documentParams(filters);
    expect(params).toEqual({
      loja: '11',
      modelo: '55',
      situacao: 'rejected',
      de: '2026-03-01',
      ate: '2026-03-31',
      numero: '42',
      chave: '35260312',
      destinatario: 'Maria',
    });
    expect(readDocumentParams(new URLSearchParams(params))).toEqual({
      ...filters,
      accessKey: '35260312',
      q: 'Maria',
    });
    expect(documentParams(emptyFilters)).toEqual({});
    expect(isFiltered(emptyFilters)).toBe(false);
  });

  it('drops what an edited address makes invalid rather than sending it', () => {
    const read = readDocumentParams(
      new URLSearchParams('modelo=57&situacao=lost&de=ontem&numero=12a&loja=a%20b&ate=2026-03-31'),
    );
    expect(read).toEqual({ ...emptyFilters, to: '2026-03-31' });
  });

  it('asks the API with its own names', () => {
    expect(apiQuery({ ...emptyFilters, model: '65', status: 'cancelled', store: '8' })).toBe(
      '?storeCode=8&model=65&status=cancelled',
    );
    expect(apiQuery(emptyFilters)).toBe('');
  });
});
