import { describe, expect, it } from 'vitest';
import { UFS, ufCodes } from '../uf.ts';
import { allMunicipalities, nameKey, resolveMunicipality, searchMunicipalities } from './index.ts';

describe('the IBGE municipality table', () => {
  const all = allMunicipalities();

  it('is well-formed: 5,571 rows over the 27 UFs, unique 7-digit codes prefixed by the UF code, coordinates in Brazil', () => {
    expect(all).toHaveLength(5571);
    expect(new Set(all.map((m) => m.state))).toEqual(new Set(UFS));
    expect(new Set(all.map((m) => m.code)).size).toBe(all.length);
    for (const m of all) {
      expect(m.code).toMatch(/^[0-9]{7}$/);
      expect(m.code.slice(0, 2), m.name).toBe(ufCodes[m.state]);
      expect(m.name.trim()).toBe(m.name);
      expect(m.latitude).toBeGreaterThan(-34);
      expect(m.latitude).toBeLessThan(6);
      expect(m.longitude).toBeGreaterThan(-74);
      expect(m.longitude).toBeLessThan(-32);
    }
  });

  it('has no two municipalities of one UF that the insensitive name match would confuse', () => {
    const keys = all.map((m) => `${m.state}:${nameKey(m.name)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('resolveMunicipality', () => {
  it('resolves every municipality of the table from its own name and state, as written, upper-cased or without accents', () => {
    const plain = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    for (const m of allMunicipalities()) {
      expect(resolveMunicipality(m.state, m.name)?.code, m.name).toBe(m.code);
      expect(resolveMunicipality(m.state.toLowerCase(), m.name.toUpperCase())?.code, m.name).toBe(m.code);
      expect(resolveMunicipality(m.state, plain(m.name))?.code, m.name).toBe(m.code);
    }
  });

  it.each([
    ['SP', 'São Paulo', '3550308'],
    ['sp', 'SAO PAULO', '3550308'],
    ['SP', ' campinas ', '3509502'],
    ['PR', 'Curitiba', '4106902'],
    ['DF', 'Brasília', '5300108'],
    ['RN', "Olho d'Agua do Borges", '2408409'],
    ['RN', 'Olho-d’Água do Borges', '2408409'],
    ['RO', 'Alta Floresta do Oeste', undefined],
    ['RO', 'Alta Floresta DOeste', '1100015'],
    ['SP', 'Mogi-Mirim', '3530805'],
    ['SP', 'Mogi Mirim', '3530805'],
    ['SP', 'Embu', '3515004'],
    ['SP', 'Embu das Artes', '3515004'],
    ['SP', 'Embu-Guaçu', '3515103'],
    ['RJ', 'Parati', '3303807'],
    ['RJ', 'Paraty', '3303807'],
    ['RJ', 'Trajano de Morais', '3305901'],
    ['RJ', 'Trajano de Moraes', '3305901'],
    ['PA', 'Santa Isabel do Pará', '1506500'],
    ['PA', 'Santa Izabel do Para', '1506500'],
    ['MA', 'Presidente Juscelino', '2109205'],
    ['MG', 'Presidente Juscelino', '3153202'],
    ['RN', 'Presidente Juscelino', '2410306'],
    ['RN', 'Augusto Severo', '2401305'],
    ['RN', 'Campo Grande', '2401305'],
    ['MS', 'Campo Grande', '5002704'],
    ['SC', 'Grão Pará', '4206108'],
    ['MG', 'São Thomé das Letras', '3165206'],
    ['SP', 'Campinas do Sul', undefined],
    ['PR', 'São Paulo', undefined],
    ['XX', 'São Paulo', undefined],
  ])('%s / %s → %s', (state, city, code) => {
    expect(resolveMunicipality(state, city)?.code).toBe(code);
  });
});

describe('searchMunicipalities', () => {
  it('finds the names of a state containing the text, those starting with it first, at most the limit', () => {
    const found = searchMunicipalities('SP', 'camp', 20);
    expect(found.map((m) => m.name).slice(0, 2)).toEqual(['Campina do Monte Alegre', 'Campinas']);
    expect(found.every((m) => m.state === 'SP')).toBe(true);
    expect(found.map((m) => m.name)).toContain('Campos do Jordão');
    expect(searchMunicipalities('SP', 'a', 20)).toHaveLength(20);
    expect(searchMunicipalities('SP', 'são JOSE dos camp').map((m) => m.code)).toEqual(['3549904']);
  });
});
