import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { validateXml, xmllintPath } from '../src/fiscal/xml/index.ts';

/**
 * The external checkers of the fiscal tests: xmllint (schema), xmlsec1 (signature) and openssl (the A1
 * certificate). A test that needs one fails when it is missing, here and in CI alike, naming the Debian
 * package to install: a check that skips itself silently is a check nobody runs.
 */
export const fiscalTools = {
  xmllint: { path: xmllintPath(), debianPackage: 'libxml2-utils' },
  xmlsec1: { path: '/usr/bin/xmlsec1', debianPackage: 'xmlsec1' },
  openssl: { path: '/usr/bin/openssl', debianPackage: 'openssl' },
} as const;

export type FiscalTool = keyof typeof fiscalTools;

/** The tool's path; throws, naming the package to install, when it is not there. */
export function requireTool(name: FiscalTool): string {
  const { path, debianPackage } = fiscalTools[name];
  if (!existsSync(path))
    throw new Error(
      `${name} is missing (looked for ${path}): install the Debian package ${debianPackage} (apt-get install ${debianPackage}).`,
    );
  return path;
}

/** Runs xmlsec1 to verify the signature over `element`, trusting only `pemFile`; throws when it fails. */
export function xmlsec1Verify(file: string, element: string, pemFile: string): void {
  const idAttr = ['--id-attr:Id', `http://www.portalfiscal.inf.br/nfe:${element}`];
  execFileSync(requireTool('xmlsec1'), ['--verify', ...idAttr, '--trusted-pem', pemFile, file], {
    stdio: 'pipe',
  });
}

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
  requireTool('xmllint');
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
    xmlsec1Verify(file, element, pem);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
