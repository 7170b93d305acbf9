import { beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned, requireTool } from '../../../test/fiscal-tools.ts';
import type { A1Certificate } from './certificate.ts';
import {
  buildCancellationEvent,
  buildCorrectionEvent,
  CORRECTION_CONDITIONS,
  generateTestCertificate,
  signFiscalXml,
  validateXml,
} from './index.ts';

const KEY = '35260612345678000195550010000000421234567890';
const at = new Date('2026-06-10T15:00:00Z');

describe('the NF-e events against the official schemas', () => {
  let certificate: A1Certificate;
  beforeAll(() => {
    requireTool('xmllint');
    ({ certificate } = generateTestCertificate({
      legalName: 'LOJAS EXEMPLO LTDA',
      cnpj: '12345678000195',
      password: 'segredo',
    }));
  });

  const correction = (text: string, sequence = 1) =>
    buildCorrectionEvent({ accessKey: KEY, text, sequence, at, cnpj: '12345678000195', environment: '2' });

  it('builds a signed correction letter that envCCe_v1.00.xsd and envEvento_v1.00.xsd accept', async () => {
    const built = correction('Endereço de entrega: Rua das Flores, 100 – fundos', 3);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.value).toContain(`Id="ID110110${KEY}03"`);
    expect(built.value).toContain('<descEvento>Carta de Correcao</descEvento>');
    expect(built.value).toContain(`<xCondUso>${CORRECTION_CONDITIONS}</xCondUso>`);
    // Layout text: the en dash becomes a hyphen, the accents of Latin-1 stay.
    expect(built.value).toContain('<xCorrecao>Endereço de entrega: Rua das Flores, 100 - fundos</xCorrecao>');
    const signed = signFiscalXml(built.value, certificate, 'infEvento');
    expect(await validateXml(signed, 'envCCe')).toEqual({ ok: true, value: undefined });
    await expectValidSigned(signed, 'infEvento', 'envEvento');
  });

  it('refuses a text out of 15–1,000 characters and a sequence out of 1–20', () => {
    for (const [text, sequence] of [
      ['curto demais', 1],
      ['x'.repeat(1001), 1],
      ['Texto de correção válido', 0],
      ['Texto de correção válido', 21],
    ] as const) {
      const built = correction(text, sequence);
      expect(built.ok, `${text.length} ${sequence}`).toBe(false);
      if (!built.ok) expect(built.failure.code).toBe('FISCAL.EVENT_INVALID');
    }
    expect(correction('x'.repeat(1000), 20).ok).toBe(true);
  });

  it('builds a cancellation that envEventoCancNFe_v1.00.xsd accepts', async () => {
    const built = buildCancellationEvent({
      accessKey: KEY,
      protocol: '135260000000001',
      justification: 'Cliente desistiu da compra',
      at,
      cnpj: '12345678000195',
      environment: '2',
    });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const signed = signFiscalXml(built.value, certificate, 'infEvento');
    expect(await validateXml(signed, 'envEventoCancNFe')).toEqual({ ok: true, value: undefined });
  });
});
