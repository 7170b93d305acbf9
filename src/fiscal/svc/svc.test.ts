import { beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned, requireTool } from '../../../test/fiscal-tools.ts';
import type { FiscalDocument } from '../domain.ts';
import { shipFromStoreToCuritiba } from '../fixtures.test-support.ts';
import type { SigningMaterial } from '../settings.ts';
import { signAndValidate } from '../signing.ts';
import { buildNfeXml, generateTestCertificate, parseAccessKey } from '../xml/index.ts';
import { checkJustification, isSvcKey, nothingSent, statusDown, svcFor } from './svc.ts';

describe('SVC by state (NT 2013.007)', () => {
  it('sends AM, BA, GO, MA, MS, MT, PE and PR to SVC-RS (tpEmis 7), every other state to SVC-AN (6)', () => {
    for (const uf of ['AM', 'BA', 'GO', 'MA', 'MS', 'MT', 'PE', 'PR'])
      expect(svcFor(uf)).toEqual({ authoriser: 'SVC-RS', emissionType: 7 });
    for (const uf of ['SP', 'RJ', 'MG', 'RS', 'SC', 'DF', 'AC', 'ES'])
      expect(svcFor(uf)).toEqual({ authoriser: 'SVC-AN', emissionType: 6 });
  });

  it('reads tpEmis at position 35 of the key', () => {
    expect(isSvcKey(`${'3'.repeat(34)}6${'1'.repeat(9)}`)).toBe(true);
    expect(isSvcKey(`${'3'.repeat(34)}7${'1'.repeat(9)}`)).toBe(true);
    expect(isSvcKey(`${'3'.repeat(34)}1${'1'.repeat(9)}`)).toBe(false);
    expect(isSvcKey(`${'3'.repeat(34)}9${'1'.repeat(9)}`)).toBe(false);
  });

  it('takes a justification of 15 to 256 characters, trimmed', () => {
    expect(checkJustification('  SEFAZ fora do ar desde 10h  ')).toEqual({
      ok: true,
      value: 'SEFAZ fora do ar desde 10h',
    });
    expect(checkJustification('curta demais').ok).toBe(false);
    expect(checkJustification('x'.repeat(257)).ok).toBe(false);
    expect(checkJustification('x'.repeat(256)).ok).toBe(true);
    expect(checkJustification(42).ok).toBe(false);
    expect(checkJustification('SEFAZ fora do ar\n  desde as 10h')).toEqual({
      ok: true,
      value: 'SEFAZ fora do ar desde as 10h',
    });
    expect(checkJustification('SEFAZ fora do ar — desde as 10h')).toMatchObject({
      ok: false,
      failure: { code: 'FISCAL.CONTINGENCY_JUSTIFICATION_CHARACTER' },
    });
    expect(checkJustification('Autorização indisponível, contingência').ok).toBe(true);
  });

  it('counts 108 and 109 as down, and needs no reconciliation only when nothing was sent', () => {
    expect([107, 108, 109, 280].map(statusDown)).toEqual([false, true, true, false]);
    expect(nothingSent('unreachable')).toBe(true);
    expect(nothingSent('tls')).toBe(true);
    expect(nothingSent('timeout')).toBe(false);
    expect(nothingSent('http_status')).toBe(false);
    expect(nothingSent(undefined)).toBe(false);
  });
});

describe('an NF-e in SVC', () => {
  let material: SigningMaterial;
  beforeAll(() => {
    const { certificate } = generateTestCertificate({
      legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
      cnpj: '45997418000153',
      password: 'senha-da-loja-11',
    });
    material = {
      environment: '2',
      taxRegime: 1,
      icmsRateIntrastate: null,
      icmsRateInterstate: null,
      certificate,
      csc: null,
    };
  });
  const since = new Date('2026-12-06T13:00:00Z');
  const inSvc = (type: 6 | 7): FiscalDocument => ({
    ...shipFromStoreToCuritiba(),
    issuedAt: new Date('2026-12-06T13:05:00Z'),
    contingency: { emissionType: type, since, justification: 'SEFAZ-SP fora do ar desde as 10h' },
  });

  it.each([6, 7] as const)(
    'carries tpEmis %i, dhCont and xJust, is schema-valid and signed',
    async (type) => {
      requireTool('xmllint');
      const result = await signAndValidate(inSvc(type), material);
      expect(result.ok, JSON.stringify(!result.ok && result.failure)).toBe(true);
      if (!result.ok) return;
      expect(parseAccessKey(result.value.accessKey)).toMatchObject({
        ok: true,
        value: { emissionType: type },
      });
      expect(result.value.xml).toContain(`<tpEmis>${type}</tpEmis>`);
      expect(result.value.xml).toContain(
        '<dhCont>2026-12-06T10:00:00-03:00</dhCont><xJust>SEFAZ-SP fora do ar desde as 10h</xJust>',
      );
      await expectValidSigned(result.value.xml, 'infNFe', 'nfe');
    },
  );

  it('refuses SVC for an NFC-e and offline contingency for an NF-e', () => {
    const nfce = { ...inSvc(6), model: '65' as const };
    expect(buildNfeXml(nfce)).toMatchObject({ ok: false, failure: { code: 'FISCAL.CONTINGENCY_MODEL' } });
    const offline: FiscalDocument = {
      ...inSvc(6),
      contingency: { ...inSvc(6).contingency!, emissionType: 9 },
    };
    expect(buildNfeXml(offline)).toMatchObject({ ok: false, failure: { code: 'FISCAL.CONTINGENCY_MODEL' } });
  });
});
