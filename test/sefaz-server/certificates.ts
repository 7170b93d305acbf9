/**
 * The test SEFAZ's certificates, all made in memory with node-forge (keys from Node's crypto, which is
 * fast): a server CA and the server certificate for 127.0.0.1 / localhost, and a separate client CA, the
 * only issuer the server accepts for mutual TLS, which issues the stores' A1 certificates.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

interface Issued {
  readonly key: forge.pki.rsa.PrivateKey;
  readonly cert: forge.pki.Certificate;
}

export interface CertificateAuthority extends Issued {
  readonly certPem: string;
}

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(
      keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    ),
    publicKey: forge.pki.publicKeyFromPem(keys.publicKey.export({ type: 'spki', format: 'pem' }) as string),
  };
}

/** UTF8String, as ICP-Brasil names carry accented company names. */
const utf8 = (shortName: string, value: string) => ({ shortName, value, valueTagClass: 12 });

function issue(
  subject: forge.pki.CertificateField[],
  extensions: object[],
  issuer: Issued | undefined,
  now: Date,
): Issued {
  const { privateKey, publicKey } = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  // An hour back, so a test clock slightly behind the machine's still sees it valid.
  cert.validity.notBefore = new Date(now.getTime() - 3_600_000);
  cert.validity.notAfter = new Date(now.getTime() + 365 * 86_400_000);
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
  cert.setExtensions(extensions);
  cert.sign(issuer?.key ?? privateKey, forge.md.sha256.create());
  return { key: privateKey, cert };
}

export function createAuthority(name: string, now = new Date()): CertificateAuthority {
  const issued = issue(
    [utf8('CN', name), utf8('O', 'Omnihub SEFAZ de teste'), { shortName: 'C', value: 'BR' }],
    [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
    undefined,
    now,
  );
  return { ...issued, certPem: forge.pki.certificateToPem(issued.cert) };
}

/** The server's certificate: the names the endpoints use (127.0.0.1 and localhost). */
export function issueServerCertificate(ca: CertificateAuthority): { keyPem: string; certPem: string } {
  const { key, cert } = issue(
    [utf8('CN', 'localhost'), { shortName: 'C', value: 'BR' }],
    [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
    ca,
    new Date(),
  );
  return { keyPem: forge.pki.privateKeyToPem(key), certPem: forge.pki.certificateToPem(cert) };
}

export interface ClientCertificateInput {
  readonly legalName: string;
  readonly cnpj: string;
  readonly password: string;
  /** RC2-40 for the certificates and 3DES for the key, as A1 files exported by older tools are. */
  readonly legacy?: boolean;
}

/** An e-CNPJ A1 as ICP-Brasil shapes it: CN `<razão social>:<CNPJ>`, for client authentication and signing. */
export function issueClientCertificate(
  ca: CertificateAuthority,
  input: ClientCertificateInput,
): { pkcs12: Buffer } {
  const { key, cert } = issue(
    [
      { shortName: 'C', value: 'BR' },
      utf8('O', 'ICP-Brasil de teste'),
      utf8('CN', `${input.legalName}:${input.cnpj}`),
    ],
    [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true },
      { name: 'extKeyUsage', clientAuth: true, emailProtection: true },
    ],
    ca,
    new Date(),
  );
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert, ca.cert], input.password, {
    algorithm: '3des',
    friendlyName: input.legalName,
  });
  if (input.legacy) encryptCertificateBags(p12, input.password);
  return { pkcs12: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary') };
}

const { asn1 } = forge;
const oidOf = (name: string) => asn1.oidToDer(forge.pki.oids[name]!).getBytes();

/**
 * Rewrites forge's PFX so that its certificate SafeContents travel as PKCS#7 EncryptedData under
 * pbeWithSHAAnd40BitRC2-CBC (PKCS#12 appendix C), and recomputes the MAC over the new AuthenticatedSafe.
 * That is what `openssl pkcs12 -export` wrote before OpenSSL 3, and what OpenSSL 3 refuses by default.
 */
function encryptCertificateBags(pfx: forge.asn1.Asn1, password: string): void {
  const [, authSafe, macData] = pfx.value as forge.asn1.Asn1[];
  const authSafeOctets = ((authSafe!.value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[])[0]!;
  const contents = asn1.fromDer(authSafeOctets.value as string);
  const infos = contents.value as forge.asn1.Asn1[];
  const certInfo = infos[0]!;
  const plain = ((certInfo.value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[])[0]!.value as string;

  const salt = forge.random.getBytesSync(8);
  const count = 2048;
  const md = forge.md.sha1.create();
  const key = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt), 1, count, 5, md);
  const iv = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt), 2, count, 8, md);
  const cipher = forge.rc2.createEncryptionCipher(key, 40);
  cipher.start(iv);
  cipher.update(forge.util.createBuffer(plain));
  cipher.finish();

  const seq = (value: forge.asn1.Asn1[]) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
  const oid = (name: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, oidOf(name));
  infos[0] = seq([
    oid('encryptedData'),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
      seq([
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(0).getBytes()),
        seq([
          oid('data'),
          seq([
            oid('pbewithSHAAnd40BitRC2-CBC'),
            seq([
              asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, salt),
              asn1.create(
                asn1.Class.UNIVERSAL,
                asn1.Type.INTEGER,
                false,
                asn1.integerToDer(count).getBytes(),
              ),
            ]),
          ]),
          asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, cipher.output.getBytes()),
        ]),
      ]),
    ]),
  ]);
  const safeDer = asn1.toDer(contents).getBytes();
  authSafeOctets.value = safeDer;

  // MacData: DigestInfo { algorithm, digest }, macSalt, iterations (PKCS#12 §4).
  const [digestInfo, macSalt, iterations] = macData!.value as forge.asn1.Asn1[];
  const macIterations = forge.util.createBuffer(iterations!.value as string);
  const macKey = forge.pkcs12.generateKey(
    password,
    forge.util.createBuffer(macSalt!.value as string),
    3,
    macIterations.getInt(macIterations.length() << 3),
    20,
    forge.md.sha1.create(),
  );
  const hmac = forge.hmac.create();
  hmac.start('sha1', macKey);
  hmac.update(safeDer);
  ((digestInfo!.value as forge.asn1.Asn1[])[1] as forge.asn1.Asn1).value = hmac.digest().getBytes();
}
