import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canManage, canSee, distanceKm, normaliseCnpj, pathOf, validateNode } from './domain.ts';

describe('CNPJ', () => {
  it('accepts numeric and 2026 alphanumeric CNPJs, with or without punctuation', () => {
    expect(normaliseCnpj('11.222.333/0001-81')).toBe('11222333000181');
    expect(normaliseCnpj('12.abc.345/01de-35')).toBe('12ABC34501DE35');
  });
  it('refuses wrong check digits and malformed values', () => {
    expect(normaliseCnpj('11222333000182')).toBeNull();
    expect(normaliseCnpj('12ABC34501DE3A')).toBeNull();
    expect(normaliseCnpj('123')).toBeNull();
  });
  it('finds every single-digit change of a valid CNPJ', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const valid = '11222333000181';
        const digit = (Number(valid[pos]) + delta) % 10;
        const changed = valid.slice(0, pos) + digit + valid.slice(pos + 1);
        expect(normaliseCnpj(changed)).toBeNull();
      }),
    );
  });
});

describe('visibility', () => {
  const root = pathOf(null, 'r');
  const central = pathOf(root, 'c');
  const store11 = pathOf(central, 's11');
  const store8 = pathOf(central, 's8');
  const viewer = { nodeId: 's11', nodePath: store11, networkId: 'r' };

  it('a store sees itself and public ancestors, not private ones nor siblings', () => {
    expect(canSee(viewer, { path: store11, visibility: 'private' })).toBe(true);
    expect(canSee(viewer, { path: central, visibility: 'public' })).toBe(true);
    expect(canSee(viewer, { path: central, visibility: 'private' })).toBe(false);
    expect(canSee(viewer, { path: store8, visibility: 'public' })).toBe(false);
  });
  it('a central sees and manages everything below it, but not its parent', () => {
    const c = { nodeId: 'c', nodePath: central, networkId: 'r' };
    expect(canSee(c, { path: store8, visibility: 'private' })).toBe(true);
    expect(canManage(c, { path: store8 })).toBe(true);
    expect(canManage(c, { path: root })).toBe(false);
  });
});

describe('node validation', () => {
  it('names each invalid field', () => {
    const errors = validateNode(
      {
        cnpj: '1',
        stateRegistration: 'abc',
        address: {
          street: 'R',
          number: '1',
          district: 'C',
          city: 'X',
          cityCode: '12',
          state: 'XX',
          postalCode: '1',
        },
        latitude: 1,
      },
      'store',
    ).map((e) => e.path);
    expect(errors).toEqual([
      '/cnpj',
      '/stateRegistration',
      '/address/state',
      '/address/postalCode',
      '/address/cityCode',
      '/latitude',
    ]);
  });
});

describe('distance', () => {
  it('São Paulo to Campinas is about 84 km', () => {
    const km = distanceKm(
      { latitude: -23.561414, longitude: -46.655881 },
      { latitude: -22.905653, longitude: -47.060093 },
    );
    expect(km).toBeGreaterThan(80);
    expect(km).toBeLessThan(90);
  });
});
