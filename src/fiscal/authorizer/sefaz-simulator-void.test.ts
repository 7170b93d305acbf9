import { beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../../test/fiscal-tools.ts';
import { shipFromStoreToCuritiba, store11Emitter } from '../fixtures.test-support.ts';
import { type A1Certificate, generateTestCertificate } from '../xml/certificate.ts';
import { buildVoidRange, type VoidRangeInput } from '../xml/inut-xml.ts';
import { buildNfeXml } from '../xml/nfe-xml.ts';
import { signFiscalXml, signInfNFe } from '../xml/signature.ts';
import { validateXml } from '../xml/xsd.ts';
import type { VoidResult } from './port.ts';
import { createMemorySimulatorStore, createSefazSimulator } from './sefaz-simulator.ts';

const validate: typeof validateXml = (xml, schema) => {
  requireTool('xmllint');
  return validateXml(xml, schema);
};

const issuedAt = shipFromStoreToCuritiba().issuedAt;
let store11: A1Certificate;
let otherCompany: A1Certificate;

beforeAll(() => {
  ({ certificate: store11 } = generateTestCertificate({
    legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
    cnpj: store11Emitter.cnpj,
    password: 'senha-da-loja-11',
  }));
  ({ certificate: otherCompany } = generateTestCertificate({
    legalName: 'OUTRA EMPRESA LTDA',
    cnpj: '11222333000181',
    password: 'outra',
  }));
});

function request(overrides: Partial<VoidRangeInput> = {}, cert = store11): string {
  const built = buildVoidRange({
    environment: '2',
    stateCode: '35',
    year: 2026,
    cnpj: store11Emitter.cnpj,
    model: 55,
    series: 1,
    from: 1040,
    to: 1041,
    justification: 'Numeracao pulada por falha do sistema',
    ...overrides,
  });
  if (!built.ok) throw new Error(built.failure.detail);
  return signFiscalXml(built.value, cert, 'infInut');
}

function simulator() {
  const sefaz = createSefazSimulator({
    clock: () => new Date(issuedAt.getTime() + 60_000),
    validate,
    store: createMemorySimulatorStore(),
  });
  return sefaz;
}

const status = (r: VoidResult) => r.status;

describe('the SEFAZ simulator voids ranges (NFeInutilizacao4)', () => {
  it('voids an unused range: 102 with nProt and a ProcInutNFe that passes its schema', async () => {
    const answer = await simulator().voidRange(request());
    expect(answer).toMatchObject({
      outcome: 'voided',
      status: 102,
      reason: 'Inutilização de número homologado',
    });
    if (answer.outcome !== 'voided') return;
    expect(answer.protocol).toMatch(/^135260{3}[0-9]{7}$/);
    expect(answer.procInutXml).toContain('<ProcInutNFe versao="4.00"');
    expect(answer.procInutXml).toContain(`<nProt>${answer.protocol}</nProt>`);
    const proc = await validateXml(answer.procInutXml, 'procInutNFe');
    expect(proc.ok, JSON.stringify(proc)).toBe(true);
  });

  it('refuses the same range twice (563) and a range sharing a number with it (256)', async () => {
    const sefaz = simulator();
    expect(status(await sefaz.voidRange(request()))).toBe(102);
    expect(await sefaz.voidRange(request())).toMatchObject({ outcome: 'rejected', status: 563 });
    expect(await sefaz.voidRange(request({ from: 1041, to: 1045 }))).toMatchObject({ status: 256 });
    // Another series, or another model, is another range.
    expect(status(await sefaz.voidRange(request({ series: 2 })))).toBe(102);
    expect(status(await sefaz.voidRange(request({ model: 65 })))).toBe(102);
  });

  it('refuses a range with a number it authorised (241)', async () => {
    const sefaz = simulator();
    const built = buildNfeXml(shipFromStoreToCuritiba());
    if (!built.ok) throw new Error(built.failure.detail);
    expect((await sefaz.authorize(signInfNFe(built.value.xml, store11))).outcome).toBe('authorized');
    expect(await sefaz.voidRange(request({ from: 1040, to: 1042 }))).toMatchObject({
      outcome: 'rejected',
      status: 241,
      reason: 'Rejeição: Um número da faixa já foi utilizado',
    });
    expect(status(await sefaz.voidRange(request({ from: 1043, to: 1043 })))).toBe(102);
  });

  it('refuses to authorise an NF-e under a number voided before (206)', async () => {
    const sefaz = simulator();
    const document = shipFromStoreToCuritiba();
    expect(
      status(
        await sefaz.voidRange(
          request({ series: document.series, from: document.number, to: document.number }),
        ),
      ),
    ).toBe(102);
    const built = buildNfeXml(document);
    if (!built.ok) throw new Error(built.failure.detail);
    expect(await sefaz.authorize(signInfNFe(built.value.xml, store11))).toMatchObject({
      outcome: 'rejected',
      status: 206,
      reason: 'Rejeição: NF-e já está inutilizada na Base de dados da SEFAZ',
    });
  });

  it('checks the schema, the signature and the signer like its other services', async () => {
    const sefaz = simulator();
    expect(await sefaz.voidRange('<inutNFe')).toMatchObject({ status: 243 });
    const unsigned = buildVoidRange({
      environment: '2',
      stateCode: '35',
      year: 2026,
      cnpj: store11Emitter.cnpj,
      model: 55,
      series: 1,
      from: 1,
      to: 2,
      justification: 'Numeracao pulada por falha do sistema',
    });
    if (!unsigned.ok) throw new Error('unbuilt');
    expect(await sefaz.voidRange(unsigned.value)).toMatchObject({ status: 215 });
    expect(await sefaz.voidRange(request().replace('<nNFFin>1041<', '<nNFFin>1049<'))).toMatchObject({
      status: 297,
    });
    expect(await sefaz.voidRange(request({}, otherCompany))).toMatchObject({ status: 213 });
  });

  it('refuses a reversed range (224), one over 10,000 numbers (201) and a future year (453)', async () => {
    const sefaz = simulator();
    expect(
      await sefaz.voidRange(request({ from: 9, to: 9 }).replace('<nNFIni>9<', '<nNFIni>19<')),
    ).toMatchObject({ status: 297 });
    // Built by hand around the builder's own checks: what another client could send.
    const reversed = signFiscalXml(
      (
        buildVoidRange({
          environment: '2',
          stateCode: '35',
          year: 2026,
          cnpj: store11Emitter.cnpj,
          model: 55,
          series: 1,
          from: 10,
          to: 10,
          justification: 'Numeracao pulada por falha do sistema',
        }) as { ok: true; value: string }
      ).value.replace('<nNFIni>10<', '<nNFIni>20<'),
      store11,
      'infInut',
    );
    expect(await sefaz.voidRange(reversed)).toMatchObject({ status: 224 });
    expect(await sefaz.voidRange(request({ from: 1, to: 10_001 }))).toMatchObject({ status: 201 });
    expect(status(await sefaz.voidRange(request({ from: 1, to: 10_000 })))).toBe(102);
    expect(await sefaz.voidRange(request({ year: 2027, from: 20_000, to: 20_001 }))).toMatchObject({
      status: 453,
    });
  });
});
