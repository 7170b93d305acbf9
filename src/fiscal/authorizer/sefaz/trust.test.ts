import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { SefazConfigurationError } from './endpoints.ts';
import { makeCa } from './tls.test-support.ts';
import { configuredCa, defaultTrustedCa, icpBrasilRoots } from './trust.ts';

/** The fingerprints of certs/README.md, checked against the ITI's publications (see there). */
const PINNED = {
  'Autoridade Certificadora Raiz Brasileira v5':
    'CA:A5:3F:C6:09:1C:69:51:88:7C:97:6E:37:8F:6E:F8:9A:A6:37:7C:55:D9:7B:64:75:42:2B:71:ED:7E:9B:17',
  'Autoridade Certificadora Raiz Brasileira v10':
    '6E:0B:FF:06:9A:26:99:4C:15:DE:2C:48:88:CC:54:AF:84:88:2E:54:95:B7:FB:F6:6B:E9:CC:FF:EC:74:89:F6',
  'Autoridade Certificadora Raiz Brasileira v12':
    'D8:47:8E:37:CE:19:C6:90:CF:65:73:81:E6:8F:E6:00:E4:E1:A0:42:53:68:30:F0:68:47:E0:3E:55:4C:4B:01',
};

describe('the ICP-Brasil roots shipped in certs/', () => {
  const roots = icpBrasilRoots().map((pem) => new X509Certificate(pem));

  it('are exactly the pinned roots, each self-signed by ICP-Brasil', () => {
    const found = Object.fromEntries(
      roots.map((cert) => [/CN=([^\n]+)/.exec(cert.subject)?.[1], cert.fingerprint256]),
    );
    expect(found).toEqual(PINNED);
    for (const cert of roots) {
      expect(cert.subject).toContain('O=ICP-Brasil');
      expect(cert.issuer).toBe(cert.subject);
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(cert.ca).toBe(true);
    }
  });

  it('are trusted by default, beside Node’s roots', () => {
    const trusted = defaultTrustedCa({});
    expect(trusted.length).toBe(tls.rootCertificates.length + Object.keys(PINNED).length);
    for (const pem of icpBrasilRoots()) expect(trusted).toContain(pem);
  });
});

describe('OMNIHUB_SEFAZ_CA', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omnihub-ca-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the certificates of its PEM file', () => {
    const proxy = makeCa('Proxy CA');
    const file = join(dir, 'ca.pem');
    writeFileSync(file, `# the proxy\n${proxy.certPem}`);
    expect(configuredCa({ OMNIHUB_SEFAZ_CA: file })).toEqual([proxy.certPem.trim()]);
    expect(defaultTrustedCa({ OMNIHUB_SEFAZ_CA: file })).toContain(proxy.certPem.trim());
  });

  it('is a start-up error when the file is missing or holds no certificate', () => {
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, 'not a certificate');
    expect(() => configuredCa({ OMNIHUB_SEFAZ_CA: empty })).toThrow(SefazConfigurationError);
    expect(() => configuredCa({ OMNIHUB_SEFAZ_CA: join(dir, 'absent.pem') })).toThrow(/cannot read/);
  });
});
