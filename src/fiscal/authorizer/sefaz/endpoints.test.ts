import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UFS } from '../../../platform/uf.ts';
import {
  applyEndpointOverride,
  authoriserOf,
  bundledEndpointTable,
  type Environment,
  isHttpsUrl,
  loadEndpointTable,
  resolveEndpoint,
  SEFAZ_SERVICES,
  SefazConfigurationError,
} from './endpoints.ts';

const table = bundledEndpointTable();
const environments: Environment[] = ['1', '2'];

describe('the endpoint table imported from sped-nfe', () => {
  it.each(['55', '65'] as const)(
    'resolves all six services of every UF, model %s, in both environments',
    (model) => {
      const missing: string[] = [];
      for (const uf of UFS)
        for (const environment of environments)
          for (const service of SEFAZ_SERVICES) {
            const url = resolveEndpoint(table, { model, uf, environment, service });
            if (!url || !isHttpsUrl(url)) missing.push(`${uf}/${environment}/${service}: ${url}`);
          }
      expect(missing).toEqual([]);
    },
  );

  it('gives every UF an SVC authoriser (SVC-AN or SVC-RS) that answers the NF-e services', () => {
    const missing: string[] = [];
    for (const uf of UFS) {
      expect(['SVCAN', 'SVCRS']).toContain(table.contingency['55'][uf]);
      for (const environment of environments)
        for (const service of SEFAZ_SERVICES) {
          const url = resolveEndpoint(table, { model: '55', uf, environment, service, contingency: true });
          if (!url || !isHttpsUrl(url)) missing.push(`${uf}/${environment}/${service}`);
        }
    }
    expect(missing).toEqual([]);
  });

  it('routes each state as the Manual says: SP its own, SC by SVRS, MA by SVAN, SP in contingency by SVC-AN', () => {
    expect(authoriserOf(table, { model: '55', uf: 'SP', environment: '2' })).toBe('SP');
    expect(authoriserOf(table, { model: '55', uf: 'SC', environment: '2' })).toBe('SVRS');
    expect(authoriserOf(table, { model: '55', uf: 'MA', environment: '2' })).toBe('SVAN');
    expect(authoriserOf(table, { model: '65', uf: 'BA', environment: '2' })).toBe('SVRS');
    expect(authoriserOf(table, { model: '55', uf: 'SP', environment: '2', contingency: true })).toBe('SVCAN');
    expect(authoriserOf(table, { model: '55', uf: 'PR', environment: '2', contingency: true })).toBe('SVCRS');
    expect(
      resolveEndpoint(table, { model: '55', uf: 'SP', environment: '2', service: 'NFeAutorizacao4' }),
    ).toBe('https://homologacao.nfe.fazenda.sp.gov.br/ws/nfeautorizacao4.asmx');
    // NFC-e has no SVC: its contingency is offline (tpEmis 9).
    expect(
      resolveEndpoint(table, {
        model: '65',
        uf: 'SP',
        environment: '2',
        service: 'NFeAutorizacao4',
        contingency: true,
      }),
    ).toBeUndefined();
  });

  it('keeps production and homologation apart', () => {
    const production = resolveEndpoint(table, {
      model: '55',
      uf: 'RS',
      environment: '1',
      service: 'NFeStatusServico4',
    });
    const homologation = resolveEndpoint(table, {
      model: '55',
      uf: 'RS',
      environment: '2',
      service: 'NFeStatusServico4',
    });
    expect(production).not.toBe(homologation);
  });
});

describe('OMNIHUB_SEFAZ_ENDPOINTS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omnihub-endpoints-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('replaces the entries it names and keeps the others', () => {
    const path = file(
      'ok.json',
      JSON.stringify({
        '55': { SP: { homologacao: { NFeAutorizacao4: 'https://127.0.0.1:8443/aut' } } },
        '65': { BA: { homologacao: { NFeStatusServico4: 'https://proxy.local/ba-status' } } },
      }),
    );
    const merged = loadEndpointTable({ OMNIHUB_SEFAZ_ENDPOINTS: path });
    const at = (model: '55' | '65', uf: string, service: (typeof SEFAZ_SERVICES)[number]) =>
      resolveEndpoint(merged, { model, uf, environment: '2', service });
    expect(at('55', 'SP', 'NFeAutorizacao4')).toBe('https://127.0.0.1:8443/aut');
    expect(at('55', 'SP', 'NFeConsultaProtocolo4')).toBe(
      resolveEndpoint(table, { model: '55', uf: 'SP', environment: '2', service: 'NFeConsultaProtocolo4' }),
    );
    // A state SVRS serves may be given its own address (a proxy); its other services stay SVRS's.
    expect(at('65', 'BA', 'NFeStatusServico4')).toBe('https://proxy.local/ba-status');
    expect(at('65', 'BA', 'NFeAutorizacao4')).toContain('svrs');
  });

  it('without the variable is the bundled table', () => {
    expect(loadEndpointTable({})).toEqual(table);
  });

  it.each([
    ['not JSON', '{"55": ', /is not JSON/],
    ['an array', '[]', /expected an object keyed by model/],
    ['an unknown model', '{"57": {}}', /57: the model is "55" or "65"/],
    ['an unknown environment', '{"55": {"SP": {"teste": {}}}}', /55\.SP\.teste: the environment/],
    [
      'an unknown service',
      '{"55": {"SP": {"homologacao": {"NfeAutorizacao": "https://x"}}}}',
      /55\.SP\.homologacao\.NfeAutorizacao: unknown web service/,
    ],
    [
      'a plain http URL',
      '{"55": {"SP": {"homologacao": {"NFeAutorizacao4": "http://x/aut"}}}}',
      /expected an https:\/\/ URL/,
    ],
  ])('refuses %s with a start-up error naming the entry', (_, content, message) => {
    const path = file('bad.json', content);
    const load = () => loadEndpointTable({ OMNIHUB_SEFAZ_ENDPOINTS: path });
    expect(load).toThrow(SefazConfigurationError);
    expect(load).toThrow(message);
  });

  it('refuses a file that does not exist', () => {
    expect(() => loadEndpointTable({ OMNIHUB_SEFAZ_ENDPOINTS: join(dir, 'absent.json') })).toThrow(
      /OMNIHUB_SEFAZ_ENDPOINTS: cannot read/,
    );
  });

  it('never changes the table it is laid over', () => {
    applyEndpointOverride(
      table,
      { '55': { SP: { producao: { NFeAutorizacao4: 'https://elsewhere' } } } },
      'test',
    );
    expect(table).toEqual(bundledEndpointTable());
  });
});
