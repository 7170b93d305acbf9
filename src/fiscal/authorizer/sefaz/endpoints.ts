/**
 * Where each SEFAZ web service answers: per model (55 NF-e, 65 NFC-e), per authoriser (a state with its
 * own servers, or SVRS / SVAN serving the others; SVC-AN / SVC-RS for NF-e contingency, MOC 7.0 §2.3),
 * per environment. The data is endpoints.json, imported from nfephp-org/sped-nfe (SOURCE.md);
 * `OMNIHUB_SEFAZ_ENDPOINTS` names a JSON file whose entries replace the table's, for proxies and tests.
 */
import fs from 'node:fs';
import bundled from './endpoints.json' with { type: 'json' };

export const SEFAZ_SERVICES = [
  'NFeAutorizacao4',
  'NFeRetAutorizacao4',
  'NFeConsultaProtocolo4',
  'NFeRecepcaoEvento4',
  'NFeInutilizacao4',
  'NFeStatusServico4',
] as const;
export type SefazService = (typeof SEFAZ_SERVICES)[number];

export type FiscalModel = '55' | '65';
export type EnvironmentName = 'homologacao' | 'producao';
/** tpAmb: 1 produção, 2 homologação. */
export type Environment = '1' | '2';

export const environmentName = (environment: Environment): EnvironmentName =>
  environment === '1' ? 'producao' : 'homologacao';

export type ServiceUrls = Partial<Record<SefazService, string>>;
/** Per authoriser key (a UF, SVRS, SVAN, AN, SVCAN, SVCRS), per environment, per service. */
export type ModelEndpoints = Record<string, Partial<Record<EnvironmentName, ServiceUrls>>>;

export interface EndpointTable {
  /** UF → the authoriser serving it, per model. */
  readonly authorizers: Record<FiscalModel, Record<string, string>>;
  /** UF → its SVC authoriser (SVCAN or SVCRS) for NF-e in contingency (tpEmis 6 or 7). */
  readonly contingency: { readonly '55': Record<string, string> };
  readonly endpoints: Record<FiscalModel, ModelEndpoints>;
}

/** The table as imported, without any override. */
export const bundledEndpointTable = (): EndpointTable => structuredClone(bundled) as EndpointTable;

/** A start-up fault: the SEFAZ configuration files cannot be used. */
export class SefazConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SefazConfigurationError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape of an override (`{"55": {"SP": {"homologacao": {"NFeAutorizacao4": "https://…"}}}}`)
 * and lays it over `table`, service by service. Throws SefazConfigurationError naming the first problem.
 */
export function applyEndpointOverride(
  table: EndpointTable,
  override: unknown,
  origin: string,
): EndpointTable {
  const problem = (where: string, what: string) =>
    new SefazConfigurationError(`${origin}: ${where}: ${what}`);
  if (!isRecord(override)) throw problem('(root)', 'expected an object keyed by model ("55", "65")');
  const merged = structuredClone(table) as EndpointTable;
  for (const [model, authorisers] of Object.entries(override)) {
    if (model !== '55' && model !== '65') throw problem(model, 'the model is "55" or "65"');
    if (!isRecord(authorisers)) throw problem(model, 'expected an object keyed by UF or authoriser');
    for (const [authoriser, environments] of Object.entries(authorisers)) {
      const at = `${model}.${authoriser}`;
      if (!/^[A-Z]{2,5}$/.test(authoriser)) throw problem(at, 'a UF (SP) or an authoriser (SVRS, SVCAN…)');
      if (!isRecord(environments)) throw problem(at, 'expected {"homologacao": {…}, "producao": {…}}');
      for (const [environment, services] of Object.entries(environments)) {
        const envAt = `${at}.${environment}`;
        if (environment !== 'homologacao' && environment !== 'producao')
          throw problem(envAt, 'the environment is "homologacao" or "producao"');
        if (!isRecord(services)) throw problem(envAt, 'expected an object keyed by web service');
        for (const [service, url] of Object.entries(services)) {
          const serviceAt = `${envAt}.${service}`;
          if (!(SEFAZ_SERVICES as readonly string[]).includes(service))
            throw problem(serviceAt, `unknown web service (one of ${SEFAZ_SERVICES.join(', ')})`);
          if (typeof url !== 'string' || !isHttpsUrl(url))
            throw problem(serviceAt, 'expected an https:// URL');
          const entry = merged.endpoints[model][authoriser] ?? {};
          entry[environment] = { ...entry[environment], [service]: url };
          merged.endpoints[model][authoriser] = entry;
        }
      }
    }
  }
  return merged;
}

export function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The bundled table with `OMNIHUB_SEFAZ_ENDPOINTS` laid over it. A file that is missing, not JSON or not
 * shaped as the contract says throws SefazConfigurationError: call it at start-up.
 */
export function loadEndpointTable(env: NodeJS.ProcessEnv = process.env): EndpointTable {
  const file = env.OMNIHUB_SEFAZ_ENDPOINTS;
  const table = bundledEndpointTable();
  if (!file) return table;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SefazConfigurationError(
      `OMNIHUB_SEFAZ_ENDPOINTS: cannot read ${file} (${(error as Error).message})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SefazConfigurationError(
      `OMNIHUB_SEFAZ_ENDPOINTS (${file}) is not JSON: ${(error as Error).message}`,
    );
  }
  return applyEndpointOverride(table, parsed, `OMNIHUB_SEFAZ_ENDPOINTS (${file})`);
}

export interface EndpointQuery {
  readonly model: FiscalModel;
  readonly uf: string;
  readonly environment: Environment;
  readonly service: SefazService;
  /** An NF-e in SVC contingency (tpEmis 6 or 7) goes to its state's SVC authoriser. */
  readonly contingency?: boolean;
}

/** The authoriser key that serves `query` (the UF itself, SVRS, SVAN, SVCAN, SVCRS…). */
export function authoriserOf(
  table: EndpointTable,
  query: Omit<EndpointQuery, 'service'>,
): string | undefined {
  if (query.contingency) return query.model === '55' ? table.contingency['55'][query.uf] : undefined;
  return table.authorizers[query.model][query.uf];
}

/**
 * The URL of a web service, or undefined when the table has none. A UF's own entry (an override may add
 * one for a state SVRS serves) wins over its authoriser's; in contingency only the SVC entry counts.
 */
export function resolveEndpoint(table: EndpointTable, query: EndpointQuery): string | undefined {
  const env = environmentName(query.environment);
  const endpoints = table.endpoints[query.model];
  const authoriser = authoriserOf(table, query);
  if (query.contingency) return authoriser ? endpoints[authoriser]?.[env]?.[query.service] : undefined;
  return (
    endpoints[query.uf]?.[env]?.[query.service] ??
    (authoriser ? endpoints[authoriser]?.[env]?.[query.service] : undefined)
  );
}
