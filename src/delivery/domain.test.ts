import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  cepRanges,
  compareOptions,
  defaultTransitDays,
  missingLines,
  normaliseFields,
  regionOfUf,
  stateOfPostalCode,
  transitDaysFrom,
  UFS,
  validateExperience,
} from './domain.ts';

const cep = (prefix: number, suffix: string) => `${String(prefix).padStart(5, '0')}${suffix}`;

describe('CEP → UF', () => {
  it('maps the first and last CEP of every range to its UF, and the CEPs just outside to another', () => {
    for (const r of cepRanges) {
      expect(stateOfPostalCode(cep(r.from, '000')), `${r.uf} from`).toBe(r.uf);
      expect(stateOfPostalCode(cep(r.to, '999')), `${r.uf} to`).toBe(r.uf);
      if (r.from > 1000) expect(stateOfPostalCode(cep(r.from - 1, '999'))).not.toBe(r.uf);
      if (r.to < 99999) expect(stateOfPostalCode(cep(r.to + 1, '000'))).not.toBe(r.uf);
    }
  });

  it('covers all 27 UFs, and every CEP from 01000-000 on belongs to exactly one', () => {
    expect(new Set(cepRanges.map((r) => r.uf))).toEqual(new Set(UFS));
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 99999 }), (prefix) => {
        expect(cepRanges.filter((r) => prefix >= r.from && prefix <= r.to)).toHaveLength(1);
      }),
    );
  });

  it('knows the capitals and the demo stores', () => {
    expect(stateOfPostalCode('01310-200')).toBe('SP');
    expect(stateOfPostalCode('13012100')).toBe('SP');
    expect(stateOfPostalCode('80020-310')).toBe('PR');
    expect(stateOfPostalCode('20040-020')).toBe('RJ');
    expect(stateOfPostalCode('70040010')).toBe('DF');
    expect(stateOfPostalCode('74000000')).toBe('GO');
    expect(stateOfPostalCode('69301000')).toBe('RR');
    expect(stateOfPostalCode('69005000')).toBe('AM');
    expect(stateOfPostalCode('76801000')).toBe('RO');
    expect(stateOfPostalCode('90010000')).toBe('RS');
  });

  it('refuses what is not a CEP or belongs to no UF', () => {
    for (const bad of ['', '1234567', '123456789', '8002O310', '80020--310', '00999-999', ' '])
      expect(stateOfPostalCode(bad), bad).toBeUndefined();
  });
});

describe('regions and transit days', () => {
  it('puts every UF in one of the five regions', () => {
    expect(Object.keys(regionOfUf).sort()).toEqual([...UFS].sort());
    expect(new Set(Object.values(regionOfUf)).size).toBe(5);
    expect(regionOfUf.SP).toBe('sudeste');
    expect(regionOfUf.PR).toBe('sul');
    expect(regionOfUf.DF).toBe('centro_oeste');
    expect(regionOfUf.TO).toBe('norte');
    expect(regionOfUf.MA).toBe('nordeste');
  });

  it('falls back to 2 days in the same state, 4 in the same region, 7 otherwise', () => {
    expect(defaultTransitDays('SP', 'SP')).toBe(2);
    expect(defaultTransitDays('SP', 'RJ')).toBe(4);
    expect(defaultTransitDays('PR', 'RS')).toBe(4);
    expect(defaultTransitDays('SP', 'PR')).toBe(7);
  });

  const rows = [
    { carrierCode: 'CORREIOS', serviceCode: '04014', fromState: 'SP', toState: 'PR', days: 3 },
    { carrierCode: 'CORREIOS', serviceCode: null, fromState: 'SP', toState: 'PR', days: 6 },
  ] as const;
  const route = { carrierCode: 'correios', fromState: 'SP', toState: 'PR' } as const;

  it("takes the service's row, else the carrier's row for every service, else the default", () => {
    expect(transitDaysFrom(rows, { ...route, serviceCode: '04014' })).toEqual({ days: 3, source: 'service' });
    expect(transitDaysFrom(rows, { ...route, serviceCode: '04014 SEDEX' })).toEqual({
      days: 3,
      source: 'service',
    });
    expect(transitDaysFrom(rows, { ...route, serviceCode: '04510' })).toEqual({ days: 6, source: 'carrier' });
    expect(transitDaysFrom(rows, { ...route, fromState: 'SC', serviceCode: '04014' })).toEqual({
      days: 4,
      source: 'default',
    });
    expect(transitDaysFrom(rows, { ...route, carrierCode: null, serviceCode: null })).toEqual({
      days: 7,
      source: 'default',
    });
  });
});

describe('configuration rules', () => {
  const check = (input: Parameters<typeof normaliseFields>[0]) => validateExperience(normaliseFields(input));

  it('requires the service code for CORREIOS and makes a carrier ship', () => {
    expect(check({ description: 'Sedex', carrierCode: 'correios' })).toEqual([
      {
        path: '/serviceCode',
        code: 'DELIVERY.SERVICE_CODE_REQUIRED',
        params: { carrierCode: 'CORREIOS' },
        message: 'is required for CORREIOS (e.g. "04014 SEDEX")',
      },
    ]);
    expect(
      normaliseFields({ description: 'Sedex', carrierCode: 'correios', serviceCode: '04014' }),
    ).toMatchObject({ carrierCode: 'CORREIOS', type: 'ship' });
    expect(check({ description: 'X', carrierCode: 'JADLOG', type: 'pickup' })).toEqual([
      { path: '/type', code: 'DELIVERY.TYPE_MUST_BE_SHIP', message: 'must be ship when a carrier delivers' },
    ]);
  });

  it("allows the store's own delivery (ship without a carrier) and pickup, but not a service without carrier", () => {
    expect(check({ description: 'Entrega própria', type: 'ship' })).toEqual([]);
    expect(check({ description: 'Retirada', type: 'pickup' })).toEqual([]);
    expect(check({ description: 'Retirada' })).toEqual([
      { path: '/type', code: 'DELIVERY.TYPE_REQUIRED', message: 'is required without a carrier' },
    ]);
    expect(check({ description: '  ', type: 'ship', serviceCode: '04014', carrierName: 'X' })).toEqual([
      {
        path: '/description',
        code: 'DELIVERY.DESCRIPTION_LENGTH',
        params: { min: 1, max: 120 },
        message: 'must have 1 to 120 characters',
      },
      { path: '/carrierName', code: 'DELIVERY.CARRIER_CODE_REQUIRED', message: 'needs a carrier code' },
      { path: '/serviceCode', code: 'DELIVERY.CARRIER_CODE_REQUIRED', message: 'needs a carrier code' },
    ]);
  });
});

describe('simulation helpers', () => {
  it('adds calendar days across months and years', () => {
    expect(addDays('2026-11-23', 0)).toBe('2026-11-23');
    expect(addDays('2026-11-28', 4)).toBe('2026-12-02');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  });

  it('names what a store lacks', () => {
    const stock: Record<string, number> = { 'CAM-001': 2, 'CAL-002': 10 };
    const cart = [
      { sku: 'CAM-001', quantity: 3 },
      { sku: 'CAL-002', quantity: 1 },
    ];
    expect(missingLines(cart, (sku) => stock[sku] ?? 0)).toEqual([
      { sku: 'CAM-001', requested: 3, available: 2 },
    ]);
  });

  it('sorts servable options first, then by date, then by store code numerically', () => {
    const o = (storeCode: string, canServe: boolean, expectedDate: string) => ({
      experienceCode: 'E',
      storeCode,
      canServe,
      expectedDate,
    });
    const sorted = [
      o('3', false, '2026-11-24'),
      o('11', true, '2026-11-26'),
      o('8', true, '2026-11-26'),
      o('3', true, '2026-11-25'),
    ]
      .sort(compareOptions)
      .map((x) => x.storeCode);
    expect(sorted).toEqual(['3', '8', '11', '3']);
  });
});
