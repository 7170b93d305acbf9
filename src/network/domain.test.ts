import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canManage,
  canSee,
  distanceKm,
  isValidStateRegistration,
  normaliseCnpj,
  pathOf,
  validateNode,
} from './domain.ts';

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

/**
 * Valid state registrations of every UF: the examples SINTEGRA publishes with each state's rule (sintegra.gov.br,
 * "Conferência de Inscrições Estaduais"), and the demo stores' own.
 */
const validIes: [uf: string, ie: string][] = [
  ['AC', '01.004.823/001-12'],
  ['AL', '24000004-8'],
  ['AP', '030123459'],
  ['AM', '999999990'],
  ['BA', '123456-63'],
  ['BA', '612345-57'],
  ['BA', '1000003-06'],
  ['CE', '06000001-5'],
  ['DF', '07.300001.001-09'],
  ['ES', '999999990'],
  ['GO', '10.987.654-7'],
  ['MA', '12.000.038-5'],
  ['MT', '0013000001-9'],
  ['MS', '283115947'],
  ['MG', '062.307.904/0081'],
  ['PA', '15-999999-5'],
  ['PB', '06000001-5'],
  ['PR', '123.45678-50'],
  ['PE', '0321418-40'],
  ['PI', '19.301.656-7'],
  ['RJ', '99.999.99-3'],
  ['RN', '20.040.040-1'],
  ['RN', '20.0.040.040-0'],
  ['RS', '224/3658792'],
  ['RO', '0000000062521-3'],
  ['RR', '24006628-1'],
  ['SC', '251.040.852'],
  ['SP', '110.042.490.114'],
  ['SP', '244.148.264.115'],
  ['PR', '90123456-63'],
  ['SE', '27123456-3'],
  ['TO', '29.01.022783-6'],
];

describe('state registration (IE)', () => {
  it.each(validIes)('accepts a valid IE of %s: %s', (uf, ie) => {
    expect(isValidStateRegistration(ie, uf)).toBe(true);
  });

  it('refuses every other last (check) digit of each valid IE', () => {
    for (const [uf, ie] of validIes) {
      const digits = ie.replace(/\D/g, '');
      for (let d = 0; d <= 9; d++) {
        if (String(d) === digits.at(-1)) continue;
        expect(
          isValidStateRegistration(digits.slice(0, -1) + d, uf),
          `${uf} ${digits.slice(0, -1)}${d}`,
        ).toBe(false);
      }
    }
  });

  it('checks an IE against its own state only, accepts ISENTO anywhere and refuses junk', () => {
    expect(isValidStateRegistration('110042490114', 'PR')).toBe(false);
    expect(isValidStateRegistration('1234567850', 'SP')).toBe(false);
    expect(isValidStateRegistration('isento', 'RJ')).toBe(true);
    expect(isValidStateRegistration('ABC', 'SP')).toBe(false);
    expect(isValidStateRegistration('110042490114', 'XX')).toBe(false);
  });

  it('needs the address’s state to check an IE, and re-checks it when only the address changes', () => {
    expect(validateNode({ stateRegistration: '110042490114' }, 'central').map((e) => e.code)).toEqual([
      'NETWORK.STATE_REGISTRATION_NEEDS_STATE',
    ]);
    expect(validateNode({ stateRegistration: 'ISENTO' }, 'central')).toEqual([]);
    const current = {
      stateRegistration: '110042490114',
      address: {
        street: 'R',
        number: '1',
        district: 'C',
        city: 'Curitiba',
        cityCode: '4106902',
        state: 'SP',
        postalCode: '80020310',
      },
    };
    expect(validateNode({ address: { ...current.address, state: 'PR' } }, 'store', current)).toEqual([
      expect.objectContaining({ path: '/stateRegistration', code: 'NETWORK.STATE_REGISTRATION_INVALID' }),
    ]);
    expect(validateNode({ email: 'x' } as never, 'store', current)).toEqual([]);
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
