import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool, xmlsec1Verify } from '../../../test/fiscal-tools.ts';
import {
  type A1Certificate,
  generateTestCertificate,
  loadPkcs12,
  openSecret,
  sealSecret,
} from './certificate.ts';
import { C14N, ENVELOPED, RSA_SHA1, SHA1, signFiscalXml, signInfNFe, verifySignature } from './signature.ts';

const KEY = '35261112345678000195550010000000011000000019';
const NFE =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<NFe xmlns="http://www.portalfiscal.inf.br/nfe">' +
  `<infNFe versao="4.00" Id="NFe${KEY}">` +
  '<ide><cUF>35</cUF><cNF>00000001</cNF><natOp>VENDA</natOp><mod>55</mod><serie>1</serie><nNF>1</nNF>' +
  '<dhEmi>2026-11-23T10:00:00-03:00</dhEmi><tpNF>1</tpNF><tpAmb>2</tpAmb></ide>' +
  '<emit><CNPJ>12345678000195</CNPJ><xNome>LOJAS EXEMPLO LTDA</xNome></emit>' +
  '<det nItem="1"><prod><cProd>SKU-1</cProd><xProd>Camiseta &amp; bermuda</xProd><qCom>2.0000</qCom>' +
  '<vProd>199.80</vProd></prod></det>' +
  '<total><ICMSTot><vNF>199.80</vNF></ICMSTot></total>' +
  '</infNFe></NFe>';

const EVENT =
  '<envEvento xmlns="http://www.portalfiscal.inf.br/nfe" versao="1.00"><idLote>1</idLote>' +
  `<evento versao="1.00"><infEvento Id="ID110111${KEY}01"><cOrgao>35</cOrgao><tpAmb>2</tpAmb>` +
  `<chNFe>${KEY}</chNFe><tpEvento>110111</tpEvento><nSeqEvento>1</nSeqEvento></infEvento></evento>` +
  '</envEvento>';

let certificate: A1Certificate;
let pkcs12: Buffer;
let signed: string;
let dir: string;

beforeAll(() => {
  // One key pair for the file: RSA 2048 generation is the slow part.
  ({ certificate, pkcs12 } = generateTestCertificate({
    legalName: 'LOJAS EXEMPLO LTDA',
    cnpj: '12345678000195',
    password: 'segredo-da-loja',
  }));
  signed = signInfNFe(NFE, certificate);
  dir = mkdtempSync(join(tmpdir(), 'omnihub-signature-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const tamper = (xml: string) => xml.replace('<vNF>199.80</vNF>', '<vNF>1.98</vNF>');

describe('NF-e signature', () => {
  it('places the Signature right after infNFe, inside NFe', () => {
    expect(signed).toMatch(
      /<\/infNFe><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"><SignedInfo>[\s\S]*<\/Signature><\/NFe>$/,
    );
    expect(signed).toContain(`<Reference URI="#NFe${KEY}">`);
  });

  it('uses exactly the profile algorithms and the two transforms, with no whitespace in SignedInfo', () => {
    const signedInfo = signed.match(/<SignedInfo>[\s\S]*<\/SignedInfo>/)?.[0] ?? '';
    expect(signedInfo).not.toMatch(/>\s+</);
    expect([...signedInfo.matchAll(/Algorithm="([^"]+)"/g)].map((m) => m[1])).toEqual([
      C14N,
      RSA_SHA1,
      ENVELOPED,
      C14N,
      SHA1,
    ]);
    expect(C14N).toBe('http://www.w3.org/TR/2001/REC-xml-c14n-20010315');
    expect(RSA_SHA1).toBe('http://www.w3.org/2000/09/xmldsig#rsa-sha1');
    expect(SHA1).toBe('http://www.w3.org/2000/09/xmldsig#sha1');
    expect(ENVELOPED).toBe('http://www.w3.org/2000/09/xmldsig#enveloped-signature');
    expect(signed).toContain(
      `<KeyInfo><X509Data><X509Certificate>${certificate.certificateBase64}</X509Certificate></X509Data></KeyInfo>`,
    );
  });

  it('verifies, naming the signer', () => {
    const result = verifySignature(signed);
    expect(result).toMatchObject({ ok: true, value: { element: 'infNFe', id: `NFe${KEY}` } });
    if (result.ok) expect(result.value.certificateSubject).toContain('CN=LOJAS EXEMPLO LTDA:12345678000195');
  });

  it('refuses a document whose infNFe was altered after signing', () => {
    expect(verifySignature(tamper(signed))).toMatchObject({
      ok: false,
      failure: { code: 'FISCAL.SIGNATURE_INVALID' },
    });
  });

  it('refuses an unsigned document and one that is not XML', () => {
    expect(verifySignature(NFE)).toMatchObject({ ok: false, failure: { code: 'FISCAL.SIGNATURE_INVALID' } });
    expect(verifySignature('<NFe><infNFe')).toMatchObject({
      ok: false,
      failure: { code: 'FISCAL.XML_UNREADABLE' },
    });
  });

  it('refuses a signature that points at another Id', () => {
    const moved = signed.replace(`Id="NFe${KEY}"`, `Id="NFe${KEY.slice(0, -1)}8"`);
    expect(verifySignature(moved)).toMatchObject({
      ok: false,
      failure: { code: 'FISCAL.SIGNATURE_INVALID' },
    });
  });

  it('signs and verifies an event on infEvento', () => {
    const signedEvent = signFiscalXml(EVENT, certificate, 'infEvento');
    expect(signedEvent).toContain('</infEvento><Signature xmlns="http://www.w3.org/2000/09/xmldsig#">');
    expect(verifySignature(signedEvent, 'infEvento')).toMatchObject({ ok: true });
    expect(verifySignature(signedEvent.replace('<nSeqEvento>1<', '<nSeqEvento>2<'), 'infEvento').ok).toBe(
      false,
    );
  });
});

describe('NF-e signature checked by xmlsec1', () => {
  /** Debian's xmlsec1 (libxmlsec1 + OpenSSL), trusting only the given certificate. */
  const xmlsecVerify = (xml: string, element: string, trusted: string) => {
    const file = join(dir, `${element}-${Math.random().toString(36).slice(2)}.xml`);
    const pem = `${file}.pem`;
    writeFileSync(file, xml);
    writeFileSync(pem, trusted);
    requireTool('xmlsec1');
    try {
      xmlsec1Verify(file, element, pem);
      return { ok: true, output: '' };
    } catch (error) {
      return { ok: false, output: String((error as { stderr?: Buffer }).stderr ?? error) };
    }
  };

  it('accepts the signed NF-e', () => {
    expect(xmlsecVerify(signed, 'infNFe', certificate.certificatePem)).toEqual({ ok: true, output: '' });
  });

  it('refuses the altered NF-e', () => {
    expect(xmlsecVerify(tamper(signed), 'infNFe', certificate.certificatePem).ok).toBe(false);
  });

  it('refuses the NF-e when it trusts another certificate', () => {
    const other = generateTestCertificate({
      legalName: 'OUTRA LOJA LTDA',
      cnpj: '11222333000181',
      password: 'x',
    });
    expect(xmlsecVerify(signed, 'infNFe', other.certificate.certificatePem).ok).toBe(false);
  });

  it('accepts a signed event', () => {
    const signedEvent = signFiscalXml(EVENT, certificate, 'infEvento');
    expect(xmlsecVerify(signedEvent, 'infEvento', certificate.certificatePem)).toEqual({
      ok: true,
      output: '',
    });
  });
});

describe('A1 certificate', () => {
  it('round-trips through PKCS#12 with its password', () => {
    const loaded = loadPkcs12(pkcs12, 'segredo-da-loja');
    expect(loaded).toEqual({ ok: true, value: certificate });
    if (!loaded.ok) return;
    expect(loaded.value.subject).toContain('CN=LOJAS EXEMPLO LTDA:12345678000195');
    const days = (loaded.value.notAfter.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThanOrEqual(366);
    // The loaded key signs documents that verify.
    expect(verifySignature(signInfNFe(NFE, loaded.value)).ok).toBe(true);
  });

  it('refuses a wrong password with a failure value', () => {
    expect(loadPkcs12(pkcs12, 'wrong')).toMatchObject({
      ok: false,
      failure: { code: 'FISCAL.CERTIFICATE_PASSWORD' },
    });
  });

  it('refuses a damaged file with a failure value', () => {
    expect(loadPkcs12(Buffer.from('not a pkcs12'), 'x')).toMatchObject({
      ok: false,
      failure: { code: 'FISCAL.CERTIFICATE_UNREADABLE' },
    });
  });

  it('is a PKCS#12 that OpenSSL reads too', () => {
    const file = join(dir, 'store.p12');
    writeFileSync(file, pkcs12);
    const out = execFileSync(
      requireTool('openssl'),
      ['pkcs12', '-in', file, '-passin', 'pass:segredo-da-loja', '-nokeys'],
      {
        stdio: 'pipe',
      },
    ).toString();
    expect(out).toContain('LOJAS EXEMPLO LTDA:12345678000195');
  });
});

describe('sealed secrets', () => {
  const key = Buffer.alloc(32, 7);

  it('round-trips a password and a PKCS#12 blob, differently each time', () => {
    const a = sealSecret(key, 'segredo-da-loja');
    expect(a).not.toContain('segredo');
    expect(sealSecret(key, 'segredo-da-loja')).not.toBe(a);
    expect(openSecret(key, a)).toEqual({ ok: true, value: Buffer.from('segredo-da-loja') });
    const blob = openSecret(key, sealSecret(key, pkcs12));
    expect(blob.ok && blob.value.equals(pkcs12)).toBe(true);
  });

  it('refuses an altered ciphertext, another key and garbage', () => {
    const sealed = sealSecret(key, 'segredo-da-loja');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    const altered = `v1.${raw.toString('base64')}`;
    expect(openSecret(key, altered)).toMatchObject({
      ok: false,
      failure: { code: 'SECRET.TAMPERED' },
    });
    expect(openSecret(Buffer.alloc(32, 8), sealed)).toMatchObject({
      ok: false,
      failure: { code: 'SECRET.TAMPERED' },
    });
    expect(openSecret(key, 'hello')).toMatchObject({
      ok: false,
      failure: { code: 'SECRET.UNREADABLE' },
    });
  });

  it('throws on a master key of the wrong size (a configuration fault)', () => {
    expect(() => sealSecret(Buffer.alloc(16), 'x')).toThrow(/32 bytes/);
  });
});
