import { describe, expect, it } from 'vitest';
import { requireTool } from '../../../test/fiscal-tools.ts';
import { generateTestCertificate } from './certificate.ts';
import { buildVoidRange, inutId } from './inut-xml.ts';
import { signFiscalXml, verifySignature } from './signature.ts';
import { validateXml } from './xsd.ts';

const input = {
  environment: '2' as const,
  stateCode: '35',
  year: 2026,
  cnpj: '45997418000153',
  model: 55 as const,
  series: 1,
  from: 7,
  to: 9,
  justification: 'Numeração pulada — queda do sistema',
};

describe('the inutilização request (inutNFe 4.00)', () => {
  it('names its Id as MOC 7.0 §4.5 composes it', () => {
    expect(inutId(input)).toBe('ID35264599741800015355001000000007000000009');
    expect(inutId(input)).toHaveLength(43);
  });

  it('is signed on infInut and passes the official schema', async () => {
    requireTool('xmllint');
    const { certificate } = generateTestCertificate({
      legalName: 'DEMO COMERCIO LTDA',
      cnpj: input.cnpj,
      password: 'x',
    });
    const built = buildVoidRange(input);
    if (!built.ok) throw new Error(built.failure.detail);
    expect(built.value).toContain('<xJust>Numeração pulada - queda do sistema</xJust>');
    const signed = signFiscalXml(built.value, certificate, 'infInut');
    expect(verifySignature(signed, 'infInut').ok).toBe(true);
    const valid = await validateXml(signed, 'inutNFe');
    expect(valid.ok, JSON.stringify(valid)).toBe(true);
  });

  it('refuses what the layout cannot carry', () => {
    for (const bad of [
      { cnpj: '123' },
      { stateCode: '3' },
      { series: 1000 },
      { from: 0 },
      { from: 9, to: 7 },
      { justification: 'curta' },
    ]) {
      const built = buildVoidRange({ ...input, ...bad });
      expect(built.ok ? 'ok' : built.failure.code, JSON.stringify(bad)).toBe('FISCAL.VOID_INVALID');
    }
  });
});
