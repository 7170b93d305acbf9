import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type A1Certificate, generateTestCertificate } from './certificate.ts';
import { saleWithinSaoPaulo, shipFromStoreToCuritiba } from './fixtures.test-support.ts';
import { buildNfeXml } from './nfe-xml.ts';
import { signInfNFe, verifySignature } from './signature.ts';
import { validateXml, xmllintPath } from './xsd.ts';

/**
 * The whole chain on real documents: the builder's NF-e, signed with a store's A1 certificate, is valid
 * against the official schema (signature included, as SEFAZ receives it) and verifies with xmlsec1.
 */
const XMLSEC1 = '/usr/bin/xmlsec1';
const tools = existsSync(XMLSEC1) && existsSync(xmllintPath());

describe.skipIf(!tools && !process.env.CI)('a signed NF-e', () => {
  let certificate: A1Certificate;
  let dir: string;
  beforeAll(() => {
    ({ certificate } = generateTestCertificate({
      legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
      cnpj: '45997418000153',
      password: 'senha-da-loja-11',
    }));
    dir = mkdtempSync(join(tmpdir(), 'omnihub-signed-nfe-'));
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const [name, doc] of [
    ['interstate ship-from-store sale (6108)', shipFromStoreToCuritiba],
    ['sale within São Paulo (5102)', saleWithinSaoPaulo],
  ] as const) {
    it(`${name}: schema-valid once signed, verified by us and by xmlsec1`, async () => {
      const built = buildNfeXml(doc());
      if (!built.ok) throw new Error(built.failure.detail);
      const signed = signInfNFe(built.value.xml, certificate);

      expect(await validateXml(signed, 'nfe')).toEqual({ ok: true, value: undefined });
      const ours = verifySignature(signed);
      expect(ours.ok).toBe(true);

      const file = join(dir, `${built.value.accessKey}.xml`);
      const pem = `${file}.pem`;
      writeFileSync(file, signed);
      writeFileSync(pem, certificate.certificatePem);
      const idAttr = ['--id-attr:Id', 'http://www.portalfiscal.inf.br/nfe:infNFe'];
      expect(() =>
        execFileSync(XMLSEC1, ['--verify', ...idAttr, '--trusted-pem', pem, file], { stdio: 'pipe' }),
      ).not.toThrow();
    });
  }
});
