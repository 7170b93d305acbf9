/**
 * The store's A1 certificate: a PKCS#12 file (private key + X.509 certificate) opened with a password.
 * Node's crypto cannot read or write PKCS#12, so node-forge handles the container; key generation
 * stays in Node's crypto, because forge's pure-JS RSA 2048 takes seconds.
 *
 * The PKCS#12 blob and its password are stored sealed (AES-256-GCM under the app's master key).
 */
import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes } from 'node:crypto';
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
  const attrs = [
    { shortName: 'C', value: 'BR' },
    { shortName: 'O', value: 'Omnihub test certificate (not ICP-Brasil)' },
    { shortName: 'CN', value: `${input.legalName}:${input.cnpj}` },
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
  return { pkcs12, certificate: describe(privateKey, cert) };
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
    subject: cert.subject.attributes
      .slice()
      .reverse()
      .map((a) => `${a.shortName ?? a.name}=${String(a.value)}`)
      .join(','),
  };
}

const SEAL_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals a secret (the PKCS#12 blob, its password) for storage: `v1.<base64(iv | tag | ciphertext)>`.
 * The key is the 32-byte master key from configuration; a fresh random IV makes every seal differ.
 */
export function sealSecret(key: Buffer, plaintext: Buffer | string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${SEAL_VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** Opens a sealed secret; a wrong key or any altered byte is refused by the GCM tag. */
export function openSecret(key: Buffer, sealed: string): Result<Buffer> {
  assertKey(key);
  const [version, payload] = sealed.split('.');
  const raw = payload === undefined ? Buffer.alloc(0) : Buffer.from(payload, 'base64');
  if (version !== SEAL_VERSION || raw.length < IV_BYTES + TAG_BYTES) {
    return fail('invalid', 'FISCAL.SECRET_UNREADABLE', 'The sealed secret is not in a known format.');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return ok(Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]));
  } catch {
    return fail(
      'invalid',
      'FISCAL.SECRET_TAMPERED',
      'The sealed secret was altered or sealed with another key.',
    );
  }
}

function assertKey(key: Buffer): void {
  // A wrong-length master key is a configuration fault, not a business failure.
  if (key.length !== 32) throw new Error(`The secret key must be 32 bytes, got ${key.length}`);
}
