/**
 * The IBGE municipality table, offline (source, licence and date in SOURCE.md beside the data): the shared kernel
 * that turns a state + city name into the 7-digit code fiscal documents need, for store addresses and orders alike.
 */
import fs from 'node:fs';
import { inRepo } from '../paths.ts';
import { isUf, type Uf } from '../uf.ts';

export interface Municipality {
  /** IBGE 7-digit code; its first two digits are the UF's IBGE code. */
  code: string;
  name: string;
  state: Uf;
  latitude: number;
  longitude: number;
}

/**
 * Accent-, case- and punctuation-insensitive key: "Olho-d'Água do Borges", "OLHO D AGUA DO BORGES" and
 * "olho dagua do borges" are one name. Only letters and digits count.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Former names and other spellings in use, per UF, with the code they mean. Source of each: IBGE,
 * "Alterações toponímicas municipais" (ibge.gov.br, estrutura territorial; the list of the former and current
 * name of every municipality renamed since 1938) unless said otherwise.
 */
const aliases: readonly { state: Uf; name: string; code: string }[] = [
  { state: 'SP', name: 'Embu', code: '3515004' }, // Embu das Artes (name change, 2011)
  { state: 'RJ', name: 'Parati', code: '3303807' }, // Paraty: IBGE's own example of a change of spelling
  { state: 'RJ', name: 'Trajano de Morais', code: '3305901' }, // Trajano de Moraes: both spellings in use
  { state: 'PA', name: 'Santa Isabel do Pará', code: '1506500' }, // Santa Izabel do Pará: both spellings in use
  { state: 'RN', name: 'Presidente Juscelino', code: '2410306' }, // Serra Caiada (RN); MA and MG keep theirs
  { state: 'RN', name: 'São Miguel de Touros', code: '2412559' }, // São Miguel do Gostoso: IBGE's example of a name change
  { state: 'RN', name: 'São Miguel dos Touros', code: '2412559' },
  { state: 'SP', name: 'São Luís do Paraitinga', code: '3550001' }, // São Luiz do Paraitinga (2017)
  // Release of 18 May 2020 (changes from March 2019 to January 2020):
  { state: 'RN', name: 'Augusto Severo', code: '2401305' }, // Campo Grande
  { state: 'SP', name: 'Xavantes', code: '3557204' }, // Chavantes
  { state: 'CE', name: 'Ererê', code: '2304277' }, // Ereré
  { state: 'MG', name: 'São Thomé das Letras', code: '3165206' }, // São Tomé das Letras
  { state: 'MG', name: 'Dona Eusébia', code: '3122900' }, // Dona Euzébia
  { state: 'TO', name: 'Fortaleza do Tabocão', code: '1708254' }, // Tabocão
  // Release of February 2021: Grão-Pará (SC), Atílio Vivácqua (ES) and Pingo-d'Água (MG) differ in
  // punctuation or accents only, which nameKey already ignores; Amparo do São Francisco (SE):
  { state: 'SE', name: 'Amparo de São Francisco', code: '2800100' },
  // The source (kelvins/municipios-brasileiros) wrote both names, "Januário Cicco (Boa Saúde)":
  { state: 'RN', name: 'Boa Saúde', code: '2405306' },
];

let table:
  | { all: Municipality[]; byKey: Map<string, Municipality>; byCode: Map<string, Municipality> }
  | undefined;

function load() {
  if (table) return table;
  const text = fs.readFileSync(inRepo('src/platform/municipalities/municipalities.tsv'), 'utf8');
  const all: Municipality[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [code, name, state, latitude, longitude] = line.split('\t');
    if (!code || !name || !state || !isUf(state)) throw new Error(`municipalities.tsv: bad row "${line}"`);
    all.push({ code, name, state, latitude: Number(latitude), longitude: Number(longitude) });
  }
  const byCode = new Map(all.map((m) => [m.code, m]));
  const byKey = new Map(all.map((m) => [`${m.state}:${nameKey(m.name)}`, m]));
  for (const alias of aliases) {
    const key = `${alias.state}:${nameKey(alias.name)}`;
    const target = byCode.get(alias.code);
    if (target && !byKey.has(key)) byKey.set(key, target);
  }
  table = { all, byKey, byCode };
  return table;
}

/** Every municipality, by code. */
export const allMunicipalities = (): readonly Municipality[] => load().all;

export const municipalityByCode = (code: string): Municipality | undefined => load().byCode.get(code);

/** The municipality a state + city name means (current name, former name or other spelling), if any. */
export function resolveMunicipality(state: string, city: string): Municipality | undefined {
  const uf = state.trim().toUpperCase();
  return load().byKey.get(`${uf}:${nameKey(city)}`);
}

/**
 * Municipalities of a state whose name contains the text (same insensitivity as resolveMunicipality), those that
 * start with it first, then by name: what an address form's autocomplete shows.
 */
export function searchMunicipalities(state: string, text: string, limit = 20): Municipality[] {
  const uf = state.trim().toUpperCase();
  const q = nameKey(text);
  const found = load().all.filter((m) => m.state === uf && nameKey(m.name).includes(q));
  const starts = (m: Municipality) => (nameKey(m.name).startsWith(q) ? 0 : 1);
  return found.sort((a, b) => starts(a) - starts(b) || a.name.localeCompare(b.name, 'pt-BR')).slice(0, limit);
}
