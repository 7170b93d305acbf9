import { beforeAll, describe, expect, it } from 'vitest';
import { expectValidSigned } from '../../../test/fiscal-tools.ts';
import { saleWithinSaoPaulo, shipFromStoreToCuritiba } from '../fixtures.test-support.ts';
import { type A1Certificate, generateTestCertificate } from './certificate.ts';
import { buildNfeXml } from './nfe-xml.ts';
import { signInfNFe, verifySignature } from './signature.ts';

/**
 * The whole chain on real documents: the builder's NF-e, signed with a store's A1 certificate, is valid
 * against the official schema (signature included, as SEFAZ receives it) and verifies with xmlsec1.
 */
describe('a signed NF-e', () => {
  let certificate: A1Certificate;
  beforeAll(() => {
    ({ certificate } = generateTestCertificate({
      legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
      cnpj: '45997418000153',
      password: 'senha-da-loja-11',
    }));
  });

  for (const [name, doc] of [
    ['interstate ship-from-store sale (6108)', shipFromStoreToCuritiba],
    ['sale within São Paulo (5102)', saleWithinSaoPaulo],
  ] as const) {
    it(`${name}: schema-valid once signed, verified by us and by xmlsec1`, async () => {
      const built = buildNfeXml(doc());
      if (!built.ok) throw new Error(built.failure.detail);
      const signed = signInfNFe(built.value.xml, certificate);
      expect(verifySignature(signed).ok).toBe(true);
      await expectValidSigned(signed, 'infNFe', 'nfe', certificate.certificatePem);
    });
  }
});
