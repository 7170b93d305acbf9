/**
 * Rebuilds the SEFAZ tables of src/fiscal/authorizer/sefaz/ from a checkout of nfephp-org/sped-nfe
 * (MIT or LGPL-3.0, at the user's choice: we take it under MIT):
 *   `tsx scripts/import-sefaz-tables.ts <sped-nfe checkout>`
 * It reads storage/wsnfe_4.00_mod55.xml, storage/wsnfe_4.00_mod65.xml, storage/autorizadores.json,
 * storage/cstat.json and the UF → SVC map of src/Factories/Contingency.php, and writes endpoints.json
 * and cstat.json. Update SOURCE.md beside them with the commit and date imported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';

const [checkout] = process.argv.slice(2);
if (!checkout) throw new Error('usage: import-sefaz-tables <sped-nfe checkout>');
const out = path.resolve(import.meta.dirname, '../src/fiscal/authorizer/sefaz');
const read = (file: string) => fs.readFileSync(path.join(checkout, file), 'utf8');

/** sped-nfe's element name for each of the six web services the client calls (layout 4.00). */
const services: Record<string, string> = {
  NfeAutorizacao: 'NFeAutorizacao4',
  NfeRetAutorizacao: 'NFeRetAutorizacao4',
  NfeConsultaProtocolo: 'NFeConsultaProtocolo4',
  RecepcaoEvento: 'NFeRecepcaoEvento4',
  NfeInutilizacao: 'NFeInutilizacao4',
  NfeStatusServico: 'NFeStatusServico4',
};
const environments = { homologacao: 'homologacao', producao: 'producao' } as const;

type Urls = Record<string, string>;
function endpointsOf(file: string): Record<string, Record<string, Urls>> {
  const doc = new DOMParser().parseFromString(read(file), 'text/xml');
  const table: Record<string, Record<string, Urls>> = {};
  const ufs = doc.getElementsByTagName('UF');
  for (let i = 0; i < ufs.length; i++) {
    const uf = ufs.item(i)!;
    const sigla = uf.getElementsByTagName('sigla').item(0)?.textContent?.trim();
    if (!sigla) continue;
    const entry: Record<string, Urls> = {};
    for (const environment of Object.keys(environments)) {
      const block = uf.getElementsByTagName(environment).item(0);
      if (!block) continue;
      const urls: Urls = {};
      for (let c = block.firstChild; c; c = c.nextSibling) {
        const service = c.nodeType === 1 ? services[(c as Element).tagName] : undefined;
        const url = c.textContent?.trim();
        if (service && url) urls[service] = url;
      }
      if (Object.keys(urls).length > 0) entry[environment] = urls;
    }
    // States whose model-65 entry holds only the QR-code address are served by their authoriser.
    if (Object.keys(entry).length > 0) table[sigla] = entry;
  }
  return table;
}

const authorizers = JSON.parse(read('storage/autorizadores.json')) as Record<string, Record<string, string>>;
const contingencySource = read('src/Factories/Contingency.php');
const svc: Record<string, string> = {};
for (const match of contingencySource.matchAll(/'([A-Z]{2})'\s*=>\s*'(SVCAN|SVCRS)'/g))
  svc[match[1]!] = match[2]!;
if (Object.keys(svc).length !== 27)
  throw new Error(`expected 27 UF → SVC entries, found ${Object.keys(svc).length}`);

const sortKeys = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

const table = {
  authorizers: { '55': sortKeys(authorizers['55']!), '65': sortKeys(authorizers['65']!) },
  contingency: { '55': sortKeys(svc) },
  endpoints: {
    '55': sortKeys(endpointsOf('storage/wsnfe_4.00_mod55.xml')),
    '65': sortKeys(endpointsOf('storage/wsnfe_4.00_mod65.xml')),
  },
};
fs.writeFileSync(path.join(out, 'endpoints.json'), `${JSON.stringify(table, null, 2)}\n`);

const cstat = JSON.parse(read('storage/cstat.json')) as { cod: string; msg: string | null }[];
const texts: Record<string, string> = {};
for (const row of cstat) if (/^[0-9]{3}$/.test(row.cod) && row.msg) texts[row.cod] = row.msg.trim();
fs.writeFileSync(path.join(out, 'cstat.json'), `${JSON.stringify(texts, null, 2)}\n`);
console.log(`endpoints.json and cstat.json written (${Object.keys(texts).length} cStat texts)`);
