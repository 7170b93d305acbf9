import { describe, expect, it } from 'vitest';
import { orderStatuses } from './domain.ts';
import { handoverNextStep, validateHandover } from './handover-rules.ts';

describe('who may collect a pickup order', () => {
  it('keeps the name tidy and checks CPF and CNPJ check digits', () => {
    expect(validateHandover({ name: '  Ana   Souza ', document: '529.982.247-25' }).person).toEqual({
      name: 'Ana Souza',
      document: '52998224725',
      documentKind: 'cpf',
    });
    expect(validateHandover({ name: 'Loja XPTO', document: '12.ABC.345/01DE-35' }).person).toMatchObject({
      document: '12ABC34501DE35',
      documentKind: 'cnpj',
    });
    expect(validateHandover({ name: 'Ana', document: ' ' }).person).toMatchObject({ document: null });
  });

  it('keeps an RG-like document as typed and names the field it refuses', () => {
    expect(validateHandover({ name: 'Ana', document: 'mg-12.345.678' }).person).toMatchObject({
      document: 'MG-12.345.678',
      documentKind: 'other',
    });
    const codes = (name: string, document?: string) =>
      validateHandover({ name, document }).errors.map((e) => `${e.path} ${e.code}`);
    expect(codes('A')).toEqual(['/name ORDER.PICKUP_NAME_LENGTH']);
    expect(codes('Ana', '529.982.247-24')).toEqual(['/document ORDER.PICKUP_CPF_INVALID']);
    expect(codes('Ana', '12.ABC.345/01DE-36')).toEqual(['/document ORDER.PICKUP_CNPJ_INVALID']);
    expect(codes('Ana', 'ab')).toEqual(['/document ORDER.PICKUP_DOCUMENT_FORMAT']);
  });

  it('tells the store its next step in every status but invoiced', () => {
    for (const status of orderStatuses) expect(handoverNextStep(status)).not.toBe('');
    expect(handoverNextStep('ready_for_pickup')).toContain('rescue');
  });
});
