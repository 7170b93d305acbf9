/**
 * Rebuilds src/platform/municipalities/municipalities.tsv from kelvins/municipios-brasileiros
 * (csv/municipios.csv and csv/estados.csv): `tsx scripts/import-municipalities.ts <municipios.csv> <estados.csv>`.
 * Names the source has not caught up with are set to IBGE's current name (see SOURCE.md beside the table).
 */
import fs from 'node:fs';
import path from 'node:path';

const [municipiosCsv, estadosCsv] = process.argv.slice(2);
if (!municipiosCsv || !estadosCsv)
  throw new Error('usage: import-municipalities <municipios.csv> <estados.csv>');

// IBGE's "Alterações toponímicas municipais" (releases of May 2020 and February 2021) renamed these; the source
// still had the former name (or both, in parentheses).
const currentNames: Record<string, string> = {
  '2401305': 'Campo Grande',
  '2405306': 'Januário Cicco',
  '2304277': 'Ereré',
  '3165206': 'São Tomé das Letras',
  '3122900': 'Dona Euzébia',
  '1708254': 'Tabocão',
  '4206108': 'Grão-Pará',
  '2800100': 'Amparo do São Francisco',
  '3200706': 'Atílio Vivácqua',
};

const lines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .slice(1);
const ufByCode = new Map(
  lines(estadosCsv)
    .map((l) => l.split(','))
    .map(([code, uf]) => [code!, uf!]),
);
const rows = lines(municipiosCsv).map((line) => {
  const [code, name, lat, lng, , ufCode] = line.split(',');
  const uf = ufByCode.get(ufCode!);
  if (!uf || !code || !name) throw new Error(`bad row: ${line}`);
  return [code, currentNames[code] ?? name, uf, Number(lat).toFixed(4), Number(lng).toFixed(4)].join('\t');
});
rows.sort();
const out = path.resolve(import.meta.dirname, '../src/platform/municipalities/municipalities.tsv');
fs.writeFileSync(out, `${rows.join('\n')}\n`);
console.log(`${rows.length} municipalities written to ${out}`);
