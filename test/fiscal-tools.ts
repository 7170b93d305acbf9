import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { validateXml, xmllintPath } from '../src/fiscal/xsd.ts';

/** The external checkers of the fiscal tests: xmllint (schema) and xmlsec1 (signature). */
export const XMLSEC1 = '/usr/bin/xmlsec1';
export const fiscalToolsPresent = existsSync(XMLSEC1) && existsSync(xmllintPath());

/** The `<NFe>` inside an nfeProc (or the document itself), as SEFAZ received it. */
export function nfeOf(xml: string): string {
  const start = xml.indexOf('<NFe');
  const end = xml.indexOf('</NFe>');
  if (start < 0 || end < 0) throw new Error('no <NFe> in the document');
  return xml.slice(start, end + '</NFe>'.length);
}

/**
 * Checks a signed document with the external tools: valid against the official XSD with xmllint, and
 * its signature verified by xmlsec1, trusting the certificate the document carries (the demo's test
 * certificates are self-signed, so the chain is not what is tested here; the signature is).
 */
export async function expectValidSigned(
  xml: string,
  element: 'infNFe' | 'infEvento',
  schema: 'nfe' | 'envEvento',
  /** The signer's certificate when the test knows it; otherwise the one the document carries. */
  trustedPem?: string,
): Promise<void> {
  expect(await validateXml(xml, schema)).toEqual({ ok: true, value: undefined });
  const certificate = /<X509Certificate>([^<]+)<\/X509Certificate>/.exec(xml)?.[1];
  expect(certificate, 'the signature carries its certificate').toBeTruthy();
  const dir = mkdtempSync(join(tmpdir(), 'omnihub-xmlsec-'));
  try {
    const file = join(dir, 'document.xml');
    const pem = join(dir, 'signer.pem');
    writeFileSync(file, xml);
    const body = certificate!.replace(/\s/g, '').replace(/(.{64})/g, '$1\n');
    writeFileSync(pem, trustedPem ?? `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`);
    const idAttr = ['--id-attr:Id', `http://www.portalfiscal.inf.br/nfe:${element}`];
    execFileSync(XMLSEC1, ['--verify', ...idAttr, '--trusted-pem', pem, file], { stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
