/**
 * The store's A1 certificate: a PKCS#12 file (private key + X.509 certificate) opened with a password.
 * Node's crypto cannot read or write PKCS#12, so node-forge handles the container; key generation
 * stays in Node's crypto, because forge's pure-JS RSA 2048 takes seconds.
 *
 * The PKCS#12 blob and its password are stored sealed (AES-256-GCM under the app's master key).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { fail, ok, type Result } from '../../platform/errors.ts';

export interface A1Certificate {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  /** DER, base64 on one line: the content of KeyInfo/X509Data/X509Certificate. */
  readonly certificateBase64: string;
  readonly notAfter: Date;
  /** e.g. `CN=LOJAS EXEMPLO LTDA:12345678000195,O=...,C=BR` */
  readonly subject: string;
}

export interface TestCertificateInput {
  readonly legalName: string;
  readonly cnpj: string;
  readonly password: string;
  readonly now?: Date;
}

/**
 * A self-signed stand-in for an ICP-Brasil e-CNPJ A1, for the demo and tests. The subject CN follows
 * the ICP-Brasil convention `<razão social>:<CNPJ>`; SEFAZ would refuse it (no ICP-Brasil chain).
 */
export function generateTestCertificate(input: TestCertificateInput): {
  pkcs12: Buffer;
  certificate: A1Certificate;
} {
  // X.509 times have whole seconds; truncating keeps notAfter equal to what a reload reads back.
  const now = new Date(Math.floor((input.now ?? new Date()).getTime() / 1000) * 1000);
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = forge.pki.privateKeyFromPem(
    keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  );
  const publicKey = forge.pki.publicKeyFromPem(
    keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  );

  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: a leading 0x01 byte keeps the DER INTEGER from reading as negative.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = now;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 1);
  cert.validity.notAfter = notAfter;
  // UTF8String (forge writes its UTF-8 bytes), as ICP-Brasil certificates carry accented company names.
  const utf8 = (value: string) => ({ value, valueTagClass: UTF8_STRING });
  const attrs = [
    { shortName: 'C', value: 'BR' },
    { shortName: 'O', ...utf8('Omnihub test certificate (not ICP-Brasil)') },
    { shortName: 'CN', ...utf8(`${input.legalName}:${input.cnpj}`) },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true, emailProtection: true },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());

  // 3DES: the PKCS#12 cipher that OpenSSL 3 (without the legacy provider), Windows and Java all read.
  const p12 = forge.pkcs12.toPkcs12Asn1(privateKey, [cert], input.password, {
    algorithm: '3des',
    friendlyName: input.legalName,
  });
  const pkcs12 = Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
  // Described as read back from DER, like an uploaded certificate.
  const stored = forge.pki.certificateFromPem(forge.pki.certificateToPem(cert));
  return { pkcs12, certificate: describe(privateKey, stored) };
}

/** Opens a PKCS#12 with its password. A wrong password or a damaged file is a returned failure. */
export function loadPkcs12(pkcs12: Buffer, password: string): Result<A1Certificate> {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(pkcs12.toString('binary')), false, password);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/mac could not be verified|invalid password/i.test(message)) {
      return fail('invalid', 'FISCAL.CERTIFICATE_PASSWORD', 'The certificate password is wrong.');
    }
    return fail(
      'invalid',
      'FISCAL.CERTIFICATE_UNREADABLE',
      `The certificate file cannot be read: ${message}`,
    );
  }

  const keys = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ??
      []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const certs = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const key = keys.find((bag) => bag.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key)
    return fail('invalid', 'FISCAL.CERTIFICATE_UNREADABLE', 'The certificate file holds no private key.');
  // A real A1 file often carries the ICP-Brasil chain too: the signer is the certificate of this key.
  const cert = certs
    .map((bag) => bag.cert)
    .find((c): c is forge.pki.Certificate => {
      const pub = c?.publicKey as forge.pki.rsa.PublicKey | undefined;
      return pub?.n?.equals(key.n) === true && pub.e.equals(key.e);
    });
  if (!cert) {
    return fail(
      'invalid',
      'FISCAL.CERTIFICATE_UNREADABLE',
      'The certificate file holds no certificate for its key.',
    );
  }
  return ok(describe(key, cert));
}

function describe(key: forge.pki.rsa.PrivateKey, cert: forge.pki.Certificate): A1Certificate {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  return {
    privateKeyPem: forge.pki.privateKeyToPem(key),
    certificatePem: forge.pki.certificateToPem(cert),
    certificateBase64: Buffer.from(der, 'binary').toString('base64'),
    notAfter: cert.validity.notAfter,
    subject: nameText(cert.subject.attributes),
  };
}

/** The ASN.1 tag of UTF8String (X.680), the string type of names in RFC 5280 certificates. */
const UTF8_STRING = 12;

/**
 * A distinguished name as `CN=…,O=…,C=…`. node-forge hands a UTF8String's value over as its raw bytes in a
 * binary string, so those are decoded as UTF-8 here.
 */
function nameText(attributes: forge.pki.CertificateField[]): string {
  return attributes
    .slice()
    .reverse()
    .map((a) => {
      const value = String(a.value);
      const text =
        Number(a.valueTagClass) === UTF8_STRING ? Buffer.from(value, 'binary').toString('utf8') : value;
      return `${a.shortName ?? a.name}=${text}`;
    })
    .join(',');
}

// Sealing lives with the master key; re-exported for fiscal's settings and tests.
export { openSecret, sealSecret } from '../../platform/secret-key.ts';

/** The CNPJ at the end of an ICP-Brasil subject CN, `<razão social>:<CNPJ>`. */
export function certificateCnpj(subject: string): string | undefined {
  return /(?:^|,)\s*CN=[^,]*:([0-9A-Z]{14})(?:,|$)/.exec(subject)?.[1];
}
